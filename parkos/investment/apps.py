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
        from parkos.investment import resources  # noqa: F401  (registers the import/export resources)
