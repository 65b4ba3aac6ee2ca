"""Press intake from where the article is published (issue 18): a web address served by a local web server, read by
the server, reviewed in the browser and accepted, and the directory's organization written in short form is linked,
not made again."""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from parkos.directory.models import Organization, OrganizationAlias
from parkos.intake.models import Article
from parkos.investment.models import Agreement
from parkos.parks.models import Park, ParkBrand
from tests.browser.test_agreements import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "fetch-review-accept-42"
LINGANG = "上海临港经济发展（集团）有限公司"
PAGE = f"""<!doctype html><html><head><meta charset="utf-8"><title>奉贤区与临港集团签约 - 奉贤报</title></head><body>
<nav><a href="/">首页</a> <a href="/news">新闻</a></nav>
<article><h1>奉贤区与临港集团签署战略合作协议</h1>
<p>2026年4月2日，奉贤区人民政府与{LINGANG}签署战略合作协议，双方将共建海湾智造园。</p>
<p>区政府副区长宋佳与临港集团总裁叶晨代表双方签约。根据协议，临港集团将投资200亿元建设园区。</p></article>
<footer>版权所有</footer></body></html>""".encode()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the http.server name)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args):
        pass


@pytest.fixture
def newspaper():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/news/2026/0402.html"
    server.shutdown()
    server.server_close()


@pytest.fixture
def officer(transactional_db):
    user = get_user_model().objects.create_user(username="gu.chen", password=PASSWORD)
    user.groups.add(Group.objects.get(name="investment_staff"))
    brand = ParkBrand.objects.create(code="bay", name="Bay")
    park = Park.objects.create(code="bay-1", name="海湾智造园", brand=brand, district="Fengxian", land_area=5_800_000)
    user.parks.add(park)
    return user


def test_an_article_from_a_web_address_is_reviewed_and_accepted_without_a_duplicate_organization(
    page, live_server, officer, newspaper, problems, screenshot
):
    lingang = Organization.objects.create(name=LINGANG, kind="park_operator")
    sign_in(page, "gu.chen", PASSWORD)

    page.goto("/intake/articles/add/")
    page.get_by_label("Web address", exact=True).fill(newspaper)
    page.get_by_role("button", name="Read and draft").click()

    article = Article.objects.get()
    expect(page).to_have_url(re.compile(rf"/intake/articles/{article.pk}/review/$"))
    assert article.url == newspaper and "首页" not in article.text
    expect(page.locator("#article-text")).to_contain_text("代表双方签约")

    # the operator the article names in full and as 临港集团 is one draft, linked to the directory's organization
    row = page.locator('[data-section="organizations"] fieldset').filter(has=page.locator("legend", has_text=LINGANG))
    expect(row.get_by_label("Action", exact=True)).to_have_value("link")
    expect(row.get_by_label("Link to", exact=True)).to_have_value(str(lingang.pk))
    expect(row.get_by_label("Also written as", exact=True)).to_have_value("临港集团")
    expect(
        page.locator('[data-section="organizations"] legend').filter(has_text=re.compile("^\\d+\\. 临港集团$"))
    ).to_have_count(0)
    screenshot("intake-url-review")
    page.get_by_role("button", name="Accept", exact=True).click()

    expect(page).to_have_url(re.compile(rf"/intake/articles/{article.pk}/$"))
    expect(page.get_by_role("alert").first).to_contain_text("Accepted")
    assert Organization.objects.filter(name__contains="临港").count() == 1
    assert OrganizationAlias.objects.filter(organization=lingang, name="临港集团").exists()
    agreement = Agreement.objects.get()
    assert set(agreement.parties.values_list("organization__name", flat=True)) == {"奉贤区人民政府", LINGANG}
    assert set(agreement.signatories.values_list("person__name", flat=True)) == {"宋佳", "叶晨"}
    problems.assert_none()
