"""Rows of the leasing reports' tables written in Python (issue 16): the figures' seven tables, the occupancy tables
and the expiry alerts have a row per park, brand, industry, building, new tenant or lease (hundreds at demo scale).
Each tag writes the HTML the include's loop wrote (tests/test_rows_html.py).

The rows are joined strings: every text escaped once, every area and rate written by ``RowWriter``, which formats
numbers as ``area``, ``floatformat`` and ``localize`` do for the current language, with the separators looked up
once per table instead of per number (a row through ``format_html`` and Django's number formatting was about 500
Python calls: 124,000 of the occupancy page's 207,000 at demo scale 6.25).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from html import escape as html_escape
from typing import Any

from django import template
from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format, localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parkos.core.templatetags.parkos import area
from parkos.core.units import AREA_UNIT_SYMBOLS, AreaUnit, m2_to_mu

register = template.Library()

CENT = Decimal("0.01")
TENTH = Decimal("0.1")


def escape(value: Any) -> str:
    """``conditional_escape`` for the values a row holds: a plain ``str`` escaped directly (Django's ``escape`` is
    ``html.escape`` with quotes), anything else (safe strings, lazy text, numbers, None) through Django."""
    if type(value) is str:
        return html_escape(value)
    return str(conditional_escape(value))


class RowWriter:
    """Areas, rates, counts and dates of one table, formatted as the template filters format them for the current
    language and ``user``'s area unit: ``area`` (``format_area``), ``floatformat:1``, ``localize`` of an integer,
    ``date:"Y-m-d"``. Where the language's separators are not the usual ones ("." and "," by 3, ParkOS's English
    and Chinese), or thousands separators are on, each falls back to the filter itself."""

    def __init__(self, user: object) -> None:
        self.user = user
        self.unit = getattr(user, "area_unit", AreaUnit.SQUARE_METRE)
        language = get_language()
        separators = (
            get_format("DECIMAL_SEPARATOR", language),
            get_format("THOUSAND_SEPARATOR", language),
            get_format("NUMBER_GROUPING", language),
        )
        self.plain = separators == (".", ",", 3)
        self.symbol = str(AREA_UNIT_SYMBOLS.get(self.unit, "m²"))
        self.mu = self.unit == AreaUnit.MU
        self.grouped_integers = bool(settings.USE_THOUSAND_SEPARATOR)

    def area(self, value: Decimal | None) -> str:
        """``{{ value|area:user }}``: '12,345.00 m²', '18.52 亩'; '' for None."""
        if not self.plain:
            return area(value, self.user)
        if value is None:
            return ""
        number = m2_to_mu(value) if self.mu else Decimal(value)
        number = number.quantize(CENT, rounding=ROUND_HALF_UP)
        if not number:  # number_format writes what rounds to nothing (-0.00 too) as 0
            return f"0.00 {self.symbol}"
        return f"{number:,.2f} {self.symbol}"

    def rate(self, percent: float) -> str:
        """``{{ percent|floatformat:1 }}``: one decimal, half up, no thousands separator."""
        if not self.plain:
            return str(floatformat(percent, 1))
        number = Decimal(str(percent)).quantize(TENTH, rounding=ROUND_HALF_UP)
        if not number:
            return "0.0"
        return f"{number:f}"

    def count(self, value: int | None) -> str:
        """``{{ value }}`` of an integer (``localize``: no separators unless the setting asks for them)."""
        if self.grouped_integers or type(value) is not int:
            return escape(localize(value))
        return str(value)


def iso_date(value: datetime.date | None) -> str:
    """``{{ value|date:"Y-m-d" }}`` of a date ('' for None)."""
    if value is None:
        return ""
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def _none() -> SafeString:
    return format_html('<tr><td class="text-secondary">{}</td></tr>', _("None."))


def _joined(rows: Iterable[Any], write: Callable[[Any], str]) -> SafeString:
    return mark_safe("".join(map(write, rows)))  # noqa: S308 (every value escaped by write)


@register.simple_tag
def figure_rows(rows: Iterable[Mapping[str, Any]], user: object) -> SafeString:
    """A park's, brand's or industry's name, contracts and area (leasing/includes/figure_table.html)."""
    rows = list(rows)
    if not rows:
        return _none()
    writer = RowWriter(user)

    def write(row: Mapping[str, Any]) -> str:
        return (
            f'<tr><td>{escape(row["name"] or "—")}</td><td class="text-end">{writer.count(row["contracts"])}</td>'
            f'<td class="text-end text-nowrap">{escape(writer.area(row["area"]))}</td></tr>'
        )

    return _joined(rows, write)


@register.simple_tag
def new_tenant_rows(rows: Iterable[Mapping[str, Any]], user: object) -> SafeString:
    """A new tenant's name, first lease start and area (the figures page)."""
    rows = list(rows)
    if not rows:
        return _none()
    writer = RowWriter(user)

    def write(row: Mapping[str, Any]) -> str:
        return (
            f"<tr><td>{escape(row['name'])}</td><td>{iso_date(row['first'])}</td>"
            f'<td class="text-end">{escape(writer.area(row["area"]))}</td></tr>'
        )

    return _joined(rows, write)


@register.simple_tag
def occupancy_rows(rows: Iterable[Any], user: object, show_park: bool = False) -> SafeString:
    """A building's, park's or brand's occupancy (leasing/includes/occupancy_table.html), each row followed by the
    line break and indent the loop wrote."""
    rows = list(rows)
    if not rows:
        return format_html('<tr><td colspan="8" class="text-secondary">{}</td></tr>', _("No space units here."))
    writer = RowWriter(user)

    def write(row: Any) -> str:
        park = f"<td>{escape(row.park)}</td>" if show_park else ""
        rate = "—" if row.rate is None else f"{writer.rate(row.percent)} %"
        return (
            f'<tr data-key="{writer.count(row.key)}">'
            f"<td>{escape(row.name or '—')}</td>{park}"
            f'<td class="text-end">{writer.count(row.units_occupied)} / {writer.count(row.units)}</td>'
            f'<td class="text-end">{escape(writer.area(row.lettable))}</td>'
            f'<td class="text-end">{escape(writer.area(row.leased))}</td>'
            f'<td class="text-end">{escape(writer.area(row.sold))}</td>'
            f'<td class="text-end">{escape(writer.area(row.vacant))}</td>'
            f'<td class="text-end rate">{rate}</td></tr>\n  '
        )

    return _joined(rows, write)


@register.simple_tag
def expiry_rows(leases: Iterable[Any], user: object) -> SafeString:
    """A window's leases on the expiry alerts (``with_urls`` and ``with_unit_codes`` done), each row followed by the
    line break and indent the loop wrote."""
    leases = list(leases)
    if not leases:
        return _none()
    writer = RowWriter(user)

    def write(lease: Any) -> str:
        units = ", ".join(map(escape, lease.unit_codes))
        return (
            f'<tr><td><a href="{escape(lease.url)}">{escape(str(lease))}</a></td><td>{escape(str(lease.tenant))}</td>'
            f"<td>{escape(str(lease.park))}</td><td>{units}</td>"
            f'<td class="text-end">{escape(writer.area(lease.leased_area))}</td>'
            f"<td>{iso_date(lease.effective_end)}</td></tr>\n        "
        )

    return _joined(rows=leases, write=write)
