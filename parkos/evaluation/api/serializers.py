"""Evaluation API serializers; runs and results are read-only records of a computation."""

from rest_framework import serializers

from parkos.core.api.serializers import PrimaryModelSerializer
from parkos.evaluation.models import (
    Appeal,
    EvaluationResult,
    EvaluationRun,
    EvaluationScheme,
    IndicatorFiling,
    RunBenchmark,
)

STAMPS = ("created", "last_updated")


class IndicatorFilingSerializer(PrimaryModelSerializer):
    class Meta:
        model = IndicatorFiling
        fields = (
            "id",
            "url",
            "display",
            "organization",
            "year",
            "park",
            "parcel",
            *IndicatorFiling.VALUE_FIELDS,
            "sources",
            "above_size_threshold",
            "major_incident",
            "is_tenant",
            "land_rule",
            "production_start",
            "note",
            *STAMPS,
        )
        read_only_fields = ("sources",)


class EvaluationSchemeSerializer(PrimaryModelSerializer):
    class Meta:
        model = EvaluationScheme
        fields = ("id", "url", "display", "name", "version", "title", "description", "definition", *STAMPS)
        read_only_fields = ("name", "version")


class EvaluationRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationRun
        fields = (
            "id",
            "scheme",
            "scheme_version",
            "year",
            "status",
            "progress",
            "filings",
            "evaluated",
            "graded",
            "grade_counts",
            "fingerprint",
            "benchmark_sources",
            "created",
            "started",
            "finished",
            "heartbeat_at",
            "error",
        )


class EvaluationResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationResult
        fields = (
            "id",
            "run",
            "organization",
            "park",
            "cohort",
            "status",
            "reason",
            "indicators",
            "adjustments",
            "total",
            "rank",
            "cohort_size",
            "grade",
            "area",
            "details",
        )


class RunBenchmarkSerializer(serializers.ModelSerializer):
    class Meta:
        model = RunBenchmark
        fields = RunBenchmark.READ_OUT_FIELDS


class AppealDecideSerializer(serializers.Serializer):
    accept = serializers.BooleanField(help_text="true accepts the appeal, false rejects it.")
    decision = serializers.CharField(help_text="The reasons for the decision.")
    rerun = serializers.BooleanField(default=False, help_text="Accepted: re-run the evaluation of its scheme and year.")


class AppealSerializer(PrimaryModelSerializer):
    class Meta:
        model = Appeal
        fields = (
            "id",
            "url",
            "display",
            "result",
            "organization",
            "park",
            "reason",
            "status",
            "decision",
            "decided_by",
            "decided_on",
            "rerun",
            *STAMPS,
        )
        read_only_fields = ("organization", "park", "status", "decision", "decided_by", "decided_on", "rerun")
