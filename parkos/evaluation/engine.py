"""The scoring engine: one year's filings and a scheme in, every enterprise's scores, rank and grade out (Polars).

Everything is set-based (Polars expressions over the whole frame, cohort statistics as window
expressions); there is no Python loop over enterprises, only over the scheme's few indicators.

Rules the engine applies beyond the scheme's own (each is also stated where it is coded):

- One filing per enterprise (credit_code); filings are sorted by credit_code first, so results
  do not depend on row order, floating-point sums included.
- An enterprise joins the first cohort it matches, cohorts tried by priority (unset 0) and then in
  the order listed; with cohort_overlap "refuse" an enterprise matching two cohorts stops the run.
  One matching no cohort is outside the scheme and is not in the result.
- An enterprise in a not-evaluated category gets no score, rank or grade (status not_evaluated,
  reason the category) and is left out of every cohort statistic; that category wins over vetoes
  and not-graded categories. Its indicator values are still shown.
- With rank_within, each cohort is ranked, graded and checked for size within its area; its
  statistics are per area too unless rank_within.benchmarks is "run".
- A cohort of one ranked enterprise is never graded by share (alone it holds 100 % of the ranks):
  its small-cohort rule grades it.
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
    FOUNDED,
    ID_FIELD,
    PRODUCTION_START,
    Benchmark,
    BenchmarkBasis,
    BenchmarkKind,
    BenchmarkScope,
    Cohort,
    CohortOverlap,
    Direction,
    GradeBand,
    GradingMethod,
    Indicator,
    MissingPolicy,
    NoPrevious,
    NotGradedCategory,
    Rule,
    Scheme,
    SchemeError,
    SinceField,
    SmallCohortMethod,
    condition_columns,
    since_columns,
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
    for cohort in scheme.cohorts:
        columns |= condition_columns(cohort.when)
    for category in [*scheme.not_graded, *scheme.not_evaluated]:
        if category.flag:
            columns.add(category.flag)
        if category.industries:
            columns.add("industry")
        if category.first_years is not None:
            columns |= since_columns(category.since_field)
        columns |= condition_columns(category.when)
    if scheme.rank_within is not None:
        columns.add(scheme.rank_within.column)
    for veto in scheme.vetoes:
        columns.add(veto.flag)
    return sorted(columns)


def check_filings(filings: pl.DataFrame, scheme: Scheme) -> None:
    """Raise SchemeError naming what is wrong: missing columns, missing or repeated credit codes."""
    columns = [ID_FIELD, *required_columns(scheme)]
    # a production start may be absent as a column when every enterprise falls back to its founding date
    missing = [c for c in columns if c not in filings.columns and c != PRODUCTION_START]
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


def _since_below(since: str, years: float) -> pl.Expr:
    """True where fewer than ``years`` have passed since ``since`` (null when unknown).

    Whole calendar years for founded_year and land_year (year - founded_year < years, as the first
    schemes count); for production_start, to the day: production started less than ``years`` years
    before 31 December of the evaluated year (started + years > 31 December), the founding date
    standing in for a missing start.
    """
    if since == SinceField.PRODUCTION_START:
        started = _production_start()
        whole, part = divmod(float(years), 1)
        months = int(round(whole * 12 + part * 12))
        as_of = pl.date(pl.col("year").cast(pl.Int32), 12, 31)
        return started.dt.offset_by(f"{months}mo") > as_of
    return (pl.col("year") - pl.col(since)) < years


def _production_start() -> pl.Expr:
    return pl.coalesce(pl.col(PRODUCTION_START).cast(pl.Date), pl.col(FOUNDED).cast(pl.Date))


def condition(tree: dict) -> pl.Expr:
    """A condition tree (scheme.validate_condition) as a boolean expression without nulls."""
    if "all" in tree:
        return pl.all_horizontal([condition(child) for child in tree["all"]])
    if "any" in tree:
        return pl.any_horizontal([condition(child) for child in tree["any"]])
    if "not" in tree:
        return ~condition(tree["not"])
    if "years_since" in tree:
        tests = []
        if "below" in tree:
            tests.append(_since_below(tree["years_since"], tree["below"]))
        if "at_least" in tree:
            tests.append(~_since_below(tree["years_since"], tree["at_least"]))
        return pl.all_horizontal(tests).fill_null(False)
    column = pl.col(tree["field"])
    tests = []
    if "is" in tree:
        tests.append(column.cast(pl.Boolean).fill_null(False) == tree["is"])
    if "equals" in tree:
        value = tree["equals"]
        tests.append((column.cast(pl.String) == str(value)) if isinstance(value, str) else (column == value))
    if "one_of" in tree:
        values = tree["one_of"]
        if all(isinstance(v, str) for v in values):
            tests.append(column.cast(pl.String).is_in(values))
        else:
            tests.append(column.is_in(values))
    if "prefix" in tree:
        tests.append(pl.any_horizontal([column.cast(pl.String).str.starts_with(p) for p in tree["prefix"]]))
    if "at_least" in tree:
        tests.append(column >= tree["at_least"])
    if "below" in tree:
        tests.append(column < tree["below"])
    return pl.all_horizontal(tests).fill_null(False)


def _cohort_condition(cohort: Cohort) -> pl.Expr:
    conditions = [pl.lit(True)]
    if cohort.when is not None:
        conditions.append(condition(cohort.when))
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
        conditions.append(_since_below(category.since_field, category.first_years).fill_null(False))
    if category.when is not None:
        conditions.append(condition(category.when))
    return pl.any_horizontal(conditions)


def _first_match(pairs: Iterable[tuple[pl.Expr, str]]) -> pl.Expr:
    """The label of the first condition that holds, else null."""
    expr = None
    for condition, label in pairs:
        expr = pl.when(condition).then(pl.lit(label)) if expr is None else expr.when(condition).then(pl.lit(label))
    return pl.lit(None, dtype=pl.String) if expr is None else expr.otherwise(pl.lit(None, dtype=pl.String))


#: the cohort members benchmarks and mean scores are taken over: in no not-graded or not-evaluated category
POOL = pl.col("not_graded").is_null() & pl.col("not_evaluated").is_null()
#: the columns cohorts are ranked within (cohort and area) and cohort statistics are taken within
GROUP, STAT_GROUP = "_group", "_stat_group"
_AREA_SEPARATOR = "\x1f"


def cohort_mean(value: pl.Expr, pool: pl.Expr = POOL) -> pl.Expr:
    """Mean of the pool's values (use inside .over(...)), summed one by one in credit_code order.

    Polars' own mean sums in parallel pieces whose split depends on the thread count and on the
    path (group-by or window), which changes the last bits; a running sum over the sorted rows
    does not, so a run gives the same totals, ranks and ties on any machine.
    """
    pooled = value.filter(pool).drop_nulls()
    return pooled.cum_sum().last() / pooled.count()


def _statistic(benchmark: Benchmark, value: pl.Expr, pool: pl.Expr = POOL) -> pl.Expr:
    """The benchmark as an aggregate of the pool's values (use inside .over() or .agg())."""
    if benchmark.kind == BenchmarkKind.FIXED:
        return pl.lit(float(benchmark.value) * benchmark.multiplier, dtype=pl.Float64)
    pooled = value.filter(pool)
    stat = {
        BenchmarkKind.MEAN: lambda: cohort_mean(value, pool),
        BenchmarkKind.MEDIAN: lambda: pooled.median(),
        BenchmarkKind.PERCENTILE: lambda: pooled.quantile(benchmark.percentile / 100, interpolation="linear"),
        BenchmarkKind.MIN: lambda: pooled.min(),
        BenchmarkKind.MAX: lambda: pooled.max(),
    }[benchmark.kind]()
    return stat * benchmark.multiplier


