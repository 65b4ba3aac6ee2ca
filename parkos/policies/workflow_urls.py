"""The application workflow pages: apply, submit, review, decide, disburse, withdraw; outcomes and figures."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
