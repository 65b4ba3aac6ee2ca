"""Investment benchmark: latency and SQL queries of the pipeline figures and the agreement implementation report.

    PARKOS_DEBUG=1 .venv/bin/python bench/investment.py [--runs 30] [--explain] [--write]

Uses its own SQLite file (bench/var/investment.sqlite3, git-ignored) unless --database-url says
otherwise, and fills it once with bulk_create: 20,000 projects with their stage history, 10,000
agreements with 2-5 parties each, 50,000 commitments and 200,000 progress records (the derived
commitment fields, which Commitment.save keeps, are set in the rows directly). Each page is then
requested through django.test.Client as in bench/registry.py: warm-up, --runs timed requests
(p50, p95), one more under CaptureQueriesContext. --write puts the table into bench/RESULTS.md,
in its own section below the registry analysis (which bench/registry.py --write keeps).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from registry import Case, calibration_ms, explain, machine, measure  # noqa: E402

TARGET_P95_MS = 300.0
VOLUMES = {"projects": 20_000, "agreements": 10_000, "commitments": 50_000, "progress": 200_000}
SEED = 20251123
PERIOD = "date_from=2025-01-01&date_to=2025-12-31"
NOTES = """\
What keeps these pages flat (parkos/investment/selectors.py):

- The report pages paginate the filtered agreements' IDs (`ORDER BY signed_on DESC, id DESC LIMIT 25`,
  served by the `signed_on` index) and group only that page's commitments (`with_implementation`).
  Paginating the annotated queryset grouped all 10,000 agreements with their 50,000 commitments
  before sorting: 184 ms for that query alone (327 ms of SQL per request), against 53 ms of SQL now.
- Implementation status as a filter and in the totals is `EXISTS` tests per agreement
  (`implementation_q`, the rules of `implementation_case`), answered by the `commitment_status`
  index (agreement, met_on, due_date); the commitment totals per status and per kind are one pass.
- Time in stage pairs consecutive stage changes with `LEAD()` and takes the median with
  `ROW_NUMBER()` in one SQL statement; it reads only the history of projects with a change in the
  period (a stay that ended in the period ends with one): ~95 ms of SQL as admin, the largest
  single cost of the figures page. An index on stage changes (project, date, id) was tried: 97 -> 89
  ms, not worth adding. No new index is needed for these pages at this volume.
- Conversion counts each active project's furthest stage once (`MAX` of the stage's rank per
  project, then a count per rank): 29 ms, against 39-51 ms for seven `COUNT(DISTINCT ...)`.
- The query count does not depend on the data: 13 per report page (session, user, permissions,
  3 totals, COUNT, page IDs, page rows, parties, commitments), 15-16 per figures page.
- PDF: WeasyPrint lays out about 7 ms per agreement row (fixed table layout; the automatic layout
  took 12 ms), so the PDF stops at 1,000 rows and says so; the XLSX has every row.
