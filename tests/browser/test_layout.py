"""The main list pages fit a laptop and a phone, and a list prints whole (issue 13, "Layout").

Each page is opened as the demo role that uses it, in zh-Hans, at 1440 and 390 px wide. It fails when the
page itself scrolls sideways (document wider than the window) or when a table's text is cut off by its
card (a table may be wider than its card only inside a scrolling ``.table-responsive``). With print media
emulated, the print view of a list shows its title and every column of every row.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from parkos.demo.generator import load_demo
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

SCALE = 0.02

#: What the browser measures: the page's sideways overflow, and tables cut off by a box that does not scroll.
MEASURE = """() => {
  const doc = document.documentElement;
  const clipped = [];
  document.querySelectorAll("table").forEach((table) => {
    const t = table.getBoundingClientRect();
    if (t.width === 0) return;  // a table in a closed tab
    for (let box = table.parentElement; box && box !== document.body; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (style.overflowX === "visible") continue;
      const scrolls = style.overflowX === "auto" || style.overflowX === "scroll";
      const b = box.getBoundingClientRect();
      if (!scrolls && t.right > b.right + 1) {
        clipped.push((table.id || table.className) + " cut off at " + Math.round(b.right) + " px");
      }
      if (scrolls) break;  // the rest of the table is reached by scrolling this box
    }
  });
  const scrolled = Array.from(document.querySelectorAll(".table-responsive"))
    .filter((box) => box.clientWidth > 0 && box.scrollWidth > box.clientWidth + 1)
    .map((box) => {
      const card = box.closest(".card");
      const title = card && card.querySelector(".card-title");
      const name = box.querySelector("table").id || (title ? title.textContent.trim() : "");
      return "table " + name + " needs " + (box.scrollWidth - box.clientWidth) + " px more";
    });
  // the page header: the title's lines, and whether its actions sit beside it (they go under it on a phone)
  const title = document.querySelector(".page-header .page-title");
  let header = null;
  if (title) {
    const style = getComputedStyle(title);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.4;
    const t = title.getBoundingClientRect();
    const actions = title.closest(".row").lastElementChild;
    const a = actions.getBoundingClientRect();
    header = { lines: Math.round(t.height / line), beside: a.height > 0 && a.top < t.bottom - 1 };
  }
  return { overflow: doc.scrollWidth - window.innerWidth, clipped: clipped, scrolled: scrolled, header: header };
}"""

#: (demo account, what it opens); the park page and the filings take their first row
PAGES = (
    ("manager", "leasing:lease_list"),
    ("manager", "park"),
    ("service", "services:servicerequest_list"),
    ("evaluation", "evaluation:indicatorfiling_list"),
    ("investment", "investment:agreement_list"),
    ("manager", "maps:all"),  # a long title beside a scope selector (issue 15's walk)
    ("enterprise", "portal:home"),
    ("investment", "investment:implementation_report"),  # the commitments' checks beside each other (issue 17)
)


def url_for(name: str, user) -> str:
    if name == "park":
        from parkos.core.permissions import Action
        from parkos.parks.models import Park

        park = Park.objects.restrict(user, Action.VIEW).order_by("code").first()
        return reverse("parks:park", kwargs={"pk": park.pk})
    return reverse(name)


def browser_page(chromium, live_server, settings, user, width: int, language: str = "zh-hans"):
    client = Client()
    client.force_login(user)
    context = chromium.new_context(
        base_url=live_server.url,
        locale="zh-CN" if language == "zh-hans" else "en-US",
        viewport={"width": width, "height": 900},
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


def test_main_lists_fit_a_laptop_and_a_phone(transactional_db, live_server, chromium, settings):
    load_demo(scale=SCALE)
    users = get_user_model().objects
    problems: list[str] = []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1440, 390):
        for account, name in PAGES:
            user = users.get(username=account)
            context, page = browser_page(chromium, live_server, settings, user, width)
            url = url_for(name, user)
            response = page.goto(url)
            page.wait_for_load_state("load")
            where = f"{account} {width}px {url}"
            if response is None or response.status != 200:
                problems.append(f"{where}: answered {response and response.status}")
                context.close()
                continue
            measured = page.evaluate(MEASURE)
            if measured["overflow"] > 1:
                problems.append(f"{where}: the page is {measured['overflow']} px wider than the screen")
            problems.extend(f"{where}: {text}" for text in measured["clipped"])
            header = measured["header"]
            if width < 768 and header and (header["beside"] or header["lines"] > 2):
                problems.append(f"{where}: the title takes {header['lines']} lines, its actions beside it")
            if width >= 1440:  # a laptop shows every column of a main list without scrolling
                problems.extend(f"{where}: {text}" for text in measured["scrolled"])
            if account in ("manager", "service", "enterprise") and name != "park":
                page.screenshot(path=str(SCREENSHOTS / f"{name.split(':')[-1]}-{width}.png"), full_page=width == 390)
            context.close()
    assert not problems, "\n".join(problems)


#: The top bar on one line, its language choice showing its text, the favicon served.
HEADER = """() => {
  const bar = document.querySelector("header.navbar");
  const menu = bar.querySelector(".navbar-collapse");
  const language = bar.querySelector("select[name=language]");
  return {
    height: bar.getBoundingClientRect().height,
    overflow: menu.scrollWidth - menu.clientWidth,
    languageText: language.options[language.selectedIndex].text,
    languageCut: language.scrollWidth - language.clientWidth,
    languageRight: language.getBoundingClientRect().right,
    icon: document.querySelector("link[rel=icon]").href,
  };
}"""


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_admins_top_bar_stays_on_one_line_with_its_language_shown(
    transactional_db, live_server, chromium, settings, language
):
    from parkos.core.testing import World

    admin = World.build().users["operator_admin"]  # the longest menu, and a long user name
    context, page = browser_page(chromium, live_server, settings, admin, 1440, language)
    page.goto("/")
    measured = page.evaluate(HEADER)
    assert measured["height"] < 70, measured  # one line of menus
    assert measured["overflow"] <= 1, measured
    assert measured["languageRight"] <= 1440, measured
    assert measured["languageCut"] <= 2 and measured["languageText"] in ("English", "简体中文"), measured
    icon = page.request.get(measured["icon"])
    assert icon.status == 200 and "svg" in icon.headers["content-type"]
    context.close()


def test_the_print_view_prints_the_title_every_column_and_every_row(transactional_db, live_server, chromium, settings):
    load_demo(scale=SCALE)
    from parkos.core.permissions import Action
    from parkos.leasing.models import Lease

    manager = get_user_model().objects.get(username="manager")
    total = Lease.objects.restrict(manager, Action.VIEW).count()
    assert total > 25, "more rows than one page of the list"
    context, page = browser_page(chromium, live_server, settings, manager, 1440)
    page.goto(reverse("leasing:lease_list"))
    page.locator("#print-view").click()
    page.wait_for_load_state("load")
    page.emulate_media(media="print")
    printed = page.evaluate("""() => ({
      title: (document.querySelector(".page-title") || {}).offsetHeight || 0,
      headers: Array.from(document.querySelectorAll("table thead th")).map((th) => {
        const r = th.getBoundingClientRect();
        return { text: th.textContent.trim(), width: r.width, right: r.right };
      }),
      rows: document.querySelectorAll("table tbody tr").length,
      width: document.documentElement.clientWidth,
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      menu: getComputedStyle(document.querySelector("header.navbar")).display,
    })""")
    assert printed["title"] > 0, "the page title prints"
    assert printed["menu"] == "none", "the menus do not print"
    assert printed["rows"] == total, f"{printed['rows']} of {total} rows"
    assert len(printed["headers"]) >= 8, printed["headers"]
    hidden = [h["text"] for h in printed["headers"] if h["width"] == 0 or h["right"] > printed["width"] + 1]
    assert not hidden, f"columns cut off in print: {hidden}"
    assert printed["overflow"] <= 1
    page.screenshot(path=str(SCREENSHOTS / "lease_list-print.png"))
    context.close()
