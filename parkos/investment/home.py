"""Investment staff's home: the open pipeline, agreements due for their regular contact, commitments due."""

from __future__ import annotations

import datetime

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, QuerySet, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkos.core.home import QUEUE_LENGTH, HomePanel, QueueItem
from parkos.core.permissions import Action, can
from parkos.core.reversing import reverse_pk
from parkos.core.units import format_decimal
from parkos.investment.models import (
    Agreement,
    Commitment,
    CommitmentStatus,
    Project,
    Stage,
    commitment_label,
)
from parkos.investment.services import agreements_due_for_contact

#: the stages of the pipeline still to win, in order
OPEN_STAGES = (Stage.LEAD, Stage.CONTACTED, Stage.NEGOTIATING)
#: a commitment within this many days of its due date and not met is due
DUE_DAYS = 30


def counts(*querysets: QuerySet) -> list[int]:
    """How many rows each of ``querysets`` has, in one statement (a scalar subquery each): what ``.count()`` gives
    each, without a round trip and a COUNT query's compilation apiece (issue 16). A queryset that is nothing
    (``restrict``'s ``.none()``) counts 0 without SQL."""
    found: list[int | None] = []
    parts, params = [], []
    for queryset in querysets:
        try:
            sql, sql_params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            found.append(0)
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted_{len(parts)})")
        params.extend(sql_params)
        found.append(None)
    if parts:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(parts)}", params)  # noqa: S608 (compiled queryset SQL only)
            row = iter(cursor.fetchone())
        found = [next(row) if n is None else n for n in found]
    return [int(n or 0) for n in found]


def first_rows(queryset: QuerySet, *fields: str) -> tuple[int, list[tuple]]:
    """The first QUEUE_LENGTH rows of ``queryset`` (as ``fields``) and how many rows it has in all, in one query:
    ``COUNT(*) OVER ()`` is counted before the LIMIT (none: no row, so 0). Was a COUNT query, then the rows."""
    rows = list(queryset.annotate(in_all=Window(Count("pk"))).values_list(*fields, "in_all")[:QUEUE_LENGTH])
    return (rows[0][-1] if rows else 0), [row[:-1] for row in rows]


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
    contact_count, contacts = first_rows(due_contact, "pk", "title", "contact_since")
    horizon = today + datetime.timedelta(days=DUE_DAYS)
    commitments = (
        Commitment.objects.restrict(user)
        .in_status(CommitmentStatus.AT_RISK, today)
        .filter(due_date__lte=horizon)
        .order_by("due_date", "pk")
    )
    commitment_count, due = first_rows(
        commitments, "pk", "description", "kind", "target_value", "unit", "agreement__title", "due_date"
    )
    agreement_url, commitment_url = Agreement.url_name(), Commitment.url_name()
    kinds = dict(Commitment.Kind.choices)
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
                QueueItem(label=str(title), url=reverse_pk(agreement_url, pk), when=contact_since, tone="red")
                for pk, title, contact_since in contacts
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
                    # a commitment's description, or what Commitment.__str__ reads
                    label=description
                    or commitment_label(
                        "",
                        str(kinds.get(kind, kind)),
                        target_value,
                        str(Commitment.UNIT_LABELS.get(unit, unit)),
                    ),
                    url=reverse_pk(commitment_url, pk),
                    detail=str(agreement_title),
                    when=due_date,
                    tone="red" if due_date < today else "orange",
                )
                for pk, description, kind, target_value, unit, agreement_title, due_date in due
            ],
            empty=_("No commitment falls due within 30 days."),
            order=30,
        ),
    ]
