"""Reads with rules for the maps: which parks a map shows, and its compact GeoJSON with every layer's classes.

One call gives everything a map draws, in a constant number of queries whatever the number of parcels:
parks, parcels and buildings the user may see (``restrict``), each feature carrying its class in every
layer (``LAYERS``), so switching layers in the browser needs no request. Coordinates are rounded to 1e-6
degree and properties kept to short keys, so a brand's map of thousands of parcels stays one small answer.
Nothing outside the user's scope is in it: holders' names only for holders the user may see, grades
only from results the user may see.

A government partner has a map of its district(s) only (``partner_districts``): the parks, parcels and buildings
there, coloured by land status, grade and the inefficient flag (``PARTNER_LAYERS``), the land efficiency its
cockpit adds up; no holder's name, no occupancy, no disposal case, no link to the operator's pages.
"""

from __future__ import annotations

import datetime
import functools
import math
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parkos.core.actors import Actor
from parkos.core.errors import NotFound
from parkos.core.geometry import centroid
from parkos.core.permissions import Action, Scope, can, scope_of
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


# --- what the user's map reads: ``restrict``, or a government partner's district ------------------------------

#: the layers a government partner's map has (the others' classes are left empty for it)
PARTNER_LAYERS = ("status", "grade", "inefficient")
#: how a row reaches a park's district, for the models a partner's map reads ("": every row, narrowed by the
#: caller through rows of the district); any other model gives a partner no row
PARTNER_PATHS: dict[type[Any], str] = {
    Park: "district",
    LandParcel: "park__district",
    Building: "parcel__park__district",
    ParcelFlag: "parcel__park__district",
    EvaluationResult: "park__district",
    EvaluationRun: "",
}


def partner_districts(user: Actor) -> list[str] | None:
    """The districts of a government partner's map; None for any other user (its map reads through restrict)."""
    from parkos.cockpit.selectors import is_partner
    from parkos.cockpit.selectors import partner_districts as districts_of

    if not is_partner(user):
        return None
    cached: list[str] | None = getattr(user, "_parkos_map_districts", None)
    if cached is None:
        cached = districts_of(user)
        user._parkos_map_districts = cached  # type: ignore[union-attr]  # a per-object cache, not a field
    return cached


def may_see_maps(user: Actor) -> bool:
    """Those who may see parcels, and a government partner with a district."""
    return can(user, LandParcel, Action.VIEW) or bool(partner_districts(user))


def _rows(model: type[Any], user: Actor, action: str = Action.VIEW) -> QuerySet[Any]:
    """The rows of ``model`` the map of ``user`` may read: ``restrict``, or for a government partner the rows
    of its districts' parks, read only, for the models of ``PARTNER_PATHS`` only."""
    districts = partner_districts(user)
    if districts is None:
        return model.objects.restrict(user, action)  # type: ignore[no-any-return]
    path = PARTNER_PATHS.get(model)
    if action != Action.VIEW or path is None:
        return model.objects.none()  # type: ignore[no-any-return]
    if not path:
        return model.objects.all()  # type: ignore[no-any-return]
    return model.objects.filter(**{f"{path}__in": districts})  # type: ignore[no-any-return]


def all_scope_label(user: Actor) -> str:
    """What the map of every park ``user`` may see is called: "All parks" for the operator's staff (parks-wide or
    wider) only; a government partner's district(s) and an enterprise's own parks are not all the parks."""
    if scope_of(user) >= Scope.PARKS:
        return _("All parks")
    districts = partner_districts(user)
    if districts:
        return districts[0] if len(districts) == 1 else _("All my districts")
    return _("My parks")


def all_scope_choice(user: Actor) -> str:
    """The label of the switcher's entry for the map of everything ``user`` sees; "" when that map is one of
    the other entries already (a government partner of one district: its district)."""
    districts = partner_districts(user)
    return "" if districts is not None and len(districts) == 1 else all_scope_label(user)


def visible_parks(user: Actor) -> QuerySet[Park]:
    """The parks whose maps ``user`` may open."""
    return _rows(Park, user)