def _raw_score(indicator: Indicator, value: pl.Expr) -> tuple[pl.Expr, dict[str, Benchmark]]:
    """The item score before the missing-value policy, and the benchmarks (by column) it reads."""
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
        return ratio * weight, {f"{indicator.key}_benchmark": indicator.benchmark}
    floor, ceiling = pl.col(f"{indicator.key}_floor"), pl.col(f"{indicator.key}_ceiling")
    position = pl.when(ceiling > floor).then(((value - floor) / (ceiling - floor)).clip(0.0, 1.0)).otherwise(None)
    if indicator.direction == Direction.LOWER:
        position = 1.0 - position
    assert indicator.floor is not None and indicator.ceiling is not None  # validated
    return position * weight, {f"{indicator.key}_floor": indicator.floor, f"{indicator.key}_ceiling": indicator.ceiling}


def _benchmarks_by_column(scheme: Scheme) -> dict[str, tuple[Indicator, Benchmark]]:
    found: dict[str, tuple[Indicator, Benchmark]] = {}
    for indicator in scheme.indicators:
        for column, benchmark in _raw_score(indicator, pl.col(f"{indicator.key}_value"))[1].items():
            found[column] = (indicator, benchmark)
    return found


def _with_production_start(filings: pl.DataFrame, scheme: Scheme) -> pl.DataFrame:
    """A production_start column (all missing) when the scheme reads it and the filings have none."""
    if PRODUCTION_START in required_columns(scheme) and PRODUCTION_START not in filings.columns:
        return filings.with_columns(pl.lit(None, dtype=pl.Date).alias(PRODUCTION_START))
    return filings


