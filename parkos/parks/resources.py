"""Park registry import/export columns. Parks and brands by code, parcels by park code + parcel number."""

from import_export import fields

from parkos.core.resources import PrimaryResource, VisibleForeignKeyWidget, register
from parkos.directory.models import Organization
from parkos.parks.models import Building, LandParcel, Park, ParkBrand, SpaceUnit


@register
class ParkBrandResource(PrimaryResource):
    operator = fields.Field("operator", "operator", VisibleForeignKeyWidget(Organization, "name"))

    class Meta(PrimaryResource.Meta):
        model = ParkBrand
        fields = ("code", "name", "name_en", "operator", "description")
        import_id_fields = ("code",)


@register
class ParkResource(PrimaryResource):
    brand = fields.Field("brand", "brand", VisibleForeignKeyWidget(ParkBrand, "code"))
    operator = fields.Field("operator", "operator", VisibleForeignKeyWidget(Organization, "name"))

    class Meta(PrimaryResource.Meta):
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
        import_id_fields = ("code",)


class ParcelWidget(VisibleForeignKeyWidget):
    """A parcel is named 'PARK-CODE/PARCEL-NUMBER' in files."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        park_code, sep, number = str(value).partition("/")
        if not sep:
            raise ValueError(f"Name the parcel as PARK-CODE/PARCEL-NUMBER, not '{value}'.")
        try:
            return self.get_queryset(value, row).get(park__code=park_code, code=number)
        except LandParcel.DoesNotExist as exc:
            raise ValueError(f"No parcel '{number}' in park '{park_code}' that you can see.") from exc

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else f"{value.park.code}/{value.code}"


@register
class LandParcelResource(PrimaryResource):
    park = fields.Field("park", "park", VisibleForeignKeyWidget(Park, "code"))
    holder = fields.Field("holder", "holder", VisibleForeignKeyWidget(Organization, "name"))

    class Meta(PrimaryResource.Meta):
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
        import_id_fields = ("park", "code")


@register
class BuildingResource(PrimaryResource):
    parcel = fields.Field("parcel", "parcel", ParcelWidget(LandParcel, "code"))

    class Meta(PrimaryResource.Meta):
        model = Building
        fields = ("parcel", "code", "name", "use", "floor_area", "floors", "completed", "geometry")
        import_id_fields = ("parcel", "code")

    def get_queryset(self):
        return super().get_queryset().select_related("parcel__park")


@register
class SpaceUnitResource(PrimaryResource):
    building = fields.Field("building", "building", VisibleForeignKeyWidget(Building, "pk"))

    class Meta(PrimaryResource.Meta):
        model = SpaceUnit
        fields = ("id", "building", "code", "kind", "floor", "area")
        import_id_fields = ("id",)