def layers_for(user: Actor) -> list[tuple[str, Any]]:
    """The layers ``user`` may colour a map by."""
    if partner_districts(user) is None:
        return list(LAYERS)
    return [(key, label) for key, label in LAYERS if key in PARTNER_LAYERS]


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
    parks = _rows(Park, user).order_by("name")
    try:
        if park not in (None, ""):
            found = parks.get(pk=int(park))
            return MapScope("park", str(found.pk), found.name, [found], found)
        if brand not in (None, ""):
            chosen = _rows(ParkBrand, user).get(pk=int(brand))
            return MapScope("brand", str(chosen.pk), chosen.name, list(parks.filter(brand=chosen)), chosen)
    except (ValueError, TypeError, Park.DoesNotExist, ParkBrand.DoesNotExist) as exc:
        raise NotFound(_("No such park or brand, or none you may see.")) from exc
    districts = partner_districts(user)
    if everything and districts and len(districts) == 1:
        district = districts[0]  # a government partner's map of every park it sees is its district's
    if district:
        in_district = list(parks.filter(district=district))
        if in_district:
            return MapScope("district", district, district, in_district)
    if everything:
        every = list(parks)
        if every:
            return MapScope("all", "1", all_scope_label(user), every)
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


def building_space(
    user: Actor, park_ids: list[int], date: datetime.date, *, building_ids: list[int] | None = None
) -> dict[int, Space]:
    """Per building: the lettable area of the units ``user`` sees and the area a lease or sale holds (3 queries).

    ``building_ids``: only these buildings (a viewport's, one parcel's).
    """
    units = _rows(SpaceUnit, user).filter(building__parcel__park__in=park_ids)
    if building_ids is not None:
        units = units.filter(building__in=building_ids)
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


def parcel_space(user: Actor, park_ids: list[int], date: datetime.date) -> dict[int, Space]:
    """Per parcel: the lettable area of the units ``user`` sees in its buildings and the area a lease or sale
    holds, summed in the database (one query, a row per parcel with units: a brand map's buildings are not
    read one by one)."""
    units = _rows(SpaceUnit, user).filter(building__parcel__park__in=park_ids, building__in=_rows(Building, user))
    leased_ids, sold_q = held_unit_ids(date)
    held = Q(pk__in=leased_ids) | (sold_q & ~Q(pk__in=leased_ids))
    space: dict[int, Space] = {}
    for parcel_id, lettable, occupied in (
        units.values_list("building__parcel_id")
        .annotate(lettable=Sum("area"), occupied=Sum("area", filter=held))
        .order_by()
    ):
        space[parcel_id] = Space(lettable or Decimal(0), occupied or Decimal(0))
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


