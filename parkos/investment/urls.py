"""Investment page URLs: /investment/..."""

from django.urls import path

from parkos.investment import board_urls, documents, report_urls, views

app_name = "investment"
urlpatterns = [
    *board_urls.urlpatterns,
    *report_urls.urlpatterns,
    *views.ProjectViews.urls(),
    *views.ContactViews.urls(),
    *views.FollowUpTaskViews.urls(),
    *views.EventViews.urls(),
    *views.AgreementViews.urls(),
    *views.PartyViews.urls(),
    *views.SignatoryViews.urls(),
    *views.CommitmentViews.urls(),
    *views.ProgressViews.urls(),
    *views.AgreementDocumentViews.urls(),
    *views.ExchangeRateViews.urls(),
    path("documents/<int:pk>/download/", documents.download, name="agreementdocument_download"),
]
