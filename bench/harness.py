"""Shared machinery of the page benchmarks (registry, investment, leasing), so that they all measure the same way.

Each script keeps what is its own (its data, its cases, its target and notes) and takes from here the Django set-up
on a bench database, the timing of one case through django.test.Client, the machine description and the writing of
its section of bench/RESULTS.md. A change to how requests are timed is then made once and holds for every table.
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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS = BENCH_DIR / "RESULTS.md"


@dataclass
class Case:
    """One page to time: its label in the table, its URL and the user who asks for it."""

    label: str
    url: str
    user: str = "admin"
    result: dict = field(default_factory=dict)


# --- set-up --------------------------------------------------------------------------------------


def add_run_arguments(parser: argparse.ArgumentParser, database_default: str) -> argparse.ArgumentParser:
    """The options every page benchmark takes, with the same names and defaults, so that commands read alike."""
    parser.add_argument("--runs", type=int, default=30, help="timed requests per case (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first (default 3)")
    parser.add_argument("--database-url", help=f"default: {database_default}")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN QUERY PLAN of each slowest query")
    parser.add_argument("--write", action="store_true", help="write the results into bench/RESULTS.md")
    return parser


def setup_django(url: str | None, default_file: str) -> str:
    """Point Django at the benchmark's own database (bench/var/<default_file> unless a URL is given), never the
    development one, and set it up. Returns the database URL."""
    url = url or f"sqlite:///{BENCH_DIR / 'var' / default_file}"
    (BENCH_DIR / "var").mkdir(exist_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkos.settings")
    os.environ.setdefault("PARKOS_DEBUG", "1")  # the test client's host name is allowed in debug only
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()
    return url


def ensure_loaded(name: str, is_loaded: Callable[[], bool], load: Callable[[], dict[str, int]]) -> str:
    """Migrate the bench database and fill it once: loading takes tens of seconds, so later runs reuse the data
    and report how it was loaded (kept in bench/var/<name>.loaded.txt)."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    note = BENCH_DIR / "var" / f"{name}.loaded.txt"
    if is_loaded():
        return "data already loaded" + (f"; {note.read_text().strip()}" if note.exists() else "")
    started = time.perf_counter()
    counts = load()
    elapsed = time.perf_counter() - started
    status = f"loaded in {elapsed:.0f} s: " + ", ".join(f"{n:,} {kind}" for kind, n in counts.items())
    note.write_text(status + "\n")
    return status


def logged_in_clients(usernames: list[str]) -> dict:
    """A test client per user, logged in without a password check (the bench users have none worth knowing)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    users = get_user_model().objects.in_bulk(usernames, field_name="username")
    clients = {}
    for username, user in users.items():
        clients[username] = Client()
        clients[username].force_login(user)
    return clients


# --- measuring -----------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def measure(case: Case, clients: dict, runs: int, warmup: int) -> None:
    """Time one case with DEBUG off, as in production: with DEBUG on, Django keeps the text of every statement
    (and on SQLite quotes each parameter with an extra query), which is not what users wait for. The query count
    and the slowest query come from one more request, under CaptureQueriesContext, outside the timed ones."""
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
    case.result = summary(timings, cpu, captured.captured_queries)


def summary(timings: list[float], cpu: list[float], queries: list[dict]) -> dict:
    """A case's result: percentiles of the timed requests, and the queries of the one more request."""
    slowest = max(queries, key=lambda q: float(q["time"])) if queries else {"sql": "", "time": "0"}
    return {
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


def measure_all(rows: list[Case], clients: dict, args, *, label_width: int, user_width: int, sql_chars: int) -> None:
    """Measure each case and print its line as it finishes (and, with --explain, its slowest query's plan)."""
    for case in rows:
        measure(case, clients, args.runs, args.warmup)
        r = case.result
        print(
            f"{case.label:<{label_width}} as {case.user:<{user_width}} p50 {r['p50']:6.0f} ms  "
            f"p95 {r['p95']:6.0f} ms  CPU {r['cpu_p50']:5.0f} ms  {r['queries']:3d} queries  SQL {r['db_ms']:5.0f} ms"
        )
        if args.explain:
            print(f"    slowest query {r['slowest_ms']:.0f} ms: {r['slowest_sql'][:sql_chars]}")
            for step in explain(r["slowest_sql"]):
                print(f"      {step}")


def explain(sql: str) -> list[str]:
    """SQLite's plan for a captured query (nothing on other databases or for writes)."""
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


def conditions(load_before: float, calibration: float) -> str:
    """How busy the machine was: the load average around the runs, beside the calibration figure."""
    return (
        f"load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after the runs; "
        f"calibration loop {calibration:.0f} ms CPU"
    )


# --- reporting -----------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """What the figures were taken on, so that two tables can be compared."""
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


def table(rows: list[Case], target_p95_ms: float) -> list[str]:
    """The Markdown table of the cases, one format for every benchmark."""
    lines = [
        "| case | p50 ms | p95 ms | max ms | CPU p50 ms | queries | SQL ms | slowest query ms "
        f"| p95 < {target_p95_ms:.0f} ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for case in rows:
        r = case.result
        ok = "yes" if r["p95"] < target_p95_ms else "**no**"
        lines.append(
            f"| {case.label} (as {case.user}) | {r['p50']:.0f} | {r['p95']:.0f} | {r['max']:.0f} | "
            f"{r['cpu_p50']:.0f} | {r['queries']} | {r['db_ms']:.0f} | {r['slowest_ms']:.0f} | {ok} |"
        )
    return lines


def section_head(title: str, command: str) -> list[str]:
    """The first lines of a results section: what was run, when and on what."""
    info = machine()
    return [
        f"# {title}",
        "",
        f"Run on {datetime.datetime.now(datetime.UTC).date().isoformat()} with:",
        "",
        "```",
        command,
        "```",
        "",
        f"- machine: {info['cpus']} CPUs ({info['cpu']}), {info['os']}",
        f"- Python {info['python']}, Django {info['django']}, {info['database']}",
    ]


def target_line(rows: list[Case], target_p95_ms: float) -> str:
    """Whether every case met the p95 target, naming those that did not."""
    slow = [c for c in rows if c.result["p95"] >= target_p95_ms]
    return f"Target: p95 under {target_p95_ms:.0f} ms on SQLite for each case. " + (
        "All cases meet it." if not slow else f"Missed by: {', '.join(c.label for c in slow)}."
    )


def write_section(section: str, start: str, end: str) -> Path:
    """Replace the text between a benchmark's markers in bench/RESULTS.md (or append it), leaving the other
    benchmarks' sections as they are, so that each script rewrites only its own figures."""
    sys.path.insert(0, str(PROJECT_DIR))
    from parkos.core.results import replace_section

    return replace_section(RESULTS, section, start, end)
