"""Admin bases: the change log read-only (history is never edited), and every model saved through the write path."""

from django.contrib import admin

from parkos.core import writes
from parkos.core.models import ObjectChange


@admin.register(ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin):
    list_display = ("time", "user_name", "action", "changed_object_type", "object_repr", "source")
    list_filter = ("action", "changed_object_type", "source")
    search_fields = ("object_repr", "user_name")
    date_hierarchy = "time"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PrimaryAdmin(admin.ModelAdmin):
    """Base of every model's admin: saves and deletes go through the one write path (core.writes)."""

    def save_model(self, request, obj, form, change):
        writes.save(obj, user=request.user, created=not change, validated=True)

    def delete_model(self, request, obj):
        writes.delete(obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            writes.delete(obj, user=request.user)
