"""Land API URLs: /api/land/... (the old /api/evaluation/... paths of these endpoints redirect here)."""

from parkos.core.api.views import Router
from parkos.land.api import views

app_name = "land-api"
router = Router()
router.register("parcel-flags", views.ParcelFlagViewSet)
router.register("disposal-cases", views.DisposalCaseViewSet)
router.register("disposal-milestones", views.DisposalMilestoneViewSet)
router.register("disposal-documents", views.DisposalDocumentViewSet)
urlpatterns = [*router.urls]
