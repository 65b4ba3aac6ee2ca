"""Park registry list tables."""

import django_tables2 as tables

from parkos.core.tables import AreaColumn, PrimaryTable
from parkos.parks.models import Building, LandParcel, Park, ParkBrand, SpaceUnit


class ParkBrandTable(PrimaryTable):
    name = tables.Column(linkify=True)
    operator = tables.Column(linkify=True)

    class Meta(PrimaryTable.Meta):
        model = ParkBrand
        fields = ("code", "name", "name_en", "operator")


class ParkTable(PrimaryTable):
    name = tables.Column(linkify=True)
    brand = tables.Column(linkify=True)
    operator = tables.Column(linkify=True)
    land_area = AreaColumn()

    class Meta(PrimaryTable.Meta):
        model = Park
        fields = ("code", "name", "brand", "district", "operator", "land_area")


class LandParcelTable(PrimaryTable):
    code = tables.Column(linkify=True)
    park = tables.Column(linkify=True)
    holder = tables.Column(linkify=True)
    area = AreaColumn()

    class Meta(PrimaryTable.Meta):
        model = LandParcel
        fields = ("code", "park", "area", "land_use", "holder", "status", "granted")


class BuildingTable(PrimaryTable):
    code = tables.Column(linkify=True)
    parcel = tables.Column(linkify=True)
    floor_area = AreaColumn()

    class Meta(PrimaryTable.Meta):
        model = Building
        fields = ("code", "name", "parcel", "use", "floor_area", "floors", "completed")


class SpaceUnitTable(PrimaryTable):
    code = tables.Column(linkify=True)
    building = tables.Column(linkify=True)
    area = AreaColumn()

    class Meta(PrimaryTable.Meta):
        model = SpaceUnit
        fields = ("code", "building", "kind", "floor", "area")