def latest_grades(
    user: Actor, park_ids: list[int], holder_ids: set[int] | QuerySet[Any, Any]
) -> tuple[int | None, dict[int, str]]:
    """The year of the latest finished run with results in these parks, and each holder's grade in it."""
    results = _rows(EvaluationResult, user)
    run = (
        _rows(EvaluationRun, user)
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


#: a map's first answer carries its buildings up to this many; beyond, the browser asks for the buildings of
#: its viewport (``map_buildings``) from zoom ``BUILDINGS_ZOOM`` on, where they are big enough to see
INLINE_BUILDINGS = 2_000
BUILDINGS_ZOOM = 16
#: the widest viewport (degrees of longitude or latitude) the buildings endpoint answers: at zoom 16 a 4K
#: screen shows about 0.08 degree
MAX_BBOX_DEGREES = 0.5
#: a building is in a viewport when its first corner lies within this margin of it (about 500 m): buildings
#: have no spatial index, their first corner is read from the stored GeoJSON
BBOX_MARGIN = 0.005


@dataclass(frozen=True)
class BBox:
    """A viewport in WGS-84 degrees: west, south, east, north."""

    west: float
    south: float
    east: float
    north: float


def parse_bbox(text: str | None) -> BBox:
    """``west,south,east,north`` in degrees; ValidationError (``bbox``) naming what is wrong."""
    if not text:
        raise ValidationError({"bbox": [_("Give the viewport as bbox=west,south,east,north in degrees.")]})
    parts = str(text).split(",")
    try:
        if len(parts) != 4:
            raise ValueError
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise ValidationError(
            {"bbox": [_("“%(bbox)s” is not four numbers west,south,east,north.") % {"bbox": text[:100]}]}
        ) from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise ValidationError({"bbox": [_("The viewport's corners must be finite numbers.")]})
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        raise ValidationError({"bbox": [_("Longitudes run from -180 to 180, latitudes from -90 to 90.")]})
    if west >= east or south >= north:
        raise ValidationError({"bbox": [_("West must be less than east and south less than north.")]})
    if east - west > MAX_BBOX_DEGREES or north - south > MAX_BBOX_DEGREES:
        raise ValidationError(
            {
                "bbox": [
                    _("The viewport is too wide: at most %(max)s degrees each way (zoom in to %(zoom)s or more).")
                    % {"max": MAX_BBOX_DEGREES, "zoom": BUILDINGS_ZOOM}
                ]
            }
        )
    return BBox(west, south, east, north)


@dataclass
class _Lookups:
    """What classes parcels in every layer besides their status: holders the user sees, open flags, latest
    disposal cases, the latest run's grades (a fixed number of queries for any number of parcels)."""

    holders: dict[int, str]
    flagged: set[int]
    disposal: dict[int, str]
    grade_year: int | None
    grades: dict[int, str]

    @classmethod
    def read(
        cls,
        user: Actor,
        park_ids: list[int],
        holder_ids: set[int] | QuerySet[Any, Any],
        parcel_ids: list[int] | None,
        run_park_ids: list[int] | None = None,
    ) -> _Lookups:
        """``holder_ids``: the parcels' holders, a few ids or a subquery (a brand's thousands, not as parameters).
        ``run_park_ids``: the parks whose latest evaluation run grades (``park_ids`` unless given)."""
        visible_holders = _rows(Organization, user).filter(pk__in=holder_ids)
        holders = dict(visible_holders.values_list("pk", "name"))
        flags = _rows(ParcelFlag, user).filter(parcel__park__in=park_ids, cleared_on__isnull=True)
        cases = _rows(DisposalCase, user).filter(parcel__park__in=park_ids)
        if parcel_ids is not None:
            flags, cases = flags.filter(parcel__in=parcel_ids), cases.filter(parcel__in=parcel_ids)
        disposal: dict[int, str] = {}
        for parcel_id, status in cases.order_by("parcel_id", "-opened_on", "-pk").values_list("parcel_id", "status"):
            disposal.setdefault(parcel_id, status)
        graded: set[int] | QuerySet[Any, Any] = set(holders) if len(holders) <= 500 else visible_holders.values("pk")
        if partner_districts(user) is not None:
            graded = holder_ids  # a partner's map: the grade of a parcel of its district, without the holder's name
        grade_year, grades = latest_grades(user, run_park_ids or park_ids, graded)
        return cls(holders, set(flags.values_list("parcel_id", flat=True)), disposal, grade_year, grades)

    def classes(self, parcel: Mapping[str, Any], own: Space | None) -> list[str]:
        """The parcel's class in each layer, in the order of ``LAYERS``."""
        pk = parcel["pk"]
        return [
            parcel["status"],
            occupancy_class(own),
            self.grades.get(parcel["holder_id"], ""),
            "y" if pk in self.flagged else "",
            self.disposal.get(pk, ""),
            "y" if parcel["status"] == Status.IDLE else "",
        ]


def _building_classes(parent: list[str] | None, own: Space | None) -> list[str]:
    """A building takes its parcel's classes, but its own occupancy."""
    classes = [*(parent or [""] * len(LAYERS))]
    classes[1] = occupancy_class(own)
    return classes


def _formatters(user: Actor) -> tuple[Any, Any]:
    """Land and floor area in the user's unit, each value formatted once (parcels of a park often share it)."""
    area_unit = getattr(user, "area_unit", AreaUnit.SQUARE_METRE)
    land = functools.cache(lambda value: format_area_with_mu(value, area_unit))
    floor = functools.cache(lambda value: format_area(value, area_unit))
    return land, floor


def map_data(
    user: Actor,
    scope: MapScope,
    *,
    system: str | None = None,
    full: bool = False,
    run_park_ids: list[int] | None = None,
) -> dict[str, Any]:
    """The first answer of the map of ``scope`` for ``user``: parks, parcels, districts, the legend, and the
    buildings when there are at most ``INLINE_BUILDINGS`` of them (else ``buildings`` is null and the browser
    asks ``map_buildings`` for those of its viewport from zoom ``buildings_zoom`` on).

    Parcels and buildings carry only what drawing needs (id, code, each layer's class); their figures come
    with a click (``map_object``). ``full`` gives every building and every figure (the download).
    Parcel and building outlines are ``coords.RawGeometry`` text: write the answer with ``coords.dumps``.
    ``system`` is the coordinate system of the answer (the base map's, from settings, by default).
    ``run_park_ids``: grade by the latest evaluation run with results in these parks (a bigger scope's), not
    in the scope's own.
    """
    system = system or map_system()
    land, floor = _formatters(user)
    park_ids = scope.park_ids
    parcels = list(
        _rows(LandParcel, user)
        .filter(park__in=park_ids)
        .order_by("park_id", "code")
        .annotate(outline=Cast("geometry", TextField()))
        .values("pk", "park_id", "code", "area", "status", "holder_id", "outline")
    )
    visible_buildings = _rows(Building, user).filter(parcel__park__in=park_ids)
    building_count = visible_buildings.count()
    inline = full or building_count <= INLINE_BUILDINGS
    buildings: list[Mapping[str, Any]] = []
    if inline:
        buildings = list(
            visible_buildings.order_by("parcel_id", "code")
            .annotate(outline=Cast("geometry", TextField()))
            .values("pk", "parcel_id", "code", "name", "floor_area", "floors", "outline")
        )
    editable = _rows(LandParcel, user, Action.CHANGE).filter(park__in=park_ids)
    editable_buildings_qs = _rows(Building, user, Action.CHANGE).filter(parcel__park__in=park_ids)
    missing_buildings: list[tuple[int, str]] = []
    if full:
        editable_parcels = set(editable.values_list("pk", flat=True))
        editable_buildings = set(editable_buildings_qs.values_list("pk", flat=True))
    else:  # only the ones without an outline matter (the list to draw them), the panel says the rest
        editable_parcels = set(
            editable.filter(
                pk__in=[p["pk"] for p in parcels if not p["outline"] or p["outline"] == "null"]
            ).values_list("pk", flat=True)
        )
        editable_buildings = set()
        missing_buildings = list(
            editable_buildings_qs.filter(geometry__isnull=True).order_by("parcel_id", "code").values_list("pk", "code")
        )
    holder_ids = (
        {p["holder_id"] for p in parcels if p["holder_id"]}
        if len(parcels) <= 500
        else _rows(LandParcel, user).filter(park__in=park_ids).values("holder_id")
    )
    lookups = _Lookups.read(user, park_ids, holder_ids, None, run_park_ids)
    today = timezone.localdate()
    if inline:  # every building is read: its parcel's sums are its buildings' (3 queries, no fourth)
        space = building_space(user, park_ids, today)
        by_parcel: dict[int, Space] = defaultdict(Space)
        for building in buildings:
            if building["pk"] in space:
                by_parcel[building["parcel_id"]].add(space[building["pk"]])
    else:
        space, by_parcel = {}, parcel_space(user, park_ids, today)
    park_space: dict[int, Space] = defaultdict(Space)
    park_of = {parcel["pk"]: parcel["park_id"] for parcel in parcels}
    for parcel_id, total in by_parcel.items():
        if parcel_id in park_of:
            park_space[park_of[parcel_id]].add(total)

    legend = _legend(lookups.grade_year, set(lookups.grades.values()))
    parcel_features, classes_of, missing = [], {}, []
    parcel_counts: dict[int, int] = defaultdict(int)
    tallies: dict[tuple[str, str], list[Any]] = {}
    for parcel in parcels:
        pk = parcel["pk"]
        parcel_counts[parcel["park_id"]] += 1
        own = by_parcel.get(pk)
        classes = lookups.classes(parcel, own)
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
        properties: dict[str, Any] = {"id": pk, "c": parcel["code"], "L": classes}
        if full:
            holder_id = parcel["holder_id"]
            properties.update(
                p=parcel["park_id"],
                h=lookups.holders.get(holder_id, ""),
                hi=holder_id if holder_id in lookups.holders else None,
                a=land(parcel["area"]),
                o=_percent(own),
                e=1 if pk in editable_parcels else 0,
            )
        parcel_features.append(_feature(geometry, properties))
    legend.count(tallies)
    building_features: list[dict[str, Any]] | None = None
    if inline:
        building_features = []
        for building in buildings:
            own = space.get(building["pk"])
            classes = _building_classes(classes_of.get(building["parcel_id"]), own)
            geometry = coords.text_to_map(building["outline"], system)
            if geometry is None:
                if building["pk"] in editable_buildings:  # full: the list below in the first answer
                    missing.append({"id": building["pk"], "c": building["code"], "k": "building"})
                continue
            properties = {"id": building["pk"], "L": classes}
            if full:
                properties.update(
                    c=building["code"],
                    n=building["name"],
                    q=building["parcel_id"],
                    a=floor(building["floor_area"]),
                    f=building["floors"],
                    o=_percent(own),
                    e=1 if building["pk"] in editable_buildings else 0,
                )
            building_features.append(_feature(geometry, properties))
    if not full:
        missing += [{"id": pk, "c": code, "k": "building"} for pk, code in missing_buildings]
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
                    "a": format_area_with_mu(park.land_area, area_unit(user)),
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
        "grade_year": lookups.grade_year,
        "parks": {"type": "FeatureCollection", "features": park_features},
        "parcels": {"type": "FeatureCollection", "features": parcel_features},
        "buildings": None
        if building_features is None
        else {"type": "FeatureCollection", "features": building_features},
        "buildings_zoom": None if inline else BUILDINGS_ZOOM,
        "building_count": building_count,
        "districts": districts,
        "legend": legend.as_json(),
        "without_outline": len(parcels) - len(parcel_features),
        "missing": missing,
    }


