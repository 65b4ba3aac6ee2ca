"""Reads with rules for inefficient land: the land available for promotion and the inefficient-land map."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery, Sum

from parkos.core.actors import Actor
from parkos.core.permissions import Action
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


def inefficient_land_map(user: Actor) -> dict[str, Any]:
    """GeoJSON of the parcels with an open flag or an active case that ``user`` may see, and of their parks.

    Each parcel feature carries its reasons, its case, colours and links for the map's popups; only
    flags and cases the user may see put a parcel on the map.
    """
    flags = ParcelFlag.objects.restrict(user, Action.VIEW).filter(cleared_on__isnull=True)
    cases = DisposalCase.objects.restrict(user, Action.VIEW).exclude(status=DisposalCase.Status.CLOSED)
    reasons: dict[int, list[str]] = {}
    for parcel_id, reason in flags.values_list("parcel_id", "reason").order_by("parcel_id", "reason").distinct():
        reasons.setdefault(parcel_id, []).append(reason)
    active = {row[0]: row[1:] for row in cases.values_list("parcel_id", "pk", "status", "path")}
    ids = set(reasons) | set(active)
    parcels = LandParcel.objects.filter(pk__in=ids).select_related("park", "holder").order_by("park__name", "code")
    features, park_ids = [], set()
    for parcel in parcels:
        park_ids.add(parcel.park_id)
        case = active.get(parcel.pk)
        parcel_reasons = reasons.get(parcel.pk, [])
        colour = CASE_COLOURS[case[1]] if case else REASON_COLOURS[parcel_reasons[0]]
        features.append(
            {
                "type": "Feature",
                "geometry": parcel.geometry,
                "properties": {
                    "id": parcel.pk,
                    "code": parcel.code,
                    "park": parcel.park.name,
                    "holder": str(parcel.holder) if parcel.holder_id else "",
                    "status": parcel.get_status_display(),
                    "reasons": [str(Reason(r).label) for r in parcel_reasons],
                    "reason_keys": parcel_reasons,
                    "url": parcel.get_absolute_url(),
                    "case_url": DisposalCase(pk=case[0]).get_absolute_url() if case else "",
                    "case_status": str(DisposalCase.Status(case[1]).label) if case else "",
                    "case_path": str(DisposalCase.Path(case[2]).label) if case else "",
                    "colour": colour,
                },
            }
        )
    parks = Park.objects.restrict(user, Action.VIEW).filter(pk__in=park_ids, boundary__isnull=False)
    boundaries = [
        {
            "type": "Feature",
            "geometry": park.boundary,
            "properties": {"name": park.name, "url": park.get_absolute_url()},
        }
        for park in parks
    ]
    return {
        "parcels": {"type": "FeatureCollection", "features": [f for f in features if f["geometry"]]},
        "parks": {"type": "FeatureCollection", "features": boundaries},
        "without_geometry": [f["properties"] for f in features if not f["geometry"]],
    }
