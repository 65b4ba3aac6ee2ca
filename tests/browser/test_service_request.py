"""An enterprise files a service request, service staff answer and close it, and the enterprise rates it.

Issue 6: the enterprise user signs in and lands on its own enterprise page, files a request for a
catalogue service from there; a member of the service staff opens it, accepts it, answers in its
conversation and marks it done; the enterprise signs in again, reads the answer and rates the result,
and the rating shows on the request's page and on the enterprise page. Only the accounts, the park,
the enterprise's lease and the catalogue service are put in the database first.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from parkos.directory.models import Organization
from parkos.leasing.models import Lease
from parkos.parks.models import Building, LandParcel, Park, ParkBrand, SpaceUnit
from parkos.services.models import Service, ServiceRequest
from tests.browser.test_agreements import choose

pytestmark = pytest.mark.browser

PASSWORD = "ask-answer-rate-2025"
ENTERPRISE = "Blue Harbour Semiconductor Co., Ltd."
ANSWER = (
    "We have booked a meeting with the bank's green finance desk for Thursday 10:00; bring last year's energy audit."
)


@pytest.fixture
def people(transactional_db):
    """An enterprise user of a tenant of the park, a member of the park's service staff, and a finance service."""
    users = get_user_model().objects
    brand = ParkBrand.objects.create(code="lingang", name="Lingang Science City")
    park = Park.objects.create(
        code="lg-ic", name="Lingang IC Park", brand=brand, district="Pudong", land_area=1_500_000
    )
    enterprise = Organization.objects.create(name=ENTERPRISE)
    Organization.objects.create(name="Another Tenant Ltd.")
    parcel = LandParcel.objects.create(park=park, code="LG-07", area=40_000, holder=enterprise)
    building = Building.objects.create(parcel=parcel, code="B3", floor_area=12_000)
    unit = SpaceUnit.objects.create(building=building, code="3F", area=1_200)
    lease = Lease.objects.create(
        reference="LG-L-2025-031",
        tenant=enterprise,
        park=park,
        leased_area=1_200,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2027, 12, 31),
        rent_amount=4,
    )
    lease.units.add(unit)
    bank = Organization.objects.create(name="Pudong Green Bank", kind=Organization.Kind.FINANCIAL)
    Service.objects.create(
        name="Green loan advice", aspect="finance", provider=bank, response_target_hours=24, resolution_target_days=10
    )

    client = users.create_user(username="chen.hb", password=PASSWORD, first_name="Hui", last_name="Chen")
    client.groups.add(Group.objects.get(name="enterprise_user"))
    client.organizations.add(enterprise)
    staff = users.create_user(username="wang.fang", password=PASSWORD, first_name="Fang", last_name="Wang")
    staff.groups.add(Group.objects.get(name="service_staff"))
    staff.parks.add(park)
    return {"client": client, "staff": staff, "enterprise": enterprise}


def sign_in(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def sign_out(page) -> None:
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login/|/logout/|/$"))


def test_enterprise_files_staff_answer_and_close_enterprise_rates(page, live_server, people, problems, screenshot):
    # The enterprise signs in and lands on its own page, with its lease and no requests yet.
    sign_in(page, "chen.hb")
    expect(page).to_have_url(re.compile(r"/portal/$"))
    expect(page.get_by_role("heading", name=ENTERPRISE)).to_be_visible()
    expect(page.locator("#leases")).to_contain_text("LG-L-2025-031")
    expect(page.locator("#leases")).to_contain_text("B3 3F")
    expect(page.locator('#navbar-menu a[href="/portal/"]')).to_have_text("My enterprise")
    expect(page.locator("body")).not_to_contain_text("Another Tenant")

    # It files a request for a catalogue service.
    page.locator("#service-requests").get_by_role("link", name="File a request").click()
    choose(page, "Service", "Green loan advice")
    page.get_by_label("Title", exact=True).fill("Financing for the rooftop solar array")
    page.get_by_label("Description", exact=True).fill("We plan 2 MW of rooftop solar and want to know our options.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Created service request")
    request = ServiceRequest.objects.get()
    assert request.enterprise == people["enterprise"]
    request_url = re.compile(rf"/services/requests/{request.pk}/$")
    expect(page).to_have_url(request_url)
    expect(page.locator("#request-status [data-status]")).to_have_attribute("data-status", "new")
    page.goto("/portal/")
    expect(page.locator("#service-requests").get_by_role("row").filter(has_text="rooftop solar")).to_contain_text("New")
    sign_out(page)

    # Service staff open it, accept it, answer, and close it.
    sign_in(page, "wang.fang")
    page.goto("/services/requests/")
    page.get_by_role("link", name="Financing for the rooftop solar array").click()
    expect(page).to_have_url(request_url)
    page.locator('[data-transition="accept"]').click()
    expect(page.get_by_role("alert")).to_contain_text("Accepted")
    expect(page.locator("#request-status [data-status]")).to_have_attribute("data-status", "accepted")
    page.locator("#message-form").get_by_label("Message").fill(ANSWER)
    page.locator("#message-form").get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert")).to_contain_text("Message sent")
    expect(page.locator("#conversation")).to_contain_text(ANSWER)
    page.locator('[data-transition="done"]').click()
    expect(page.locator("#request-status [data-status]")).to_have_attribute("data-status", "done")
    sign_out(page)

    # The enterprise signs in again, reads the answer and rates the result.
    sign_in(page, "chen.hb")
    expect(page).to_have_url(re.compile(r"/portal/$"))
    row = page.locator("#service-requests").get_by_role("row").filter(has_text="rooftop solar")
    expect(row).to_contain_text("Done")
    row.get_by_role("link", name="Financing for the rooftop solar array").click()
    expect(page).to_have_url(request_url)
    expect(page.locator("#conversation")).to_contain_text(ANSWER)
    rating = page.locator("#rating-form")
    rating.get_by_label("5 ★").check()
    rating.get_by_label("Comment").fill("Clear advice within a day. Thank you!")
    rating.get_by_role("button", name="Rate").click()
    expect(page.get_by_role("alert")).to_contain_text("Thank you for rating")

    # The rating shows on the request page and on the enterprise page.
    expect(page.locator("#request-rating [data-rating]")).to_have_attribute("data-rating", "5")
    expect(page.locator("#request-rating")).to_contain_text("Clear advice within a day. Thank you!")
    screenshot("service-request-rated")
    page.goto("/portal/")
    expect(page.locator("#service-requests").get_by_role("row").filter(has_text="rooftop solar")).to_contain_text(
        "★★★★★"
    )
    request.refresh_from_db()
    assert (request.status, request.rating) == ("done", 5)
    assert request.responded_at is not None and request.resolved_at is not None
    problems.assert_none()
