"""Articles from where they are published, against a local web server: one address, and a batch with progress;
and the directory's short forms and aliases in the review (a party is never proposed as new)."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from parkos.core.testing import World
from parkos.directory.models import Organization, OrganizationAlias
from parkos.intake import selectors, services
from parkos.intake.fetching import FetchError, fetch_article, main_text
from parkos.intake.forms import ArticleReview
from parkos.intake.models import Article, ArticleBatchItem
from parkos.intake.tests.helpers import review_data, staff_user

ARTICLE_PAGE = """<!doctype html><html><head><title>Fengxian and Lingang sign - Daily</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/about">About us and all our many sections</a></nav>
<div class="sidebar"><p><a href="/1">Most read: a very long headline of another story</a></p></div>
<div class="content"><h1>奉贤区与临港集团签署战略合作协议</h1>
<p>2026年4月2日，奉贤区人民政府与上海临港经济发展（集团）有限公司签署战略合作协议，双方将共建海湾智造园。</p>
<p>区政府副区长宋佳与临港集团总裁叶晨代表双方签约。根据协议，临港集团将投资200亿元建设园区。</p></div>
<footer><p>Copyright Daily. All rights reserved. Contact us for reprints and syndication.</p></footer>
<script>var tracking = "never part of the article";</script></body></html>"""
PAGES = {
    "/article": (200, "text/html; charset=utf-8", ARTICLE_PAGE.encode()),
    "/empty": (200, "text/html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>"),
    "/report.pdf": (200, "application/pdf", b"%PDF-1.7 ..."),
    "/big": (200, "text/html", b"<p>" + b"x" * 3000 + b"</p>"),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the http.server name)
        if self.path == "/slow":
            time.sleep(1.5)
        status, content_type, body = PAGES.get(self.path, (404, "text/html", b"<h1>Not found</h1>"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def world(db):
    return World.build()


@pytest.fixture
def officer(world):
    return staff_user(world)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- one address ----------------------------------------------------------------------------------------


def test_the_main_text_of_a_page_is_read_without_menus_sidebars_footers_or_scripts(site):
    fetched = fetch_article(f"{site}/article")
    assert fetched.text.startswith("奉贤区与临港集团签署战略合作协议")
    assert "代表双方签约" in fetched.text
    for noise in ("Home", "Most read", "Copyright", "tracking"):
        assert noise not in fetched.text
    assert fetched.title == "Fengxian and Lingang sign - Daily"


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/missing", "answered 404"),
        ("/empty", "holds no article"),
        ("/report.pdf", "application/pdf"),
    ],
)
def test_a_page_that_cannot_be_fetched_or_holds_no_article_says_why(site, path, words):
    with pytest.raises(FetchError, match=words):
        fetch_article(f"{site}{path}")


def test_the_fetch_gives_up_after_its_timeout_and_above_its_size_limit(site):
    with pytest.raises(FetchError, match="did not answer within"):
        fetch_article(f"{site}/slow", timeout=0.5)
    with pytest.raises(FetchError, match="larger than"):
        fetch_article(f"{site}/big", max_bytes=1024 * 1024 // 1024)
    with pytest.raises(FetchError, match="not a web address"):
        fetch_article("ftp://example.org/a.txt")
    with pytest.raises(FetchError, match="could not be fetched"):
        fetch_article("http://127.0.0.1:9/nothing", timeout=2)


def test_the_densest_block_is_the_article_when_the_page_has_no_article_element():
    text, _title = main_text(ARTICLE_PAGE)
    assert text.splitlines()[0] == "奉贤区与临港集团签署战略合作协议"


def test_an_article_is_taken_in_from_its_web_address_alone(world, officer, site):
    response = login(officer).post("/intake/articles/add/", {"park": world.park["in"].pk, "url": f"{site}/article"})
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == article.get_review_url()
    assert article.url == f"{site}/article" and "代表双方签约" in article.text
    assert article.source_name == "Fengxian and Lingang sign - Daily"


def test_a_web_address_that_fails_is_an_error_on_the_field(world, officer, site):
    response = login(officer).post("/intake/articles/add/", {"park": world.park["in"].pk, "url": f"{site}/empty"})
    assert response.status_code == 400
    assert "holds no article" in response.context["form"].errors["url"][0]
    assert not Article.objects.exists()


# --- a batch --------------------------------------------------------------------------------------------


def test_a_batch_of_addresses_and_files_is_read_in_the_background_with_its_progress(
    world, officer, site, django_capture_on_commit_callbacks
):
    client = login(officer)
    upload = SimpleUploadedFile("second.txt", b"Second article\n\nXinwu signed something with Acme.")
    with django_capture_on_commit_callbacks(execute=True):  # the task runs at once (ImmediateBackend in tests)
        response = client.post(
            "/intake/articles/batch/",
            {"park": world.park["in"].pk, "urls": f"{site}/article\n{site}/missing\n", "files": [upload]},
        )
    assert response.status_code == 302
    items = {item.name: item for item in ArticleBatchItem.objects.all()}
    assert items[f"{site}/article"].status == "done" and items[f"{site}/article"].article.url == f"{site}/article"
    assert items[f"{site}/missing"].status == "failed" and "404" in items[f"{site}/missing"].message
    assert items["second.txt"].status == "done"
    page = client.get(response["Location"])
    assert page.status_code == 200 and page.context["done"] == 3 and page.context["finished"]
    assert b'http-equiv="refresh"' not in page.content
    assert items[f"{site}/article"].article.get_review_url().encode() in page.content
    # the same article again is found, not taken in twice
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/intake/articles/batch/", {"park": world.park["in"].pk, "urls": f"{site}/article"})
    assert ArticleBatchItem.objects.order_by("-pk").first().status == "duplicate"
    assert Article.objects.count() == 2


def test_a_batch_still_waiting_refreshes_itself_and_is_only_its_creators(world, officer):
    batch = services.article_batch_create(
        user=officer, park=world.park["in"], urls=["https://example.org/a"], uploads=[]
    )
    page = login(officer).get(batch.get_absolute_url())
    assert page.context["done"] == 0 and b'http-equiv="refresh"' in page.content
    other = staff_user(world, "other")
    assert login(other).get(batch.get_absolute_url()).status_code == 404


def test_a_batch_line_that_is_no_web_address_is_refused_with_its_line(world, officer):
    response = login(officer).post(
        "/intake/articles/batch/", {"park": world.park["in"].pk, "urls": "https://a.org/x\nnot an address"}
    )
    assert response.status_code == 400 and "Line 2" in response.context["form"].errors["urls"][0]


# --- short forms against the directory ------------------------------------------------------------------


def test_a_short_form_links_to_the_organization_the_directory_holds_under_its_full_name(world, officer):
    lingang = Organization.objects.create(name="上海临港经济发展（集团）有限公司", kind="park_operator")
    [candidate] = selectors.organization_candidates("临港集团", officer)
    assert candidate == lingang and candidate.is_exact
    # and the other way round: the directory holds the short form, the article writes the full name
    hengyuan = Organization.objects.create(name="Hengyuan Group", kind="enterprise")
    found = selectors.organization_candidates("Shanghai Hengyuan Industrial Development (Group) Co., Ltd.", officer)
    assert found[0] == hengyuan and found[0].is_exact


def test_two_organizations_a_short_form_could_be_are_offered_not_linked(world, officer):
    Organization.objects.create(name="上海临港经济发展（集团）有限公司", kind="enterprise")
    Organization.objects.create(name="浙江临港控股集团有限公司", kind="enterprise")
    found = selectors.organization_candidates("临港集团", officer)
    assert len(found) == 2 and not any(o.is_exact for o in found)


def test_accepting_links_the_party_and_learns_the_short_form_as_an_alias(world, officer, site):
    lingang = Organization.objects.create(name="上海临港经济发展（集团）有限公司", kind="park_operator")
    article, _created = services.article_take_in(
        user=officer, park=world.park["in"], text=fetch_article(f"{site}/article").text
    )
    review = ArticleReview(article, officer, data=review_data(article, officer))
    assert review.is_valid(), review.errors()
    services.article_accept(article=article, review=review.review(), user=officer)
    assert Organization.objects.filter(name__contains="临港").count() == 1  # no new "临港集团"
    assert list(OrganizationAlias.objects.filter(organization=lingang).values_list("name", flat=True)) == ["临港集团"]
    # the next article writing only the short form finds it through the alias
    [candidate] = selectors.organization_candidates("临港集团", officer)
    assert candidate == lingang and candidate.is_exact
