"""List tables of default handling."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from parkos.compliance.models import DefaultCase, DefaultCaseDocument
from parkos.core.tables import MoneyColumn, PrimaryTable
from parkos.investment.tables import quantity

STAGE_COLOURS = {"open": "blue", "warning": "yellow", "rectification": "orange", "settlement": "red", "closed": "green"}


def stage_badge(case: DefaultCase) -> str:
    colour = STAGE_COLOURS.get(case.stage, "secondary")
    return format_html(
        '<span class="badge bg-{}-lt" data-stage="{}">{}</span>', colour, case.stage, case.get_stage_display()
    )


class DefaultCaseTable(PrimaryTable):
    reference = tables.Column(linkify=True)
    agreement = tables.Column(linkify=True)
    commitment = tables.Column(linkify=True, order_by=("commitment__kind", "commitment__description"))
    party = tables.Column(accessor="commitment__party__organization", verbose_name=_("promised by"), linkify=True)
    gap = tables.Column(verbose_name=_("gap at opening"))
    settlement_amount = MoneyColumn(verbose_name=_("settlement amount"))

    class Meta(PrimaryTable.Meta):
        model = DefaultCase
        fields = (
            "reference",
            "agreement",
            "commitment",
            "party",
            "year",
            "gap",
            "stage",
            "rectification_deadline",
            "settlement_kind",
            "settlement_amount",
            "owner",
            "opened_on",
            "closed_on",
        )

    def render_gap(self, record, value):
        return "—" if value is None else quantity(value, record.commitment.unit_label)

    def render_stage(self, record):
        return stage_badge(record)

    def render_rectification_deadline(self, record, value):
        if value is None:
            return "—"
        if record.is_overdue:
            return format_html('<span class="text-danger">{} · {}</span>', f"{value:%Y-%m-%d}", _("overdue"))
        return f"{value:%Y-%m-%d}"


class DefaultCaseDocumentTable(PrimaryTable):
    title = tables.Column(linkify=True)
    case = tables.Column(linkify=True)

    class Meta(PrimaryTable.Meta):
        model = DefaultCaseDocument
        fields = ("title", "case", "created")
