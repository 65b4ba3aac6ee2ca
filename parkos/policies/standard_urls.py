"""The standard list / detail / edit pages of the policy models, and matching pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
