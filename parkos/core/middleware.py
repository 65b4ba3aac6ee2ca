"""Request middleware: nothing but the login page for anonymous users, the change context, and the
domain errors services raise answered as pages."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from parkos.core.access import prime
from parkos.core.changelog import change_context
from parkos.core.errors import NotFound

# Paths an anonymous visitor may reach: the login page, static files, language switch.
# The API answers 401/403 itself (token users authenticate inside DRF, not here). The health check and
# the metrics are for machines (a load balancer, Prometheus); the metrics check the caller's address.
PUBLIC_PREFIXES = ("/login/", "/admin/login/", "/static/", "/i18n/", "/api/", "/health/", "/metrics")


class LoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # the path first: a public path never loads the session (the health check works with the database down)
        if request.path.startswith(PUBLIC_PREFIXES):
            return self.get_response(request)
        if request.user.is_authenticated:
            prime(request.user)  # its permissions, roles and menu as kept by this process (core.access)
            return self.get_response(request)
        if request.headers.get("accept", "").startswith("application/json"):
            return JsonResponse({"detail": _("Authentication required.")}, status=401)
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)


class ChangeLoggingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with change_context(request=request, source="api" if request.path.startswith("/api/") else "web"):
            return self.get_response(request)


class DomainErrorMiddleware:
    """A service's ``NotFound`` raised under a page view answers the 404 page, as ``Http404`` would.

    SQLite takes one writer at a time: a request that waited out the busy timeout behind a long import
    answers 503 with a page that says so (and nothing half-saved), not a server error.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            raise Http404(str(exception)) from exception
        if isinstance(exception, OperationalError) and "database is locked" in str(exception):
            if request.path.startswith("/api/"):
                response: HttpResponse = JsonResponse({"detail": _("The database is busy; try again in a minute.")})
            else:
                response = render(request, "core/busy.html")
            response.status_code = 503
            response["Retry-After"] = "60"
            return response
        return None
