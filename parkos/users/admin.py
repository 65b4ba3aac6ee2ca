"""Operator admins manage accounts, roles and assignments here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from parkos.users.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("ParkOS"), {"fields": ("area_unit", "money_unit", "parks", "organizations")}),
    )
    filter_horizontal = ("groups", "user_permissions", "parks")
    autocomplete_fields = ("organizations",)
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff")
    list_filter = ("groups", "is_active", "is_staff")
