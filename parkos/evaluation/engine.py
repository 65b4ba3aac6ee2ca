"""The scoring engine: one year's filings and a scheme in, every enterprise's scores, rank and grade out (Polars).

Everything is set-based (Polars expressions over the whole frame, cohort statistics as window
expressions); there is no Python loop over enterprises, only over the scheme's few indicators.

Rules the engine applies beyond the scheme's own (each is also stated where it is coded):

- One filing per enterprise (credit_code); filings are sorted by credit_code first, so results
  do not depend on row order, floating-point sums included.
- An enterprise joins the first cohort it matches; one matching no cohort is outside the scheme
  and is not in the result.
- Division by zero or by a missing value gives a missing value (land_mu = 0 → no per-mu figures),
  never an infinity; then the indicator's missing-value policy applies.
- Cohort benchmarks and the "cohort_mean" missing score are taken over the cohort's graded
  enterprises (not those in a not-graded category), vetoed ones included: their figures are real.
- Ranks are competition ranks ("1224") within the cohort over the enterprises that are graded by
  rank (neither not-graded nor vetoed): equal totals share the best rank, so ties at a grade
  boundary all get the better grade.
- A veto wins over a not-graded category: an enterprise with a major incident is graded by the
  veto even when it is a utility or a newcomer.
"""

from __future__ import annotations

import functools
import hashlib
import operator
from collections.abc import Iterable, Sequence

import polars as pl
from django.utils.translation import gettext as _

from parkos.evaluation.outcomes import SMALL_COHORT, ResultStatus
from parkos.evaluation.scheme import (
    FILING_FIELDS,
    ID_FIELD,
    Benchmark,
    BenchmarkKind,
    Cohort,
    Direction,
    GradingMethod,
    Indicator,
    MissingPolicy,
    NotGradedCategory,
    Rule,
    Scheme,
    SchemeError,
)

#: share boundaries are compared as rank ≤ share × size + EPSILON, so that 0.7 × 30 = 20.999… still admits rank 21
SHARE_EPSILON = 1e-9
#: columns that roll-ups total when the filings carry them
DENSITY_FIELDS = ("tax", "value_added", "industrial_output")



def required_columns(scheme: Scheme) -> list[str]:
    """The filing columns a scheme reads (besides credit_code), sorted."""
    columns: set[str] = set()
    for indicator in scheme.indicators:
        columns |= indicator.parsed().fields
    for adjustment in scheme.adjustments:
        columns |= adjustment.parsed(scheme.adjustment_flags).fields
    for cohort in scheme.cohorts:
        if cohort.industries:
            columns.add("industry")
        if cohort.above_size_threshold is not None:
            columns.add("above_size_threshold")
        if cohort.min_land_mu is not None or cohort.max_land_mu is not None:
            columns.add("land_mu")
        if cohort.flag:
            columns.add(cohort.flag)
    for category in scheme.not_graded:
        if category.flag:
            columns.add(category.flag)
        if category.industries:
            columns.add("industry")
        if category.first_years is not None:
            columns |= {"year", category.since_field}
    for veto in scheme.vetoes:
        columns.add(veto.flag)
    return sorted(columns)


def check_filings(filings: pl.DataFrame, scheme: Scheme) -> None:
    """Raise SchemeError naming what is wrong: missing columns, missing or repeated credit codes."""
    columns = [ID_FIELD, *required_columns(scheme)]
    missing = [c for c in columns if c not in filings.columns]
    if missing:
        raise SchemeError(
            _("The filings lack the columns %(columns)s, which scheme %(scheme)r reads.")
            % {"columns": ", ".join(missing), "scheme": scheme.key}
        )
    if filings[ID_FIELD].null_count():
        row = filings.with_row_index("row").filter(pl.col(ID_FIELD).is_null())["row"][0]
        raise SchemeError(_("Filing row %(row)d has no credit_code.") % {"row": row + 1})
    repeated = filings.filter(pl.col(ID_FIELD).is_duplicated())[ID_FIELD].unique().sort()
    if len(repeated):
        raise SchemeError(
            _("Each enterprise needs exactly one filing; these credit codes have several: %(codes)s.")
            % {"codes": ", ".join(map(str, repeated.head(5).to_list())) + (" …" if len(repeated) > 5 else "")}
        )


