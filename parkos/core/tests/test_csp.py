"""Issue 12, class guard: a Content-Security-Policy without inline script on every response.

The browser side (pages still work under the policy, no violation while walking the menu) is
tests/browser/test_csp.py; here the header itself, on a page, the API, the admin and the API docs, and
the templates: no inline script or inline event handler anywhere in ParkOS's own.
"""

import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.test import TestCase

import parkos
from parkos.core.csp import HEADER, policy_header
from parkos.core.testing import World

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def directives(header: str) -> dict[str, str]:
    return dict((part.strip().split(" ", 1) + [""])[:2] for part in header.split(";") if part.strip())


class PolicyHeaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.superuser = get_user_model().objects.create_superuser("csp.root", password="csp-root-2026")

    def assert_strict(self, response, **extra: str) -> None:
        self.assertIn(HEADER, response, response.request["PATH_INFO"])
        self.assertEqual(directives(response[HEADER]), {**STRICT, **extra})

    def test_pages_and_the_login_page(self):
        self.assert_strict(self.client.get("/login/"))
        self.client.force_login(self.world.users["operator_admin"])
        for path in ("/", "/evaluation/inefficient-land/", "/leasing/figures/", "/no-such-page/"):
            with self.subTest(path=path):
                self.assert_strict(self.client.get(path))

    def test_the_api(self):
        self.assert_strict(self.client.get("/api/parks/parks/", HTTP_ACCEPT="application/json"))  # 401/403
        self.client.force_login(self.world.users["operator_admin"])
        for path in ("/api/", "/api/parks/parks/", "/api/schema/"):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                self.assert_strict(response)

    def test_the_admin(self):
        self.assert_strict(self.client.get("/admin/login/"))
        self.client.force_login(self.superuser)
        for path in ("/admin/", "/admin/parks/park/", "/admin/parks/park/add/"):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                self.assert_strict(response)

    def test_the_api_docs(self):
        self.client.force_login(self.world.users["operator_admin"])
        swagger = self.client.get("/api/docs/")
        self.assert_strict(swagger)  # Swagger UI's start-up code comes from ?script=, not inline
        self.assertNotRegex(swagger.content.decode(), r"<script>")
        script = self.client.get("/api/docs/?script=")
        self.assertEqual(script["Content-Type"], "application/javascript")
        redoc = self.client.get("/api/redoc/")
        self.assert_strict(redoc, **{"worker-src": "'self' blob:", "img-src": "'self' data: https://cdn.redoc.ly"})
        self.assertNotIn("fonts.googleapis.com", redoc.content.decode())
        self.assertNotRegex(redoc.content.decode(), r"<script>")

    def test_a_view_widens_only_its_own_policy(self):
        self.assertEqual(
            directives(policy_header({"img-src": ("https://tiles.example",)}))["img-src"],
            "'self' data: https://tiles.example",
        )


def test_no_template_has_inline_script_or_event_handlers():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
    handler = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
    found = []
    for path in Path(parkos.__file__).parent.rglob("templates/**/*.html"):
        text = path.read_text()
        for pattern in (inline_script, handler):
            found += [f"{path}: {m.group(0)[:80]}" for m in pattern.finditer(text)]
        if "javascript:" in text:
            found.append(f"{path}: javascript: URL")
    assert not found, "\n".join(found)
