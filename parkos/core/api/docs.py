"""The API documentation pages under the Content-Security-Policy (parkos.core.csp).

drf-spectacular's ``SpectacularSwaggerView`` writes Swagger UI's start-up code into the page as an inline
script, which the policy refuses. Its split variant serves the same code from the page's own URL
(``?script=``), a same-origin script the policy allows, so the Swagger page keeps the default policy.
That script carries the CSRF token; a cross-site page including it gets nothing, since the session
cookie is SameSite=Lax (not sent with a cross-site script request) and the docs need a signed-in user.

ReDoc's page has no inline script when no ReDoc settings are given (its ``<redoc>`` element starts
itself), but its template links Google Fonts (an outside host, and this may run offline): our template
drops them. Two sources are added for this page alone: ``worker-src blob:``, since ReDoc builds its
search index in a Web Worker created from a ``blob:`` URL, and ReDoc's "API docs by Redocly" logo,
an image it always loads from cdn.redoc.ly (no setting turns it off; an image runs no script, the
referrer policy sends no page address, and offline it is simply not shown). Script still loads only
from our origin.
"""

from typing import Any

from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response

from parkos.core.csp import widen_policy


class SwaggerView(SpectacularSwaggerSplitView):
    pass


REDOCLY_LOGO_HOST = "https://cdn.redoc.ly"


class RedocView(SpectacularRedocView):
    template_name = "core/api/redoc.html"

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        widen_policy(response, {"worker-src": ("'self'", "blob:"), "img-src": (REDOCLY_LOGO_HOST,)})
        return response
