"""Taking an article in (paste or file) and the review page: marks, escaping, defaults, permissions, queries."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from parkos.core.testing import World
from parkos.directory.models import Organization, OrganizationAlias, Person, Position
from parkos.intake.models import Article
from parkos.intake.tests.helpers import ARTICLE, make_article, staff_user, stand_in
from parkos.investment.models import Event

ADD_URL = "/intake/articles/add/"


@pytest.fixture
def world(db):
    return World.build()


@pytest.fixture
def officer(world):
    return staff_user(world)


@pytest.fixture
def client_for():
    def login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def extractor():
    with stand_in() as patched:
        yield patched


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in text.split("\n\n"):
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- taking in ----------------------------------------------------------------------------------------------


def test_pasted_text_is_stored_with_its_extraction_and_opens_the_review(world, officer, client_for):
    response = client_for(officer).post(ADD_URL, {"park": world.park["in"].pk, "text": ARTICLE})
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == article.get_review_url()
    assert article.title == "Xinwu District and Blue Harbour Semiconductor sign strategic cooperation agreement"
    assert article.language == "en"
    assert article.extraction["organizations"][0]["name"] == "Xinwu District Government"
    assert article.park == world.park["in"]


def test_the_given_title_wins_over_the_headline(world, officer, client_for):
    client_for(officer).post(ADD_URL, {"park": world.park["in"].pk, "text": ARTICLE, "title": "Xinwu signing"})
    assert Article.objects.get().title == "Xinwu signing"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("signing.txt", ARTICLE.encode("utf-8")),
        (
            "signing.html",
            (
                "<html><head><title>Xinwu</title><script>var tracker = 1;</script></head><body><nav>Home | News</nav>"
                "<article>" + "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n")) + "</article></body></html>"
            ).encode("utf-8"),
        ),
        ("signing.htm", f"<p>{ARTICLE}</p>".encode()),
        ("signing.docx", docx_bytes(ARTICLE)),
    ],
)
def test_each_file_type_is_read(world, officer, client_for, name, content):
    upload = SimpleUploadedFile(name, content)
    response = client_for(officer).post(ADD_URL, {"park": world.park["in"].pk, "file": upload})
    assert response.status_code == 302, response.context["form"].errors
    article = Article.objects.get()
    assert "Blue Harbour Semiconductor Co., Ltd." in article.text
    assert "tracker" not in article.text and "Home | News" not in article.text
    assert article.source_name == name
    assert article.file.name.endswith(name.rsplit(".", 1)[1])


def test_an_unreadable_file_is_refused_at_the_file_field_saying_why(world, officer, client_for):
    client = client_for(officer)
    broken = SimpleUploadedFile("signing.docx", b"PK\x03\x04 this is no word file")
    response = client.post(ADD_URL, {"park": world.park["in"].pk, "file": broken})
    assert response.status_code == 400
    assert "Word" in " ".join(response.context["form"].errors["file"])
    pdf = SimpleUploadedFile("signing.pdf", b"%PDF-1.4")
    response = client.post(ADD_URL, {"park": world.park["in"].pk, "file": pdf})
    assert response.status_code == 400
    assert "signing.pdf" in " ".join(response.context["form"].errors["file"])
    assert not Article.objects.exists()


def test_text_and_file_together_or_neither_are_refused(world, officer, client_for):
    client = client_for(officer)
    both = client.post(
        ADD_URL, {"park": world.park["in"].pk, "text": ARTICLE, "file": SimpleUploadedFile("a.txt", b"Other")}
    )
    assert both.status_code == 400
    assert set(both.context["form"].errors) >= {"text", "file"}
    neither = client.post(ADD_URL, {"park": world.park["in"].pk})
    assert neither.status_code == 400
    assert "text" in neither.context["form"].errors
    assert not Article.objects.exists()


def test_the_same_article_pasted_twice_is_the_same_article(world, officer, client_for):
    client = client_for(officer)
    client.post(ADD_URL, {"park": world.park["in"].pk, "text": ARTICLE})
    again = client.post(ADD_URL, {"park": world.park["in"].pk, "text": "  " + ARTICLE.replace("\n\n", "\n") + "\n"})
    article = Article.objects.get()
    assert again.status_code == 302
    assert again["Location"] == article.get_absolute_url()
    page = client.get(again["Location"])
    assert "taken in before" in page.content.decode()


def test_the_park_defaults_to_the_users_only_park(world, officer, client_for):
    form = client_for(officer).get(ADD_URL).context["form"]
    assert form["park"].value() == world.park["in"].pk
    assert list(form.fields["park"].queryset) == [world.park["in"]]


def test_another_parks_park_cannot_be_chosen(world, officer, client_for):
    response = client_for(officer).post(ADD_URL, {"park": world.park["out"].pk, "text": ARTICLE})
    assert response.status_code == 400
    assert "park" in response.context["form"].errors


# --- the review page ------------------------------------------------------------------------------------


def test_review_page_marks_the_spans_by_kind(world, officer, client_for):
    article = make_article(world)
    html = client_for(officer).get(article.get_review_url()).content.decode()
    assert '<mark class="mark-organization" data-kind="organization">Xinwu District Government</mark>' in html
    assert '<mark class="mark-person" data-kind="person">Zhang Wei</mark>' in html
    assert '<mark class="mark-figure" data-kind="figure">16 billion yuan</mark>' in html


def test_review_page_escapes_the_article_text_and_survives_bad_spans(world, officer, client_for):
    text = "Evil <script>alert('x')</script> & Blue Harbour Semiconductor Co., Ltd. signs\n\nMore."
    start = text.find("Blue Harbour")
    extraction = {
        "language": "en",
        "event": {"kind": "signing", "date": "--03-18", "title": "Evil"},
        "organizations": [
            {"name": "Blue Harbour Semiconductor Co., Ltd.", "kind": "enterprise", "span": [start, start + 36]},
            {"name": "Overlapping", "kind": "other", "span": [start + 2, start + 12]},
            {"name": "Backwards", "kind": "other", "span": [20, 10]},
            {"name": "Too far", "kind": "other", "span": [5, 5000]},
            {"name": "Not numbers", "kind": "other", "span": ["a", "b"]},
            {"name": "No span", "kind": "other"},
        ],
        "people": [{"name": "Nobody", "titles": "not a list", "organization": 7, "span": None}],
        "agreements": [{"kind": "weird", "parties": ["Unknown Co"], "signatories": [{"person": "Ghost"}]}],
        "figures": ["not a dict"],
        "industries": None,
    }
    article = make_article(world, text=text, extraction=extraction)
    response = client_for(officer).get(article.get_review_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp;" in html
    assert "<script>alert(" not in html
    assert html.count('data-kind="organization"') == 1
    assert (
        '<mark class="mark-organization" data-kind="organization">Blue Harbour Semiconductor Co., Ltd.</mark>' in html
    )
    assert "The article gives --03-18 without a year." in html


def test_review_defaults_link_exact_matches_by_alias_and_create_the_rest(world, officer):
    from parkos.intake.forms import ArticleReview

    blue = Organization.objects.create(name="Blue Harbour Semiconductor Group", kind="enterprise")
    OrganizationAlias.objects.create(organization=blue, name="blue harbour semiconductor co., ltd.")
    Organization.objects.create(name="Blue Harbour Semiconductor Co., Ltd. Suzhou Branch")
    zhang_elsewhere = Person.objects.create(name="Zhang Wei")
    Position.objects.create(person=zhang_elsewhere, organization=world.org["out"], title="Engineer")
    zhang = Person.objects.create(name="Zhang Wei")
    Position.objects.create(person=zhang, organization=blue, title="Chairman")
    article = make_article(world)
    review = ArticleReview(article, officer)
    government, blue_row, bank = review.organizations.forms
    assert government.initial["action"] == "create"
    assert blue_row.initial["action"] == "link" and blue_row.initial["link_to"] == blue.pk
    choices = [label for value, label in blue_row.fields["link_to"].choices if value]
    assert choices[0] == "Blue Harbour Semiconductor Group"  # the exact (alias) match before "contains"
    assert len(choices) == 2
    li, zhang_row = review.people.forms
    assert li.initial["action"] == "create"
    assert zhang_row.initial == {**zhang_row.initial, "action": "link", "link_to": zhang.pk, "organization": 1}
    labels = [label for value, label in zhang_row.fields["link_to"].choices if value]
    assert labels == ["Zhang Wei · Chairman · Blue Harbour Semiconductor Group", "Zhang Wei · Engineer · Org out Ltd"]
    (agreement,) = review.agreements.forms
    assert agreement.initial["parties"] == [0, 1]
    assert agreement.initial["signatory_0"] == 0 and agreement.initial["signatory_1"] == 1
    assert agreement.initial["title"].startswith("Strategic cooperation agreement: Xinwu District Government")
    assert review.event_form.initial["date"].isoformat() == "2026-03-18"


def test_event_link_offers_the_parks_events_nearest_the_date_first(world, officer):
    import datetime

    from parkos.intake.forms import ArticleReview

    for day in (1, 17, 28):
        Event.objects.create(title=f"Day {day}", date=datetime.date(2026, 3, day), park=world.park["in"])
    Event.objects.create(title="Elsewhere", date=datetime.date(2026, 3, 18), park=world.park["out"])
    review = ArticleReview(make_article(world), officer)
    labels = [label for value, label in review.event_form.fields["link_to"].choices if value]
    assert labels == ["2026-03-17 · Day 17", "2026-03-28 · Day 28", "2026-03-01 · Day 1"]


def test_year_less_date_takes_the_articles_year(world, officer):
    from parkos.intake.forms import ArticleReview

    text = "Signing in Xinwu\n\nThe 2025 plan was signed on March 18 in Xinwu, as planned in 2025."
    extraction = {"language": "en", "event": {"kind": "signing", "date": "--03-18", "title": "Signing in Xinwu"}}
    review = ArticleReview(make_article(world, text=text, extraction=extraction), officer)
    assert review.event_form.initial["date"].isoformat() == "2025-03-18"


def test_review_page_query_count_is_bounded(world, officer, client_for, django_assert_max_num_queries):
    blue = Organization.objects.create(name="Blue Harbour Semiconductor Co., Ltd.", kind="enterprise")
    zhang = Person.objects.create(name="Zhang Wei")
    Position.objects.create(person=zhang, organization=blue, title="Chairman")
    article = make_article(world)
    client = client_for(officer)
    client.get(article.get_review_url())  # warm the per-user caches
    # session, user, 2 × permissions, groups, the article, 2 × events, one per organization (3), and per person
    # (2) one for the candidates and one for their positions: 15 at most, one query per draft, none per candidate
    with django_assert_max_num_queries(15):
        response = client.get(article.get_review_url())
    assert response.status_code == 200


# --- who may --------------------------------------------------------------------------------------------


def test_staff_of_another_park_get_404(world, client_for):
    outsider = staff_user(world, "outsider", side="out")
    article = make_article(world)
    client = client_for(outsider)
    assert client.get(article.get_review_url()).status_code == 404
    assert client.post(article.get_review_url(), {}).status_code == 404
    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("role", ["government_partner", "enterprise_user", "park_manager", "service_staff"])
def test_roles_without_intake_get_403(world, client_for, role):
    user = world.users[role]
    article = make_article(world)
    client = client_for(user)
    assert client.get(article.get_review_url()).status_code == 403
    assert client.post(article.get_review_url(), {}).status_code == 403
    assert client.get(ADD_URL).status_code == 403
    assert client.post(ADD_URL, {"park": world.park["in"].pk, "text": ARTICLE}).status_code == 403
    assert client.get(reverse("intake:article_list")).status_code == 403
    assert not Article.objects.exclude(pk=article.pk).exists()


def test_detail_page_lists_the_records_from_the_article(world, officer, client_for):
    from parkos.intake.services import article_accept
    from parkos.intake.tests.test_accept import default_review

    article = make_article(world)
    article_accept(article=article, review=default_review(article, officer), user=officer)
    html = client_for(officer).get(article.get_absolute_url()).content.decode()
    assert "Records from this article" in html
    assert 'data-key="agreement:0"' in html
    assert 'data-key="organization:1"' in html
    assert "created" in html


def test_an_english_article_finds_the_organization_by_its_english_name(world, officer):
    from parkos.intake.forms import ArticleReview

    government = Organization.objects.create(
        name="新吴区人民政府", name_en="Xinwu District Government", kind="government"
    )
    article = make_article(world)
    review = ArticleReview(article, officer)
    row = review.organizations.forms[0]
    assert row.initial["action"] == "link" and row.initial["link_to"] == government.pk
