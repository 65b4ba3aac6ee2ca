"""Map page URLs: /maps/ (every park), /maps/brands/<id>/, /maps/districts/<name>/, /maps/parks/<id>/."""

from django.urls import path

from parkos.maps import views

app_name = "maps"
urlpatterns = [
    path("", views.MapView.as_view(kind="all"), name="all"),
    path("brands/<int:pk>/", views.MapView.as_view(kind="brand"), name="brand"),
    path("districts/<str:name>/", views.MapView.as_view(kind="district"), name="district"),
    path("parks/<int:pk>/", views.MapView.as_view(kind="park"), name="park"),
    path("parks/<int:pk>/import/", views.OutlineImportView.as_view(), name="import"),
]
