"""Registry benchmark: latency and SQL queries of the directory pages, API and search at 100,000 enterprises.

    PARKOS_DEBUG=1 .venv/bin/python bench/registry.py [--scale 6.25] [--runs 30] [--explain] [--write]

Uses its own SQLite file (bench/var/registry-<scale>.sqlite3, git-ignored) unless --database-url says
otherwise, loads the demo data set at --scale if it is not there yet (parkos.demo.generator), then
requests each page through django.test.Client: a warm-up, then --runs timed requests (p50, p95) and
one more under CaptureQueriesContext for the query count and the slowest query. Latencies are taken
with DEBUG off, as in production: with DEBUG on, Django keeps the text of every statement (and on
SQLite quotes each parameter with an extra query), which is not what users wait for.
--write puts the table into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sqlite3
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
TARGET_P95_MS = 150.0


@dataclass
class Case:
    label: str
    url: str
    user: str = "admin"
    result: dict = field(default_factory=dict)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", type=float, default=6.25, help="demo scale (6.25: 100,000 enterprises)")
    parser.add_argument("--runs", type=int, default=30, help="timed requests per case (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first (default 3)")
    parser.add_argument("--database-url", help="default: sqlite:///bench/var/registry-<scale>.sqlite3")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN QUERY PLAN of each slowest query")
    parser.add_argument("--write", action="store_true", help="write the results into bench/RESULTS.md")
    return parser.parse_args(argv)


def setup_django(args) -> str:
    url = args.database_url or f"sqlite:///{BENCH_DIR / 'var' / f'registry-{args.scale:g}.sqlite3'}"
    (BENCH_DIR / "var").mkdir(exist_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkos.settings")
    os.environ.setdefault("PARKOS_DEBUG", "1")  # the test client's host name is allowed in debug only
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()
    return url


def ensure_demo(scale: float) -> str:
    from django.core.management import call_command

    from parkos.demo.generator import delete_domain_data, domain_row_count, load_demo, volumes
    from parkos.directory.models import Organization

    call_command("migrate", verbosity=0, interactive=False)
    wanted = volumes(scale)["enterprises"]
    have = Organization.objects.filter(kind=Organization.Kind.ENTERPRISE).count()
    if have == wanted:
        return f"demo already loaded ({have:,} enterprises)"
    if domain_row_count():
        print(f"The database holds {have:,} enterprises, not {wanted:,}: reloading.")
        delete_domain_data()
    print(f"Loading the demo at scale {scale:g} ({wanted:,} enterprises); this takes a few minutes ...")
    started = time.perf_counter()
    counts = load_demo(scale=scale)
    elapsed = time.perf_counter() - started
    return (
        f"demo loaded in {elapsed:.0f} s ({counts['organizations']:,} organizations, "
        f"{counts['change_records']:,} change records)"
    )


def cases() -> list[Case]:
    from django.db.models import Count

    from parkos.directory.models import Industry, Organization

    enterprise = Organization.Kind.ENTERPRISE
    # the top-level industry with the most enterprises, so that page 500 exists
    top = max(
        Industry.objects.filter(parent__isnull=True),
        key=lambda i: Organization.objects.filter(kind=enterprise, industry__tree_path__startswith=i.tree_path).count(),
    )
    in_top = Organization.objects.filter(kind=enterprise, industry__tree_path__startswith=top.tree_path).count()
    last_page = max(1, (in_top + 24) // 25)
    deep_page = min(500, last_page)
    # the richest detail page: a land holder with aliases and people
    detail = (
        Organization.objects.filter(kind=enterprise, land_parcels__isnull=False)
        .annotate(n_aliases=Count("aliases", distinct=True), n_positions=Count("positions", distinct=True))
        .order_by("-n_aliases", "-n_positions", "pk")
        .first()
    )
    base = f"/directory/organizations/?kind=enterprise&industry={top.pk}&sort=name"
    return [
        Case(f"enterprise list, {top.name_en} ({in_top:,}), page 1", base),
        Case(f"enterprise list, page {deep_page} of {last_page}", f"{base}&page={deep_page}"),
        Case("enterprise list, per_page=100", f"{base}&per_page=100"),
        Case("enterprise list, scoped user", base, user="investment"),
        Case("land parcel list, scoped user", "/parks/parcels/?sort=code", user="investment"),
        Case("organization detail", f"/directory/organizations/{detail.pk}/"),
        Case("API list ?kind=enterprise", "/api/directory/organizations/?kind=enterprise"),
        Case("global search ?q=科技", "/search/?q=科技"),
    ]


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def measure(case: Case, clients: dict, runs: int, warmup: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    client = clients[case.user]
    with override_settings(DEBUG=False):
        for _ in range(warmup):
            response = client.get(case.url)
            if response.status_code != 200:
                raise SystemExit(f"{case.url} as {case.user}: HTTP {response.status_code}")
        timings, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(case.url)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(case.url)
    queries = captured.captured_queries
    slowest = max(queries, key=lambda q: float(q["time"])) if queries else {"sql": "", "time": "0"}
    case.result = {
        "p50": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "max": max(timings),
        # this process's CPU time: what the request costs, without the waits of a shared machine
        "cpu_p50": statistics.median(cpu),
        "queries": len(queries),
        "db_ms": sum(float(q["time"]) for q in queries) * 1000,
        "slowest_ms": float(slowest["time"]) * 1000,
        "slowest_sql": slowest["sql"],
    }


def explain(sql: str) -> list[str]:
    from django.db import connection

    if connection.vendor != "sqlite" or not sql.lstrip().upper().startswith("SELECT"):
        return []
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return [row[-1] for row in cursor.fetchall()]


def calibration_ms() -> float:
    """CPU time of a fixed pure-Python workload: compares this machine's speed with another's."""
    started = time.process_time()
    sum(i * i for i in range(2_000_000))
    return (time.process_time() - started) * 1000


def machine() -> dict[str, str]:
    from django.db import connection

    database = connection.vendor
    if database == "sqlite":
        database = f"SQLite {sqlite3.sqlite_version}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            database = cursor.fetchone()[0].split(",")[0]
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import django

    return {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": database,
        "os": platform.platform(),
    }


def table(rows: list[Case]) -> list[str]:
    lines = [
        "| case | p50 ms | p95 ms | max ms | CPU p50 ms | queries | SQL ms | slowest query ms | p95 < 150 ms |",
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


def main(argv=None) -> int:
    args = parse_args(argv)
    url = setup_django(args)
    print(f"Database: {url}")
    from django.contrib.auth import get_user_model
    from django.test import Client

    status = ensure_demo(args.scale)
    print(status)
    load_before = os.getloadavg()[0]
    calibration = calibration_ms()
    users = get_user_model().objects.in_bulk(["admin", "investment"], field_name="username")
    clients = {}
    for username, user in users.items():
        clients[username] = Client()
        clients[username].force_login(user)

    rows = cases()
    for case in rows:
        measure(case, clients, args.runs, args.warmup)
        r = case.result
        print(
            f"{case.label:<58} as {case.user:<10} p50 {r['p50']:6.0f} ms  p95 {r['p95']:6.0f} ms  "
            f"CPU {r['cpu_p50']:5.0f} ms  {r['queries']:3d} queries  SQL {r['db_ms']:5.0f} ms"
        )
        if args.explain:
            print(f"    slowest query {r['slowest_ms']:.0f} ms: {r['slowest_sql'][:300]}")
            for step in explain(r["slowest_sql"]):
                print(f"      {step}")

    per_page = {
        case.label: case.result["queries"]
        for case in rows
        if case.user == "admin" and case.url.startswith("/directory/organizations/?")
    }
    page_1 = next(v for k, v in per_page.items() if k.endswith("page 1"))
    page_100 = per_page["enterprise list, per_page=100"]
    same = "equal" if page_1 == page_100 else "NOT equal"
    print(f"\nList page queries at per_page=25: {page_1}, at per_page=100: {page_100} ({same}).")
    lines = table(rows)
    print("\n" + "\n".join(lines))
    load_after = os.getloadavg()[0]
    conditions = (
        f"load average {load_before:.1f} before and {load_after:.1f} after the runs; "
        f"calibration loop {calibration:.0f} ms CPU"
    )
    print(conditions)
    if args.write:
        write_results(args, status, conditions, lines, page_1, page_100, rows)
    return 0


def write_results(args, status, conditions, lines, page_1, page_100, rows) -> None:
    info = machine()
    command = f"PARKOS_DEBUG=1 .venv/bin/python bench/registry.py --scale {args.scale:g} --runs {args.runs}"
    if args.database_url:
        command += " --database-url ..."
    slow = [c for c in rows if c.result["p95"] >= TARGET_P95_MS]
    text = [
        "# Registry benchmark",
        "",
        f"Run on {datetime.datetime.now(datetime.UTC).date().isoformat()} with:",
        "",
        "```",
        f"{command} --write",
        "```",
        "",
        f"- machine: {info['cpus']} CPUs ({info['cpu']}), {info['os']}",
        f"- Python {info['python']}, Django {info['django']}, {info['database']}",
        f"- data: demo scale {args.scale:g}; {status}",
        f"- conditions: {conditions} (`sum(i * i for i in range(2_000_000))`)",
        f"- each case: {args.warmup} warm-up requests, then {args.runs} timed requests through "
        "django.test.Client (DEBUG off, as in production), then one more for the query count",
        "",
        *lines,
        "",
        f"List page queries at per_page=25: {page_1}; at per_page=100: {page_100} "
        f"({'equal' if page_1 == page_100 else 'NOT equal'}).",
        "",
        f"Target: p95 under {TARGET_P95_MS:.0f} ms on SQLite for each case. "
        + ("All cases meet it." if not slow else f"Missed by: {', '.join(c.label for c in slow)}."),
        "",
    ]
    (BENCH_DIR / "RESULTS.md").write_text("\n".join(text) + ANALYSIS_MARKER + _kept_analysis(), encoding="utf-8")
    print(f"Wrote {BENCH_DIR / 'RESULTS.md'}")


ANALYSIS_MARKER = "\n<!-- analysis: kept when the figures above are rewritten -->\n"


def _kept_analysis() -> str:
    """The hand-written analysis below the marker survives a rerun with --write."""
    path = BENCH_DIR / "RESULTS.md"
    if not path.exists():
        return ""
    text = path.read_text(encoding="utf-8")
    return text.split(ANALYSIS_MARKER, 1)[1] if ANALYSIS_MARKER in text else ""


if __name__ == "__main__":
    raise SystemExit(main())
