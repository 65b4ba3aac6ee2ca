"""URLs of the investment report pages; included into the investment app's urls (app_name "investment")."""

from django.urls import path

from parkos.investment.reports import ImplementationReportView, PipelineFiguresView, ReconcileView

urlpatterns = [
    path("figures/", PipelineFiguresView.as_view(), name="pipeline_figures"),
    path("agreements/implementation/", ImplementationReportView.as_view(), name="implementation_report"),
    path("agreements/reconcile/", ReconcileView.as_view(), name="reconcile_commitments"),
]
