"""The column layouts in which the sources deliver indicator figures: one declarative table, one entry per source.

Each layout names the columns that identify the enterprise and the year, and the value columns it
carries, each with the names the source uses (matched ignoring case, spaces and full-width
brackets) and the unit a header may name after it: ``营业收入(万元)`` is scaled ×10,000 into the stored
元, ``用地面积(亩)`` into m². A header without a unit is in the stored unit. A column the layout does
not know, or a unit that does not fit its column, is an error that names it: never silently dropped.
``parkos import-filings SOURCE FILE`` and the "Import filings" page read these; adding a source is
adding an entry here; docs/imports.md lists them (checked by a test).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from parkos.core.units import HEADER_UNITS, header_unit, split_header_unit
from parkos.evaluation.models import Source

CREDIT_CODE_HEADERS = ("统一社会信用代码", "纳税人识别号", "信用代码", "credit_code", "credit code")
YEAR_HEADERS = ("年度", "年份", "year")
PARK_HEADERS = ("园区", "园区代码", "park")
#: columns a file may carry for the reader's sake; their cells are not read
NAME_HEADERS = ("企业名称", "纳税人名称", "户名", "name", "enterprise")


@dataclass(frozen=True)
class Column:
    """One value column: the filing field it fills, its names, its kind and the quantity its unit measures."""

    field: str
    names: tuple[str, ...]
    kind: str = "decimal"  # decimal | integer | flag
    quantity: str = ""  # a key of core.units.HEADER_UNITS; "" for flags and plain counts
    #: names that carry their unit in themselves (an old header such as 'land_mu')
    implied: tuple[tuple[str, str], ...] = ()

    @property
    def units(self) -> tuple[str, ...]:
        """The units a header may name (the first is the stored one)."""
        return tuple(u.symbol for u in HEADER_UNITS[self.quantity]) if self.quantity else ()

    @property
    def headers(self) -> tuple[str, ...]:
        """Every spelling shown to people: each name, and the first name with each unit."""
        with_units = tuple(f"{self.names[0]}({unit})" for unit in self.units)
        return (*self.names, *with_units, *(name for name, _unit in self.implied))


@dataclass(frozen=True)
class Matched:
    """A value column found in a file: where, under which header, and the factor from its unit to storage."""

    column: Column
    position: int
    header: str
    factor: Decimal


@dataclass(frozen=True)
class Layout:
    key: str
    label: str
    source: str
    columns: tuple[Column, ...]


def _col(field: str, *names: str, kind: str = "decimal", quantity: str = "", implied=()) -> Column:
    return Column(field, (*names, field), kind, quantity, implied)


#: value columns every layout may use under the plain field names (the enterprise and staff layouts)
_ALL_VALUES = (
    _col("revenue", "营业收入", quantity="money"),
    _col("industrial_output", "工业总产值", quantity="money"),
    _col("value_added", "工业增加值", "增加值", quantity="money"),
    _col("tax", "税收合计", "实缴税金", "税收", quantity="money"),
    _col("rd_expenditure", "研发费用", "R&D经费支出", "研发经费", quantity="money"),
    _col("employees", "从业人员平均人数", "年平均职工人数", kind="integer", quantity="count"),
    _col("energy_tce", "综合能耗", quantity="energy"),
    _col("electricity_kwh", "用电量", "总用电量", quantity="electricity"),
    _col("emissions_t", "主要污染物排放量", "排放量", quantity="mass"),
    _col("land_area", "用地面积", quantity="area", implied=(("land_mu", "亩"),)),
    _col("floor_area", "建筑面积", "使用建筑面积", quantity="area"),
    _col("above_size_threshold", "规上企业", "规模以上", kind="flag"),
    _col("major_incident", "重大安全环保事故", kind="flag"),
    _col("is_tenant", "租赁企业", kind="flag"),
)
_BY_FIELD = {column.field: column for column in _ALL_VALUES}


def _pick(*fields: str) -> tuple[Column, ...]:
    return tuple(_BY_FIELD[f] for f in fields)


LAYOUTS: dict[str, Layout] = {
    layout.key: layout
    for layout in (
        Layout("tax", _("Tax bureau"), Source.TAX, _pick("tax")),
        Layout("power", _("Power company"), Source.POWER, _pick("electricity_kwh")),
        Layout(
            "statistics",
            _("Statistics bureau"),
            Source.STATISTICS,
            _pick(
                "revenue",
                "industrial_output",
                "value_added",
                "rd_expenditure",
                "employees",
                "energy_tce",
                "above_size_threshold",
            ),
        ),
        Layout("land", _("Land bureau"), Source.LAND, _pick("land_area")),
        Layout("environment", _("Environmental bureau"), Source.STAFF, _pick("emissions_t")),
        Layout("enterprise", _("Enterprise filing"), Source.ENTERPRISE, _ALL_VALUES),
        Layout("staff", _("Staff entry"), Source.STAFF, _ALL_VALUES),
    )
}

#: values that count as yes in a flag column
TRUE_WORDS = {"1", "true", "yes", "y", "是", "√", "x"}
FALSE_WORDS = {"0", "false", "no", "n", "否", ""}


def normalise_header(text) -> str:
    text = str(text or "").strip().lower().replace("（", "(").replace("）", ")")
    return re.sub(r"\s+", "", text)


def _identity_columns() -> tuple[tuple[str, tuple[str, ...], bool], ...]:
    return (
        ("credit_code", CREDIT_CODE_HEADERS, True),
        ("year", YEAR_HEADERS, True),
        ("park", PARK_HEADERS, False),
    )


def match_headers(layout: Layout, headers: list[str]) -> tuple[dict[str, int], list[Matched], list[str]]:
    """(identity column -> index, value columns found, errors) for a file's header row.

    Every non-empty header must be an identity column, a name column or one of the layout's value
    columns with a unit that fits it; anything else is an error naming the header.
    """
    identity: dict[str, int] = {}
    errors: list[str] = []
    normalised = [normalise_header(h) for h in headers]
    for name, spellings, required in _identity_columns():
        wanted = [normalise_header(s) for s in spellings]
        position = next((normalised.index(s) for s in wanted if s in normalised), None)
        if position is None and required:
            errors.append(
                _("The file has no %(what)s column; name it one of: %(names)s.")
                % {"what": name, "names": ", ".join(spellings)}
            )
        elif position is not None:
            identity[name] = position
    identity_errors = len(errors)
    ignored = {normalise_header(h) for h in NAME_HEADERS}
    by_name = {normalise_header(n): c for c in layout.columns for n in c.names}
    implied = {normalise_header(n): (c, unit) for c in layout.columns for n, unit in c.implied}
    elsewhere = {normalise_header(n) for c in _ALL_VALUES for n in c.names}
    names = ", ".join(c.names[0] for c in layout.columns)
    found: list[Matched] = []
    unknown: list[str] = []
    for position, header in enumerate(headers):
        key = normalised[position]
        if not key or position in identity.values() or key in ignored:
            continue
        if key in implied:
            column, unit = implied[key]
            found.append(Matched(column, position, str(header), header_unit(column.quantity, unit).factor))
            continue
        name, unit = split_header_unit(header)
        column = by_name.get(normalise_header(name)) or by_name.get(key)
        if column is None:
            if normalise_header(name) in elsewhere:
                errors.append(
                    _(
                        "The column '%(header)s' belongs to another layout, not to %(layout)s (whose columns are:"
                        " %(names)s): remove it, or import it with its own layout."
                    )
                    % {"header": header, "layout": layout.label, "names": names}
                )
            else:
                unknown.append(str(header))
            continue
        if not unit:
            factor = Decimal(1)
        elif not column.quantity:
            errors.append(
                _("The column '%(header)s' takes no unit; name it %(name)s.")
                % {"header": header, "name": column.names[0]}
            )
            continue
        else:
            try:
                factor = header_unit(column.quantity, unit).factor
            except ValueError as exc:
                errors.append(_("Column '%(header)s': %(error)s") % {"header": header, "error": exc})
                continue
        found.append(Matched(column, position, str(header), factor))
    for header in unknown:
        errors.append(
            _("The %(layout)s layout has no column '%(header)s'; its columns are: %(names)s.")
            % {"layout": layout.label, "header": header, "names": names}
        )
    by_field: dict[str, list[Matched]] = {}
    for matched in found:
        by_field.setdefault(matched.column.field, []).append(matched)
    for same in by_field.values():
        if len(same) > 1:
            errors.append(
                _("Several columns fill %(field)s (%(headers)s): keep one.")
                % {"field": same[0].column.names[0], "headers": ", ".join(m.header for m in same)}
            )
    if not found and not unknown and len(errors) == identity_errors:
        errors.insert(
            0,
            _("The file has none of the %(layout)s layout's value columns: %(names)s.")
            % {"layout": layout.label, "names": names},
        )
    return identity, found, errors


def layouts_markdown() -> str:
    """Every layout's columns and units as a Markdown table: docs/imports.md holds this text (a test checks it)."""
    lines = [
        "| Layout | Source | Field | Header names | Units in the header (first: stored, assumed when none) |",
        "|---|---|---|---|---|",
    ]
    with _english():
        for layout in LAYOUTS.values():
            for column in layout.columns:
                names = " / ".join(f"`{n}`" for n in (*column.names, *(n for n, _u in column.implied)))
                units = " / ".join(column.units) if column.units else "—"
                lines.append(f"| {layout.key} | {layout.label} | `{column.field}` | {names} | {units} |")
    identity = [
        ("credit code (required)", CREDIT_CODE_HEADERS),
        ("year (required)", YEAR_HEADERS),
        ("park code (for new filings of enterprises without a parcel or lease)", PARK_HEADERS),
        ("enterprise name (not read)", NAME_HEADERS),
    ]
    lines += ["", "Every layout also reads these identity columns:", ""]
    lines += [f"- {what}: " + " / ".join(f"`{h}`" for h in headers) for what, headers in identity]
    return "\n".join(lines) + "\n"


def _english():
    from django.utils import translation

    return translation.override("en")
