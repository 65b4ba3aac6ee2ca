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
from django.utils import timezone
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


@pytest.fixture
def leased_parks(transactional_db):
    """A park manager with five parks (names as long as the demo's), each with a lease that started this year."""
    user = get_user_model().objects.create_user(username="li.na", password=PASSWORD)
    user.groups.add(Group.objects.get(name="park_manager"))
    brand = ParkBrand.objects.create(code="bh", name="Binhai Chip Valley")
    tenant = Organization.objects.create(name="Qiming Semiconductor Co., Ltd.")
    start = datetime.date(timezone.localdate().year, 1, 5)
    names = []
    for n in range(5):
        park = Park.objects.create(
            code=f"bh-{n}", name=f"滨海芯谷·{'枫泾亭林金桥万祥奉城'[2 * n : 2 * n + 2]}园", brand=brand
        )
        user.parks.add(park)
        parcel = LandParcel.objects.create(park=park, code=f"P-{n}", area=20_000)
        building = Building.objects.create(parcel=parcel, code=f"B{n}", name=f"Tower {n}", floor_area=10_000)
        unit = SpaceUnit.objects.create(building=building, code=f"B{n}-101", floor=1, area=500 + 100 * n)
        lease = Lease.objects.create(
            tenant=tenant,
            park=park,
            start_date=start,
            end_date=start.replace(year=start.year + 3),
            rent_amount=3,
            status=Lease.Status.IN_FORCE,
            leased_area=unit.area,
        )
        lease.units.set([unit])
        names.append(park.name)
    return names


@pytest.mark.parametrize("width", [390, 1280])
def test_the_figures_name_every_park_in_full(chromium, live_server, leased_parks, problems, width):
    """The area leased per park is drawn as bars across, each park's name whole at its left: under upright bars
    the names were cut to their bar's width ("…" at 390 px and at 1280 px)."""
    context = chromium.new_context(base_url=live_server.url, locale="en-US", viewport={"width": width, "height": 900})
    page = context.new_page()
    problems.watch(page)
    sign_in(page, "li.na", PASSWORD)
    page.goto("/leasing/figures/")
    chart = page.locator("#chart-leased-park")
    expect(chart.locator("svg text").first).to_be_attached()
    texts = chart.locator("svg text").all_text_contents()
    for name in leased_parks:
        assert name in texts, texts
    months = page.locator("#chart-trend svg text").all_text_contents()
    assert not any("…" in text for text in months), months
    context.close()
    problems.assert_none()
