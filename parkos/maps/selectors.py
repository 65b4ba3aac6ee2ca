"""Reads with rules for the maps: which parks a map shows, and its compact GeoJSON with every layer's classes.

One call gives everything a map draws, in a constant number of queries whatever the number of parcels:
parks, parcels and buildings the user may see (``restrict``), each feature carrying its class in every
layer (``LAYERS``), so switching layers in the browser needs no request. Coordinates are rounded to 1e-6
degree and properties kept to short keys, so a brand's map of thousands of parcels stays one small answer.
Nothing outside the user's scope is in it: holders' names only for holders the user may see, grades
only from results the user may see.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet, Sum, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parkos.core.actors import Actor
from parkos.core.errors import NotFound
from parkos.core.geometry import centroid
from parkos.core.permissions import Action
from parkos.core.units import AreaUnit, format_area, format_area_with_mu, format_decimal
from parkos.directory.models import Organization
from parkos.evaluation.models import EvaluationResult, EvaluationRun
from parkos.land.models import DisposalCase, ParcelFlag
from parkos.leasing.selectors import held_unit_ids
from parkos.maps import coords
from parkos.parks.models import Building, LandParcel, Park, ParkBrand, SpaceUnit

Status = LandParcel.Status

#: the layers a map can be coloured by, in the order of each feature's class list ``L``
LAYERS: tuple[tuple[str, Any], ...] = (
    ("status", gettext_lazy("Land status")),
    ("occupancy", gettext_lazy("Occupancy")),
    ("grade", gettext_lazy("Grade (latest evaluation)")),
    ("inefficient", gettext_lazy("Inefficient land")),
    ("disposal", gettext_lazy("Disposal stage")),
    ("available", gettext_lazy("Available for investment")),
)
LAYER_KEYS = tuple(key for key, _label in LAYERS)

STATUS_COLOURS = {
    Status.IN_USE: "#2fb344",
    Status.IDLE: "#f59f00",
    Status.INEFFICIENT: "#d63939",
    Status.UNDER_DISPOSAL: "#206bc4",
    Status.REDEVELOPED: "#ae3ec9",
}
GRADE_COLOURS = ("#2fb344", "#4299e1", "#f59f00", "#d63939", "#ae3ec9", "#66626c")
NONE_COLOUR = "#adb5bd"
#: occupancy bands: (key, lower bound in %, colour); a band runs to the next one's bound
OCCUPANCY_BANDS = (("o0", 0, "#d63939"), ("o50", 50, "#f59f00"), ("o80", 80, "#74b816"), ("o95", 95, "#2fb344"))
DISPOSAL_COLOURS = {
    DisposalCase.Status.OPEN: "#d63939",
    DisposalCase.Status.IN_PROGRESS: "#f59f00",
    DisposalCase.Status.CLOSED: "#2fb344",
}


@dataclass
class MapScope:
    """What a map shows: a brand, a district or a park, and the parks in it the user may see."""

    kind: str
    key: str
    title: str
    parks: list[Park]
    obj: Park | ParkBrand | None = None

    @property
    def park_ids(self) -> list[int]:
        return [park.pk for park in self.parks]

    @property
    def slug(self) -> str:
        """A file name part: the park's or brand's code, "district" for a district."""
        return str(getattr(self.obj, "code", "") or self.kind)

    def query(self) -> str:
        """The API's query string for this scope."""
        return f"{self.kind}={self.key}"


def map_scope(
    user: Actor, *, park: Any = None, brand: Any = None, district: str | None = None, everything: bool = False
) -> MapScope:
    """The scope of a map, from one of park (id), brand (id), district (name) or every park the user sees.

    NotFound if the user sees none of it.
    """
    parks = Park.objects.restrict(user, Action.VIEW).order_by("name")
    try:
        if park not in (None, ""):
            found = parks.get(pk=int(park))
            return MapScope("park", str(found.pk), found.name, [found], found)
        if brand not in (None, ""):
            chosen = ParkBrand.objects.restrict(user, Action.VIEW).get(pk=int(brand))
            return MapScope("brand", str(chosen.pk), chosen.name, list(parks.filter(brand=chosen)), chosen)
    except (ValueError, TypeError, Park.DoesNotExist, ParkBrand.DoesNotExist) as exc:
        raise NotFound(_("No such park or brand, or none you may see.")) from exc
    if district:
        in_district = list(parks.filter(district=district))
        if in_district:
            return MapScope("district", district, district, in_district)
    if everything:
        every = list(parks)
        if every:
            return MapScope("all", "1", _("All parks"), every)
    raise NotFound(_("Choose a park, a brand or a district you may see."))


