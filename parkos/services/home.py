"""The service desk's home: its own requests by deadline, the unassigned ones of its parks, the overdue ones."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkos.core.home import QUEUE_LENGTH, HomePanel, QueueItem
from parkos.core.permissions import Action, Scope, can, scope_of
from parkos.services.models import OPEN_STATUSES, ServiceRequest, overdue_q

#: what a queue's item shows of a request: its title and link, its enterprise's name, its deadlines (the tone)
ITEM_FIELDS = (
    "title",
    "enterprise__name",
    "responded_at",
    "response_due",
    "resolved_at",
    "resolution_due",
)


def home_panels(user) -> list[HomePanel]:
    """For those who work on requests (not an enterprise, which files them)."""
    if not can(user, ServiceRequest, Action.CHANGE) or scope_of(user) < Scope.PARKS:
        return []
    now = timezone.now()
    visible = ServiceRequest.objects.restrict(user, Action.VIEW).filter(status__in=OPEN_STATUSES)
    late = overdue_q("response", now) | overdue_q("resolution", now)
    base = reverse("services:servicerequest_list")
    queues = (
        ("services.mine", _("My requests by deadline"), Q(assigned_to=user), "mine=true&is_open=true"),
        (
            "services.unassigned",
            _("Unassigned in my parks"),
            Q(assigned_to__isnull=True),
            "unassigned=true&is_open=true",
        ),
        ("services.overdue", _("Overdue requests"), late, "overdue=true&is_open=true"),
    )
    # the three counts in one query (issue 16: a COUNT each), then the first rows of the queues that have any
    counts = visible.order_by().aggregate(**{key: Count("pk", filter=rule) for key, _title, rule, _query in queues})
    panels = []
    for order, (key, title, rule, query) in enumerate(queues, start=10):
        count = counts[key]
        items = []
        if count:
            rows = visible.filter(rule).order_by("resolution_due", "pk").select_related("enterprise").only(*ITEM_FIELDS)
            for request in rows[:QUEUE_LENGTH]:
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
