"""Investment list tables. A confidential project's name and investor are masked outside its team."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from parkos.core.tables import AreaColumn, DateColumn, MoneyColumn, PrimaryTable
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
    plain_number,
)

STATUS_COLOURS = {
    CommitmentStatus.MET: "green",
    CommitmentStatus.ON_TRACK: "blue",
    CommitmentStatus.AT_RISK: "orange",
    CommitmentStatus.OVERDUE: "red",
    ImplementationStatus.FULFILLED: "green",
    ImplementationStatus.NO_COMMITMENTS: "secondary",
}


def status_badge(status: str, label) -> str:
    colour = STATUS_COLOURS.get(status, "secondary")
    return format_html('<span class="badge bg-{}-lt" data-status="{}">{}</span>', colour, status, label)


def quantity(value, unit: str) -> str:
    """5000000000 CNY as '5,000,000,000 CNY': thousands separated, no trailing zeros."""
    number = plain_number(value)
    whole, dot, fraction = number.partition(".")
    return f"{int(whole):,}{dot}{fraction} {unit}".strip()


def _viewer(table):
    return getattr(getattr(table, "request", None), "user", None)


class ProjectTable(PrimaryTable):
    name = tables.Column(linkify=True, verbose_name=_("project"), order_by=("codename", "name"))
    investor = tables.Column()  # render_investor links it, or masks it for a confidential project
    park = tables.Column(linkify=True)
    planned_investment_amount = MoneyColumn(verbose_name=_("planned investment"))
    planned_floor_area = AreaColumn()

    class Meta(PrimaryTable.Meta):
        model = Project
        fields = (
            "name",
            "investor",
            "industry",
            "park",
            "stage",
            "stage_since",
            "planned_investment_amount",
            "planned_floor_area",
            "planned_jobs",
            "owner",
        )

    def render_name(self, record):
        label = record.name if record.investor_visible_to(_viewer(self)) else str(record)
        if not record.is_confidential:
            return label
        return format_html(
            '<i class="ti ti-lock text-secondary me-1" title="{}" aria-hidden="true"></i>{}', _("Confidential"), label
        )

    def render_investor(self, record, value):
        if not record.investor_visible_to(_viewer(self)):
            return format_html('<span class="text-secondary">{}</span>', _("Confidential"))
        return format_html('<a href="{}">{}</a>', value.get_absolute_url(), value)


class EventTable(PrimaryTable):
    title = tables.Column(linkify=True)
    park = tables.Column(linkify=True)

    class Meta(PrimaryTable.Meta):
        model = Event
        fields = ("date", "title", "kind", "place", "park")


class AgreementTable(PrimaryTable):
    title = tables.Column(linkify=True)
    park = tables.Column(linkify=True)
    event = tables.Column(linkify=True)
    implementation = tables.Column(verbose_name=_("implementation"), orderable=True)
    #: shown on the list of agreements due for their regular contact (?contact_due=true) only; the list's
    #: queryset carries last_contact_on (services.with_last_contact)
    last_contact = DateColumn(  # core's: the same text without compiling a template per cell
        accessor="last_contact_on", verbose_name=_("last contact"), format="Y-m-d", default="—"
    )
    next_contact = tables.Column(accessor="pk", verbose_name=_("next contact due"), orderable=False)

    low_priority = ("implementation", "park", "event", "reference")

    class Meta(PrimaryTable.Meta):
        model = Agreement
        fields = ("title", "kind", "status", "implementation", "signed_on", "park", "event", "reference")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        contact_due = request is not None and request.GET.get("contact_due", "").lower() in ("true", "1", "yes")
        if not contact_due:
            self.columns.hide("last_contact")
            self.columns.hide("next_contact")

    def render_implementation(self, value):
        return status_badge(value, ImplementationStatus(value).label)

    def render_next_contact(self, record):
        from parkos.investment.services import contact_status

        status = contact_status(record) if hasattr(record, "last_contact_on") else None
        if status is None:
            return "—"
        due = status["due_on"].isoformat()
        if status["overdue"]:
            return format_html(
                '<span class="text-danger">{}</span> · {}',
                due,
                _("overdue by %(days)s days") % {"days": status["overdue_days"]},
            )
        return due


def _record_url(record):
    return record.get_absolute_url()


class PartyTable(PrimaryTable):
    organization = tables.Column(linkify=_record_url)
    agreement = tables.Column(linkify=True)

    class Meta(PrimaryTable.Meta):
        model = Party
        fields = ("organization", "role", "agreement")


class SignatoryTable(PrimaryTable):
    person = tables.Column(linkify=_record_url)
    party = tables.Column(verbose_name=_("on behalf of"), accessor="party__organization", linkify=True)
    agreement = tables.Column(linkify=True)

    class Meta(PrimaryTable.Meta):
        model = Signatory
        fields = ("person", "title", "party", "agreement")


class CommitmentTable(PrimaryTable):
    description = tables.Column(linkify=True, verbose_name=_("commitment"), order_by=("kind", "description"))
    party = tables.Column(verbose_name=_("promised by"), accessor="party__organization", linkify=True)
    agreement = tables.Column(linkify=True)
    target_value = tables.Column(verbose_name=_("target"))
    latest_value = tables.Column(verbose_name=_("latest value"), empty_values=())  # a reached milestone has no value
    status = tables.Column(verbose_name=_("status"), accessor="pk", orderable=False)

    class Meta(PrimaryTable.Meta):
        model = Commitment
        fields = ("description", "agreement", "party", "kind", "target_value", "latest_value", "due_date", "status")

    def render_description(self, record):
        return str(record)

    def render_target_value(self, record):
        return "—" if record.is_milestone else quantity(record.target_value, record.unit_label)

    def render_latest_value(self, record):
        if record.latest_on is None:
            return "—"
        if record.is_milestone:
            return _("reached on %(date)s") % {"date": f"{record.latest_on:%Y-%m-%d}"}
        return f"{quantity(record.latest_value, record.unit_label)} ({record.latest_on:%Y-%m-%d})"

    def render_status(self, record):
        status = record.status()
        return status_badge(status, CommitmentStatus(status).label)


class ProgressTable(PrimaryTable):
    date = tables.Column(linkify=True)
    commitment = tables.Column(linkify=True)

    class Meta(PrimaryTable.Meta):
        model = Progress
        fields = ("date", "commitment", "value", "source", "note")

    def render_value(self, value):
        return plain_number(value)


class ContactTable(PrimaryTable):
    subject = tables.Column(linkify=True)
    park = tables.Column(linkify=True)
    project = tables.Column(linkify=True)
    agreement = tables.Column(linkify=True)

    class Meta(PrimaryTable.Meta):
        model = Contact
        fields = ("date", "kind", "subject", "park", "project", "agreement")


class FollowUpTaskTable(PrimaryTable):
    description = tables.Column(linkify=True)
    contact = tables.Column(linkify=True)

    class Meta(PrimaryTable.Meta):
        model = FollowUpTask
        fields = ("description", "contact", "owner", "due_date", "done_on")

    def render_due_date(self, record, value):
        if value is None:
            return "—"
        if record.is_overdue:
            return format_html('<span class="text-danger">{} · {}</span>', f"{value:%Y-%m-%d}", _("overdue"))
        return f"{value:%Y-%m-%d}"


class AgreementDocumentTable(PrimaryTable):
    title = tables.Column(linkify=True)
    agreement = tables.Column(linkify=True)

    class Meta(PrimaryTable.Meta):
        model = AgreementDocument
        fields = ("title", "agreement", "created")


class ExchangeRateTable(PrimaryTable):
    currency = tables.Column(linkify=True)

    class Meta(PrimaryTable.Meta):
        model = ExchangeRate
        fields = ("currency", "rate", "valid_from", "source")
