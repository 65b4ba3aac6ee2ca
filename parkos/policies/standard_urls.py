"""The standard list / detail / edit pages of the policy models, and matching pages."""

from django.urls import URLPattern, path

from parkos.policies import views

urlpatterns: list[URLPattern] = [
    path("policies/<int:pk>/matches/", views.policy_matches, name="policy_matches"),
    *views.PolicyViews.urls(),
    *views.CertificationViews.urls(),
    *views.ApplicationViews.urls(),
    *views.ApplicationDocumentViews.urls(),
    *views.DisbursementViews.urls(),
]
