"""Evaluation API URLs: /api/evaluation/..."""

from parkos.core.api.views import Router
from parkos.evaluation.api import views

app_name = "evaluation-api"
router = Router()
router.register("indicator-filings", views.IndicatorFilingViewSet)
router.register("schemes", views.EvaluationSchemeViewSet)
router.register("runs", views.EvaluationRunViewSet)
router.register("results", views.EvaluationResultViewSet)
router.register("appeals", views.AppealViewSet)
urlpatterns = [*router.urls]
