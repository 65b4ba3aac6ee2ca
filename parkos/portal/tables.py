"""Portal list tables."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from parkos.core.tables import LocalDateTimeColumn, PrimaryTable
from parkos.portal.models import PROFILE_FIELDS, ProfileChangeRequest, profile_field

STATUS_COLOURS = {
    ProfileChangeRequest.Status.PENDING: "orange",
    ProfileChangeRequest.Status.APPROVED: "green",
    ProfileChangeRequest.Status.REJECTED: "red",
}


def proposal_status_badge(record) -> str:
    return format_html(
        '<span class="badge bg-{}-lt" data-status="{}">{}</span>',
        STATUS_COLOURS.get(record.status, "secondary"),
        record.status,
        record.get_status_display(),
    )


class ProfileChangeRequestTable(PrimaryTable):
    created = LocalDateTimeColumn(linkify=True, format="Y-m-d H:i", verbose_name=_("proposed"))
    organization = tables.Column(linkify=True)
    changes = tables.Column(verbose_name=_("fields"), orderable=False)
    status = tables.Column()

    class Meta(PrimaryTable.Meta):
        model = ProfileChangeRequest
        fields = ("created", "organization", "changes", "status", "proposed_by", "reviewed_by", "reviewed_at")

    def render_changes(self, value):
        return ", ".join(str(profile_field(n).verbose_name) for n in PROFILE_FIELDS if n in (value or {}))

    def render_status(self, record):
        return proposal_status_badge(record)
