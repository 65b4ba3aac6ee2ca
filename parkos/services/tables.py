"""Services list tables. Requests past a deadline carry an "overdue" badge."""

from typing import Any

import django_tables2 as tables
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from parkos.core.tables import LocalDateTimeColumn, PrimaryTable
from parkos.services.models import RequestMessage, Scenario, Service, ServiceDesk, ServiceRequest, Status

STATUS_COLOURS = {
    Status.NEW: "blue",
    Status.ACCEPTED: "azure",
    Status.IN_PROGRESS: "indigo",
    Status.WAITING: "yellow",
    Status.DONE: "green",
    Status.DECLINED: "secondary",
}


def status_badge(status: str, label) -> str:
    return format_html(
        '<span class="badge bg-{}-lt" data-status="{}">{}</span>',
        STATUS_COLOURS.get(status, "secondary"),
        status,
        label,
    )


class ServiceTable(PrimaryTable):
    name = tables.Column(linkify=True)
    provider = tables.Column(linkify=True)

    class Meta(PrimaryTable.Meta):
        model = Service
        fields = ("name", "aspect", "provider", "response_target_hours", "resolution_target_days", "is_active")


class ScenarioTable(PrimaryTable):
    name = tables.Column(linkify=True)
    provider = tables.Column(linkify=True)
    participant_count = tables.Column(verbose_name=_("participants"), accessor="participant_count", orderable=True)

    class Meta(PrimaryTable.Meta):
        model = Scenario
        fields = ("name", "aspect", "provider", "start_date", "end_date", "participant_count")


class ServiceDeskTable(PrimaryTable):
    aspect = tables.Column(linkify=True)
    members = tables.ManyToManyColumn(verbose_name=_("members"), orderable=False)

    class Meta(PrimaryTable.Meta):
        model = ServiceDesk
        fields = ("aspect", "members")


class ServiceRequestTable(PrimaryTable):
    title = tables.Column(linkify=True)
    enterprise = tables.Column(linkify=True)
    park = tables.Column(linkify=True)
    service = tables.Column(linkify=True)
    status = tables.Column()
    requested_at = LocalDateTimeColumn(format="Y-m-d H:i")
    deadline = tables.Column(verbose_name=_("deadline"), accessor="resolution_due", order_by=("resolution_due",))

    low_priority = ("park", "service", "aspect", "assigned_to", "rating")

    #: what the cells read: the request's own columns, the names of its enterprise, park, service and assignee.
    #: Read whole, a row brought its park's outline and description and its enterprise's forty columns, and
    #: the database joined those wide rows for every request in scope before keeping a page of them (issue 16)
    ROW_RELATED = ("enterprise", "park", "service", "assigned_to")
    ROW_FIELDS = (
        "title",
        "aspect",
        "status",
        "requested_at",
        "responded_at",
        "resolved_at",
        "response_due",
        "resolution_due",
        "rating",
        "enterprise__name",
        "park__name",
        "service__name",
        "assigned_to__username",
    )

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if isinstance(data, QuerySet):  # a list of rows (a panel) is left as it is
            data = data.select_related(None).select_related(*self.ROW_RELATED).only(*self.ROW_FIELDS)
        super().__init__(data, *args, **kwargs)

    class Meta(PrimaryTable.Meta):
        model = ServiceRequest
        fields = (
            "title",
            "enterprise",
            "park",
            "service",
            "aspect",
            "status",
            "assigned_to",
            "requested_at",
            "deadline",
            "rating",
        )

    def render_status(self, record, value):
        return status_badge(record.status, value)

    def render_deadline(self, record, value):
        """The resolution deadline's day and a badge per deadline passed; the badges and the time are made once
        per table, not per row (issue 16)."""
        badges = self.__dict__.get("_deadline_badges")
        if badges is None:
            badges = self._deadline_badges = (
                timezone.now(),
                format_html('<span class="badge bg-red-lt" data-overdue="response">{}</span>', _("no response")),
                format_html('<span class="badge bg-red-lt" data-overdue="resolution">{}</span>', _("overdue")),
            )
        now, no_response, overdue = badges
        flags = []
        if record.is_response_overdue(now):
            flags.append(no_response)
        if record.is_resolution_overdue(now):
            flags.append(overdue)
        when = timezone.localtime(value).strftime("%Y-%m-%d") if value else "—"  # the park's day, not UTC's
        return format_html("{} {}", when, mark_safe(" ".join(flags)))  # noqa: S308 (each flag is format_html output)

    def render_rating(self, value):
        return "★" * value


class RequestMessageTable(PrimaryTable):
    body = tables.Column(linkify=True, verbose_name=_("message"))
    request = tables.Column(linkify=True)
    author = tables.Column()
    created = LocalDateTimeColumn(format="Y-m-d H:i", verbose_name=_("written"))
    attachment = tables.Column(verbose_name=_("attachment"))

    class Meta(PrimaryTable.Meta):
        model = RequestMessage
        fields = ("body", "request", "author", "created", "attachment")

    def render_body(self, record):
        return str(record)

    def render_attachment(self, record):
        return record.attachment_name
