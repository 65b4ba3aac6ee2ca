"""Cockpit API URLs: /api/cockpit/ (the figures, which the big screen reads) and /api/cockpit/parks/."""

from django.urls import path

from parkos.cockpit.api import views
from parkos.core.routers import reports_view

app_name = "cockpit-api"
urlpatterns = [
    path("", reports_view(views.CockpitAPIView.as_view()), name="figures"),
    path("parks/", reports_view(views.BenchmarkAPIView.as_view()), name="parks"),
]
