"""Reads of notifications: a user's own inbox, nothing else (no role or scope reads another's)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from parkos.core.actors import Actor
from parkos.notifications.models import Notification


def inbox(user: Actor, *, unread_only: bool = False) -> QuerySet[Notification, Any]:
    """The user's own notifications, newest first, with their events (one query per page)."""
    rows = Notification.objects.filter(recipient_id=getattr(user, "pk", None)).select_related("event")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created", "-pk")


def unread_count(user: Actor) -> int:
    return Notification.objects.filter(recipient_id=getattr(user, "pk", None), read_at__isnull=True).count()