def _industry_match(prefixes: Sequence[str]) -> pl.Expr:
    return pl.any_horizontal([pl.col("industry").cast(pl.String).str.starts_with(p) for p in prefixes]).fill_null(False)


def _cohort_condition(cohort: Cohort) -> pl.Expr:
    conditions = [pl.lit(True)]
    if cohort.industries:
        conditions.append(_industry_match(cohort.industries))
    if cohort.above_size_threshold is not None:
        conditions.append(pl.col("above_size_threshold").fill_null(False) == cohort.above_size_threshold)
    if cohort.min_land_mu is not None:
        conditions.append((pl.col("land_mu") >= cohort.min_land_mu).fill_null(False))
    if cohort.max_land_mu is not None:
        conditions.append((pl.col("land_mu") < cohort.max_land_mu).fill_null(False))
    if cohort.flag:
        conditions.append(pl.col(cohort.flag).fill_null(False))
    return pl.all_horizontal(conditions)


def _category_condition(category: NotGradedCategory) -> pl.Expr:
    conditions = []
    if category.flag:
        conditions.append(pl.col(category.flag).fill_null(False))
    if category.industries:
        conditions.append(_industry_match(category.industries))
    if category.first_years is not None:
        conditions.append(((pl.col("year") - pl.col(category.since_field)) < category.first_years).fill_null(False))
    return pl.any_horizontal(conditions)


def _first_match(pairs: Iterable[tuple[pl.Expr, str]]) -> pl.Expr:
    """The label of the first condition that holds, else null."""
    expr = None
    for condition, label in pairs:
        expr = pl.when(condition).then(pl.lit(label)) if expr is None else expr.when(condition).then(pl.lit(label))
    return pl.lit(None, dtype=pl.String) if expr is None else expr.otherwise(pl.lit(None, dtype=pl.String))


POOL = pl.col("not_graded").is_null()  # the cohort members benchmarks and mean scores are taken over


def cohort_mean(value: pl.Expr) -> pl.Expr:
    """Mean of the pool's values (use inside .over("cohort")), summed one by one in credit_code order.

    Polars' own mean sums in parallel pieces whose split depends on the thread count and on the
    path (group-by or window), which changes the last bits; a running sum over the sorted rows
    does not, so a run gives the same totals, ranks and ties on any machine.
    """
    pooled = value.filter(POOL).drop_nulls()
    return pooled.cum_sum().last() / pooled.count()


def _statistic(benchmark: Benchmark, value: pl.Expr) -> pl.Expr:
    if benchmark.kind == BenchmarkKind.FIXED:
        return pl.lit(float(benchmark.value) * benchmark.multiplier, dtype=pl.Float64)
    pooled = value.filter(POOL)
    stat = {
        BenchmarkKind.MEAN: lambda: cohort_mean(value),
        BenchmarkKind.MEDIAN: lambda: pooled.median(),
        BenchmarkKind.PERCENTILE: lambda: pooled.quantile(benchmark.percentile / 100, interpolation="linear"),
        BenchmarkKind.MIN: lambda: pooled.min(),
        BenchmarkKind.MAX: lambda: pooled.max(),
    }[benchmark.kind]()
    return (stat * benchmark.multiplier).over("cohort")