# --- figures per building ----------------------------------------------------------------------------------


@dataclass
class Space:
    """Lettable and occupied area of a building, parcel or park on the map's date."""

    lettable: Decimal = Decimal(0)
    occupied: Decimal = Decimal(0)

    def add(self, other: Space) -> None:
        self.lettable += other.lettable
        self.occupied += other.occupied

    @property
    def percent(self) -> float | None:
        return float(self.occupied * 100 / self.lettable) if self.lettable else None


def building_space(user: Actor, park_ids: list[int], date: datetime.date) -> dict[int, Space]:
    """Per building: the lettable area of the units ``user`` sees and the area a lease or sale holds (3 queries)."""
    units = SpaceUnit.objects.restrict(user, Action.VIEW).filter(building__parcel__park__in=park_ids)
    leased_ids, sold_q = held_unit_ids(date)
    space: dict[int, Space] = defaultdict(Space)

    def by_building(queryset: QuerySet[SpaceUnit]) -> list[tuple[int, Decimal]]:
        return list(queryset.values_list("building_id").annotate(area=Sum("area")).order_by())

    for building_id, area in by_building(units):
        space[building_id].lettable = area or Decimal(0)
    for building_id, area in by_building(units.filter(pk__in=leased_ids)):
        space[building_id].occupied += area or Decimal(0)
    for building_id, area in by_building(units.filter(sold_q).exclude(pk__in=leased_ids)):
        space[building_id].occupied += area or Decimal(0)
    return space


def occupancy_class(space: Space | None) -> str:
    percent = space.percent if space else None
    if percent is None:
        return ""
    found = ""
    for key, bound, _colour in OCCUPANCY_BANDS:
        if percent >= bound:
            found = key
    return found


def latest_grades(user: Actor, park_ids: list[int], holder_ids: set[int]) -> tuple[int | None, dict[int, str]]:
    """The year of the latest finished run with results in these parks, and each holder's grade in it."""
    results = EvaluationResult.objects.restrict(user, Action.VIEW)
    run = (
        EvaluationRun.objects.restrict(user, Action.VIEW)
        .filter(status=EvaluationRun.Status.DONE)
        .filter(Exists(results.filter(run=OuterRef("pk"), park__in=park_ids)))
        .order_by("-year", "-finished", "-pk")
        .values_list("pk", "year")
        .first()
    )
    if run is None:
        return None, {}
    grades = results.filter(run=run[0], organization__in=holder_ids).values_list("organization_id", "grade")
    return run[1], {organization: grade for organization, grade in grades if grade}


# --- the map's data -------------------------------------------------------------------------------------------


@dataclass
class Legend:
    """Per layer: its classes in order, each with label, colour, and the parcels (count, area) in it."""

    classes: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    def define(self, layer: str, key: str, label: Any, colour: str) -> None:
        self.classes.setdefault(layer, {})[key] = {"label": str(label), "colour": colour, "n": 0, "area": Decimal(0)}

    def count(self, tallies: dict[tuple[str, str], list[Any]]) -> None:
        """Add tallies {(layer, class): [parcels, area]} (counted by the caller in one pass)."""
        for (layer, key), (n, area) in tallies.items():
            entry = self.classes[layer].get(key)
            if entry is not None:
                entry["n"] += n
                entry["area"] += area

    def as_json(self) -> list[dict[str, Any]]:
        """Layers in order, their numbers formatted by core.units (counts grouped, land in 亩)."""
        return [
            {
                "key": layer,
                "label": str(label),
                "classes": [
                    {
                        "key": key,
                        "label": entry["label"],
                        "colour": entry["colour"],
                        "count": format_decimal(entry["n"]),
                        "area": format_area(entry["area"], AreaUnit.MU) if entry["n"] else "",
                    }
                    for key, entry in self.classes.get(layer, {}).items()
                ],
            }
            for layer, label in LAYERS
        ]


