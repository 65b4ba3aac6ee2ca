"""Issue 12 #2: names people type are drawn as text on maps and charts, never run as HTML.

Every name a map or chart may draw (park, brand, parcel, holder, tenant, industry, building, unit,
service, project: tests/browser/planted.py) carries ``<img src=x onerror=...>``. The inefficient-land map
(Leaflet tooltips and popups) and every ECharts page (occupancy, leasing figures, service figures,
pipeline figures: axes, legends, tooltips) are opened and hovered; the test fails if a planted handler
ran or an ``<img src=x>`` reached the page.

The browser context bypasses the Content-Security-Policy here: the policy would stop the handler, and
this test proves the pages set text in the first place (the policy is the second wall, tested in
test_csp.py).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from parkos.parks.models import Building
from tests.browser.planted import ADMIN, PASSWORD, PAYLOAD, SHORT_PAYLOAD, plant

pytestmark = pytest.mark.browser

BUILDING_OUTLINE = {
    "type": "Polygon",
    "coordinates": [[[121.505, 31.205], [121.507, 31.205], [121.507, 31.207], [121.505, 31.207], [121.505, 31.205]]],
}
CHART_PAGES = {
    "/leasing/occupancy/": ("#chart-parks", "#chart-brands"),
    "/leasing/figures/": ("#chart-trend", "#chart-leased-park", "#chart-leased-industry"),
    "/services/figures/": ("#chart-aspects", "#chart-status", "#chart-ratings", "#chart-parks"),
    "/investment/figures/": ("#chart-conversion", "#chart-time", "#chart-stages"),
}


@pytest.fixture
def planted(transactional_db):
    return plant()


@pytest.fixture
def page(chromium, live_server, problems):
    context = chromium.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 1366, "height": 900}, bypass_csp=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems.watch(page)
    yield page
    context.close()


def sign_in(page) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(ADMIN)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def assert_no_script_ran(page, where: str) -> None:
    assert page.evaluate("window.__xss") is None, f"{where}: a name planted with <img onerror> ran as HTML"
    assert page.locator('img[src="x"]').count() == 0, f"{where}: a planted name was inserted as HTML"


# Where ECharts draws each bar and point (pixels in the chart), and a way to open the tooltip of every
# item: a long rotated name squeezes a chart's grid, so a bar may sit where no fixed hover point finds it.
DATA_POINTS = """(el) => {
  const chart = echarts.getInstanceByDom(el), points = [];
  chart.getOption().series.forEach((series, s) => (series.data || []).forEach((d, i) => {
    const value = d !== null && typeof d === "object" && !Array.isArray(d) ? d.value : d;
    try {
      const p = chart.convertToPixel({seriesIndex: s}, [i, value]);
      if (p && isFinite(p[0]) && isFinite(p[1])) points.push(p);
    } catch (e) { /* a pie or funnel: no cartesian coordinates */ }
  }));
  return points;
}"""
SHOW_EVERY_TIP = """(el) => {
  const chart = echarts.getInstanceByDom(el), series = chart.getOption().series;
  for (let s = series.length - 1; s >= 0; s--)
    for (let i = (series[s].data || []).length - 1; i >= 0; i--)
      chart.dispatchAction({type: "showTip", seriesIndex: s, dataIndex: i});
}"""


def hover_chart(page, selector: str) -> None:
    """Move over the chart (a grid of points and each bar and point inside it), then open the tooltip of
    every item in turn, ending on the first one, whose tooltip stays open."""
    chart = page.locator(selector)
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box, f"{selector} is not drawn"
    points = [(box["width"] * fx, box["height"] * fy) for fy in (0.3, 0.5, 0.7) for fx in (0.15, 0.3, 0.5, 0.7, 0.85)]
    points += [(x, y) for x, y in chart.evaluate(DATA_POINTS) if 0 <= x < box["width"] and 0 <= y < box["height"]]
    for x, y in points:
        page.mouse.move(box["x"] + x, box["y"] + y)
    chart.evaluate(SHOW_EVERY_TIP)


def test_every_map_and_chart_draws_names_as_text(page, planted, problems):
    sign_in(page)

    page.goto("/evaluation/inefficient-land/")
    parcel = page.locator("#inefficient-land-map path.leaflet-interactive").first
    expect(parcel).to_be_visible()
    parcel.hover()
    expect(page.locator(".leaflet-tooltip")).to_contain_text(PAYLOAD)  # shown, as text
    parcel.click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text(f"Holder {PAYLOAD}")
    expect(page.locator("#map-zoom-park")).to_contain_text(f"Park {PAYLOAD}")
    assert_no_script_ran(page, "inefficient-land map")

    # issue 15: the maps draw the same names as text (park labels, parcel tooltips, the side panel)
    park = planted["park"]
    Building.objects.filter(parcel__park=park).update(geometry=BUILDING_OUTLINE)
    page.goto(f"/maps/parks/{park.pk}/")
    expect(page.locator("#parkos-map[data-drawn='1']")).to_be_attached()
    expect(page.locator(".map-label").first).to_have_text(f"Park {PAYLOAD}")
    parcel = page.locator("path.map-parcels").first
    parcel.hover(position={"x": 4, "y": 4})
    expect(page.locator(".leaflet-tooltip").last).to_contain_text(SHORT_PAYLOAD)
    parcel.click(position={"x": 4, "y": 4})
    expect(page.locator("#map-panel-title")).to_contain_text(SHORT_PAYLOAD)
    expect(page.locator("#map-panel")).to_contain_text(f"Holder {PAYLOAD}")
    page.locator("path.map-buildings").first.click()
    expect(page.locator("#map-panel-title")).to_contain_text(f"Building {PAYLOAD}")
    assert_no_script_ran(page, "park map")

    for path, charts in CHART_PAGES.items():
        page.goto(path)
        for chart in charts:
            # a chart with nothing to show for the period (the planted requests have no ratings) says so
            expect(page.locator(f"{chart} svg, {chart} .chart-empty").first).to_be_visible()
            if page.locator(f"{chart} svg").count():
                hover_chart(page, chart)
        assert_no_script_ran(page, path)

    # the tooltips did open on the planted names, and show them as text
    page.goto("/leasing/figures/")
    hover_chart(page, "#chart-leased-park")
    expect(page.locator("#chart-leased-park")).to_contain_text(f"Park {PAYLOAD}")
    hover_chart(page, "#chart-leased-industry")
    expect(page.locator("#chart-leased-industry")).to_contain_text(f"Industry {PAYLOAD}")
    page.goto("/leasing/occupancy/")
    hover_chart(page, "#chart-brands")
    expect(page.locator("#chart-brands")).to_contain_text(f"Brand {PAYLOAD}")
    page.goto("/services/figures/")
    hover_chart(page, "#chart-parks")
    expect(page.locator("#chart-parks")).to_contain_text(f"Park {PAYLOAD}")
    assert_no_script_ran(page, "tooltips")
    problems.assert_none()
