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
import time
from decimal import Decimal

from harness import (
    Case,
    add_run_arguments,
    calibration_ms,
    conditions,
    ensure_loaded,
    logged_in_clients,
    measure_all,
    section_head,
    setup_django,
    table,
    target_line,
    write_section,
)

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
    add_run_arguments(parser, "sqlite:///bench/var/investment.sqlite3")
    return parser.parse_args(argv)


# --- data ------------------------------------------------------------------------------------------


def ensure_data() -> str:
    from parkos.investment.models import Progress, Project

    return ensure_loaded(
        "investment",
        lambda: Progress.objects.count() >= VOLUMES["progress"] and Project.objects.count() >= VOLUMES["projects"],
        lambda: load(random.Random(SEED)),
    )


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
    url = setup_django(args.database_url, "investment.sqlite3")
    print(f"Database: {url}")
    status = ensure_data()
    print(status)
    load_before = os.getloadavg()[0]
    calibration = calibration_ms()
    clients = logged_in_clients(["admin", "investment", "partner"])
    rows = cases()
    measure_all(rows, clients, args, label_width=60, user_width=10, sql_chars=400)
    downloads = exports(clients)
    print("\n".join(downloads))
    lines = table(rows, TARGET_P95_MS)
    print("\n" + "\n".join(lines))
    machine_conditions = conditions(load_before, calibration)
    print(machine_conditions)
    if args.write:
        write_results(args, status, machine_conditions, lines, downloads, rows)
    return 0


def write_results(args, status, conditions, lines, downloads, rows) -> None:
    command = f"PARKOS_DEBUG=1 .venv/bin/python bench/investment.py --runs {args.runs} --write"
    section = "\n".join(
        [
            SECTION_START,
            *section_head("Investment benchmark", command),
            f"- data ({status}): {VOLUMES['projects']:,} projects with their stage history, "
            f"{VOLUMES['agreements']:,} agreements with 2-5 parties each, {VOLUMES['commitments']:,} commitments, "
            f"{VOLUMES['progress']:,} progress records; 3,000 organizations, 12 parks (investment staff: 3)",
            f"- conditions: {conditions}",
            f"- each case: {args.warmup} warm-up requests, then {args.runs} timed requests through "
            "django.test.Client (DEBUG off), then one more for the query count",
            "",
            *lines,
            "",
            target_line(rows, TARGET_P95_MS),
            "",
            "Downloads (one request each):",
            "",
            *downloads,
            "",
            NOTES,
            SECTION_END,
        ]
    )
    # a new section goes at the end, below the registry's analysis marker, so that bench/registry.py --write keeps it
    print(f"Wrote {write_section(section, SECTION_START, SECTION_END)}")


if __name__ == "__main__":
    raise SystemExit(main())
