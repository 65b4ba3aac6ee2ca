"""A run's benchmarks: the previous year's figures they may read, and the table of every benchmark a run used."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import polars as pl
from django.utils.translation import gettext as _

from parkos.evaluation import engine
from parkos.evaluation.models import EvaluationResult, EvaluationRun, RunBenchmark
from parkos.evaluation.outcomes import SMALL_COHORT, ResultStatus
from parkos.evaluation.scheme import ID_FIELD, BenchmarkBasis, BenchmarkKind, Scheme


def previous_run(run: EvaluationRun) -> EvaluationRun | None:
    """The previous year's published run of the same scheme: the latest finished run of the year before."""
    return (
        EvaluationRun.objects.filter(scheme__name=run.scheme.name, year=run.year - 1, status=EvaluationRun.Status.DONE)
        .exclude(pk=run.pk)
        .order_by("-finished", "-pk")
        .first()
    )


def previous_results_frame(source: EvaluationRun, scheme: Scheme) -> pl.DataFrame:
    """A finished run's results as previous-year benchmarks read them (engine.previous_values' shape).

    The pool is what the run's own cohort statistics were taken over: graded and vetoed enterprises and
    those not graded only because their cohort was small, not those in a category.
    """
    keys = [i.key for i in scheme.indicators]
    rows = EvaluationResult.objects.filter(run=source).values_list(
        "organization_id", "cohort", "area", "status", "reason", "indicators"
    )
    pooled_statuses = (ResultStatus.GRADED, ResultStatus.VETOED)
    data = [
        {
            ID_FIELD: str(organization),
            "cohort": cohort,
            "area": area or None,
            "pooled": status in pooled_statuses or (status == ResultStatus.NOT_GRADED and reason == SMALL_COHORT),
            **{f"{key}_value": (indicators.get(key) or {}).get("value") for key in keys},
        }
        for organization, cohort, area, status, reason, indicators in rows
    ]
    schema = {
        ID_FIELD: pl.String,
        "cohort": pl.String,
        "area": pl.String,
        "pooled": pl.Boolean,
        **{f"{key}_value": pl.Float64 for key in keys},
    }
    return pl.DataFrame(data, schema=schema, orient="row")


def previous_inputs(
    run: EvaluationRun, scheme: Scheme, read_filings: Callable[[int], pl.DataFrame]
) -> tuple[pl.DataFrame | None, pl.DataFrame | None, dict[str, Any]]:
    """The previous year's filings and run a scheme's benchmarks read, and the record of which ones.

    ``read_filings(year)`` gives a year's filing frame (services.filings_frame, passed in so that this
    module does not import services). Nothing is read for a scheme without previous-year benchmarks.
    """
    bases = scheme.uses_previous_year
    filings = results = None
    sources: dict[str, Any] = {}
    if BenchmarkBasis.PREVIOUS_YEAR_FILINGS in bases:
        filings = read_filings(run.year - 1)
        sources["filings"] = {"year": run.year - 1, "count": filings.height}
    if BenchmarkBasis.PREVIOUS_YEAR_RUN in bases:
        source = previous_run(run)
        if source is not None:
            results = previous_results_frame(source, scheme)
            sources["run"] = {"year": source.year, "id": source.pk, "results": results.height}
        else:
            sources["run"] = {"year": run.year - 1, "id": None, "results": 0}
    return filings, results, sources


def run_fingerprint(
    frame: pl.DataFrame, scheme: Scheme, previous_filings: pl.DataFrame | None, previous_results: pl.DataFrame | None
) -> str:
    """engine.fingerprint, joined with the previous year's inputs when the scheme reads any (else unchanged)."""
    own = engine.fingerprint(frame, scheme)
    if previous_filings is None and previous_results is None:
        return own
    digest = hashlib.sha256(own.encode("ascii"))
    if previous_filings is not None and previous_filings.height:
        digest.update(b"\0filings\0" + engine.fingerprint(previous_filings, scheme).encode("ascii"))
    if previous_results is not None:
        digest.update(b"\0run\0" + previous_results.sort(ID_FIELD).write_csv().encode("utf-8"))
    return digest.hexdigest()


def benchmark_rows(run: EvaluationRun, scored: pl.DataFrame, scheme: Scheme) -> list[RunBenchmark]:
    """One row per cohort (and area), indicator and role: the value every enterprise there was compared with."""
    sources = run.benchmark_sources or {}
    by_run = scheme.rank_within is not None and scheme.rank_within.benchmarks == "run"
    group = ["cohort"] if scheme.rank_within is None or by_run else ["cohort", "area"]
    rows: list[RunBenchmark] = []
    for indicator in scheme.indicators:
        roles = [("benchmark", indicator.benchmark)] if indicator.rule == "ratio" else []
        roles += [(role, b) for role, b in (("floor", indicator.floor), ("ceiling", indicator.ceiling)) if b]
        for role, benchmark in roles:
            column = f"{indicator.key}_{role}"
            if column not in scored.columns:
                continue
            fallback = f"{column}_fallback"
            aggregations = [pl.col(column).drop_nulls().first().alias("value")]
            aggregations.append(
                pl.col(fallback).any().alias("fallback")
                if fallback in scored.columns
                else pl.lit(False).alias("fallback")
            )
            table = scored.group_by(group).agg(aggregations).sort(group, nulls_last=True)
            basis = BenchmarkBasis.CURRENT_YEAR if benchmark.kind == BenchmarkKind.FIXED else benchmark.basis
            source = {
                BenchmarkBasis.PREVIOUS_YEAR_FILINGS: sources.get("filings", {}),
                BenchmarkBasis.PREVIOUS_YEAR_RUN: sources.get("run", {}),
            }.get(basis, {})
            for row in table.iter_rows(named=True):
                fell_back = bool(row["fallback"])
                rows.append(
                    RunBenchmark(
                        run=run,
                        cohort=row["cohort"],
                        area=row.get("area") or "",
                        indicator=indicator.key,
                        role=role,
                        kind=str(benchmark.kind),
                        basis=str(basis),
                        value=None if row["value"] is None or row["value"] != row["value"] else row["value"],
                        year=run.year if basis == BenchmarkBasis.CURRENT_YEAR or fell_back else source.get("year"),
                        source_run_id=None if fell_back else source.get("id"),
                        fallback=fell_back,
                    )
                )
    return rows


def describe_sources(sources: dict[str, Any]) -> list[str]:
    """The run's benchmark_sources in words, for its page."""
    lines = []
    if "filings" in sources:
        lines.append(_("Previous-year benchmarks from the %(year)s filings (%(count)s filings).") % sources["filings"])
    if "run" in sources:
        if sources["run"].get("id"):
            lines.append(_("Previous-year benchmarks from run #%(id)s of %(year)s.") % sources["run"])
        else:
            lines.append(_("No finished run of %(year)s to take previous-year benchmarks from.") % sources["run"])
    return lines