def _raw_score(indicator: Indicator, value: pl.Expr) -> tuple[pl.Expr, dict[str, pl.Expr]]:
    """The item score before the missing-value policy, and the benchmark columns to show beside it."""
    weight = float(indicator.weight)
    if indicator.rule == Rule.RATIO:
        bench = pl.col(f"{indicator.key}_benchmark")
        if indicator.direction == Direction.HIGHER:
            ratio = pl.when(bench > 0).then(value / bench)
        else:
            # lower is better: benchmark / value; a value of zero is the best possible, so it earns
            # the cap when there is one and is missing (no finite score) when there is not
            zero_value = (
                pl.lit(indicator.cap, dtype=pl.Float64) if indicator.cap is not None else pl.lit(None, pl.Float64)
            )
            ratio = (
                pl.when((bench > 0) & (value > 0)).then(bench / value).when((bench > 0) & (value == 0)).then(zero_value)
            )
        ratio = ratio.otherwise(None)
        if indicator.cap is not None:
            ratio = ratio.clip(upper_bound=float(indicator.cap))
        return ratio * weight, {f"{indicator.key}_benchmark": _statistic(indicator.benchmark, value)}
    floor, ceiling = pl.col(f"{indicator.key}_floor"), pl.col(f"{indicator.key}_ceiling")
    position = pl.when(ceiling > floor).then(((value - floor) / (ceiling - floor)).clip(0.0, 1.0)).otherwise(None)
    if indicator.direction == Direction.LOWER:
        position = 1.0 - position
    return position * weight, {
        f"{indicator.key}_floor": _statistic(indicator.floor, value),
        f"{indicator.key}_ceiling": _statistic(indicator.ceiling, value),
    }


