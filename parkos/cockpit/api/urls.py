"""Cockpit API URLs: /api/cockpit/ (the figures, which the big screen reads) and /api/cockpit/parks/."""

from django.urls import path

from parkos.cockpit.api import views

app_name = "cockpit-api"
urlpatterns = [
    path("", views.CockpitAPIView.as_view(), name="figures"),
    path("parks/", views.BenchmarkAPIView.as_view(), name="parks"),
]
