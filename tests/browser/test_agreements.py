"""Investment staff record a signing ceremony and follow the agreement signed at it, in a real browser.

Issue 3: a signing ceremony with five parties and two signatories, three commitments, progress on one
of them, and the agreement's implementation status changing as a result. Only the people, the park and
the organizations are put in the database first; everything else is typed and clicked as a person would,
including the search-as-you-type boxes (tom-select, fed by the API) for events, organizations and people.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from parkos.directory.models import Organization, Person, Position
from parkos.investment.models import Agreement, Commitment, Event, Party, Progress, Signatory
from parkos.parks.models import Park, ParkBrand

pytestmark = pytest.mark.browser

PASSWORD = "sign-here-and-here-42"

#: the five parties to the agreement, with the role each signs in
PARTIES = (
    ("Lingang District Government", "Government"),
    ("Blue Harbour Semiconductor Co., Ltd.", "Investor"),
    ("Lingang Park Development Co., Ltd.", "Park operator"),
    ("Pudong Industrial Fund", "Financier"),
    ("Shanghai Institute of Microsystems", "Partner"),
)


@pytest.fixture
def staff(transactional_db):
    """An investment officer assigned to one park; the parties' organizations and two people who sign."""
    user = get_user_model().objects.create_user(username="li.na", password=PASSWORD, first_name="Na", last_name="Li")
    user.groups.add(Group.objects.get(name="investment_staff"))
    brand = ParkBrand.objects.create(code="lingang", name="Lingang Science City")
    park = Park.objects.create(
        code="lg-ic", name="Lingang IC Park", brand=brand, district="Pudong", land_area=1_500_000
    )
    Park.objects.create(code="lg-other", name="Another Park", brand=brand, district="Pudong", land_area=900_000)
    user.parks.add(park)
    orgs = {name: Organization.objects.create(name=name) for name, _role in PARTIES}
    governor = Person.objects.create(name="Zhang Wei")
    Position.objects.create(person=governor, organization=orgs[PARTIES[0][0]], title="Deputy District Governor")
    chairman = Person.objects.create(name="Chen Jing")
    Position.objects.create(person=chairman, organization=orgs[PARTIES[1][0]], title="Chairman")
    return user


