"""A park manager leases a vacant unit from the vacancy board and sees the board change, in a real browser.

Issue 6: the vacancy board of a building shows a vacant unit; the manager follows its "Lease" link (the add
form opens with the unit chosen), picks the tenant in the search-as-you-type box, fills dates and rent, saves,
returns to the board and finds the unit leased to that tenant.
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

pytestmark = pytest.mark.browser

PASSWORD = "lease-it-now-2026"


@pytest.fixture
def board(transactional_db):
    """A park manager's park with one building: unit 301 vacant, unit 302 already leased."""
    user = get_user_model().objects.create_user(username="wang.fang", password=PASSWORD)
    user.groups.add(Group.objects.get(name="park_manager"))
    brand = ParkBrand.objects.create(code="zj", name="Zhangjiang Science City")
    park = Park.objects.create(code="zj-ai", name="Zhangjiang AI Island", brand=brand, district="Pudong")
    user.parks.add(park)
    parcel = LandParcel.objects.create(park=park, code="P-01", area=20_000)
    building = Building.objects.create(parcel=parcel, code="B1", name="AI Tower", floor_area=10_000, floors=3)
    vacant = SpaceUnit.objects.create(building=building, code="B1-301", floor=3, area=420)
    taken = SpaceUnit.objects.create(building=building, code="B1-302", floor=3, area=380)
    sitting = Organization.objects.create(name="Deep Vision Robotics Co., Ltd.")
    Organization.objects.create(name="Qiming Semiconductor Co., Ltd.")
    lease = Lease.objects.create(
        tenant=sitting,
        park=park,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2030, 12, 31),
        rent_amount=3,
        status=Lease.Status.IN_FORCE,
    )
    lease.units.set([taken])
    return building, vacant


def sign_in(page, username: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def test_manager_leases_a_vacant_unit_from_the_vacancy_board(page, board, problems, screenshot):
    building, vacant = board
    sign_in(page, "wang.fang", PASSWORD)
    page.goto(f"/leasing/vacancy-board/?building={building.pk}")
    cell = page.locator(f'.unit-cell[data-unit="{vacant.code}"]')
    expect(cell).to_have_attribute("data-status", "vacant")
    expect(page.locator('.unit-cell[data-unit="B1-302"]')).to_have_attribute("data-status", "leased")
    screenshot("leasing-board-before")

    cell.get_by_role("link", name="Lease").click()
    expect(page).to_have_url(re.compile(r"/leasing/leases/add/"))
    units_box = page.locator(".ts-control").filter(has=page.get_by_role("combobox", name=re.compile(r"^Space units")))
    expect(units_box.locator(".item")).to_contain_text([vacant.code])  # with its remove button

    tenant = page.get_by_role("combobox", name=re.compile(r"^Tenant( \*)?$"))
    tenant.click()
    tenant.fill("Qiming")
    page.get_by_role("option", name="Qiming Semiconductor Co., Ltd.").click()
    page.get_by_label("Contract number").fill("ZL-2026-0815")
    page.get_by_label(re.compile(r"^End date")).fill("2028-12-31")
    page.get_by_label(re.compile(r"^Rent( \*)?$"), exact=False).first.fill("3.20")
    page.get_by_role("button", name=re.compile("Save|Create")).click()

    # "next" brings the manager back to the board, where the unit is now leased to the new tenant
    expect(page).to_have_url(re.compile(r"/leasing/vacancy-board/"))
    cell = page.locator(f'.unit-cell[data-unit="{vacant.code}"]')
    expect(cell).to_have_attribute("data-status", "leased")
    expect(cell.locator(".tenant")).to_contain_text("Qiming")
    screenshot("leasing-board-after")
    lease = Lease.objects.get(reference="ZL-2026-0815")
    assert list(lease.units.all()) == [vacant]
    assert lease.park_id == building.parcel.park_id
    problems.assert_none()
