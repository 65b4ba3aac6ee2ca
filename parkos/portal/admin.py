"""Portal models in the Django admin (operator admins only)."""

from django.contrib import admin

from parkos.core.admin import PrimaryAdmin
from parkos.portal.models import ProfileChangeRequest


@admin.register(ProfileChangeRequest)
class ProfileChangeRequestAdmin(PrimaryAdmin):
    list_display = ("organization", "status", "created", "proposed_by", "reviewed_by", "reviewed_at")
    list_filter = ("status",)
    search_fields = ("organization__name", "note", "review_note")
    raw_id_fields = ("organization",)
    readonly_fields = ("status", "proposed_by", "reviewed_by", "reviewed_at", "review_note")
