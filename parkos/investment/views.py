"""Investment pages: each model's UI is one ObjectViews declaration; agreements and projects add their summaries."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkos.core.bulk import BulkAction
from parkos.core.permissions import Action, can
from parkos.core.views.generic import ObjectViews, Related
from parkos.investment import filtersets, forms, resources, services, tables
from parkos.investment.models import (
    Agreement,
    AgreementDocument,
    Commitment,
    CommitmentStatus,
    Contact,
    Event,
    ExchangeRate,
    FollowUpTask,
    ImplementationStatus,
    Party,
    Progress,
    Project,
    Signatory,
)


class ProjectViews(ObjectViews):
    model = Project
    path = "projects"
    table = tables.ProjectTable
    filterset = filtersets.ProjectFilterSet
    form = forms.ProjectForm
    resource = resources.ProjectResource
    list_related = ("investor", "industry", "park", "owner")
    related = (
        Related(Agreement, tables.AgreementTable, "project"),
        Related(Contact, tables.ContactTable, "project"),
    )
    detail_template = "investment/project_detail.html"

    @classmethod
    def queryset(cls, user, action=Action.VIEW):
        return super().queryset(user, action).for_user(user)

    @classmethod
    def detail_extra(cls, obj, user) -> dict:
        return {"stage_changes": obj.stage_changes.select_related("user").order_by("-date", "-pk")}


class EventViews(ObjectViews):
    model = Event
    path = "events"
    table = tables.EventTable
    filterset = filtersets.EventFilterSet
    form = forms.EventForm
    resource = resources.EventResource
    list_related = ("park",)
    related = (Related(Agreement, tables.AgreementTable, "event", title=""),)
    detail_template = "investment/event_detail.html"

    @classmethod
    def detail_extra(cls, obj, user) -> dict:
        return {"attendees": obj.attendees.all(), "organizations": obj.organizations.all()}


def _bulk_mark_contacted(obj, *, user, date, kind, subject=""):
    services.agreement_mark_contacted(agreement=obj, user=user, date=date, kind=kind, subject=subject)


def _may_record_contacts(user) -> bool:
    return can(user, Contact, Action.ADD)


class AgreementViews(ObjectViews):
    model = Agreement
    path = "agreements"
    table = tables.AgreementTable
    filterset = filtersets.AgreementFilterSet
    form = forms.AgreementForm
    resource = resources.AgreementResource
    list_related = ("park", "event")
    bulk_actions = (
        BulkAction(
            "mark_contacted",
            _("Mark contacted…"),
            permission=Action.VIEW,
            apply=_bulk_mark_contacted,
            form=forms.BulkContactedForm,
            allowed=_may_record_contacts,
        ),
    )
    related = (
        Related(Party, tables.PartyTable, "agreement", limit=50),
        Related(Signatory, tables.SignatoryTable, "agreement", limit=50),
        Related(Commitment, tables.CommitmentTable, "agreement", limit=50, exclude=("kind", "latest_value")),
        Related(AgreementDocument, tables.AgreementDocumentTable, "agreement"),
        Related(Contact, tables.ContactTable, "agreement"),
    )
    detail_template = "investment/agreement_detail.html"

    @classmethod
    def queryset(cls, user, action=Action.VIEW):
        from parkos.investment.services import with_last_contact

        # last_contact_on: the contact-due list shows the last and next contact dates from it, without a query a row
        return with_last_contact(super().queryset(user, action).with_implementation())

    @classmethod
    def detail_extra(cls, obj, user) -> dict:
        from parkos.investment.services import contact_status

        counts = [(CommitmentStatus(s), getattr(obj, f"n_{s}")) for s in CommitmentStatus.values]
        return {
            "implementation": ImplementationStatus(obj.implementation),
            "status_counts": counts,
            "contact": contact_status(obj, timezone.localdate()),
        }


class PartyViews(ObjectViews):
    model = Party
    path = "parties"
    table = tables.PartyTable
    filterset = filtersets.PartyFilterSet
    form = forms.PartyForm
    resource = resources.PartyResource
    list_related = ("organization", "agreement")
    related = (
        Related(Signatory, tables.SignatoryTable, "party"),
        Related(Commitment, tables.CommitmentTable, "party"),
    )


class SignatoryViews(ObjectViews):
    model = Signatory
    path = "signatories"
    table = tables.SignatoryTable
    filterset = filtersets.SignatoryFilterSet
    form = forms.SignatoryForm
    resource = resources.SignatoryResource
    list_related = ("person", "party__organization", "agreement")


class CommitmentViews(ObjectViews):
    model = Commitment
    path = "commitments"
    table = tables.CommitmentTable
    filterset = filtersets.CommitmentFilterSet
    form = forms.CommitmentForm
    resource = resources.CommitmentResource
    list_related = ("agreement", "party__organization")
    related = (Related(Progress, tables.ProgressTable, "commitment", limit=20),)
    detail_template = "investment/commitment_detail.html"

    @classmethod
    def detail_extra(cls, obj, user) -> dict:
        checks = list(obj.checks.select_related("commitment").order_by("-year")[:10])
        return {"status": CommitmentStatus(obj.status()), "checks": checks}


class ProgressViews(ObjectViews):
    model = Progress
    path = "progress"
    table = tables.ProgressTable
    filterset = filtersets.ProgressFilterSet
    form = forms.ProgressForm
    resource = resources.ProgressResource
    list_related = ("commitment",)


class ContactViews(ObjectViews):
    model = Contact
    path = "contacts"
    table = tables.ContactTable
    filterset = filtersets.ContactFilterSet
    form = forms.ContactForm
    resource = resources.ContactResource
    list_related = ("park", "project", "agreement")
    related = (Related(FollowUpTask, tables.FollowUpTaskTable, "contact"),)
    detail_template = "investment/event_detail.html"

    @classmethod
    def detail_extra(cls, obj, user) -> dict:
        return {"attendees": obj.people.all(), "organizations": obj.organizations.all()}


class FollowUpTaskViews(ObjectViews):
    model = FollowUpTask
    path = "tasks"
    table = tables.FollowUpTaskTable
    filterset = filtersets.FollowUpTaskFilterSet
    form = forms.FollowUpTaskForm
    resource = resources.FollowUpTaskResource
    list_related = ("contact", "owner")


class AgreementDocumentViews(ObjectViews):
    model = AgreementDocument
    path = "documents"
    table = tables.AgreementDocumentTable
    filterset = filtersets.AgreementDocumentFilterSet
    form = forms.AgreementDocumentForm
    resource = resources.AgreementDocumentResource
    list_related = ("agreement",)
    detail_template = "investment/document_detail.html"


class ExchangeRateViews(ObjectViews):
    model = ExchangeRate
    path = "exchange-rates"
    table = tables.ExchangeRateTable
    filterset = filtersets.ExchangeRateFilterSet
    form = forms.ExchangeRateForm
    resource = resources.ExchangeRateResource
