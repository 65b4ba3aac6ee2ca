"""Leasing page URLs: /leasing/..."""

from django.urls import path

from parkos.leasing import reports, views

app_name = "leasing"
urlpatterns = [
    path("occupancy/", reports.OccupancyView.as_view(), name="occupancy"),
    path("rent-roll/", reports.RentRollView.as_view(), name="rent_roll"),
    path("vacancy-board/", reports.VacancyBoardView.as_view(), name="vacancy_board"),
    path("expiry-alerts/", reports.ExpiryAlertsView.as_view(), name="expiry_alerts"),
    path("figures/", reports.FiguresView.as_view(), name="figures"),
    path("leases/<int:pk>/renew/", views.LeaseRenewView.as_view(), name="lease_renew"),
    path("leases/<int:pk>/terminate/", views.LeaseTerminateView.as_view(), name="lease_terminate"),
    *views.LeaseViews.urls(),
    *views.RentTermViews.urls(),
    *views.SaleViews.urls(),
]