def area_unit(user: Actor) -> Any:
    return getattr(user, "area_unit", AreaUnit.SQUARE_METRE)


def map_buildings(user: Actor, scope: MapScope, bbox: BBox, *, system: str | None = None) -> dict[str, Any]:
    """The buildings of ``scope`` in a viewport (``bbox`` in WGS-84), for a map zoomed in: a FeatureCollection
    with each building's id and classes (as in ``map_data``), in a fixed number of queries.

    A building is in the viewport when its first corner lies in it or within ``BBOX_MARGIN`` of it.
    """
    system = system or map_system()
    park_ids = scope.park_ids
    west, south = bbox.west - BBOX_MARGIN, bbox.south - BBOX_MARGIN
    east, north = bbox.east + BBOX_MARGIN, bbox.north + BBOX_MARGIN
    in_polygon = Q(
        geometry__type="Polygon",
        geometry__coordinates__0__0__0__gte=west,
        geometry__coordinates__0__0__0__lte=east,
        geometry__coordinates__0__0__1__gte=south,
        geometry__coordinates__0__0__1__lte=north,
    )
    in_multipolygon = Q(
        geometry__type="MultiPolygon",
        geometry__coordinates__0__0__0__0__gte=west,
        geometry__coordinates__0__0__0__0__lte=east,
        geometry__coordinates__0__0__0__1__gte=south,
        geometry__coordinates__0__0__0__1__lte=north,
    )
    buildings = list(
        _rows(Building, user)
        .filter(parcel__park__in=park_ids, geometry__isnull=False)
        .filter(in_polygon | in_multipolygon)
        .order_by("parcel_id", "code")
        .annotate(outline=Cast("geometry", TextField()))
        .values("pk", "parcel_id", "outline")
    )
    parcel_ids = sorted({b["parcel_id"] for b in buildings})
    parcels = list(_rows(LandParcel, user).filter(pk__in=parcel_ids).values("pk", "status", "holder_id"))
    lookups = _Lookups.read(user, park_ids, {p["holder_id"] for p in parcels if p["holder_id"]}, parcel_ids)
    space = building_space(user, park_ids, timezone.localdate(), building_ids=[b["pk"] for b in buildings])
    classes_of = {parcel["pk"]: lookups.classes(parcel, None) for parcel in parcels}
    features = []
    for building in buildings:
        geometry = coords.text_to_map(building["outline"], system)
        if geometry is not None:
            classes = _building_classes(classes_of.get(building["parcel_id"]), space.get(building["pk"]))
            features.append(_feature(geometry, {"id": building["pk"], "L": classes}))
    return {"type": "FeatureCollection", "crs": system, "features": features}


