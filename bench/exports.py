"""Export benchmark: 10,000 leases as XLSX (and CSV) through the list's export, beside a floor.

    PARKOS_DEBUG=1 .venv/bin/python bench/exports.py [--rows 10000] [--runs 3] [--write]

On a database of its own (bench/var/exports.sqlite3: one park, one building, ``--rows`` units, tenants and
leases, each lease with its unit, loaded once with bulk_create), it times

- the lease list's ``?export=xlsx`` and ``?export=csv`` through django.test.Client as a superuser (the
  whole request: scope, filter, one values_list query and one for the leases' units, typed cells,
  translated headers, the write-only workbook);
- ``core.resources.export_bytes`` alone for XLSX;
- the worker's part of a background export (``core.exports.export_job_run``: the rows read again in the
  owner's scope, the same XLSX, the file stored in ``default_storage``, the owner notified);
- two floors: openpyxl (write-only) and xlsxwriter (constant memory, the export's writer) writing the same
  values (already read, as plain Python values) with no number formats, no header style and no widths.
  What the export adds over the second is the reading and the formatting.

The target is under 3 s for the XLSX of 10,000 rows. --write puts the table into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import time
from decimal import Decimal

from harness import section_head, setup_django, write_section

SECTION_START = "<!-- export benchmark: start -->"
SECTION_END = "<!-- export benchmark: end -->"
TARGET_S = 3.0


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="write the results into bench/RESULTS.md")
    return parser.parse_args(argv)


def load(rows: int) -> dict[str, int]:
    from parkos.directory.models import Organization
    from parkos.leasing.models import Lease
    from parkos.parks.models import Building, LandParcel, Park, SpaceUnit

    park = Park.objects.create(code="bench-exp", name="导出基准园区", district="浦东新区")
    parcel = LandParcel.objects.create(park=park, code="E-1", area=Decimal(500_000))
    building = Building.objects.create(parcel=parcel, code="B1", floor_area=Decimal(900_000))
    SpaceUnit.objects.bulk_create(
        SpaceUnit(building=building, code=f"{i:05d}", floor=1 + i % 20, area=Decimal(80 + i % 300)) for i in range(rows)
    )
    Organization.objects.bulk_create(Organization(name=f"导出基准租户{i:05d}有限公司") for i in range(rows))
    tenants = list(Organization.objects.filter(name__startswith="导出基准租户").order_by("pk"))
    units = list(SpaceUnit.objects.filter(building=building).order_by("pk"))
    start = dt.date(2023, 1, 1)
    Lease.objects.bulk_create(
        Lease(
            reference=f"HT-{i:05d}",
            tenant=tenants[i],
            park=park,
            leased_area=units[i].area,
            start_date=start + dt.timedelta(days=i % 365),
            end_date=start + dt.timedelta(days=1095 + i % 365),
            rent_amount=Decimal("3.50") + Decimal(i % 100) / 100,
            rent_basis="m2_day",
            currency="CNY",
            deposit_amount=Decimal(20_000 + i),
            status="in_force",
            notes="",
        )
        for i in range(rows)
    )
    leases = list(Lease.objects.filter(park=park).order_by("pk"))
    Through = Lease.units.through
    Through.objects.bulk_create(
        Through(lease_id=lease.pk, spaceunit_id=unit.pk) for lease, unit in zip(leases, units, strict=True)
    )
    return {"leases": rows, "space units": rows, "tenants": rows}


def timed(function, runs: int) -> tuple[tuple[float, float], object]:
    """(median wall seconds, median CPU seconds of this process), and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return (statistics.median(walls), statistics.median(cpus)), result


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def floor_openpyxl(headers, rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("floor")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def floor_xlsxwriter(headers, rows) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = book.add_worksheet("floor")
    sheet.write_row(0, 0, headers)
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, row)
    book.close()
    return out.getvalue()


