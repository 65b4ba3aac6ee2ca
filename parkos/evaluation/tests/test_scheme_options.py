"""Issue 19: what published methods say, as scheme data, at the edges the issue names."""

from __future__ import annotations

import dataclasses
import datetime

import polars as pl
import pytest

from parkos.evaluation.engine import fingerprint, previous_values, score
from parkos.evaluation.scheme import (
    Benchmark,
    Cohort,
    GradeBand,
    Grading,
    Indicator,
    NotGradedCategory,
    RankWithin,
    Scheme,
    SchemeError,
    SmallCohortRule,
    default_schemes,
)

SHARES = [GradeBand("A", top_share=0.25), GradeBand("B", top_share=0.7), GradeBand("C", top_share=0.95), GradeBand("D")]
#: "above the size threshold, whatever its land; or below it with at least 3 mu"
ABOVE_OR_3MU = {
    "any": [
        {"field": "above_size_threshold", "is": True},
        {"all": [{"not": {"field": "above_size_threshold", "is": True}}, {"field": "land_mu", "at_least": 3}]},
    ]
}


def tax_scheme(**changes) -> Scheme:
    base = Scheme(
        key="tax",
        name="Tax per mu",
        version=1,
        indicators=[Indicator("tax_per_mu", "Tax per mu", "tax / land_mu", weight=100, benchmark=Benchmark("mean"))],
        cohorts=[Cohort("all", "All")],
        grading=Grading("share", SHARES, min_cohort_size=1),
    )
    return dataclasses.replace(base, **changes)


def frame(rows: list[dict]) -> pl.DataFrame:
    defaults = {"above_size_threshold": False, "land_mu": 10.0, "tax": 100.0, "district": "D1", "year": 2024}
    return pl.DataFrame([{**defaults, **row} for row in rows])


def by_code(result: pl.DataFrame) -> dict[str, dict]:
    return {row["credit_code"]: row for row in result.iter_rows(named=True)}


# -- cohorts by any condition -------------------------------------------------------------------------------------


def test_an_or_cohort_overlapping_an_and_cohort_first_match_wins_then_priority():
    """E1 is above the threshold on 2 mu, E2 below on 5 mu, E3 below on 1 mu, E4 above on 50 mu.

    "main" is the OR cohort (above, or below with 3 mu or more); "big_land" the AND cohort (above and
    50 mu or more) overlaps it at E4. Listed first, main takes E4; priority -1 puts big_land first.
    """
    cohorts = [
        Cohort("main", "Main", when=ABOVE_OR_3MU),
        Cohort(
            "big_land",
            "Big land",
            when={"all": [{"field": "above_size_threshold", "is": True}, {"field": "land_mu", "at_least": 50}]},
        ),
    ]
    filings = frame(
        [
            {"credit_code": "E1", "above_size_threshold": True, "land_mu": 2.0},
            {"credit_code": "E2", "land_mu": 5.0},
            {"credit_code": "E3", "land_mu": 1.0},
            {"credit_code": "E4", "above_size_threshold": True, "land_mu": 50.0},
        ]
    )
    first = by_code(score(filings, tax_scheme(cohorts=cohorts)))
    assert {k: r["cohort"] for k, r in first.items()} == {"E1": "main", "E2": "main", "E4": "main"}  # E3 outside
    prioritised = [cohorts[0], dataclasses.replace(cohorts[1], priority=-1)]
    second = by_code(score(filings, tax_scheme(cohorts=prioritised)))
    assert {k: r["cohort"] for k, r in second.items()} == {"E1": "main", "E2": "main", "E4": "big_land"}
    with pytest.raises(SchemeError, match=r"E4 \(main, big_land\)"):
        score(filings, tax_scheme(cohorts=cohorts, cohort_overlap="refuse"))


def test_condition_trees_are_validated_naming_the_node():
    for tree, message in (
        ({"any": []}, "any needs a list"),
        ({"all": [{"field": "land_mu", "over": 3}]}, "unknown or missing test over"),
        ({"not": {"field": "1bad", "is": True}}, "not a column name"),
        ({"field": "land_mu", "is": "yes"}, "is must be true or false"),
        ({"years_since": "birthday", "below": 2}, "years_since is 'birthday'"),
        ({"any": [{"field": "x", "is": True}], "all": []}, "one of all, any or not"),
    ):
        with pytest.raises(SchemeError, match=message):
            tax_scheme(cohorts=[Cohort("c", "C", when=tree)])


# -- ranking within an area -----------------------------------------------------------------------------------------


