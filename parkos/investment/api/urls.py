"""Investment API URLs: /api/investment/..."""

from parkos.core.api.views import Router
from parkos.investment.api import reports, views

app_name = "investment-api"
router = Router()
router.register("projects", views.ProjectViewSet)
router.register("contacts", views.ContactViewSet)
router.register("tasks", views.FollowUpTaskViewSet)
router.register("events", views.EventViewSet)
router.register("agreements", views.AgreementViewSet)
router.register("parties", views.PartyViewSet)
router.register("signatories", views.SignatoryViewSet)
router.register("commitments", views.CommitmentViewSet)
router.register("progress", views.ProgressViewSet)
router.register("documents", views.AgreementDocumentViewSet)
router.register("exchange-rates", views.ExchangeRateViewSet)
urlpatterns = [*reports.report_urlpatterns, *router.urls]
