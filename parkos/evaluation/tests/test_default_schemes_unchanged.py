"""The two default schemes give the very results they gave before schemes could say more (issue 19).

The expected digests were computed on this fixed data set before the scheme format grew its new
options (boolean cohorts, areas, previous-year benchmarks, small-cohort rules, production start):
the fingerprint of inputs and scheme, and a digest of every result column the engine gave then.
A scheme that does not use a new option must give the same fingerprint and the same results.
"""

from __future__ import annotations

import hashlib
import random

import polars as pl
import pytest

from parkos.evaluation.engine import fingerprint, score
from parkos.evaluation.scheme import default_schemes

#: the engine's result columns before issue 19, for each default scheme
COLUMNS = {
    "zhejiang_above_threshold": [
        "credit_code", "cohort", "not_graded", "veto",
        "tax_per_mu_value", "tax_per_mu_benchmark", "tax_per_mu_score",
        "value_added_per_mu_value", "value_added_per_mu_benchmark", "value_added_per_mu_score",
        "value_added_per_energy_value", "value_added_per_energy_benchmark", "value_added_per_energy_score",
        "value_added_per_emissions_value", "value_added_per_emissions_benchmark", "value_added_per_emissions_score",
        "labour_productivity_value", "labour_productivity_benchmark", "labour_productivity_score",
        "rd_share_value", "rd_share_benchmark", "rd_share_score",
        "items_total", "adjustment_points", "total", "rank", "cohort_size", "grade", "status", "reason",
        "tax", "value_added", "industrial_output", "land_mu", "park_id", "district",
    ],
    "zhejiang_below_threshold": [
        "credit_code", "cohort", "not_graded", "veto",
        "tax_per_mu_value", "tax_per_mu_benchmark", "tax_per_mu_score",
        "tax_per_kwh_value", "tax_per_kwh_benchmark", "tax_per_kwh_score",
        "items_total", "adjustment_points", "total", "rank", "cohort_size", "grade", "status", "reason",
        "tax", "value_added", "industrial_output", "land_mu", "park_id", "district",
    ],
}  # fmt: skip

#: computed before issue 19's change (commit db47b35), on fixed_filings()
EXPECTED = {
    "zhejiang_above_threshold": {
        "fingerprint": "25b5cc01f12f4f993c661e9487dd5b88c9b94a2e8605fb53d2dc95b48b0e3451",
        "results": "4d656b7e7637d4ff474b40f3f5aeb3b7c3785cf41140fbe0252acd5d802f9673",
        "grades": {"None": 91, "A": 22, "B": 40, "C": 22, "D": 10},
    },
    "zhejiang_below_threshold": {
        "fingerprint": "2755ec82a2735881926886e5fa9e64f525e01c61e4f549e53cec82f732948dac",
        "results": "fb8f8dc83d2fe00db40e8c37de3258d7a420236ba8a92027b55248c934c635f2",
        "grades": {"None": 93, "A": 24, "B": 46, "C": 30, "D": 10},
    },
}


def fixed_filings(n: int = 400) -> pl.DataFrame:
    """A district's year, the same on every machine: 400 enterprises with every column a run reads."""
    rng = random.Random(19)

    def maybe(value, missing=0.08):
        return None if rng.random() < missing else value

    rows = []
    for i in range(n):
        above = rng.random() < 0.45
        scale = 10.0 if above else 1.0
        rows.append(
            {
                "credit_code": f"9133{i:06d}",
                "year": 2024,
                "industry": rng.choice(["C1311", "C3311", "C3971", "D4411", "D4610", "N7820", "C2614", None]),
                "above_size_threshold": above,
                "is_tenant": (not above) and rng.random() < 0.3,
                "founded_year": maybe(rng.randint(1995, 2024)),
                "land_year": maybe(rng.randint(2000, 2024), 0.2),
                "major_incident": rng.random() < 0.02,
                "revenue": maybe(round(rng.uniform(1e6, 5e8) * scale, 2)),
                "industrial_output": maybe(round(rng.uniform(1e6, 4e8) * scale, 2)),
                "value_added": maybe(round(rng.uniform(2e5, 1e8) * scale, 2)),
                "tax": maybe(round(rng.uniform(0, 2e7) * scale, 2)),
                "rd_expenditure": maybe(round(rng.uniform(0, 1e7) * scale, 2)),
                "employees": maybe(float(rng.randint(3, 2000))),
                "energy_tce": maybe(round(rng.uniform(0, 5e4), 4)),
                "electricity_kwh": maybe(round(rng.uniform(0, 5e7), 4)),
                "emissions_t": maybe(round(rng.uniform(0, 500), 4), 0.3),
                "land_mu": maybe(round(rng.choice([0.0, rng.uniform(0.5, 2.9), rng.uniform(3, 300)]), 2)),
                "floor_area_m2": maybe(round(rng.uniform(100, 1e5), 2)),
                "park_id": rng.randint(1, 6),
                "district": rng.choice(["Huangyan", "Jiaojiang", "Luqiao"]),
            }
        )
    schema = {
        "credit_code": pl.String, "year": pl.Int64, "industry": pl.String, "above_size_threshold": pl.Boolean,
        "is_tenant": pl.Boolean, "founded_year": pl.Int64, "land_year": pl.Int64, "major_incident": pl.Boolean,
        **{name: pl.Float64 for name in (
            "revenue", "industrial_output", "value_added", "tax", "rd_expenditure", "employees", "energy_tce",
            "electricity_kwh", "emissions_t", "land_mu", "floor_area_m2",
        )},
        "park_id": pl.Int64, "district": pl.String,
    }  # fmt: skip
    return pl.DataFrame(rows, schema=schema)


def results_digest(result: pl.DataFrame, columns: list[str]) -> str:
    return hashlib.sha256(result.select(columns).write_csv().encode("utf-8")).hexdigest()


@pytest.mark.parametrize("key", sorted(COLUMNS))
def test_default_scheme_results_and_fingerprint_are_unchanged(key):
    scheme = default_schemes()[key]
    filings = fixed_filings()
    result = score(filings, scheme, keep=["park_id", "district"])
    expected = EXPECTED[key]
    assert fingerprint(filings, scheme) == expected["fingerprint"]
    assert results_digest(result, COLUMNS[key]) == expected["results"]
    grades = dict(result.group_by("grade").len().sort("grade").iter_rows())
    assert {str(k): v for k, v in grades.items()} == expected["grades"]
