"""Browser test fixtures: Playwright (sync API) drives Debian's Chromium against pytest-django's live server.

The browser is the system one (/usr/bin/chromium, installed by `make install`); `playwright install`
downloads a browser build and is never used. The live server serves static files through
django.contrib.staticfiles, so the pages load the same CSS and JS (from node_modules) as in use.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

# Playwright's sync API keeps an asyncio event loop in this thread, and Django refuses ORM calls
# from a thread with a running loop. The tests' own ORM calls (creating their data) are plain
# synchronous code, so the check is lifted for them.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


class OneRequestAtATimeOnSharedSQLite(ThreadedWSGIServer):
    """The live server, answering one request at a time when it shares the tests' in-memory SQLite connection.

    pytest-django hands the test thread's in-memory SQLite connection to every thread of the live server. Two
    requests at once on one sqlite3 connection can deadlock: one thread inside SQLite calls back into Python for
    one of Django's SQL functions and needs the GIL, while the other holds the GIL and waits for SQLite's lock on
    the connection (seen: the cockpit page and an API request, both stuck at 0 % CPU until killed). The server
    keeps a thread per connection (the browser's keep-alive and spare connections), but the application runs,
    and its response is read to the end, under one lock. PostgreSQL gives each thread its own connection: no lock.
    """

    def set_app(self, application):
        if not self.connections_override:
            return super().set_app(application)
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                response = application(environ, start_response)
                try:
                    body = b"".join(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()
            return [body]

        return super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATimeOnSharedSQLite

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
#: where the tests' screenshots of key pages go: test-results/screenshots/ (git-ignored) unless
#: PARKOS_SCREENSHOTS names another folder; `PARKOS_SCREENSHOTS=docs/screenshots` refreshes the ones in the docs
SCREENSHOTS = Path(os.environ.get("PARKOS_SCREENSHOTS") or RESULTS_DIR / "screenshots").resolve()
SCREENSHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make install` installs Debian's chromium package.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class PageProblems:
    """What a person would notice is broken: scripts that throw, assets that fail, server errors."""

    errors: list[str] = field(default_factory=list)

    def watch(self, page) -> None:
        page.on("pageerror", lambda exc: self.errors.append(f"script error: {exc}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _failed(self, request) -> None:
        # a request the browser cut short because the page moved on (the bell's unread count, the favicon, on
        # a quick click) is the browser's doing, not a broken page; a refused or reset one is
        if request.failure == "net::ERR_ABORTED":
            return
        self.errors.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response) -> None:
        if response.status >= 500 or ("/static/" in response.url and response.status >= 400):
            self.errors.append(f"{response.status} for {response.url}")

    def assert_none(self) -> None:
        assert not self.errors, "\n".join(self.errors)


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(chromium, live_server, problems):
    """A fresh browser context (no cookies) on the live server, in English, laptop-sized."""
    context = chromium.new_context(base_url=live_server.url, locale="en-US", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems.watch(page)
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """screenshot("name") saves a full-page PNG under test-results/ (gitignored) and returns its path."""

    def take(name: str) -> Path:
        RESULTS_DIR.mkdir(exist_ok=True)
        path = RESULTS_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
