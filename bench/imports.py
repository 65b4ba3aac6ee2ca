"""Import benchmark: a 60,000-row organization file previewed and imported through the import job, end to end.

    PARKOS_DEBUG=1 .venv/bin/python bench/imports.py [--rows 60000] [--write]

On a fresh SQLite database of its own (bench/var/imports.sqlite3, WAL, as the app runs), the file is
uploaded to the import page through django.test.Client, the job is worked off by a real `parkos
db_worker` process (django-tasks' database backend), the page is polled as htmx does until the preview
is shown, the import is confirmed and polled until done. Meanwhile another thread, with its own
connection, logs in (`POST /login/`: the session, and the last login and sign-in record as
bookkeeping, core.bookkeeping) and opens the login page (`GET /login/`), once a second each, and records
each answer's latency and status: whether logins keep working while the import runs. --write puts the
table into bench/RESULTS.md between the import markers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time

from harness import BENCH_DIR, PROJECT_DIR, percentile, section_head, setup_django, write_section

SECTION_START = "<!-- import benchmark: start -->"
SECTION_END = "<!-- import benchmark: end -->"
DATABASE_FILE = "imports.sqlite3"
PASSWORD = "bench-password-1"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=60_000, help="rows in the organization file (default 60,000)")
    parser.add_argument("--write", action="store_true", help="write the results into bench/RESULTS.md")
    return parser.parse_args(argv)


def organizations_csv(rows: int) -> bytes:
    lines = ["id,name,kind,district,address,registered_capital_amount,registered_capital_currency"]
    for i in range(1, rows + 1):
        lines.append(f",基准导入企业{i:06d}有限公司,enterprise,浦东新区,张江路{i}号,{1000 + i},CNY")
    return ("\n".join(lines) + "\n").encode("utf-8")


class Prober(threading.Thread):
    """Logs in and opens a page once a second from its own thread (so its own database connection)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.phase = "before"
        self.samples: list[tuple[str, str, float, int]] = []  # (phase, probe, ms, status)

    def run(self) -> None:
        from django.db import connections
        from django.test import Client

        try:
            while not self.stop.is_set():
                for probe in ("POST /login/", "GET /login/"):
                    client = Client()
                    started = time.perf_counter()
                    try:
                        if probe.startswith("POST"):
                            response = client.post("/login/", {"username": "prober", "password": PASSWORD})
                        else:
                            response = client.get("/login/")
                        status = response.status_code
                    except Exception:  # a 500 raised through the test client
                        status = 500
                    self.samples.append((self.phase, probe, (time.perf_counter() - started) * 1000, status))
                self.stop.wait(1.0)
        finally:
            connections.close_all()


def wait_for(client, url: str, statuses: set[str], prober: Prober, phase: str) -> tuple[float, dict]:
    from parkos.core.models import ImportJob

    prober.phase = phase
    started = time.perf_counter()
    job_id = int(url.rstrip("/").rsplit("/", 1)[-1])
    while True:
        response = client.get(url, headers={"HX-Request": "true"})  # what the page's htmx polling asks
        assert response.status_code in (200, 400), response.status_code
        job = ImportJob.objects.get(pk=job_id)
        if job.status in statuses:
            return time.perf_counter() - started, {"status": job.status, "error": job.error, "report": job.report}
        time.sleep(2)


