"""The change log in the Django admin, read-only: history is never edited."""

from django.contrib import admin

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
