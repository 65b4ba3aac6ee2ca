"""Park registry API endpoints."""

from parkos.core.api.views import PrimaryModelViewSet
from parkos.parks import filtersets
from parkos.parks.api import serializers
from parkos.parks.models import Building, LandParcel, Park, ParkBrand, SpaceUnit


class ParkBrandViewSet(PrimaryModelViewSet):
    queryset = ParkBrand.objects.all()
    serializer_class = serializers.ParkBrandSerializer
    filterset_class = filtersets.ParkBrandFilterSet


class ParkViewSet(PrimaryModelViewSet):
    queryset = Park.objects.all()
    serializer_class = serializers.ParkSerializer
    filterset_class = filtersets.ParkFilterSet


class LandParcelViewSet(PrimaryModelViewSet):
    queryset = LandParcel.objects.select_related("park")
    serializer_class = serializers.LandParcelSerializer
    filterset_class = filtersets.LandParcelFilterSet


class BuildingViewSet(PrimaryModelViewSet):
    queryset = Building.objects.all()
    serializer_class = serializers.BuildingSerializer
    filterset_class = filtersets.BuildingFilterSet


class SpaceUnitViewSet(PrimaryModelViewSet):
    queryset = SpaceUnit.objects.all()
    serializer_class = serializers.SpaceUnitSerializer
    filterset_class = filtersets.SpaceUnitFilterSet
