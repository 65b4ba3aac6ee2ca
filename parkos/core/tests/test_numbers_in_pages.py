"""Every page people read shows numbers and times through the formatting layer (STYLE rule 19).

Loads the demo at a small scale and fetches, as the operator admin in zh-Hans and in English, every
page without arguments and the list, detail and history page of every model. The visible text (tags,
attributes and JSON data blocks stripped) must hold no raw decimal ("14421000000.00", "2532910.21")
and no UTC timestamp ("16:30:41.074147", "+00:00", "2026-12-06T16:31:45").
"""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from parkos.core.views.generic import _views_by_model
from parkos.demo.generator import load_demo

pytestmark = pytest.mark.django_db

RAW_DECIMAL = re.compile(r"(?<![\d,.])\d{5,}\.\d{2,}\b")
MICROSECONDS = re.compile(r"\d{2}:\d{2}:\d{2}\.\d+")
UTC_OFFSET = re.compile(r"\+00:00|\+08:00")
ISO_T = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?")
CHECKS = {"raw decimal": RAW_DECIMAL, "microseconds": MICROSECONDS, "UTC offset": UTC_OFFSET, "ISO time": ISO_T}

JSON_BLOCK = re.compile(r"<script[^>]*>.*?</script>|<style[^>]*>.*?</style>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")
SKIP_PREFIXES = ("/admin/", "/api/", "/i18n/", "/logout", "/accounts/", "/static/", "/media/")


def visible_text(page: str) -> str:
    """What a reader sees: no scripts (JSON data blocks included), no tags or attribute values."""
    return html.unescape(TAG.sub(" ", JSON_BLOCK.sub(" ", page)))


def offences(text: str) -> list[str]:
    found = []
    for name, pattern in CHECKS.items():
        for match in pattern.finditer(text):
            start = max(0, match.start() - 40)
            found.append(f"{name}: …{text[start : match.end() + 20].strip()}…")
    return found


def plain_urls() -> list[str]:
    """Every GET page that takes no argument."""
    urls: list[str] = []

    def walk(patterns: list[URLPattern | URLResolver], namespace: str | None) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace
                walk(entry.url_patterns, inner or namespace)
            elif entry.name and not entry.pattern.converters and "(?P" not in str(entry.pattern):
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                try:
                    url = reverse(name)
                except Exception:  # noqa: BLE001 - regex patterns with groups, optional args
                    continue
                # forms and actions, not pages to read: add, import, and the lists' bulk actions (POST only)
                if not url.startswith(SKIP_PREFIXES) and not url.endswith(("/add/", "/import/", "/bulk/")):
                    urls.append(url)

    walk(get_resolver().url_patterns, None)
    return sorted(set(urls))


@pytest.fixture(scope="module")
def demo_pages(django_db_setup, django_db_blocker):  # noqa: ARG001
    """The demo at a small scale, and the pages to read: computed once for both languages."""
    from django.contrib.auth import get_user_model

    with django_db_blocker.unblock():
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo(scale=0.02)
            admin = get_user_model().objects.get(username="admin")
            urls = plain_urls()
            for model, views in sorted(_views_by_model.items(), key=lambda item: item[0]._meta.label):
                urls.append(reverse(model.url_name("list")))
                obj = views.queryset(admin).order_by("pk").last()
                if obj is not None:
                    urls.append(reverse(model.url_name(), kwargs={"pk": obj.pk}))
                    urls.append(reverse(model.url_name("history"), kwargs={"pk": obj.pk}))
            yield admin, urls
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_show_no_raw_decimal_or_utc_time(demo_pages, language, settings, django_db_blocker):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    admin, urls = demo_pages
    problems: dict[str, list[str]] = {}
    read = []
    with django_db_blocker.unblock():
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(admin)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for url in urls:
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            read.append(url)
            found = offences(visible_text(response.content.decode()))
            if found:
                problems[url] = found[:3]
    translation.activate("en")
    assert len(read) > 0.8 * len(urls), sorted(set(urls) - set(read))
    assert not problems, "\n".join(f"{url}: {found}" for url, found in problems.items())


def test_visible_text_leaves_out_data_blocks_and_attributes():
    page = (
        '<p data-value="14421000000.00">1,442,100.00 万元</p>'
        '<script type="application/json">{"t": "2026-12-06T16:31:45.014Z"}</script>'
    )
    assert offences(visible_text(page)) == []
    assert offences("CNY 14421000000.00") and offences("2026-12-06 16:30:41.074147+00:00")
    assert offences("2026-12-06T16:31:45.014Z")
