"""The scheduled checks of `parkos notify_due`: deadlines, expiries and due dates that need a person today.

Each check reuses its app's own rule (the overdue and expiry selectors the lists and home pages use)
and reads every row, whatever its park: the recipients of each event are then checked against the
object's scope, so nobody hears of anything outside theirs. The events of a kind are made together
(``grouped``), at a fixed number of queries per kind however many objects are due.

Idempotent: each event carries a key, and the same kind, object and key is made once. A request's
deadline is keyed by the day (a reminder a day while it is late); an expiry by its alert horizon
(once when the lease enters 6, 3 and 1 month); a due date by the date itself (once per date).
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db import models
from django.utils import timezone

from parkos.core.exports import export_jobs_remove_old
from parkos.notifications import grouped, services
from parkos.notifications.models import EventKind
from parkos.users.models import User

#: a request whose deadline falls within this many hours is "about to breach"
BREACH_WARNING = datetime.timedelta(hours=24)
#: commitments and milestones are announced this many days before their due date
DUE_SOON_DAYS = 30
MILESTONE_SOON_DAYS = 7

#: reads every park: the selectors that take a user see all rows through this one (never saved)
_EVERY_ROW = User(username="parkos-scheduled-checks", is_superuser=True, is_active=True)


def _emit(counts: Counter[str], kind: str, due: list[grouped.Due]) -> None:
    """Make the events of one kind in one go (``grouped``: a fixed number of queries, however many are due)."""
    made = grouped.events_emit_many(kind, due)
    if made:
        counts[kind] += len(made)


def service_request_checks(counts: Counter[str], now: datetime.datetime) -> None:
    from parkos.services.models import OPEN_STATUSES, ServiceRequest, overdue_q

    day = timezone.localdate(now).isoformat()
    open_requests = ServiceRequest.objects.filter(status__in=OPEN_STATUSES)
    overdue = open_requests.overdue(now).order_by("pk")
    _emit(counts, EventKind.REQUEST_OVERDUE, [grouped.Due(request, day) for request in overdue])
    soon = now + BREACH_WARNING
    near = open_requests.exclude(overdue_q("response", now) | overdue_q("resolution", now)).filter(
        models.Q(responded_at__isnull=True, response_due__lte=soon)
        | models.Q(resolved_at__isnull=True, resolution_due__lte=soon)
    )
    _emit(counts, EventKind.REQUEST_BREACH_SOON, [grouped.Due(request, day) for request in near.order_by("pk")])


def lease_checks(counts: Counter[str], today: datetime.date) -> None:
    from parkos.leasing.selectors import expiring_leases

    due = [  # the detail is the end date: the same in every language
        grouped.Due(lease, f"{months}m", str(lease.effective_end))
        for months, leases in expiring_leases(_EVERY_ROW, today).items()
        for lease in leases
    ]
    _emit(counts, EventKind.LEASE_EXPIRING, due)


def investment_checks(counts: Counter[str], today: datetime.date) -> None:
    from parkos.investment.models import Agreement, Commitment, CommitmentStatus
    from parkos.investment.services import agreements_due_for_contact

    agreements = agreements_due_for_contact(Agreement.objects.all(), today).order_by("pk")
    _emit(counts, EventKind.CONTACT_DUE, [grouped.Due(a, f"since:{a.contact_since}") for a in agreements])
    commitments = Commitment.objects.all()
    overdue = commitments.in_status(CommitmentStatus.OVERDUE, today).order_by("pk")
    _emit(
        counts,
        EventKind.COMMITMENT_OVERDUE,
        [grouped.Due(c, f"overdue:{c.due_date}", str(c.due_date)) for c in overdue],
    )
    due = commitments.in_status(CommitmentStatus.AT_RISK, today).filter(
        due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)
    )
    _emit(
        counts,
        EventKind.COMMITMENT_DUE,
        [grouped.Due(c, f"due:{c.due_date}", str(c.due_date)) for c in due.order_by("pk")],
    )


def disposal_checks(counts: Counter[str], today: datetime.date) -> None:
    from parkos.land.models import DisposalMilestone

    due = DisposalMilestone.objects.filter(
        done_on__isnull=True, due_date__isnull=False, due_date__lte=today + datetime.timedelta(days=MILESTONE_SOON_DAYS)
    )
    _emit(
        counts,
        EventKind.MILESTONE_DUE,
        [grouped.Due(m, f"due:{m.due_date}", str(m.due_date)) for m in due.order_by("pk")],
    )


def compliance_checks(counts: Counter[str], today: datetime.date) -> None:
    from parkos.compliance.selectors import rectification_overdue

    due = [  # told to the case's owner, once per deadline (a new deadline after a change is told again)
        grouped.Due(case, f"deadline:{case.rectification_deadline}", str(case.rectification_deadline), to=(case.owner,))
        for case in rectification_overdue(today)
        if case.owner is not None
    ]
    _emit(counts, EventKind.RECTIFICATION_OVERDUE, due)


def run_checks(*, now: datetime.datetime | None = None) -> Counter[str]:
    """Every check once, and the deliveries whose retry is due; the events made, by kind."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts: Counter[str] = Counter()
    with services.users_remembered():
        service_request_checks(counts, now)
        lease_checks(counts, today)
        investment_checks(counts, today)
        disposal_checks(counts, today)
        compliance_checks(counts, today)
    counts["retried deliveries"] = services.deliveries_retry_due(now=now)
    counts["old exports removed"] = export_jobs_remove_old(now=now)
    return counts