def test_ranking_within_each_county_and_a_county_with_one_enterprise():
    """Two counties: K1 has E1-E4 (tax 40, 30, 20, 10), K2 has E5 alone (tax 15). Ranked within the county
    with benchmarks over the whole run (mean 23), K1 grades A, B, C, D (ranks 1-4 of 4: A <= 1, B <= 2.8,
    C <= 3.8); E5 alone is small and graded with its cohort in every county: one of K1's four has a
    lower total (10), so rank 4 of 5: B <= 3.5 no, C <= 4.75 yes."""
    rows = [("E1", "K1", 400.0), ("E2", "K1", 300.0), ("E3", "K1", 200.0), ("E4", "K1", 100.0), ("E5", "K2", 150.0)]
    filings = frame([{"credit_code": c, "district": d, "tax": t} for c, d, t in rows])
    small = SmallCohortRule(min_size=2, method="grade_with", across_areas=True)
    scheme = tax_scheme(
        cohorts=[Cohort("all", "All", small=small)], rank_within=RankWithin("district", benchmarks="run")
    )
    result = by_code(score(filings, scheme))
    assert {k: (r["area"], r["rank"], r["cohort_size"], r["grade"]) for k, r in result.items()} == {
        "E1": ("K1", 1, 4, "A"),
        "E2": ("K1", 2, 4, "B"),
        "E3": ("K1", 3, 4, "C"),
        "E4": ("K1", 4, 4, "D"),
        "E5": ("K2", 1, 1, "C"),
    }
    assert result["E5"]["tax_per_mu_benchmark"] == pytest.approx(23)
    assert (result["E5"]["reason"], result["E5"]["graded_with"], result["E5"]["graded_with_rank"]) == (
        "small_cohort",
        "all",
        4,
    )
    assert result["E5"]["graded_with_size"] == 5
    # per-area benchmarks: K2's mean is its own figure
    per_area = by_code(score(filings, dataclasses.replace(scheme, rank_within=RankWithin("district"))))
    assert per_area["E5"]["tax_per_mu_benchmark"] == pytest.approx(15)
    assert per_area["E1"]["tax_per_mu_benchmark"] == pytest.approx(25)
    # without a rule for it, the county of one is not graded at all: never D for being alone
    alone = by_code(score(filings, dataclasses.replace(scheme, cohorts=[Cohort("all", "All")])))
    assert (alone["E5"]["grade"], alone["E5"]["status"], alone["E5"]["reason"]) == (None, "not_graded", "small_cohort")


# -- benchmarks from the previous year ----------------------------------------------------------------------------


def previous_year_scheme(kind="mean", **benchmark) -> Scheme:
    bench = Benchmark(kind, basis="previous_year_filings", **benchmark)
    return tax_scheme(indicators=[Indicator("tax_per_mu", "Tax per mu", "tax / land_mu", weight=100, benchmark=bench)])


def test_benchmarks_from_the_previous_years_filings():
    """2023: tax per mu 10, 20, 30, 60 (E9 is a utility-like newcomer category member: not in the pool)."""
    current = frame([{"credit_code": "E1", "tax": 200.0}, {"credit_code": "E2", "tax": 400.0}])
    previous = frame(
        [{"credit_code": f"P{i}", "tax": t, "year": 2023} for i, t in enumerate((100.0, 200.0, 300.0, 600.0))]
    )
    for kind, extra, expected in (
        ("mean", {}, 30),
        ("median", {}, 25),
        ("percentile", {"percentile": 75}, 37.5),
        ("mean", {"multiplier": 2.0}, 60),
    ):
        result = by_code(score(current, previous_year_scheme(kind, **extra), previous_filings=previous))
        assert result["E1"]["tax_per_mu_benchmark"] == pytest.approx(expected), (kind, extra)
        assert result["E1"]["tax_per_mu_benchmark_fallback"] is False
        assert result["E2"]["tax_per_mu_score"] == pytest.approx(100 * 40 / expected)
    assert set(previous_values(previous, previous_year_scheme()).columns) >= {"cohort", "pooled", "tax_per_mu_value"}


