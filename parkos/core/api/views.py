"""ViewSet base: CRUD through the same permission rule, scope checked before a write is kept."""

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from rest_framework import status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

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

    def _keep_in_scope(self, serializer):
        with transaction.atomic():
            instance = serializer.save()
            model = type(instance)
            if not model.objects.restrict(self.request.user, Action.CHANGE).filter(pk=instance.pk).exists():
                raise PermissionDenied(
                    _("The record would lie outside the parks or organizations you are assigned to.")
                )

    def perform_create(self, serializer):
        self._keep_in_scope(serializer)

    def perform_update(self, serializer):
        self._keep_in_scope(serializer)

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        try:
            with transaction.atomic():
                instance.delete()
        except ProtectedError as exc:
            blockers = sorted({str(o._meta.verbose_name_plural) for o in exc.protected_objects})
            return Response(
                {"detail": _("Cannot delete while it has %(blockers)s.") % {"blockers": ", ".join(blockers)}},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


class Router(DefaultRouter):
    """The router every app's api/urls.py uses."""

    include_format_suffixes = False