def map_object(user: Actor, kind: str, pk: int, *, system: str | None = None) -> dict[str, Any]:
    """The figures of one parcel or building for the map's side panel: its properties as the download has
    them (holder, area, occupancy, floors, may it be edited, each layer's class) and its outline.

    NotFound when there is no such object the user may see.
    """
    system = system or map_system()
    land, floor = _formatters(user)
    model: type[LandParcel] | type[Building] = LandParcel if kind == "parcel" else Building
    if kind not in ("parcel", "building"):
        raise NotFound(_("Outlines are drawn for parcels and buildings only."))
    row = (
        _rows(model, user)
        .filter(pk=pk)
        .annotate(outline=Cast("geometry", TextField()))
        .values("pk", "outline", "parcel_id" if kind == "building" else "pk")
        .first()
    )
    if row is None:
        raise NotFound(_("No such %(model)s, or none you may see.") % {"model": model._meta.verbose_name})
    parcel_id = row["parcel_id"] if kind == "building" else pk
    parcel = (
        _rows(LandParcel, user)
        .filter(pk=parcel_id)
        .values("pk", "park_id", "code", "area", "status", "holder_id")
        .first()
    )
    park_ids = (
        [parcel["park_id"]]
        if parcel
        else list(Building.objects.filter(pk=pk).values_list("parcel__park_id", flat=True))
    )
    buildings = list(
        _rows(Building, user).filter(parcel=parcel_id).values("pk", "code", "name", "floor_area", "floors")
    )
    space = building_space(user, park_ids, timezone.localdate(), building_ids=[b["pk"] for b in buildings])
    parcel_total = Space()
    for building in buildings:
        parcel_total.add(space.get(building["pk"]) or Space())
    own_parcel = parcel_total if any(b["pk"] in space for b in buildings) else None
    lookups = _Lookups.read(
        user, park_ids, {parcel["holder_id"]} if parcel and parcel["holder_id"] else set(), [parcel_id]
    )
    parent = lookups.classes(parcel, own_parcel) if parcel else None
    editable = _rows(model, user, Action.CHANGE).filter(pk=pk).exists()
    properties: dict[str, Any]
    if kind == "parcel" and parcel is not None:
        holder_id = parcel["holder_id"]
        properties = {
            "id": pk,
            "c": parcel["code"],
            "p": parcel["park_id"],
            "h": lookups.holders.get(holder_id, ""),
            "hi": holder_id if holder_id in lookups.holders else None,
            "a": land(parcel["area"]),
            "o": _percent(own_parcel),
            "e": 1 if editable else 0,
            "L": parent,
        }
    else:
        building = next(b for b in buildings if b["pk"] == pk)
        own = space.get(pk)
        properties = {
            "id": pk,
            "c": building["code"],
            "n": building["name"],
            "q": parcel_id,
            "a": floor(building["floor_area"]),
            "f": building["floors"],
            "o": _percent(own),
            "e": 1 if editable else 0,
            "L": _building_classes(parent, own),
        }
    return {"kind": kind, **_feature(coords.text_to_map(row["outline"], system), properties)}


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


