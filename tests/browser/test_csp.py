"""Issue 12, class guard: the pages work under the Content-Security-Policy, and break none of it.

One browser; one sign-in per role (operator admin, enterprise user, superuser). Each walks the pages of
its menu (parkos.core.navigation) and their add forms, with the names of tests/browser/planted.py (markup
in every name), and the test fails on any "Content Security Policy" console error, script error or
server error. Along the way: the charts and the map draw, the language and enterprise selects submit
(their handlers moved out of inline ``onchange``), htmx polls a running evaluation, the API's Swagger
UI and ReDoc pages draw, and the admin works.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import expect

from parkos.core.navigation import menu_for
from tests.browser.planted import ADMIN, ENTERPRISE, PASSWORD, ROOT, plant

pytestmark = pytest.mark.browser


@dataclass
class Violations:
    found: list[str] = field(default_factory=list)

    def watch(self, page) -> None:
        page.on("console", lambda msg: self._console(page, msg))
        page.on("pageerror", lambda exc: self.found.append(f"{page.url}: script error: {exc}"))
        page.on("response", lambda r: r.status >= 500 and self.found.append(f"{r.status} for {r.url}"))

    def _console(self, page, msg) -> None:
        if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text:
            self.found.append(f"{page.url}: {msg.text}")


@pytest.fixture
def planted(transactional_db):
    return plant()


@pytest.fixture
def signed_in(chromium, live_server):
    """signed_in(username) -> a page of a new context (fresh cookies), signed in, watched for violations."""
    contexts, violations = [], Violations()

    def open_as(username: str):
        context = chromium.new_context(
            base_url=live_server.url, locale="en-US", viewport={"width": 1366, "height": 900}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        violations.watch(page)
        page.goto("/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).not_to_have_url(re.compile(r"/login/"))
        return page

    yield open_as, violations
    for context in contexts:
        context.close()


def menu_urls(user) -> list[str]:
    urls = []
    for group in menu_for(user):
        for item in group.items:
            urls += [item.url] + ([item.add_url] if item.add_url else [])
    return list(dict.fromkeys(urls))


def walk(page, urls: list[str]) -> None:
    for url in urls:
        response = page.goto(url)
        assert response is not None and response.status < 400, f"{url} answered {response and response.status}"


def test_the_pages_work_under_the_policy_and_break_none_of_it(signed_in, planted):
    open_as, violations = signed_in

    page = open_as(ADMIN)
    walk(page, ["/", "/changelog/", "/profile/", "/search/?q=Park", "/api/", "/api/parks/parks/"])
    walk(page, menu_urls(planted["admin"]))
    # charts and the map draw from their static scripts
    page.goto("/leasing/occupancy/")
    expect(page.locator("#chart-parks svg").first).to_be_visible()
    page.goto("/investment/figures/")
    expect(page.locator("#chart-stages svg").first).to_be_visible()
    page.goto("/evaluation/inefficient-land/")
    expect(page.locator("#inefficient-land-map path.leaflet-interactive").first).to_be_visible()
    # htmx polls a running evaluation's progress
    run = planted["run"]
    page.goto(f"/evaluation/runs/{run.pk}/")
    with page.expect_response(re.compile(rf"/evaluation/runs/{run.pk}/progress/")) as progress:
        pass
    assert progress.value.status == 200
    # the language select submits its form (no inline onchange)
    page.goto("/")
    page.get_by_label("Language").select_option("zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.locator("select[name=language]").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # the API documentation
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=60_000)
    page.goto("/api/redoc/")
    expect(page.locator("redoc [role=search], .api-content").first).to_be_attached(timeout=60_000)

    page = open_as(ENTERPRISE)
    walk(page, menu_urls(planted["enterprise"]))
    page.goto("/portal/")
    select = page.get_by_label("Enterprise")
    other = select.locator("option:not([selected])").first.get_attribute("value")
    select.select_option(other)
    expect(page).to_have_url(re.compile(rf"organization={other}"))

    page = open_as(ROOT)
    walk(
        page,
        ["/admin/", "/admin/parks/park/", "/admin/parks/park/add/", f"/admin/parks/park/{planted['park'].pk}/change/"],
    )
    walk(page, ["/admin/auth/group/", "/admin/evaluation/evaluationrun/"])

    assert not violations.found, "\n".join(violations.found)