def _assign(frame: pl.LazyFrame, scheme: Scheme) -> pl.LazyFrame:
    """Cohort, categories, veto and area of each enterprise (outside every cohort: left out)."""
    within = scheme.rank_within
    area = pl.col(within.column).cast(pl.String) if within else pl.lit(None, dtype=pl.String)
    not_evaluated = _first_match((_category_condition(c), c.key) for c in scheme.not_evaluated)
    evaluated = pl.col("not_evaluated").is_null()
    frame = (
        frame.with_columns(cohort=_first_match((_cohort_condition(c), c.key) for c in scheme.ordered_cohorts()))
        .filter(pl.col("cohort").is_not_null())
        .with_columns(not_evaluated=not_evaluated, area=area)
        .with_columns(
            not_graded=pl.when(evaluated).then(
                _first_match((_category_condition(c), c.key) for c in scheme.not_graded)
            ),
            veto=pl.when(evaluated).then(_first_match((pl.col(v.flag).fill_null(False), v.key) for v in scheme.vetoes)),
        )
    )
    return frame.with_columns(**_group_columns(scheme))


def _group_columns(scheme: Scheme) -> dict[str, pl.Expr]:
    within = scheme.rank_within
    if within is None:
        return {GROUP: pl.col("cohort"), STAT_GROUP: pl.col("cohort")}
    group = pl.col("cohort") + _AREA_SEPARATOR + pl.col("area").fill_null("")
    by_area = within.benchmarks == BenchmarkScope.AREA
    return {GROUP: group, STAT_GROUP: group if by_area else pl.col("cohort")}


def _values(frame: pl.LazyFrame, scheme: Scheme) -> pl.LazyFrame:
    # indicator values: non-finite results (overflow) count as missing like division by zero
    values = {}
    for indicator in scheme.indicators:
        value = indicator.parsed().to_polars()
        values[f"{indicator.key}_value"] = pl.when(value.is_finite()).then(value).otherwise(None)
    return frame.with_columns(**values)


def _check_overlap(frame: pl.LazyFrame, scheme: Scheme) -> None:
    """With cohort_overlap "refuse": an enterprise matching two cohorts stops the run, named with its cohorts."""
    cohorts = scheme.ordered_cohorts()
    matches = frame.select(ID_FIELD, **{f"_in_{c.key}": _cohort_condition(c) for c in cohorts}).filter(
        pl.sum_horizontal([pl.col(f"_in_{c.key}").cast(pl.Int32) for c in cohorts]) > 1
    )
    found = matches.head(5).collect()
    if found.height:
        examples = [
            f"{row[ID_FIELD]} ({', '.join(c.key for c in cohorts if row[f'_in_{c.key}'])})"
            for row in found.iter_rows(named=True)
        ]
        raise SchemeError(
            _(
                "Cohorts overlap and the scheme refuses overlaps: %(examples)s. Narrow a cohort's conditions,"
                " or set cohort_overlap to first_match (cohorts are then tried by priority, then in order)."
            )
            % {"examples": "; ".join(examples)}
        )


