"""Reads with rules for the park registry: figures computed in the database, in one query each."""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from django.db.models import Count, Q, Sum

from parkos.core.actors import Actor
from parkos.parks.models import Building, LandParcel, Park, SpaceUnit


class ParkFigures(TypedDict):
    """A park page's figures (a mapping: the template reads them by key)."""

    parcels: int
    parcel_area: Decimal | None
    idle_area: Decimal | None
    buildings: int
    floor_area: Decimal | None
    units: int
    unit_area: Decimal | None
    #: (status label, parcels) for every parcel status
    status: list[tuple[str, int]]


def park_figures(park: Park, user: Actor) -> ParkFigures:
    """Land, buildings and units of one park, counted over what the user may see."""
    parcels = LandParcel.objects.restrict(user).filter(park=park)
    land = parcels.aggregate(
        parcels=Count("pk"),
        parcel_area=Sum("area"),
        idle_area=Sum("area", filter=Q(status__in=[LandParcel.Status.IDLE, LandParcel.Status.INEFFICIENT])),
    )
    buildings = (
        Building.objects.restrict(user)
        .filter(parcel__park=park)
        .aggregate(buildings=Count("pk"), floor_area=Sum("floor_area"))
    )
    units = (
        SpaceUnit.objects.restrict(user)
        .filter(building__parcel__park=park)
        .aggregate(units=Count("pk"), unit_area=Sum("area"))
    )
    by_status = dict(parcels.values_list("status").annotate(n=Count("pk")).order_by())
    status = [(label, by_status.get(value, 0)) for value, label in LandParcel.Status.choices]
    return ParkFigures(
        parcels=land["parcels"],
        parcel_area=land["parcel_area"],
        idle_area=land["idle_area"],
        buildings=buildings["buildings"],
        floor_area=buildings["floor_area"],
        units=units["units"],
        unit_area=units["unit_area"],
        status=[(str(label), count) for label, count in status],
    )