"""
SECTION_START = "<!-- investment benchmark: start -->"
SECTION_END = "<!-- investment benchmark: end -->"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=30, help="timed requests per case (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first (default 3)")
    parser.add_argument("--database-url", help="default: sqlite:///bench/var/investment.sqlite3")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN QUERY PLAN of each slowest query")
    parser.add_argument("--write", action="store_true", help="write the results into bench/RESULTS.md")
    return parser.parse_args(argv)


def setup_django(args) -> str:
    url = args.database_url or f"sqlite:///{BENCH_DIR / 'var' / 'investment.sqlite3'}"
    (BENCH_DIR / "var").mkdir(exist_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkos.settings")
    os.environ.setdefault("PARKOS_DEBUG", "1")  # the test client's host name is allowed in debug only
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()
    return url


# --- data ------------------------------------------------------------------------------------------


def ensure_data() -> str:
    from django.core.management import call_command

    from parkos.investment.models import Progress, Project

    call_command("migrate", verbosity=0, interactive=False)
    note = BENCH_DIR / "var" / "investment.loaded.txt"
    if Progress.objects.count() >= VOLUMES["progress"] and Project.objects.count() >= VOLUMES["projects"]:
        return "data already loaded" + (f"; {note.read_text().strip()}" if note.exists() else "")
    started = time.perf_counter()
    counts = load(random.Random(SEED))
    elapsed = time.perf_counter() - started
    status = f"loaded in {elapsed:.0f} s: " + ", ".join(f"{n:,} {name}" for name, n in counts.items())
    note.write_text(status + "\n")
    return status


def load(rng: random.Random) -> dict[str, int]:
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from parkos.directory.models import Industry, Organization
    from parkos.investment.models import (
        STAGE_ORDER,
        Agreement,
        Commitment,
        ExchangeRate,
        Party,
        Progress,
        Project,
        Stage,
        StageChange,
    )
    from parkos.parks.models import Park, ParkBrand
    from parkos.users.models import User

    today = datetime.date(2026, 6, 30)
    start = datetime.date(2023, 1, 1)
    span = (today - start).days

    def day(lo: datetime.date = start, hi: datetime.date = today) -> datetime.date:
        return lo + datetime.timedelta(days=rng.randint(0, max(0, (hi - lo).days)))

    with transaction.atomic():
        roots = [Industry.objects.create(code=f"B{i}", name=f"行业 {i}", name_en=f"Industry {i}") for i in range(8)]
        industries = roots + [
            Industry.objects.create(code=f"B{i}-{j}", name=f"子行业 {i}-{j}", parent=root)
            for i, root in enumerate(roots)
            for j in range(3)
        ]
        brands = [ParkBrand.objects.create(code=f"brand-{i}", name=f"品牌 {i}") for i in range(3)]
        parks = [
            Park.objects.create(
                code=f"park-{i}", name=f"园区 {i}", brand=brands[i % 3], district="District", land_area=1_000_000
            )
            for i in range(12)
        ]
        orgs = Organization.objects.bulk_create(
            [
                Organization(
                    name=f"企业 {i:05d} 有限公司",
                    kind=Organization.Kind.GOVERNMENT if i < 20 else Organization.Kind.ENTERPRISE,
                    industry=rng.choice(industries),
                )
                for i in range(3000)
            ]
        )
        admin = User.objects.create_user(username="admin", password="bench-password-not-used")
        admin.groups.add(Group.objects.get(name="operator_admin"))
        staff = User.objects.create_user(username="investment", password="bench-password-not-used")
        staff.groups.add(Group.objects.get(name="investment_staff"))
        staff.parks.add(*parks[:3])
        partner = User.objects.create_user(username="partner", password="bench-password-not-used")
        partner.groups.add(Group.objects.get(name="government_partner"))
        partner.organizations.add(orgs[0])

        for currency, base in (("USD", 7.1), ("EUR", 7.8), ("HKD", 0.91)):
            ExchangeRate.objects.bulk_create(
                [
                    ExchangeRate(
                        currency=currency,
                        rate=Decimal(str(round(base * (1 + rng.uniform(-0.03, 0.03)), 4))),
                        valid_from=datetime.date(2023 + m // 12, m % 12 + 1, 1),
                    )
                    for m in range(42)
                ]
            )

        # Projects and their stage history: each moves through the stages in order from its first day,
        # a share stops along the way and a share is lost.
        projects, histories = [], []
        currencies = ["CNY"] * 14 + ["USD"] * 4 + ["EUR", "HKD", "JPY"]  # JPY has no rate: reported missing
        for i in range(VOLUMES["projects"]):
            last = rng.choices(range(len(STAGE_ORDER)), weights=[20, 20, 15, 15, 12, 10, 8])[0]
            lost = last < 4 and rng.random() < 0.25
            first = start + datetime.timedelta(days=rng.randint(0, span - 30))
            steps, on = [], first
            for stage in STAGE_ORDER[: last + 1]:
                steps.append((stage, on))
                on = min(today, on + datetime.timedelta(days=rng.randint(3, 120)))
            if lost:
                steps.append((Stage.LOST, on))
            confidential = rng.random() < 0.1
            projects.append(
                Project(
                    name=f"项目 {i:05d}",
                    codename=f"Code {i:05d}" if confidential else "",
                    is_confidential=confidential,
                    park=rng.choice(parks),
                    industry=rng.choice(industries),
                    investor=rng.choice(orgs),
                    planned_investment_amount=Decimal(rng.randint(1, 500) * 1_000_000) if rng.random() < 0.9 else None,
                    planned_investment_currency=rng.choice(currencies),
                    stage=steps[-1][0],
                    stage_since=steps[-1][1],
                    lost_reason="Chose another city" if lost else "",
                )
            )
            histories.append(steps)
        projects = Project.objects.bulk_create(projects, batch_size=2000)
        changes = []
        for project, steps in zip(projects, histories, strict=True):
            previous = ""
            for stage, on in steps:
                changes.append(StageChange(project=project, stage=stage, previous_stage=previous, date=on))
                previous = stage
        StageChange.objects.bulk_create(changes, batch_size=5000)

        agreements = []
        kinds = Agreement.Kind.values
        for i in range(VOLUMES["agreements"]):
            draft = rng.random() < 0.05
            agreements.append(
                Agreement(
                    kind=rng.choice(kinds),
                    title=f"合作协议 {i:05d}",
                    reference=f"AG-{i:05d}",
                    status=Agreement.Status.DRAFT if draft else rng.choice(["signed", "in_force", "in_force"]),
                    park=rng.choice(parks),
                    signed_on=day(start, today - datetime.timedelta(days=30)),
                )
            )
        agreements = Agreement.objects.bulk_create(agreements, batch_size=2000)
        parties = []
        for agreement in agreements:
            n = rng.randint(2, 5)
            members = rng.sample(orgs[20:], n - 1)
            government = orgs[0] if rng.random() < 0.05 else rng.choice(orgs[1:20])
            for org in [government, *members]:
                parties.append(
                    Party(agreement=agreement, organization=org, role="government" if org is government else "investor")
                )
        parties = Party.objects.bulk_create(parties, batch_size=5000)
        by_agreement: dict[int, list] = {}
        for party in parties:
            by_agreement.setdefault(party.agreement_id, []).append(party)

        # 50,000 commitments (5 per agreement), each with 4 progress records: 200,000.
        per_agreement = VOLUMES["commitments"] // VOLUMES["agreements"]
        progress_per = VOLUMES["progress"] // VOLUMES["commitments"]
        commitment_kinds = [k for k in Commitment.Kind.values if k != Commitment.Kind.MILESTONE]
        commitments, progress_values = [], []
        for agreement in agreements:
            for _ in range(per_agreement):
                kind = rng.choice(commitment_kinds)
                target = Decimal(rng.randint(10, 100_000))
                due = agreement.signed_on + datetime.timedelta(days=rng.randint(90, 1500))
                reach = rng.uniform(0.2, 1.3)
                dates = sorted(day(agreement.signed_on, min(due, today)) for _ in range(progress_per))
                values = [
                    (target * Decimal(str(round(reach * (k + 1) / progress_per, 4)))).quantize(Decimal("0.0001"))
                    for k in range(progress_per)
                ]
                met_on = None
                for on, value in reversed(list(zip(dates, values, strict=True))):
                    if value < target:
                        break
                    met_on = on
                commitments.append(
                    Commitment(
                        agreement=agreement,
                        party=rng.choice(by_agreement[agreement.pk]),
                        kind=kind,
                        target_value=target,
                        unit=Commitment.FIXED_UNITS.get(kind, "CNY"),
                        due_date=due,
                        # what Commitment.save and Progress.save would keep (bulk_create bypasses them)
                        midpoint=agreement.signed_on + (due - agreement.signed_on) / 2,
                        latest_value=values[-1],
                        latest_on=dates[-1],
                        met_on=met_on,
                    )
                )
                progress_values.append(list(zip(dates, values, strict=True)))
        commitments = Commitment.objects.bulk_create(commitments, batch_size=5000)
        progress = [
            Progress(commitment=commitment, date=on, value=value, source="party_report")
            for commitment, records in zip(commitments, progress_values, strict=True)
            for on, value in records
        ]
        Progress.objects.bulk_create(progress, batch_size=5000)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    return {
        "projects": len(projects),
        "stage changes": len(changes),
        "agreements": len(agreements),
        "parties": len(parties),
        "commitments": len(commitments),
        "progress records": len(progress),
    }


# --- cases ----------------------------------------------------------------------------------------


def cases() -> list[Case]:
    from parkos.directory.models import Industry

    industry = Industry.objects.filter(parent__isnull=True).order_by("code").first()
    figures = f"/investment/figures/?{PERIOD}"
    report = "/investment/agreements/implementation/"
    filtered = f"{report}?kind=investment&date_from=2025-01-01&status=overdue"
    return [
        Case("pipeline figures, 2025", figures),
        Case("pipeline figures, 2025", figures, user="investment"),
        Case(
            f"pipeline figures, 2025, {industry.name_en or industry.name} subtree, USD",
            f"{figures}&industry={industry.pk}&currency=USD",
        ),
        Case("implementation report, page 1", report),
        Case("implementation report, page 1", report, user="investment"),
        Case("implementation report, page 1", report, user="partner"),
        Case("implementation report, page 20", f"{report}?page=20"),
        Case("implementation report, filtered (kind, period, overdue)", filtered),
        Case("implementation report, filtered (kind, period, overdue)", filtered, user="investment"),
        Case("API pipeline figures, 2025", f"/api/investment/figures/?{PERIOD}"),
        Case("API implementation report, page 1", "/api/investment/agreements/implementation/"),
    ]


def table(rows: list[Case]) -> list[str]:
    lines = [
        "| case | p50 ms | p95 ms | max ms | CPU p50 ms | queries | SQL ms | slowest query ms "
        f"| p95 < {TARGET_P95_MS:.0f} ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for case in rows:
        r = case.result
        ok = "yes" if r["p95"] < TARGET_P95_MS else "**no**"
        lines.append(
            f"| {case.label} (as {case.user}) | {r['p50']:.0f} | {r['p95']:.0f} | {r['max']:.0f} | "
            f"{r['cpu_p50']:.0f} | {r['queries']} | {r['db_ms']:.0f} | {r['slowest_ms']:.0f} | {ok} |"
        )
    return lines


def exports(clients) -> list[str]:
    """One timed XLSX and PDF download of the filtered report (not a target; shows what a download costs)."""
    lines = []
    url = "/investment/agreements/implementation/?kind=investment&date_from=2025-01-01"
    for fmt in ("xlsx", "pdf"):
        started = time.perf_counter()
        response = clients["admin"].get(f"{url}&format={fmt}")
        elapsed = time.perf_counter() - started
        lines.append(
            f"- `{fmt}` of the filtered report (kind=investment, signed since 2025): {elapsed:.1f} s, "
            f"{len(response.content) / 1024:.0f} KiB, HTTP {response.status_code}"
        )
    return lines


def main(argv=None) -> int:
    args = parse_args(argv)
    url = setup_django(args)
    print(f"Database: {url}")
    from django.contrib.auth import get_user_model
    from django.test import Client

    status = ensure_data()
    print(status)
    load_before = os.getloadavg()[0]
    calibration = calibration_ms()
    users = get_user_model().objects.in_bulk(["admin", "investment", "partner"], field_name="username")
    clients = {}
    for username, user in users.items():
        clients[username] = Client()
        clients[username].force_login(user)

    rows = cases()
    for case in rows:
        measure(case, clients, args.runs, args.warmup)
        r = case.result
        print(
            f"{case.label:<60} as {case.user:<10} p50 {r['p50']:6.0f} ms  p95 {r['p95']:6.0f} ms  "
            f"CPU {r['cpu_p50']:5.0f} ms  {r['queries']:3d} queries  SQL {r['db_ms']:5.0f} ms"
        )
        if args.explain:
            print(f"    slowest query {r['slowest_ms']:.0f} ms: {r['slowest_sql'][:400]}")
            for step in explain(r["slowest_sql"]):
                print(f"      {step}")
    downloads = exports(clients)
    print("\n".join(downloads))
    lines = table(rows)
    print("\n" + "\n".join(lines))
    conditions = (
        f"load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after the runs; "
        f"calibration loop {calibration:.0f} ms CPU"
    )
    print(conditions)
    if args.write:
        write_results(args, status, conditions, lines, downloads, rows)
    return 0


def write_results(args, status, conditions, lines, downloads, rows) -> None:
    info = machine()
    command = f"PARKOS_DEBUG=1 .venv/bin/python bench/investment.py --runs {args.runs}"
    slow = [c for c in rows if c.result["p95"] >= TARGET_P95_MS]
    section = "\n".join(
        [
            SECTION_START,
            "# Investment benchmark",
            "",
            f"Run on {datetime.datetime.now(datetime.UTC).date().isoformat()} with:",
            "",
            "```",
            f"{command} --write",
            "```",
            "",
            f"- machine: {info['cpus']} CPUs ({info['cpu']}), {info['os']}",
            f"- Python {info['python']}, Django {info['django']}, {info['database']}",
            f"- data ({status}): {VOLUMES['projects']:,} projects with their stage history, "
            f"{VOLUMES['agreements']:,} agreements with 2-5 parties each, {VOLUMES['commitments']:,} commitments, "
            f"{VOLUMES['progress']:,} progress records; 3,000 organizations, 12 parks (investment staff: 3)",
            f"- conditions: {conditions}",
            f"- each case: {args.warmup} warm-up requests, then {args.runs} timed requests through "
            "django.test.Client (DEBUG off), then one more for the query count",
            "",
            *lines,
            "",
            f"Target: p95 under {TARGET_P95_MS:.0f} ms on SQLite for each case. "
            + ("All cases meet it." if not slow else f"Missed by: {', '.join(c.label for c in slow)}."),
            "",
            "Downloads (one request each):",
            "",
            *downloads,
            "",
            NOTES,
            SECTION_END,
        ]
    )
    path = BENCH_DIR / "RESULTS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if SECTION_START in text and SECTION_END in text:
        before, rest = text.split(SECTION_START, 1)
        after = rest.split(SECTION_END, 1)[1]
        text = before + section + after
    else:
        # below the registry's analysis marker, so that bench/registry.py --write keeps it
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")
    print(f"Wrote {path}")


if __name__ == "__main__":
    raise SystemExit(main())
