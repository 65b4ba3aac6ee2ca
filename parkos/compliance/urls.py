"""Default-handling page URLs: /compliance/..."""

from django.urls import path, re_path

from parkos.compliance import views

app_name = "compliance"
urlpatterns = [
    re_path(
        r"^default-cases/(?P<pk>[0-9]+)/(?P<step>warn|rectify|settle|close|disposal)/$",
        views.CaseStepView.as_view(),
        name="defaultcase_step",
    ),
    path("default-case-documents/<int:pk>/download/", views.document_download, name="defaultcasedocument_download"),
    *views.DefaultCaseViews.urls(),
    *views.DefaultCaseDocumentViews.urls(),
]
