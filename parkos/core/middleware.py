"""Request middleware: nothing but the login page for anonymous users, and the change context."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.utils.translation import gettext as _

from parkos.core.changelog import change_context

# Paths an anonymous visitor may reach: the login page, static files, language switch.
# The API answers 401/403 itself (token users authenticate inside DRF, not here).
PUBLIC_PREFIXES = ("/login/", "/admin/login/", "/static/", "/i18n/", "/api/")


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated or request.path.startswith(PUBLIC_PREFIXES):
            return self.get_response(request)
        if request.headers.get("accept", "").startswith("application/json"):
            return JsonResponse({"detail": _("Authentication required.")}, status=401)
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)


class ChangeLoggingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with change_context(request=request, source="api" if request.path.startswith("/api/") else "web"):
            return self.get_response(request)
