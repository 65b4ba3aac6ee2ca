"""Accepting an article: what it creates and links, the history it leaves, and that twice makes nothing twice."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from parkos.core.models import ObjectChange
from parkos.core.testing import World
from parkos.directory.models import Organization, OrganizationAlias, Person, Position
from parkos.intake import services
from parkos.intake.forms import ArticleReview
from parkos.intake.models import Article, ArticleRecord
from parkos.intake.tests.helpers import make_article, review_data, staff_user
from parkos.investment.models import Agreement, Event, Party, Signatory


def default_review(article, user, **changes) -> services.Review:
    """The review a person who changes nothing (except ``changes``) would hand in."""
    review = ArticleReview(article, user, data=review_data(article, user, **changes))
    assert review.is_valid(), review.errors()
    return review.review()


def counts() -> dict[str, int]:
    """Rows of every ParkOS model and of the change log."""
    models = [m for m in apps.get_models() if m.__module__.startswith("parkos.")]
    return {m._meta.label: m._base_manager.count() for m in models}


@pytest.fixture
def world(db):
    return World.build()


@pytest.fixture
def officer(world):
    return staff_user(world)


@pytest.fixture
def client(officer):
    client = Client()
    client.force_login(officer)
    return client


def test_accept_creates_the_event_agreement_parties_signatories_organizations_people_and_positions(world, officer):
    article = make_article(world)
    result = services.article_accept(article=article, review=default_review(article, officer), user=officer)

    event = Event.objects.get()
    assert (event.title, event.date, event.kind, event.park) == (
        article.title,
        datetime.date(2026, 3, 18),
        "signing",
        world.park["in"],
    )
    assert "Total investment: 16,000,000,000 CNY (16 billion yuan)" in event.description
    government = Organization.objects.get(name="Xinwu District Government")
    blue = Organization.objects.get(name="Blue Harbour Semiconductor Co., Ltd.")
    bank = Organization.objects.get(name="Wuxi Rural Commercial Bank")
    assert (government.kind, blue.kind, bank.kind) == ("government", "enterprise", "financial")
    li, zhang = Person.objects.get(name="Li Qian"), Person.objects.get(name="Zhang Wei")
    assert Position.objects.get(person=li).title == "Party Secretary of Xinwu District"
    assert Position.objects.get(person=li).organization == government
    assert Position.objects.get(person=zhang).organization == blue
    assert set(event.attendees.all()) == {li, zhang}
    assert set(event.organizations.all()) == {government, blue, bank}

    agreement = Agreement.objects.get()
    assert agreement.kind == "strategic"
    assert agreement.park == world.park["in"] and agreement.event == event
    assert agreement.signed_on == datetime.date(2026, 3, 18)
    assert agreement.status == "signed"
    assert agreement.cooperation_fields == ["integrated circuits", "new energy vehicles"]
    assert agreement.summary.splitlines() == [article.title, "Total investment: 16,000,000,000 CNY (16 billion yuan)"]
    parties = {p.organization: p.role for p in Party.objects.filter(agreement=agreement)}
    assert parties == {government: "government", blue: "investor"}
    signatories = {(s.person, s.party.organization, s.title) for s in Signatory.objects.all()}
    assert signatories == {
        (li, government, "Party Secretary of Xinwu District"),
        (zhang, blue, "chairman"),
    }

    article.refresh_from_db()
    assert article.status == "accepted" and article.accepted_by == officer and article.accepted_at
    assert result.event == event and result.agreements == [agreement]
    keys = set(ArticleRecord.objects.filter(article=article).values_list("key", flat=True))
    assert keys == {
        "event",
        "organization:0",
        "organization:1",
        "organization:2",
        "person:0",
        "person:1",
        "position:0",
        "position:1",
        "agreement:0",
        "party:0:0",
        "party:0:1",
        "signatory:0:0",
        "signatory:0:1",
    }
    assert not ArticleRecord.objects.filter(created_new=False).exists()


def test_every_record_shows_in_its_history_that_it_came_from_the_article(world, officer):
    article = make_article(world)
    services.article_accept(article=article, review=default_review(article, officer), user=officer)
    for record in ArticleRecord.objects.filter(article=article):
        change = ObjectChange.objects.get(
            changed_object_type=record.content_type, changed_object_id=record.object_id, action="create"
        )
        assert change.source == "intake"
        assert change.user == officer
        assert change.origin == f"Article {article.pk}: {article.title}"
        assert change.origin_url == article.get_absolute_url()
    agreement = Agreement.objects.get()
    client = Client()
    client.force_login(officer)
    history = client.get(f"/investment/agreements/{agreement.pk}/history/").content.decode()
    assert "press intake" in history and f'href="{article.get_absolute_url()}"' in history


def test_accepting_the_same_article_twice_creates_nothing_twice(world, officer):
    article = make_article(world)
    services.article_accept(article=article, review=default_review(article, officer), user=officer)
    before = counts()
    article.refresh_from_db()
    result = services.article_accept(article=article, review=default_review(article, officer), user=officer)
    assert counts() == before
    assert result.created == [] and result.linked == []


def test_accepting_twice_through_the_page_creates_nothing_twice(world, officer, client):
    article = make_article(world)
    first = client.post(article.get_review_url(), review_data(article, officer))
    assert first.status_code == 302
    before = counts()
    second = client.post(article.get_review_url(), review_data(article, officer), follow=True)
    assert second.redirect_chain[-1][1] == 302
    assert counts() == before
    assert "Nothing new: every record of this article was made or linked before." in second.content.decode()


def test_a_second_accept_adds_what_was_dropped_the_first_time(world, officer):
    article = make_article(world)
    dropped = default_review(article, officer, **{"organizations-2-action": "drop"})
    services.article_accept(article=article, review=dropped, user=officer)
    assert not Organization.objects.filter(name="Wuxi Rural Commercial Bank").exists()
    services.article_accept(article=article, review=default_review(article, officer), user=officer)
    assert Organization.objects.filter(name="Wuxi Rural Commercial Bank").count() == 1
    assert Agreement.objects.count() == 1 and Event.objects.count() == 1


def test_an_organization_is_linked_through_its_alias(world, officer):
    blue = Organization.objects.create(name="蓝港半导体有限公司", kind="enterprise")
    OrganizationAlias.objects.create(organization=blue, name="Blue Harbour Semiconductor Co., Ltd.")
    article = make_article(world)
    services.article_accept(article=article, review=default_review(article, officer), user=officer)
    assert not Organization.objects.filter(name="Blue Harbour Semiconductor Co., Ltd.").exists()
    assert Party.objects.get(organization=blue).role == "investor"
    record = ArticleRecord.objects.get(article=article, key="organization:1")
    assert (record.object_id, record.created_new) == (blue.pk, False)
    # linking does not write to the linked organization, so its history has no intake change
    blue_type = ContentType.objects.get_for_model(Organization)
    assert not ObjectChange.objects.filter(changed_object_type=blue_type, changed_object_id=blue.pk, source="intake")


def test_of_two_people_sharing_a_name_the_one_at_the_organization_is_linked(world, officer):
    blue = Organization.objects.create(name="Blue Harbour Semiconductor Co., Ltd.", kind="enterprise")
    other = Person.objects.create(name="Zhang Wei")
    Position.objects.create(person=other, organization=world.org["out"], title="Professor")
    chairman = Person.objects.create(name="Zhang Wei")
    Position.objects.create(person=chairman, organization=blue, title="chairman")
    article = make_article(world)
    services.article_accept(article=article, review=default_review(article, officer), user=officer)
    assert Person.objects.filter(name="Zhang Wei").count() == 2
    signatory = Signatory.objects.get(person__name="Zhang Wei")
    assert signatory.person == chairman
    assert Position.objects.filter(person=chairman).count() == 1  # already holds "chairman" there
    assert ArticleRecord.objects.get(key="position:1").created_new is False
    assert ArticleRecord.objects.get(key="person:1").created_new is False


def test_a_linked_person_gets_a_new_title_as_a_position(world, officer):
    blue = Organization.objects.create(name="Blue Harbour Semiconductor Co., Ltd.", kind="enterprise")
    zhang = Person.objects.create(name="Zhang Wei")
    Position.objects.create(person=zhang, organization=blue, title="President")
    article = make_article(world)
    services.article_accept(article=article, review=default_review(article, officer), user=officer)
    assert set(Position.objects.filter(person=zhang).values_list("title", flat=True)) == {"President", "chairman"}


def test_a_corrected_name_is_what_is_recorded(world, officer):
    article = make_article(world)
    review = default_review(article, officer, **{"people-1-name": "Zhang Weiguo", "event-place": "Wuxi"})
    services.article_accept(article=article, review=review, user=officer)
    assert Person.objects.filter(name="Zhang Weiguo").exists()
    assert not Person.objects.filter(name="Zhang Wei").exists()
    assert Event.objects.get().place == "Wuxi"


def test_dropped_items_are_left_out(world, officer):
    article = make_article(world)
    review = default_review(
        article,
        officer,
        **{"people-0-action": "drop", "figures-0-keep": None, "industries-1-keep": None, "event-action": "drop"},
    )
    services.article_accept(article=article, review=review, user=officer)
    assert not Person.objects.filter(name="Li Qian").exists()
    assert not Event.objects.exists()
    agreement = Agreement.objects.get()
    assert agreement.status == "draft" and agreement.signed_on is None  # no event, no date
    assert agreement.fields_of_cooperation == "integrated circuits"
    assert "16 billion" not in agreement.summary
    assert [s.person.name for s in Signatory.objects.all()] == ["Zhang Wei"]


def test_linking_to_an_existing_event_uses_its_date(world, officer):
    event = Event.objects.create(title="Spring signing", date=datetime.date(2026, 3, 19), park=world.park["in"])
    article = make_article(world)
    review = default_review(article, officer, **{"event-action": "link", "event-link_to": str(event.pk)})
    services.article_accept(article=article, review=review, user=officer)
    assert Event.objects.count() == 1
    assert Agreement.objects.get().event == event and Agreement.objects.get().signed_on == event.date
    assert event.attendees.count() == 2


def test_an_error_in_one_row_writes_nothing_and_names_the_row(world, officer, client):
    article = make_article(world)
    before = counts()
    data = review_data(article, officer, **{"people-1-action": "link", "people-1-link_to": None})
    response = client.post(article.get_review_url(), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "People, row 2: Link to: Choose the person to link to." in html
    assert counts() == before


def test_an_event_to_create_needs_its_date(world, officer, client):
    article = make_article(world)
    response = client.post(article.get_review_url(), review_data(article, officer, **{"event-date": None}))
    assert response.status_code == 400
    assert "Event: Date: Give the event" in response.content.decode()
    assert not Event.objects.exists()


def test_a_failure_half_way_rolls_everything_back(world, officer):
    article = make_article(world)
    review = default_review(article, officer)
    review.event.date = None  # organizations and people are written before the event fails its validation
    before = counts()
    with pytest.raises(ValidationError):
        services.article_accept(article=article, review=review, user=officer)
    assert counts() == before


def test_a_signatory_must_sign_for_a_ticked_party(world, officer, client):
    article = make_article(world)
    data = review_data(article, officer, **{"agreements-0-signatory_0": "2"})
    response = client.post(article.get_review_url(), data)
    assert response.status_code == 400
    assert "Agreements, row 1:" in response.content.decode()


def test_accept_needs_the_add_permission_and_the_article_in_scope(world, officer):
    article = make_article(world)
    review = default_review(article, officer)
    outsider = staff_user(world, "outsider", side="out")
    with pytest.raises(PermissionDenied):
        services.article_accept(article=article, review=review, user=outsider)
    manager = staff_user(world, "manager", role="park_manager")
    with pytest.raises(PermissionDenied):
        services.article_accept(article=article, review=review, user=manager)
    assert not Agreement.objects.exists()
    assert Article.objects.get().status == "drafted"
