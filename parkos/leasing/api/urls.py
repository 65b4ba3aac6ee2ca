"""Leasing API URLs: /api/leasing/..."""

from django.urls import path

from parkos.core.api.views import Router
from parkos.leasing.api import views

app_name = "leasing-api"
router = Router()
router.register("leases", views.LeaseViewSet)
router.register("rent-terms", views.RentTermViewSet)
router.register("sales", views.SaleViewSet)
urlpatterns = [
    path("occupancy/", views.OccupancyAPIView.as_view(), name="occupancy"),
    path("rent-roll/", views.RentRollAPIView.as_view(), name="rent-roll"),
    *router.urls,
]
