"""The reviewer's home: the profile change proposals of its parks' enterprises waiting for a decision."""

from __future__ import annotations

from django.db.models import Count, Window
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parkos.core.home import QUEUE_LENGTH, HomePanel, QueueItem
from parkos.portal.selectors import pending_proposals
from parkos.portal.services import may_review


def home_panels(user) -> list[HomePanel]:
    if not may_review(user=user):
        return []
    # the first rows with the count of all as a column of theirs (COUNT(*) OVER ()), each with the columns its item
    # shows: one query, not a COUNT and then whole rows (issue 16)
    rows = list(
        pending_proposals(user)
        .only("created", "organization__name")
        .annotate(pending=Window(Count("pk")))
        .order_by("created", "pk")[:QUEUE_LENGTH]
    )
    count = rows[0].pending if rows else 0
    items = [
        QueueItem(label=str(proposal.organization), url=proposal.get_absolute_url(), when=proposal.created)
        for proposal in rows
    ]
    return [
        HomePanel(
            key="portal.proposals",
            title=_("Profile change proposals waiting for review"),
            count=count,
            url=f"{reverse('portal:profilechangerequest_list')}?status=pending",
            items=items,
            empty=_("No proposal waiting."),
            order=40,
        )
    ]
