"""The scoring engine against a worked example computed by hand, and its properties (hypothesis)."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from parkos.evaluation.engine import fingerprint, rollup, score
from parkos.evaluation.scheme import (
    Adjustment,
    Benchmark,
    Cohort,
    GradeBand,
    Grading,
    Indicator,
    NotGradedCategory,
    Scheme,
    SchemeError,
    VetoItem,
    default_schemes,
)


def worked_scheme(**grading_changes) -> Scheme:
    grading = Grading(
        method="share",
        bands=[
            GradeBand("A", top_share=0.25),
            GradeBand("B", top_share=0.70),
            GradeBand("C", top_share=0.95),
            GradeBand("D"),
        ],
        min_cohort_size=2,
        small_cohort_grade="B",
    )
    return Scheme(
        key="worked_example",
        name="Worked example",
        version=1,
        indicators=[
            Indicator("tax_per_mu", "Tax per mu", "tax / land_mu", weight=60, benchmark=Benchmark("fixed", 10), cap=2),
            Indicator(
                "va_per_energy",
                "Value added per tce",
                "value_added / energy_tce",
                weight=20,
                benchmark=Benchmark("mean"),
                missing="cohort_mean",
            ),
            Indicator(
                "rd_share",
                "R&D share",
                "rd_expenditure / revenue",
                weight=20,
                benchmark=Benchmark("fixed", 0.05),
                missing="drop",
            ),
        ],
        cohorts=[
            Cohort("big", "Above the size threshold", above_size_threshold=True),
            Cohort("small", "Below the size threshold", above_size_threshold=False),
        ],
        grading=dataclasses.replace(grading, **grading_changes),
        not_graded=[NotGradedCategory("utility", "Public utility", flag="is_utility")],
        vetoes=[VetoItem("major_incident", "Major incident", flag="major_incident", grade="D")],
        adjustments=[
            Adjustment("high_tech", "High-tech enterprise", "high_tech", points=5),
            Adjustment("sublet", "Sublet to tenants", "sublet_tenants", points=-2, max_points=5),
        ],
        adjustment_flags=["high_tech", "sublet_tenants"],
    )


def worked_filings() -> pl.DataFrame:
    rows = [
        # code, above, tax, land, va, energy, rd, utility, incident, high_tech, sublet, park
        ("E1", True, 300.0, 10.0, 120.0, 10.0, 5.0, False, False, False, 4, "P1"),
        ("E2", True, 100.0, 10.0, 60.0, 10.0, None, False, False, False, 0, "P1"),
        ("E3", True, 50.0, 0.0, 60.0, 20.0, 2.5, False, False, True, 0, "P1"),
        ("E4", True, 100.0, 10.0, 40.0, None, 5.0, False, False, False, 0, "P2"),
        ("E5", True, 100.0, 10.0, 60.0, 10.0, None, False, False, False, 0, "P2"),
        ("E6", True, 20.0, 10.0, 100.0, 5.0, 1.0, True, False, False, 0, "P2"),
        ("E7", True, 200.0, 10.0, 30.0, 10.0, 5.0, False, True, False, 0, "P2"),
        ("E8", False, 50.0, 5.0, 30.0, 10.0, 5.0, False, False, False, None, "P2"),
    ]
    columns = [
        "credit_code", "above_size_threshold", "tax", "land_mu", "value_added", "energy_tce", "rd_expenditure",
        "is_utility", "major_incident", "high_tech", "sublet_tenants", "park",
    ]  # fmt: skip
    frame = pl.DataFrame(rows, schema=columns, orient="row")
    return frame.with_columns(revenue=pl.lit(100.0))


def by_code(result: pl.DataFrame) -> dict[str, dict]:
    return {row["credit_code"]: row for row in result.iter_rows(named=True)}


def test_worked_example():
    """Eight enterprises, two cohorts (big: E1-E7, above the size threshold; small: E8 alone).

    Scheme: tax per mu, weight 60, fixed benchmark 10, capped at 2 x weight, missing -> 0;
    value added per tce, weight 20, benchmark the cohort mean, missing -> cohort mean score;
    R&D share of revenue, weight 20, benchmark 0.05, missing -> dropped and the rest rescaled.
    Bonus +5 for high tech; penalty -2 per sublet tenant, at most 5. Utilities not graded;
    a major incident makes the grade D. Grades by share A 25 %, B 70 %, C 95 %, D the rest;
    cohorts under 2 ranked enterprises get B.

    Value added per tce in "big", over the graded pool (E6 is a utility, so left out; E7 is vetoed
    but its figures count; E4 has no energy figure): E1 12, E2 6, E3 3, E5 6, E7 3 -> mean 6.
    Scores 20 x v / 6: E1 40, E2 20, E3 10, E5 20, E7 10; E6 20 x 20 / 6 = 66.67; E4 gets the mean
    score (40 + 20 + 10 + 20 + 10) / 5 = 20.

        code  tax/mu      tax score       va   rd                  items             adjust  total
        E1    30          60 x 3 -> cap 120  40   20                 180               -8 -> -5  175
        E2    10          60                 20   dropped            80 x 100/80 = 100  0         100
        E3    land 0      0 (missing)        10   0.025 -> 10        20                +5        25
        E4    10          60                 20 (mean)  20           100                0        100
        E5    10          60                 20   dropped            100                0        100
        E6    2           12                 66.67 0.01 -> 4         82.67 (utility)    0        82.67
        E7    20          60 x 2 = 120 (cap) 10   20                 150 (vetoed)       0        150
        E8    10          60                 v 3, mean 3 -> 20  20   100                0        100

    Ranked in "big": E1, E2, E3, E4, E5 (n = 5; E6 not graded, E7 vetoed). Competition ranks:
    E1 1, E2 = E4 = E5 2, E3 5. A: rank <= 0.25 x 5 = 1.25 -> E1. B: rank <= 3.5 -> E2, E4, E5: the
    three-way tie covers positions 2-4 and straddles the B/C boundary (3.5); equal scores get the
    better grade, so all three are B. C: rank <= 4.75 -> nobody. D: E3. E7: D by veto.
    "small" holds E8 alone: one ranked enterprise < min_cohort_size 2 -> B (graded, reason small_cohort).
    """
    result = by_code(score(worked_filings(), worked_scheme(), keep=["park"]))
    assert list(result) == ["E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8"]
    approx = pytest.approx

    e1 = result["E1"]
    assert (e1["tax_per_mu_value"], e1["tax_per_mu_benchmark"], e1["tax_per_mu_score"]) == (30, 10, 120)  # capped
    assert e1["va_per_energy_benchmark"] == 6 and e1["va_per_energy_score"] == 40
    assert e1["sublet_points"] == -5 and e1["high_tech_points"] == 0  # penalty limited to 5
    assert (e1["total"], e1["rank"], e1["cohort_size"], e1["grade"], e1["status"], e1["reason"]) == (
        175, 1, 5, "A", "graded", "",
    )  # fmt: skip

    e2 = result["E2"]
    assert e2["rd_share_value"] is None and e2["rd_share_score"] is None  # dropped
    assert e2["items_total"] == 100 and e2["total"] == 100  # 80 x 100 / 80

    e3 = result["E3"]
    assert e3["tax_per_mu_value"] is None and e3["tax_per_mu_score"] == 0  # zero land: missing, not infinite
    assert e3["high_tech_points"] == 5 and e3["total"] == 25
    assert (e3["rank"], e3["grade"]) == (5, "D")

    e4 = result["E4"]
    assert e4["va_per_energy_value"] is None and e4["va_per_energy_score"] == 20  # the cohort's mean score
    for code in ("E2", "E4", "E5"):  # the tie across the B/C boundary: all get the better grade
        assert (result[code]["total"], result[code]["rank"], result[code]["grade"]) == (100, 2, "B")

    e6 = result["E6"]
    assert e6["total"] == approx(12 + 20 * 20 / 6 + 4)
    assert (e6["not_graded"], e6["rank"], e6["cohort_size"], e6["grade"], e6["status"], e6["reason"]) == (
        "utility", None, None, None, "not_graded", "utility",
    )  # fmt: skip

    e7 = result["E7"]
    assert e7["tax_per_mu_score"] == 120 and e7["total"] == 150
    assert (e7["veto"], e7["rank"], e7["grade"], e7["status"], e7["reason"]) == (
        "major_incident", None, "D", "vetoed", "major_incident",
    )  # fmt: skip

    e8 = result["E8"]
    assert (e8["cohort"], e8["va_per_energy_benchmark"], e8["total"]) == ("small", 3, 100)
    assert (e8["rank"], e8["cohort_size"], e8["grade"], e8["status"], e8["reason"]) == (
        1, 1, "B", "graded", "small_cohort",
    )  # fmt: skip


def test_cohort_of_one_never_gets_the_last_grade_for_being_alone():
    """With min_cohort_size 1 the lone E8 would be rank 1 of 1, 100 % of its cohort, so D: a cohort of one
    is small under share grading whatever min_cohort_size says (issue 19), so the small-cohort rule
    grades it: none here, so not graded, with the reason."""
    result = by_code(score(worked_filings(), worked_scheme(min_cohort_size=1, small_cohort_grade=None)))
    assert (result["E8"]["rank"], result["E8"]["grade"], result["E8"]["status"], result["E8"]["reason"]) == (
        1, None, "not_graded", "small_cohort",
    )  # fmt: skip


def test_score_thresholds():
    """Grades by score instead of by share, boundaries inclusive: A >= 175, B >= 100, C >= 50."""
    bands = [GradeBand("A", min_score=175), GradeBand("B", min_score=100), GradeBand("C", min_score=50), GradeBand("D")]
    result = by_code(score(worked_filings(), worked_scheme(method="score", bands=bands)))
    assert {code: row["grade"] for code, row in result.items()} == {
        "E1": "A", "E2": "B", "E3": "D", "E4": "B", "E5": "B", "E6": None, "E7": "D", "E8": "B",
    }  # fmt: skip


def test_missing_values_under_each_policy():
    """E4 has no energy figure, so no value added per tce: zero gives 0, cohort_mean 20 (above), drop rescales.

    Dropped: E4's other items 60 + 20 = 80 for weight 80 of 100, so 80 x 100 / 80 = 100 as well,
    and the va item is null.
    """
    scheme = worked_scheme()
    for policy, expected_score, expected_total in (("zero", 0, 80), ("cohort_mean", 20, 100), ("drop", None, 100)):
        indicators = [
            dataclasses.replace(scheme.indicators[0]),
            dataclasses.replace(scheme.indicators[1], missing=policy),
        ]
        variant = dataclasses.replace(scheme, indicators=[*indicators, scheme.indicators[2]])
        e4 = by_code(score(worked_filings(), variant))["E4"]
        assert (e4["va_per_energy_score"], e4["total"]) == (expected_score, expected_total), policy


def test_uncapped_score_runs_past_the_cap():
    scheme = worked_scheme()
    uncapped = dataclasses.replace(
        scheme, indicators=[dataclasses.replace(scheme.indicators[0], cap=None), *scheme.indicators[1:]]
    )
    assert by_code(score(worked_filings(), uncapped))["E1"]["tax_per_mu_score"] == 180  # 60 x 30 / 10


def test_enterprises_outside_every_cohort_are_left_out():
    scheme = dataclasses.replace(worked_scheme(), cohorts=[Cohort("big", "Big", above_size_threshold=True)])
    assert "E8" not in score(worked_filings(), scheme)["credit_code"].to_list()


def test_rollup_is_totals_over_totals():
    """Park P2: tax 100 + 100 + 20 + 200 + 50 = 470 over land 10 + 10 + 10 + 10 + 5 = 45 -> 10.44 per mu
    (the mean of the five ratios would be 10.4). P1: E3 has no land, so neither its tax nor its
    area counts: (300 + 100) / 20 = 20. Grade mix P2: B E4, E5, E8; D E7; E6 not graded."""
    result = score(worked_filings(), worked_scheme(), keep=["park"])
    parks = {row["park"]: row for row in rollup(result, "park", ["A", "B", "C", "D"]).iter_rows(named=True)}
    assert parks["P2"]["tax_per_mu"] == pytest.approx(470 / 45)
    assert parks["P1"]["tax_per_mu"] == 20 and parks["P1"]["tax"] == 450
    assert {k: parks["P2"][k] for k in ("grade_A", "grade_B", "grade_C", "grade_D", "not_graded")} == {
        "grade_A": 0, "grade_B": 3, "grade_C": 0, "grade_D": 1, "not_graded": 1,
    }  # fmt: skip
    overall = rollup(result, [], ["A", "B", "C", "D"]).row(0, named=True)
    assert overall["enterprises"] == 8 and overall["tax_per_mu"] == pytest.approx((450 - 50 + 470) / 65)


def test_fingerprint_ignores_row_order_and_unread_columns_but_not_values():
    filings, scheme = worked_filings(), worked_scheme()
    base = fingerprint(filings, scheme)
    assert fingerprint(filings.reverse().with_columns(name=pl.lit("x")), scheme) == base
    assert fingerprint(filings.with_columns(tax=pl.col("tax") + 1), scheme) != base
    assert fingerprint(filings, dataclasses.replace(scheme, version=2)) != base


def test_repeated_or_missing_filings_are_refused_by_name():
    filings = worked_filings()
    with pytest.raises(SchemeError, match="E2"):
        score(pl.concat([filings, filings.filter(pl.col("credit_code") == "E2")]), worked_scheme())
    with pytest.raises(SchemeError, match="energy_tce"):
        score(filings.drop("energy_tce"), worked_scheme())


# -- properties -------------------------------------------------------------------------------

money = st.one_of(st.none(), st.floats(min_value=0, max_value=1e9, allow_nan=False))
positive = st.one_of(st.none(), st.just(0.0), st.floats(min_value=0.01, max_value=1e6, allow_nan=False))


FLOAT_COLUMNS = ("tax", "value_added", "revenue", "rd_expenditure", "land_mu", "energy_tce", "emissions_t", "employees")
FLOAT_COLUMNS += ("electricity_kwh",)


@st.composite
def filings_frames(draw, min_size=1, max_size=12):
    n = draw(st.integers(min_size, max_size))
    codes = draw(st.lists(st.text("0123456789ABCDEF", min_size=4, max_size=6), min_size=n, max_size=n, unique=True))
    column = lambda strategy: draw(st.lists(strategy, min_size=n, max_size=n))  # noqa: E731
    return pl.DataFrame(
        {
            "credit_code": codes,
            "year": [2024] * n,
            "industry": column(st.sampled_from(["C13", "C3311", "D4411", "N7820", None])),
            "above_size_threshold": column(st.booleans()),
            "is_tenant": column(st.booleans()),
            "founded_year": column(st.one_of(st.none(), st.integers(2015, 2024))),
            "land_year": column(st.one_of(st.none(), st.integers(2015, 2024))),
            "major_incident": column(st.sampled_from([False, False, False, True, None])),
            "tax": column(money),
            "value_added": column(money),
            "revenue": column(money),
            "rd_expenditure": column(money),
            "land_mu": column(positive),
            "energy_tce": column(positive),
            "emissions_t": column(positive),
            "employees": column(positive),
            "electricity_kwh": column(positive),
        },
        schema_overrides={
            "founded_year": pl.Int64,
            "land_year": pl.Int64,
            "major_incident": pl.Boolean,
            "industry": pl.String,
            **{name: pl.Float64 for name in FLOAT_COLUMNS},
        },
    )


SCHEMES = [*default_schemes().values(), worked_scheme()]
PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _with_worked_columns(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        is_utility=pl.col("industry").str.starts_with("D").fill_null(False),
        high_tech=pl.col("is_tenant"),
        sublet_tenants=pl.col("founded_year") % 7,
    )


@PROPERTY_SETTINGS
@given(filings_frames(), st.data())
def test_more_tax_never_lowers_a_score(frame, data):
    frame = _with_worked_columns(frame)
    i = data.draw(st.integers(0, frame.height - 1))
    extra = data.draw(st.floats(min_value=0.01, max_value=1e8, allow_nan=False))
    richer = frame.with_columns(
        tax=pl.when(pl.int_range(pl.len()) == i).then(pl.col("tax").fill_null(0) + extra).otherwise(pl.col("tax"))
    )
    code = frame["credit_code"][i]
    for scheme in SCHEMES:
        before = score(frame, scheme).filter(pl.col("credit_code") == code)["total"].to_list()
        after = score(richer, scheme).filter(pl.col("credit_code") == code)["total"].to_list()
        assert len(before) == len(after)
        if before:
            assert after[0] >= before[0] - 1e-9 * max(1.0, abs(before[0])), scheme.key


@PROPERTY_SETTINGS
@given(filings_frames(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_row_order(frame, random):
    frame = _with_worked_columns(frame)
    order = list(range(frame.height))
    random.shuffle(order)
    shuffled = frame[order]
    for scheme in SCHEMES:
        assert_frame_equal(score(shuffled, scheme), score(frame, scheme))
        assert fingerprint(shuffled, scheme) == fingerprint(frame, scheme)


def test_cohort_benchmarks_linear_and_lower_is_better():
    """Four enterprises on 1 mu each, tax 10, 20, 30, 40; energy 1, 2, 4, 0.

    - median benchmark: median(10, 20, 30, 40) = 25 -> 10 x v / 25 = 4, 8, 12, 16
    - linear from the cohort min (10) to max (40): positions 0, 1/3, 2/3, 1 -> 0, 3.33, 6.67, 10
    - energy, lower is better, benchmark the 25th percentile of (0, 1, 2, 4) = 0.75 (linear),
      capped at 2: 10 x 0.75 / v = 7.5, 3.75, 1.875, and energy 0 earns the cap, 20
    Totals 11.5, 15.08, 20.54, 46; n = 4: A rank <= 1, B <= 2.8, C <= 3.8, D the rest.
    """
    scheme = Scheme(
        key="stats",
        name="Statistics",
        version=1,
        indicators=[
            Indicator("median", "Median", "tax / land_mu", weight=10, benchmark=Benchmark("median")),
            Indicator(
                "minmax",
                "Min-max",
                "tax / land_mu",
                weight=10,
                rule="linear",
                floor=Benchmark("min"),
                ceiling=Benchmark("max"),
            ),
            Indicator(
                "energy",
                "Energy",
                "energy_tce",
                weight=10,
                direction="lower",
                benchmark=Benchmark("percentile", percentile=25),
                cap=2,
            ),
        ],
        cohorts=[Cohort("all", "All")],
        grading=worked_scheme().grading,
    )
    filings = pl.DataFrame(
        {
            "credit_code": ["E1", "E2", "E3", "E4"],
            "tax": [10.0, 20, 30, 40],
            "land_mu": [1.0] * 4,
            "energy_tce": [1.0, 2, 4, 0],
        }
    )
    result = score(filings, scheme)
    assert result["median_benchmark"].to_list() == [25] * 4
    assert result["median_score"].to_list() == [4, 8, 12, 16]
    assert result["minmax_score"].to_list() == pytest.approx([0, 10 / 3, 20 / 3, 10])
    assert result["energy_benchmark"].to_list() == [0.75] * 4
    assert result["energy_score"].to_list() == [7.5, 3.75, 1.875, 20]
    assert result["total"].to_list() == pytest.approx([11.5, 8 + 10 / 3 + 3.75, 12 + 20 / 3 + 1.875, 46])
    assert result["grade"].to_list() == ["D", "C", "B", "A"]
