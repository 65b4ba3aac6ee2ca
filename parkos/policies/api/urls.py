"""Policy API URLs: /api/policies/... (the standard endpoints in ``views``, the workflow actions in ``workflow``)."""

from parkos.core.api.views import Router
from parkos.policies.api import views, workflow

app_name = "policies-api"
router = Router()
router.register("policies", views.PolicyViewSet)
router.register("certifications", views.CertificationViewSet)
router.register("applications", views.ApplicationViewSet)
router.register("documents", views.ApplicationDocumentViewSet)
router.register("disbursements", views.DisbursementViewSet)
urlpatterns = [*workflow.urlpatterns, *router.urls]
