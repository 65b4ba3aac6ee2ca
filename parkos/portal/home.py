"""The reviewer's home: the profile change proposals of its parks' enterprises waiting for a decision."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parkos.core.home import QUEUE_LENGTH, HomePanel, QueueItem
from parkos.portal.selectors import pending_proposals
from parkos.portal.services import may_review


def home_panels(user) -> list[HomePanel]:
    if not may_review(user=user):
        return []
    rows = pending_proposals(user).order_by("created", "pk")
    count = rows.count()
    items = [
        QueueItem(label=str(proposal.organization), url=proposal.get_absolute_url(), when=proposal.created)
        for proposal in (rows[:QUEUE_LENGTH] if count else [])
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
