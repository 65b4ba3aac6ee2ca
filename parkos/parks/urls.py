"""Park registry page URLs."""

from parkos.parks import views

app_name = "parks"
urlpatterns = [
    *views.ParkBrandViews.urls(),
    *views.ParkViews.urls(),
    *views.LandParcelViews.urls(),
    *views.BuildingViews.urls(),
    *views.SpaceUnitViews.urls(),
]
