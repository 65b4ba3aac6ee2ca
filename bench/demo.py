"""Time `parkos demo --no-serve` end to end (migrate, load, today's notifications) on a fresh database of each kind.

Each run is the real command in a child process on a database of its own: a new SQLite file under bench/var/, a
PostgreSQL database created for the run and dropped after it. Reported per run: wall time, the "Loaded in" and
"Notified" times the command prints, the child's CPU time (user + system, which a busy shared machine does not
inflate) and the load average before and after. Target (issue 16): under 60 s at scale 1 on either database.

    PARKOS_DEBUG=1 .venv/bin/python bench/demo.py                       # SQLite and PostgreSQL, scale 1
    PARKOS_DEBUG=1 .venv/bin/python bench/demo.py --databases sqlite --scale 0.1

It prints a Markdown table for the "Demo load" section of bench/RESULTS.md, where the figures before a change are
kept beside those after it (so the section is edited by hand, not rewritten).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import time
import uuid
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
PARKOS = PROJECT_DIR / ".venv" / "bin" / "parkos"
TARGET_S = 60.0


def _psql(server: str, sql: str) -> None:
    subprocess.run(["psql", server, "-qc", sql], check=True, capture_output=True)


def run_once(database: str, *, scale: float, today: str | None, postgres_server: str) -> dict:
    name = f"parkos_bench_demo_{uuid.uuid4().hex[:8]}"
    var_dir = BENCH_DIR / "var" / name
    var_dir.mkdir(parents=True, exist_ok=True)
    if database == "sqlite":
        url = f"sqlite:///{var_dir / 'demo.sqlite3'}"
    else:
        _psql(postgres_server, f"CREATE DATABASE {name}")
        url = f"{postgres_server.rsplit('/', 1)[0]}/{name}"
    env = {**os.environ, "DATABASE_URL": url, "PARKOS_VAR_DIR": str(var_dir), "PARKOS_DEBUG": "1"}
    command = [
        str(PARKOS),
        "demo",
        "--no-serve",
        "--scale",
        f"{scale:g}",
        "-v0",
        *(["--today", today] if today else []),
    ]
    load_before = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=PROJECT_DIR)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        if done.returncode:
            sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
            raise SystemExit(f"parkos demo failed on {database}")
        loaded = re.search(r"Loaded in ([\d.]+) s: ([\d,]+) change records", done.stdout)
        notified = re.search(r"Notified [\d,]+ events due today in ([\d.]+) s", done.stdout)
        return {
            "database": database,
            "wall": wall,
            "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "loaded": float(loaded.group(1)) if loaded else float("nan"),
            "records": loaded.group(2) if loaded else "?",
            "notified": float(notified.group(1)) if notified else float("nan"),
            "load_before": load_before,
            "load_after": os.getloadavg()[0],
        }
    finally:
        if database == "postgresql":
            _psql(postgres_server, f"DROP DATABASE IF EXISTS {name}")
        for path in sorted(var_dir.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        var_dir.rmdir()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--today", default=None, help="YYYY-MM-DD passed to parkos demo (default: its own, today)")
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432/postgres", help="a server to create databases on"
    )
    args = parser.parse_args()
    results = []
    for database in args.databases:
        for _ in range(args.runs):
            result = run_once(database, scale=args.scale, today=args.today, postgres_server=args.postgres)
            results.append(result)
            print(
                f"{database:<10} wall {result['wall']:6.1f} s  CPU {result['cpu']:5.1f} s  "
                f"load {result['loaded']:6.1f} s  notify {result['notified']:5.1f} s  "
                f"load average {result['load_before']:.1f} -> {result['load_after']:.1f}",
                flush=True,
            )
    lines = [
        "| database | wall s | CPU s | load s | notifications s | change records | load average before / after "
        f"| wall < {TARGET_S:.0f} s |",
        "|---|---:|---:|---:|---:|---:|---|:---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['database']} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['loaded']:.1f} | {r['notified']:.1f} "
            f"| {r['records']} | {r['load_before']:.1f} / {r['load_after']:.1f} "
            f"| {'yes' if r['wall'] < TARGET_S else '**no**'} |"
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
