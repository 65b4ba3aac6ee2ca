"""Directory models in the Django admin (operator admins only)."""

from django.contrib import admin

from parkos.core.admin import PrimaryAdmin
from parkos.directory.models import Industry, Organization, OrganizationAlias, Person, Position


class AliasInline(admin.TabularInline):
    model = OrganizationAlias
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(PrimaryAdmin):
    list_display = ("name", "kind", "credit_code", "industry", "district")
    list_filter = ("kind", "ownership", "is_high_tech", "is_srdi")
    search_fields = ("name", "name_en", "credit_code", "aliases__name")
    autocomplete_fields = ("industry",)
    inlines = [AliasInline]


@admin.register(Industry)
class IndustryAdmin(PrimaryAdmin):
    list_display = ("code", "name", "parent", "national_code")
    search_fields = ("code", "name", "name_en")


@admin.register(Person)
class PersonAdmin(PrimaryAdmin):
    list_display = ("name", "name_en", "email")
    search_fields = ("name", "name_en", "email")


@admin.register(Position)
class PositionAdmin(PrimaryAdmin):
    list_display = ("person", "title", "organization", "start_date", "end_date")
    autocomplete_fields = ("person", "organization")
    search_fields = ("title", "person__name", "organization__name")


@admin.register(OrganizationAlias)
class OrganizationAliasAdmin(PrimaryAdmin):
    list_display = ("name", "organization")
    autocomplete_fields = ("organization",)
    search_fields = ("name",)