def sign_in(page, username: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def choose(page, label: str, text: str) -> None:
    """Pick a record in a search-as-you-type box: type its name, click the suggestion the API sends."""
    name = accessible_name(label)
    box = page.get_by_role("combobox", name=name)
    box.click()
    box.fill(text)
    page.get_by_role("listbox", name=name).get_by_role("option", name=text).click()


def chosen(page, label: str):
    """What a search-as-you-type box shows as chosen."""
    box = page.get_by_role("combobox", name=accessible_name(label))
    return page.locator(".ts-control").filter(has=box).locator(".item")


def accessible_name(label: str) -> re.Pattern:
    """A field's accessible name: its label, and the " *" that marks a required field."""
    return re.compile(rf"^{re.escape(label)}( \*)?$")


def panel(page, title: str):
    """A related-records card on a detail page, by its heading ("Parties 5")."""
    heading = page.get_by_role("heading", name=re.compile(rf"^{re.escape(title)}\b"))
    return page.locator(".card").filter(has=heading)


def implementation(page):
    return page.locator("#implementation [data-implementation]")


def test_signing_ceremony_agreement_commitments_and_progress(page, live_server, staff, problems, screenshot):
    today = timezone.localdate()
    signed_on = today - datetime.timedelta(days=3)
    sign_in(page, "li.na", PASSWORD)

    # The ceremony.
    page.goto("/investment/events/add/")
    page.get_by_label("Kind", exact=True).select_option(label="Signing ceremony")
    page.get_by_label("Title", exact=True).fill("Lingang IC signing ceremony")
    page.get_by_label("Date", exact=True).fill(signed_on.isoformat())
    page.get_by_label("Place", exact=True).fill("Dishui Lake Conference Centre")
    page.get_by_label("Park", exact=True).select_option(label="Lingang IC Park")
    choose(page, "Organizations present", "Blue Harbour Semiconductor Co., Ltd.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Created event")
    expect(page.get_by_role("heading", name="Lingang IC signing ceremony")).to_be_visible()
    expect(page.locator('[data-field="kind"]')).to_have_text("Signing ceremony")

    # The agreement, signed at that ceremony (a draft until its parties are in).
    page.goto("/investment/agreements/add/")
    page.get_by_label("Kind", exact=True).select_option(label="Investment agreement")
    page.get_by_label("Title", exact=True).fill("Blue Harbour 12-inch wafer fab investment agreement")
    page.get_by_label("Reference number", exact=True).fill("LG-2024-017")
    page.get_by_label("Park", exact=True).select_option(label="Lingang IC Park")
    choose(page, "Signed at", "Lingang IC signing ceremony")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Created agreement")
    agreement = Agreement.objects.get()
    agreement_url = re.compile(rf"/investment/agreements/{agreement.pk}/$")
    expect(page).to_have_url(agreement_url)
    expect(page.locator('[data-field="event"]')).to_have_text("Lingang IC signing ceremony")
    expect(page.locator('[data-field="status"]')).to_have_text("Draft")
    expect(implementation(page)).to_have_attribute("data-implementation", "none")

    # Five parties, each added from the agreement's Parties panel, which comes back to the agreement.
    for name, role in PARTIES:
        panel(page, "Parties").get_by_role("link", name="Add", exact=True).click()
        expect(chosen(page, "Agreement")).to_have_text("Blue Harbour 12-inch wafer fab investment agreement")
        choose(page, "Organization", name)
        page.get_by_label("Role", exact=True).select_option(label=role)
        page.get_by_role("button", name="Save").click()
        expect(page).to_have_url(agreement_url)
        expect(page.get_by_role("alert")).to_contain_text(f"Created party “{name} ({role})”")
    parties = panel(page, "Parties")
    expect(parties.get_by_role("heading")).to_have_text(re.compile(r"Parties\s+5"))
    for name, role in PARTIES:
        expect(parties.get_by_role("row").filter(has_text=name)).to_contain_text(role)

    # Two signatories: the form offers only this agreement's parties and fills in the title from the position.
    for person, party, title in (
        ("Zhang Wei", PARTIES[0][0], "Deputy District Governor"),
        ("Chen Jing", PARTIES[1][0], "Chairman"),
    ):
        panel(page, "Signatories").get_by_role("link", name="Add", exact=True).click()
        on_behalf = page.get_by_label("On behalf of", exact=True)
        expect(on_behalf.locator("option")).to_have_count(6)  # "---------" and the five parties
        on_behalf.select_option(label=f"{party} ({dict(PARTIES)[party]})")
        choose(page, "Person", person)
        page.get_by_role("button", name="Save").click()
        expect(page).to_have_url(agreement_url)
        expect(panel(page, "Signatories").get_by_role("row").filter(has_text=person)).to_contain_text(title)
    expect(panel(page, "Signatories").get_by_role("heading")).to_have_text(re.compile(r"Signatories\s+2"))

    # Signed.
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Status", exact=True).select_option(label="Signed")
    page.get_by_label("Signing date", exact=True).fill(signed_on.isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Saved agreement")
    expect(page.locator('[data-field="status"]')).to_have_text("Signed")
    expect(page.locator('[data-field="signed_on"]')).to_have_text(signed_on.isoformat())

    # Three commitments; the first try at the jobs one has a wrong unit and is refused at that field.
    commitments = (
        (
            "Blue Harbour Semiconductor Co., Ltd. (Investor)",
            "Investment amount",
            "Fab investment",
            "5000000000",
            "CNY",
            signed_on + datetime.timedelta(days=3 * 365),
        ),
        (
            "Blue Harbour Semiconductor Co., Ltd. (Investor)",
            "Jobs",
            "Jobs at the fab",
            "1200",
            "kg",
            signed_on + datetime.timedelta(days=2 * 365),
        ),
        (
            "Lingang Park Development Co., Ltd. (Park operator)",
            "Milestone",
            "Start of construction",
            "",
            "",
            today + datetime.timedelta(days=20),
        ),
    )
    for party, kind, description, target, unit, due in commitments:
        panel(page, "Commitments").get_by_role("link", name="Add", exact=True).click()
        page.get_by_label("Promised by", exact=True).select_option(label=party)
        page.get_by_label("Kind", exact=True).select_option(label=kind)
        page.get_by_label("Description", exact=True).fill(description)
        page.get_by_label("Target", exact=True).fill(target)
        page.get_by_label("Unit", exact=True).fill(unit)
        page.get_by_label("Due date", exact=True).fill(due.isoformat())
        page.get_by_role("button", name="Save").click()
        if unit == "kg":
            expect(page.locator('.field-error[data-field="unit"]')).to_have_text("Jobs is measured in jobs.")
            expect(page.get_by_role("alert")).to_contain_text("Please correct the fields marked below.")
            assert not Commitment.objects.filter(kind="jobs").exists()
            page.get_by_label("Unit", exact=True).fill("jobs")
            page.get_by_role("button", name="Save").click()
        expect(page).to_have_url(agreement_url)
        expect(page.get_by_role("alert")).to_contain_text(f"Created commitment “{description}")
    rows = panel(page, "Commitments").get_by_role("row")
    expect(rows.filter(has_text="Fab investment")).to_contain_text("5000000000 CNY")
    expect(rows.filter(has_text="Jobs at the fab")).to_contain_text("1200 jobs")
    expect(rows.filter(has_text="Start of construction")).to_contain_text("At risk")

    # The milestone is due within 30 days and not reached: the agreement is at risk.
    expect(implementation(page)).to_have_attribute("data-implementation", "at_risk")
    expect(implementation(page)).to_have_text("At risk")
    screenshot("agreement-at-risk")

    # Progress on the milestone; a date in the future is refused first.
    panel(page, "Commitments").get_by_role("link", name="Start of construction").click()
    expect(page.locator("#commitment-status [data-status]")).to_have_attribute("data-status", "at_risk")
    panel(page, "Progress records").get_by_role("link", name="Add", exact=True).click()
    page.get_by_label("As of", exact=True).fill((today + datetime.timedelta(days=1)).isoformat())
    page.get_by_label("Source", exact=True).select_option(label="Site visit")
    page.get_by_label("Note", exact=True).fill("Ground broken, piling rigs on site")
    page.get_by_role("button", name="Save").click()
    expect(page.locator('.field-error[data-field="date"]')).to_have_text(
        "Progress is recorded as of today or an earlier date."
    )
    assert not Progress.objects.exists()
    page.get_by_label("As of", exact=True).fill(today.isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Created progress record")
    expect(page.locator("#commitment-status [data-status]")).to_have_attribute("data-status", "met")
    expect(page.locator("#commitment-status")).to_contain_text(re.compile(rf"Met on\s*{today.isoformat()}"))

    # Back on the agreement: the milestone is met, the other two are on track, and so is the agreement.
    page.get_by_role("link", name="Blue Harbour 12-inch wafer fab investment agreement").first.click()
    expect(page).to_have_url(agreement_url)
    expect(implementation(page)).to_have_attribute("data-implementation", "on_track")
    expect(implementation(page)).to_have_text("On track")
    expect(page.locator("#implementation")).to_contain_text("Met 1")
    expect(page.locator("#implementation")).to_contain_text("On track 2")
    expect(rows.filter(has_text="Start of construction")).to_contain_text("Met")
    screenshot("agreement-on-track")

    # What the pages saved is what was typed.
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED and agreement.event == Event.objects.get()
    assert Party.objects.filter(agreement=agreement).count() == 5
    assert sorted(Signatory.objects.values_list("title", flat=True)) == ["Chairman", "Deputy District Governor"]
    assert Commitment.objects.get(kind="jobs").unit == "jobs"
    problems.assert_none()
