"""Coordinates for the base map: WGS-84 ↔ GCJ-02 and compact (rounded) GeoJSON geometry.

ParkOS stores WGS-84 (GeoJSON's system). Base maps licensed in China (AMap, Tencent) are drawn in
GCJ-02, an obfuscated system offset by a few hundred metres; geometry drawn on them is converted
here, on the server, so the browser receives coordinates that sit on the tiles, and outlines edited
on such a map are converted back before they are saved.

The forward formula is the public one, reverse-engineered from leaked code and published many times:
the Krasovsky 1940 ellipsoid (a = 6378245.0 m, e² = 0.00669342162296594323) and two trigonometric
series in the offset from (105°E, 35°N); see https://en.wikipedia.org/wiki/Restrictions_on_geographic_data_in_China
and the MIT-licensed reference implementation https://github.com/googollee/eviltransform (our test
uses its published Shanghai, Shenzhen and Beijing point pairs). Outside China no offset applies.
The inverse has no closed form: it is solved by fixed-point iteration to well under a centimetre.
"""

from __future__ import annotations

import functools
import json
import math
import re
import secrets
from typing import Any

WGS84 = "WGS84"
GCJ02 = "GCJ02"
SYSTEMS = (WGS84, GCJ02)

_A = 6378245.0  # Krasovsky 1940 semi-major axis (m)
_EE = 0.00669342162296594323  # its first eccentricity squared

#: coordinates on the maps are rounded to 1e-6 degree (about 0.1 m): enough for a parcel, half the bytes
DECIMALS = 6


def outside_china(lon: float, lat: float) -> bool:
    """The published rough box: outside it GCJ-02 equals WGS-84."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _offset(lon: float, lat: float) -> tuple[float, float]:
    """The GCJ-02 offset (degrees of longitude, latitude) at a WGS-84 point."""
    x, y = lon - 105.0, lat - 35.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    common = (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    d_lat += common + (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    d_lat += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    d_lon += common + (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    d_lon += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return d_lon, d_lat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    if outside_china(lon, lat):
        return lon, lat
    d_lon, d_lat = _offset(lon, lat)
    return lon + d_lon, lat + d_lat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """The WGS-84 point whose GCJ-02 image is (lon, lat), by fixed-point iteration (converges in a few steps)."""
    if outside_china(lon, lat):
        return lon, lat
    w_lon, w_lat = lon, lat
    for _step in range(30):
        g_lon, g_lat = wgs84_to_gcj02(w_lon, w_lat)
        e_lon, e_lat = g_lon - lon, g_lat - lat
        w_lon, w_lat = w_lon - e_lon, w_lat - e_lat
        if abs(e_lon) < 1e-10 and abs(e_lat) < 1e-10:
            break
    return w_lon, w_lat


def _map_positions(coordinates: Any, convert: Any) -> Any:
    if coordinates and isinstance(coordinates[0], int | float):
        lon, lat = convert(float(coordinates[0]), float(coordinates[1]))
        return [round(lon, DECIMALS), round(lat, DECIMALS)]
    return [_map_positions(part, convert) for part in coordinates]


def _identity(lon: float, lat: float) -> tuple[float, float]:
    return lon, lat


def to_map(geometry: dict[str, Any] | None, system: str = WGS84) -> dict[str, Any] | None:
    """A stored (WGS-84) Polygon or MultiPolygon in the map's system, rounded to ``DECIMALS``."""
    if not geometry or not geometry.get("coordinates"):
        return None
    convert = wgs84_to_gcj02 if system == GCJ02 else _identity
    return {"type": geometry["type"], "coordinates": _map_positions(geometry["coordinates"], convert)}


def from_map(geometry: dict[str, Any] | None, system: str = WGS84) -> dict[str, Any] | None:
    """A geometry drawn on the map (in the map's system) back in WGS-84, for storing.

    Anything that is not a list of positions is passed through unchanged for the model's
    validator to name (a wrong type, a missing ring).
    """
    if system != GCJ02 or not isinstance(geometry, dict):
        return geometry
    try:
        return {**geometry, "coordinates": _map_positions(geometry["coordinates"], gcj02_to_wgs84)}
    except (KeyError, TypeError, IndexError, ValueError):
        return geometry


class RawGeometry:
    """A geometry already written as compact JSON text, put into an answer as it is (see ``dumps``)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def parsed(self) -> Any:
        return json.loads(self.text)


#: a coordinate with more than DECIMALS decimals
_LONG_NUMBER = re.compile(rf"-?\d+\.\d{{{DECIMALS + 1},}}")


def _rounded(match: re.Match[str]) -> str:
    return repr(round(float(match.group(0)), DECIMALS))


@functools.lru_cache(maxsize=65_536)
def _compact(text: str) -> str:
    """Cached by the stored text itself: an outline changes only when its text does (no stale answer)."""
    return _LONG_NUMBER.sub(_rounded, text.replace(" ", ""))


def text_to_map(text: str | None, system: str = WGS84) -> RawGeometry | None:
    """A stored geometry read as JSON text, for the map, without parsing it in the WGS-84 case.

    Reading thousands of outlines as Python lists and writing them back is most of a brand map's time;
    rounding the long numbers in the text gives the same outline to 1e-6 degree (about 0.1 m), and each
    stored text is compacted once per process (``_compact`` is cached by the text). GCJ-02 needs the
    numbers, so that case parses, converts and writes.
    """
    if not text or text == "null":
        return None
    if system == GCJ02:
        geometry = to_map(json.loads(text), system)
        return RawGeometry(json.dumps(geometry, separators=(",", ":"))) if geometry else None
    return RawGeometry(_compact(text))


def dumps(value: Any) -> str:
    """JSON text of ``value`` with every RawGeometry inside it written as it is.

    One pass of the json module's C encoder: each RawGeometry becomes a numbered placeholder string,
    then the placeholders are swapped for the geometries' text.
    """
    raw: list[str] = []
    token = secrets.token_hex(8)  # names come from users: a placeholder they cannot guess

    def placeholder(obj: Any) -> str:
        if isinstance(obj, RawGeometry):
            raw.append(obj.text)
            return f"{token}:{len(raw) - 1}"
        return str(obj)

    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=placeholder)
    return re.sub(f'"{token}:(\\d+)"', lambda m: raw[int(m.group(1))], text)
