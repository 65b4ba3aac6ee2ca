"""Service staff accept two requests at once from the list, in zh-Hans on a phone (issue 14, "Bulk actions").

The rows are ticked in the table, the action chosen above it; the confirmation page names the rows and asks
the new status; after confirming, the list says how many were done and the rows show their new status.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from parkos.core.testing import World
from parkos.services.models import ServiceRequest, Status
from parkos.services.tests.test_views import request_for
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def test_service_staff_accept_two_requests_at_once(transactional_db, live_server, chromium, settings):
    world = World.build()
    first, second, third = (request_for(world, "in", title=f"绿色工厂认证咨询 {n}") for n in range(3))
    staff = world.users["service_staff"]
    client = Client()
    client.force_login(staff)
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "zh-hans", "url": live_server.url},
        ]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(reverse("services:servicerequest_list"))
    page.locator(f'input[data-bulk-row][value="{first.pk}"]').check()
    page.locator(f'input[data-bulk-row][value="{second.pk}"]').check()
    expect(page.locator("[data-bulk-count]")).to_have_text("2")
    page.locator("#bulk-action").select_option("change_status")
    page.get_by_role("button", name="应用于所选行").click()
    expect(page.get_by_text("绿色工厂认证咨询 0")).to_be_visible()
    expect(page.get_by_text("绿色工厂认证咨询 2")).to_have_count(0)
    page.get_by_label("新状态").select_option("accept")
    page.get_by_role("button", name="确认").click()
    expect(page.locator(".alert-success")).to_contain_text("2")
    statuses = dict(ServiceRequest.objects.values_list("pk", "status"))
    assert (statuses[first.pk], statuses[second.pk], statuses[third.pk]) == (
        Status.ACCEPTED,
        Status.ACCEPTED,
        Status.NEW,
    )
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the list is {overflow} px wider than the phone"
    page.screenshot(path=str(SCREENSHOTS / "bulk-accepted-390.png"), full_page=True)
    assert not errors, errors
    context.close()
