"""Press intake in a real browser: paste an article, correct a name, accept, find the agreement with its parties.

The issue's words: "a browser test that pastes an article, corrects one name, accepts, and finds the agreement
with its parties." This runs the real extractor (parkos.intake.extraction.pipeline) on a short English
signing article; nothing but the user and the park is put in the database first.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from parkos.directory.models import Person
from parkos.intake.models import Article
from parkos.investment.models import Agreement
from parkos.parks.models import Park, ParkBrand
from tests.browser.test_agreements import panel, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "paste-read-accept-42"
GOVERNMENT = "Lakeside District People's Government"
COMPANY = "Harbin Maple Robotics Co., Ltd."
ARTICLE = f"""Lakeside Park signs investment agreement with Harbin Maple Robotics

On June 12, 2026, the {GOVERNMENT} and {COMPANY} signed an investment agreement in Lakeside. Zhou Min, \
Deputy District Governor of Lakeside District, and Sun Hao, president of {COMPANY}, signed the agreement \
on behalf of the two sides.

The project will invest 2.5 billion yuan in an industrial robot plant covering 120 mu.
"""


@pytest.fixture
def officer(transactional_db):
    """An investment officer assigned to one park."""
    user = get_user_model().objects.create_user(username="zhao.lei", password=PASSWORD)
    user.groups.add(Group.objects.get(name="investment_staff"))
    brand = ParkBrand.objects.create(code="lakeside", name="Lakeside")
    park = Park.objects.create(
        code="ls-ai", name="Lakeside AI Park", brand=brand, district="Lakeside", land_area=900_000
    )
    user.parks.add(park)
    return user


def test_paste_correct_a_name_accept_and_find_the_agreement(page, live_server, officer, problems, screenshot):
    sign_in(page, "zhao.lei", PASSWORD)

    # Take the article in: the list's Add button opens the paste page; the park is the officer's only one.
    page.goto("/intake/articles/")
    page.get_by_role("link", name="Add article", exact=True).click()
    expect(page).to_have_url(re.compile(r"/intake/articles/add/$"))
    expect(page.get_by_label("Park", exact=True)).to_have_value(str(officer.parks.get().pk))
    page.get_by_label("Article text", exact=True).fill(ARTICLE)
    page.get_by_role("button", name="Read and draft").click()

    # The review page: the article with its names marked, and the drafts beside it.
    article = Article.objects.get()
    expect(page).to_have_url(re.compile(rf"/intake/articles/{article.pk}/review/$"))
    text = page.locator("#article-text")
    expect(text.locator("mark.mark-organization").filter(has_text=COMPANY).first).to_be_visible()
    expect(text.locator("mark.mark-person").filter(has_text="Sun Hao").first).to_be_visible()
    expect(page.get_by_label("Date", exact=True)).to_have_value("2026-06-12")

    # Correct one name: the article wrote "Sun Hao", the person is Sun Haoran.
    person = page.locator('[data-section="people"] fieldset').filter(has=page.locator("legend", has_text="Sun Hao"))
    person.get_by_label("Name", exact=True).fill("Sun Haoran")
    # The first agreement is between the district government and the company, signed by Sun for the company.
    agreement_row = page.locator('[data-section="agreements"] fieldset').first
    expect(agreement_row.get_by_label(GOVERNMENT, exact=True)).to_be_checked()
    expect(agreement_row.get_by_label(COMPANY, exact=True)).to_be_checked()
    agreement_row.get_by_label("Sun Hao signed for", exact=True).select_option(label=COMPANY)
    screenshot("intake-review")
    page.get_by_role("button", name="Accept", exact=True).click()

    # Back on the article: what was created from it, each linked.
    expect(page).to_have_url(re.compile(rf"/intake/articles/{article.pk}/$"))
    expect(page.get_by_role("alert").first).to_contain_text("Accepted")
    records = page.locator("#article-records")
    expect(records.locator('[data-key="person:1"]')).to_contain_text("Sun Haoran")
    records.locator('[data-key="agreement:0"]').get_by_role("link").click()

    # The agreement, with its parties and the corrected signatory.
    agreement = Agreement.objects.get(pk=int(re.search(r"/agreements/(\d+)/", page.url).group(1)))
    expect(page.get_by_role("heading", name=agreement.title)).to_be_visible()
    parties = panel(page, "Parties")
    expect(parties.get_by_role("row").filter(has_text=GOVERNMENT)).to_contain_text("Government")
    expect(parties.get_by_role("row").filter(has_text=COMPANY)).to_contain_text("Investor")
    expect(panel(page, "Signatories")).to_contain_text("Sun Haoran")
    expect(page.locator('[data-field="status"]')).to_have_text("Signed")
    assert Person.objects.filter(name="Sun Haoran").count() == 1
    assert not Person.objects.filter(name="Sun Hao").exists()

    # Its history says where it came from.
    page.get_by_role("link", name="History", exact=True).click()
    expect(page.get_by_role("link", name=f"Article {article.pk}: {article.title}").first).to_be_visible()
    screenshot("intake-agreement-history")
    problems.assert_none()
