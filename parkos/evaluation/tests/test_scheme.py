"""Evaluation schemes as data: the expression parser, validation with clear messages, JSON round trips."""

from __future__ import annotations

import dataclasses
import json

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parkos.evaluation.scheme import (
    FILING_FIELDS,
    Benchmark,
    Cohort,
    Expression,
    GradeBand,
    Grading,
    Indicator,
    NotGradedCategory,
    Scheme,
    SchemeError,
    VetoItem,
    default_schemes,
)


def evaluate(source: str, **fields) -> float | None:
    frame = pl.DataFrame({name: [value] for name, value in fields.items()} or {"_": [0]})
    return frame.select(Expression.parse(source, where="test").to_polars())[0, 0]


def test_expressions_follow_arithmetic_precedence():
    assert evaluate("1 + 2 * 3") == 7
    assert evaluate("(1 + 2) * 3") == 9
    assert evaluate("-(1 - 3) / 2") == 1
    assert evaluate("8 / 4 / 2") == 1  # left to right
    assert evaluate("tax / 10000 / land_mu", tax=300000.0, land_mu=3.0) == 10
    assert evaluate("1.5e3 + .5") == 1500.5


def test_division_by_zero_or_missing_is_missing():
    assert evaluate("tax / land_mu", tax=5.0, land_mu=0.0) is None
    assert evaluate("tax / land_mu", tax=5.0, land_mu=None) is None
    assert evaluate("tax - land_mu / land_mu", tax=5.0, land_mu=0.0) is None


def test_expression_reports_its_fields():
    assert Expression.parse("value_added / 10000 / (land_mu + 1)", where="x").fields == {"value_added", "land_mu"}


@pytest.mark.parametrize(
    "source, message",
    [
        ("", "empty"),
        ("tax / ", "ends where"),
        ("tax ** 2", "unexpected '\\*'"),
        ("tax / (land_mu", "missing '\\)'"),
        ("tax land_mu", "unexpected 'land_mu'"),
        ("profit / land_mu", "unknown field 'profit'"),
        ("__import__('os').system('true')", 'unexpected character "\'" at position 12'),
        ("__import__", "unknown field '__import__'"),
        ("tax.real", "unexpected character '.'"),
        ("tax; land_mu", "unexpected character ';'"),
        ("lambda: 1", "unexpected character ':'"),
    ],
)
def test_bad_expressions_are_refused_naming_the_indicator(source, message):
    indicator = Indicator("tax_per_mu", "Tax per mu", source, weight=10, benchmark=Benchmark("fixed", 1))
    with pytest.raises(SchemeError, match="tax_per_mu") as caught:
        indicator.validate("indicator")
    assert caught.match(message)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_any_text_parses_or_is_refused_with_a_scheme_error(source):
    try:
        expression = Expression.parse(source, where="indicator 'x'")
    except SchemeError as exc:
        assert "indicator 'x'" in str(exc)
    else:
        assert expression.fields <= set(FILING_FIELDS)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="()[]{}!@#$%^&`~'\"\\;:,<>=?|", min_size=1, max_size=10))
def test_text_with_a_character_outside_the_grammar_is_refused(junk):
    with pytest.raises(SchemeError, match="unexpected character"):
        Expression.parse("tax " + junk.replace("(", "[").replace(")", "]"), where="indicator 'x'")


def test_validation_errors_name_the_item():
    base = default_schemes()["zhejiang_above_threshold"].to_dict()
    cases = [
        (lambda d: d["indicators"][0].update(weight=-1), "tax_per_mu.*weight"),
        (
            lambda d: d["indicators"][1].update(missing="average"),
            "value_added_per_mu.*missing.*zero, cohort_mean, drop",
        ),
        (lambda d: d["indicators"][0].update(weigth=3), "indicators\\[0\\].*unknown keys weigth"),
        (
            lambda d: d["indicators"][0]["benchmark"].update(kind="percentile"),
            "tax_per_mu' benchmark: percentile must be a number",
        ),
        (lambda d: d["grading"]["bands"][1].update(top_share=0.1), "'B'.*best grade to the worst"),
        (lambda d: d["vetoes"][0].update(grade="E"), "major_incident.*'E'"),
        (lambda d: d["cohorts"].append(dict(d["cohorts"][0])), "cohort keys repeat: above_threshold"),
        (lambda d: d.pop("grading"), "missing keys grading"),
    ]
    for change, message in cases:
        data = json.loads(json.dumps(base))
        change(data)
        with pytest.raises(SchemeError, match=message):
            Scheme.from_dict(data)


