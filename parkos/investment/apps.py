"""Investment promotion: the pipeline, contacts, events, agreements, commitments and their progress."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvestmentConfig(AppConfig):
    name = "parkos.investment"
    label = "investment"
    #: the models this app lists in the navigation menu, in order
    menu_models = (
        "project",
        "contact",
        "followuptask",
        "event",
        "agreement",
        "party",
        "signatory",
        "commitment",
        "progress",
        "agreementdocument",
        "exchangerate",
    )
    verbose_name = _("Investment")

    def ready(self) -> None:
        from parkos.core.views.generic import Related, add_related
        from parkos.directory.models import Organization, Person
        from parkos.investment import resources  # noqa: F401  (registers the import/export resources)
        from parkos.investment.models import Agreement, Party, Project, Signatory
        from parkos.investment.tables import AgreementTable, PartyTable, ProjectTable, SignatoryTable
        from parkos.parks.models import Park

        # No "projects as investor" panel: its rows would tell who stands behind a confidential project.
        add_related(Organization, Related(Party, PartyTable, "organization", _("Agreements it is party to")))
        add_related(Person, Related(Signatory, SignatoryTable, "person", _("Agreements signed")))
        add_related(Park, Related(Project, ProjectTable, "park", _("Investment projects")))
        add_related(Park, Related(Agreement, AgreementTable, "park", _("Agreements")))
