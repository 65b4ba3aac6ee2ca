"""Notifications in the Django admin: operator admins set up webhooks and read the delivery log."""

from django.contrib import admin

from parkos.notifications.models import Delivery, Event, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "url", "all_parks", "owner", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "url")
    filter_horizontal = ("parks",)
    raw_id_fields = ("owner",)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("event", "channel", "target", "status", "attempts", "response_code", "next_attempt_at", "sent_at")
    list_filter = ("channel", "status")
    search_fields = ("target", "last_error")
    raw_id_fields = ("event", "recipient", "endpoint")
    readonly_fields = ("attempts", "last_error", "response_code", "sent_at")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("kind", "title", "key", "created")
    list_filter = ("kind",)
    search_fields = ("title",)
    raw_id_fields = ("actor",)
