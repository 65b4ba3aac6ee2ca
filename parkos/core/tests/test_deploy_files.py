"""The example deployment files under deploy/ name commands that exist and keep their promises."""

import re
from pathlib import Path

from django.core.management import get_commands
from django.test import SimpleTestCase

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"


class DeployFilesTests(SimpleTestCase):
    def test_the_systemd_units_run_existing_parkos_commands(self):
        commands = set()
        for unit in (DEPLOY / "systemd").glob("*.service"):
            commands |= set(re.findall(r"/\.venv/bin/parkos (\w+)", unit.read_text()))
        expected = {"serve", "db_worker", "backup", "notify_digest", "clearsessions", "cockpit_warm", "policy_matches"}
        self.assertEqual(commands, expected)
        self.assertLessEqual(commands, set(get_commands()))
        for timer in ("parkos-backup", "parkos-digest", "parkos-policy-matches"):
            self.assertTrue((DEPLOY / "systemd" / f"{timer}.service").is_file())
            self.assertIn("OnCalendar=", (DEPLOY / "systemd" / f"{timer}.timer").read_text())

    def test_nginx_passes_the_request_id_and_never_serves_media_or_metrics(self):
        conf = (DEPLOY / "nginx" / "parkos.conf").read_text()
        self.assertIn("proxy_set_header X-Request-ID $request_id;", conf)
        self.assertIn("proxy_set_header X-Forwarded-Proto $scheme;", conf)
        self.assertRegex(conf, r"location /media/ \{\s*return 404;")
        self.assertRegex(conf, r"location = /metrics \{\s*return 404;")
        self.assertNotRegex(conf, r"alias [^;]*media")

    def test_the_dockerfile_installs_with_the_constraints_and_serves(self):
        dockerfile = (DEPLOY / "Dockerfile").read_text()
        self.assertIn("FROM python:3.11-slim-bookworm", dockerfile)
        self.assertIn("-c requirements/constraints.txt", dockerfile)
        self.assertIn("collectstatic", dockerfile)
        self.assertIn('CMD ["parkos", "serve"]', dockerfile)
