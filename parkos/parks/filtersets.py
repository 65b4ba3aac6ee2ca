"""Park registry filter sets (list pages and API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from parkos.core.filtersets import PrimaryFilterSet, RelatedFilter
from parkos.directory.models import Organization
from parkos.parks.models import Building, LandParcel, Park, ParkBrand, SpaceUnit


class ParkBrandFilterSet(PrimaryFilterSet):
    class Meta:
        model = ParkBrand
        fields = ("q",)


class ParkFilterSet(PrimaryFilterSet):
    brand = RelatedFilter(ParkBrand, label=_("Brand"))
    district = django_filters.CharFilter(lookup_expr="iexact", label=_("District"))
    operator = RelatedFilter(Organization, label=_("Operator"))

    class Meta:
        model = Park
        fields = ("q", "brand", "district", "operator")


class LandParcelFilterSet(PrimaryFilterSet):
    park = RelatedFilter(Park, label=_("Park"))
    brand = RelatedFilter(ParkBrand, field_name="park__brand", label=_("Brand"))
    holder = RelatedFilter(Organization, label=_("Land holder"))
    area_min = django_filters.NumberFilter(field_name="area", lookup_expr="gte", label=_("Area at least (m²)"))
    area_max = django_filters.NumberFilter(field_name="area", lookup_expr="lte", label=_("Area at most (m²)"))

    class Meta:
        model = LandParcel
        fields = ("q", "park", "brand", "status", "land_use", "holder", "area_min", "area_max")


class BuildingFilterSet(PrimaryFilterSet):
    park = RelatedFilter(Park, field_name="parcel__park", label=_("Park"))
    parcel = RelatedFilter(LandParcel, label=_("Parcel"))

    class Meta:
        model = Building
        fields = ("q", "park", "parcel", "use")


class SpaceUnitFilterSet(PrimaryFilterSet):
    park = RelatedFilter(Park, field_name="building__parcel__park", label=_("Park"))
    building = RelatedFilter(Building, label=_("Building"))

    class Meta:
        model = SpaceUnit
        fields = ("q", "park", "building", "kind", "floor")
