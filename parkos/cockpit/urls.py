"""Cockpit page URLs: /cockpit/ (the cockpit), /cockpit/screen/ (the big screen), /cockpit/parks/ (benchmarking)."""

from django.urls import path

from parkos.cockpit import views

app_name = "cockpit"
urlpatterns = [
    path("", views.CockpitView.as_view(), name="cockpit"),
    path("screen/", views.ScreenView.as_view(), name="screen"),
    path("parks/", views.BenchmarkView.as_view(), name="parks"),
]