def test_an_empty_previous_year_is_refused_or_falls_back_as_stated():
    current = frame([{"credit_code": "E1", "tax": 200.0}, {"credit_code": "E2", "tax": 400.0}])
    empty = frame([{"credit_code": "P1", "year": 2023}]).clear()
    for previous in (None, empty):
        with pytest.raises(SchemeError, match="previous year's filings, and there is none"):
            score(current, previous_year_scheme(), previous_filings=previous)
    fallback = previous_year_scheme(if_no_previous="current_year")
    result = by_code(score(current, fallback, previous_filings=empty))
    assert result["E1"]["tax_per_mu_benchmark"] == pytest.approx(30)  # this year's mean
    assert result["E1"]["tax_per_mu_benchmark_fallback"] is True
    # a previous year without this cohort: refused, naming the cohort
    two = dataclasses.replace(
        previous_year_scheme(),
        cohorts=[Cohort("above", "Above", above_size_threshold=True), Cohort("below", "Below")],
    )
    only_below = frame([{"credit_code": "P1", "tax": 100.0, "year": 2023}])
    mixed = frame([{"credit_code": "E1", "above_size_threshold": True}, {"credit_code": "E2"}])
    with pytest.raises(SchemeError, match="no figures for the cohorts above"):
        score(mixed, two, previous_filings=only_below)


def test_benchmarks_from_the_previous_years_run():
    current = frame([{"credit_code": "E1", "tax": 200.0}])
    scheme = tax_scheme(
        indicators=[
            Indicator(
                "tax_per_mu", "Tax", "tax / land_mu", weight=100, benchmark=Benchmark("mean", basis="previous_year_run")
            )
        ]
    )
    results = pl.DataFrame(
        {
            "credit_code": ["P1", "P2", "P3"],
            "cohort": ["all"] * 3,
            "area": [None] * 3,
            "pooled": [True, True, False],
            "tax_per_mu_value": [10.0, 30.0, 1000.0],
        },
        schema_overrides={"area": pl.String},
    )
    result = by_code(score(current, scheme, previous_results=results))
    assert result["E1"]["tax_per_mu_benchmark"] == pytest.approx(20)  # P3 not in the pool


# -- small cohorts, per cohort --------------------------------------------------------------------------------------


def test_small_cohort_rules_per_cohort():
    """Cohort big: E1-E5 (tax 50, 40, 30, 20, 10 per mu); small cohorts s1 (E6, 35), s2 (E7, 5), s3 (E8), s4 (E9)."""
    rows = [(f"E{i}", "big", t) for i, t in enumerate((500.0, 400.0, 300.0, 200.0, 100.0), start=1)]
    rows += [("E6", "s1", 350.0), ("E7", "s2", 50.0), ("E8", "s3", 50.0), ("E9", "s4", 50.0)]
    filings = frame([{"credit_code": c, "group": g, "tax": t} for c, g, t in rows])
    fixed = Benchmark("fixed", 10)
    indicators = [Indicator("tax_per_mu", "Tax", "tax / land_mu", weight=10, benchmark=fixed)]  # score = tax per mu
    bands = [GradeBand("A", min_score=40), GradeBand("B", min_score=20), GradeBand("C", min_score=1), GradeBand("D")]
    cohorts = [
        Cohort("big", "Big", when={"field": "group", "equals": "big"}),
        Cohort(
            "s1",
            "Ranked with big",
            when={"field": "group", "equals": "s1"},
            small=SmallCohortRule(3, "grade_with", cohort="big"),
        ),
        Cohort(
            "s2", "Bands", when={"field": "group", "equals": "s2"}, small=SmallCohortRule(3, "score_bands", bands=bands)
        ),
        Cohort(
            "s3", "Fixed", when={"field": "group", "equals": "s3"}, small=SmallCohortRule(3, "fixed_grade", grade="B")
        ),
        Cohort("s4", "Not graded", when={"field": "group", "equals": "s4"}, small=SmallCohortRule(3, "not_graded")),
    ]
    result = by_code(score(filings, tax_scheme(indicators=indicators, cohorts=cohorts)))
    # E6 (35) ranks 3rd among big's 50, 40, 30, 20, 10 plus itself: 3 of 6 -> B (<= 4.2)
    assert (result["E6"]["graded_with_rank"], result["E6"]["graded_with_size"], result["E6"]["grade"]) == (3, 6, "B")
    assert [result[f"E{i}"]["grade"] for i in range(1, 6)] == ["A", "B", "B", "C", "D"]  # big's own grades unchanged
    assert result["E7"]["grade"] == "C"  # 5 reaches C's 1
    assert result["E8"]["grade"] == "B"
    assert (result["E9"]["grade"], result["E9"]["status"], result["E9"]["reason"]) == (
        None,
        "not_graded",
        "small_cohort",
    )
    with pytest.raises(SchemeError, match="must not be the lowest grade"):
        tax_scheme(cohorts=[Cohort("x", "X", small=SmallCohortRule(3, "fixed_grade", grade="D"))])
    with pytest.raises(SchemeError, match="not one of the cohorts"):
        tax_scheme(cohorts=[Cohort("x", "X", small=SmallCohortRule(3, "grade_with", cohort="nope"))])


