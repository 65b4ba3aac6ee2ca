"""Park registry API serializers."""

from parkos.core.api.serializers import PrimaryModelSerializer
from parkos.parks.models import Building, LandParcel, Park, ParkBrand, SpaceUnit

STAMPS = ("created", "last_updated")


class ParkBrandSerializer(PrimaryModelSerializer):
    class Meta:
        model = ParkBrand
        fields = ("id", "url", "display", "code", "name", "name_en", "operator", "description", *STAMPS)


class ParkSerializer(PrimaryModelSerializer):
    class Meta:
        model = Park
        fields = (
            "id",
            "url",
            "display",
            "code",
            "name",
            "name_en",
            "brand",
            "district",
            "operator",
            "land_area",
            "boundary",
            "established",
            "address",
            "description",
            *STAMPS,
        )


class LandParcelSerializer(PrimaryModelSerializer):
    class Meta:
        model = LandParcel
        fields = (
            "id",
            "url",
            "display",
            "park",
            "code",
            "area",
            "land_use",
            "holder",
            "status",
            "granted",
            "plot_ratio_cap",
            "geometry",
            *STAMPS,
        )


class BuildingSerializer(PrimaryModelSerializer):
    class Meta:
        model = Building
        fields = (
            "id",
            "url",
            "display",
            "parcel",
            "code",
            "name",
            "use",
            "floor_area",
            "floors",
            "completed",
            "geometry",
            *STAMPS,
        )


class SpaceUnitSerializer(PrimaryModelSerializer):
    class Meta:
        model = SpaceUnit
        fields = ("id", "url", "display", "building", "code", "kind", "floor", "area", *STAMPS)
