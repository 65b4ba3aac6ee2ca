"""`parkos serve` starts the production server (gunicorn, preloaded and warmed) that answers /health/."""

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.test import SimpleTestCase

from parkos.core.warm import parkos_templates, warm

PARKOS = [sys.executable, "-m", "parkos.manage"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServeTests(SimpleTestCase):
    def test_serve_answers_health_then_stops(self):
        with tempfile.TemporaryDirectory() as var:
            port = free_port()
            env = {
                **os.environ,
                "PARKOS_VAR_DIR": var,
                "DATABASE_URL": f"sqlite:///{Path(var) / 'test.sqlite3'}",
                "PARKOS_DEBUG": "0",
                "PARKOS_INSECURE_HTTP": "1",
                "PARKOS_ALLOWED_HOSTS": "127.0.0.1",
                "PARKOS_BIND": f"127.0.0.1:{port}",
                "PARKOS_WORKERS": "1",
                "PARKOS_LOG_FORMAT": "json",
            }
            env.pop("PROMETHEUS_MULTIPROC_DIR", None)
            subprocess.run([*PARKOS, "migrate", "-v0"], env=env, check=True, timeout=180)
            log = Path(var) / "serve.log"
            with log.open("wb") as out:
                server = subprocess.Popen([*PARKOS, "serve"], env=env, stdout=out, stderr=subprocess.STDOUT)
                try:
                    report, headers = self.poll_health(port, server, deadline=time.monotonic() + 90)
                    self.assertEqual(report["status"], "ok")
                    self.assertEqual(report["database"]["vendor"], "sqlite")
                    self.assertRegex(headers["X-Request-ID"], r"^[0-9a-f]{32}$")
                    # the workers' metrics are shared through the directory the command set up
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
                        self.assertIn(b"django_http_requests_total_by_method_total", response.read())
                    self.assertTrue(any((Path(var) / "prometheus").glob("*.db")))
                    # a worker beside it registers its heartbeat, and removes it when stopped
                    worker = subprocess.Popen(
                        [*PARKOS, "db_worker", "--interval", "0.2"], env=env, stdout=out, stderr=out
                    )
                    try:
                        self.assertEqual(self.poll_workers(port, 1, worker, deadline=time.monotonic() + 60), 1)
                    finally:
                        worker.terminate()
                        self.assertEqual(worker.wait(timeout=60), 0)
                    self.assertEqual(self.poll_workers(port, 0, None, deadline=time.monotonic() + 10), 0)
                finally:
                    server.terminate()
                    self.assertEqual(server.wait(timeout=60), 0)
            text = log.read_text()
            self.assertIn("ParkOS warmed in", text)
            # what the warmed master holds is out of the workers' garbage collections
            frozen = re.search(r"(\d+) objects frozen", text)
            self.assertIsNotNone(frozen)
            self.assertGreater(int(frozen[1]), 10_000)
            access = [json.loads(line) for line in text.splitlines() if '"parkos.request"' in line]
            self.assertEqual(access[0]["path"], "/health/")

    def poll_workers(self, port: int, wanted: int, worker: subprocess.Popen | None, deadline: float) -> int:
        running = -1
        while time.monotonic() < deadline:
            if worker is not None:
                self.assertIsNone(worker.poll(), "the worker exited")
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5) as response:
                running = json.loads(response.read())["worker"]["running"]
            if running == wanted:
                return running
            time.sleep(0.2)
        return running

    def poll_health(self, port: int, server: subprocess.Popen, deadline: float) -> tuple[dict, dict]:
        while time.monotonic() < deadline:
            self.assertIsNone(server.poll(), "the server exited")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5) as response:
                    return json.loads(response.read()), dict(response.headers)
            except OSError:
                time.sleep(0.2)
        self.fail("no answer from /health/ in time")


class WarmTests(SimpleTestCase):
    def test_warm_compiles_the_main_pages_templates(self):
        names = parkos_templates()
        for page in ("core/home.html", "users/login.html"):
            self.assertIn(page, names)
        self.assertGreater(warm(), 0)
