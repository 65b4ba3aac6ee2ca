"""Park registry models in the Django admin (operator admins only)."""

from django.contrib import admin

from parkos.core.admin import PrimaryAdmin
from parkos.parks.models import Building, LandParcel, Park, ParkBrand, SpaceUnit


@admin.register(ParkBrand)
class ParkBrandAdmin(PrimaryAdmin):
    list_display = ("code", "name", "operator")
    search_fields = ("code", "name")


@admin.register(Park)
class ParkAdmin(PrimaryAdmin):
    list_display = ("code", "name", "brand", "district", "land_area")
    list_filter = ("brand", "district")
    search_fields = ("code", "name")


@admin.register(LandParcel)
class LandParcelAdmin(PrimaryAdmin):
    list_display = ("code", "park", "area", "land_use", "status", "holder")
    list_filter = ("status", "land_use", "park")
    search_fields = ("code",)
    raw_id_fields = ("holder",)


@admin.register(Building)
class BuildingAdmin(PrimaryAdmin):
    list_display = ("code", "name", "parcel", "floor_area")
    search_fields = ("code", "name")
    raw_id_fields = ("parcel",)


@admin.register(SpaceUnit)
class SpaceUnitAdmin(PrimaryAdmin):
    list_display = ("code", "building", "floor", "area")
    search_fields = ("code",)
    raw_id_fields = ("building",)
