"""Reads with rules for the park registry: figures computed in the database, in one query each."""

from django.db.models import Count, Q, Sum

from parkos.parks.models import Building, LandParcel, SpaceUnit


def park_figures(park, user) -> dict:
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
    return {**land, **buildings, **units, "status": status}