def previous_values(previous_filings: pl.DataFrame, scheme: Scheme) -> pl.DataFrame:
    """The previous year's filings as previous-year benchmarks read them: cohort, area, pooled and each
    indicator's <key>_value, with this scheme's cohorts and categories applied to that year."""
    previous_filings = _with_production_start(previous_filings, scheme)
    check_filings(previous_filings, scheme)
    columns = list(dict.fromkeys([ID_FIELD, *required_columns(scheme)]))
    frame = _values(_assign(previous_filings.lazy().select(columns).sort(ID_FIELD), scheme), scheme)
    return frame.select(
        ID_FIELD,
        "cohort",
        "area",
        pooled=POOL,
        **{f"{i.key}_value": pl.col(f"{i.key}_value") for i in scheme.indicators},
    ).collect()


def _previous_statistics(
    frame: pl.LazyFrame,
    scheme: Scheme,
    basis: BenchmarkBasis,
    columns: dict[str, tuple[Indicator, Benchmark]],
    previous: pl.DataFrame | None,
) -> pl.LazyFrame:
    """``frame`` with _prev_<column> for each benchmark of ``basis``: the statistic over the previous year's cohort."""
    if previous is None or previous.height == 0:
        refusing = [c for c, (_i, b) in columns.items() if b.if_no_previous == NoPrevious.ERROR]
        if refusing:
            what = _("filings") if basis == BenchmarkBasis.PREVIOUS_YEAR_FILINGS else _("finished run")
            raise SchemeError(
                _(
                    "The benchmarks %(columns)s are taken from the previous year's %(what)s, and there is none."
                    " Load the previous year (or run it), or set if_no_previous to current_year to use this year's."
                )
                % {"columns": ", ".join(refusing), "what": what}
            )
        return frame.with_columns(**{f"_prev_{c}": pl.lit(None, dtype=pl.Float64) for c in columns})
    previous_lazy = (
        previous.lazy()
        .sort(ID_FIELD)
        .with_columns(**_group_columns(scheme))
        .group_by(STAT_GROUP)
        .agg(
            **{
                f"_prev_{c}": _statistic(b, pl.col(f"{i.key}_value"), pl.col("pooled")).cast(pl.Float64)
                for c, (i, b) in columns.items()
            }
        )
    )
    return frame.join(previous_lazy, on=STAT_GROUP, how="left")


