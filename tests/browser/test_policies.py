"""An enterprise finds a policy it qualifies for and applies with a document; the policy office decides; the
enterprise reads the decision. In zh-Hans, as the enterprise and the officer use it.

Only the park, the enterprise (holding land there, with last year's filing), the policy and the two accounts are put
in the database first; everything else goes through the pages.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from parkos.directory.models import Organization
from parkos.evaluation.models import IndicatorFiling
from parkos.parks.models import LandParcel, Park, ParkBrand
from parkos.policies.models import Application, Policy
from tests.browser.conftest import CHROMIUM_ARGS  # noqa: F401  (the same browser set-up)

pytestmark = pytest.mark.browser

ENTERPRISE = "蓝港半导体有限公司"
POLICY = "研发费用补贴"


@pytest.fixture
def people(transactional_db):
    users = get_user_model().objects
    park = Park.objects.create(
        code="lg-ic", name="临港集成电路园", brand=ParkBrand.objects.create(code="lg", name="临港"), land_area=1_500_000
    )
    district = Organization.objects.create(name="浦东新区人民政府", kind=Organization.Kind.GOVERNMENT)
    enterprise = Organization.objects.create(name=ENTERPRISE)
    LandParcel.objects.create(park=park, code="LG-07", area=40_000, holder=enterprise)
    year = timezone.localdate().year - 1
    IndicatorFiling.objects.create(
        organization=enterprise,
        park=park,
        year=year,
        revenue=Decimal(80_000_000),
        rd_expenditure=Decimal(4_000_000),
        tax=Decimal(3_000_000),
        employees=120,
    )
    today = timezone.localdate()
    policy = Policy.objects.create(
        name=POLICY,
        issuer=district,
        aspect="technology",
        status=Policy.Status.OPEN,
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=60),
        budget_amount=Decimal(5_000_000),
        amount_cap=Decimal(300_000),
        documents_required="研发费用专项审计报告",
        eligibility={"all": [{"field": "employees", "at_least": 50}]},
    )
    client = users.create_user(username="chen.hb", password="apply-decide-2026")
    client.groups.add(Group.objects.get(name="enterprise_user"))
    client.organizations.add(enterprise)
    officer = users.create_user(username="wang.fang", password="apply-decide-2026")
    officer.groups.add(Group.objects.get(name="service_staff"))
    officer.parks.add(park)
    return {"client": client, "officer": officer, "policy": policy}


def chinese_page(chromium, live_server, settings, user):
    """A zh-Hans browser page signed in as ``user`` (the session made by the test client)."""
    client = Client()
    client.force_login(user)
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
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
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None)
    return context, page, errors


def test_enterprise_applies_officer_decides_enterprise_reads(chromium, live_server, settings, people, tmp_path):
    # The enterprise finds the policy on its page, among those it qualifies for, and applies with the document.
    context, page, errors = chinese_page(chromium, live_server, settings, people["client"])
    page.goto("/portal/")
    section = page.locator("#policies-for-you")
    expect(section).to_contain_text("为您匹配的政策")
    expect(section).to_contain_text(POLICY)
    section.get_by_role("link", name="申报").click()
    expect(page.get_by_role("heading", name=re.compile(POLICY))).to_be_visible()
    page.get_by_role("button", name="提交申请").click()  # without the document: refused, naming it
    expect(page.locator("#apply-form")).to_contain_text("请上传政策要求的材料：研发费用专项审计报告")
    assert not Application.objects.exists()
    audit = tmp_path / "audit.pdf"
    audit.write_bytes(b"%PDF-1.4 audit")
    page.get_by_label("研发费用专项审计报告").set_input_files(str(audit))
    page.get_by_label("申请金额（元）").fill("250000")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("alert")).to_contain_text("您的申请已提交至政策办公室")
    expect(page.locator("#application [data-status]")).to_have_attribute("data-status", "submitted")
    application = Application.objects.get()
    assert application.documents.get().title == "研发费用专项审计报告"
    context.close()

    # The officer finds it in the queue and approves it with an amount and reasons.
    context, page, errors2 = chinese_page(chromium, live_server, settings, people["officer"])
    page.goto("/policies/review/")
    page.locator("#review-queue").get_by_role("link", name=ENTERPRISE).click()
    expect(page.locator("#documents")).to_contain_text("研发费用专项审计报告")
    page.locator('input[name="approve"][value="yes"]').check()
    page.get_by_label("核定金额（元）").fill("400000")
    page.locator('textarea[name="reasons"]').fill("材料齐全，经评审符合政策条件。")
    page.get_by_role("button", name="记录处理决定").click()
    expect(page.locator("#decision-form")).to_contain_text("超过政策单个企业上限")  # 400,000 > 300,000
    page.get_by_label("核定金额（元）").fill("250000")
    page.get_by_role("button", name="记录处理决定").click()
    expect(page.get_by_role("alert")).to_contain_text("审批决定已记录")
    expect(page.locator("#application [data-status]")).to_have_attribute("data-status", "approved")
    context.close()

    # The enterprise reads the decision among its applications.
    context, page, errors3 = chinese_page(chromium, live_server, settings, people["client"])
    page.goto("/policies/mine/")
    row = page.locator("#my-applications").get_by_role("row").filter(has_text=POLICY)
    expect(row).to_contain_text("25.00")  # 250,000 yuan = 25.00 万元
    row.get_by_role("link", name=POLICY).click()
    expect(page.locator("#decision-note")).to_contain_text("材料齐全")
    expect(page.locator("#decision-form")).to_have_count(0)
    context.close()
    assert not (errors + errors2 + errors3), errors + errors2 + errors3
