"""Template context shared by every page: the navigation menu the user may see."""

from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from parkos.core.access import keep_menu, kept_menu
from parkos.core.navigation import KeptMenu, MenuGroup, menu_for


def request_menu(request: HttpRequest) -> list[MenuGroup]:
    """The user's menu, built once per request (and language): every template rendered with the request (each
    django-tables2 table, each panel) runs the context processors again, and the menu was built anew each time:
    9 times for an organization's page with its 8 panels, a third of its CPU time (issue 16)."""
    user = getattr(request, "user", None)
    key = (getattr(user, "pk", None), get_language())
    cached: tuple[tuple[Any, str], list[MenuGroup]] | None = getattr(request, "_parkos_menu", None)
    if cached is None or cached[0] != key:
        prefix = get_script_prefix()
        menu = kept_menu(user, key[1], prefix)  # kept across requests for the user's grants (core.access)
        if menu is None:
            menu = KeptMenu(menu_for(user))
            keep_menu(user, key[1], prefix, menu)
        cached = (key, menu)
        request._parkos_menu = cached  # type: ignore[attr-defined]
    return cached[1]


def navigation(request: HttpRequest) -> dict[str, Any]:
    # lazy: a table's or a panel's template never reads it
    return {"nav_menu": SimpleLazyObject(lambda: request_menu(request))}
