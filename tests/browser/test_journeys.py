"""Each role's main journeys in a real browser, in both languages, on a laptop and on a phone (issue 13).

The demo is loaded at a small scale. Every demo role opens its home and the pages of its menu in zh-Hans and
in English (fewer pages), at 1440 and at 390 px wide, and each page, as drawn, must hold:

- no English UI text in zh-Hans, no Chinese UI text in English (the checks of test_words_in_pages, on the
  text the browser shows, charts' labels included);
- no raw decimal and no UTC timestamp (the checks of test_numbers_in_pages);
- no horizontal overflow of the page (wide tables scroll inside their card);
- chart labels inside their chart and off each other (legend, axis and data labels);
- loaded in under 1 s on a quiet machine: the budget stretches with the load average per core (the suite
  runs beside other tests), and a page over it is opened once more before it counts.

The big screen (/cockpit/screen/) is laid out for a 1920×1080 display and is left out here; its own browser
test opens it at that size.

In zh-Hans, each role also walks the pages of issues 13 to 15 it may use, wherever its menu puts them
(``finish_pages``): the cockpit, benchmarking, the maps of a brand, a district and a park, the available land,
the notification inbox and settings and an import page; and the admin, as a new user would, downloads an
import template, imports a file with a column the layout does not know (the page must name it) and applies
a bulk action that refuses a row (the result page must list it and why).

Server-side crawls read every page; this suite reads what the browser draws (scripts run, styles applied).
"""

from __future__ import annotations

import logging
import os

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client

from parkos.core.navigation import menu_for
from parkos.core.tests.test_numbers_in_pages import offences as number_offences
from parkos.core.tests.test_words_in_pages import (
    DataIndex,
    catalogue_msgids,
    chinese_offences,
    english_offences,
)
from parkos.demo.generator import DEMO_ACCOUNTS, load_demo
from parkos.notifications import checks
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

SCALE = 0.02
#: (language, width, pages per role at most: home first, then the menu in its order); Chinese readers first
VIEWS = (("zh-hans", 1440, 10), ("zh-hans", 390, 10), ("en", 1440, 5), ("en", 390, 5))
LOAD_BUDGET_MS = 1000
#: pages not made for a laptop or a phone
NOT_FOR_SCREENS = ("/cockpit/screen/",)
#: defects found by this walk and left to work under way elsewhere: logged with the figures, not failed (none now:
#: the benchmarking chart's y-axis "0" over the first park's name at 390 px went with 03931a6).
KNOWN: tuple[str, ...] = ()
#: PARKOS_JOURNEY_ROLES=manager,service walks those demo accounts only (while working on their pages)
ONLY = [name for name in os.environ.get("PARKOS_JOURNEY_ROLES", "").split(",") if name]

#: What the browser measures on a drawn page: overflow, chart labels and load time.
MEASURE = """() => {
  const doc = document.documentElement;
  const charts = [];
  document.querySelectorAll("[_echarts_instance_]").forEach((box) => {
    const frame = box.getBoundingClientRect();
    if (frame.width === 0 || frame.height === 0) return;  // a chart in a closed tab
    const texts = Array.from(box.querySelectorAll("svg text"))
      .map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }))
      .filter((t) => t.text.trim() && t.r.width > 0);
    const outside = texts.filter((t) => t.r.left < frame.left - 1 || t.r.right > frame.right + 1
      || t.r.top < frame.top - 1 || t.r.bottom > frame.bottom + 1).map((t) => t.text);
    const collided = [];
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i].r, b = texts[j].r;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 2 && h > 2) collided.push(texts[i].text + " / " + texts[j].text);
      }
    }
    charts.push({ id: box.id, outside: outside, collided: collided });
  });
  const nav = performance.getEntriesByType("navigation")[0];
  return {
    overflow: doc.scrollWidth - window.innerWidth,
    charts: charts,
    loadMs: nav ? nav.loadEventEnd - nav.startTime : 0,
    serverMs: nav ? nav.responseEnd - nav.requestStart : 0,
    text: document.body.innerText,
  };
}"""


