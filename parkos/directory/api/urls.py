"""Directory API URLs: /api/directory/..."""

from parkos.core.api.views import Router
from parkos.directory.api import views

app_name = "directory-api"
router = Router()

router.register("industries", views.IndustryViewSet)
router.register("organizations", views.OrganizationViewSet)
router.register("aliases", views.OrganizationAliasViewSet)
router.register("people", views.PersonViewSet)
router.register("positions", views.PositionViewSet)
urlpatterns = router.urls
