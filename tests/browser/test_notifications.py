"""The bell: an enterprise files a request, the park's service staff see the bell count it, open it from the inbox
and land on the request; the bell is quiet again. In zh-Hans, on a phone-sized screen."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from parkos.directory.models import Organization
from parkos.parks.models import Park, ParkBrand
from parkos.services import services as workflow
from parkos.services.models import Service

pytestmark = pytest.mark.browser

PASSWORD = "bell-rings-2025"


@pytest.fixture
def filed(transactional_db):
    users = get_user_model().objects
    park = Park.objects.create(
        code="lg-ic", name="临港集成电路园", brand=ParkBrand.objects.create(code="lg", name="临港"), land_area=1_000_000
    )
    enterprise = Organization.objects.create(name="蓝港半导体有限公司")
    staff = users.create_user("desk", password=PASSWORD)
    staff.groups.add(Group.objects.get(name="service_staff"))
    staff.parks.add(park)
    client = users.create_user("blue", password=PASSWORD)
    client.groups.add(Group.objects.get(name="enterprise_user"))
    client.organizations.add(enterprise)
    service = Service.objects.create(name="绿色贷款咨询", aspect="finance", provider=enterprise)
    return workflow.request_file(user=client, enterprise=enterprise, park=park, service=service, title="屋顶光伏融资")


def test_the_bell_counts_the_new_request_and_the_inbox_opens_it(chromium, live_server, filed, problems):
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844})
    context.set_extra_http_headers({"Accept-Language": "zh-Hans"})
    page = context.new_page()
    problems.watch(page)
    page.goto("/login/")
    page.locator("input[name=username]").fill("desk")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))
    bell = page.locator("#notification-bell")
    expect(bell.locator(".badge")).to_have_text("1")
    page.goto("/notifications/")
    expect(page.locator("h1")).to_have_text("通知")
    expect(page.get_by_text("服务诉求已提交")).to_be_visible()
    page.get_by_role("link", name="屋顶光伏融资").click()
    expect(page).to_have_url(re.compile(rf"/services/requests/{filed.pk}/$"))
    expect(page.locator("#notification-bell .badge")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # nothing wider than the phone
    problems.assert_none()
    context.close()
