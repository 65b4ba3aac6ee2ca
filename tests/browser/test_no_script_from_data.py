"""Issue 12 #2: names people type are drawn as text on maps and charts, never run as HTML.

A park name, parcel code, holder and tenant name carry ``<img src=x onerror=...>``; the inefficient-land
map (Leaflet tooltips and popups) and the leasing figures (ECharts axes, legends and tooltips) are opened
and hovered; the test fails if the planted handler ever ran.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from parkos.directory.models import Organization
from parkos.land.models import ParcelFlag
from parkos.leasing.models import Lease
from parkos.parks.models import LandParcel, Park, ParkBrand

pytestmark = pytest.mark.browser

PASSWORD = "no-script-from-data-2026"
PAYLOAD = '<img src=x onerror="window.__xss=(window.__xss||0)+1">'
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[121.50, 31.20], [121.52, 31.20], [121.52, 31.22], [121.50, 31.22], [121.50, 31.20]]],
}


@pytest.fixture
def planted(transactional_db):
    user = get_user_model().objects.create_user(username="op.admin", password=PASSWORD)
    user.groups.add(Group.objects.get(name="operator_admin"))
    brand = ParkBrand.objects.create(code="xss", name=f"Brand {PAYLOAD}")
    park = Park.objects.create(
        code="xss-park",
        name=f"Park {PAYLOAD}",
        brand=brand,
        district="Pudong",
        land_area=1_000_000,
        boundary={
            "type": "Polygon",
            "coordinates": [[[121.49, 31.19], [121.53, 31.19], [121.53, 31.23], [121.49, 31.23], [121.49, 31.19]]],
        },
    )
    holder = Organization.objects.create(name=f"Holder {PAYLOAD}")
    parcel = LandParcel.objects.create(park=park, code=f"P{PAYLOAD}", area=20_000, holder=holder, geometry=SQUARE)
    ParcelFlag.objects.create(parcel=parcel, detail=f"detail {PAYLOAD}")
    Lease.objects.create(
        tenant=holder,
        park=park,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2030, 12, 31),
        rent_amount=3,
        status=Lease.Status.IN_FORCE,
    )
    return user


def sign_in(page) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill("op.admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def assert_no_script_ran(page) -> None:
    assert page.evaluate("window.__xss") is None, "a name planted with <img onerror> ran as HTML"


def test_the_map_draws_names_as_text(page, planted, problems):
    sign_in(page)
    page.goto("/evaluation/inefficient-land/")
    parcel = page.locator("#inefficient-land-map path.leaflet-interactive").first
    expect(parcel).to_be_visible()
    parcel.hover()
    tooltip = page.locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text(PAYLOAD)  # shown, as text
    parcel.click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text(f"Holder {PAYLOAD}")
    assert_no_script_ran(page)


def test_the_charts_draw_names_as_text(page, planted, problems):
    sign_in(page)
    page.goto("/leasing/figures/")
    charts = page.locator("canvas")
    expect(charts.first).to_be_visible()
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        if box:
            for dx in (0.25, 0.5, 0.75):
                page.mouse.move(box["x"] + box["width"] * dx, box["y"] + box["height"] * 0.6)
    assert_no_script_ran(page)
