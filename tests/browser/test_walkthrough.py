"""A park manager's day in a real browser: sign in, find a park, correct a parcel, read its history.

These tests click and type as a person would, with role and label selectors, so they fail when a
page stops making sense to a person (a missing label, a dead link, a stylesheet that does not load),
not only when a view raises.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from parkos.directory.models import Organization
from parkos.parks.models import Building, LandParcel, Park, ParkBrand

pytestmark = pytest.mark.browser

PASSWORD = "walk-through-the-park-42"
BOUNDARY = {
    "type": "Polygon",
    "coordinates": [[[121.90, 30.90], [121.93, 30.90], [121.93, 30.93], [121.90, 30.93], [121.90, 30.90]]],
}


@pytest.fixture
def manager(transactional_db):
    """A park manager assigned to one park, which has one parcel (held by an enterprise) with a building."""
    user = get_user_model().objects.create_user(
        username="wang.fang", password=PASSWORD, first_name="Fang", last_name="Wang"
    )
    user.groups.add(Group.objects.get(name="park_manager"))
    brand = ParkBrand.objects.create(code="lingang", name="Lingang Science City")
    park = Park.objects.create(
        code="lg-dishui",
        name="Dishui Lake Test Park",
        brand=brand,
        district="Pudong",
        land_area=2_000_000,
        boundary=BOUNDARY,
    )
    user.parks.add(park)
    holder = Organization.objects.create(name="Blue Harbour Robotics Co., Ltd.")
    parcel = LandParcel.objects.create(park=park, code="DS-07", area=10_000, holder=holder)
    Building.objects.create(parcel=parcel, code="B1", name="Assembly hall", floor_area=6_000)
    return user


def sign_in(page, username: str, password: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def assert_styles_and_scripts_loaded(page) -> None:
    """Tabler's CSS is applied and the vendor scripts (from node_modules, via static files) ran."""
    navbar_display = page.evaluate("getComputedStyle(document.querySelector('.navbar')).display")
    assert navbar_display == "flex", "Tabler's stylesheet did not apply to the navbar"
    assert page.evaluate("typeof TomSelect") == "function", "tom-select's script did not load"


def test_park_manager_finds_a_parcel_edits_it_and_reads_its_history(page, live_server, manager, problems, screenshot):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    sign_in(page, "wang.fang", PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    assert_styles_and_scripts_loaded(page)

    search = page.get_by_role("searchbox", name="Search", exact=True)
    search.fill("Dishui Lake")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=Dishui\+Lake"))
    page.locator("#search-results").get_by_role("link", name="Dishui Lake Test Park", exact=True).click()

    expect(page.get_by_role("heading", name="Dishui Lake Test Park")).to_be_visible()
    page.get_by_role("link", name="DS-07", exact=True).click()
    expect(page.get_by_role("heading", name="Dishui Lake Test Park DS-07")).to_be_visible()
    expect(page.locator('[data-field="holder"]')).to_have_text("Blue Harbour Robotics Co., Ltd.")

    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Area", exact=True).fill("18 mu")
    page.get_by_label("Status", exact=True).select_option(label="Idle")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_contain_text("Saved land parcel")
    expect(page.locator('[data-field="area"]')).to_have_text("12,000.00 m² (18.00 mu)")  # land also in 亩
    expect(page.locator('[data-field="status"]')).to_have_text("Idle")
    recent = page.locator("#recent-changes")
    expect(recent).to_contain_text("wang.fang")
    expect(recent).to_contain_text(re.compile(r"Area: 10,?000\.00\S* → 12,?000\.00"))

    page.get_by_role("link", name="History", exact=True).click()
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    update = page.get_by_role("row").filter(has_text="wang.fang").filter(has_text=re.compile("update", re.I))
    expect(update).to_have_count(1)
    expect(update).to_contain_text("DS-07")

    assert_styles_and_scripts_loaded(page)
    screenshot("walkthrough-history")
    page.go_back()
    screenshot("walkthrough-parcel")
    problems.assert_none()


def test_five_wrong_passwords_lock_the_sign_in(page, live_server, manager, problems):
    page.goto("/login/")
    for _attempt in range(4):
        sign_in(page, "wang.fang", "not-the-password")
        expect(page.get_by_role("alert")).to_be_visible()
    sign_in(page, "wang.fang", "not-the-password")
    expect(page.locator("#locked-out")).to_be_visible()

    # Locked now: even the right password is refused, and nobody is signed in.
    page.goto("/login/")
    sign_in(page, "wang.fang", PASSWORD)
    expect(page.locator("#locked-out")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/"))
    problems.assert_none()


def test_language_switch_to_simplified_chinese(page, live_server, manager, problems, screenshot):
    page.goto("/login/")
    sign_in(page, "wang.fang", PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # the selector submits from a listener parkos.js adds: under load the test could choose before it ran
    page.wait_for_load_state("load")

    page.get_by_label("Language").select_option(label="简体中文")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    navbar = page.locator("header.navbar")
    expect(navbar.get_by_role("button", name="园区")).to_be_visible()
    expect(navbar.get_by_role("searchbox", name="搜索")).to_be_visible()
    screenshot("walkthrough-zh-hans")  # Chinese glyphs need fonts-noto-cjk, else they draw as boxes
    problems.assert_none()
