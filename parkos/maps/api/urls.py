"""Maps API URLs: /api/maps/..."""

from django.urls import path

from parkos.maps.api import views

app_name = "maps-api"
urlpatterns = [
    path("features/", views.MapFeaturesAPIView.as_view(), name="features"),
    path("buildings/", views.MapBuildingsAPIView.as_view(), name="buildings"),
    path("objects/<str:kind>/<int:pk>/", views.MapObjectAPIView.as_view(), name="object"),
    path("export/", views.MapExportAPIView.as_view(), name="export"),
    path("outlines/<str:kind>/<int:pk>/", views.OutlineAPIView.as_view(), name="outline"),
    path("parks/<int:pk>/import/", views.OutlineImportAPIView.as_view(), name="import"),
]
