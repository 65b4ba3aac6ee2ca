"""Evaluation list tables."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from parkos.core.tables import AreaColumn, EstimatedCountTable, PrimaryTable
from parkos.evaluation.labels import BENCHMARK_BASES, BENCHMARK_KINDS, code_label, scheme_title, vocabulary_label
from parkos.evaluation.models import (
    Appeal,
    AreaResult,
    EvaluationResult,
    EvaluationRun,
    EvaluationScheme,
    IndicatorFiling,
    RunBenchmark,
)


class IndicatorFilingTable(PrimaryTable):
    organization = tables.Column(linkify=lambda record: record.get_absolute_url())
    park = tables.Column(linkify=True)
    land_area = AreaColumn()
    floor_area = AreaColumn()

    low_priority = ("park", "land_area", "floor_area", "land_rule")

    class Meta(PrimaryTable.Meta):
        model = IndicatorFiling
        fields = ("organization", "year", "park", "tax", "value_added", "land_area", "floor_area", "land_rule")


class EvaluationSchemeTable(PrimaryTable):
    name = tables.Column(linkify=True)

    class Meta(PrimaryTable.Meta):
        model = EvaluationScheme
        fields = ("name", "version", "title", "last_updated")

    def render_title(self, record):
        return scheme_title(record, version=False)


class EvaluationRunTable(tables.Table):
    id = tables.Column(linkify=True, verbose_name="#")
    scheme = tables.Column()
    fingerprint = tables.Column(orderable=False)

    class Meta(PrimaryTable.Meta):
        model = EvaluationRun
        fields = ("id", "scheme", "year", "status", "progress", "evaluated", "graded", "finished", "created_by")

    def render_fingerprint(self, value):
        return value[:12]

    def render_scheme(self, value):
        return scheme_title(value)


class EvaluationResultTable(EstimatedCountTable):
    organization = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("enterprise"))
    park = tables.Column()
    total = tables.Column(attrs={"td": {"class": "text-end"}})

    class Meta(PrimaryTable.Meta):
        model = EvaluationResult
        fields = ("organization", "park", "cohort", "status", "total", "rank", "cohort_size", "grade")

    def render_total(self, value):
        return f"{value:.2f}"

    def render_cohort(self, value, record):
        return code_label(record.run.scheme, value)


class AreaResultTable(tables.Table):
    land_mu = tables.Column(attrs={"td": {"class": "text-end"}})
    tax_per_mu = tables.Column(attrs={"td": {"class": "text-end"}})
    value_added_per_mu = tables.Column(attrs={"td": {"class": "text-end"}})
    industrial_output_per_mu = tables.Column(attrs={"td": {"class": "text-end"}})
    grade_mix = tables.Column(orderable=False)

    class Meta(PrimaryTable.Meta):
        model = AreaResult
        fields = (
            "level",
            "label",
            "enterprises",
            "land_mu",
            "tax_per_mu",
            "value_added_per_mu",
            "industrial_output_per_mu",
            "grade_mix",
        )

    def _number(self, value):
        return "—" if value is None else f"{value:,.2f}"

    render_land_mu = render_tax_per_mu = render_value_added_per_mu = render_industrial_output_per_mu = _number

    def render_grade_mix(self, value):
        return " · ".join(f"{grade}: {count}" for grade, count in value.items())


class RunBenchmarkTable(tables.Table):
    """The benchmarks a run compared its enterprises with, per cohort (and area) and indicator."""

    value = tables.Column(attrs={"td": {"class": "text-end"}})
    source_run = tables.Column(linkify=True)

    class Meta(PrimaryTable.Meta):
        model = RunBenchmark
        fields = ("cohort", "area", "indicator", "role", "kind", "basis", "value", "year", "source_run", "fallback")

    def render_value(self, value):
        return f"{value:,.4f}"

    def render_cohort(self, value, record):
        return code_label(record.run.scheme, value)

    def render_indicator(self, value, record):
        return code_label(record.run.scheme, value)

    def render_kind(self, value):
        return vocabulary_label(BENCHMARK_KINDS, value)

    def render_basis(self, value):
        return vocabulary_label(BENCHMARK_BASES, value)


class AppealTable(PrimaryTable):
    organization = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("enterprise"))
    result = tables.Column(linkify=True, order_by=("result__run__year",))
    park = tables.Column()

    class Meta(PrimaryTable.Meta):
        model = Appeal
        fields = ("organization", "result", "park", "status", "created", "decided_on")
