"""Import of N organizations in-process: SQL statements per row and CPU time, the change log included.

    PARKOS_DEBUG=1 .venv/bin/python bench/import_changelog.py [--databases sqlite postgresql] [--rows 10000]

For each database, in a child process of its own: a fresh database (bench/var/import_changelog.sqlite3, or
the PostgreSQL database parkos_bench_import at 127.0.0.1:5432, user postgres; removed at the end), migrated;
then the organization file of bench/imports.py (all rows new) through the resource as the import job runs it,
``import_dataset(dry_run=True)`` (the preview) and then ``import_dataset(dry_run=False)``. For each: wall and
CPU seconds of this process (and of the PostgreSQL backend serving it), SQL statements (a COPY counts as one)
and change records written.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections import deque
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import BENCH_DIR, PROJECT_DIR  # noqa: E402
from imports import organizations_csv  # noqa: E402

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
PG_NAME = "parkos_bench_import"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _backend_cpu(pid: int | None) -> float:
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(rows: int) -> list[dict]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkos.settings")
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from parkos.core.models import ObjectChange
    from parkos.core.resources import load_dataset, resource_for
    from parkos.users.models import User

    call_command("migrate", verbosity=0, interactive=False)
    admin = User.objects.create_superuser("admin", "admin@example.cn", "bench-password-1")
    content = organizations_csv(rows)
    backend = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
    figures = []
    for dry_run in (True, False):
        dataset = load_dataset(content, "organizations.csv")
        resource_class = resource_for("directory.organization")
        changes_before = ObjectChange.objects.count()
        wall, cpu, server = time.perf_counter(), _own_cpu(), _backend_cpu(backend)
        connection.queries_log = deque(maxlen=10_000_000)  # every statement (Django keeps the last 9,000)
        with CaptureQueriesContext(connection) as queries:
            report = resource_class(user=admin).import_dataset(dataset, dry_run=dry_run)
        figures.append(
            {
                "step": "preview (dry run)" if dry_run else "import",
                "wall": time.perf_counter() - wall,
                "cpu": _own_cpu() - cpu,
                "server_cpu": _backend_cpu(backend) - server if backend else None,
                "queries": len(queries.captured_queries),
                "new": report.new,
                "errors": len(report.errors),
                "changes": ObjectChange.objects.count() - changes_before,
            }
        )
    return figures


def main() -> None:
    args = parse_args()
    if args.child:
        print(json.dumps(child(args.rows)))
        return
    print(f"load average at the start: {Path('/proc/loadavg').read_text().split()[:3]}")
    print("| database | step | rows | wall s | CPU s | server CPU s | statements | per row | change records |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for database in args.databases:
        if database == "sqlite":
            path = BENCH_DIR / "var" / "import_changelog.sqlite3"
            path.parent.mkdir(exist_ok=True)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            url = f"sqlite:///{path}"
        else:
            import psycopg

            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {PG_NAME}")
            url = f"{PG_SERVER}/{PG_NAME}"
        env = {**os.environ, "DATABASE_URL": url, "PARKOS_DEBUG": "1"}
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--child", "--rows", str(args.rows)],
                env=env,
                cwd=PROJECT_DIR,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode:
                raise SystemExit(done.stdout + done.stderr)
            for f in json.loads(done.stdout.strip().splitlines()[-1]):
                server = "" if f["server_cpu"] is None else f"{f['server_cpu']:.2f}"
                print(
                    f"| {database} | {f['step']} | {f['new']:,} | {f['wall']:.2f} | {f['cpu']:.2f} | {server} | "
                    f"{f['queries']:,} | {f['queries'] / max(f['new'], 1):.2f} | {f['changes']:,} |"
                )
        finally:
            if database == "sqlite":
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{url.removeprefix('sqlite:///')}{suffix}").unlink(missing_ok=True)
            else:
                with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
    print(f"load average at the end: {Path('/proc/loadavg').read_text().split()[:3]}")


if __name__ == "__main__":
    sys.exit(main())
