"""Leasing benchmark: latency and SQL queries of occupancy and the rent roll for one large brand.

    PARKOS_DEBUG=1 .venv/bin/python bench/leasing.py [--runs 30] [--explain] [--write]

Uses its own SQLite file (bench/var/leasing.sqlite3, git-ignored) unless --database-url says otherwise,
and fills it once with bulk_create: one brand of 10 parks, 500 buildings and 50,000 space units (10
floors of 10 units per building), 200,000 leases (four consecutive leases per unit over 2019-2031, some
terminated early, renewed or open-ended; effective_end set as Lease.save would), 20,000 rent terms
(free-rent months and steps) and 500 sales. Each page is requested through django.test.Client as in
bench/registry.py: warm-up, --runs timed requests (p50, p95), one more under CaptureQueriesContext.
--write puts the table into bench/RESULTS.md between the leasing markers.
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
VOLUMES = {"units": 50_000, "leases": 200_000}
SEED = 20251124
ON = "2026-06-30"
SECTION_START = "<!-- leasing benchmark: start -->"
SECTION_END = "<!-- leasing benchmark: end -->"
NOTES = """\
What keeps these pages flat (parkos/leasing/selectors.py):

- Occupancy is one grouped query: every visible unit's state on the date (a CASE over two EXISTS:
  a holding lease through the lease-unit table, else a sale of the unit or its building), grouped
  by building and state; parks, brands and the total are sums of the building rows in Python.
- The lease's `effective_end` (terminated_on or end_date, kept by Lease.save) makes "holds on the date"
  two comparisons on one row; index `lease_park_dates` (park, status, start_date, effective_end)
  serves the rent roll's filter and its totals.
- The rent roll counts, sums the area and the monthly rent per currency in one aggregate query
  (the rent term covering the date is a correlated subquery on index `rentterm_lease_start`), then
  reads one page of 25 rows and their units (one prefetch query).
