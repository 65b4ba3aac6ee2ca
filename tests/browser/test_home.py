"""Each role's home, on a phone in zh-Hans: its own queues, nothing wider than the screen, and a queue item that
opens its object."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from parkos.demo.generator import load_demo
from tests.browser.test_layout import browser_page

pytestmark = pytest.mark.browser

SCALE = 0.02

#: demo account -> the panels its home shows
HOMES = {
    "manager": ["leasing.parks", "leasing.expiring", "leasing.vacancies", "portal.proposals"],
    "service": ["services.mine", "services.unassigned", "services.overdue", "portal.proposals"],
    "evaluation": ["evaluation.appeals", "evaluation.runs", "evaluation.missing"],
    "investment": ["investment.pipeline", "investment.contacts", "investment.commitments"],
}


def test_each_role_lands_on_its_queues_on_a_phone(transactional_db, live_server, chromium, settings):
    load_demo(scale=SCALE)
    users = get_user_model().objects
    problems: list[str] = []
    for account, panels in HOMES.items():
        context, page = browser_page(chromium, live_server, settings, users.get(username=account), 390)
        page.goto("/")
        page.wait_for_load_state("load")
        shown = page.eval_on_selector_all("[data-panel]", "nodes => nodes.map(n => n.dataset.panel)")
        if shown != panels:
            problems.append(f"{account}: panels {shown}")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 1:
            problems.append(f"{account}: the home is {overflow} px wider than the phone")
        if "Needs attention" in page.content() or "My requests by deadline" in page.content():
            problems.append(f"{account}: English left on the zh-Hans home")
        item = page.locator("[data-panel] .list-group-item").first
        if item.count():
            href = item.get_attribute("href")
            item.click()
            page.wait_for_load_state("load")
            if not page.url.endswith(href):
                problems.append(f"{account}: the first queue item did not open {href}")
            elif page.locator("h1").count() == 0:
                problems.append(f"{account}: {href} shows no page title")
        else:
            problems.append(f"{account}: every queue is empty on the demo")
        context.close()
    assert not problems, "\n".join(problems)
