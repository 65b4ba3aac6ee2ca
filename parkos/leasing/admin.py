"""Leasing models in the Django admin (operator admins only)."""

from django.contrib import admin

from parkos.core.admin import PrimaryAdmin
from parkos.leasing.models import Lease, RentTerm, Sale


class RentTermInline(admin.TabularInline):
    model = RentTerm
    extra = 0


@admin.register(Lease)
class LeaseAdmin(PrimaryAdmin):
    list_display = ("__str__", "tenant", "park", "start_date", "end_date", "status")
    list_filter = ("status", "park")
    search_fields = ("reference", "tenant__name")
    raw_id_fields = ("tenant", "units", "renewal_of")
    inlines = (RentTermInline,)


@admin.register(RentTerm)
class RentTermAdmin(PrimaryAdmin):
    list_display = ("lease", "start_date", "end_date", "rent_amount", "note")
    search_fields = ("lease__reference", "note")
    raw_id_fields = ("lease",)


@admin.register(Sale)
class SaleAdmin(PrimaryAdmin):
    list_display = ("__str__", "buyer", "park", "contract_date", "status")
    list_filter = ("status", "park")
    search_fields = ("reference", "buyer__name")
    raw_id_fields = ("buyer", "units", "building")
