"""Every page in the user's language (issue 13): no English UI text in zh-Hans, no Chinese in English.

Loads the demo at a small scale and walks it as every demo role, in zh-Hans and in English, with one
client per role and language: the pages without arguments, the list, detail and history page of one
object of every model the role may see, and the links found on those pages, one page per URL name.

What is checked is the visible text outside data: scripts, styles, <code> blocks, form fields'
contents (<textarea>), tags and attribute values are stripped, and so are the data values themselves
(every text value in the database: names of organizations, people and parks, codes, e-mails, URLs,
the Chinese in JSON fields such as a scheme's sources; English in JSON is not data, so a scheme's
labels shown untranslated in zh-Hans fail) and the import headers the sources use.

The strings of the charts' data blocks (legends, series and axis names) count as visible text.

- zh-Hans: a run of two or more English words fails when two of its words are UI words (UI_WORDS)
  or when it holds a msgid of the catalogue (a translatable text left untranslated, or text that
  never went through gettext but reads like one).
- English: a run of Chinese characters fails unless it is part of a data value.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from parkos.core.views.generic import _views_by_model
from parkos.demo.generator import DEMO_ACCOUNTS, load_demo

pytestmark = pytest.mark.django_db

SCALE = 0.02
#: pages per role and language at most (one per URL name)
MAX_PAGES = 400
SKIP_PREFIXES = ("/admin/", "/api/", "/i18n/", "/logout", "/accounts/", "/static/", "/media/", "/__")
#: links that are downloads or actions, not pages
SKIP_URL_PARTS = ("export=", "/export", "/download", ".xlsx", ".csv", ".json", ".pdf", "/delete/", "format=")

HIDDEN = re.compile(
    r"<script[^>]*>.*?</script>|<style[^>]*>.*?</style>|<code[^>]*>.*?</code>|<pre[^>]*>.*?</pre>"
    r"|<svg[^>]*>.*?</svg>|<template[^>]*>.*?</template>|<textarea[^>]*>.*?</textarea>|<!--.*?-->",
    re.S | re.I,
)
TAG = re.compile(r"<[^>]+>")
HREF = re.compile(r'href="([^"#]*)"')
WORD = r"[A-Za-z][A-Za-z'’-]*"
ENGLISH_RUN = re.compile(rf"{WORD}(?:[ \t]+{WORD})+")
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
#: English words that are names in both languages: products, formats, units, currency codes
NAMES = {
    "parkos", "api", "csv", "xlsx", "json", "geojson", "pdf", "excel", "openapi", "swagger", "html", "docx", "txt",
    "cny", "usd", "eur", "hkd", "kwh", "tce", "id", "url", "srdi", "gb", "t", "iso", "utc", "m", "km", "rmb",
}  # fmt: skip
#: words that only the interface uses: two of them in one English run in zh-Hans is English UI text
UI_WORDS = {
    "add", "edit", "delete", "save", "cancel", "search", "filter", "filters", "export", "import", "list", "history",
    "details", "detail", "status", "name", "date", "total", "next", "previous", "page", "of", "the", "and", "no",
    "yes", "none", "results", "show", "all", "view", "new", "back", "more", "due", "last", "rows", "per", "mean",
    "median", "hours", "days", "score", "grade", "rank", "nothing", "here", "matches", "open", "closed", "since",
    "to", "from", "by", "in", "on", "at", "for", "with", "without", "is", "are", "was", "not", "yet", "this", "that",
    "your", "my", "you", "a", "an", "or", "value", "values", "change", "changes", "changed", "created",
    "updated", "records", "record", "file", "check", "run", "runs", "figures", "report", "print", "home", "menu",
    "period", "year", "month", "week", "today", "overdue", "risk", "met", "contact", "progress", "target",
}  # fmt: skip
#: Chinese shown in English on purpose: the language selector offers Chinese in Chinese
CJK_ALLOWED = {"中文", "简体中文", "繁體中文"}


def visible_text(page: str) -> str:
    return html.unescape(TAG.sub("\n", HIDDEN.sub("\n", page)))


CHART_DATA = re.compile(r'<script id="[\w-]*charts"[^>]*>(.*?)</script>', re.S)


def chart_text(page: str) -> str:
    """The strings of the charts' data blocks (json_script "...-charts"): legends, series and axis names."""
    found: list[str] = []

    def strings(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                strings(item)
        elif isinstance(value, list):
            for item in value:
                strings(item)

    for block in CHART_DATA.findall(page):
        try:
            strings(json.loads(html.unescape(block)))
        except ValueError:
            continue
    return "\n".join(found)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z][a-z'’-]*", text.lower())


def catalogue_msgids() -> set[tuple[str, ...]]:
    """The English msgids of two words or more, as word tuples (placeholders and markup dropped)."""
    path = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    found: set[tuple[str, ...]] = set()
    for match in re.finditer(r'^msgid "(.*)"\n((?:".*"\n)*)', path.read_text(encoding="utf-8"), re.M):
        text = match.group(1) + "".join(re.findall(r'"(.*)"', match.group(2)))
        text = re.sub(r"%\(\w+\)[sdfr]|%[sdf]|\{\w*\}|<[^>]+>", " | ", text)
        for part in text.split(" | "):
            words = tuple(w for w in _words(part) if w not in NAMES)
            if len(words) >= 2:
                found.add(words)
    return found


class DataIndex:
    """Every text value in the database, as English word pairs and Chinese runs: what a page may show as data."""

    def __init__(self) -> None:
        pairs: set[tuple[str, str]] = set()
        cjk: set[str] = set()
        blobs: list[str] = []
        for model in apps.get_models():
            fields = [
                f
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.choices
            ]
            if not fields:
                continue
            rows = model._default_manager.values_list(*[f.attname for f in fields]).iterator()
            for row in rows:
                for f, value in zip(fields, row, strict=True):
                    if value in (None, ""):
                        continue
                    if isinstance(f, models.JSONField):
                        # Chinese names in JSON (a scheme's sources) are data; its English labels are not, so
                        # a label shown untranslated in zh-Hans fails
                        self._add(json.dumps(value, ensure_ascii=False), set(), cjk, blobs)
                    else:
                        self._add(value, pairs, cjk, blobs)
        from parkos.evaluation import layouts

        headers = [*layouts.CREDIT_CODE_HEADERS, *layouts.YEAR_HEADERS, *layouts.PARK_HEADERS, *layouts.NAME_HEADERS]
        for layout in layouts.LAYOUTS.values():
            for column in layout.columns:
                headers += column.headers
        for header in headers:
            self._add(header, pairs, cjk, blobs)
        self.pairs, self.cjk, self.blob = pairs, cjk, "\n".join(blobs)

    @staticmethod
    def _add(text: str, pairs: set, cjk: set, blobs: list) -> None:
        words = _words(text)
        pairs.update(zip(words, words[1:], strict=False))
        runs = CJK_RUN.findall(text)
        if runs:
            cjk.update(runs)
            blobs.append("".join(runs))

    def english_is_data(self, words: list[str]) -> bool:
        return all(pair in self.pairs for pair in zip(words, words[1:], strict=False))

    def chinese_is_data(self, run: str) -> bool:
        return run in self.cjk or run in CJK_ALLOWED or run in self.blob


def english_offences(text: str, data: DataIndex, msgids: set[tuple[str, ...]]) -> list[str]:
    found = []
    for match in ENGLISH_RUN.finditer(text):
        words = [w for w in _words(match.group(0)) if w not in NAMES]
        if len(words) < 2 or data.english_is_data(words):
            continue
        ui = sum(w in UI_WORDS for w in words)
        sub = {tuple(words[i:j]) for i in range(len(words)) for j in range(i + 2, min(len(words), i + 12) + 1)}
        if ui >= 2 or sub & msgids:
            found.append(match.group(0).strip())
    return found


def chinese_offences(text: str, data: DataIndex) -> list[str]:
    return [run for run in CJK_RUN.findall(text) if not data.chinese_is_data(run)]


def url_name(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name


def seeds(user) -> list[str]:
    """The pages without arguments and one object's list, detail and history page per model the user sees."""
    from parkos.core.tests.test_navigation_reach import url_names_without_arguments

    urls = [reverse(name) for name in url_names_without_arguments()]
    for model, views in sorted(_views_by_model.items(), key=lambda item: item[0]._meta.label):
        urls.append(reverse(model.url_name("list")))
        try:
            obj = views.queryset(user).order_by("pk").last()
        except Exception:  # noqa: BLE001 - a role without the permission: the walk meets its 403
            obj = None
        if obj is not None:
            urls.append(reverse(model.url_name(), kwargs={"pk": obj.pk}))
            urls.append(reverse(model.url_name("history"), kwargs={"pk": obj.pk}))
    return urls


def walk(client: Client, start: list[str]) -> dict[str, str]:
    """url -> page text: the start pages and the links met, one page per URL name, breadth first."""
    pages: dict[str, str] = {}
    seen_names: set[str] = set()
    queue = deque(start)
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        if url.startswith(SKIP_PREFIXES) or any(part in url for part in SKIP_URL_PARTS):
            continue
        name = url_name(url)
        if name is None or name in seen_names or name.startswith(("admin:", "api")):
            continue
        seen_names.add(name)
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        page = response.content.decode()
        pages[url] = page
        for link in HREF.findall(page):
            link = html.unescape(link)
            if link.startswith("/") and not link.startswith("//"):
                queue.append(link)
    return pages


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # noqa: ARG001
    from django.contrib.auth import get_user_model
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo(scale=SCALE)
            users = {a.role: get_user_model().objects.get(username=a.username) for a in DEMO_ACCOUNTS}
            yield users, DataIndex(), catalogue_msgids()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_speaks_the_users_language(demo, language, settings, django_db_blocker, request):
    users, data, msgids = demo
    problems: list[str] = []
    read = 0
    started = time.monotonic()
    # the test client leaves the last request's language active: the tests after this one expect the default
    request.addfinalizer(lambda: translation.activate(settings.LANGUAGE_CODE))
    with django_db_blocker.unblock():
        for role, user in users.items():
            client = Client(HTTP_ACCEPT_LANGUAGE=language)
            client.force_login(user)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            pages = walk(client, seeds(user))
            read += len(pages)
            for url, page in pages.items():
                text = visible_text(page) + "\n" + chart_text(page)
                found = english_offences(text, data, msgids) if language == "zh-hans" else chinese_offences(text, data)
                if found:
                    problems.append(f"{role} {url}: {sorted(set(found))[:4]}")
    assert read > 50, read
    assert not problems, f"{len(problems)} pages ({read} read in {time.monotonic() - started:.0f} s):\n" + "\n".join(
        problems
    )


def test_the_checks_tell_ui_text_from_data():
    class Data(DataIndex):
        def __init__(self) -> None:
            pairs: set = set()
            cjk: set = set()
            blobs: list = []
            for text in ("Acme Holdings Ltd", "张江高科技园区", "Quarterly meeting with the district"):
                self._add(text, pairs, cjk, blobs)
            self.pairs, self.cjk, self.blob = pairs, cjk, "\n".join(blobs)

    data = Data()
    msgids = {("mean", "hours", "to", "respond")}
    page = "<p>企业 Acme Holdings Ltd · 平均 Mean hours to respond</p><script>var a = 'Show all rows';</script>"
    assert english_offences(visible_text(page), data, msgids) == ["Mean hours to respond"]
    assert english_offences("Quarterly meeting with the district · CNY 万元 · ParkOS API", data, msgids) == []
    assert english_offences("Grade boundaries: the rest", data, set()) == []  # one UI word per run at most
    assert english_offences("Show all of the rows", data, set()) == ["Show all of the rows"]
    assert chinese_offences("Park 张江高科技园区 · 中文 · 总投资", data) == ["总投资"]