def _legend(grade_year: int | None, grades: set[str]) -> Legend:
    legend = Legend()
    for value, label in Status.choices:
        legend.define("status", value, label, STATUS_COLOURS[Status(value)])
    for index, (key, bound, colour) in enumerate(OCCUPANCY_BANDS):
        upper = OCCUPANCY_BANDS[index + 1][1] if index + 1 < len(OCCUPANCY_BANDS) else None
        if upper is None:
            band = _("%(low)s %% or more") % {"low": format_decimal(bound)}
        else:
            band = _("%(low)s %% to under %(high)s %%") % {"low": format_decimal(bound), "high": format_decimal(upper)}
        legend.define("occupancy", key, band, colour)
    legend.define("occupancy", "", _("No space units"), NONE_COLOUR)
    for index, grade in enumerate(sorted(grades)):
        legend.define("grade", grade, grade, GRADE_COLOURS[min(index, len(GRADE_COLOURS) - 1)])
    legend.define(
        "grade",
        "",
        _("Not graded in %(year)s") % {"year": grade_year} if grade_year else _("No evaluation yet"),
        NONE_COLOUR,
    )
    legend.define("inefficient", "y", _("Flagged inefficient"), "#d63939")
    legend.define("inefficient", "", _("Not flagged"), NONE_COLOUR)
    for value, label in DisposalCase.Status.choices:
        legend.define("disposal", value, label, DISPOSAL_COLOURS[DisposalCase.Status(value)])
    legend.define("disposal", "", _("No disposal case"), NONE_COLOUR)
    legend.define("available", "y", _("Available for investment"), "#2fb344")
    legend.define("available", "", _("Not available"), NONE_COLOUR)
    return legend


def _percent(space: Space | None) -> str:
    percent = space.percent if space else None
    return "" if percent is None else _percent_text(round(percent, 1))


@functools.cache
def _percent_text(percent: float) -> str:
    """'80.0 %', formatted once per value (a brand's thousands of buildings share a few hundred)."""
    return f"{format_decimal(percent, 1)} %"


