"""Reads with rules for inefficient land: the land available for promotion and the inefficient-land map."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum

from parkos.core.actors import Actor
from parkos.core.permissions import Action
from parkos.core.reversing import reverse_pk
from parkos.land.models import DisposalCase, ParcelFlag
from parkos.parks.models import LandParcel, Park

Status = LandParcel.Status
Reason = ParcelFlag.Reason


def available_land(user: Actor) -> QuerySet[LandParcel]:
    """Parcels available for investment promotion (idle) that ``user`` may see, with their floor area."""
    last_closed = DisposalCase.objects.filter(parcel=OuterRef("pk"), status=DisposalCase.Status.CLOSED).order_by(
        "-closed_on", "-pk"
    )
    parcels: QuerySet[LandParcel] = (
        LandParcel.objects.restrict(user, Action.VIEW)
        .filter(status=Status.IDLE)
        .select_related("park", "holder")
        .annotate(
            floor_area=Subquery(
                LandParcel.objects.filter(pk=OuterRef("pk"))
                .annotate(total=Sum("buildings__floor_area"))
                .values("total")[:1],
                output_field=models.DecimalField(max_digits=14, decimal_places=2),
            ),
            returned_on=Subquery(last_closed.values("closed_on")[:1]),
            returned_by_case=Subquery(last_closed.values("pk")[:1]),
        )
        .order_by("park__name", "code")
    )
    return parcels


#: map colours per flag reason and per case status (Tabler's palette)
REASON_COLOURS: dict[str, str] = {
    Reason.BOTTOM_GRADE: "#d63939",
    Reason.LOW_TAX: "#f76707",
    Reason.IDLE: "#f59f00",
    Reason.LOW_INTENSITY: "#ae3ec9",
    Reason.MANUAL: "#66626c",
}
CASE_COLOURS: dict[str, str] = {
    DisposalCase.Status.OPEN: "#206bc4",
    DisposalCase.Status.IN_PROGRESS: "#4299e1",
}


#: coordinates on the inefficient-land map are rounded to 1e-6 degree (about 0.1 m, as on the maps app's maps): a
#: corner moves by at most 5 cm, a thousandth of a pixel at the map's first view (about 60 m a pixel) and a
#: fortieth zoomed to a park (about 2 m), for one digit in eight fewer
DECIMALS = 6


def _rounded(coordinates: Any) -> Any:
    """A GeoJSON coordinates array with every number rounded to ``DECIMALS``."""
    if coordinates and isinstance(coordinates[0], int | float):
        return [round(float(number), DECIMALS) for number in coordinates]
    return [_rounded(part) for part in coordinates]


def _geometry(geometry: Any) -> dict[str, Any] | None:
    """A stored outline for the map, rounded; None when there is none (the parcel is listed beside the map)."""
    if not geometry:
        return None
    return {**geometry, "coordinates": _rounded(geometry.get("coordinates") or [])}


def inefficient_land_map(user: Actor, flags: QuerySet[ParcelFlag] | None = None) -> dict[str, Any]:
    """GeoJSON of the parcels with an open flag or an active case that ``user`` may see, and of their parks.

    Compact: a parcel feature carries its id, number, park id, holder, status key, reason keys (in key order)
    and its case as ``[id, status, path]``; the page's script reads the words, colours, park names and the
    link patterns once from ``map_words`` (``inefficient_land.js``). Only flags and cases the user may see put
    a parcel on the map; ``without_geometry`` lists the parcels with no outline, as the page lists them;
    ``open_flags`` is the number of open flags the user may see (the page's table counts no more). ``flags``:
    the open flags the user may see, when the caller has them (the page's table: the scope applied once).
    Four queries whatever the number of parcels.
    """
    if flags is None:  # the page passes the open flags of its table: the user's scope applied once
        flags = ParcelFlag.objects.restrict(user, Action.VIEW).filter(cleared_on__isnull=True)
    cases = DisposalCase.objects.restrict(user, Action.VIEW).exclude(status=DisposalCase.Status.CLOSED)
    # every open flag (not DISTINCT in SQL): their number is the flags table's count (``open_flags``)
    found: dict[int, set[str]] = {}
    open_flags = 0
    for parcel_id, reason in flags.values_list("parcel_id", "reason").order_by():
        found.setdefault(parcel_id, set()).add(reason)
        open_flags += 1
    reasons: dict[int, list[str]] = {parcel_id: sorted(keys) for parcel_id, keys in found.items()}
    active: dict[int, list[Any]] = {
        row[0]: list(row[1:]) for row in cases.values_list("parcel_id", "pk", "status", "path")
    }
    ids = set(reasons) | set(active)
    rows = (
        LandParcel.objects.filter(pk__in=ids)
        .order_by("park__name", "code")
        .values_list("pk", "code", "park_id", "park__name", "holder__name", "status", "geometry")
    )
    features: list[dict[str, Any]] = []
    without_geometry: list[dict[str, Any]] = []
    park_names: dict[int, str] = {}
    reason_labels: dict[str, Any] = dict(Reason.choices)
    case_labels: dict[str, Any] = dict(DisposalCase.Status.choices)
    for pk, code, park_id, park_name, holder, status, geometry in rows:
        park_names[park_id] = park_name
        properties: dict[str, Any] = {
            "id": pk,
            "code": code,
            "park": park_id,
            "holder": holder or "",
            "status": status,
            "reasons": reasons.get(pk, []),
        }
        if pk in active:
            properties["case"] = active[pk]
        shape = _geometry(geometry)
        if shape is not None:
            features.append({"type": "Feature", "geometry": shape, "properties": properties})
        else:
            case = active.get(pk)
            without_geometry.append(
                {
                    "url": reverse_pk(LandParcel.url_name(), pk),
                    "park": park_name,
                    "code": code,
                    "reasons": [str(reason_labels[r]) for r in reasons.get(pk, [])],
                    "case_status": str(case_labels[case[1]]) if case else "",
                }
            )
    parks = (
        Park.objects.restrict(user, Action.VIEW)
        .filter(pk__in=park_names, boundary__isnull=False)
        .values_list("name", "boundary")
    )
    boundaries = [
        {"type": "Feature", "geometry": shape, "properties": {"name": name}}
        for name, boundary in parks
        if (shape := _geometry(boundary)) is not None
    ]
    return {
        "parcels": {"type": "FeatureCollection", "features": features},
        "parks": {"type": "FeatureCollection", "features": boundaries},
        "park_names": park_names,
        "without_geometry": without_geometry,
        "open_flags": open_flags,
    }


def inefficient_land_counts(user: Actor, flags: QuerySet[ParcelFlag] | None = None) -> dict[str, int]:
    """The numbers the inefficient-land page shows without its map's data, exact, in one aggregate query:
    ``parcels`` with an open flag or an active case that ``user`` may see (what the map draws or lists) and
    ``open_flags``, the open flags the user may see (the table's rows). ``flags``: those open flags."""
    if flags is None:
        flags = ParcelFlag.objects.restrict(user, Action.VIEW).filter(cleared_on__isnull=True)
    flag_ids = flags.order_by().values("pk")
    cases = DisposalCase.objects.restrict(user, Action.VIEW).exclude(status=DisposalCase.Status.CLOSED)
    counts = (
        LandParcel.objects.filter(
            Q(pk__in=flags.order_by().values("parcel_id")) | Q(pk__in=cases.order_by().values("parcel_id"))
        )
        .order_by()
        .aggregate(
            parcels=Count("pk", distinct=True),
            open_flags=Count("flags", filter=Q(flags__in=flag_ids), distinct=True),
        )
    )
    return {"parcels": counts["parcels"] or 0, "open_flags": counts["open_flags"] or 0}


def map_words() -> dict[str, Any]:
    """What the inefficient-land map's script reads once for every parcel: link patterns ("0" stands for the id),
    the labels of statuses, reasons, case statuses and paths, and the colours by reason and by case status."""
    return {
        "parcelUrl": reverse_pk(LandParcel.url_name(), 0),
        "caseUrl": reverse_pk(DisposalCase.url_name(), 0),
        "statuses": {key: str(label) for key, label in Status.choices},
        "reasons": {key: str(label) for key, label in Reason.choices},
        "caseStatuses": {key: str(label) for key, label in DisposalCase.Status.choices},
        "casePaths": {key: str(label) for key, label in DisposalCase.Path.choices},
        "reasonColours": REASON_COLOURS,
        "caseColours": CASE_COLOURS,
    }
