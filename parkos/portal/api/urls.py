"""Enterprise portal API URLs: /api/portal/..."""

from parkos.core.api.views import Router
from parkos.portal.api import views

app_name = "portal-api"
router = Router()
router.register("proposals", views.ProfileChangeRequestViewSet)
urlpatterns = router.urls