def main(argv=None) -> int:
    args = parse_args(argv)
    setup_django(None, "exports.sqlite3")
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from harness import ensure_loaded

    from parkos.core.resources import export_bytes
    from parkos.core.spreadsheets import export_table
    from parkos.leasing.models import Lease
    from parkos.leasing.resources import LeaseResource

    load_before = os.getloadavg()[0]
    status = ensure_loaded("exports", lambda: Lease.objects.count() >= args.rows, lambda: load(args.rows))
    User = get_user_model()
    admin = User.objects.filter(username="bench-admin").first() or User.objects.create_superuser(
        "bench-admin", "bench@example.com", "bench-password-1"
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(admin)
    url = "/leasing/leases/?export="
    count = Lease.objects.count()
    results = []
    for fmt in ("xlsx", "csv"):
        client.get(url + fmt)  # warm-up: imports, translations
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            response = client.get(url + fmt)
        assert response.status_code == 200, response.status_code
        seconds, _response = timed(lambda fmt=fmt: client.get(url + fmt), args.runs)
        results.append((f"GET {url}{fmt} (zh-hans)", seconds, len(response.content), counter.count))
    queryset = Lease.objects.restrict(admin)
    seconds, data = timed(lambda: export_bytes(LeaseResource(user=admin), queryset, "xlsx"), args.runs)
    results.append(("export_bytes(LeaseResource, leases, 'xlsx')", seconds, len(data), None))
    table = export_table(LeaseResource(user=admin), queryset)
    plain = [[None if v is None else v for v in row] for row in table.rows]
    seconds, data = timed(lambda: floor_openpyxl(table.headers, plain), args.runs)
    results.append(("floor: openpyxl write-only, same values, no formats", seconds, len(data), None))
    seconds, data = timed(lambda: floor_xlsxwriter(table.headers, plain), args.runs)
    results.append(("floor: xlsxwriter constant memory, same values, no formats", seconds, len(data), None))
    seconds, _table = timed(lambda: export_table(LeaseResource(user=admin), queryset), args.runs)
    results.append(("reading and formatting the rows (export_table)", seconds, None, None))

    from django.core.files.storage import default_storage

    from parkos.core.exports import export_job_run
    from parkos.core.models import ExportJob

    def background() -> ExportJob:
        """What the worker does for an export over PARKOS_EXPORT_INLINE_ROWS (its queueing aside)."""
        job = ExportJob.objects.create(
            user=admin, source="leasing.lease", title="bench", format="xlsx", language="zh-hans"
        )
        job = export_job_run(job=job)
        assert job.status == ExportJob.Status.DONE, job.error
        size = default_storage.size(job.stored_file)
        default_storage.delete(job.stored_file)
        job.delete()
        return size

    seconds, size = timed(background, args.runs)
    results.append(("the worker's export_job_run, XLSX, file stored", seconds, size, None))

    command = f"PARKOS_DEBUG=1 .venv/bin/python bench/exports.py --rows {args.rows} --runs {args.runs} --write"
    lines = section_head(f"Export: {count:,} leases as XLSX and CSV (issue 14)", command)
    lines += [
        f"Data: {status}. Median of {args.runs} runs. Target: XLSX of 10,000 rows under {TARGET_S:.0f} s.",
        "",
        f"Load average when it ran: {load_before:.1f} on {os.cpu_count()} CPUs (other work shares the machine: the"
        " CPU column, this process's own CPU time, is what a quiet machine would show).",
        "",
        "| case | wall s | CPU s | bytes | SQL queries |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, (wall, cpu), size, queries in results:
        size_text = f"{size:,}" if size else ""
        lines.append(f"| {label} | {wall:.2f} | {cpu:.2f} | {size_text} | {'' if queries is None else queries} |")
    wall, cpu = results[0][1]
    verdict = "meets" if max(wall, cpu) < TARGET_S else ("meets in CPU time" if cpu < TARGET_S else "MISSES")
    lines += [
        "",
        f"XLSX through the page: {wall:.2f} s wall, {cpu:.2f} s CPU ({verdict} the target of 3 s).",
        "Before: with openpyxl's write-only workbook as the writer (2026-12-06, load average 9.5) the same page"
        " took 6.22 s wall, 1.72 s CPU; the export is written by xlsxwriter in constant-memory mode since.",
        "Before that (issue 14): 2,027 leases took 25.7 s (tablib through model instances, queries per row).",
        "The page's queries: the 3 it made before (one values_list of the rows, one for the leases' units) and the"
        " count that chooses between the request and the worker (more than PARKOS_EXPORT_INLINE_ROWS rows, default"
        ' 10,000, go to the worker and "My exports").',
    ]
    text = SECTION_START + "\n" + "\n".join(lines) + "\n" + SECTION_END
    print(text)
    if args.write:
        print(f"wrote {write_section(text, SECTION_START, SECTION_END)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