def test_default_schemes_load_and_cite_their_sources():
    schemes = default_schemes()
    assert set(schemes) == {"zhejiang_above_threshold", "zhejiang_below_threshold"}
    above = schemes["zhejiang_above_threshold"]
    assert [(i.key, i.weight, i.benchmark.value) for i in above.indicators] == [
        ("tax_per_mu", 30, 24.097),
        ("value_added_per_mu", 20, 136.16),
        ("value_added_per_energy", 20, 2.694),
        ("value_added_per_emissions", 10, 4929.81),
        ("labour_productivity", 10, 18.14),
        ("rd_share", 10, 0.0302),
    ]
    below = schemes["zhejiang_below_threshold"]
    assert [(i.key, i.weight, i.benchmark.value) for i in below.indicators] == [
        ("tax_per_mu", 50, 11.5932),
        ("tax_per_kwh", 50, 0.2352),
    ]
    for scheme in schemes.values():
        for number in ("24.097" if scheme is above else "11.5932", "0.25", "Illustrative"):
            assert number in scheme.description or number.replace("0.25", "25 %") in scheme.description
        assert scheme.sources


# -- JSON round trips -------------------------------------------------------------------------

keys = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
labels = st.text(min_size=1, max_size=20)
numbers = st.floats(min_value=0.001, max_value=1e6, allow_nan=False, allow_infinity=False)
benchmarks = st.one_of(
    st.builds(Benchmark, kind=st.just("fixed"), value=numbers),
    st.builds(
        Benchmark, kind=st.sampled_from(["mean", "median", "min", "max"]), multiplier=st.sampled_from([1.0, 2.0])
    ),
    st.builds(Benchmark, kind=st.just("percentile"), percentile=st.floats(0, 100)),
)
expressions = st.sampled_from(
    ["tax / land_mu", "value_added / 10000 / (energy_tce + 1)", "-tax * 2 + 3.5", "rd_expenditure / revenue"]
)


@st.composite
def indicators(draw, key):
    rule = draw(st.sampled_from(["ratio", "linear"]))
    common = dict(
        key=key,
        label=draw(labels),
        expression=draw(expressions),
        weight=draw(numbers),
        direction=draw(st.sampled_from(["higher", "lower"])),
        missing=draw(st.sampled_from(["zero", "cohort_mean", "drop"])),
        unit=draw(st.text(max_size=8)),
    )
    if rule == "ratio":
        return Indicator(rule="ratio", benchmark=draw(benchmarks), cap=draw(st.one_of(st.none(), numbers)), **common)
    return Indicator(rule="linear", floor=Benchmark("min"), ceiling=Benchmark("percentile", percentile=90), **common)


@st.composite
def schemes(draw):
    indicator_keys = draw(st.lists(keys, min_size=1, max_size=4, unique=True))
    shares = sorted(draw(st.lists(st.floats(0.01, 1), min_size=1, max_size=3, unique=True)))
    grades = ["A", "B", "C", "D"][: len(shares) + 1]
    return Scheme(
        key=draw(keys),
        name=draw(labels),
        version=draw(st.integers(1, 50)),
        description=draw(st.text(max_size=40)),
        sources=draw(st.lists(st.text(max_size=20), max_size=2)),
        indicators=[draw(indicators(key)) for key in indicator_keys],
        cohorts=[
            Cohort(
                "all",
                "All",
                industries=draw(st.one_of(st.none(), st.just(["C13", "C33"]))),
                min_land_mu=draw(st.one_of(st.none(), numbers)),
            )
        ],
        grading=Grading(
            "share",
            [GradeBand(g, top_share=s) for g, s in zip(grades, shares, strict=False)] + [GradeBand(grades[-1])],
            min_cohort_size=draw(st.integers(1, 5)),
        ),
        not_graded=[NotGradedCategory("new", "New", first_years=draw(st.integers(1, 5)), since_field="land_year")],
        vetoes=[VetoItem("incident", "Incident", flag="major_incident", grade=grades[-1])],
    )


@settings(max_examples=80, deadline=None)
@given(schemes())
def test_scheme_json_round_trips(scheme):
    text = scheme.to_json()
    again = Scheme.from_json(text)
    assert again == scheme
    assert again.to_json() == text


def test_scheme_files_round_trip(tmp_path):
    for scheme in default_schemes().values():
        path = tmp_path / f"{scheme.key}.json"
        scheme.dump(path)
        assert Scheme.load(path) == scheme


def test_a_file_that_is_not_json_is_refused():
    with pytest.raises(SchemeError, match="not valid JSON"):
        Scheme.from_json("{indicators: [")


def test_changing_a_scheme_keeps_it_valid():
    scheme = default_schemes()["zhejiang_below_threshold"]
    with pytest.raises(SchemeError, match="ceiling must be above the floor"):
        dataclasses.replace(
            scheme,
            indicators=[
                Indicator(
                    "x", "X", "tax", weight=1, rule="linear", floor=Benchmark("fixed", 5), ceiling=Benchmark("fixed", 1)
                )
            ],
        )
