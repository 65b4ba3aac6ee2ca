"""Park registry import/export columns. Parks and brands by code, parcels by park code + parcel number."""

from django.utils.translation import gettext as _
from import_export import fields

from parkos.core.changelog import current_user
from parkos.core.permissions import Action
from parkos.core.resources import PrimaryResource, VisibleForeignKeyWidget, register
from parkos.directory.resources import OrganizationWidget
from parkos.parks.models import Building, LandParcel, Park, ParkBrand, SpaceUnit


@register
class ParkBrandResource(PrimaryResource):
    operator = fields.Field("operator", "operator", OrganizationWidget())

    class Meta(PrimaryResource.Meta):
        model = ParkBrand
        fields = ("code", "name", "name_en", "operator", "description")
        import_id_fields = ("code",)


@register
class ParkResource(PrimaryResource):
    brand = fields.Field("brand", "brand", VisibleForeignKeyWidget(ParkBrand, "code"))
    operator = fields.Field("operator", "operator", OrganizationWidget())

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

    #: the keys an export reads in one query (core.spreadsheets), joined by '/'
    export_lookups = ("park__code", "code")

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        park_code, sep, number = str(value).partition("/")
        if not sep:
            raise ValueError(_("Name the parcel as PARK-CODE/PARCEL-NUMBER, not '%(value)s'.") % {"value": value})
        try:
            return self.get_queryset(value, row).get(park__code=park_code, code=number)
        except LandParcel.DoesNotExist as exc:
            raise ValueError(
                _("No parcel '%(number)s' in park '%(park)s' that you can see.") % {"number": number, "park": park_code}
            ) from exc

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else f"{value.park.code}/{value.code}"


@register
class LandParcelResource(PrimaryResource):
    park = fields.Field("park", "park", VisibleForeignKeyWidget(Park, "code"))
    holder = fields.Field("holder", "holder", OrganizationWidget())

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


class BuildingWidget(VisibleForeignKeyWidget):
    """A building as 'PARK-CODE/BUILDING-CODE' (e.g. 'lg-ic/B1'); a bare number is still read as its ID."""

    #: the keys an export reads in one query (core.spreadsheets), joined by '/'
    export_lookups = ("parcel__park__code", "code")

    def __init__(self):
        super().__init__(Building, "code")

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        text = str(value).strip()
        visible = Building.objects.restrict(current_user(), Action.VIEW)
        park, sep, code = text.partition("/")
        if sep:
            found = list(visible.filter(parcel__park__code=park.strip(), code=code.strip())[:2])
        elif text.isdigit():
            found = list(visible.filter(pk=int(text)))
        else:
            found = []
        if len(found) != 1:
            raise ValueError(_("No single building '%(key)s' (park/building) that you can see.") % {"key": value})
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else f"{value.parcel.park.code}/{value.code}"


@register
class SpaceUnitResource(PrimaryResource):
    building = fields.Field("building", "building", BuildingWidget())
    alternate_keys = ("building", "code")  # a unit is its building and number when the id is left empty

    class Meta(PrimaryResource.Meta):
        model = SpaceUnit
        fields = ("id", "building", "code", "kind", "floor", "area")
        import_id_fields = ("id",)