def journey(user, limit: int) -> list[str]:
    """The role's home, its work pages (figures, boards, reports: the menu's links) and then its lists."""
    urls = ["/"]
    for config in apps.get_app_configs():
        for _label, url in config.menu_links(user) if hasattr(config, "menu_links") else []:
            if url not in urls and url not in NOT_FOR_SCREENS:
                urls.append(url)
    for group in menu_for(user):
        for item in group.items:
            if item.url not in urls and item.url not in NOT_FOR_SCREENS:
                urls.append(item.url)
    return urls[:limit]


def finish_pages(username: str) -> list[str]:
    """The pages of issues 13-15 that the demo account ``username`` may use (walked in zh-Hans only)."""
    from parkos.parks.models import Park, ParkBrand

    park = Park.objects.order_by("pk").first()
    brand = ParkBrand.objects.order_by("pk").first()
    district = Park.objects.exclude(district="").order_by("pk").values_list("district", flat=True).first()
    inbox = ["/notifications/", "/notifications/preferences/"]
    maps = [f"/maps/brands/{brand.pk}/", f"/maps/districts/{district}/", f"/maps/parks/{park.pk}/"]
    pages = {
        "admin": ["/cockpit/", "/cockpit/parks/", *maps, "/evaluation/available-land/", "/services/requests/import/"],
        "government": ["/cockpit/"],
        "manager": ["/cockpit/parks/", f"/maps/parks/{park.pk}/", "/evaluation/available-land/"],
        "investment": ["/cockpit/"],
        "evaluation": ["/cockpit/parks/", "/evaluation/available-land/"],
    }
    return [*pages.get(username, []), *inbox]


#: a statistics file with a column the service request layout does not know (issue 14)
UNKNOWN_COLUMN = "营业收入(万元)"


def import_unknown_column(page) -> dict:
    """Download the template, then import a file with an unknown column: the answer must name the column."""
    page.goto("/services/requests/import/")
    with page.expect_download() as download:
        page.locator("#import-template").click()
    assert download.value.suggested_filename.endswith(".xlsx"), download.value.suggested_filename
    body = f"标题,{UNKNOWN_COLUMN}\n空调报修,12.5\n".encode()
    page.locator("input[type=file]").set_input_files({"name": "统计.csv", "mimeType": "text/csv", "buffer": body})
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_load_state("load")
    page.get_by_text(UNKNOWN_COLUMN).first.wait_for()
    return page.evaluate(MEASURE)


def bulk_refused(page) -> dict:
    """Accept a new request and a closed one at once: nothing is done, and the result lists the closed one."""
    from parkos.services.models import ServiceRequest, Status

    new = ServiceRequest.objects.filter(status=Status.NEW).order_by("pk").first()
    done = ServiceRequest.objects.filter(status=Status.DONE).order_by("pk").first()
    page.goto("/services/requests/")
    with page.expect_navigation():
        page.evaluate(
            """(ids) => {
              const form = document.getElementById("bulk-form");
              const post = document.createElement("form");
              post.method = "post";
              post.action = form.getAttribute("action");
              const fields = { csrfmiddlewaretoken: form.querySelector("[name=csrfmiddlewaretoken]").value,
                action: "change_status", ids: ids, confirmed: "1", transition: "accept" };
              for (const [name, value] of Object.entries(fields)) {
                const input = document.createElement("input");
                input.type = "hidden"; input.name = name; input.value = value; post.appendChild(input);
              }
              document.body.appendChild(post);
              post.submit();
            }""",
            f"{new.pk},{done.pk}",
        )
    measured = page.evaluate(MEASURE)
    assert str(done) in measured["text"] and "被拒绝" in measured["text"], measured["text"][:500]
    assert ServiceRequest.objects.get(pk=new.pk).status == Status.NEW
    return measured


