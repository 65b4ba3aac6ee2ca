"""Issue 15, the cockpit: the admin lands on it and reads its charts, the big screen draws itself, the park table
sorts; the government partner reads its district's cockpit only; in zh-Hans and in English.

Screenshots (cockpit-*.png) go to the folder tests/browser/conftest.py names in SCREENSHOTS
(PARKOS_SCREENSHOTS=docs/screenshots refreshes the ones in the docs).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from parkos.cockpit.freshness import store
from parkos.cockpit.tests.helpers import CockpitWorld
from parkos.core.testing import PASSWORD
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

PERIOD = "date_from=2026-01-01&date_to=2026-06-30"


@pytest.fixture
def world(transactional_db):
    store().clear()  # kept figures: each test database starts with none
    data = CockpitWorld()
    data.partner.set_password(PASSWORD)
    data.partner.save()
    yield data
    store().clear()


def context_page(chromium, live_server, problems, locale: str, width: int = 1440, height: int = 900):
    context = chromium.new_context(base_url=live_server.url, locale=locale, viewport={"width": width, "height": height})
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems.watch(page)
    return context, page


def sign_in(page, username: str) -> None:
    page.goto("/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def assert_no_problems(problems) -> None:
    """Script errors, server errors and failed cockpit requests; a request of the page shell the browser drops
    while the test moves on (the bell's poll, the icon) is not the cockpit's."""
    shown = [e for e in problems.errors if not e.startswith("request failed") or "cockpit" in e]
    assert not shown, "\n".join(shown)


def charts_drawn(page, *ids: str) -> None:
    for chart in ids:
        # core/charts.js draws with canvas or SVG
        expect(page.locator(f"#{chart} canvas, #{chart} svg").first).to_be_visible()


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_admin_lands_on_the_cockpit_opens_the_big_screen_and_sorts_the_parks(
    chromium, live_server, problems, world, locale
):
    lang = "zh" if locale.startswith("zh") else "en"
    context, page = context_page(chromium, live_server, problems, locale)
    try:
        sign_in(page, "operator_admin")
        expect(page).to_have_url(re.compile(r"/cockpit/$"))
        page.goto(f"/cockpit/?{PERIOD}")
        expect(page.locator("[data-tile=projects]")).to_be_visible()
        expect(page.locator("[data-figure=projects_signed] a")).to_have_text("10")
        charts_drawn(page, "chart-projects", "chart-grades", "chart-services")
        heading = page.locator("h1.page-title")
        expect(heading).to_contain_text("领导驾驶舱" if lang == "zh" else "Cockpit")
        page.screenshot(path=str(SCREENSHOTS / f"cockpit-admin-{lang}.png"), full_page=True)
        # value axes read compactly through core/charts.js: 60万 / 1.5亿 in Chinese, 1.5M in English
        axis = page.evaluate("[600000, 150000000, 2500, 1500000].map(ParkOS.axisNumber)")
        assert axis == (["60万", "1.5亿", "2,500", "150万"] if lang == "zh" else ["600,000", "150M", "2,500", "1.5M"])

        # a tile's number opens the list that adds up to it
        page.locator("[data-figure=agreements_signed] a").click()
        expect(page).to_have_url(re.compile(r"/investment/agreements/\?signed_from=2026-01-01"))

        page.goto(f"/cockpit/parks/?{PERIOD}")
        table = page.locator("#benchmark-table")
        expect(table.locator("tbody tr")).to_have_count(4)
        charts_drawn(page, "chart-parks")
        table.locator("thead th a", has_text="亩均税收" if lang == "zh" else "Tax per mu").click()
        table.locator("thead th a", has_text="亩均税收" if lang == "zh" else "Tax per mu").click()
        expect(table.locator("tbody tr").first).to_contain_text("Park East")
        page.screenshot(path=str(SCREENSHOTS / f"cockpit-parks-{lang}.png"), full_page=True)
        # a row drills down to the park
        table.locator("tbody tr").first.locator("a", has_text="Park East").click()
        expect(page).to_have_url(re.compile(r"/parks/parks/\d+/$"))
        assert_no_problems(problems)
    finally:
        context.close()

    if lang != "zh":
        return
    # the big screen: 1920×1080, dark, fills itself from the API with nothing clicked
    context, page = context_page(chromium, live_server, problems, locale, 1920, 1080)
    try:
        sign_in(page, "operator_admin")
        page.goto("/cockpit/screen/")
        expect(page.locator("#screen-tiles section")).to_have_count(11)  # every tile of the cockpit
        expect(page.locator("#screen-scope")).to_have_text("全部园区")
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(11, 20, 36)"
        assert page.evaluate("document.body.scrollHeight") <= 1080
        # nothing leaves its box: each tile's content stays inside the tile
        overflow = page.evaluate(
            "Array.from(document.querySelectorAll('.screen-tile')).filter(t => t.scrollHeight > t.clientHeight + 1"
            " || t.scrollWidth > t.clientWidth + 1).map(t => t.dataset.tile)"
        )
        assert overflow == [], overflow
        page.screenshot(path=str(SCREENSHOTS / "cockpit-screen-zh.png"))
        assert_no_problems(problems)
    finally:
        context.close()


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_government_partner_reads_its_districts_cockpit_only(chromium, live_server, problems, world, locale):
    lang = "zh" if locale.startswith("zh") else "en"
    context, page = context_page(chromium, live_server, problems, locale)
    try:
        sign_in(page, "west_partner")
        expect(page).to_have_url(re.compile(r"/cockpit/$"))
        page.goto(f"/cockpit/?{PERIOD}")
        expect(page.locator("[data-tile]")).to_have_count(5)
        expect(page.locator("[data-figure=agreements_signed] a")).to_have_text("1")
        charts_drawn(page, "chart-landed", "chart-commitments")
        body = page.locator("body")
        for other in ("Park East", "East", "Park in", "Park out"):
            expect(body).not_to_contain_text(other)
        page.screenshot(path=str(SCREENSHOTS / f"cockpit-partner-{lang}.png"), full_page=True)
        # a period without landed investment: the chart says so instead of empty axes on 0-1 (core/charts.js)
        page.goto("/cockpit/?date_from=2024-01-01&date_to=2024-03-31")
        empty = page.locator("#chart-landed .chart-empty")
        expect(empty).to_have_text("本期暂无数据" if lang == "zh" else "No data for this period")
        expect(page.locator("#chart-landed svg, #chart-landed canvas")).to_have_count(0)
        page.goto(f"/cockpit/parks/?{PERIOD}")
        expect(page.locator("#benchmark-table tbody tr")).to_have_count(1)
        expect(page.locator("#benchmark-table")).to_contain_text("Park West")
        page.goto("/cockpit/screen/")
        expect(page.locator("#screen-scope")).to_have_text("West")
        assert_no_problems(problems)
    finally:
        context.close()


#: the commitments pie's legend, in the order of the tile
COMMITMENT_NAMES = {
    "en": ["Commitments kept", "On track", "At risk", "Overdue"],
    "zh": ["已兑现承诺", "正常推进", "存在风险", "已逾期"],
}


@pytest.mark.parametrize(("locale", "width"), [("en-US", 1440), ("en-US", 390), ("zh-CN", 390)])
def test_the_commitments_legend_names_each_status_in_full_inside_its_chart(
    chromium, live_server, problems, world, locale, width
):
    """A short name is never cut ("Commitme…"): the legend wraps onto the lines it needs, under the ring."""
    lang = "zh" if locale.startswith("zh") else "en"
    context, page = context_page(chromium, live_server, problems, locale, width, 900)
    try:
        sign_in(page, "operator_admin")
        page.goto(f"/cockpit/?{PERIOD}")
        charts_drawn(page, "chart-commitments")
        chart = page.locator("#chart-commitments")
        chart.scroll_into_view_if_needed()
        texts = [t.strip() for t in chart.locator("svg text").all_text_contents() if t.strip()]
        assert texts == COMMITMENT_NAMES[lang], texts
        box = chart.bounding_box()
        boxes = [chart.locator("svg text").nth(i).bounding_box() for i in range(len(texts))]
        for name, text in zip(texts, boxes, strict=True):
            assert box["x"] - 1 <= text["x"] and text["x"] + text["width"] <= box["x"] + box["width"] + 1, name
            assert box["y"] - 1 <= text["y"] and text["y"] + text["height"] <= box["y"] + box["height"] + 1, name
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                apart = (
                    a["x"] + a["width"] <= b["x"]
                    or b["x"] + b["width"] <= a["x"]
                    or a["y"] + a["height"] <= b["y"]
                    or b["y"] + b["height"] <= a["y"]
                )
                assert apart, (texts, boxes)
        if lang == "zh":
            tile = page.locator("[data-tile=commitments]").inner_text()
            assert not re.search(r"[A-Za-z]{4,}", tile), tile  # no English left in the tile
        chart.screenshot(path=str(SCREENSHOTS / f"cockpit-commitments-{lang}-{width}.png"))
        assert_no_problems(problems)
    finally:
        context.close()
