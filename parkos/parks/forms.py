"""Park registry forms."""

from parkos.core.forms import PrimaryModelForm
from parkos.parks.models import Building, LandParcel, Park, ParkBrand, SpaceUnit


class ParkBrandForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = ParkBrand
        fields = ("code", "name", "name_en", "operator", "description")


class ParkForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Park
        fields = (
            "code",
            "name",
            "name_en",
            "brand",
            "district",
            "operator",
            "land_area",
            "established",
            "address",
            "boundary",
            "description",
        )


class LandParcelForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = LandParcel
        fields = (
            "park",
            "code",
            "area",
            "land_use",
            "holder",
            "status",
            "granted",
            "plot_ratio_cap",
            "geometry",
        )


class BuildingForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Building
        fields = ("parcel", "code", "name", "use", "floor_area", "floors", "completed", "geometry")


class SpaceUnitForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = SpaceUnit
        fields = ("building", "code", "kind", "floor", "area")
