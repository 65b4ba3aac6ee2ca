"""The daily digest: one e-mail per user listing the day's notifications still unread."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from parkos.notifications.channels import absolute
from parkos.notifications.models import Notification, Preference
from parkos.users.models import User


def digest_send(*, now: datetime.datetime | None = None, hours: int = 24) -> int:
    """E-mail each user with an address the unread notifications of the last ``hours`` they keep in their digest.

    Returns how many e-mails went out; a kind the user took out of the digest is left out.
    """
    now = now or timezone.now()
    since = now - datetime.timedelta(hours=hours)
    rows = (
        Notification.objects.filter(read_at__isnull=True, created__gt=since, created__lte=now)
        .exclude(recipient__email="")
        .filter(recipient__is_active=True)
        .select_related("event", "recipient")
        .order_by("recipient_id", "-created")
    )
    off = set(Preference.objects.filter(digest=False).values_list("user_id", "kind"))
    by_user: dict[int, list[Notification]] = defaultdict(list)
    users: dict[int, User] = {}
    for row in rows:
        if (row.recipient_id, row.event.kind) in off:
            continue
        by_user[row.recipient_id].append(row)
        users[row.recipient_id] = row.recipient
    sent = 0
    with translation.override(settings.PARKOS_NOTIFY_LANGUAGE):
        for user_id, items in by_user.items():
            user = users[user_id]
            lines = [
                f"- {row.event.get_kind_display()}: {row.event.title}"
                + (f" {absolute(row.event.url)}" if row.event.url else "")
                for row in items
            ]
            subject = _("[ParkOS] %(count)d unread notifications") % {"count": len(items)}
            body = "\n".join(
                [_("Unread in ParkOS since yesterday:"), "", *lines, "", absolute("/notifications/?unread=1")]
            )
            EmailMessage(subject, body, None, [user.email]).send()
            sent += 1
    return sent
