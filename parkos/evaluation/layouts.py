"""The column layouts in which the sources deliver indicator figures: one declarative table, one entry per source.

Each layout names the columns that identify the enterprise and the year, and the value columns it
carries, each with the header spellings the source uses (matched ignoring case, spaces and
full-width brackets). ``parkos import-filings SOURCE FILE`` and the "Import filings" page read
these; adding a source is adding an entry here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from parkos.evaluation.models import M2_PER_MU, Source

CREDIT_CODE_HEADERS = ("统一社会信用代码", "纳税人识别号", "信用代码", "credit_code", "credit code")
YEAR_HEADERS = ("年度", "年份", "year")
PARK_HEADERS = ("园区", "园区代码", "park")
NAME_HEADERS = ("企业名称", "纳税人名称", "户名", "name", "enterprise")


@dataclass(frozen=True)
class Column:
    """One value column: the filing field it fills, its header spellings, its kind and a factor to the stored unit."""

    field: str
    headers: tuple[str, ...]
    kind: str = "decimal"  # decimal | integer | flag
    factor: Decimal = Decimal(1)


@dataclass(frozen=True)
class Layout:
    key: str
    label: str
    source: str
    columns: tuple[Column, ...]


def _col(field, *headers, kind="decimal", factor=Decimal(1)) -> Column:
    return Column(field, (*headers, field), kind, factor)


#: value columns every layout may use under the plain field names (the enterprise and staff layouts)
_ALL_VALUES = (
    _col("revenue", "营业收入", "营业收入(元)"),
    _col("industrial_output", "工业总产值", "工业总产值(元)"),
    _col("value_added", "工业增加值", "增加值", "工业增加值(元)"),
    _col("tax", "税收合计", "实缴税金", "税收"),
    _col("rd_expenditure", "研发费用", "R&D经费支出", "研发经费"),
    _col("employees", "从业人员平均人数", "年平均职工人数", kind="integer"),
    _col("energy_tce", "综合能耗(吨标准煤)", "综合能耗"),
    _col("electricity_kwh", "用电量(千瓦时)", "用电量", "总用电量"),
    _col("emissions_t", "主要污染物排放量(吨)", "排放量"),
    _col("land_area", "用地面积(平方米)", "用地面积"),
    Column("land_area", ("用地面积(亩)", "land_mu"), "decimal", M2_PER_MU),
    _col("floor_area", "建筑面积(平方米)", "使用建筑面积", "建筑面积"),
    _col("above_size_threshold", "规上企业", "规模以上", kind="flag"),
    _col("major_incident", "重大安全环保事故", kind="flag"),
    _col("is_tenant", "租赁企业", kind="flag"),
)
_BY_FIELD = {column.headers[0]: column for column in _ALL_VALUES}


def _pick(*first_headers: str) -> tuple[Column, ...]:
    return tuple(_BY_FIELD[h] for h in first_headers)


LAYOUTS: dict[str, Layout] = {
    layout.key: layout
    for layout in (
        Layout("tax", _("Tax bureau"), Source.TAX, _pick("税收合计")),
        Layout("power", _("Power company"), Source.POWER, _pick("用电量(千瓦时)")),
        Layout(
            "statistics",
            _("Statistics bureau"),
            Source.STATISTICS,
            _pick(
                "营业收入", "工业总产值", "工业增加值", "研发费用", "从业人员平均人数", "综合能耗(吨标准煤)", "规上企业"
            ),
        ),
        Layout("land", _("Land bureau"), Source.LAND, _pick("用地面积(平方米)", "用地面积(亩)")),
        Layout("environment", _("Environmental bureau"), Source.STAFF, _pick("主要污染物排放量(吨)")),
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


def match_headers(layout: Layout, headers: list[str]) -> tuple[dict[str, int], dict[Column, int], list[str]]:
    """(identity column -> index, value column -> index, errors) for a file's header row."""
    index = {normalise_header(h): i for i, h in enumerate(headers)}

    def find(spellings):
        for spelling in spellings:
            if normalise_header(spelling) in index:
                return index[normalise_header(spelling)]
        return None

    identity, errors = {}, []
    for name, spellings, required in (
        ("credit_code", CREDIT_CODE_HEADERS, True),
        ("year", YEAR_HEADERS, True),
        ("park", PARK_HEADERS, False),
    ):
        position = find(spellings)
        if position is None and required:
            errors.append(
                _("The file has no %(what)s column; name it one of: %(names)s.")
                % {"what": name, "names": ", ".join(spellings)}
            )
        elif position is not None:
            identity[name] = position
    values = {}
    for column in layout.columns:
        position = find(column.headers)
        if position is not None:
            values[column] = position
    if not values:
        errors.append(
            _("The file has none of the %(layout)s layout's value columns: %(names)s.")
            % {"layout": layout.label, "names": ", ".join(c.headers[0] for c in layout.columns)}
        )
    return identity, values, errors
