"""Cockpit page URLs: /cockpit/ (the cockpit), /cockpit/screen/ (the big screen), /cockpit/parks/ (benchmarking)."""

from django.urls import path

from parkos.cockpit import views
from parkos.core.routers import reports_view

app_name = "cockpit"
urlpatterns = [
    path("", reports_view(views.CockpitView.as_view()), name="cockpit"),
    path("screen/", reports_view(views.ScreenView.as_view()), name="screen"),
    path("parks/", reports_view(views.BenchmarkView.as_view()), name="parks"),
]
