"""Maps benchmark: time, queries and size of a map's GeoJSON (the maps API) for a whole brand, a park and a page.

    PARKOS_DEBUG=1 .venv/bin/python bench/maps.py [--parcels 10000] [--runs 20] [--write]

Uses its own database (bench/var/maps-<parcels>.sqlite3 unless --database-url says otherwise), filled once with
bulk_create: one brand of 20 parks in 4 districts, ``--parcels`` parcels with outlines (default 10,000, 500 a
park), two buildings with footprints per parcel, one space unit per building and a lease on every other one,
an open flag on one parcel in 20, a disposal case on one in 40, a finished evaluation run grading every
holder. The brand's map is one request for parks and parcels (issue 15: a whole brand's map draws in under a
second in the browser), then one per viewport for the buildings once zoomed in to 16, and one per click for
an object's figures; each answer's size in bytes and gzipped is printed beside the times. The download is
streamed: its time is the whole body's, its first piece's time is printed apart. The browser side is timed
by tests/browser/test_maps.py (2,000 parcels; 10,000 with PARKOS_BROWSER_BIG_MAP=1).
--write puts the table into bench/RESULTS.md between the maps markers.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import os
import random
import statistics
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

#: the server's share of the one-second budget for a brand's map (the browser draws in the rest)
TARGET_P95_MS = 600.0
SEED = 20261206
PARKS, DISTRICTS = 20, 4
SECTION_START = "<!-- maps benchmark: start -->"
SECTION_END = "<!-- maps benchmark: end -->"
NOTES = """\
What keeps the map's first answer small (parkos/maps/selectors.py): it carries parks and parcels, and the
buildings only when there are at most 2,000 of them; beyond, the browser asks /api/maps/buildings/?bbox= for
the buildings of its viewport from zoom 16 on (a building's first corner read from its stored GeoJSON, no
spatial index needed), and /api/maps/objects/<kind>/<id>/ for a clicked parcel's or building's figures.
A parcel carries id, code and its class in every layer, nothing else. Every layer's class is computed on the
server in a fixed number of grouped queries, never a query per parcel (asserted in
parkos/maps/tests/test_maps.py, for the viewport and the click too); rows are read with values(); outlines go
out as their stored text rounded to 1e-6 degree, never parsed; occupancy is summed per parcel in the database;
the answer is gzipped (the bench's client does not ask for it: times above are without compressing). The browser
sets the view before adding the layers (each polygon projected once), draws more than 1,500 polygons on one
canvas, with one click handler and one tooltip per layer. The download stays complete and is streamed, computed
a batch of parks (about 2,500 parcels) at a time."""


#: a zoom-16 viewport (1366 x 700 px, padded by a quarter each side as the map asks) inside the first park
VIEWPORT = "121.03,31.03,121.074,31.05"


class Reading:
    """A test client whose answers are read to the end, a streamed one too (the download): what a browser waits
    for. ``body`` holds the bytes."""

    def __init__(self, client):
        self.client = client

    def get(self, url):
        response = self.client.get(url)
        response.body = b"".join(response.streaming_content) if response.streaming else response.content
        return response


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--parcels", type=int, default=10_000, help="parcels to load (default 10,000)")
    add_run_arguments(parser, "sqlite:///bench/var/maps-<parcels>.sqlite3")
    return parser.parse_args(argv)


def square(lon: float, lat: float, size: float) -> dict:
    # outlines as a surveyor's file gives them: more digits than a map needs (the API rounds them)
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [[[x + 1.234e-9, y - 5.678e-9] for x, y in ring]]}


def load(rng: random.Random, parcel_count: int) -> dict[str, int]:
    from django.contrib.auth.models import Group
    from django.db import transaction

    from parkos.directory.models import Organization
    from parkos.evaluation.models import EvaluationResult, EvaluationRun, EvaluationScheme
    from parkos.evaluation.scheme import default_schemes
    from parkos.land.models import DisposalCase, ParcelFlag
    from parkos.leasing.models import Lease
    from parkos.parks.models import Building, LandParcel, Park, ParkBrand, SpaceUnit
    from parkos.users.models import User

    per_park = max(1, parcel_count // PARKS)
    with transaction.atomic():
        brand = ParkBrand.objects.create(code="map-brand", name="地图品牌")
        parks = [
            Park.objects.create(
                code=f"map-{p}",
                name=f"地图园区 {p:02d}",
                brand=brand,
                district=f"第{p % DISTRICTS}区",
                land_area=100_000_000,
                boundary=square(121.0 + (p % 5) * 0.12, 31.0 + (p // 5) * 0.12, 0.11),
            )
            for p in range(PARKS)
        ]
        holders = Organization.objects.bulk_create(
            [Organization(name=f"地图企业 {i:05d} 有限公司") for i in range(parcel_count // 2)], batch_size=5000
        )
        parcels = []
        for p, park in enumerate(parks):
            side = int(per_park**0.5) + 1
            for j in range(per_park):
                lon = 121.0 + (p % 5) * 0.12 + 0.005 + (j % side) * 0.1 / side
                lat = 31.0 + (p // 5) * 0.12 + 0.005 + (j // side) * 0.1 / side
                parcels.append(
                    LandParcel(
                        park=park,
                        code=f"P{j:04d}",
                        area=Decimal(20_000),
                        holder=holders[(p * per_park + j) % len(holders)],
                        status=rng.choice(["in_use"] * 8 + ["idle", "inefficient"]),
                        geometry=square(lon, lat, 0.08 / side),
                    )
                )
        parcels = LandParcel.objects.bulk_create(parcels, batch_size=2000)
        buildings = Building.objects.bulk_create(
            [
                Building(
                    parcel=parcel,
                    code=f"B{k}",
                    floor_area=Decimal(5_000),
                    geometry=square(
                        parcel.geometry["coordinates"][0][0][0] + 0.0002 + k * 0.0004,
                        parcel.geometry["coordinates"][0][0][1] + 0.0002,
                        0.0003,
                    ),
                )
                for parcel in parcels
                for k in range(2)
            ],
            batch_size=2000,
        )
        units = SpaceUnit.objects.bulk_create(
            [SpaceUnit(building=b, code="U1", area=Decimal(1_000)) for b in buildings], batch_size=5000
        )
        leases = Lease.objects.bulk_create(
            [
                Lease(
                    tenant=holders[i % len(holders)],
                    park_id=parks[0].pk,
                    start_date=datetime.date(2022, 1, 1),
                    end_date=datetime.date(2099, 12, 31),
                    rent_amount=Decimal(2),
                    status=Lease.Status.IN_FORCE,
                )
                for i in range(0, len(units), 2)
            ],
            batch_size=5000,
        )
        Through = Lease.units.through
        Through.objects.bulk_create(
            [Through(lease_id=lease.pk, spaceunit_id=units[i * 2].pk) for i, lease in enumerate(leases)],
            batch_size=10000,
        )
        ParcelFlag.objects.bulk_create([ParcelFlag(parcel=p, detail="低效") for p in parcels[::20]])
        DisposalCase.objects.bulk_create([DisposalCase(parcel=p, path="upgrade") for p in parcels[::40]])
        scheme = EvaluationScheme.objects.create(definition=default_schemes()["zhejiang_above_threshold"].to_dict())
        run = EvaluationRun.objects.create(scheme=scheme, scheme_version=1, year=2025, status="done")
        EvaluationResult.objects.bulk_create(
            [
                EvaluationResult(
                    run=run, organization=h, park=parks[i % PARKS], cohort="c", status="graded", grade="ABCD"[i % 4]
                )
                for i, h in enumerate(holders)
            ],
            batch_size=5000,
        )
        admin = User.objects.create_user(username="admin")
        admin.groups.add(Group.objects.get(name="operator_admin"))
        manager = User.objects.create_user(username="manager")
        manager.groups.add(Group.objects.get(name="park_manager"))
        manager.parks.set(parks)
    return {"parcels": len(parcels), "buildings": len(buildings), "space units": len(units), "leases": len(leases)}


def main() -> None:
    args = parse_args()
    setup_django(args.database_url, f"maps-{args.parcels}.sqlite3")
    from django.db.models import Min

    from parkos.maps.selectors import EXPORT_CHUNK
    from parkos.parks.models import LandParcel, ParkBrand

    rng = random.Random(SEED)
    status = ensure_loaded(
        f"maps-{args.parcels}",
        lambda: ParkBrand.objects.filter(code="map-brand").exists(),
        lambda: load(rng, args.parcels),
    )
    print(status)
    brand = ParkBrand.objects.get(code="map-brand")
    park_id = LandParcel.objects.aggregate(first=Min("park_id"))["first"]
    parcel_id = LandParcel.objects.filter(park_id=park_id).order_by("code").values_list("pk", flat=True)[100]
    rows = [
        Case("brand map, first answer (parcels)", f"/api/maps/features/?brand={brand.pk}", "admin"),
        Case("brand map, first answer (parcels)", f"/api/maps/features/?brand={brand.pk}", "manager"),
        Case("buildings of a zoom-16 viewport", f"/api/maps/buildings/?brand={brand.pk}&bbox={VIEWPORT}", "manager"),
        Case("a parcel's figures (a click)", f"/api/maps/objects/parcel/{parcel_id}/", "manager"),
        Case("park map GeoJSON", f"/api/maps/features/?park={park_id}", "manager"),
        Case("brand map page (without its data)", f"/maps/brands/{brand.pk}/", "manager"),
        Case("brand GeoJSON download (streamed)", f"/api/maps/export/?brand={brand.pk}", "manager"),
    ]
    clients = {name: Reading(client) for name, client in logged_in_clients(["admin", "manager"]).items()}
    sizes = {}
    for case in rows:
        body = clients[case.user].get(case.url).body
        sizes[case.url] = (len(body), len(gzip.compress(body, 6)))
    first_piece = []
    for _ in range(5):
        started = time.perf_counter()
        pieces = iter(clients["manager"].client.get(rows[-1].url).streaming_content)
        next(pieces)  # the collection's opening, written before any work
        next(pieces)
        first_piece.append((time.perf_counter() - started) * 1000)
    features = json.loads(clients["admin"].get(rows[0].url).body)
    print(f"first answer: {len(features['parcels']['features']):,} parcels, buildings {features['buildings_zoom']=}")
    load_before = os.getloadavg()[0]
    calibration = calibration_ms()
    measure_all(rows, clients, args, label_width=36, user_width=7, sql_chars=300)
    for case in rows:
        raw, packed = sizes[case.url]
        print(f"{case.label:<36} {raw / 1024:8.0f} KiB, {packed / 1024:6.0f} KiB gzipped")
    parcels = LandParcel.objects.count()
    command = "PARKOS_DEBUG=1 .venv/bin/python bench/maps.py" + (
        f" --parcels {args.parcels}" if args.parcels != 10_000 else ""
    )
    lines = [
        SECTION_START,
        *section_head("Maps", command),
        f"- data: {status}",
        f"- {conditions(load_before, calibration)}",
        "",
        *table(rows, TARGET_P95_MS),
        "",
        "| answer | size | gzipped |",
        "|---|---:|---:|",
        *[
            f"| {c.label} (as {c.user}) | {sizes[c.url][0] / 1024:,.0f} KiB | {sizes[c.url][1] / 1024:,.0f} KiB |"
            for c in rows
        ],
        "",
        target_line(rows, TARGET_P95_MS) + f" ({parcels:,} parcels in the brand.)",
        "",
        f"The download's first features (a piece of up to {EXPORT_CHUNK:,}) leave after "
        f"{statistics.median(first_piece):,.0f} ms "
        "(median of 5); the table's time is the whole body's.",
        "",
        NOTES,
        SECTION_END,
    ]
    if args.write:
        path = write_section("\n".join(lines), SECTION_START, SECTION_END)
        print(f"written to {path}")


if __name__ == "__main__":
    main()