def _feature(geometry: dict[str, Any] | coords.RawGeometry | None, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def map_data(user: Actor, scope: MapScope, *, system: str | None = None) -> dict[str, Any]:
    """Everything the map of ``scope`` draws for ``user``: parks, parcels, buildings, districts and the legend.

    Parcel and building outlines are ``coords.RawGeometry`` text: write the answer with ``coords.dumps``.

    ``system`` is the coordinate system of the answer (the base map's, from settings, by default).
    """
    system = system or map_system()
    area_unit = getattr(user, "area_unit", AreaUnit.SQUARE_METRE)
    # parcels of one park often share their area, buildings their floor area: format each value once
    land = functools.cache(lambda value: format_area_with_mu(value, area_unit))
    floor = functools.cache(lambda value: format_area(value, area_unit))
    park_ids = scope.park_ids
    parcels = list(
        LandParcel.objects.restrict(user, Action.VIEW)
        .filter(park__in=park_ids)
        .order_by("park_id", "code")
        .annotate(outline=Cast("geometry", TextField()))
        .values("pk", "park_id", "code", "area", "status", "holder_id", "outline")
    )
    buildings = list(
        Building.objects.restrict(user, Action.VIEW)
        .filter(parcel__park__in=park_ids)
        .order_by("parcel_id", "code")
        .annotate(outline=Cast("geometry", TextField()))
        .values("pk", "parcel_id", "parcel__park_id", "code", "name", "floor_area", "floors", "outline")
    )
    editable_parcels = set(
        LandParcel.objects.restrict(user, Action.CHANGE).filter(park__in=park_ids).values_list("pk", flat=True)
    )
    editable_buildings = set(
        Building.objects.restrict(user, Action.CHANGE).filter(parcel__park__in=park_ids).values_list("pk", flat=True)
    )
    holder_ids = {p["holder_id"] for p in parcels if p["holder_id"]}
    holders = dict(Organization.objects.restrict(user, Action.VIEW).filter(pk__in=holder_ids).values_list("pk", "name"))
    flagged = set(
        ParcelFlag.objects.restrict(user, Action.VIEW)
        .filter(parcel__park__in=park_ids, cleared_on__isnull=True)
        .values_list("parcel_id", flat=True)
    )
    disposal: dict[int, str] = {}
    for parcel_id, status in (
        DisposalCase.objects.restrict(user, Action.VIEW)
        .filter(parcel__park__in=park_ids)
        .order_by("parcel_id", "-opened_on", "-pk")
        .values_list("parcel_id", "status")
    ):
        disposal.setdefault(parcel_id, status)
    grade_year, grades = latest_grades(user, park_ids, set(holders))
    space = building_space(user, park_ids, timezone.localdate())

    parcel_space: dict[int, Space] = defaultdict(Space)
    park_space: dict[int, Space] = defaultdict(Space)
    for building in buildings:
        own = space.get(building["pk"])
        if own:
            parcel_space[building["parcel_id"]].add(own)
            park_space[building["parcel__park_id"]].add(own)

    legend = _legend(grade_year, set(grades.values()))
    parcel_features, classes_of, missing = [], {}, []
    parcel_counts: dict[int, int] = defaultdict(int)
    tallies: dict[tuple[str, str], list[Any]] = {}
    for parcel in parcels:
        pk = parcel["pk"]
        parcel_counts[parcel["park_id"]] += 1
        own = parcel_space.get(pk)
        classes = [
            parcel["status"],
            occupancy_class(own),
            grades.get(parcel["holder_id"], ""),
            "y" if pk in flagged else "",
            disposal.get(pk, ""),
            "y" if parcel["status"] == Status.IDLE else "",
        ]
        classes_of[pk] = classes
        area = parcel["area"] or Decimal(0)
        for layer_key in zip(LAYER_KEYS, classes, strict=True):
            tally = tallies.get(layer_key)
            if tally is None:
                tallies[layer_key] = [1, area]
            else:
                tally[0] += 1
                tally[1] += area
        geometry = coords.text_to_map(parcel["outline"], system)
        if geometry is None:
            if pk in editable_parcels:
                missing.append({"id": pk, "c": parcel["code"], "k": "parcel"})
            continue
        parcel_features.append(
            _feature(
                geometry,
                {
                    "id": pk,
                    "c": parcel["code"],
                    "p": parcel["park_id"],
                    "h": holders.get(parcel["holder_id"], ""),
                    "hi": parcel["holder_id"] if parcel["holder_id"] in holders else None,
                    "a": land(parcel["area"]),
                    "o": _percent(own),
                    "e": 1 if pk in editable_parcels else 0,
                    "L": classes,
                },
            )
        )
    legend.count(tallies)
    building_features = []
    for building in buildings:
        parent = classes_of.get(building["parcel_id"], [""] * len(LAYERS))
        own = space.get(building["pk"])
        classes = [*parent]
        classes[1] = occupancy_class(own)
        geometry = coords.text_to_map(building["outline"], system)
        if geometry is None:
            if building["pk"] in editable_buildings:
                missing.append({"id": building["pk"], "c": building["code"], "k": "building"})
            continue
        building_features.append(
            _feature(
                geometry,
                {
                    "id": building["pk"],
                    "c": building["code"],
                    "n": building["name"],
                    "q": building["parcel_id"],
                    "a": floor(building["floor_area"]),
                    "f": building["floors"],
                    "o": _percent(own),
                    "e": 1 if building["pk"] in editable_buildings else 0,
                    "L": classes,
                },
            )
        )
    park_features, by_district = [], defaultdict(list)
    for park in scope.parks:
        boundary = coords.to_map(park.boundary, system)
        point = centroid(boundary)
        if point:
            by_district[park.district].append(point)
        own = park_space.get(park.pk)
        park_features.append(
            _feature(
                boundary,
                {
                    "id": park.pk,
                    "n": park.name,
                    "d": park.district,
                    "a": format_area_with_mu(park.land_area, area_unit),
                    "np": format_decimal(parcel_counts.get(park.pk, 0)),
                    "o": _percent(own),
                    "L": ["", occupancy_class(own), "", "", "", ""],
                },
            )
        )
    districts = [
        {"n": name, "at": [sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)]}
        for name, points in sorted(by_district.items())
    ]
    return {
        "crs": system,
        "grade_year": grade_year,
        "parks": {"type": "FeatureCollection", "features": park_features},
        "parcels": {"type": "FeatureCollection", "features": parcel_features},
        "buildings": {"type": "FeatureCollection", "features": building_features},
        "districts": districts,
        "legend": legend.as_json(),
        "without_outline": len(parcels) - len(parcel_features),
        "missing": missing,
    }


