"""Error pages: the API answers its 404 in JSON, like the rest of the API, and pages keep the HTML one."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework.exceptions import NotFound


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A path under /api/ no route matches (``/api/parks/parks/abc/``: ids are numbers) is a JSON 404."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)
