"""Content-Security-Policy on every response: script only from our own origin, never inline.

Names people type are drawn on maps and charts (rule 20 of STYLE.md sets text, never HTML); the policy is
the second wall: a name that did reach the DOM as markup cannot run script, since no inline script, inline
event handler (``onchange=``, ``onerror=``) or ``javascript:`` URL runs. Page code lives in static ``.js``
files; a page hands it data with ``{{ value|json_script:"id" }}``, a JSON block the browser never executes.
Inline styles stay allowed: they cannot run script, and Leaflet, ECharts, Tom Select and the admin set them.

A view that needs more (the API's ReDoc page) widens the policy for its own responses only, with
``@csp_update(...)`` on the view or by setting ``response.csp_update`` to a dict of directive -> sources
added to the defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase

HEADER = "Content-Security-Policy"

POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'", "'unsafe-inline'"),
    # data: for the SVG icons Tabler, Tom Select and the admin inline in their CSS. The maps draw on a
    # plain background (no tile server is configured); a tile host would be added here.
    "img-src": ("'self'", "data:"),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "frame-ancestors": ("'none'",),
    "form-action": ("'self'",),
}


def policy_header(update: dict[str, tuple[str, ...] | list[str]] | None = None) -> str:
    """The header value: the defaults, with ``update``'s sources added per directive."""
    directives = dict(POLICY)
    for name, sources in (update or {}).items():
        merged = list(directives.get(name, directives["default-src"] if name.endswith("-src") else ()))
        merged += [source for source in sources if source not in merged]
        directives[name] = tuple(merged)
    return "; ".join(f"{name} {' '.join(sources)}".strip() for name, sources in directives.items())


DEFAULT_HEADER = policy_header()


class ContentSecurityPolicyMiddleware:
    """Sets the policy on every response that has none yet (a view may set its own header outright)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if HEADER not in response:
            update = getattr(response, "csp_update", None)
            response[HEADER] = policy_header(update) if update else DEFAULT_HEADER
        return response


def widen_policy(response: HttpResponseBase, update: dict[str, tuple[str, ...] | list[str]]) -> None:
    """Add ``update``'s sources (directive -> sources) to the policy of this response alone."""
    # an attribute the middleware reads, not one Django's response declares
    setattr(response, "csp_update", update)  # noqa: B010


View = Callable[..., HttpResponseBase]


def csp_update(**directives: tuple[str, ...] | list[str]) -> Callable[[View], View]:
    """View decorator: add sources to the policy of this view's responses (``script_src=("blob:",)``)."""
    update: dict[str, tuple[str, ...] | list[str]] = {
        name.replace("_", "-"): tuple(sources) for name, sources in directives.items()
    }

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response = view(request, *args, **kwargs)
            widen_policy(response, update)
            return response

        return wrapped

    return decorator
