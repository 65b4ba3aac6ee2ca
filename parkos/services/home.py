"""The service desk's home: its own requests by deadline, the unassigned ones of its parks, the overdue ones."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkos.core.home import QUEUE_LENGTH, HomePanel, QueueItem
from parkos.core.permissions import Action, Scope, can, scope_of
from parkos.services.models import OPEN_STATUSES, ServiceRequest, overdue_q


def home_panels(user) -> list[HomePanel]:
    """For those who work on requests (not an enterprise, which files them)."""
    if not can(user, ServiceRequest, Action.CHANGE) or scope_of(user) < Scope.PARKS:
        return []
    now = timezone.now()
    visible = ServiceRequest.objects.restrict(user, Action.VIEW).filter(status__in=OPEN_STATUSES)
    late = overdue_q("response", now) | overdue_q("resolution", now)
    base = reverse("services:servicerequest_list")
    queues = (
        ("services.mine", _("My requests by deadline"), visible.filter(assigned_to=user), "mine=true&is_open=true"),
        (
            "services.unassigned",
            _("Unassigned in my parks"),
            visible.filter(assigned_to__isnull=True),
            "unassigned=true&is_open=true",
        ),
        ("services.overdue", _("Overdue requests"), visible.filter(late), "overdue=true&is_open=true"),
    )
    panels = []
    for order, (key, title, rows, query) in enumerate(queues, start=10):
        rows = rows.order_by("resolution_due", "pk")
        count = rows.count()
        items = []
        if count:
            for request in rows.select_related("enterprise")[:QUEUE_LENGTH]:
                overdue = request.is_response_overdue(now) or request.is_resolution_overdue(now)
                items.append(
                    QueueItem(
                        label=request.title,
                        url=request.get_absolute_url(),
                        detail=str(request.enterprise),
                        when=request.resolution_due,
                        tone="red" if overdue else "",
                    )
                )
        panels.append(
            HomePanel(
                key=key,
                title=title,
                count=count,
                url=f"{base}?{query}&sort=deadline",
                items=items,
                empty=_("No request waiting."),
                order=order,
            )
        )
    return panels