def score(filings: pl.DataFrame, scheme: Scheme, *, keep: Sequence[str] = ()) -> pl.DataFrame:
    """Score, rank and grade one year's filings under a scheme.

    `filings` has one row per enterprise (credit_code) with the columns the scheme reads
    (required_columns); `keep` names further columns to carry into the result (parcel, park,
    brand, district keys for roll-ups). The result has one row per enterprise in one of the
    scheme's cohorts, sorted by credit_code, with: cohort, not_graded (category key or null),
    veto (veto key or null), per indicator <key>_value, <key>_benchmark (or _floor and _ceiling),
    <key>_score (null only when dropped), per adjustment <key>_points, then items_total (the item
    scores, rescaled where items were dropped), adjustment_points, total, rank and cohort_size
    (among the enterprises graded by rank), grade and status (ranked, veto, not_graded,
    small_cohort), and the density fields (tax, value_added, industrial_output, land_mu) present.
    """
    check_filings(filings, scheme)
    missing_keep = [c for c in keep if c not in filings.columns]
    if missing_keep:
        raise SchemeError(_("The filings lack the columns %(columns)s.") % {"columns": ", ".join(missing_keep)})
    carry = [c for c in (*DENSITY_FIELDS, "land_mu") if c in filings.columns]
    columns = list(dict.fromkeys([ID_FIELD, *required_columns(scheme), *carry, *keep]))

    frame = (
        filings.lazy()
        .select(columns)
        .sort(ID_FIELD)
        .with_columns(cohort=_first_match((_cohort_condition(c), c.key) for c in scheme.cohorts))
        .filter(pl.col("cohort").is_not_null())
        .with_columns(
            not_graded=_first_match((_category_condition(c), c.key) for c in scheme.not_graded),
            veto=_first_match((pl.col(v.flag).fill_null(False), v.key) for v in scheme.vetoes),
        )
    )

    # indicator values: non-finite results (overflow) count as missing like division by zero
    values = {}
    for indicator in scheme.indicators:
        value = indicator.parsed().to_polars()
        values[f"{indicator.key}_value"] = pl.when(value.is_finite()).then(value).otherwise(None)
    frame = frame.with_columns(**values)

    raw_scores, benchmarks = {}, {}
    for indicator in scheme.indicators:
        raw, bench = _raw_score(indicator, pl.col(f"{indicator.key}_value"))
        raw_scores[indicator.key] = raw
        benchmarks.update(bench)
    frame = frame.with_columns(**benchmarks).with_columns(**{f"{key}_raw": raw for key, raw in raw_scores.items()})

    scores = {}
    for indicator in scheme.indicators:
        raw = pl.col(f"{indicator.key}_raw")
        if indicator.missing == MissingPolicy.ZERO:
            scores[f"{indicator.key}_score"] = raw.fill_null(0.0)
        elif indicator.missing == MissingPolicy.COHORT_MEAN:
            # a cohort where nobody has a value has no mean score to give: zero
            scores[f"{indicator.key}_score"] = raw.fill_null(cohort_mean(raw).over("cohort")).fill_null(0.0)
        else:
            scores[f"{indicator.key}_score"] = raw
    frame = frame.with_columns(**scores).drop([f"{key}_raw" for key in raw_scores])

    total_weight = sum(float(i.weight) for i in scheme.indicators)
    present_weight = pl.sum_horizontal(
        [
            pl.when(pl.col(f"{i.key}_score").is_not_null()).then(float(i.weight)).otherwise(0.0)
            for i in scheme.indicators
        ]
    )
    # added left to right in the scheme's order (dropped items add nothing), so the floating-point
    # sum is the one a reader (or an SQL query) writing s1 + s2 + ... gets
    item_sum = functools.reduce(operator.add, [pl.col(f"{i.key}_score").fill_null(0.0) for i in scheme.indicators])
    # dropped items: the others are scaled to the full weight; with no item at all the enterprise scores 0
    items_total = pl.when(present_weight > 0).then(item_sum * (total_weight / present_weight)).otherwise(0.0)
    points = {}
    for adjustment in scheme.adjustments:
        value = adjustment.parsed(scheme.adjustment_flags).to_polars()
        raw = (value * float(adjustment.points)).fill_nan(None).fill_null(0.0)
        if adjustment.max_points is not None:
            raw = raw.clip(-float(adjustment.max_points), float(adjustment.max_points))
        points[f"{adjustment.key}_points"] = raw
    frame = frame.with_columns(items_total=items_total, **points)
    frame = frame.with_columns(
        adjustment_points=pl.sum_horizontal([pl.col(name) for name in points]) if points else pl.lit(0.0),
    ).with_columns(total=pl.col("items_total") + pl.col("adjustment_points"))

    ranked = POOL & pl.col("veto").is_null()
    frame = frame.with_columns(
        rank=pl.when(ranked).then(pl.col("total")).rank("min", descending=True).over("cohort").cast(pl.Int64),
        cohort_size=ranked.sum().over("cohort").cast(pl.Int64),
    )
    frame = frame.with_columns(cohort_size=pl.when(ranked).then(pl.col("cohort_size")))

    grading = scheme.grading
    bands = grading.bands
    if grading.method == GradingMethod.SHARE:
        size = pl.col("cohort_size").cast(pl.Float64)
        conditions = [pl.col("rank") <= band.top_share * size + SHARE_EPSILON for band in bands[:-1]]
    else:
        conditions = [pl.col("total") >= band.min_score for band in bands[:-1]]
    by_rank = _first_match(zip(conditions, [b.grade for b in bands[:-1]], strict=True))
    by_rank = pl.coalesce(by_rank, pl.lit(bands[-1].grade))
    small = pl.col("cohort_size") < grading.min_cohort_size
    small_grade = pl.lit(grading.small_cohort_grade, dtype=pl.String)
    veto_grade = _first_match((pl.col("veto") == v.key, v.grade) for v in scheme.vetoes)
    frame = frame.with_columns(
        grade=pl.when(pl.col("veto").is_not_null())
        .then(veto_grade)
        .when(pl.col("not_graded").is_not_null())
        .then(pl.lit(None, dtype=pl.String))
        .when(small)
        .then(small_grade)
        .otherwise(by_rank),
        # the stored result's vocabulary (outcomes.ResultStatus), and why an enterprise is not graded by rank
        reason=pl.coalesce(
            pl.col("veto"), pl.col("not_graded"), pl.when(small).then(pl.lit(SMALL_COHORT)), pl.lit("")
        ),
    )
    frame = frame.with_columns(
        status=pl.when(pl.col("veto").is_not_null())
        .then(pl.lit(ResultStatus.VETOED.value))
        .when(pl.col("grade").is_null())
        .then(pl.lit(ResultStatus.NOT_GRADED.value))
        .otherwise(pl.lit(ResultStatus.GRADED.value)),
    )

    indicator_columns = []
    for indicator in scheme.indicators:
        indicator_columns.append(f"{indicator.key}_value")
        indicator_columns += [
            name for name in benchmarks if name.startswith(f"{indicator.key}_") and name not in indicator_columns
        ]
        indicator_columns.append(f"{indicator.key}_score")
    output = [
        ID_FIELD,
        "cohort",
        "not_graded",
        "veto",
        *indicator_columns,
        *points,
        "items_total",
        "adjustment_points",
        "total",
        "rank",
        "cohort_size",
        "grade",
        "status",
        "reason",
        *[c for c in (*carry, *keep) if c not in (ID_FIELD,)],
    ]
    return frame.select(list(dict.fromkeys(output))).collect()


