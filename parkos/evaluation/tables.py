"""Evaluation list tables."""

from typing import Any

import django_tables2 as tables
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from parkos.core.pagination import EstimatedCountPaginator, filtered_queryset
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


def reads_only(data: Any, related: tuple[str, ...], fields: tuple[str, ...]) -> Any:
    """A list's queryset reading only ``fields`` of its rows and of the ``related`` rows joined to them.

    Read whole, a filing's row brought some twenty figures and notes, its enterprise's forty columns and its
    park's outline; a result's or a parcel flag's row its scheme's definition (several KB of JSON): no cell
    shows them. A list of rows (a detail page's panel) is left as it is; exports read rows through their
    resource, not through the table.
    """
    if not isinstance(data, QuerySet):
        return data
    return data.select_related(None).select_related(*related).only(*fields)


def filtered_on(queryset: QuerySet[Any], field: Any) -> bool:
    """Whether ``queryset``'s WHERE holds an equality on ``field`` (a model field), as ``?run=`` or ``?year=`` makes."""
    filters = queryset.query.where.children
    return any(isinstance(child, Exact) and getattr(child.lhs, "target", None) is field for child in filters)


class FilingCountPaginator(EstimatedCountPaginator):
    """Filings estimated as ``IndicatorFiling.estimate_filtered_count`` says, but for one year's filings.

    A year's filings are imported together, so they lie together in id order and the sample is far off for them
    (as for one run's results, ``ResultCountPaginator``); a year has a province's enterprises at most, and the
    year's index counts them: counted exactly.
    """

    def _count(self) -> int:
        queryset = filtered_queryset(self.object_list)
        if queryset is not None and filtered_on(queryset, IndicatorFiling._meta.get_field("year")):
            return int(Paginator.count.func(self))  # type: ignore[attr-defined]
        return super()._count()


class IndicatorFilingTable(PrimaryTable):
    organization = tables.Column(linkify=lambda record: record.get_absolute_url())
    park = tables.Column(linkify=True)
    land_area = AreaColumn()
    floor_area = AreaColumn()

    low_priority = ("park", "land_area", "floor_area", "land_rule")

    class Meta(PrimaryTable.Meta):
        model = IndicatorFiling
        fields = ("organization", "year", "park", "tax", "value_added", "land_area", "floor_area", "land_rule")

    ROW_FIELDS = (
        "year",
        "tax",
        "value_added",
        "land_area",
        "floor_area",
        "land_rule",
        "organization__name",
        "park__name",
    )

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(reads_only(data, ("organization", "park"), self.ROW_FIELDS), *args, **kwargs)

    def paginate(self, paginator_class: type = FilingCountPaginator, *args: Any, **kwargs: Any) -> Any:
        return super().paginate(paginator_class, *args, **kwargs)


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


def of_one_run(queryset: QuerySet[Any]) -> bool:
    """Whether ``queryset`` (of results) is filtered to one run (``?run=``)."""
    return filtered_on(queryset, EvaluationResult._meta.get_field("run"))


class ResultCountPaginator(EstimatedCountPaginator):
    """Results lists estimated as ``EvaluationResult.estimate_filtered_count`` says, but for one run's results.

    A run's results lie together in id order, so the sample (core.pagination.sampled_count) is far off for them:
    at 2,000,000 results "about 287,862" for the latest run's 2,045 of a manager's parks, "about 1,301" for
    another's 2,045, and the sample walked 300 ms where the run's index counts them in 30 to 60 ms. A run has a
    province's enterprises at most: counted exactly.
    """

    def _count(self) -> int:
        queryset = filtered_queryset(self.object_list)
        if queryset is not None and of_one_run(queryset):
            return int(Paginator.count.func(self))  # type: ignore[attr-defined]
        return super()._count()


class EvaluationResultTable(EstimatedCountTable):
    organization = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("enterprise"))
    park = tables.Column()
    total = tables.Column(attrs={"td": {"class": "text-end"}})

    class Meta(PrimaryTable.Meta):
        model = EvaluationResult
        fields = ("organization", "park", "cohort", "status", "total", "rank", "cohort_size", "grade")

    #: a cohort's label comes from the scheme's labels, kept per scheme and last update (labels.scheme_labels):
    #: the rows carry the scheme's key and date, and its definition is read only when the labels are not kept
    ROW_FIELDS = (
        "cohort",
        "status",
        "total",
        "rank",
        "cohort_size",
        "grade",
        "organization__name",
        "park__name",
        "run__scheme__last_updated",
    )

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(reads_only(data, ("organization", "park", "run__scheme"), self.ROW_FIELDS), *args, **kwargs)

    def paginate(self, paginator_class: type = ResultCountPaginator, *args: Any, **kwargs: Any) -> Any:
        return super().paginate(paginator_class, *args, **kwargs)

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
