"""Notifications API: list one's own, mark read or unread, count the unread (for the bell)."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from parkos.notifications import selectors, services
from parkos.notifications.api import serializers


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in user's own notifications; no role reads another user's."""

    serializer_class = serializers.NotificationSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self):
        unread = self.request.query_params.get("unread") in ("1", "true") if self.action == "list" else False
        return selectors.inbox(self.request.user, unread_only=unread).select_related("event__content_type")

    @extend_schema(
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="only the unread ones")],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=serializers.NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one of your notifications read."""
        row = self.get_object()
        services.notification_mark_read(user=request.user, ids=[row.pk])
        row.refresh_from_db()
        return Response(self.get_serializer(row).data)

    @extend_schema(request=None, responses=serializers.NotificationSerializer)
    @action(detail=True, methods=["post"])
    def unread(self, request, pk=None):
        """Mark one of your notifications unread again."""
        row = self.get_object()
        services.notification_mark_unread(user=request.user, ids=[row.pk])
        row.refresh_from_db()
        return Response(self.get_serializer(row).data)

    @extend_schema(request=None, responses=serializers.MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all your notifications read."""
        return Response({"marked": services.notification_mark_read(user=request.user)})

    @extend_schema(responses=serializers.UnreadCountSerializer)
    @action(detail=False, methods=["get"], url_path="unread-count", pagination_class=None)
    def unread_count(self, request):
        """How many of your notifications are unread (the bell's badge)."""
        return Response({"unread": selectors.unread_count(request.user)})

    def get_object(self):
        row = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if row is None:
            raise Http404
        return row
