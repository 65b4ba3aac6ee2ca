"""Cockpit benchmark: latency and SQL queries of the cockpit, its API and the park benchmarking at scale.

    PARKOS_DEBUG=1 .venv/bin/python bench/cockpit.py [--enterprises 100000] [--runs 30] [--explain] [--write]

Uses its own database (bench/var/cockpit-<enterprises>.sqlite3 unless --database-url says otherwise) and fills
it once with bulk_create: 40 parks in 4 brands and 8 districts, ``--enterprises`` enterprises (default
100,000, the demo at scale 6.25), one space unit and one lease per enterprise (a tenth of them starting in the
period), a project per 20 enterprises (half signed in 2026, a fifth landed), an agreement per 50 with a
district government party and three commitments, a finished evaluation run with one result per enterprise,
a service request per 5 enterprises, flags and disposal cases. Each page is requested through
django.test.Client as the other page benches (bench/harness.py), beside a trivial page (the profile page)
as a floor. --write puts the table into bench/RESULTS.md between the cockpit markers.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
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
SEED = 20261206
PARKS, BRANDS, DISTRICTS = 40, 4, 8
PERIOD = "period=2026-Q2"
SECTION_START = "<!-- cockpit benchmark: start -->"
SECTION_END = "<!-- cockpit benchmark: end -->"
NOTES = """\
What keeps these pages flat (parkos/cockpit/selectors.py): every figure is an aggregate query over the rows
in scope (a grouped one per measure on the benchmarking page), never a query per park or enterprise, so
the count of queries is fixed (asserted in parkos/cockpit/tests/test_cockpit.py). The figures are kept
(parkos/cockpit/freshness.py) per audience (every reader who sees the same parks with the same permissions),
language, units, period and scope, and each part of the page (projects, agreements, leasing, evaluation,
land, services, commitments) on its own under a version that every write it reads replaces: a change shows
on the next view, which computes again only the parts that read it. `parkos cockpit_warm --every 60`
computes the group, each brand, district and park in each language ahead of the readers, every
PARKOS_COCKPIT_CACHE_SECONDS, and between those rounds looks at the versions every 3 s (`--poll`) and
recomputes only the parts and scopes a change made stale. Stale while revalidating: meanwhile a reader of
those figures gets the ones from before the change at once, and the page says when they were computed and
that a refresh is under way (figures up to N s behind). The "after" rows are that reader; "no warm-up
running" is the reader who computes the changed part itself (the figures nobody refreshes: another period,
a partner's, no warm-up); the "computed" rows are the same pages with nothing kept."""


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--enterprises", type=int, default=100_000, help="enterprises to load (default 100,000)")
    add_run_arguments(parser, "sqlite:///bench/var/cockpit-<enterprises>.sqlite3")
    return parser.parse_args(argv)


