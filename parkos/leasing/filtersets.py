"""Leasing filter sets (list pages and API)."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from parkos.core.filtersets import PrimaryFilterSet, RelatedFilter
from parkos.directory.models import Organization
from parkos.leasing.models import Lease, RentTerm, Sale
from parkos.parks.models import Building, Park, ParkBrand, SpaceUnit


class LeaseFilterSet(PrimaryFilterSet):
    park = RelatedFilter(Park, label=_("Park"))
    brand = RelatedFilter(ParkBrand, field_name="park__brand", label=_("Brand"))
    tenant = RelatedFilter(Organization, label=_("Tenant"))
    unit = RelatedFilter(SpaceUnit, field_name="units", distinct=True, label=_("Space unit"))
    building = RelatedFilter(Building, field_name="units__building", distinct=True, label=_("Building"))
    renewal_of = RelatedFilter(Lease, label=_("Renewal of"))
    held_on = django_filters.DateFilter(method="filter_held_on", label=_("Holds its units on"))
    start_from = django_filters.DateFilter(field_name="start_date", lookup_expr="gte", label=_("Starts from"))
    start_to = django_filters.DateFilter(field_name="start_date", lookup_expr="lte", label=_("Starts until"))
    holding = django_filters.BooleanFilter(method="filter_holding", label=_("Holds space (not an intent)"))
    first_lease = django_filters.BooleanFilter(method="filter_first_lease", label=_("The tenant's first lease"))

    class Meta:
        model = Lease
        fields = (
            "q",
            "status",
            "park",
            "brand",
            "tenant",
            "unit",
            "building",
            "rent_basis",
            "currency",
            "held_on",
            "start_from",
            "start_to",
            "renewal_of",
            "holding",
            "first_lease",
        )

    def filter_holding(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(status__in=Lease.HOLDING) if value else queryset.exclude(status__in=Lease.HOLDING)

    def filter_first_lease(self, queryset, name, value):
        """Leases holding space that start no later than any other holding lease of their tenant (new tenants)."""
        if value is None:
            return queryset
        earlier = Lease.objects.filter(
            tenant=OuterRef("tenant"), status__in=Lease.HOLDING, start_date__lt=OuterRef("start_date")
        )
        first = Q(status__in=Lease.HOLDING) & ~Q(Exists(earlier))
        return queryset.filter(first) if value else queryset.exclude(first)

    def filter_held_on(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status__in=Lease.HOLDING, start_date__lte=value).filter(
            Q(effective_end__isnull=True) | Q(effective_end__gte=value)
        )


class RentTermFilterSet(PrimaryFilterSet):
    lease = RelatedFilter(Lease, label=_("Lease"))
    park = RelatedFilter(Park, field_name="lease__park", label=_("Park"))

    class Meta:
        model = RentTerm
        fields = ("q", "lease", "park")


class SaleFilterSet(PrimaryFilterSet):
    park = RelatedFilter(Park, label=_("Park"))
    brand = RelatedFilter(ParkBrand, field_name="park__brand", label=_("Brand"))
    buyer = RelatedFilter(Organization, label=_("Buyer"))
    unit = RelatedFilter(SpaceUnit, field_name="units", distinct=True, label=_("Space unit"))
    building = RelatedFilter(Building, label=_("Building sold"))
    contract_from = django_filters.DateFilter(field_name="contract_date", lookup_expr="gte", label=_("Contract from"))
    contract_to = django_filters.DateFilter(field_name="contract_date", lookup_expr="lte", label=_("Contract until"))
    holding = django_filters.BooleanFilter(method="filter_holding", label=_("Holds space (signed or completed)"))

    class Meta:
        model = Sale
        fields = (
            "q",
            "status",
            "park",
            "brand",
            "buyer",
            "unit",
            "building",
            "contract_from",
            "contract_to",
            "holding",
        )

    def filter_holding(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(status__in=Sale.HOLDING) if value else queryset.exclude(status__in=Sale.HOLDING)