def rollup(scored: pl.DataFrame, by: str | Sequence[str], grades: Sequence[str]) -> pl.DataFrame:
    """Economic density and grade mix per group (parcel, park, brand, district ...).

    Densities are totals over totals (sum of tax / sum of land), never a mean of enterprise ratios.
    Each density sums the enterprises that have both the figure and land above zero, so an
    enterprise without land adds neither its tax nor a zero area. Grade counts are grade_<G>;
    not_graded counts enterprises without a grade.
    """
    keys = [by] if isinstance(by, str) else list(by)
    land = pl.col("land_mu")
    aggregations = [
        pl.len().alias("enterprises"),
        land.filter(land > 0).sum().alias("land_mu"),
    ]
    for name in DENSITY_FIELDS:
        if name not in scored.columns:
            continue
        mask = (land > 0) & pl.col(name).is_not_null()
        total, area = pl.col(name).filter(mask).sum(), land.filter(mask).sum()
        aggregations += [
            pl.col(name).sum().alias(name),
            pl.when(area > 0).then(total / area).otherwise(None).alias(f"{name}_per_mu"),
        ]
    aggregations += [(pl.col("grade") == grade).sum().cast(pl.Int64).alias(f"grade_{grade}") for grade in grades]
    aggregations.append(pl.col("grade").is_null().sum().cast(pl.Int64).alias("not_graded"))
    if not keys:
        return scored.select(aggregations)
    return scored.group_by(keys).agg(aggregations).sort(keys, nulls_last=True)


def fingerprint(filings: pl.DataFrame, scheme: Scheme, *, chunk_rows: int = 200_000) -> str:
    """SHA-256 of the scheme's JSON and of the filing columns it reads, sorted by credit_code, as CSV.

    Columns the scheme does not read (names, addresses) do not change the fingerprint; row order
    does not either. CSV keeps the hash independent of Polars' in-memory layout.
    """
    columns = [ID_FIELD, *required_columns(scheme)]
    if "year" in filings.columns and "year" not in columns:
        columns.append("year")
    frame = filings.select(columns).sort(ID_FIELD)
    digest = hashlib.sha256()
    digest.update(scheme.to_json().encode("utf-8"))
    digest.update(b"\0")
    digest.update(",".join(columns).encode("utf-8"))
    for start in range(0, max(frame.height, 1), chunk_rows):
        digest.update(frame.slice(start, chunk_rows).write_csv(include_header=False).encode("utf-8"))
    return digest.hexdigest()


__all__ = ["FILING_FIELDS", "check_filings", "fingerprint", "required_columns", "rollup", "score"]
