"""Park registry pages: each model's whole UI is one ObjectViews declaration."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from parkos.core.actors import Actor
from parkos.core.permissions import Action
from parkos.core.views.generic import ObjectViews, Related
from parkos.parks import filtersets, forms, resources, tables
from parkos.parks.models import Building, LandParcel, Park, ParkBrand, SpaceUnit
from parkos.parks.selectors import park_figures, scope_park_id_list

#: what apps above parks add to a park's page (the maps app adds the park's map): each is called with the park
#: and the user and gives context; "park_page_panels" in it lists (head, body, scripts) template names
park_page_extras: list[Callable[[Park, Any], dict[str, Any]]] = []


def _parcels_with_holder(user: Actor | None) -> QuerySet[LandParcel]:
    """A park page's parcels panel: the parcels the user sees, with their holders (the one related column shown);
    only the columns the panel shows (issue 16: every column of two tables was read and compiled for five rows)."""
    return (
        LandParcel.objects.restrict(user)
        .select_related("holder")
        .only("code", "area", "land_use", "holder", "status", "granted", "holder__name")
    )


def _buildings_with_parcel(user: Actor | None) -> QuerySet[Building]:
    """A park page's buildings panel: the buildings the user sees, with what names their parcels (its park's name
    and its code), only the columns the panel shows."""
    return (
        Building.objects.restrict(user)
        .select_related("parcel__park")
        .only(
            "code",
            "name",
            "parcel",
            "use",
            "floor_area",
            "floors",
            "completed",
            "parcel__code",
            "parcel__park",
            "parcel__park__name",
        )
    )


def _parcels_counted(extra: dict[str, Any]) -> int:
    """The parcels panel's count: the page's figures count the same parcels (``restrict()``, this park)."""
    return extra["figures"]["parcels"]  # type: ignore[no-any-return]


def _buildings_counted(extra: dict[str, Any]) -> int:
    """The buildings panel's count: the page's figures count the same buildings (``restrict()``, this park)."""
    return extra["figures"]["buildings"]  # type: ignore[no-any-return]


class ParkBrandViews(ObjectViews):
    model = ParkBrand
    path = "brands"
    table = tables.ParkBrandTable
    filterset = filtersets.ParkBrandFilterSet
    form = forms.ParkBrandForm
    resource = resources.ParkBrandResource
    list_related = ("operator",)
    related = (Related(Park, tables.ParkTable, "brand"),)


class ParkViews(ObjectViews):
    model = Park
    path = "parks"
    table = tables.ParkTable
    filterset = filtersets.ParkFilterSet
    form = forms.ParkForm
    resource = resources.ParkResource
    list_related = ("brand", "operator")
    related = (
        # the panel leaves the park out: its rows need not join it (and read its boundary) as the list's do
        # and the page's figures count the parcels and the buildings already: the full panels need no COUNT
        Related(LandParcel, tables.LandParcelTable, "park", queryset=_parcels_with_holder, count_from=_parcels_counted),
        Related(
            Building,
            tables.BuildingTable,
            "parcel__park",
            filter_param="park",
            queryset=_buildings_with_parcel,
            count_from=_buildings_counted,
        ),
    )
    detail_template = "parks/park_detail.html"
    #: the boundary is drawn on the park's map (park_page_extras), not as a thumbnail
    detail_exclude = (*ObjectViews.detail_exclude, "boundary")

    @classmethod
    def detail_extra(cls, obj, user) -> dict:
        extra: dict[str, Any] = {"figures": park_figures(obj, user), "park_page_panels": []}
        for provider in park_page_extras:
            more = provider(obj, user)
            extra["park_page_panels"] += more.pop("park_page_panels", [])
            extra.update(more)
        return extra


class LandParcelViews(ObjectViews):
    model = LandParcel
    path = "parcels"
    table = tables.LandParcelTable
    filterset = filtersets.LandParcelFilterSet
    form = forms.LandParcelForm
    resource = resources.LandParcelResource
    list_related = ("park", "holder")
    related = (Related(Building, tables.BuildingTable, "parcel"),)


class BuildingViews(ObjectViews):
    model = Building
    path = "buildings"
    table = tables.BuildingTable
    filterset = filtersets.BuildingFilterSet
    form = forms.BuildingForm
    resource = resources.BuildingResource
    list_related = ("parcel__park",)
    related = (Related(SpaceUnit, tables.SpaceUnitTable, "building"),)


class SpaceUnitViews(ObjectViews):
    model = SpaceUnit
    path = "units"
    table = tables.SpaceUnitTable
    filterset = filtersets.SpaceUnitFilterSet
    form = forms.SpaceUnitForm
    resource = resources.SpaceUnitResource
    list_related = ("building",)

    @classmethod
    def queryset(cls, user: Actor | None, action: str = Action.VIEW) -> QuerySet[SpaceUnit]:
        """As ``restrict()``, with a park-scoped user's parks as literal ids (see ``scope_park_id_list``)."""
        park_ids = scope_park_id_list(user, SpaceUnit, action)
        if park_ids is None:
            return super().queryset(user, action)
        return SpaceUnit.objects.filter(building__parcel__park__in=park_ids).select_related(*cls.list_related)
