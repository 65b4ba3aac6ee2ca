"""GeoJSON polygons (park boundaries, parcels): validation, area, centroid and an SVG outline.

Coordinates are WGS 84 longitude/latitude, as GeoJSON requires. Areas use an equirectangular
projection around the polygon's own latitude: within a park (a few km) it is within 0.5 % of
a geodesic area, which is all a plausibility check needs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARTH_RADIUS_M = 6_371_008.8


#: a GeoJSON object as parsed from JSON
GeoJSON = dict[str, Any]


@dataclass(frozen=True)
class SvgOutline:
    """An SVG path (``d``) and the width and height of its viewBox."""

    d: str
    width: str
    height: str


def _rings(geometry: GeoJSON) -> list[list[list[float]]]:
    """The outer rings of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    return [polygon[0] for polygon in geometry["coordinates"]]


def validate_polygon(value: object) -> None:
    """A GeoJSON Polygon or MultiPolygon with closed rings of at least four lon/lat positions."""
    if value in (None, "", {}):
        return
    if not isinstance(value, dict) or value.get("type") not in {"Polygon", "MultiPolygon"}:
        raise ValidationError(_('Give a GeoJSON object of type "Polygon" or "MultiPolygon".'), code="type")
    coordinates = value.get("coordinates")
    polygons = [coordinates] if value["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise ValidationError(_("The geometry has no coordinates."), code="empty")
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValidationError(_("Each polygon needs at least one ring of positions."), code="ring")
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                raise ValidationError(
                    _("Each ring needs at least four positions (the last equal to the first)."), code="ring"
                )
            for position in ring:
                if (
                    not isinstance(position, list | tuple)
                    or len(position) < 2
                    or not all(isinstance(c, int | float) for c in position[:2])
                ):
                    raise ValidationError(_("Each position is [longitude, latitude]."), code="position")
                lon, lat = position[:2]
                if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                    raise ValidationError(
                        _("Position [%(lon)s, %(lat)s] is off the globe: longitude comes first, then latitude."),
                        code="range",
                        params={"lon": lon, "lat": lat},
                    )
            if list(ring[0][:2]) != list(ring[-1][:2]):
                raise ValidationError(_("A ring must end where it starts."), code="closed")


def polygon_area_m2(geometry: GeoJSON | None) -> float | None:
    """Approximate area in m² of the outer rings (holes ignored)."""
    if not geometry:
        return None
    total = 0.0
    for ring in _rings(geometry):
        lat0 = math.radians(sum(p[1] for p in ring) / len(ring))
        xy = [(math.radians(p[0]) * math.cos(lat0) * EARTH_RADIUS_M, math.radians(p[1]) * EARTH_RADIUS_M) for p in ring]
        total += abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(xy, xy[1:], strict=False))) / 2
    return total


def centroid(geometry: GeoJSON | None) -> tuple[float, float] | None:
    """Mean of the outer ring vertices: good enough to place a marker."""
    if not geometry:
        return None
    points = [p for ring in _rings(geometry) for p in ring[:-1]]
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def svg_path(geometry: GeoJSON | None, size: int = 240) -> SvgOutline | None:
    """An SVG path and viewBox that draw the outline, north up, aspect kept."""
    if not geometry:
        return None
    rings = _rings(geometry)
    points = [p for ring in rings for p in ring]
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    x_scale = math.cos(math.radians((min_y + max_y) / 2))
    width = max((max_x - min_x) * x_scale, 1e-9)
    height = max(max_y - min_y, 1e-9)
    scale = size / max(width, height)
    parts = []
    for ring in rings:
        coords = [f"{(p[0] - min_x) * x_scale * scale:.1f},{(max_y - p[1]) * scale:.1f}" for p in ring]
        parts.append("M" + " L".join(coords) + " Z")
    return SvgOutline(d=" ".join(parts), width=f"{width * scale:.1f}", height=f"{height * scale:.1f}")