# -- not evaluated ---------------------------------------------------------------------------------------------------


def test_not_evaluated_means_not_scored_and_left_out_of_the_benchmarks():
    filings = frame(
        [
            {"credit_code": "E1", "tax": 100.0, "is_utility": False},
            {"credit_code": "E2", "tax": 300.0, "is_utility": False},
            {"credit_code": "U1", "tax": 9000.0, "is_utility": True},
        ]
    )
    scheme = tax_scheme(not_evaluated=[NotGradedCategory("utility", "Utilities", flag="is_utility")])
    result = by_code(score(filings, scheme))
    assert result["E1"]["tax_per_mu_benchmark"] == pytest.approx(20)  # U1 is not in the mean
    u1 = result["U1"]
    assert (u1["tax_per_mu_value"], u1["tax_per_mu_score"], u1["total"], u1["rank"], u1["grade"]) == (
        900,
        None,
        None,
        None,
        None,
    )
    assert (u1["status"], u1["reason"], u1["not_evaluated"]) == ("not_evaluated", "utility", "utility")
    assert result["E2"]["cohort_size"] == 2


# -- production start ------------------------------------------------------------------------------------------------


def test_production_start_one_day_short_of_n_years():
    """Evaluated for 2024 as of 31 December: three years of production reach back to 2021-12-31.

    P1 started 2022-01-01: one day short of three years, so not evaluated. P2 started 2021-12-31:
    exactly three years, evaluated. P3 filed no start and was founded 2022-06-01: the founding date
    stands in, so not evaluated, and the result says the fallback was used. P4 has neither date.
    """
    filings = frame(
        [
            {"credit_code": "P1", "production_start": datetime.date(2022, 1, 1), "founded": datetime.date(2010, 1, 1)},
            {"credit_code": "P2", "production_start": datetime.date(2021, 12, 31), "founded": None},
            {"credit_code": "P3", "production_start": None, "founded": datetime.date(2022, 6, 1)},
            {"credit_code": "P4", "production_start": None, "founded": None},
        ]
    )
    category = NotGradedCategory(
        "new_production", "In production under 3 years", first_years=3, since_field="production_start"
    )
    result = by_code(score(filings, tax_scheme(not_evaluated=[category])))
    assert {k: r["status"] for k, r in result.items()} == {
        "P1": "not_evaluated",
        "P2": "graded",
        "P3": "not_evaluated",
        "P4": "graded",
    }
    assert [result[k]["production_start_fallback"] for k in ("P1", "P2", "P3", "P4")] == [False, False, True, False]
    assert result["P3"]["production_start_used"] == datetime.date(2022, 6, 1)
    # the same rule as a condition tree, in a cohort
    tree = {"years_since": "production_start", "at_least": 3}
    cohort = by_code(score(filings, tax_scheme(cohorts=[Cohort("established", "Established", when=tree)])))
    assert sorted(cohort) == ["P2"]


# -- JSON and fingerprints ---------------------------------------------------------------------------------------


def test_new_options_round_trip_and_stay_out_of_the_json_at_their_defaults():
    scheme = tax_scheme(
        cohorts=[
            Cohort(
                "main",
                "Main",
                when=ABOVE_OR_3MU,
                priority=2,
                small=SmallCohortRule(5, "score_bands", bands=[GradeBand("A", min_score=100), GradeBand("B")]),
            )
        ],
        rank_within=RankWithin("district"),
        not_evaluated=[NotGradedCategory("utility", "Utilities", industries=["D44"])],
        cohort_overlap="refuse",
        indicators=[
            Indicator(
                "t",
                "T",
                "tax",
                weight=1,
                benchmark=Benchmark("median", basis="previous_year_run", if_no_previous="current_year"),
            )
        ],
    )
    assert Scheme.from_json(scheme.to_json()) == scheme
    for default in default_schemes().values():
        data = default.to_dict()
        assert not {"not_evaluated", "rank_within", "cohort_overlap"} & set(data)
        assert not {"when", "priority", "small"} & set(data["cohorts"][0])
        assert not {"basis", "if_no_previous"} & set(data["indicators"][0]["benchmark"])
    # a previous-year benchmark changes the fingerprint only through the scheme's own text
    filings = frame([{"credit_code": "E1"}])
    assert fingerprint(filings, tax_scheme()) != fingerprint(filings, previous_year_scheme())