def map_system() -> str:
    """The base map's coordinate system (settings.PARKOS_MAP_CRS); WGS-84 when unset or unknown."""
    system = str(getattr(settings, "PARKOS_MAP_CRS", coords.WGS84))
    return system if system in coords.SYSTEMS else coords.WGS84


def base_map() -> dict[str, Any]:
    """The tile source the operator configured (settings), or ``{"url": ""}``: the map then draws without one."""
    return {
        "url": settings.PARKOS_MAP_TILES,
        "attribution": settings.PARKOS_MAP_ATTRIBUTION,
        "subdomains": settings.PARKOS_MAP_SUBDOMAINS,
        "maxZoom": settings.PARKOS_MAP_MAX_ZOOM,
        "crs": map_system(),
    }


def tile_origin() -> str:
    """The tile server's origin for the Content-Security-Policy ("https://*.example.com" for a {s} template)."""
    parts = urlsplit(str(settings.PARKOS_MAP_TILES).replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


def object_urls() -> dict[str, str]:
    """Link patterns for the side panel ("0" stands for the id): the browser fills them in."""
    return {
        "park": reverse("parks:park", kwargs={"pk": 0}),
        "parcel": reverse("parks:landparcel", kwargs={"pk": 0}),
        "building": reverse("parks:building", kwargs={"pk": 0}),
        "holder": reverse("directory:organization", kwargs={"pk": 0}),
        "parkMap": reverse("maps:park", kwargs={"pk": 0}),
    }


def export_collection(user: Actor, scope: MapScope) -> dict[str, Any]:
    """The map's parcels and buildings as a plain GeoJSON FeatureCollection in WGS-84, for download.

    Each feature names what it is (``kind``), its park, parcel and code: what the import matches by.
    Properties carry the layer classes' labels, readable in any GIS tool.
    """
    data = map_data(user, scope, system=coords.WGS84)
    labels = {layer["key"]: {c["key"]: c["label"] for c in layer["classes"]} for layer in data["legend"]}
    park_codes = {park.pk: park.code for park in scope.parks}
    parcel_of: dict[int, tuple[int, str]] = {
        f["properties"]["id"]: (f["properties"]["p"], f["properties"]["c"]) for f in data["parcels"]["features"]
    }
    parcel_of.update(
        {
            pk: (park_id, code)
            for pk, park_id, code in LandParcel.objects.filter(
                pk__in={f["properties"]["q"] for f in data["buildings"]["features"]} - set(parcel_of)
            ).values_list("pk", "park_id", "code")
        }
    )
    features = []
    for kind, collection in (("parcel", data["parcels"]), ("building", data["buildings"])):
        for feature in collection["features"]:
            props = feature["properties"]
            park_id, parcel_code = parcel_of.get(props["id"] if kind == "parcel" else props["q"], (None, ""))
            out: dict[str, Any] = {"kind": kind, "park": park_codes.get(park_id or 0, ""), "parcel": parcel_code}
            if kind == "building":
                out["code"] = props["c"]
                out["name"] = props["n"]
            else:
                out["code"] = props["c"]
                out["holder"] = props["h"]
            out["area"] = props["a"]
            out["occupancy"] = props["o"]
            for layer, key in zip(LAYER_KEYS, props["L"], strict=True):
                out[layer] = labels[layer].get(key, "")
            features.append(_feature(feature["geometry"].parsed(), out))
    return {"type": "FeatureCollection", "features": features}
