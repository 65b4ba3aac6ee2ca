"""Investment staff move a project with a card's "Move to…" on the project board, in a real browser.

Issue 13: the board sends one move form that the script copies into the card opened, not one per card.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from parkos.investment.models import Project, Stage
from parkos.parks.models import Park, ParkBrand

from .test_leasing import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "move-it-now-2026"


@pytest.fixture
def project(transactional_db):
    user = get_user_model().objects.create_user(username="li.na", password=PASSWORD)
    user.groups.add(Group.objects.get(name="investment_staff"))
    park = Park.objects.create(code="zj-ai", name="Zhangjiang AI Island", brand=ParkBrand.objects.create(code="zj"))
    user.parks.add(park)
    since = timezone.localdate() - datetime.timedelta(days=3)
    Project.objects.create(name="Lidar plant", park=park, stage=Stage.NEGOTIATING, stage_since=since)
    return Project.objects.create(name="Wafer test base", park=park, stage=Stage.LEAD, stage_since=since)


def test_staff_move_a_project_with_the_cards_move_form(page, project, problems):
    sign_in(page, "li.na", PASSWORD)
    page.goto("/investment/projects/board/")
    card = page.locator(f'.board-card[data-project="{project.pk}"]')
    expect(card).to_have_attribute("data-stage", "lead")
    expect(page.locator(".board-card .board-move-form")).to_have_count(0)  # only the page's template
    card.locator("summary").click()
    stage = card.get_by_label("Stage")
    stage.select_option("negotiating")
    card.get_by_role("button", name="Move").click()
    expect(card).to_have_attribute("data-stage", "negotiating")
    expect(page.locator('.board-column[data-stage="negotiating"] .board-card')).to_have_count(2)
    expect(page.locator('.board-column[data-stage="negotiating"] [data-count]')).to_have_text("2")
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING
    problems.assert_none()