def load(rng: random.Random, enterprises: int) -> dict[str, int]:
    from django.contrib.auth.models import Group
    from django.db import connection, transaction
    from django.utils import timezone

    from parkos.directory.models import Industry, Organization
    from parkos.evaluation.models import EvaluationResult, EvaluationRun, EvaluationScheme
    from parkos.evaluation.scheme import default_schemes
    from parkos.investment.models import Agreement, Commitment, ExchangeRate, Party, Project, Stage, StageChange
    from parkos.land.models import DisposalCase, ParcelFlag
    from parkos.leasing.models import Lease, RentBasis
    from parkos.parks.models import Building, LandParcel, Park, ParkBrand, SpaceUnit
    from parkos.services.models import Aspect, Scenario, Service, ServiceRequest, Status
    from parkos.users.models import User

    D = datetime.date
    tz = timezone.get_current_timezone()
    with transaction.atomic():
        industry = Industry.objects.create(code="CK", name="驾驶舱行业")
        orgs = Organization.objects.bulk_create(
            [Organization(name=f"企业 {i:06d} 有限公司", industry=industry) for i in range(enterprises)],
            batch_size=5000,
        )
        govs = Organization.objects.bulk_create(
            [
                Organization(name=f"第{d}区人民政府", kind=Organization.Kind.GOVERNMENT, district=f"第{d}区")
                for d in range(DISTRICTS)
            ]
        )
        brands = [ParkBrand.objects.create(code=f"ck-brand-{b}", name=f"品牌 {b}") for b in range(BRANDS)]
        parks = [
            Park.objects.create(
                code=f"ck-{p}",
                name=f"园区 {p:02d}",
                brand=brands[p % BRANDS],
                district=f"第{p % DISTRICTS}区",
                land_area=50_000_000,
            )
            for p in range(PARKS)
        ]
        parcels = LandParcel.objects.bulk_create(
            [LandParcel(park=park, code=f"P{j}", area=100_000) for park in parks for j in range(20)]
        )
        buildings = Building.objects.bulk_create(
            [Building(parcel=parcel, code=f"B{k}", floor_area=1_000_000) for parcel in parcels for k in range(2)]
        )
        units = SpaceUnit.objects.bulk_create(
            [
                SpaceUnit(building=buildings[i % len(buildings)], code=f"U{i}", area=Decimal(200))
                for i in range(enterprises)
            ],
            batch_size=5000,
        )
        park_of_building = {b.pk: parcels[(b.parcel_id - parcels[0].pk)].park_id for b in buildings}
        leases = []
        for i, (org, unit) in enumerate(zip(orgs, units, strict=True)):
            start = D(2026, 4, 1) + datetime.timedelta(days=i % 90) if i % 10 == 0 else D(2022, 1, 1)
            leases.append(
                Lease(
                    tenant=org,
                    park_id=park_of_building[unit.building_id],
                    leased_area=unit.area,
                    start_date=start,
                    end_date=D(2030, 12, 31),
                    effective_end=D(2030, 12, 31),
                    rent_amount=Decimal("2.20"),
                    rent_basis=RentBasis.PER_M2_DAY,
                    currency="CNY",
                    status=Lease.Status.IN_FORCE,
                )
            )
        leases = Lease.objects.bulk_create(leases, batch_size=5000)
        Through = Lease.units.through
        Through.objects.bulk_create(
            [Through(lease_id=lease.pk, spaceunit_id=unit.pk) for lease, unit in zip(leases, units, strict=True)],
            batch_size=10000,
        )
        ExchangeRate.objects.create(currency="USD", rate=Decimal("7.1"), valid_from=D(2020, 1, 1))
        projects = Project.objects.bulk_create(
            [
                Project(
                    name=f"项目 {i}",
                    park=parks[i % PARKS],
                    investor=orgs[i * 20],
                    planned_investment_amount=Decimal(rng.randint(1, 100) * 1_000_000),
                    planned_investment_currency="CNY",
                    stage=Stage.LANDED if i % 5 == 0 else Stage.SIGNED,
                    stage_since=D(2026, 5, 1),
                )
                for i in range(enterprises // 20)
            ],
            batch_size=5000,
        )
        changes = []
        for i, project in enumerate(projects):
            signed = D(2026, 1, 1) + datetime.timedelta(days=i % 180) if i % 2 else D(2025, 3, 1)
            changes.append(StageChange(project=project, stage=Stage.SIGNED, previous_stage=Stage.LEAD, date=signed))
            if i % 5 == 0:
                changes.append(
                    StageChange(project=project, stage=Stage.LANDED, previous_stage=Stage.SIGNED, date=D(2026, 5, 1))
                )
        StageChange.objects.bulk_create(changes, batch_size=10000)
        agreements = Agreement.objects.bulk_create(
            [
                Agreement(
                    title=f"协议 {i}",
                    park=parks[i % PARKS],
                    kind="investment",
                    status="signed",
                    signed_on=D(2025, 1, 1) + datetime.timedelta(days=i % 540),
                )
                for i in range(enterprises // 50)
            ],
            batch_size=5000,
        )
        parties, govs_parties = [], []
        for i, agreement in enumerate(agreements):
            parties.append(Party(agreement=agreement, organization=orgs[i * 50]))
            govs_parties.append(Party(agreement=agreement, organization=govs[(i % PARKS) % DISTRICTS]))
        parties = Party.objects.bulk_create(parties, batch_size=5000)
        Party.objects.bulk_create(govs_parties, batch_size=5000)
        Commitment.objects.bulk_create(
            [
                Commitment(
                    agreement=party.agreement,
                    party=party,
                    kind="investment",
                    target_value=Decimal(10),
                    due_date=D(2026, 1, 1) + datetime.timedelta(days=k * 200),
                    unit="万元",
                    met_on=D(2026, 2, 1) if k == 0 else None,
                )
                for party in parties
                for k in range(3)
            ],
            batch_size=10000,
        )
        scheme = EvaluationScheme.objects.create(definition=default_schemes()["zhejiang_above_threshold"].to_dict())
        run = EvaluationRun.objects.create(scheme=scheme, scheme_version=1, year=2025, status="done")
        grades = "ABCD"
        EvaluationResult.objects.bulk_create(
            [
                EvaluationResult(
                    run=run,
                    organization=org,
                    park_id=leases[i].park_id,
                    cohort="above",
                    status="graded",
                    grade=grades[rng.randint(0, 3)],
                    tax=rng.uniform(10, 500),
                    value_added=rng.uniform(50, 2000),
                    land_mu=rng.uniform(0, 40),
                )
                for i, org in enumerate(orgs)
            ],
            batch_size=5000,
        )
        ParcelFlag.objects.bulk_create(
            [ParcelFlag(parcel=parcel, reason="low_tax", flagged_on=D(2026, 2, 1)) for parcel in parcels[::4]]
        )
        DisposalCase.objects.bulk_create(
            [
                DisposalCase(parcel=parcel, path="buy_back", status="in_progress", opened_on=D(2026, 3, 1))
                for parcel in parcels[::8]
            ]
        )
        services = [
            Service.objects.create(name=f"服务 {aspect}", aspect=aspect, provider=govs[0]) for aspect in Aspect.values
        ]
        for aspect in Aspect.values:
            Scenario.objects.create(name=f"场景 {aspect}", aspect=aspect, provider=govs[0])
        requests = []
        for i in range(enterprises // 5):
            service = services[i % len(services)]
            at = datetime.datetime(2026, 1, 1, 9, tzinfo=tz) + datetime.timedelta(hours=i % 4000)
            done = i % 3 != 0
            requests.append(
                ServiceRequest(
                    enterprise=orgs[i * 5],
                    park_id=leases[i * 5].park_id,
                    service=service,
                    aspect=service.aspect,
                    title=f"请求 {i}",
                    requested_at=at,
                    status=Status.DONE if done else Status.NEW,
                    responded_at=at + datetime.timedelta(hours=2),
                    response_due=at + datetime.timedelta(hours=24),
                    resolution_due=at + datetime.timedelta(days=10),
                    resolved_at=at + datetime.timedelta(days=rng.randint(1, 15)) if done else None,
                    rating=rng.randint(3, 5) if done else None,
                )
            )
        ServiceRequest.objects.bulk_create(requests, batch_size=5000)
        admin = User.objects.create_user(username="admin", password="bench-password-not-used")
        admin.groups.add(Group.objects.get(name="operator_admin"))
        manager = User.objects.create_user(username="manager", password="bench-password-not-used")
        manager.groups.add(Group.objects.get(name="park_manager"))
        manager.parks.add(*parks[:5])
        partner = User.objects.create_user(username="partner", password="bench-password-not-used")
        partner.groups.add(Group.objects.get(name="government_partner"))
        partner.organizations.add(govs[0])
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    return {
        "enterprises": len(orgs),
        "leases": len(leases),
        "projects": len(projects),
        "agreements": len(agreements),
        "evaluation results": len(orgs),
        "service requests": len(requests),
    }


def cases() -> list[Case]:
    from parkos.parks.models import Park, ParkBrand

    brand = ParkBrand.objects.get(code="ck-brand-0")
    park = Park.objects.get(code="ck-0")
    return [
        Case("floor: profile page", "/profile/"),
        Case("cockpit, all 40 parks", f"/cockpit/?{PERIOD}"),
        Case("cockpit, a brand", f"/cockpit/?{PERIOD}&scope=brand:{brand.pk}"),
        Case("cockpit, a park", f"/cockpit/?{PERIOD}&scope=park:{park.pk}"),
        Case("cockpit, a whole year", "/cockpit/?period=2026"),
        Case("API cockpit, all parks", f"/api/cockpit/?{PERIOD}"),
        Case("cockpit, their 5 parks", f"/cockpit/?{PERIOD}", user="manager"),
        Case("government partner's cockpit", f"/cockpit/?{PERIOD}", user="partner"),
        Case("benchmarking, 40 parks", f"/cockpit/parks/?{PERIOD}"),
        Case("API benchmarking, 40 parks", f"/api/cockpit/parks/?{PERIOD}"),
    ]


def timed(label: str, user: str, clients: dict, urls: list[str], before=None) -> Case:
    """Time one request per URL (``before(i)`` first, untimed), then one more for the query count."""
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings
    from harness import summary

    client, timings, cpu = clients[user], [], []
    with override_settings(DEBUG=False):
        for i, url in enumerate(urls):
            if before is not None:
                before(i)
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url} as {user}: HTTP {response.status_code}")
    if before is not None:
        before(len(urls))
    with CaptureQueriesContext(connection) as captured:
        client.get(urls[-1])
    case = Case(label, urls[0], user)
    case.result = summary(timings, cpu, captured.captured_queries)
    r = case.result
    print(f"{label:<34} as {user:<8} p50 {r['p50']:6.0f} ms  p95 {r['p95']:6.0f} ms  {r['queries']:3d} queries")
    return case


WARM_UP: dict[str, int] = {}


REFRESH: dict[str, float] = {}


def fresh_cases(clients: dict, args) -> list[Case]:
    """Refresh on change: the view right after a write while the warm-up runs (the figures before the write,
    marked stale, at once), the same without a warm-up running (the reader computes the changed part: the
    worst case), how long the warm-up takes to refresh a lease edit, and the first reader of each park after
    `parkos cockpit_warm` (nothing to compute)."""
    import time

    from parkos.cockpit.freshness import heartbeat, store, warm
    from parkos.cockpit.selectors import Period
    from parkos.investment.models import Agreement
    from parkos.leasing.models import Lease
    from parkos.parks.models import Park

    runs = max(3, args.runs // 3)
    park = Park.objects.get(code="ck-0")
    lease = Lease.objects.filter(park=park).order_by("pk").first()
    period = Period(datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))

    def sign(i: int) -> None:
        Agreement.objects.create(title=f"bench change {i}", park=park, signed_on=datetime.date(2026, 5, 1))

    def save_lease(i: int) -> None:
        lease.save()  # a lease edited: the leasing tiles (the costliest part) are computed again

    url = f"/cockpit/?{PERIOD}"
    store().clear()
    counts = warm(period=period)
    WARM_UP.update(counts)
    print(f"warm-up: {counts}")
    heartbeat(60, seconds=3600)  # as `cockpit_warm --every 60` running beside the server
    after_change = [
        timed("cockpit, all 40 parks, after an agreement", "admin", clients, [url] * runs, before=sign),
        timed("cockpit, all 40 parks, after a lease edit", "admin", clients, [url] * runs, before=save_lease),
        timed("benchmarking, after a lease edit", "admin", clients, [f"/cockpit/parks/?{PERIOD}"] * runs, save_lease),
    ]
    started = time.monotonic()
    refreshed = warm(period=period, changed_only=True)
    REFRESH["seconds"] = round(time.monotonic() - started, 1)
    REFRESH["looked"] = refreshed["computed"]
    print(f"warm-up refresh after the writes: {REFRESH}")
    from parkos.cockpit import freshness

    store().delete(freshness._beat_key())  # no warm-up running: the reader computes the changed part
    after_change.append(
        timed("after a lease edit, no warm-up running", "admin", clients, [url] * runs, before=save_lease)
    )
    Agreement.objects.filter(title__startswith="bench change ").delete()
    store().clear()
    warm(period=period)
    parks = list(Park.objects.filter(code__startswith="ck-").order_by("pk").values_list("pk", flat=True))
    first_readers = timed(
        "cockpit, each park, first reader after the warm-up",
        "admin",
        clients,
        [f"/cockpit/?{PERIOD}&scope=park:{pk}" for pk in parks[: max(args.runs, 3)]],
    )
    return [*after_change, first_readers]


def main(argv=None) -> int:
    args = parse_args(argv)
    url = setup_django(args.database_url, f"cockpit-{args.enterprises}.sqlite3")
    print(f"Database: {url}")
    from parkos.directory.models import Organization

    status = ensure_loaded(
        f"cockpit-{args.enterprises}",
        lambda: Organization.objects.filter(kind=Organization.Kind.ENTERPRISE).count() >= args.enterprises,
        lambda: load(random.Random(SEED), args.enterprises),
    )
    print(status)
    load_before = os.getloadavg()[0]
    calibration = calibration_ms()
    clients = logged_in_clients(["admin", "manager", "partner"])
    rows = cases()
    measure_all(rows, clients, args, label_width=34, user_width=8, sql_chars=600)
    fresh = fresh_cases(clients, args)
    # the same pages computing their figures on every request (no kept figures): what the first reader of a
    # period and scope waits for when nothing has computed them before (no warm-up, right after a change)
    from django.conf import settings

    settings.PARKOS_COCKPIT_CACHE_SECONDS = 0
    cold = [Case(f"{case.label}, computed", case.url, case.user) for case in rows[1:] if "API" not in case.label]
    cold_args = argparse.Namespace(**{**vars(args), "runs": max(3, args.runs // 3)})
    measure_all(cold, clients, cold_args, label_width=34, user_width=8, sql_chars=600)
    rows += fresh + cold
    lines = table(rows, TARGET_P95_MS)
    print("\n" + "\n".join(lines))
    machine_conditions = conditions(load_before, calibration)
    print(machine_conditions)
    if args.write:
        from django.db import connection

        command = (
            f"PARKOS_DEBUG=1 .venv/bin/python bench/cockpit.py --enterprises {args.enterprises} --runs {args.runs}"
            + (" --database-url postgres://postgres@127.0.0.1:5432/<db>" if connection.vendor != "sqlite" else "")
            + " --write"
        )
        section = "\n".join(
            [
                SECTION_START,
                *section_head(f"Cockpit benchmark ({connection.vendor})", command),
                f"- data ({status}): {PARKS} parks in {BRANDS} brands and {DISTRICTS} districts",
                f"- conditions: {machine_conditions}",
                f"- each case: {args.warmup} warm-up requests, then {args.runs} timed requests through "
                f"django.test.Client (DEBUG off), then one more for the query count; {PERIOD}; the cases "
                f"marked computed ask with the kept figures off ({max(3, args.runs // 3)} timed requests each); "
                f"after an agreement / a lease edit: one saved before each timed request; first reader after the "
                f"warm-up: one request per park after `parkos cockpit_warm` computed {WARM_UP.get('computed', 0)} "
                f"sets of figures ({WARM_UP.get('audiences', 0)} audiences, 2 languages) in "
                f"{WARM_UP.get('seconds', 0)} s; after the writes (the warm-up running: its heartbeat set), the "
                f"warm-up's refresh of what they changed took {REFRESH.get('seconds', 0)} s (looking at "
                f"{REFRESH.get('looked', 0)} sets of figures): the lag the stale note states",
                "",
                *lines,
                "",
                target_line(rows, TARGET_P95_MS),
                "",
                NOTES,
                SECTION_END,
            ]
        )
        start = SECTION_START.replace("cockpit", f"cockpit {connection.vendor}")
        end = SECTION_END.replace("cockpit", f"cockpit {connection.vendor}")
        section = section.replace(SECTION_START, start).replace(SECTION_END, end)
        print(f"Wrote {write_section(section, start, end)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
