"""List tables for inefficient land and disposal cases."""

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from parkos.core.tables import AreaColumn, EstimatedCountTable, PrimaryTable
from parkos.evaluation.tables import reads_only
from parkos.land.models import DisposalCase, DisposalDocument, DisposalMilestone, ParcelFlag
from parkos.parks.models import LandParcel

CASE_STATUS_COLOURS = {"open": "blue", "in_progress": "azure", "closed": "green"}


class ParcelFlagTable(PrimaryTable):
    parcel = tables.Column(
        linkify=lambda record: record.get_absolute_url(), order_by=("parcel__park__name", "parcel__code")
    )
    park = tables.Column(accessor="parcel__park", linkify=True, verbose_name=_("park"))
    area = AreaColumn(accessor="parcel__area", verbose_name=_("area"))
    parcel_status = tables.Column(accessor="parcel__status", verbose_name=_("parcel status"))
    run = tables.Column(linkify=True)
    open = tables.BooleanColumn(accessor="cleared_on", verbose_name=_("open"), order_by=("cleared_on",))
    reason = tables.Column(linkify=True)  # the link on a parcel's page, where the parcel column is left out

    class Meta(PrimaryTable.Meta):
        model = ParcelFlag
        fields = ("parcel", "park", "area", "reason", "detail", "parcel_status", "flagged_on", "run", "open")

    #: what the cells read: the run's name is its scheme's title (or name) and version, its year and number
    ROW_FIELDS = (
        "reason",
        "detail",
        "flagged_on",
        "cleared_on",
        "parcel__code",
        "parcel__area",
        "parcel__status",
        "parcel__park__name",
        "run__year",
        "run__scheme__name",
        "run__scheme__title",
        "run__scheme__version",
    )

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(reads_only(data, ("parcel__park", "run__scheme"), self.ROW_FIELDS), *args, **kwargs)

    def render_parcel(self, record):
        return record.parcel.code

    def render_parcel_status(self, record):
        return record.parcel.get_status_display()

    def render_open(self, record):
        if record.cleared_on is None:
            return format_html('<span class="badge bg-red-lt">{}</span>', _("open"))
        return format_html('<span class="text-secondary">{} {}</span>', _("cleared"), f"{record.cleared_on:%Y-%m-%d}")


class DisposalCaseTable(PrimaryTable):
    parcel = tables.Column(
        linkify=lambda record: record.get_absolute_url(), order_by=("parcel__park__name", "parcel__code")
    )
    park = tables.Column(accessor="parcel__park", linkify=True, verbose_name=_("park"))
    area = AreaColumn(accessor="parcel__area", verbose_name=_("area"))
    path = tables.Column(linkify=True)  # the link on a parcel's page, where the parcel column is left out

    class Meta(PrimaryTable.Meta):
        model = DisposalCase
        fields = ("parcel", "park", "area", "path", "status", "owner", "opened_on", "closed_on", "outcome")

    def render_parcel(self, record):
        return record.parcel.code

    def render_status(self, record):
        colour = CASE_STATUS_COLOURS.get(record.status, "secondary")
        return format_html('<span class="badge bg-{}-lt">{}</span>', colour, record.get_status_display())


class DisposalMilestoneTable(PrimaryTable):
    title = tables.Column(linkify=True)
    case = tables.Column(linkify=True)

    class Meta(PrimaryTable.Meta):
        model = DisposalMilestone
        fields = ("title", "case", "due_date", "done_on", "owner")

    def render_due_date(self, record, value):
        if record.is_overdue:
            return format_html('<span class="text-danger">{} · {}</span>', f"{value:%Y-%m-%d}", _("overdue"))
        return f"{value:%Y-%m-%d}"


class DisposalDocumentTable(PrimaryTable):
    title = tables.Column(linkify=True)
    case = tables.Column(linkify=True)

    class Meta(PrimaryTable.Meta):
        model = DisposalDocument
        fields = ("title", "case", "created")


class AvailableLandTable(EstimatedCountTable):
    """Parcels available for investment promotion, with the case that returned each (if one did).

    Core's rows (``EstimatedCountTable``: a filtered list is still counted exactly) and only the columns the
    cells read: a row used to bring its park's outline and its holder's forty columns.
    """

    code = tables.Column(linkify=True, verbose_name=_("parcel"))
    park = tables.Column(linkify=True)
    area = AreaColumn()
    land_use = tables.Column()
    floor_area = AreaColumn(verbose_name=_("floor area of its buildings"))
    holder = tables.Column(linkify=True)
    returned_on = tables.Column(verbose_name=_("returned by a case on"))

    class Meta:
        model = LandParcel
        fields = ("code", "park", "area", "land_use", "floor_area", "holder", "returned_on")
        attrs = {"class": "table table-vcenter card-table table-hover"}
        template_name = "core/table.html"
        empty_text = _("No land is available for promotion.")
        order_by = ("park", "code")

    ROW_FIELDS = ("code", "area", "land_use", "park__name", "holder__name")

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(reads_only(data, ("park", "holder"), self.ROW_FIELDS), *args, **kwargs)

    def render_returned_on(self, record, value):
        from django.urls import reverse

        url = reverse("land:disposalcase", kwargs={"pk": record.returned_by_case})
        return format_html('<a href="{}">{}</a>', url, f"{value:%Y-%m-%d}")
