"""Map page URLs: /maps/ (every park), /maps/brands/<id>/, /maps/districts/<name>/, /maps/parks/<id>/."""

from django.urls import path

from parkos.maps import views

app_name = "maps"
urlpatterns = [
    path("", views.MapView.as_view(kind="all"), name="all"),
    path("brands/<int:pk>/", views.MapView.as_view(kind="brand"), name="brand"),
    # a district is named by people: its name may hold any character, a slash too
    path("districts/<path:name>/", views.MapView.as_view(kind="district"), name="district"),
    path("parks/<int:pk>/", views.MapView.as_view(kind="park"), name="park"),
    path("parks/<int:pk>/import/", views.OutlineImportView.as_view(), name="import"),
]
