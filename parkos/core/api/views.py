"""ViewSet base: CRUD through the same permission rule and the one write path (core.writes)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from parkos.core import writes
from parkos.core.permissions import Action

_ACTIONS = {
    "list": Action.VIEW,
    "retrieve": Action.VIEW,
    "create": Action.ADD,
    "update": Action.CHANGE,
    "partial_update": Action.CHANGE,
    "destroy": Action.DELETE,
}


class PrimaryModelViewSet(viewsets.ModelViewSet):
    """Subclasses set ``queryset`` (with select_related), ``serializer_class`` and ``filterset_class``."""

    ordering_fields = "__all__"

    def get_queryset(self):
        action = _ACTIONS.get(self.action, Action.VIEW)
        return super().get_queryset().restrict(self.request.user, action)

    def perform_destroy(self, instance):
        writes.delete(instance, user=self.request.user)


def exception_handler(exc, context):
    """DRF's handler, plus the write path's errors: a rule broken is a 400 naming its field,
    an object pushed out of the user's scope a 403, a delete blocked by other records a 409."""
    if isinstance(exc, writes.OutOfScope):
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

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        """Detail routes take numeric ids only: ``/requests/abc/accept/`` is a 404, not a database error."""
        kwarg = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
        return f"(?P<{lookup_prefix}{kwarg}>{getattr(viewset, 'lookup_value_regex', '[0-9]+')})"
