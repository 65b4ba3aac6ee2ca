"""List tables for inefficient land and disposal cases."""

from typing import Any

import django_tables2 as tables
from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableData

from parkos.core.display import is_land_area
from parkos.core.models import PrimaryModel
from parkos.core.reversing import PK_PLACEHOLDER, pk_pattern
from parkos.core.tables import AreaColumn, EstimatedCountTable, PrimaryTable, user_area_unit
from parkos.core.units import format_area, format_area_with_mu
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

    def __init__(self, data: Any = None, *args: Any, count: int | None = None, **kwargs: Any) -> None:
        """``count``: the number of rows of ``data`` when the caller knows it (the inefficient-land page read every
        open flag for its map): the table does not count them again."""
        self.known_count = count
        super().__init__(reads_only(data, ("parcel__park", "run__scheme"), self.ROW_FIELDS), *args, **kwargs)

    def paginate(self, *args: Any, **kwargs: Any) -> Any:
        if self.known_count is not None:  # kept on the rows as core's paginator keeps a count it took
            self.rows._parkos_count = (self.known_count, False)
        return super().paginate(*args, **kwargs)

    @property
    def paginated_rows(self) -> Any:
        """The shown rows, each cell written by ``_FlagCells`` (what the columns' rendering wrote, for about a tenth
        of the Python calls: the inefficient-land page's table was 40 % of its time, issue 16); django-tables2's rows
        when a column has no writer there (the "open" column of the flags list)."""
        rows = tables.Table.paginated_rows.fget(self)
        columns = list(self.columns)
        if not all(column.name in FLAG_CELLS for column in columns):
            return rows
        records = getattr(rows, "data", rows)
        if isinstance(records, TableData):
            records = records.data
        cells_of = _FlagCells(user_area_unit(self))
        defaults = [column.default for column in columns]
        names = [column.name for column in columns]
        written = []
        for record in records:
            cells = cells_of(record)
            written.append(
                WrittenRow(
                    record,
                    [
                        (column, default if (cell := cells[name]) is None else cell)
                        for column, name, default in zip(columns, names, defaults, strict=True)
                    ],
                )
            )
        return written

    def render_parcel(self, record):
        return record.parcel.code

    def render_parcel_status(self, record):
        return record.parcel.get_status_display()

    def render_open(self, record):
        if record.cleared_on is None:
            return format_html('<span class="badge bg-red-lt">{}</span>', _("open"))
        return format_html('<span class="text-secondary">{} {}</span>', _("cleared"), f"{record.cleared_on:%Y-%m-%d}")


#: the columns ``_FlagCells`` writes
FLAG_CELLS = frozenset(("parcel", "park", "area", "reason", "detail", "parcel_status", "flagged_on", "run"))
#: parcel areas are land (shown with 亩)
_LAND_AREA = is_land_area(LandParcel, "area")


class WrittenRow:
    """A row whose cells are written already: what ``core.tables.render_rows`` reads of a row."""

    __slots__ = ("record", "_cells")

    def __init__(self, record: Any, cells: list[tuple[Any, Any]]) -> None:
        self.record = record
        self._cells = cells

    def items(self) -> list[tuple[Any, Any]]:
        return self._cells


def _own_url(obj: Any) -> str:
    return str(obj.get_absolute_url())


def _plain_url(model: type) -> bool:
    """Whether ``model``'s page is PrimaryModel's (its URL name's path with the pk filled in)."""
    return model.get_absolute_url is PrimaryModel.get_absolute_url


def _link(url: str, text: Any) -> SafeString:
    """``format_html('<a href="{}">{}</a>', url, text)`` for a plain ``url`` and text (escaped as it escapes them)."""
    return SafeString(f'<a href="{escape(url)}">{escape(str(text))}</a>')


class _FlagCells:
    """Writes a flag's cells as ``ParcelFlagTable``'s columns write them; None where a column writes its default (—).

    The choices' labels are looked up once a table (``get_FOO_display`` made a map of every label for each cell), a
    day's date once; plain text is left to the table's rows to escape, as the columns left it. Tested byte-equal with
    django-tables2's rows in en and zh-Hans, m² and 亩 (parkos/land/tests/test_pages_light.py)."""

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self.reasons = {key: str(label) for key, label in ParcelFlag.Reason.choices}
        self.statuses = {key: str(label) for key, label in LandParcel.Status.choices}
        self.days: dict[Any, str | None] = {}
        self.parks: dict[int, SafeString] = {}
        self.runs: dict[int, SafeString] = {}
        pattern = pk_pattern(ParcelFlag.url_name()) if _plain_url(ParcelFlag) else None
        self.flag_url = (lambda flag: pattern.replace(PK_PLACEHOLDER, str(flag.pk))) if pattern else _own_url

    def __call__(self, flag: ParcelFlag) -> dict[str, Any]:
        parcel = flag.parcel
        url = self.flag_url(flag)
        area = parcel.area
        if area in (None, ""):
            area_cell = None
        else:
            text = format_area_with_mu(area, self.unit) if _LAND_AREA else format_area(area, self.unit)
            area_cell = SafeString(f'<span class="d-block text-end text-nowrap">{escape(text)}</span>')
        day = flag.flagged_on
        if day is None:
            day_cell = None
        elif (day_cell := self.days.get(day)) is None:
            day_cell = self.days[day] = conditional_escape(date_filter(day, "SHORT_DATE_FORMAT")) or None
        reason, status, run = flag.reason, parcel.status, flag.run
        park = self.parks.get(parcel.park_id)
        if park is None:  # a park's and a run's cell once a table: they repeat down the rows
            park = self.parks[parcel.park_id] = _link(parcel.park.get_absolute_url(), parcel.park)
        if run is not None and (run_cell := self.runs.get(run.pk)) is None:
            run_cell = self.runs[run.pk] = _link(run.get_absolute_url(), run)
        return {
            "parcel": _link(url, parcel.code),
            "park": park,
            "area": area_cell,
            "reason": _link(url, self.reasons.get(reason, reason)) if reason else None,
            "detail": flag.detail or None,
            "parcel_status": self.statuses.get(status, status) if status else None,
            "flagged_on": day_cell,
            "run": None if run is None else run_cell,
        }


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
