"""The demo's profile change proposals: the demo enterprise's own (one decided, one pending) and a review queue.

``load_portal`` runs inside ``load_demo`` after the accounts exist, drawing from the same
``random.Random``. Proposals only ever propose values the Organization model accepts; the approved
one proposes what the profile already says (as if applied), so the demo's organizations stay as built.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from parkos.core.changelog import log_bulk_create
from parkos.directory.models import Organization
from parkos.portal.models import ProfileChangeRequest

#: pending proposals from other enterprises, per unit of scale, for the staff's review queue
QUEUE_PER_SCALE = 12
ADDRESSES = ("88 Huanhu West 2nd Road", "1 Shuiyun Road", "555 Haiyang Road", "16 Chenhui Road", "200 Zhangheng Road")


def load_portal(
    rng: random.Random, *, scale: float, enterprises: Sequence[Organization], today: date, counts: dict
) -> None:
    users = get_user_model().objects
    account = users.filter(username="enterprise").first()
    reviewer = users.filter(username="manager").first()
    own = account.organizations.first() if account else None
    moment = timezone.make_aware(datetime.combine(today, time(10)))
    proposals = []
    if own is not None:
        proposals.append(
            ProfileChangeRequest(
                organization=own,
                changes={"name_en": own.name_en or own.name},
                note="Our English name as registered.",
                status=ProfileChangeRequest.Status.APPROVED,
                proposed_by=account,
                reviewed_by=reviewer,
                reviewed_at=moment - timedelta(days=40),
                review_note="Matches the business licence.",
            )
        )
        proposals.append(
            ProfileChangeRequest(
                organization=own,
                changes={"address": rng.choice(ADDRESSES), "website": "https://www.example.cn"},
                note="We moved to our new building in May.",
                proposed_by=account,
            )
        )
    others = [e for e in enterprises if own is None or e.pk != own.pk]
    for organization in rng.sample(others, min(len(others), max(1, round(QUEUE_PER_SCALE * scale)))):
        proposals.append(
            ProfileChangeRequest(
                organization=organization,
                changes={"address": rng.choice(ADDRESSES)},
                note="New registered address.",
            )
        )
    ProfileChangeRequest.objects.bulk_create(proposals)
    counts["change_records"] += log_bulk_create(proposals)
    counts["profile_change_requests"] += len(proposals)
