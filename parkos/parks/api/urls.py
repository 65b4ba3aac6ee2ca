"""Park registry API URLs: /api/parks/..."""

from parkos.core.api.views import Router
from parkos.parks.api import views

app_name = "parks-api"
router = Router()
router.register("brands", views.ParkBrandViewSet)
router.register("parks", views.ParkViewSet)
router.register("parcels", views.LandParcelViewSet)
router.register("buildings", views.BuildingViewSet)
router.register("units", views.SpaceUnitViewSet)
urlpatterns = router.urls