"""


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    add_run_arguments(parser, "sqlite:///bench/var/leasing.sqlite3")
    return parser.parse_args(argv)


def ensure_data() -> str:
    from parkos.leasing.models import Lease

    return ensure_loaded(
        "leasing",
        lambda: Lease.objects.count() >= VOLUMES["leases"],
        lambda: load(random.Random(SEED)),
    )


def load(rng: random.Random) -> dict[str, int]:
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from parkos.directory.models import Industry, Organization
    from parkos.leasing.models import Lease, RentBasis, RentTerm, Sale
    from parkos.parks.models import Building, LandParcel, Park, ParkBrand, SpaceUnit
    from parkos.users.models import User

    D = datetime.date
    with transaction.atomic():
        industries = [Industry.objects.create(code=f"L{i}", name=f"行业 {i}") for i in range(8)]
        orgs = Organization.objects.bulk_create(
            [Organization(name=f"租户 {i:05d} 有限公司", industry=rng.choice(industries)) for i in range(5000)]
        )
        brand = ParkBrand.objects.create(code="bench-brand", name="基准品牌")
        other = ParkBrand.objects.create(code="other-brand", name="其他品牌")
        parks = [
            Park.objects.create(code=f"lp-{i}", name=f"租赁园区 {i}", brand=brand, district="D", land_area=5_000_000)
            for i in range(10)
        ]
        Park.objects.create(code="lp-other", name="其他园区", brand=other, district="D")
        parcels = LandParcel.objects.bulk_create(
            [LandParcel(park=park, code=f"P{j}", area=200_000) for park in parks for j in range(5)]
        )
        buildings = Building.objects.bulk_create(
            [
                Building(parcel=parcel, code=f"B{k}", floor_area=20_000, floors=10, completed=rng.randint(2010, 2020))
                for parcel in parcels
                for k in range(10)
            ]
        )
        units = SpaceUnit.objects.bulk_create(
            [
                SpaceUnit(building=b, code=f"{f}{u:02d}", floor=f, area=Decimal(rng.choice([80, 120, 150, 200, 300])))
                for b in buildings
                for f in range(1, 11)
                for u in range(1, 11)
            ],
            batch_size=5000,
        )
        park_of = {p.pk: p.park_id for p in parcels}
        building_park = {b.pk: park_of[b.parcel_id] for b in buildings}
        leases, links = [], []
        today = D(2026, 6, 30)
        for unit in units:
            on = D(2019, 1, 1) + datetime.timedelta(days=rng.randint(0, 400))
            for k in range(4):
                years = rng.choice([1, 2, 3])
                end = on + datetime.timedelta(days=365 * years - 1)
                open_ended = k == 3 and rng.random() < 0.1
                status = (
                    Lease.Status.EXPIRED
                    if end < today
                    else (Lease.Status.IN_FORCE if on <= today else Lease.Status.SIGNED)
                )
                terminated = None
                if status == Lease.Status.EXPIRED and rng.random() < 0.08:
                    status, terminated = Lease.Status.TERMINATED, on + datetime.timedelta(days=(end - on).days // 2)
                lease = Lease(
                    reference=f"ZL-{unit.pk}-{k}",
                    tenant=rng.choice(orgs),
                    park_id=building_park[unit.building_id],
                    leased_area=unit.area,
                    start_date=on,
                    end_date=None if open_ended else end,
                    effective_end=terminated or (None if open_ended else end),
                    rent_amount=Decimal(rng.choice(["1.80", "2.20", "2.60", "3.00", "45000"])),
                    rent_basis=RentBasis.PER_M2_DAY,
                    status=status,
                    terminated_on=terminated,
                    termination_reason="Moved out" if terminated else "",
                )
                if lease.rent_amount > 100:
                    lease.rent_basis = RentBasis.PER_MONTH
                leases.append(lease)
                links.append(unit.pk)
                if open_ended:
                    break
                on = (terminated or end) + datetime.timedelta(days=rng.choice([1, 1, 1, 30, 90, 200]))
        leases = Lease.objects.bulk_create(leases, batch_size=5000)
        Through = Lease.units.through
        Through.objects.bulk_create(
            [Through(lease_id=lease.pk, spaceunit_id=unit_id) for lease, unit_id in zip(leases, links, strict=True)],
            batch_size=10000,
        )
        terms = []
        for lease in rng.sample(leases, 10_000):
            terms.append(
                RentTerm(
                    lease=lease,
                    start_date=lease.start_date,
                    end_date=lease.start_date + datetime.timedelta(days=89),
                    rent_amount=0,
                )
            )
            step = lease.start_date + datetime.timedelta(days=365)
            if lease.end_date is None or step <= lease.end_date:
                terms.append(RentTerm(lease=lease, start_date=step, rent_amount=lease.rent_amount * Decimal("1.05")))
        RentTerm.objects.bulk_create(terms, batch_size=5000)
        sales = Sale.objects.bulk_create(
            [
                Sale(
                    buyer=rng.choice(orgs),
                    park=parks[i % 10],
                    price_amount=Decimal(5_000_000),
                    contract_date=D(2031, 1, 1) + datetime.timedelta(days=i),
                    area=100,
                )
                for i in range(500)
            ]
        )
        free_units = rng.sample(units, 500)
        Sale.units.through.objects.bulk_create(
            [Sale.units.through(sale_id=s.pk, spaceunit_id=u.pk) for s, u in zip(sales, free_units, strict=True)]
        )
        admin = User.objects.create_user(username="admin", password="bench-password-not-used")
        admin.groups.add(Group.objects.get(name="operator_admin"))
        manager = User.objects.create_user(username="manager", password="bench-password-not-used")
        manager.groups.add(Group.objects.get(name="park_manager"))
        manager.parks.add(*parks[:2])
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    return {"space units": len(units), "leases": len(leases), "rent terms": len(terms), "sales": len(sales)}


def cases() -> list[Case]:
    from parkos.parks.models import Building, Park, ParkBrand

    brand = ParkBrand.objects.get(code="bench-brand")
    park = Park.objects.get(code="lp-0")
    building = Building.objects.filter(parcel__park=park).order_by("pk").first()
    occupancy = f"/leasing/occupancy/?date={ON}"
    roll = f"/leasing/rent-roll/?date={ON}"
    return [
        Case("occupancy, brand (50,000 units)", f"{occupancy}&brand={brand.pk}"),
        Case("occupancy, park (5,000 units)", f"{occupancy}&park={park.pk}"),
        Case("occupancy, building (100 units)", f"{occupancy}&building={building.pk}"),
        Case("occupancy, all their parks (10,000 units)", occupancy, user="manager"),
        Case("occupancy, park", f"{occupancy}&park={park.pk}", user="manager"),
        Case("rent roll, brand, page 1", f"{roll}&brand={brand.pk}"),
        Case("rent roll, page 1", roll, user="manager"),
        Case("API occupancy, brand", f"/api/leasing/occupancy/?date={ON}&brand={brand.pk}"),
        Case("API rent roll, page 1", f"/api/leasing/rent-roll/?date={ON}", user="manager"),
        Case("vacancy board, building", f"/leasing/vacancy-board/?date={ON}&building={building.pk}", user="manager"),
    ]


def main(argv=None) -> int:
    args = parse_args(argv)
    url = setup_django(args.database_url, "leasing.sqlite3")
    print(f"Database: {url}")
    status = ensure_data()
    print(status)
    load_before = os.getloadavg()[0]
    calibration = calibration_ms()
    clients = logged_in_clients(["admin", "manager"])
    rows = cases()
    measure_all(rows, clients, args, label_width=50, user_width=8, sql_chars=600)
    lines = table(rows, TARGET_P95_MS)
    print("\n" + "\n".join(lines))
    machine_conditions = conditions(load_before, calibration)
    print(machine_conditions)
    if args.write:
        write_results(args, status, machine_conditions, lines, rows)
    return 0


def write_results(args, status, conditions, lines, rows) -> None:
    command = f"PARKOS_DEBUG=1 .venv/bin/python bench/leasing.py --runs {args.runs} --write"
    section = "\n".join(
        [
            SECTION_START,
            *section_head("Leasing benchmark", command),
            f"- data ({status}): one brand of 10 parks, 500 buildings, {VOLUMES['units']:,} space units, "
            f"{VOLUMES['leases']:,} leases; the park manager has 2 parks",
            f"- conditions: {conditions}",
            f"- each case: {args.warmup} warm-up requests, then {args.runs} timed requests through "
            f"django.test.Client (DEBUG off), then one more for the query count; date {ON}",
            "",
            *lines,
            "",
            target_line(rows, TARGET_P95_MS),
            "",
            NOTES,
            SECTION_END,
        ]
    )
    print(f"Wrote {write_section(section, SECTION_START, SECTION_END)}")


if __name__ == "__main__":
    raise SystemExit(main())
