"""Evaluation API endpoints: filings and schemes read and written, runs and results read."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from parkos.core.api.views import PrimaryModelViewSet
from parkos.evaluation import filtersets
from parkos.evaluation.api import serializers
from parkos.evaluation.models import Appeal, EvaluationResult, EvaluationRun, EvaluationScheme, IndicatorFiling
from parkos.evaluation.selectors import visible_runs
from parkos.evaluation.services import appeal_decide


class IndicatorFilingViewSet(PrimaryModelViewSet):
    queryset = IndicatorFiling.objects.select_related("organization", "park", "parcel")
    serializer_class = serializers.IndicatorFilingSerializer
    filterset_class = filtersets.IndicatorFilingFilterSet


class EvaluationSchemeViewSet(PrimaryModelViewSet):
    queryset = EvaluationScheme.objects.all()
    serializer_class = serializers.EvaluationSchemeSerializer
    filterset_class = filtersets.EvaluationSchemeFilterSet


class EvaluationRunViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = EvaluationRun.objects.all()
    serializer_class = serializers.EvaluationRunSerializer

    def get_queryset(self):
        return visible_runs(self.request.user)

    @extend_schema(
        parameters=[OpenApiParameter("as", str, enum=["xlsx", "csv"], description="file type (default xlsx)")],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: None},
    )
    @action(detail=True, methods=["get"], url_path="results-export")
    def results_export(self, request, pk=None):
        """The run's results in your scope as a spreadsheet: the fixed columns, then each indicator's value and
        score (``?as=csv`` for CSV)."""
        from parkos.core.downloads import attachment
        from parkos.core.resources import EXPORT_FORMATS
        from parkos.evaluation.resources import run_results_bytes

        run = self.get_object()
        fmt = request.query_params.get("as", "xlsx")
        if fmt not in EXPORT_FORMATS:
            raise NotFound
        content_type, extension = EXPORT_FORMATS[fmt]
        return attachment(run_results_bytes(run, request.user, fmt), f"run-{run.pk}-results.{extension}", content_type)

    @extend_schema(responses=serializers.RunBenchmarkSerializer(many=True))
    @action(detail=True, methods=["get"])
    def benchmarks(self, request, pk=None):
        """Every benchmark the run compared its enterprises with: per cohort (and area), indicator and role,
        with its statistic, basis, the year (and run) its figures came from, and whether it fell back."""
        run = self.get_object()
        rows = run.benchmarks.select_related(None).order_by("cohort", "area", "indicator", "role")
        return Response(serializers.RunBenchmarkSerializer(rows, many=True).data)


class EvaluationResultViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = EvaluationResult.objects.all()
    serializer_class = serializers.EvaluationResultSerializer
    filterset_class = filtersets.EvaluationResultFilterSet

    def get_queryset(self):
        return EvaluationResult.objects.restrict(self.request.user).order_by("pk")


class AppealViewSet(PrimaryModelViewSet):
    queryset = Appeal.objects.select_related("organization", "park", "result__run")
    serializer_class = serializers.AppealSerializer
    filterset_class = filtersets.AppealFilterSet

    @extend_schema(request=serializers.AppealDecideSerializer, responses=serializers.AppealSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Accept or reject the appeal with its reasons; accepted, it may re-run the evaluation."""
        appeal = self.get_object()
        body = serializers.AppealDecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        appeal = appeal_decide(appeal=appeal, user=request.user, **body.validated_data)
        return Response(self.get_serializer(appeal).data)
