"""Template helpers for units and geometry."""

from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from parkos.core.geometry import svg_path
from parkos.core.units import AreaUnit, format_area

register = template.Library()


@register.filter
def area(value: Decimal | None, user: object = None) -> str:
    """{{ parcel.area|area:user }}: m² or mu as the user prefers."""
    return format_area(value, getattr(user, "area_unit", AreaUnit.SQUARE_METRE))


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
