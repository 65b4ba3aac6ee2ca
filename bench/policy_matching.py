"""Policy matching: every open policy against every enterprise, beside the same rules as plain SQL in the same run.

    PARKOS_DEBUG=1 .venv/bin/python bench/policy_matching.py [--enterprises 100000] [--policies 20] [--runs 3]
        [--database-url postgres://postgres@127.0.0.1:5432/parkos_bench_policies] [--write]

1. load (timed apart, once per database): N enterprises in 40 industries and 12 districts, a filing for 2025
   for each (a third also filed for 2021, so years in the park vary), certifications for ~35 % of them (some
   expired), a finished evaluation run grading 90 % of them, and P open policies of 3-6 rules each drawn from
   the attribute catalogue (thresholds, prefixes, flags, grades), seeded;
2. matching: ``parkos.policies.matching.match_all()`` (the attribute table in a fixed number of queries, then
   every rule of every policy as a Polars column), wall and CPU time, best of --runs, with the split between
   reading the table and matching;
3. floor: the same rules compiled to one plain SQL statement (the same joins: latest filing, first arrival,
   certificates valid on the day, latest grade; one CASE per rule; rows with at most one rule failed), run and
   fetched in the same process;
4. the load average before and after.

Target (issue 17): all open policies against 100,000 enterprises in under 10 s. --write puts the table into
bench/RESULTS.md between the policy-matching markers.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import setup_django, write_section  # noqa: E402

SECTION_START = "<!-- BEGIN policy-matching -->"
SECTION_END = "<!-- END policy-matching -->"
SEED = 17
DAY = datetime.date(2026, 6, 30)
TARGET_S = 10.0
DISTRICTS = (
    "浦东新区",
    "闵行区",
    "嘉定区",
    "松江区",
    "青浦区",
    "宝山区",
    "奉贤区",
    "金山区",
    "徐汇区",
    "杨浦区",
    "普陀区",
    "临港新片区",
)
TOPS = ("IC", "AI", "BIO", "EQP", "NE", "MAT", "DIG", "FIN")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--policies", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", help="default: SQLite bench/var/policy_matching.sqlite3")
    parser.add_argument("--write", action="store_true", help="write the results into bench/RESULTS.md")
    return parser.parse_args(argv)


def load_average() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


# -- the data ---------------------------------------------------------------------------------------


def rule_pool(rng: random.Random) -> list[dict]:
    """Rules of every kind the catalogue offers, with thresholds around the generated distributions."""
    return [
        {"field": "rd_ratio", "at_least": rng.choice([2, 3, 4, 5])},
        {"field": "revenue", "at_least": rng.choice([10, 20, 50, 100]) * 1_000_000},
        {"field": "revenue", "below": rng.choice([200, 400]) * 1_000_000},
        {"field": "employees", "at_least": rng.choice([10, 20, 50])},
        {"field": "employees", "below": 500},
        {"field": "tax_per_mu", "at_least": rng.choice([50_000, 150_000, 300_000])},
        {"field": "years_in_park", "at_least": rng.choice([1, 3])},
        {"field": "years_since_founding", "at_least": rng.choice([2, 3, 5])},
        {"field": "industry_code", "prefix": rng.sample(TOPS, 3)},
        {"field": "district", "one_of": rng.sample(DISTRICTS, 4)},
        {"field": "grade", "one_of": ["A", "B"]},
        {"field": "high_tech", "is": True},
        {"any": [{"field": "srdi", "is": True}, {"field": "little_giant", "is": True}]},
        {"field": "tech_sme", "is": True},
        {"field": "major_incident", "is": False},
        {"field": "above_size_threshold", "is": True},
    ]


def load(n: int, n_policies: int) -> dict[str, float]:
    """Write the synthetic data set (skipped when it is there); its counts and load time."""
    from decimal import Decimal

    from django.db import transaction

    from parkos.directory.models import Industry, Organization
    from parkos.evaluation.models import EvaluationResult, EvaluationRun, EvaluationScheme, IndicatorFiling
    from parkos.parks.models import Park, ParkBrand
    from parkos.policies.models import Certification, Policy

    if Organization.objects.filter(kind="enterprise").count() >= n and Policy.objects.count() >= n_policies:
        return {"load_s": 0.0}
    started = time.perf_counter()
    rng = random.Random(SEED)
    with transaction.atomic():
        industries = []
        for top in TOPS:
            parent = Industry.objects.create(code=top, name=top)
            industries += [
                Industry.objects.create(code=f"{top}-{i}", name=f"{top}{i}", parent=parent, national_code=f"C3{i}{i}")
                for i in range(5)
            ]
        brand = ParkBrand.objects.create(code="bench", name="Bench")
        parks = [
            Park.objects.create(code=f"bp{i}", name=f"Park {i}", brand=brand, district=DISTRICTS[i % 12])
            for i in range(50)
        ]
        orgs = [
            Organization(
                name=f"企业{i:06d}",
                kind="enterprise",
                industry=rng.choice(industries),
                ownership=rng.choice(["private", "private", "state_owned", "foreign_invested", "joint"]),
                district=rng.choice(DISTRICTS),
                established=DAY - datetime.timedelta(days=rng.randint(100, 9000)),
                is_high_tech=rng.random() < 0.25,
            )
            for i in range(n)
        ]
        Organization.objects.bulk_create(orgs, batch_size=5000)
        filings = []
        for org in orgs:
            revenue = 10 ** rng.uniform(6, 9)
            land = rng.uniform(2, 80) * 666.67 if rng.random() < 0.8 else None
            values = dict(
                organization=org,
                park=rng.choice(parks),
                revenue=Decimal(round(revenue)),
                tax=Decimal(round(revenue * rng.uniform(0.01, 0.08))),
                rd_expenditure=Decimal(round(revenue * rng.uniform(0, 0.08))) if rng.random() < 0.9 else None,
                employees=rng.randint(3, 2000) if rng.random() < 0.95 else None,
                land_area=Decimal(round(land, 2)) if land else None,
                above_size_threshold=revenue > 20_000_000,
                major_incident=rng.random() < 0.02,
            )
            filings.append(IndicatorFiling(year=2025, **values))
            if rng.random() < 0.33:
                filings.append(IndicatorFiling(year=2021, **values))
        IndicatorFiling.objects.bulk_create(filings, batch_size=5000)
        certificates = []
        for org in orgs:
            for kind, share in (("high_tech", 0.25), ("srdi", 0.1), ("little_giant", 0.02), ("tech_sme", 0.15)):
                if rng.random() < share:
                    start = DAY - datetime.timedelta(days=rng.randint(10, 1500))
                    certificates.append(
                        Certification(
                            organization=org,
                            kind=kind,
                            valid_from=start,
                            valid_until=start + datetime.timedelta(days=3 * 365),
                        )
                    )
        Certification.objects.bulk_create(certificates, batch_size=5000)
        scheme = EvaluationScheme.objects.create(name="bench_policy", definition={})
        run = EvaluationRun.objects.create(scheme=scheme, year=2025, status=EvaluationRun.Status.DONE)
        grades = ("A", "B", "B", "C", "C", "D")
        EvaluationResult.objects.bulk_create(
            [
                EvaluationResult(
                    run=run, organization=org, park=parks[0], cohort="all", status="graded", grade=rng.choice(grades)
                )
                for org in orgs
                if rng.random() < 0.9
            ],
            batch_size=5000,
        )
        issuer = Organization.objects.create(name="区政府", kind="government")
        policies = []
        for i in range(n_policies):
            rules = rng.sample(rule_pool(rng), rng.randint(3, 6))
            policies.append(
                Policy(
                    issuer=issuer, name=f"政策{i:02d}", aspect="technology", status="open", eligibility={"all": rules}
                )
            )
        for policy in policies:
            policy.full_clean(validate_unique=False, validate_constraints=False)
        Policy.objects.bulk_create(policies)
    return {"load_s": time.perf_counter() - started, "filings": len(filings), "certificates": len(certificates)}


# -- the floor: the same rules as one SQL statement -------------------------------------------------


def floor_sql(policies, vendor: str) -> str:
    """One SQL statement: (policy_id, organization_id, failed) for each enterprise failing at most one rule."""
    from parkos.policies import rules

    sqlite = vendor == "sqlite"
    real = "REAL" if sqlite else "DOUBLE PRECISION"
    false, yes = ("0", "1") if sqlite else ("false", "true")

    def year(expr: str) -> str:
        return f"CAST(strftime('%Y', {expr}) AS INTEGER)" if sqlite else f"EXTRACT(YEAR FROM {expr})::int"

    def month_day(expr: str) -> str:
        return f"strftime('%m-%d', {expr})" if sqlite else f"to_char({expr}, 'MM-DD')"

    def whole_years(expr: str) -> str:
        return f"({DAY.year} - {year(expr)} - CASE WHEN {month_day(expr)} > '{DAY:%m-%d}' THEN 1 ELSE 0 END)"

    def test(node: dict) -> str:
        if "all" in node:
            return "(" + " AND ".join(test(c) for c in node["all"]) + ")"
        if "any" in node:
            return "(" + " OR ".join(test(c) for c in node["any"]) + ")"
        if "not" in node:
            return f"(NOT {test(node['not'])})"
        column = node["field"]
        tests = []
        if "is" in node:
            tests.append(f"COALESCE({column}, {false}) = {yes if node['is'] else false}")
        if "at_least" in node:
            tests.append(f"{column} >= {node['at_least']}")
        if "below" in node:
            tests.append(f"{column} < {node['below']}")
        if "equals" in node:
            tests.append(f"{column} = '{node['equals']}'")
        if "one_of" in node:
            tests.append(f"{column} IN (" + ", ".join(f"'{v}'" for v in node["one_of"]) + ")")
        if "prefix" in node:
            tests.append("(" + " OR ".join(f"{column} LIKE '{p}%'" for p in node["prefix"]) + ")")
        return "COALESCE((" + " AND ".join(tests) + f"), {false})"

    day = f"'{DAY.isoformat()}'"
    valid = f"c.valid_from <= {day} AND (c.valid_until IS NULL OR c.valid_until >= {day})"

    def as_flag(expr: str) -> str:
        return expr if sqlite else f"({expr} = 1)"

    certificate_columns = ",\n        ".join(
        [
            *(
                f"{as_flag(f'MAX(CASE WHEN c.kind = {k!r} AND {valid} THEN 1 ELSE 0 END)')} AS {k}"
                for k in rules.CERTIFICATION_FLAGS
            ),
            *(
                f"{as_flag(f'MAX(CASE WHEN c.kind = {k!r} THEN 1 ELSE 0 END)')} AS recorded_{k}"
                for k in ("high_tech", "srdi")
            ),
        ]
    )
    attributes = f"""
    WITH latest AS (
      SELECT f.* FROM evaluation_indicatorfiling f
      WHERE f.year = (SELECT MAX(g.year) FROM evaluation_indicatorfiling g WHERE g.organization_id = f.organization_id)
    ), first AS (
      SELECT f.organization_id, MIN(f.year) AS arrived FROM evaluation_indicatorfiling f GROUP BY f.organization_id
    ), certs AS (
      SELECT c.organization_id,
        {certificate_columns}
      FROM policies_certification c GROUP BY c.organization_id
    ), grades AS (
      SELECT r.organization_id, r.grade FROM evaluation_evaluationresult r
      WHERE r.grade <> '' AND r.run_id = (SELECT MAX(r2.run_id) FROM evaluation_evaluationresult r2
        JOIN evaluation_evaluationrun er ON er.id = r2.run_id AND er.status = 'done'
        WHERE r2.organization_id = r.organization_id AND r2.grade <> '')
    ), attrs AS (
      SELECT o.id AS organization_id, i.code AS industry_code, NULLIF(o.ownership, '') AS ownership,
        NULLIF(o.district, '') AS district, o.is_listed,
        CAST(l.revenue AS {real}) AS revenue, CAST(l.tax AS {real}) AS tax,
        CAST(l.rd_expenditure AS {real}) AS rd_expenditure, l.employees, l.major_incident, l.above_size_threshold,
        CASE WHEN l.revenue > 0 THEN CAST(l.rd_expenditure AS {real}) * 100 / CAST(l.revenue AS {real}) END AS rd_ratio,
        CASE WHEN l.land_area > 0
          THEN CAST(l.tax AS {real}) / (CAST(l.land_area AS {real}) / (10000.0 / 15)) END AS tax_per_mu,
        {whole_years("o.established")} AS years_since_founding,
        {DAY.year} - first.arrived AS years_in_park,
        CASE WHEN COALESCE(certs.recorded_high_tech, {false}) = {yes} THEN certs.high_tech ELSE o.is_high_tech END
          AS high_tech,
        (CASE WHEN COALESCE(certs.recorded_srdi, {false}) = {yes} THEN certs.srdi ELSE o.is_srdi END
          OR COALESCE(certs.little_giant, {false}) = {yes}) AS srdi,
        certs.little_giant, certs.tech_sme, certs.tech_center, certs.green_factory, grades.grade
      FROM directory_organization o
      LEFT JOIN directory_industry i ON i.id = o.industry_id
      LEFT JOIN latest l ON l.organization_id = o.id
      LEFT JOIN first ON first.organization_id = o.id
      LEFT JOIN certs ON certs.organization_id = o.id
      LEFT JOIN grades ON grades.organization_id = o.id
      WHERE o.kind = 'enterprise'
    )"""
    selects = []
    for policy in policies:
        checks = " + ".join(f"CASE WHEN {test(rule)} THEN 0 ELSE 1 END" for rule in rules.rules_of(policy.eligibility))
        selects.append(
            f"SELECT {policy.pk} AS policy_id, organization_id, failed FROM "
            f"(SELECT organization_id, {checks} AS failed FROM attrs) t{policy.pk} WHERE failed <= 1"
        )
    return attributes + "\n" + "\nUNION ALL\n".join(selects)


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main(argv=None) -> None:
    args = parse_args(argv)
    setup_django(args.database_url, "policy_matching.sqlite3")
    from django.core.management import call_command
    from django.db import connection

    from parkos.policies import matching

    call_command("migrate", verbosity=0, interactive=False)
    loaded = load(args.enterprises, args.policies)
    print(f"load: {loaded}", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    policies = list(matching.open_policies(DAY))
    rule_count = sum(len(p.eligibility.get("all", [])) for p in policies)
    load_before = load_average()
    results = []
    for _ in range(args.runs):
        table, t_wall, t_cpu = timed(lambda: matching.attribute_table(day=DAY))
        found, m_wall, m_cpu = timed(lambda table=table: matching.match_table(table, policies))
        results.append((t_wall + m_wall, t_cpu + m_cpu, t_wall, m_wall, found))
    best = min(results, key=lambda r: r[0])
    sql = floor_sql(policies, connection.vendor)

    def run_floor():
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    floors = [timed(run_floor) for _ in range(args.runs)]
    floor_rows, floor_wall, floor_cpu = min(floors, key=lambda r: r[1])
    found = best[4]
    ours = {(p, o, f) for p, o, f in found.select("policy_id", "organization_id", "failed").iter_rows()}
    theirs = {(int(p), int(o), int(f)) for p, o, f in floor_rows}
    agree = "yes" if ours == theirs else f"no ({len(ours ^ theirs)} rows differ)"
    load_after = load_average()
    qualifying = found.filter(found["failed"] == 0).height
    near = found.height - qualifying
    line = (
        f"| {connection.vendor} | {args.enterprises:,} | {len(policies)} ({rule_count} rules) | {best[0]:.2f} | "
        f"{best[1]:.2f} | {best[2]:.2f} / {best[3]:.2f} | {floor_wall:.2f} | {best[0] / floor_wall:.2f}x | "
        f"{qualifying:,} / {near:,} | {agree} | {loaded['load_s']:.1f} | {load_before} / {load_after} |"
    )
    print(line)
    if args.write:
        rows_file = Path(__file__).resolve().parent / "var" / "policy_matching_rows.txt"
        previous = rows_file.read_text().splitlines() if rows_file.exists() else []
        previous = [r for r in previous if not r.startswith(f"| {connection.vendor} | {args.enterprises:,} |")]
        rows = [*previous, line]
        rows_file.write_text("\n".join(rows) + "\n")
        section = "\n".join(
            [
                SECTION_START,
                "## Policy matching (issue 17)",
                "",
                f"Run on {datetime.datetime.now(datetime.UTC).date().isoformat()} with:",
                "",
                "```",
                "PARKOS_DEBUG=1 .venv/bin/python bench/policy_matching.py --enterprises 100000 --policies 20 --write",
                "PARKOS_DEBUG=1 .venv/bin/python bench/policy_matching.py --enterprises 100000 --policies 20 \\",
                "    --write --database-url postgres://postgres@127.0.0.1:5432/parkos_bench_policies",
                "```",
                "",
                "Every open policy (3-6 rules each) against every enterprise: `matching.match_all()` (the attribute",
                "table read in 8 queries, then each rule of each policy as a Polars column), best of 3, wall and CPU;",
                "the floor is the same rules compiled to one plain SQL statement over the same tables (latest filing,",
                "first arrival, certificates valid on the day, latest grade), run and fetched in the same process.",
                '"agree": both return the same (policy, enterprise, rules failed) rows, qualifying and near misses.',
                "The data (synthetic, seeded) is loaded first and timed apart (0.0: already there). The machine has 2",
                "cores shared with other test suites: with a load average of 10-15 a process gets a fraction of a",
                "core, so the wall figures are the CPU figures stretched by the queue; CPU s counts this process only",
                "(SQLite runs inside it; the PostgreSQL server's own work is not in it).",
                "",
                "| database | enterprises | policies | wall s | CPU s | read / match s | SQL floor s | vs floor |"
                " qualifying / near | agree | load s | load avg before / after |",
                "|---|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---|",
                *rows,
                "",
                f"Target: under {TARGET_S:g} s for 100,000 enterprises.",
                SECTION_END,
            ]
        )
        write_section(section, SECTION_START, SECTION_END)


if __name__ == "__main__":
    main()
