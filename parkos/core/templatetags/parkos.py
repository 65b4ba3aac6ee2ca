"""Template helpers for units and geometry."""

import json
from decimal import Decimal
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import StaticNode
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from parkos.core.display import change_value as _change_value
from parkos.core.geometry import svg_path
from parkos.core.units import (
    AreaUnit,
    Money,
    format_area,
    format_area_with_mu,
    format_datetime,
    format_decimal,
    format_money,
    format_rent,
    money_parts,
    money_unit_for,
)

register = template.Library()

# what Django's json_script escapes, so that the data cannot close its <script> element
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter(is_safe=True)
def json_data(value: Any, element_id: str) -> str:
    """{{ charts|json_data:"figure-charts" }}: Django's json_script, with the text written in UTF-8. The
    default escapes every Chinese character as six bytes (\\uXXXX) where UTF-8 takes three: on the map of inefficient
    land that was most of the page's weight."""
    return json_script_utf8(value, element_id)


def json_script_utf8(value: Any, element_id: str, *, compact: bool = False) -> str:
    """``json_data``'s <script> element; ``compact`` leaves out the spaces after commas and colons (a map's
    coordinates: two spaces a point)."""
    separators = (",", ":") if compact else None
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, separators=separators)
    return format_html(
        '<script id="{}" type="application/json">{}</script>',
        element_id,
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),  # noqa: S308 - escaped as json_script does
    )


@register.filter
def area(value: Decimal | None, user: object = None) -> str:
    """{{ parcel.area|area:user }}: m² or mu as the user prefers."""
    return format_area(value, getattr(user, "area_unit", AreaUnit.SQUARE_METRE))


@register.filter
def land_area(value: Decimal | None, user: object = None) -> str:
    """{{ parcel.area|land_area:user }}: land counts in mu too: '12,345.00 m² (18.52 亩)'."""
    return format_area_with_mu(value, getattr(user, "area_unit", AreaUnit.SQUARE_METRE))


@register.filter
def money(value: Money | Decimal | float | int | None, user: object = None) -> str:
    """{{ lease.deposit|money:user }} or {{ amount|money:user }} (CNY): in the user's unit (元 / 万元 / 亿元)."""
    if isinstance(value, Money):
        return format_money(value.amount, value.currency, money_unit_for(user))
    if value is None or value == "":
        return ""
    return format_money(Decimal(str(value)), "CNY", money_unit_for(user))


@register.filter
def money_number(value: Decimal | float | int | None, user: object = None) -> str:
    """The number half of {{ amount|money:user }} (for a KPI card that sets the unit apart)."""
    if value is None or value == "":
        return ""
    return money_parts(Decimal(str(value)), "CNY", money_unit_for(user))[0]


@register.filter
def money_label(user: object) -> str:
    """The unit half: '万元', '亿元', '元' or 'CNY'."""
    return money_parts(Decimal(0), "CNY", money_unit_for(user))[1]


@register.simple_tag(takes_context=True)
def money_in(context: template.Context, amount: Decimal | float | int | None, currency: str | None = None) -> str:
    """{% money_in row.amount row.currency %}: money of any currency in the viewing user's unit."""
    user = context.get("user") or getattr(context.get("request"), "user", None)
    if amount is None or amount == "":
        return ""
    return format_money(Decimal(str(amount)), currency or "CNY", money_unit_for(user))


@register.simple_tag
def rent_at(amount: Decimal | None, basis: str, currency: str | None = None) -> str:
    """{% rent_at lease.current_rent lease.rent_basis lease.currency %}: '3.50 元/㎡·天'."""
    return format_rent(amount, basis, currency)


@register.filter
def rent(obj: object) -> str:
    """{{ lease|rent }}: the rent at its basis, '3.50 元/㎡·天'."""
    amount = getattr(obj, "rent_amount", None)
    currency = getattr(obj, "currency", None) or getattr(obj, "rent_currency", None)
    return format_rent(amount, str(getattr(obj, "rent_basis", "")), currency)


@register.filter
def when(value: object) -> str:
    """Local time as '2026-12-06 16:30' (no seconds, no UTC offset); dates as '2026-12-06'."""
    return format_datetime(value)


@register.filter
def num(value: Decimal | float | int | None, decimal_pos: int | None = None) -> str:
    """A quantity with thousands separators: {{ value|num }} or {{ value|num:1 }}."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = Decimal(value)
        except ArithmeticError:
            return value
    return format_decimal(value, decimal_pos)


@register.filter
def change_value(value: object) -> object:
    """A change-log value (ISO time, decimal text) as people read it: '2026-12-06 16:31', '719,379.00'."""
    return _change_value(value)


@register.simple_tag(takes_context=True)
def form_fields(context: template.Context, form: Any) -> str:
    """{% form_fields form %}: each field as core/includes/form_field.html writes it (core.forms.fields_html)."""
    from parkos.core.forms import fields_html

    return fields_html(form, context) if form else ""


@register.simple_tag(takes_context=True)
def menu_groups(context: template.Context, groups: Any) -> str:
    """{% menu_groups nav_menu %}: the top bar's groups and entries (core.navigation.menu_html)."""
    from parkos.core.navigation import menu_html

    return menu_html(groups or (), context)


@register.simple_tag(takes_context=True)
def table_rows(context: template.Context, table: Any) -> str:
    """{% table_rows table as rows %}: core/table.html's rows (core.tables.render_rows)."""
    from parkos.core.tables import render_rows

    return render_rows(table, context)


@register.simple_tag
def outline(geometry: dict[str, Any] | None) -> str:
    """An inline SVG drawing of a GeoJSON polygon (no map tiles needed offline)."""
    shape = svg_path(geometry)
    if shape is None:
        return ""
    return format_html(
        '<svg class="outline" viewBox="-4 -4 {} {}" width="240" role="img" aria-label="{}">'
        '<path d="{}" fill="rgba(32,107,196,.15)" stroke="#206bc4" stroke-width="2"/></svg>',
        float(shape.width) + 8,
        float(shape.height) + 8,
        _("outline"),
        shape.d,
    )


@register.simple_tag
def static_path(path: str) -> str:
    """{% static_path 'core/parkos.css' %}: ``{% static %}``'s URL, asked of the static files storage once per path
    and process (base.html's ten on every page walked the storage and ``urljoin`` each time, issue 16). Escaped
    like ``{% static %}``'s output; forgotten when the static settings change (tests)."""
    url = _static_urls.get(path)
    if url is None:
        url = _static_urls[path] = StaticNode.handle_simple(path)
    return url


_static_urls: dict[str, str] = {}


@receiver(setting_changed)
def _forget_static_urls(*, setting: str, **kwargs: Any) -> None:
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES", "INSTALLED_APPS"}:
        _static_urls.clear()


@register.simple_tag
def url_name(viewname: str) -> str:
    """{% url_name 'search' %}: ``{% url 'search' %}`` of a URL without arguments, reversed once per URL
    configuration, script prefix and language (core.reversing): base.html's dozen links cost about 100 Python calls
    each through ``{% url %}``, on every page (issue 16). Escaped like ``{% url %}``'s output."""
    from parkos.core.reversing import reverse_name

    return reverse_name(viewname)