def score(
    filings: pl.DataFrame,
    scheme: Scheme,
    *,
    keep: Sequence[str] = (),
    previous_filings: pl.DataFrame | None = None,
    previous_results: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Score, rank and grade one year's filings under a scheme.

    `filings` has one row per enterprise (credit_code) with the columns the scheme reads
    (required_columns); `keep` names further columns to carry into the result (parcel, park,
    brand, district keys for roll-ups). Benchmarks on the previous year read `previous_filings`
    (that year's filings, same columns) or `previous_results` (a previous run's results: credit_code,
    cohort, area, pooled and <key>_value; see previous_values). The result has one row per
    enterprise in one of the scheme's cohorts, sorted by credit_code, with: cohort, not_graded
    (category key or null), veto (veto key or null), per indicator <key>_value, <key>_benchmark
    (or _floor and _ceiling; with <column>_fallback for previous-year ones), <key>_score (null
    only when dropped or not evaluated), per adjustment <key>_points, then items_total (the item
    scores, rescaled where items were dropped), adjustment_points, total, rank and cohort_size
    (among the enterprises graded by rank in the cohort and area), grade and status (graded,
    vetoed, not_graded, not_evaluated) and reason, the density fields (tax, value_added,
    industrial_output, land_mu) present, then not_evaluated, area, graded_with, graded_with_rank,
    graded_with_size, and production_start_used and production_start_fallback when the scheme
    reads a production start.
    """
    filings = _with_production_start(filings, scheme)
    check_filings(filings, scheme)
    missing_keep = [c for c in keep if c not in filings.columns]
    if missing_keep:
        raise SchemeError(_("The filings lack the columns %(columns)s.") % {"columns": ", ".join(missing_keep)})
    carry = [c for c in (*DENSITY_FIELDS, "land_mu") if c in filings.columns]
    columns = list(dict.fromkeys([ID_FIELD, *required_columns(scheme), *carry, *keep]))

    source = filings.lazy().select(columns).sort(ID_FIELD)
    if scheme.cohort_overlap == CohortOverlap.REFUSE:
        _check_overlap(source, scheme)
    frame = _values(_assign(source, scheme), scheme)

    raw_scores: dict[str, pl.Expr] = {}
    bench_columns = _benchmarks_by_column(scheme)
    for indicator in scheme.indicators:
        raw_scores[indicator.key] = _raw_score(indicator, pl.col(f"{indicator.key}_value"))[0]
    benchmarks: dict[str, pl.Expr] = {}
    fallbacks: dict[str, pl.Expr] = {}
    for basis, previous in (
        (BenchmarkBasis.PREVIOUS_YEAR_FILINGS, previous_filings),
        (BenchmarkBasis.PREVIOUS_YEAR_RUN, previous_results),
    ):
        of_basis = {c: ib for c, ib in bench_columns.items() if ib[1].is_previous_year and ib[1].basis == basis}
        if of_basis:
            if basis == BenchmarkBasis.PREVIOUS_YEAR_FILINGS and previous is not None and previous.height:
                previous = previous_values(previous, scheme)
            frame = _previous_statistics(frame, scheme, basis, of_basis, previous)
    for column, (indicator, benchmark) in bench_columns.items():
        value = pl.col(f"{indicator.key}_value")
        if benchmark.kind == BenchmarkKind.FIXED:
            benchmarks[column] = _statistic(benchmark, value)
            continue
        current = _statistic(benchmark, value).over(STAT_GROUP)
        if not benchmark.is_previous_year:
            benchmarks[column] = current
            continue
        previous_stat = pl.col(f"_prev_{column}")
        fallbacks[f"{column}_fallback"] = previous_stat.is_null()
        if benchmark.if_no_previous == NoPrevious.CURRENT_YEAR:
            benchmarks[column] = pl.coalesce(previous_stat, current)
        else:
            benchmarks[column] = previous_stat
    frame = frame.with_columns(**benchmarks, **fallbacks).with_columns(
        **{f"{key}_raw": raw for key, raw in raw_scores.items()}
    )

    scores = {}
    for indicator in scheme.indicators:
        raw = pl.col(f"{indicator.key}_raw")
        if indicator.missing == MissingPolicy.ZERO:
            scores[f"{indicator.key}_score"] = raw.fill_null(0.0)
        elif indicator.missing == MissingPolicy.COHORT_MEAN:
            # a cohort where nobody has a value has no mean score to give: zero
            scores[f"{indicator.key}_score"] = raw.fill_null(cohort_mean(raw).over(STAT_GROUP)).fill_null(0.0)
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
    if scheme.not_evaluated:
        # not evaluated means not scored: values stay to be read, every score goes
        evaluated = pl.col("not_evaluated").is_null()
        unscored = [f"{i.key}_score" for i in scheme.indicators] + [
            *points,
            "items_total",
            "adjustment_points",
            "total",
        ]
        frame = frame.with_columns(**{name: pl.when(evaluated).then(pl.col(name)) for name in unscored})

    ranked = POOL & pl.col("veto").is_null()
    grading = scheme.grading
    by_share = grading.method == GradingMethod.SHARE
    frame = frame.with_columns(
        rank=pl.when(ranked).then(pl.col("total")).rank("min", descending=True).over(GROUP).cast(pl.Int64),
        cohort_size=ranked.sum().over(GROUP).cast(pl.Int64),
    )
    frame = frame.with_columns(cohort_size=pl.when(ranked).then(pl.col("cohort_size")))
    min_size = pl.lit(grading.min_cohort_size)
    for cohort in scheme.cohorts:
        if cohort.small is not None:
            min_size = pl.when(pl.col("cohort") == cohort.key).then(pl.lit(cohort.small.min_size)).otherwise(min_size)
    small = pl.col("cohort_size") < min_size
    if by_share:
        # alone, an enterprise holds 100 % of its cohort's ranks: it would take the last grade for being alone
        small = small | (pl.col("cohort_size") == 1)
    scored = frame.with_columns(_small=small.fill_null(False)).collect()

    for column in fallbacks:
        benchmark = bench_columns[column[: -len("_fallback")]][1]
        if benchmark.if_no_previous == NoPrevious.ERROR and scored[column].any():
            cohorts = scored.filter(pl.col(column))["cohort"].unique().sort().to_list()
            raise SchemeError(
                _(
                    "The benchmark %(column)s is taken from the previous year, which has no figures for the cohorts"
                    " %(cohorts)s. Load the previous year, or set if_no_previous to current_year to use this year's."
                )
                % {"column": column[: -len("_fallback")], "cohorts": ", ".join(map(str, cohorts))}
            )

    scored = _grade(scored, scheme, ranked)

    indicator_columns = []
    for indicator in scheme.indicators:
        indicator_columns.append(f"{indicator.key}_value")
        for name in bench_columns:
            if name.startswith(f"{indicator.key}_") and name not in indicator_columns:
                indicator_columns.append(name)
                if f"{name}_fallback" in fallbacks:
                    indicator_columns.append(f"{name}_fallback")
        indicator_columns.append(f"{indicator.key}_score")
    extra = ["not_evaluated", "area", "graded_with", "graded_with_rank", "graded_with_size"]
    if PRODUCTION_START in required_columns(scheme):
        scored = scored.with_columns(
            production_start_used=_production_start(),
            production_start_fallback=pl.col(PRODUCTION_START).is_null() & pl.col(FOUNDED).is_not_null(),
        )
        extra += ["production_start_used", "production_start_fallback"]
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
        *extra,
    ]
    return scored.select(list(dict.fromkeys(output)))


def _share_grade(bands: Sequence[GradeBand], rank: pl.Expr, size: pl.Expr) -> pl.Expr:
    conditions = [rank <= band.top_share * size.cast(pl.Float64) + SHARE_EPSILON for band in bands[:-1]]
    by_rank = _first_match(zip(conditions, [b.grade for b in bands[:-1]], strict=True))
    return pl.coalesce(by_rank, pl.lit(bands[-1].grade))


def _score_grade(bands: Sequence[GradeBand]) -> pl.Expr:
    conditions = [pl.col("total") >= band.min_score for band in bands[:-1]]
    return pl.coalesce(
        _first_match(zip(conditions, [b.grade for b in bands[:-1]], strict=True)), pl.lit(bands[-1].grade)
    )


def _graded_with(scored: pl.DataFrame, scheme: Scheme, ranked: pl.Expr) -> pl.DataFrame:
    """For small cohorts graded with a larger one: credit_code, graded_with, its as-if rank and the group's size + 1."""
    parts = []
    members_all = scored.filter(ranked & ~pl.col("_small"))
    for cohort in scheme.cohorts:
        rule = cohort.small
        if rule is None or rule.method != SmallCohortMethod.GRADE_WITH:
            continue
        target = rule.cohort or cohort.key
        rows = scored.filter(ranked & pl.col("_small") & (pl.col("cohort") == cohort.key)).select(
            ID_FIELD, "area", "total"
        )
        if not rows.height:
            continue
        members = members_all.filter(pl.col("cohort") == target).select("area", m_total=pl.col("total"))
        same_area = scheme.rank_within is not None and not rule.across_areas
        joined = (
            rows.join(members, on="area", how="left", nulls_equal=True)
            if same_area
            else rows.join(members.drop("area"), how="cross")
        )
        counted = joined.group_by(ID_FIELD).agg(
            graded_with_rank=((pl.col("m_total") > pl.col("total")).sum() + 1).cast(pl.Int64),
            graded_with_size=(pl.col("m_total").count() + 1).cast(pl.Int64),
        )
        # a group with nobody to rank against gives no grade: rank 1 of 1 would be the last grade
        counted = (
            rows.select(ID_FIELD)
            .join(counted, on=ID_FIELD, how="left")
            .with_columns(
                graded_with=pl.when(pl.col("graded_with_size") > 1).then(pl.lit(target)),
            )
        )
        parts.append(counted)
    schema = {ID_FIELD: scored.schema[ID_FIELD], "graded_with_rank": pl.Int64, "graded_with_size": pl.Int64}
    if not parts:
        return pl.DataFrame(schema={**schema, "graded_with": pl.String})
    return pl.concat(parts, how="diagonal_relaxed").select(
        ID_FIELD, "graded_with", "graded_with_rank", "graded_with_size"
    )


def _grade(scored: pl.DataFrame, scheme: Scheme, ranked: pl.Expr) -> pl.DataFrame:
    grading = scheme.grading
    bands = grading.bands
    if grading.method == GradingMethod.SHARE:
        by_rank = _share_grade(bands, pl.col("rank"), pl.col("cohort_size"))
    else:
        by_rank = _score_grade(bands)
    scored = scored.join(_graded_with(scored, scheme, ranked), on=ID_FIELD, how="left", maintain_order="left")
    with_grade = pl.when(pl.col("graded_with").is_not_null()).then(
        _share_grade(bands, pl.col("graded_with_rank"), pl.col("graded_with_size"))
    )
    small_grade = pl.lit(grading.small_cohort_grade, dtype=pl.String)
    for cohort in scheme.cohorts:
        rule = cohort.small
        if rule is None:
            continue
        if rule.method == SmallCohortMethod.FIXED_GRADE:
            grade = pl.lit(rule.grade, dtype=pl.String)
        elif rule.method == SmallCohortMethod.SCORE_BANDS:
            grade = _score_grade(rule.bands)
        elif rule.method == SmallCohortMethod.GRADE_WITH:
            grade = with_grade
        else:
            grade = pl.lit(None, dtype=pl.String)
        small_grade = pl.when(pl.col("cohort") == cohort.key).then(grade).otherwise(small_grade)
    small = pl.col("_small")
    veto_grade = _first_match((pl.col("veto") == v.key, v.grade) for v in scheme.vetoes)
    scored = scored.with_columns(
        grade=pl.when(pl.col("not_evaluated").is_not_null())
        .then(pl.lit(None, dtype=pl.String))
        .when(pl.col("veto").is_not_null())
        .then(veto_grade)
        .when(pl.col("not_graded").is_not_null())
        .then(pl.lit(None, dtype=pl.String))
        .when(small)
        .then(small_grade)
        .otherwise(by_rank),
        # the stored result's vocabulary (outcomes.ResultStatus), and why an enterprise is not graded by rank
        reason=pl.coalesce(
            pl.col("not_evaluated"),
            pl.col("veto"),
            pl.col("not_graded"),
            pl.when(small).then(pl.lit(SMALL_COHORT)),
            pl.lit(""),
        ),
    )
    return scored.with_columns(
        status=pl.when(pl.col("not_evaluated").is_not_null())
        .then(pl.lit(ResultStatus.NOT_EVALUATED.value))
        .when(pl.col("veto").is_not_null())
        .then(pl.lit(ResultStatus.VETOED.value))
        .when(pl.col("grade").is_null())
        .then(pl.lit(ResultStatus.NOT_GRADED.value))
        .otherwise(pl.lit(ResultStatus.GRADED.value)),
    )


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

    The scheme's JSON is its scoring_json: display-only translations (label_zh, unit_zh, name_zh,
    description_zh) are left out, so naming things in both languages keeps the fingerprint.

    Columns the scheme does not read (names, addresses) do not change the fingerprint; row order
    does not either. CSV keeps the hash independent of Polars' in-memory layout.
    """
    columns = [ID_FIELD, *required_columns(scheme)]
    if "year" in filings.columns and "year" not in columns:
        columns.append("year")
    frame = filings.select(columns).sort(ID_FIELD)
    digest = hashlib.sha256()
    digest.update(scheme.scoring_json().encode("utf-8"))
    digest.update(b"\0")
    digest.update(",".join(columns).encode("utf-8"))
    for start in range(0, max(frame.height, 1), chunk_rows):
        digest.update(frame.slice(start, chunk_rows).write_csv(include_header=False).encode("utf-8"))
    return digest.hexdigest()


__all__ = ["FILING_FIELDS", "check_filings", "fingerprint", "required_columns", "rollup", "score"]
