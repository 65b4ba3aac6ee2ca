"""More than one machine, on loopback: two app servers and two workers sharing PostgreSQL, Redis and S3.

Starts a fresh PostgreSQL database (the server at 127.0.0.1:5432, user postgres), redis-server and
moto's S3 server on free ports, two `parkos serve` (each with its own var directory, as two machines
would have) and two `parkos db_worker`; migrates and loads a small demo. Then a user signs in on one
server and goes on on the other (the session through Redis), attaches a file on one and downloads it
from the other (through S3), uploads a file to import on one (kept in
S3, read by a worker) and confirms it on the other; an evaluation run is queued, and the worker that
takes it is killed (SIGKILL) in the middle: the other worker takes the run over once the dead one's
heartbeat is stale (core.workers) and finishes it.

PostgreSQL only (SQLite is one machine's file): the suite runs it under `make test-postgres`. redis-server
comes from `make install` (DEBIAN_PACKAGES); missing, the test fails rather than skips.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
from django.conf import settings

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="several machines share PostgreSQL: runs with DATABASE_URL=postgres://... (make test-postgres)",
)

PARKOS = [sys.executable, "-m", "parkos.manage"]
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
PASSWORD = "parkos-demo"  # the demo's accounts (parkos.demo.generator.DEMO_PASSWORD)
#: seconds: a worker beats twice a second and counts as dead after 3 s without a beat
HEARTBEAT = {"PARKOS_HEARTBEAT_INTERVAL": "0.5", "PARKOS_HEARTBEAT_TIMEOUT": "3"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(what: str, check: Callable[[], Any], timeout: float, every: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class Cluster:
    """The processes, their logs, and the one database they share."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.processes: dict[str, subprocess.Popen] = {}
        self.database = f"parkos_multi_{secrets.token_hex(4)}"
        self.redis_port, self.s3_port = free_port(), free_port()
        self.web_ports = [free_port(), free_port()]
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("PARKOS_", "PROMETHEUS_"))},
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{self.database}",
            "PARKOS_DEBUG": "0",
            "PARKOS_INSECURE_HTTP": "1",
            "PARKOS_ALLOWED_HOSTS": "127.0.0.1",
            "PARKOS_SECRET_KEY": secrets.token_urlsafe(50),  # the same on every machine
            "PARKOS_REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "PARKOS_S3_BUCKET": "parkos-files",
            "PARKOS_S3_ENDPOINT_URL": f"http://127.0.0.1:{self.s3_port}",
            "PARKOS_S3_ACCESS_KEY": "testing",
            "PARKOS_S3_SECRET_KEY": "testing",
            "PARKOS_S3_REGION": "us-east-1",
            "PARKOS_S3_ADDRESSING_STYLE": "path",
            "PARKOS_WORKERS": "1",
            "PARKOS_LOG_LEVEL": "WARNING",
            "PARKOS_IMPORT_INLINE_ROWS": "20",  # a file of more rows goes to a worker
            **HEARTBEAT,
        }

    def start(self, name: str, argv: list[str], **env: str) -> subprocess.Popen:
        log = (self.root / f"{name}.log").open("wb")
        process = subprocess.Popen(
            argv, env={**self.env, **env}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes[name] = process
        return process

    def machine(self, name: str) -> dict[str, str]:
        """The environment of one machine: its own var directory (no shared disk)."""
        var = self.root / name
        var.mkdir(exist_ok=True)
        return {"PARKOS_VAR_DIR": str(var)}

    def parkos(self, *args: str, timeout: float = 300) -> None:
        subprocess.run([*PARKOS, *args], env={**self.env, **self.machine("setup")}, check=True, timeout=timeout)

    def sql(self, query: str, *params: Any) -> list[tuple]:
        with psycopg.connect(dbname=self.database, autocommit=True, **PG) as conn:
            return conn.execute(query, params).fetchall()

    def logs(self) -> str:
        return "\n".join(f"== {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.root.glob("*.log")))

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


def signed_in(port: int, username: str) -> requests.Session:
    session = requests.Session()
    login = f"http://127.0.0.1:{port}/login/"
    session.get(login, timeout=30).raise_for_status()
    response = session.post(
        login,
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": login},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:2000]
    return session


def csrf(session: requests.Session) -> dict[str, str]:
    return {"csrfmiddlewaretoken": session.cookies["csrftoken"]}


@pytest.fixture(scope="module")
def cluster():
    redis_server = shutil.which("redis-server")
    assert redis_server, "redis-server is missing: `make install` installs it (DEBIAN_PACKAGES)"
    root = Path(tempfile.mkdtemp(prefix="parkos-multi-"))
    cluster = Cluster(root)
    started = time.monotonic()
    try:
        with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
            conn.execute(f'CREATE DATABASE "{cluster.database}"')
        cluster.start(
            "redis",
            [
                redis_server,
                "--port",
                str(cluster.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
        )
        cluster.start(
            "s3", [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(cluster.s3_port)]
        )
        wait_for("Redis and S3", lambda: answers(cluster.redis_port) and answers(cluster.s3_port), 30)
        import boto3

        cluster.s3 = boto3.client(
            "s3",
            endpoint_url=cluster.env["PARKOS_S3_ENDPOINT_URL"],
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        )
        cluster.s3.create_bucket(Bucket="parkos-files")
        cluster.parkos("migrate", "-v0")
        cluster.parkos("demo", "--scale", "0.01", "--no-serve", "-v0")
        for n, port in enumerate(cluster.web_ports, start=1):
            cluster.start(f"web{n}", [*PARKOS, "serve"], PARKOS_BIND=f"127.0.0.1:{port}", **cluster.machine(f"web{n}"))
        for n in (1, 2):
            cluster.start(
                f"worker{n}",
                [*PARKOS, "db_worker", "--interval", "0.2", "--worker-id", f"worker{n}", "--no-reload"],
                **cluster.machine(f"worker{n}"),
            )
        for port in cluster.web_ports:
            wait_for(f"the server on {port}", lambda port=port: health(port), 120)
        wait_for("two live workers", lambda: health(cluster.web_ports[0])["worker"]["running"] == 2, 60)
        cluster.setup_seconds = time.monotonic() - started
        yield cluster
    except BaseException:
        sys.stdout.write(cluster.logs() + "\n")
        raise
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


def health(port: int) -> dict | None:
    try:
        response = requests.get(f"http://127.0.0.1:{port}/health/", timeout=5)
    except requests.ConnectionError:
        return None
    return response.json() if response.status_code == 200 else None


def test_a_user_journey_across_two_servers_and_two_workers(cluster):
    web1, web2 = (f"http://127.0.0.1:{port}" for port in cluster.web_ports)
    try:
        journey(cluster, web1, web2)
    except BaseException:
        sys.stdout.write(cluster.logs() + "\n")
        raise
    sys.stdout.write(f"setup {cluster.setup_seconds:.1f} s" + "\n")


def journey(cluster: Cluster, web1: str, web2: str) -> None:
    import redis

    started = time.monotonic()

    def mark(step: str) -> None:
        sys.stdout.write(f"{step}: {time.monotonic() - started:.1f} s\n")

    # signed in on one server, the session works on the other: it lives in Redis
    user = signed_in(cluster.web_ports[0], "admin")
    page = user.get(f"{web2}/directory/organizations/", allow_redirects=False, timeout=30)
    assert page.status_code == 200, page.status_code
    store = redis.Redis(port=cluster.redis_port)
    assert any(b"parkos-session" in key for key in store.keys("*")), store.keys("*")

    mark("signed in on web1, session used on web2")

    # a file attached on one server is downloaded from the other: both read the same bucket
    (request_id,) = cluster.sql(
        "select id from services_servicerequest where status not in ('done', 'declined') order by id limit 1"
    )[0]
    attachment = b"%PDF-1.4 site plan " + secrets.token_bytes(64)
    response = user.post(
        f"{web1}/services/requests/{request_id}/message/",
        data={**csrf(user), "body": "The site plan, as agreed."},
        files={"attachment": ("site-plan.pdf", attachment)},
        headers={"Referer": web1},
        allow_redirects=False,
        timeout=60,
    )
    assert response.status_code == 302, response.text[:2000]
    ((message_id, stored),) = cluster.sql(
        "select id, attachment from services_requestmessage where request_id = %s and attachment <> '' "
        "order by id desc limit 1",
        request_id,
    )
    assert cluster.s3.get_object(Bucket="parkos-files", Key=stored)["Body"].read() == attachment
    download = user.get(f"{web2}/services/messages/{message_id}/download/", timeout=30)
    assert (download.status_code, download.content) == (200, attachment)
    assert not any((cluster.root / "web1").rglob("site-plan*")), "the file is in S3, not on web1's disk"
    mark("file attached on web1, downloaded from web2")
    # a file uploaded to one server is stored in S3; a worker (another process) previews it
    rows = 200  # more than PARKOS_IMPORT_INLINE_ROWS: a worker's job
    csv = "id,name,kind,district\n" + "".join(f",Multi {n:05d} Ltd,enterprise,Pudong\n" for n in range(rows))
    response = user.post(
        f"{web1}/directory/organizations/import/",
        data=csrf(user),
        files={"file": ("orgs.csv", csv.encode())},
        headers={"Referer": web1},
        allow_redirects=False,
        timeout=60,
    )
    assert response.status_code == 302, response.text[:2000]
    job = int(re.search(r"/import/(\d+)/", response.headers["Location"])[1])

    def job_status() -> str:
        return cluster.sql("select status from core_importjob where id = %s", job)[0][0]

    wait_for("the preview", lambda: job_status() == "previewed", 120)
    stored = [o["Key"] for o in cluster.s3.list_objects_v2(Bucket="parkos-files").get("Contents", [])]
    assert any(key.startswith("imports/") and key.endswith(".csv") for key in stored), stored
    assert not any((cluster.root / "web1").rglob("*.csv")), "the upload is in S3, not on the server's disk"
    # confirmed on the other server; a worker imports it
    page = user.get(f"{web2}/directory/organizations/import/{job}/", timeout=30)
    assert page.status_code == 200 and "Multi 00000 Ltd" in page.text or str(rows) in page.text, page.status_code
    response = user.post(
        f"{web2}/directory/organizations/import/{job}/",
        data={**csrf(user), "action": "confirm"},
        headers={"Referer": web2},
        allow_redirects=False,
        timeout=60,
    )
    assert response.status_code == 302, response.text[:2000]
    wait_for("the import", lambda: job_status() == "done", 180)
    assert cluster.sql("select count(*) from directory_organization where name like 'Multi %%'")[0][0] == rows

    mark(f"{rows} rows uploaded on web1, previewed, confirmed on web2, imported")
    # an evaluation run: the worker that takes it is killed in the middle, the other one finishes it
    scheme, year = cluster.sql(
        "select s.id, f.year from evaluation_evaluationscheme s, evaluation_indicatorfiling f "
        "group by s.id, f.year order by count(*) desc limit 1"
    )[0]
    with psycopg.connect(dbname=cluster.database, **PG) as lock:
        # the run's results cannot be written while this lock is held: the run stops there, mid-way
        lock.execute("LOCK TABLE evaluation_evaluationresult IN ACCESS EXCLUSIVE MODE")
        response = user.post(
            f"{web2}/evaluation/runs/add/",
            data={**csrf(user), "scheme": scheme, "year": year},
            headers={"Referer": web2},
            allow_redirects=False,
            timeout=60,
        )
        assert response.status_code == 302, response.text[:2000]
        run = int(re.search(r"/runs/(\d+)/", response.headers["Location"])[1])
        claimed = wait_for(
            "a worker blocked in the middle of the run",
            lambda: cluster.sql(
                "select t.worker_ids from django_tasks_database_dbtaskresult t, evaluation_evaluationrun r, "
                "pg_stat_activity a where t.status = 'RUNNING' and t.task_path like '%%evaluation_run_task' "
                "and r.id = %s and r.status = 'running' and a.datname = %s and a.wait_event_type = 'Lock'",
                run,
                cluster.database,
            ),
            60,
        )[0][0]
        victim = claimed[-1]
        killed_at = time.monotonic()
        os.kill(cluster.processes[victim].pid, signal.SIGKILL)
        cluster.processes[victim].wait(timeout=10)
        lock.rollback()
    survivor = "worker2" if victim == "worker1" else "worker1"
    wait_for(
        "the run finished by the other worker",
        lambda: cluster.sql(
            "select 1 from evaluation_evaluationrun r, django_tasks_database_dbtaskresult t "
            "where r.id = %s and r.status = 'done' and t.task_path like '%%evaluation_run_task' "
            "and t.status = 'SUCCESSFUL'",
            run,
        ),
        120,
    )
    takeover = time.monotonic() - killed_at
    mark("evaluation run killed mid-way and finished by the other worker")
    ((worker_ids, status),) = cluster.sql(
        "select worker_ids, status from django_tasks_database_dbtaskresult where task_path like '%%evaluation_run_task'"
    )
    assert (worker_ids, status) == ([victim, survivor], "SUCCESSFUL")
    results = cluster.sql("select count(*) from evaluation_evaluationresult where run_id = %s", run)[0][0]
    assert results > 0
    page = user.get(f"{web1}/evaluation/runs/{run}/", timeout=30)
    assert page.status_code == 200
    report = health(cluster.web_ports[1])
    assert report["worker"]["running"] == 1 and report["status"] == "ok", report
    assert report["cache"] == {"ok": True, "backend": "redis"}, report
    sys.stdout.write(f"run taken over {takeover:.1f} s after the kill; {results} results" + "\n")