def main() -> None:
    args = parse_args()
    database = BENCH_DIR / "var" / DATABASE_FILE
    for suffix in ("", "-wal", "-shm"):
        (database.parent / (database.name + suffix)).unlink(missing_ok=True)
    # the uploaded file must be where the worker process looks for it: both use this var directory
    os.environ["PARKOS_VAR_DIR"] = str(BENCH_DIR / "var" / "imports-var")
    url = setup_django(None, DATABASE_FILE)
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.urls import reverse

    from parkos.users.models import User

    call_command("migrate", verbosity=0, interactive=False)
    admin = User.objects.create_superuser("admin", "admin@example.cn", PASSWORD)
    User.objects.create_user("prober", "prober@example.cn", PASSWORD)
    content = organizations_csv(args.rows)

    env = {**os.environ, "DATABASE_URL": url, "PARKOS_DEBUG": "1"}
    worker_log = (BENCH_DIR / "var" / "imports-worker.log").open("w")
    worker = subprocess.Popen(
        [
            str(PROJECT_DIR / ".venv" / "bin" / "parkos"),
            "db_worker",
            "--interval",
            "0.5",
            "--no-startup-delay",
            "--no-reload",
        ],
        env=env,
        cwd=PROJECT_DIR,
        stdout=worker_log,
        stderr=subprocess.STDOUT,  # to a file: a pipe nobody reads would stall the worker once full
    )
    prober = Prober()
    results: dict = {}
    try:
        with override_settings(DEBUG=False):
            client = Client()
            client.force_login(admin)
            prober.start()
            while len(prober.samples) < 4:  # a few answers before the upload, to compare with
                time.sleep(0.5)
            import_url = reverse("directory:organization_import")
            started = time.perf_counter()
            response = client.post(import_url, {"file": SimpleUploadedFile("organizations.csv", content)})
            upload_s = time.perf_counter() - started
            assert response.status_code == 302, (response.status_code, response.content[:500])
            job_url = response["Location"]
            preview_s, preview = wait_for(client, job_url, {"previewed", "failed"}, prober, "preview")
            print(f"upload answered in {upload_s:.2f} s; preview {preview_s:.0f} s: {preview['status']}", flush=True)
            assert preview["status"] == "previewed" and not preview["report"]["errors"], preview
            job_id = int(job_url.rstrip("/").rsplit("/", 1)[-1])
            started = time.perf_counter()
            response = client.post(import_url, {"token": job_id})
            confirm_s = time.perf_counter() - started
            import_s, done = wait_for(client, job_url, {"done", "failed"}, prober, "import")
            print(f"confirm answered in {confirm_s:.2f} s; import {import_s:.0f} s: {done['status']}", flush=True)
            prober.phase = "after"
            time.sleep(3)
            results = {
                "upload_s": upload_s,
                "preview_s": preview_s,
                "confirm_s": confirm_s,
                "import_s": import_s,
                "status": done["status"],
                "new": done["report"].get("new"),
            }
    finally:
        prober.stop.set()
        prober.join(timeout=60)
        worker.terminate()
        worker.wait(timeout=30)
    lines = report(args, results, prober.samples)
    print("\n".join(lines))
    if args.write:
        section = "\n".join([SECTION_START, *lines, SECTION_END])  # the section carries its markers
        print(f"written to {write_section(section, SECTION_START, SECTION_END)}")


def report(args, results: dict, samples: list[tuple[str, str, float, int]]) -> list[str]:
    command = (
        "PARKOS_DEBUG=1 .venv/bin/python bench/imports.py"
        + (f" --rows {args.rows}" if args.rows != 60_000 else "")
        + " --write"
    )
    lines = section_head("Import benchmark", command)
    lines += [
        f"- data: a fresh SQLite database (WAL, busy timeout {os.environ.get('PARKOS_SQLITE_BUSY_TIMEOUT', '20')} s); "
        f"an organization file of {args.rows:,} rows (all new); one `parkos db_worker` process",
        "- the job: upload through the import page, preview by the worker, polled as htmx does every 2 s, confirm, "
        "import by the worker, polled until done",
        "",
        "| step | seconds |",
        "|---|---:|",
        f"| upload answered (job queued) | {results.get('upload_s', float('nan')):.2f} |",
        f"| preview (checked in parts of 500 rows on SQLite) | {results.get('preview_s', float('nan')):.0f} |",
        f"| confirm answered (import queued) | {results.get('confirm_s', float('nan')):.2f} |",
        f"| import (one transaction) | {results.get('import_s', float('nan')):.0f} |",
        "",
        f"Outcome: {results.get('status', 'not finished')}, {results.get('new') or 0:,} organizations created.",
        "",
        "Meanwhile, from another thread and connection, once a second:",
        "",
        "| phase | probe | answers | 5xx | p50 ms | p95 ms | max ms |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for phase in ("before", "preview", "import", "after"):
        for probe in ("POST /login/", "GET /login/"):
            ms = [m for p, q, m, _ in samples if p == phase and q == probe]
            errors = sum(1 for p, q, _, s in samples if p == phase and q == probe and s >= 500)
            if not ms:
                continue
            lines.append(
                f"| {phase} | `{probe}` | {len(ms)} | {errors} | {statistics.median(ms):.0f} | "
                f"{percentile(ms, 0.95):.0f} | {max(ms):.0f} |"
            )
    return lines


if __name__ == "__main__":
    sys.exit(main())
