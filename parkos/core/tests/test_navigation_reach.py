"""Every page a role may open is reachable by clicking: from its menu and the links of its home page.

The pages: every URL name of the URLconf without required arguments (lists, reports, figures, imports,
boards ...), outside the API, the admin and the account machinery. For each role: which of them answer
200 with HTML; then a walk from the home page over the links in the HTML (two clicks, one page per URL name);
a page the role may open but never meets on the walk fails the test.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urlsplit

from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch, Resolver404

from parkos.core.permissions import ROLES
from parkos.core.testing import World

#: namespaces and names that are not pages a person navigates to
SKIPPED_NAMESPACES = {"admin", "api", "djdt", "set_language"}
SKIPPED_NAMES = {"login", "logout", "password_change_done", "set_language", "api-root", "api-schema", "home"}
SKIPPED_PREFIXES = ("api-", "api_")
#: home (0) > a menu page (1) > a link on it (2): within two clicks
DEPTH = 2
#: links, and the actions of forms (the search box in the header is a GET form)
HREF = re.compile(r'(?:href|action)="([^"#]*)"')
#: pages no role's menu or home need to lead to: reached from the profile menu, a form or another page
ALLOWED_UNREACHED: set[str] = set()


def url_names_without_arguments() -> list[str]:
    names: list[str] = []

    def walk(patterns: list, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or ""
                if ns in SKIPPED_NAMESPACES or str(pattern.pattern).startswith("api/"):
                    continue
                walk(pattern.url_patterns, f"{namespace}{ns}:" if ns else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}{pattern.name}"
                if pattern.name in SKIPPED_NAMES or pattern.name.startswith(SKIPPED_PREFIXES):
                    continue
                try:
                    reverse(name)
                except NoReverseMatch:
                    continue  # needs arguments
                names.append(name)

    walk(get_resolver().url_patterns, "")
    return sorted(set(names))


def is_page(response) -> bool:
    return response.status_code == 200 and response.get("Content-Type", "").startswith("text/html")


def url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def reachable(client: Client) -> set[str]:
    """URL names met within ``DEPTH`` clicks of the home page; one page fetched per URL name."""
    seen: set[str] = set()
    fetched: set[str] = set()
    queue: deque[tuple[str, int]] = deque([("/", 0)])
    while queue:
        url, depth = queue.popleft()
        name = url_name(urlsplit(url).path)
        if name is None or name in fetched:
            continue
        fetched.add(name)
        response = client.get(url, follow=True)
        if not is_page(response):
            continue
        seen.add(url_name(response.wsgi_request.path) or name)
        for href in HREF.findall(response.content.decode()):
            href = href.replace("&amp;", "&")
            parts = urlsplit(href)
            if parts.netloc or not parts.path.startswith("/") or "format=" in parts.query:
                continue
            target = url_name(parts.path)
            if target is None:
                continue
            seen.add(target)
            if depth + 1 < DEPTH and target not in fetched:
                queue.append((href, depth + 1))
    return seen


class EveryPageIsReachableTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()

    def test_each_role_reaches_every_page_it_may_open(self):
        names = url_names_without_arguments()
        self.assertGreater(len(names), 30)
        missing = {}
        for role in ROLES:
            client = Client()
            client.force_login(self.world.users[role.name])
            seen = reachable(client)
            unreached = {name for name in set(names) - seen - ALLOWED_UNREACHED if is_page(client.get(reverse(name)))}
            if unreached:
                missing[role.name] = sorted(unreached)
        self.assertEqual(missing, {}, "pages a role may open but cannot reach by clicking")

    def test_an_enterprise_users_menu_holds_its_own_pages_only(self):
        client = Client()
        client.force_login(self.world.users["enterprise_user"])
        menu = str(client.get(reverse("portal:home")).context["nav_menu"])
        for name in (
            "leasing:occupancy",
            "leasing:vacancy_board",
            "leasing:rent_roll",
            "leasing:figures",
            "evaluation:filings_import",
        ):
            self.assertNotIn(reverse(name), menu, name)
            self.assertEqual(client.get(reverse(name)).status_code, 403, name)
        self.assertIn(reverse("portal:home"), menu)
        api = Client()
        api.force_login(self.world.users["enterprise_user"])
        for path in ("/api/leasing/occupancy/", "/api/leasing/rent-roll/"):
            self.assertEqual(api.get(path).status_code, 403, path)
