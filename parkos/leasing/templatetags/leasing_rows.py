"""Rows of the leasing reports' tables written in Python (issue 16): the figures' seven tables and the occupancy
tables have a row per park, brand, industry or new tenant (hundreds at demo scale), each a few ``area`` filters and
lookups through the template engine. Each tag writes the HTML the include's loop wrote (tests/test_rows_html.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat, join
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from parkos.core.templatetags.parkos import area

register = template.Library()


def _none() -> SafeString:
    return format_html('<tr><td class="text-secondary">{}</td></tr>', _("None."))


@register.simple_tag
def figure_rows(rows: Iterable[Mapping[str, Any]], user: object) -> SafeString:
    """A park's, brand's or industry's name, contracts and area (leasing/includes/figure_table.html)."""
    rows = list(rows)
    if not rows:
        return _none()
    return format_html_join(
        "",
        '<tr><td>{}</td><td class="text-end">{}</td><td class="text-end text-nowrap">{}</td></tr>',
        ((row["name"] or "—", localize(row["contracts"]), area(row["area"], user)) for row in rows),
    )


@register.simple_tag
def new_tenant_rows(rows: Iterable[Mapping[str, Any]], user: object) -> SafeString:
    """A new tenant's name, first lease start and area (the figures page)."""
    rows = list(rows)
    if not rows:
        return _none()
    return format_html_join(
        "",
        '<tr><td>{}</td><td>{}</td><td class="text-end">{}</td></tr>',
        ((row["name"], date_filter(row["first"], "Y-m-d"), area(row["area"], user)) for row in rows),
    )


@register.simple_tag
def occupancy_rows(rows: Iterable[Any], user: object, show_park: bool = False) -> SafeString:
    """A building's, park's or brand's occupancy (leasing/includes/occupancy_table.html), each row followed by the
    line break and indent the loop wrote."""
    rows = list(rows)
    if not rows:
        return format_html('<tr><td colspan="8" class="text-secondary">{}</td></tr>', _("No space units here."))
    return format_html_join(
        "",
        '<tr data-key="{}"><td>{}</td>{}<td class="text-end">{} / {}</td><td class="text-end">{}</td>'
        '<td class="text-end">{}</td><td class="text-end">{}</td><td class="text-end">{}</td>'
        '<td class="text-end rate">{}</td></tr>\n  ',
        (
            (
                localize(row.key),
                row.name or "—",
                format_html("<td>{}</td>", row.park) if show_park else "",
                localize(row.units_occupied),
                localize(row.units),
                area(row.lettable, user),
                area(row.leased, user),
                area(row.sold, user),
                area(row.vacant, user),
                "—" if row.rate is None else format_html("{} %", floatformat(row.percent, 1)),
            )
            for row in rows
        ),
    )


@register.simple_tag
def expiry_rows(leases: Iterable[Any], user: object) -> SafeString:
    """A window's leases on the expiry alerts (``with_urls`` and ``with_unit_codes`` done), each row followed by the
    line break and indent the loop wrote."""
    leases = list(leases)
    if not leases:
        return _none()
    return format_html_join(
        "",
        '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td class="text-end">{}</td><td>{}</td></tr>'
        "\n        ",
        (
            (
                lease.url,
                lease,
                lease.tenant,
                lease.park,
                join(lease.unit_codes, ", ", autoescape=True),
                area(lease.leased_area, user),
                date_filter(lease.effective_end, "Y-m-d"),
            )
            for lease in leases
        ),
    )
