"""GeoJSON polygon validation and measurement."""

import pytest
from django.core.exceptions import ValidationError

from parkos.core.geometry import centroid, polygon_area_m2, svg_path, validate_polygon

# About 1 km x 1 km near Zhangjiang, Shanghai (0.0105° of longitude at 31.2° N is ~1 km).
SQUARE_KM = {
    "type": "Polygon",
    "coordinates": [[[121.60, 31.20], [121.6105, 31.20], [121.6105, 31.209], [121.60, 31.209], [121.60, 31.20]]],
}


def test_a_square_kilometre_measures_about_a_million_square_metres():
    assert polygon_area_m2(SQUARE_KM) == pytest.approx(1_000_000, rel=0.01)


def test_centroid_and_outline():
    lon, lat = centroid(SQUARE_KM)
    assert lon == pytest.approx(121.60525) and lat == pytest.approx(31.2045)
    shape = svg_path(SQUARE_KM)
    assert shape is not None and shape.d.startswith("M") and shape.d.endswith("Z")


@pytest.mark.parametrize(
    ("geometry", "code"),
    [
        ({"type": "Point", "coordinates": [121.6, 31.2]}, "type"),
        ({"type": "Polygon", "coordinates": [[[121.6, 31.2], [121.7, 31.2], [121.6, 31.2]]]}, "ring"),
        (
            {
                "type": "Polygon",
                "coordinates": [[[31.2, 121.6], [31.3, 121.6], [31.3, 121.7], [31.2, 121.6]]],
            },
            "range",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[121.6, 31.2], [121.7, 31.2], [121.7, 31.3], [121.6, 31.3]]],
            },
            "closed",
        ),
    ],
)
def test_invalid_polygons_are_refused_with_a_reason(geometry, code):
    with pytest.raises(ValidationError) as info:
        validate_polygon(geometry)
    assert info.value.code == code
