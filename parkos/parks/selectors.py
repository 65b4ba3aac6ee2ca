"""Reads with rules for the park registry: figures computed in the database, in one query each."""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from django.db.models import Count, Sum

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


def _total(values: list[Decimal]) -> Decimal | None:
    """The sum of ``values``, None for none (as SQL's SUM)."""
    return sum(values[1:], values[0]) if values else None


def park_figures(park: Park, user: Actor) -> ParkFigures:
    """Land, buildings and units of one park, counted over what the user may see."""
    # one grouped query per status gives the counts per status and, added up, the totals (issue 16: two queries)
    per_status = (
        LandParcel.objects.restrict(user)
        .filter(park=park)
        .values_list("status")
        .annotate(n=Count("pk"), area=Sum("area"))
        .order_by()
    )
    by_status: dict[str, int] = {}
    areas: dict[str, Decimal] = {}
    for value, n, area in per_status:
        by_status[value] = n
        if area is not None:  # SUM over no area at all is NULL, as the park's SUM would be
            areas[value] = area
    idle = [areas[value] for value in (LandParcel.Status.IDLE, LandParcel.Status.INEFFICIENT) if value in areas]
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
    status = [(label, by_status.get(value, 0)) for value, label in LandParcel.Status.choices]
    return ParkFigures(
        parcels=sum(by_status.values()),
        parcel_area=_total(list(areas.values())),
        idle_area=_total(idle),
        buildings=buildings["buildings"],
        floor_area=buildings["floor_area"],
        units=units["units"],
        unit_area=units["unit_area"],
        status=[(str(label), count) for label, count in status],
    )
