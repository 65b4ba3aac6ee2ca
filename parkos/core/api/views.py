"""ViewSet base: CRUD through the same permission rule and the one write path (core.writes)."""

from collections.abc import Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from rest_framework import status, viewsets
from rest_framework.exceptions import NotFound as ApiNotFound
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.viewsets import ViewSetMixin

from parkos.core import writes
from parkos.core.errors import NotFound
from parkos.core.models import PrimaryModel
from parkos.core.permissions import Action, restrict

_P = TypeVar("_P", bound=PrimaryModel)

_ACTIONS = {
    "list": Action.VIEW,
    "retrieve": Action.VIEW,
    "create": Action.ADD,
    "update": Action.CHANGE,
    "partial_update": Action.CHANGE,
    "destroy": Action.DELETE,
}


class PrimaryModelViewSet(viewsets.ModelViewSet[_P]):
    """Subclasses set ``queryset`` (with select_related), ``serializer_class`` and ``filterset_class``."""

    ordering_fields = "__all__"

    _etag_object: _P | None = None

    def get_queryset(self) -> QuerySet[_P]:
        action = _ACTIONS.get(self.action or "", Action.VIEW)
        return restrict(super().get_queryset(), self.request.user, action)  # as QuerySet.restrict does

    def perform_destroy(self, instance: _P) -> None:
        writes.delete(instance, user=self.request.user)

    def get_serializer_context(self) -> Mapping[str, Any]:
        # If-Match: "<version>" makes an update refuse to overwrite a newer save (412, core.writes.Conflict).
        if_match = self.request.headers.get("If-Match", "").strip()
        return {**super().get_serializer_context(), "version": if_match.removeprefix("W/").strip('"') or None}

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        instance = self._etag_object
        if instance is not None and response.status_code < 300:
            response["ETag"] = f'"{writes.version_of(instance)}"'
        return response

    def get_object(self) -> _P:
        instance = super().get_object()
        self._etag_object = instance
        return instance


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus the write path's errors: a rule broken is a 400 naming its field,
    an object pushed out of the user's scope a 403, a delete blocked by other records a 409,
    an update over a newer save (If-Match) a 412, an object a service cannot find (core.errors.NotFound) a 404."""
    if isinstance(exc, writes.Conflict):
        errors = writes.error_messages(exc)
        return Response({"detail": errors.pop("__all__")[0], **errors}, status=status.HTTP_412_PRECONDITION_FAILED)
    if isinstance(exc, NotFound):
        exc = ApiNotFound(str(exc) or None)
    elif isinstance(exc, writes.OutOfScope):
        exc = PermissionDenied(exc.messages[0])
    elif isinstance(exc, writes.DeleteBlocked):
        return Response({"detail": exc.messages[0]}, status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, DjangoValidationError):
        errors = writes.error_messages(exc)
        if "__all__" in errors:
            errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop("__all__")
        exc = ValidationError(errors)
    return drf_exception_handler(exc, context)


class Router(DefaultRouter):
    """The router every app's api/urls.py uses."""

    include_format_suffixes = False

    def get_lookup_regex(self, viewset: type[ViewSetMixin], lookup_prefix: str = "") -> str:
        """Detail routes take numeric ids only: ``/requests/abc/accept/`` is a 404, not a database error."""
        kwarg = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
        return f"(?P<{lookup_prefix}{kwarg}>{getattr(viewset, 'lookup_value_regex', '[0-9]+')})"
