"""API actions of the application workflow (submit, review, decide, disburse, withdraw)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
