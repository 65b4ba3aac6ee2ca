"""Investment staff's home: the open pipeline, agreements due for their regular contact, commitments due."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkos.core.home import QUEUE_LENGTH, HomePanel, QueueItem
from parkos.core.permissions import Action, can
from parkos.core.units import format_decimal
from parkos.investment.models import Agreement, Commitment, CommitmentStatus, Project, Stage
from parkos.investment.services import agreements_due_for_contact

#: the stages of the pipeline still to win, in order
OPEN_STAGES = (Stage.LEAD, Stage.CONTACTED, Stage.NEGOTIATING)
#: a commitment within this many days of its due date and not met is due
DUE_DAYS = 30


def home_panels(user) -> list[HomePanel]:
    """For those who work the pipeline (investment staff)."""
    if not can(user, Project, Action.CHANGE):
        return []
    today = timezone.localdate()
    projects = reverse("investment:project_list")
    by_stage = dict(
        Project.objects.restrict(user)
        .filter(stage__in=OPEN_STAGES)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    pipeline = [
        QueueItem(label=str(stage.label), url=f"{projects}?stage={stage.value}", figure=format_decimal(by_stage[stage]))
        for stage in OPEN_STAGES
        if by_stage.get(stage)
    ]
    due_contact = agreements_due_for_contact(Agreement.objects.restrict(user), today).order_by("contact_since", "pk")
    contact_count = due_contact.count()
    horizon = today + datetime.timedelta(days=DUE_DAYS)
    commitments = (
        Commitment.objects.restrict(user)
        .in_status(CommitmentStatus.AT_RISK, today)
        .filter(due_date__lte=horizon)
        .order_by("due_date", "pk")
    )
    commitment_count = commitments.count()
    return [
        HomePanel(
            key="investment.pipeline",
            title=_("Pipeline to win"),
            count=sum(by_stage.values()),
            url=reverse("investment:project_board"),
            items=pipeline,
            empty=_("No open lead or negotiation."),
            order=10,
            rows=False,
        ),
        HomePanel(
            key="investment.contacts",
            title=_("Agreements due for their regular contact"),
            count=contact_count,
            url=f"{reverse('investment:agreement_list')}?contact_due=true",
            items=[
                QueueItem(
                    label=str(agreement), url=agreement.get_absolute_url(), when=agreement.contact_since, tone="red"
                )
                for agreement in (due_contact[:QUEUE_LENGTH] if contact_count else [])
            ],
            empty=_("Every agreement has had its regular contact."),
            order=20,
        ),
        HomePanel(
            key="investment.commitments",
            title=_("Commitments due within 30 days and not met"),
            count=commitment_count,
            url=f"{reverse('investment:commitment_list')}?status=at_risk&due_to={horizon.isoformat()}",
            items=[
                QueueItem(
                    label=commitment.description or str(commitment),
                    url=commitment.get_absolute_url(),
                    detail=str(commitment.agreement),
                    when=commitment.due_date,
                    tone="red" if commitment.due_date < today else "orange",
                )
                for commitment in (commitments.select_related("agreement")[:QUEUE_LENGTH] if commitment_count else [])
            ],
            empty=_("No commitment falls due within 30 days."),
            order=30,
        ),
    ]
