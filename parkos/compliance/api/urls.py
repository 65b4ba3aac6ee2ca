"""Default-handling API URLs: /api/compliance/..."""

from parkos.compliance.api import views
from parkos.core.api.views import Router

app_name = "compliance-api"
router = Router()
router.register("default-cases", views.DefaultCaseViewSet)
router.register("default-case-documents", views.DefaultCaseDocumentViewSet)
urlpatterns = [*router.urls]
