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

    def menu_links(self, user) -> list[tuple[str, str]]:
        """The project board and the pipeline figures for those who see projects; the implementation report
        for those who see agreements (a government partner: those it is party to)."""
        from django.urls import reverse

        from parkos.core.permissions import can
        from parkos.investment.models import Agreement, Project

        links = []
        if can(user, Project, "view"):
            links.append((_("Project board"), reverse("investment:project_board")))
            links.append((_("Pipeline figures"), reverse("investment:pipeline_figures")))
        if can(user, Agreement, "view"):
            links.append((_("Agreement implementation"), reverse("investment:implementation_report")))
        return links

    def attention(self, user) -> list[dict]:
        """Home-page items: agreements behind or at risk, commitments due soon, contact overdue, my late tasks.

        Two statements (issue 16; were five): the agreements overdue and at risk as the implementation report
        counts them, from their unmet commitments overdue or at risk grouped once (``agreements_behind``; was
        ``implementation_totals``, every commitment's status rolled up for every agreement; before that
        ``implementation_q``'s EXISTS trees twice), and the other counts as one row (``home.counts``)."""
        import datetime

        from django.urls import reverse
        from django.utils import timezone

        from parkos.core.permissions import Action, can
        from parkos.investment.home import counts
        from parkos.investment.models import Agreement, Commitment, CommitmentStatus, FollowUpTask, Project
        from parkos.investment.selectors import agreements_behind
        from parkos.investment.services import agreements_due_for_contact

        items: list[dict] = []
        today = timezone.localdate()
        counted: list = []  # (item, queryset) whose counts the one statement below fills in
        # the agreements due for contact and the commitments due are the home panels' lists for those who work the
        # pipeline (home.home_panels: the same URLs), and core's home leaves out an item whose list a panel opens:
        # not counted twice
        in_panels = can(user, Project, Action.CHANGE)
        if can(user, Agreement, Action.VIEW):
            agreements = Agreement.objects.restrict(user)
            by_implementation = dict(zip(("overdue", "at_risk"), agreements_behind(agreements, today), strict=True))
            url = reverse("investment:agreement_list")
            for status, label, tone in (
                ("overdue", _("Agreements with overdue commitments"), "red"),
                ("at_risk", _("Agreements with commitments at risk"), "orange"),
            ):
                count = by_implementation[status]
                items.append({"label": label, "count": count, "url": f"{url}?implementation={status}", "tone": tone})
            if not in_panels:
                item = {
                    "label": _("Agreements due for their regular contact"),
                    "count": 0,
                    "url": f"{url}?contact_due=true",
                    "tone": "orange",
                }
                items.append(item)
                counted.append((item, agreements_due_for_contact(agreements, today)))
        if can(user, Commitment, Action.VIEW) and not in_panels:
            soon = Commitment.objects.restrict(user).in_status(CommitmentStatus.AT_RISK, today)
            soon = soon.filter(due_date__lte=today + datetime.timedelta(days=30))
            url = reverse("investment:commitment_list")
            item = {
                "label": _("Commitments due within 30 days and not met"),
                "count": 0,
                "url": f"{url}?status=at_risk&due_to={(today + datetime.timedelta(days=30)).isoformat()}",
                "tone": "orange",
            }
            items.append(item)
            counted.append((item, soon))
        if can(user, FollowUpTask, Action.VIEW):
            late = FollowUpTask.objects.restrict(user).filter(owner=user, done_on__isnull=True, due_date__lt=today)
            url = reverse("investment:followuptask_list")
            item = {
                "label": _("My follow-up tasks past their due date"),
                "count": 0,
                "url": f"{url}?owner={user.pk}&open=true",
                "tone": "red",
            }
            items.append(item)
            counted.append((item, late))
        for (item, _queryset), count in zip(counted, counts(*(queryset for _item, queryset in counted)), strict=True):
            item["count"] = count
        return items

    def home_panels(self, user) -> list:
        """The queues of this app's work on the user's home page (parkos.core.home)."""
        from parkos.investment.home import home_panels

        return home_panels(user)

    def ready(self) -> None:
        from parkos.core.exports import register_report
        from parkos.core.views.generic import Related, add_related
        from parkos.directory.models import Organization, Person
        from parkos.investment import resources  # noqa: F401  (registers the import/export resources)
        from parkos.investment.models import Agreement, Party, Project, Signatory
        from parkos.investment.reports import IMPLEMENTATION_REPORT, implementation_pdf_export
        from parkos.investment.tables import AgreementTable, PartyTable, ProjectTable, SignatoryTable
        from parkos.parks.models import Park

        # No "projects as investor" panel: its rows would tell who stands behind a confidential project.
        add_related(
            Organization,
            Related(Party, PartyTable, "organization", _("Agreements it is party to"), queryset=parties_with_agreement),
        )
        add_related(Person, Related(Signatory, SignatoryTable, "person", _("Agreements signed")))
        add_related(Park, Related(Project, ProjectTable, "park", _("Investment projects"), queryset=park_projects))
        # The panel shows title, kind, status and signing date: not the list's implementation and last contact.
        add_related(Park, Related(Agreement, AgreementTable, "park", _("Agreements"), queryset=park_agreements))
        register_report(IMPLEMENTATION_REPORT, implementation_pdf_export)


# A detail page's panels read only the columns they show (issue 16: whole joined rows, an agreement's with its
# park's and project's, were read and compiled for five rows on every organization's and park's page).


def parties_with_agreement(user):  # type: ignore[no-untyped-def]
    """An organization page's agreements panel: the role and the agreement (its organization is the page's)."""
    from parkos.investment.models import Party

    return Party.objects.restrict(user).select_related("agreement").only("role", "agreement__title")


def park_projects(user):  # type: ignore[no-untyped-def]
    """A park page's projects panel: what ProjectTable shows but the park, and what masks a confidential row."""
    from parkos.investment.models import Project

    return (
        Project.objects.restrict(user)
        .for_user(user)
        .select_related("investor", "industry", "owner")
        .only(
            "name",
            "codename",
            "is_confidential",
            "stage",
            "stage_since",
            "planned_investment_amount",
            "planned_investment_currency",
            "planned_floor_area",
            "planned_jobs",
            "investor__name",
            "industry__name",
            "owner__username",
        )
    )


def park_agreements(user):  # type: ignore[no-untyped-def]
    """A park page's agreements panel: title, kind, status and signing date."""
    from parkos.investment.models import Agreement

    return Agreement.objects.restrict(user).only("title", "kind", "status", "signed_on")
