"""Inefficient-land page URLs, included in the evaluation app's urls.py: /evaluation/..."""

from django.urls import path

from parkos.evaluation import disposal_views as views

urlpatterns = [
    path("inefficient-land/", views.InefficientLandView.as_view(), name="inefficient_land"),
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
