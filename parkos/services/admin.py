"""Services models in the Django admin (operator admins only)."""

from django.contrib import admin

from parkos.core.admin import PrimaryAdmin
from parkos.services.models import RequestMessage, Scenario, Service, ServiceDesk, ServiceRequest


@admin.register(Service)
class ServiceAdmin(PrimaryAdmin):
    list_display = ("name", "aspect", "provider", "response_target_hours", "resolution_target_days", "is_active")
    list_filter = ("aspect", "is_active")
    search_fields = ("name",)
    raw_id_fields = ("provider",)


@admin.register(Scenario)
class ScenarioAdmin(PrimaryAdmin):
    list_display = ("name", "aspect", "provider", "start_date", "end_date")
    list_filter = ("aspect",)
    search_fields = ("name",)
    raw_id_fields = ("provider", "participants")


@admin.register(ServiceDesk)
class ServiceDeskAdmin(PrimaryAdmin):
    list_display = ("aspect",)
    filter_horizontal = ("members",)


class RequestMessageInline(admin.TabularInline):
    model = RequestMessage
    extra = 0
    raw_id_fields = ("author",)


@admin.register(ServiceRequest)
class ServiceRequestAdmin(PrimaryAdmin):
    list_display = ("title", "enterprise", "park", "aspect", "status", "assigned_to", "requested_at")
    list_filter = ("aspect", "status")
    search_fields = ("title",)
    raw_id_fields = ("enterprise", "park", "service", "assigned_to")
    inlines = (RequestMessageInline,)


@admin.register(RequestMessage)
class RequestMessageAdmin(PrimaryAdmin):
    list_display = ("request", "author", "created")
    search_fields = ("body",)
    raw_id_fields = ("request", "author")
