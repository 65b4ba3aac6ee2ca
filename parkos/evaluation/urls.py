"""Evaluation page URLs: /evaluation/..."""

from django.urls import path

from parkos.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("filings/import-sources/", views.FilingsImportView.as_view(), name="filings_import"),
    path("schemes/<int:pk>/export/", views.SchemeExportView.as_view(), name="evaluationscheme_export"),
    path("schemes/import-file/", views.SchemeImportFileView.as_view(), name="evaluationscheme_import_file"),
    path("runs/", views.RunListView.as_view(), name="evaluationrun_list"),
    path("runs/add/", views.RunCreateView.as_view(), name="evaluationrun_add"),
    path("runs/<int:pk>/", views.RunDetailView.as_view(), name="evaluationrun"),
    path("runs/<int:pk>/progress/", views.RunProgressView.as_view(), name="evaluationrun_progress"),
    path("runs/<int:pk>/benchmarks.xlsx", views.RunBenchmarkExportView.as_view(), name="evaluationrun_benchmarks"),
    path("runs/<int:pk>/results.<str:fmt>", views.RunResultsExportView.as_view(), name="evaluationrun_results_export"),
    path("results/", views.ResultListView.as_view(), name="evaluationresult_list"),
    path("results/<int:pk>/", views.ResultDetailView.as_view(), name="evaluationresult"),
    path("appeals/<int:pk>/decide/", views.AppealDecideView.as_view(), name="appeal_decide"),
    *views.IndicatorFilingViews.urls(),
    *views.AppealViews.urls(),
    *views.EvaluationSchemeViews.urls(),
]
