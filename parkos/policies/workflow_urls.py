"""The application workflow pages: apply, submit, review, decide, disburse, withdraw; outcomes and figures."""

from django.urls import URLPattern, path

from parkos.policies import workflow_views as views

urlpatterns: list[URLPattern] = [
    path("for-you/", views.policies_for_you, name="for_you"),
    path("mine/", views.my_applications, name="my_applications"),
    path("review/", views.review_queue, name="review_queue"),
    path("figures/", views.figures_page, name="figures"),
    path("outcomes/", views.outcomes_overview, name="outcomes"),
    path("policies/<int:pk>/apply/", views.apply, name="apply"),
    path("policies/<int:pk>/figures/", views.policy_figures_page, name="policy_figures"),
    path("policies/<int:pk>/outcomes/", views.policy_outcomes_page, name="policy_outcomes"),
    path("applications/<int:pk>/workflow/", views.application_page, name="application_workflow"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path("applications/<int:pk>/review/", views.application_review, name="application_review"),
    path("applications/<int:pk>/decide/", views.application_decide, name="application_decide"),
    path("applications/<int:pk>/disburse/", views.application_disburse, name="application_disburse"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/attach/", views.application_attach, name="application_attach"),
    path("documents/<int:pk>/file/", views.document_download, name="application_document"),
]