def open_page(page, url: str) -> dict:
    response = page.goto(url)
    assert response is not None
    page.wait_for_load_state("load")
    page.wait_for_timeout(0)
    measured = page.evaluate(MEASURE)
    measured["status"] = response.status
    return measured


def test_every_role_walks_its_journeys_in_both_languages_at_both_widths(
    transactional_db, live_server, chromium, settings
):
    load_demo(scale=SCALE)
    checks.run_checks()  # today's reminders (`parkos notify_due`): the inboxes hold what a user meets
    budget = LOAD_BUDGET_MS * max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))
    data, msgids = DataIndex(), catalogue_msgids()
    problems: list[str] = []
    slowest: list[tuple[float, str]] = []
    read = 0
    for account in DEMO_ACCOUNTS:
        if ONLY and account.username not in ONLY:
            continue
        user = get_user_model().objects.get(username=account.username)
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        for language, width, limit in VIEWS:
            context = chromium.new_context(
                base_url=live_server.url,
                locale="zh-CN" if language == "zh-hans" else "en-US",
                viewport={"width": width, "height": 900},
            )
            context.add_cookies(
                [
                    {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url},
                    {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
                ]
            )
            context.set_default_timeout(15_000)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc, errors=errors: errors.append(f"script error: {exc}"))

            def check(where: str, measured: dict, language=language) -> None:
                text = measured["text"]
                found = english_offences(text, data, msgids) if language == "zh-hans" else chinese_offences(text, data)
                if found:
                    problems.append(f"{where}: words {sorted(set(found))[:4]}")
                if number_offences(text):
                    problems.append(f"{where}: numbers {number_offences(text)[:3]}")
                if measured["overflow"] > 1:
                    problems.append(f"{where}: the page is {measured['overflow']} px wider than the screen")
                for chart in measured["charts"]:
                    if chart["outside"]:
                        problems.append(f"{where}: chart {chart['id']} labels outside it: {chart['outside'][:3]}")
                    if chart["collided"]:
                        problems.append(f"{where}: chart {chart['id']} labels collide: {chart['collided'][:3]}")

            urls = journey(user, limit)
            if language == "zh-hans":
                urls += [url for url in finish_pages(account.username) if url not in urls]
            for url in urls:
                where = f"{account.username} {language} {width}px {url}"
                measured = open_page(page, url)
                if measured["loadMs"] > budget:  # once more: a busy machine, not a slow page?
                    measured = open_page(page, url)
                read += 1
                slowest.append((measured["loadMs"], where))
                if measured["status"] >= 400:
                    problems.append(f"{where}: answered {measured['status']}")
                    continue
                check(where, measured)
                if measured["loadMs"] > budget:
                    problems.append(f"{where}: loaded in {measured['loadMs']:.0f} ms (budget {budget:.0f} ms)")
            if account.username == "admin" and language == "zh-hans":
                for name, interaction in (("import", import_unknown_column), ("bulk", bulk_refused)):
                    check(f"admin {language} {width}px {name}", interaction(page))
                    read += 1
                    page.screenshot(path=str(SCREENSHOTS / f"journey-{name}-{width}.png"), full_page=True)
            problems.extend(f"{account.username} {language} {width}px: {error}" for error in errors)
            context.close()
    slowest.sort(reverse=True)
    top = "; ".join(f"{ms:.0f} ms {w}" for ms, w in slowest[:4])
    summary = f"{read} pages, budget {budget:.0f} ms, slowest: {top}"
    known = [problem for problem in problems if any(k in problem for k in KNOWN)]
    problems = [problem for problem in problems if problem not in known]
    if known:
        summary += f"; known, not failed: {known}"
    logging.getLogger(__name__).warning(summary)  # shown with the test's log: the figures for the closing note
    assert read > (10 if ONLY else 100), read
    assert not problems, f"{len(problems)} problems in {read} pages:\n" + "\n".join(problems)
