"""Evaluation benchmark: the scoring engine on generated filings, beside an independent Polars SQL reference.

    PARKOS_DEBUG=1 .venv/bin/python bench/evaluation.py [--sizes 100000 1000000] [--runs 3] [--write]

For each size a fresh subprocess (so peak memory is that case's own) generates seeded
enterprise-year filings with Polars (no numpy: uniform numbers from hashes of the row index),
then scores them with both default schemes (parkos/evaluation/default_schemes: above the size
threshold, and below it with tenants) through parkos.evaluation.engine.score, --runs times, and
once through a hand-written SQL formulation of the same two published methods (polars.SQLContext:
CASE expressions, GROUP BY and JOIN for the cohort means, RANK() OVER for the ranks). The results
must match: the same enterprises, cohorts, statuses, ranks and grades, and totals equal to 1e-9.
Peak memory is the process's VmHWM (/proc/self/status), reset through /proc/self/clear_refs
before each phase: tracemalloc does not see Polars' allocations. --write puts the table into
bench/RESULTS.md between the evaluation markers.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from harness import PROJECT_DIR, write_section

SEED = 20251123
SECTION_START = "<!-- evaluation benchmark: start -->"
SECTION_END = "<!-- evaluation benchmark: end -->"
TARGET_SECONDS = 10.0
TARGET_RATIO = 2.0
TARGET_PEAK_GIB = 4.0
SCHEME_KEYS = ("zhejiang_above_threshold", "zhejiang_below_threshold")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000], help="filings per case")
    parser.add_argument(
        "--runs", type=int, default=3, help="timed engine runs per case (default 3); the reference runs once"
    )
    parser.add_argument("--write", action="store_true", help="write the results into bench/RESULTS.md")
    parser.add_argument("--case", type=int, help=argparse.SUPPRESS)  # internal: run one case in this process
    return parser.parse_args(argv)


# -- memory -----------------------------------------------------------------------------------


def peak_rss_mib() -> float:
    match = re.search(r"VmHWM:\s+(\d+) kB", Path("/proc/self/status").read_text())
    return int(match.group(1)) / 1024 if match else float("nan")


def reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


# -- data -------------------------------------------------------------------------------------

# 17 manufacturing codes and 3 utility codes (not graded): 15 % utilities
INDUSTRIES = [
    *("C1311", "C1713", "C1810", "C2231", "C2641", "C2661", "C2929", "C3032", "C3130", "C3311"),
    *("C3484", "C3670", "C3811", "C3891", "C3971", "C3982", "C4090"),
    *("D4411", "D4620", "N7820"),
]


def generate_filings(n: int, seed: int = SEED):
    """n enterprise-year filings for 2024: ~30 % above the size threshold, tenants among the rest,
    skewed (log-normal) money figures, a few missing emission figures, zero land and incidents."""
    import polars as pl

    def uniform(k: int) -> pl.Expr:
        return ((pl.col("i").hash(seed + k) // 2048).cast(pl.Float64) / float(2**53)).clip(1e-12, 1.0)

    def lognormal(k: int, mu: float, sigma: float) -> pl.Expr:
        normal = (-2.0 * uniform(k).log()).sqrt() * (2 * 3.141592653589793 * uniform(k + 1)).cos()
        return (mu + sigma * normal).exp()

    base = pl.select(i=pl.int_range(n, dtype=pl.UInt64)).with_columns(
        credit_code=pl.format("9133{}", pl.col("i").cast(pl.String).str.zfill(14)),
        above_size_threshold=uniform(1) < 0.3,
        industry=pl.lit(pl.Series(INDUSTRIES)).gather((uniform(2) * len(INDUSTRIES)).floor().cast(pl.UInt32)),
        size=lognormal(3, 0.0, 0.8),
    )
    frame = base.with_columns(
        year=pl.lit(2024, dtype=pl.Int32),
        is_tenant=~pl.col("above_size_threshold") & (uniform(4) < 0.4),
        founded_year=(1995 + uniform(5) * 30).floor().cast(pl.Int32),
        major_incident=uniform(6) < 0.002,
        park=pl.format("P{}", (uniform(7) * 500).floor().cast(pl.Int32)),
        district=pl.format("D{}", (uniform(8) * 20).floor().cast(pl.Int32)),
    ).with_columns(
        land_year=pl.col("founded_year") + (uniform(9) * 4).floor().cast(pl.Int32),
        land_mu=pl.when(uniform(10) < 0.005)
        .then(0.0)
        .when(pl.col("above_size_threshold"))
        .then(lognormal(11, 3.3, 0.9))
        .when(pl.col("is_tenant"))
        .then(lognormal(11, 0.3, 0.7))
        .otherwise(lognormal(11, 1.5, 0.9)),
    )
    scale = pl.when(pl.col("above_size_threshold")).then(1.0).otherwise(0.15) * pl.col("size")
    frame = frame.with_columns(
        revenue=lognormal(12, 18.0, 0.8) * scale,
        employees=(lognormal(13, 5.0, 0.8) * scale).ceil(),
    ).with_columns(
        value_added=pl.col("revenue") * (0.15 + 0.2 * uniform(14)),
        tax=pl.col("revenue") * (0.01 + 0.05 * uniform(15)),
        rd_expenditure=pl.col("revenue") * 0.06 * uniform(16),
        energy_tce=pl.col("revenue") / 1e4 / (1.0 + 4.0 * uniform(17)),
        electricity_kwh=pl.col("revenue") * (0.05 + 0.2 * uniform(18)),
        emissions_t=pl.when(uniform(19) < 0.1).then(None).otherwise(pl.col("revenue") / 1e8 * uniform(20)),
    )
    return frame.drop("i", "size")


# -- the reference ----------------------------------------------------------------------------


def reference_scores(filings, schemes) -> dict:
    """The two default schemes written out by hand as SQL (Polars SQLContext), independently of the engine.

    The engine builds its expressions from the scheme; here each published formula is spelled out.
    Only the published numbers (weights, benchmarks, grade shares) are read from the scheme files,
    after checking that the files still describe the structure written here.
    """
    import polars as pl

    above, below = schemes["zhejiang_above_threshold"], schemes["zhejiang_below_threshold"]
    for scheme, expected in (
        (
            above,
            [
                "tax_per_mu",
                "value_added_per_mu",
                "value_added_per_energy",
                "value_added_per_emissions",
                "labour_productivity",
                "rd_share",
            ],
        ),
        (below, ["tax_per_mu", "tax_per_kwh"]),
    ):
        assert [i.key for i in scheme.indicators] == expected, scheme.key
        assert all(
            i.rule == "ratio" and i.direction == "higher" and i.cap is None and i.benchmark.kind == "fixed"
            for i in scheme.indicators
        )
        assert [b.top_share for b in scheme.grading.bands] == [
            0.25,
            0.70,
            0.95,
            None,
        ] and scheme.grading.min_cohort_size == 5
    w = {(s.key, i.key): (float(i.weight), float(i.benchmark.value)) for s in (above, below) for i in s.indicators}

    def item(scheme, key, numerator, denominator):
        weight, bench = w[(scheme.key, key)]
        return f"CASE WHEN {denominator} = 0 THEN NULL ELSE {numerator} / {denominator} END / {bench!r} * {weight!r}"

    not_graded = """CASE
            WHEN industry LIKE 'D44%' OR industry LIKE 'D45%' OR industry LIKE 'D46%' OR industry LIKE 'N782%'
                THEN 'utility'
            WHEN year - founded_year < 2 THEN 'new_enterprise'
            WHEN year - land_year < 3 THEN 'new_land' END"""
    ctx = pl.SQLContext(filings=filings.lazy())
    results = {}

    # above the size threshold: one cohort; a missing emissions item gets the cohort's mean item score
    ctx.register(
        "above_items",
        ctx.execute(f"""
        SELECT credit_code, 'above_threshold' AS cohort, {not_graded} AS not_graded,
               CASE WHEN major_incident THEN 'major_incident' END AS veto,
               COALESCE({item(above, "tax_per_mu", "tax / 10000.0", "land_mu")}, 0.0) AS s1,
               COALESCE({item(above, "value_added_per_mu", "value_added / 10000.0", "land_mu")}, 0.0) AS s2,
               COALESCE({item(above, "value_added_per_energy", "value_added / 10000.0", "energy_tce")}, 0.0) AS s3,
               {item(above, "value_added_per_emissions", "value_added / 10000.0", "emissions_t")} AS s4,
               COALESCE({item(above, "labour_productivity", "value_added / 10000.0", "employees")}, 0.0) AS s5,
               COALESCE({item(above, "rd_share", "rd_expenditure", "revenue")}, 0.0) AS s6
        FROM filings WHERE above_size_threshold
        """),
    )
    ctx.register(
        "above_means",
        # the engine's rule for a cohort mean: the values summed one by one in credit_code order
        ctx.execute("""
        SELECT cohort, s4_sum / n AS s4_mean FROM (
            SELECT cohort,
                   SUM(s4) OVER (PARTITION BY cohort ORDER BY credit_code
                                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS s4_sum,
                   COUNT(*) OVER (PARTITION BY cohort) AS n,
                   ROW_NUMBER() OVER (PARTITION BY cohort ORDER BY credit_code DESC) AS from_last
            FROM above_items WHERE not_graded IS NULL AND s4 IS NOT NULL
        ) WHERE from_last = 1
        """),
    )
    ctx.register(
        "above_totals",
        ctx.execute("""
        SELECT i.credit_code, i.cohort, i.not_graded, i.veto,
               i.s1 + i.s2 + i.s3 + COALESCE(i.s4, m.s4_mean, 0.0) + i.s5 + i.s6 AS total
        FROM above_items i LEFT JOIN above_means m ON i.cohort = m.cohort
        """),
    )
    results["zhejiang_above_threshold"] = _ranked(ctx, "above_totals")

    # below the size threshold: three cohorts, first match wins
    ctx.register(
        "below_totals",
        ctx.execute(f"""
        SELECT credit_code,
               CASE WHEN is_tenant THEN 'tenant'
                    WHEN land_mu >= 3 THEN 'below_threshold_3mu_or_more'
                    WHEN land_mu < 3 THEN 'below_threshold_under_3mu' END AS cohort,
               {not_graded} AS not_graded,
               CASE WHEN major_incident THEN 'major_incident' END AS veto,
               COALESCE({item(below, "tax_per_mu", "tax / 10000.0", "land_mu")}, 0.0)
                 + COALESCE({item(below, "tax_per_kwh", "tax", "electricity_kwh")}, 0.0) AS total
        FROM filings WHERE NOT above_size_threshold AND (is_tenant OR land_mu IS NOT NULL)
        """),
    )
    results["zhejiang_below_threshold"] = _ranked(ctx, "below_totals")
    return results


def _ranked(ctx, table: str):
    """Rank the graded, unvetoed enterprises per cohort and grade them by share (A 25 %, B 70 %, C 95 %)."""
    ctx.register(
        f"{table}_ranks",
        ctx.execute(f"""
        SELECT credit_code, RANK() OVER (PARTITION BY cohort ORDER BY total DESC) AS rank,
               COUNT(*) OVER (PARTITION BY cohort) AS cohort_size
        FROM {table} WHERE not_graded IS NULL AND veto IS NULL
        """),
    )
    return ctx.execute(f"""
        SELECT t.credit_code, t.cohort, t.total, r.rank, r.cohort_size,
               CASE WHEN t.veto IS NOT NULL THEN 'D'
                    WHEN t.not_graded IS NOT NULL THEN NULL
                    WHEN r.cohort_size < 5 THEN NULL
                    WHEN r.rank <= 0.25 * r.cohort_size + 1e-9 THEN 'A'
                    WHEN r.rank <= 0.70 * r.cohort_size + 1e-9 THEN 'B'
                    WHEN r.rank <= 0.95 * r.cohort_size + 1e-9 THEN 'C'
                    ELSE 'D' END AS grade
        FROM {table} t LEFT JOIN {table}_ranks r ON t.credit_code = r.credit_code
        ORDER BY t.credit_code
        """).collect()


# -- one case ---------------------------------------------------------------------------------


def run_case(n: int, runs: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkos.settings")
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()
    from parkos.evaluation.engine import fingerprint, rollup, score
    from parkos.evaluation.scheme import default_schemes

    schemes = {key: default_schemes()[key] for key in SCHEME_KEYS}
    can_reset = reset_peak()
    started = time.perf_counter()
    filings = generate_filings(n)
    generate_s = time.perf_counter() - started
    data_mib = filings.estimated_size("mb")
    after_data_mib = peak_rss_mib()

    reset_peak()
    timings, results = [], {}
    for _run in range(runs):
        started = time.perf_counter()
        results = {key: score(filings, scheme, keep=["park", "district"]) for key, scheme in schemes.items()}
        timings.append(time.perf_counter() - started)
    engine_peak = peak_rss_mib()

    started = time.perf_counter()
    parks = rollup(results["zhejiang_above_threshold"], "park", schemes["zhejiang_above_threshold"].grades)
    rollup(results["zhejiang_above_threshold"], "district", schemes["zhejiang_above_threshold"].grades)
    rollup_s = time.perf_counter() - started

    started = time.perf_counter()
    prints = [fingerprint(filings, scheme) for scheme in schemes.values()]
    fingerprint_s = time.perf_counter() - started

    reset_peak()
    started = time.perf_counter()
    reference = reference_scores(filings, schemes)
    reference_s = time.perf_counter() - started
    reference_peak = peak_rss_mib()

    comparison = {}
    for key in SCHEME_KEYS:
        ours = results[key].select("credit_code", "cohort", "total", "rank", "cohort_size", "grade")
        theirs = reference[key].select(ours.columns).cast(ours.schema)
        assert ours.height == theirs.height, (key, ours.height, theirs.height)
        assert ours["credit_code"].equals(theirs["credit_code"]), key
        for column in ("cohort", "rank", "cohort_size", "grade"):
            mismatched = ours.filter(ours[column].ne_missing(theirs[column]))
            assert mismatched.is_empty(), (key, column, mismatched.head(5))
        difference = (ours["total"] - theirs["total"]).abs().max()
        assert difference <= 1e-9, (key, difference)
        grade_mix = ours.group_by("grade").len().sort("grade", nulls_last=True)
        comparison[key] = {
            "enterprises": ours.height,
            "max_total_difference": float(difference),
            "identical_totals": bool((ours["total"] == theirs["total"]).all()),
            "grades": {str(row["grade"]): row["len"] for row in grade_mix.iter_rows(named=True)},
        }
    return {
        "filings": n,
        "runs": runs,
        "generate_s": generate_s,
        "data_mib": data_mib,
        "after_data_peak_mib": after_data_mib,
        "engine_s": timings,
        "engine_peak_mib": engine_peak,
        "reference_s": reference_s,
        "reference_peak_mib": reference_peak,
        "rollup_s": rollup_s,
        "parks": parks.height,
        "fingerprint_s": fingerprint_s,
        "fingerprints": [p[:12] for p in prints],
        "peak_reset": can_reset,
        "comparison": comparison,
    }


# -- the report -------------------------------------------------------------------------------


def machine() -> str:
    import polars as pl

    cpus = os.cpu_count()
    return f"{cpus} CPUs, {platform.platform()}; Python {platform.python_version()}, Polars {pl.__version__}"


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def render(cases: list[dict], command: str, load_before: str, load_after: str) -> str:
    lines = [
        SECTION_START,
        "# Evaluation benchmark",
        "",
        f"Run on {datetime.datetime.now(datetime.UTC).date().isoformat()} with:",
        "",
        "```",
        command,
        "```",
        "",
        f"- machine: {machine()}",
        f"- conditions: load average {load_before} before and {load_after} after",
        "- each case in its own process: generate seeded filings (2024, ~30 % above the size threshold), score them"
        " with both default schemes (`zhejiang_above_threshold`, `zhejiang_below_threshold`) through `engine.score`,"
        " then once through the hand-written SQL reference (`polars.SQLContext`); ranks, grades, cohorts and totals"
        " compared row by row",
        "- peak memory: VmHWM of the process, reset before each phase (the filings stay in memory throughout)",
        "",
        "| filings | engine s (min / median of runs) | reference s | engine / reference | engine peak MiB"
        " | reference peak MiB | filings MiB | roll-ups s | fingerprint s | results |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for case in cases:
        best, median = min(case["engine_s"]), statistics.median(case["engine_s"])
        same = all(c["max_total_difference"] <= 1e-9 for c in case["comparison"].values())
        exact = all(c["identical_totals"] for c in case["comparison"].values())
        lines.append(
            f"| {case['filings']:,} | {best:.2f} / {median:.2f} | {case['reference_s']:.2f}"
            f" | {best / case['reference_s']:.2f}"
            f" | {case['engine_peak_mib']:,.0f} | {case['reference_peak_mib']:,.0f} | {case['data_mib']:,.0f}"
            f" | {case['rollup_s']:.2f} | {case['fingerprint_s']:.2f} | "
            + (
                "identical (bit for bit)"
                if exact
                else "identical ranks and grades, totals within 1e-9"
                if same
                else "**differ**"
            )
            + " |"
        )
    largest = max(cases, key=lambda c: c["filings"])
    best = min(largest["engine_s"])
    checks = [
        (f"{largest['filings']:,} filings under {TARGET_SECONDS:.0f} s", best < TARGET_SECONDS),
        (f"within {TARGET_RATIO:.0f}x of the reference", best <= TARGET_RATIO * largest["reference_s"]),
        (
            f"peak memory under {TARGET_PEAK_GIB:.0f} GiB",
            max(largest["engine_peak_mib"], largest["after_data_peak_mib"]) < TARGET_PEAK_GIB * 1024,
        ),
    ]
    lines += [
        "",
        "Targets: " + "; ".join(f"{label}: {'yes' if ok else '**no**'}" for label, ok in checks) + ".",
        "",
        "Grade mix and enterprises per scheme at the largest size:",
        "",
    ]
    for key, comparison in largest["comparison"].items():
        grades = ", ".join(f"{g} {n:,}" for g, n in comparison["grades"].items())
        lines.append(f"- `{key}`: {comparison['enterprises']:,} enterprises; {grades}")
    lines += [
        "",
        f"Generating the filings took {largest['generate_s']:.2f} s and holds {largest['data_mib']:,.0f} MiB"
        f" (process peak {largest['after_data_peak_mib']:,.0f} MiB).",
        "",
        SECTION_END,
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.case:
        print(json.dumps(run_case(args.case, args.runs)))
        return 0
    load_before = load_average()
    cases = []
    for n in args.sizes:
        completed = subprocess.run(
            [sys.executable, __file__, "--case", str(n), "--runs", str(args.runs)],
            capture_output=True,
            text=True,
            cwd=PROJECT_DIR,
        )
        if completed.returncode:
            sys.stderr.write(completed.stderr)
            return completed.returncode
        case = json.loads(completed.stdout.strip().splitlines()[-1])
        cases.append(case)
        print(
            f"{n:,} filings: engine {min(case['engine_s']):.2f} s"
            f" (runs {', '.join(f'{t:.2f}' for t in case['engine_s'])}), reference {case['reference_s']:.2f} s,"
            f" peak {case['engine_peak_mib']:,.0f} / {case['reference_peak_mib']:,.0f} MiB,"
            f" max total difference {max(c['max_total_difference'] for c in case['comparison'].values()):.2e}"
        )
    command = "PARKOS_DEBUG=1 .venv/bin/python bench/evaluation.py " + " ".join(
        [f"--sizes {' '.join(str(n) for n in args.sizes)}", f"--runs {args.runs}"] + (["--write"] if args.write else [])
    )
    section = render(cases, command, load_before, load_average())
    print(section)
    if args.write:
        print(f"Wrote {write_section(section, SECTION_START, SECTION_END)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
