"""Notifications in the Django admin: operator admins set up webhooks and read the delivery log."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from parkos.notifications.models import Delivery, Event, EventKind, WebhookEndpoint


class WebhookEndpointForm(forms.ModelForm):
    """The event kinds as boxes to tick (none ticked: every kind), not JSON to type."""

    event_kinds = forms.MultipleChoiceField(
        label=_("events"),
        choices=EventKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Event kinds it receives; empty: every kind."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ("name", "kind", "url", "secret", "event_kinds", "all_parks", "parks", "owner", "is_active")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
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