def export_collection(user: Actor, scope: MapScope) -> Iterator[str]:
    """The map's parcels and buildings as a plain GeoJSON FeatureCollection in WGS-84, for download, as text
    written a park at a time in pieces of at most ``EXPORT_CHUNK`` features (a StreamingHttpResponse sends
    each as it is written: the first leaves after one park's work, memory holds one park).

    Each feature names what it is (``kind``), its park, parcel and code: what the import matches by.
    Properties carry the layer classes' labels, readable in any GIS tool; grades are the latest run's with
    results in the whole scope, as on the map. Outlines go out as the stored text, rounded, never parsed.
    """
    yield '{"type":"FeatureCollection","features":['
    first = True
    for parks in _export_batches(scope.parks):
        for piece in _export_parks(user, parks, scope.park_ids):
            yield ("" if first else ",") + piece
            first = False
    yield "]}"


def _export_batches(parks: list[Park]) -> Iterator[list[Park]]:
    """The parks in batches of about ``EXPORT_BATCH_PARCELS`` parcels: each batch is one ``map_data`` (a fixed
    number of queries), so few batches cost little more than one, and the first leaves early."""
    counts = dict(
        LandParcel.objects.filter(park__in=[park.pk for park in parks])
        .values_list("park_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    batch: list[Park] = []
    size = 0
    for park in parks:
        batch.append(park)
        size += counts.get(park.pk, 0)
        if size >= EXPORT_BATCH_PARCELS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _export_parks(user: Actor, parks: list[Park], run_park_ids: list[int]) -> Iterator[str]:
    """Some parks' features for the download, as pieces of JSON text without the enclosing brackets."""
    data = map_data(user, MapScope("parks", "", "", parks), system=coords.WGS84, full=True, run_park_ids=run_park_ids)
    park_codes = {park.pk: park.code for park in parks}
    labels = {layer["key"]: {c["key"]: c["label"] for c in layer["classes"]} for layer in data["legend"]}
    parcel_codes = {f["properties"]["id"]: f["properties"]["c"] for f in data["parcels"]["features"]}
    park_of = {f["properties"]["id"]: f["properties"]["p"] for f in data["parcels"]["features"]}
    unseen = {f["properties"]["q"] for f in data["buildings"]["features"]} - set(parcel_codes)
    for pk, park_id, code in LandParcel.objects.filter(pk__in=unseen).values_list("pk", "park_id", "code"):
        parcel_codes[pk], park_of[pk] = code, park_id  # buildings on a parcel without an outline
    chunk: list[dict[str, Any]] = []
    for kind, collection in (("parcel", data["parcels"]), ("building", data["buildings"])):
        for feature in collection["features"]:
            props = feature["properties"]
            parcel_id = props["id"] if kind == "parcel" else props["q"]
            out: dict[str, Any] = {
                "kind": kind,
                "park": park_codes.get(park_of.get(parcel_id, 0), ""),
                "parcel": parcel_codes.get(parcel_id, ""),
                "code": props["c"],
            }
            if kind == "building":
                out["name"] = props["n"]
            else:
                out["holder"] = props["h"]
            out["area"] = props["a"]
            out["occupancy"] = props["o"]
            for layer, key in zip(LAYER_KEYS, props["L"], strict=True):
                # the occupancy layer's band beside the figure, which keeps the plain name
                out[f"{layer}_band" if layer in out else layer] = labels[layer].get(key, "")
            chunk.append(_feature(feature["geometry"], out))
            if len(chunk) >= EXPORT_CHUNK:
                yield coords.dumps(chunk)[1:-1]
                chunk = []
    if chunk:
        yield coords.dumps(chunk)[1:-1]


#: features per piece of the download, and parcels per batch of parks computed at once
EXPORT_CHUNK = 1_000
EXPORT_BATCH_PARCELS = 2_500
