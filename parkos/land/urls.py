"""Land page URLs. They keep the paths they had under evaluation (/evaluation/parcel-flags/ ...), so
bookmarks and links still work, with names in the ``land`` namespace."""

from django.urls import path

from parkos.land import views

app_name = "land"
urlpatterns = [
    path("inefficient-land/", views.InefficientLandView.as_view(), name="inefficient_land"),
    path("inefficient-land/map/", views.InefficientLandMapView.as_view(), name="inefficient_land_map"),
    path("available-land/", views.AvailableLandView.as_view(), name="available_land"),
    path("runs/<int:pk>/flag-parcels/", views.RunFlagParcelsView.as_view(), name="evaluationrun_flag_parcels"),
    path("parcel-flags/<int:pk>/clear/", views.FlagClearView.as_view(), name="parcelflag_clear"),
    path("disposal-cases/<int:pk>/close/", views.CaseCloseView.as_view(), name="disposalcase_close"),
    path("disposal-documents/<int:pk>/download/", views.document_download, name="disposaldocument_download"),
    *views.ParcelFlagViews.urls(),
    *views.DisposalCaseViews.urls(),
    *views.DisposalMilestoneViews.urls(),
    *views.DisposalDocumentViews.urls(),
]
