"""Reads of default handling: the cases past their rectification deadline, open cases by stage."""

from __future__ import annotations

import datetime

from django.db.models import Count, QuerySet

from parkos.compliance.models import DefaultCase
from parkos.core.actors import Actor
from parkos.core.permissions import Action


def rectification_overdue(today: datetime.date) -> QuerySet[DefaultCase]:
    """Cases in rectification whose deadline passed before ``today``, with an owner to tell (every park)."""
    return (
        DefaultCase.objects.filter(
            stage=DefaultCase.Stage.RECTIFICATION, rectification_deadline__lt=today, owner__isnull=False
        )
        .select_related("owner")
        .order_by("pk")
    )


def open_cases_by_stage(user: Actor, park_ids: list[int] | None = None) -> dict[str, int]:
    """How many of the cases ``user`` sees are at each stage short of closed (every stage named, 0 if none)."""
    cases = DefaultCase.objects.restrict(user, Action.VIEW).exclude(stage=DefaultCase.Stage.CLOSED)
    if park_ids is not None:
        cases = cases.filter(agreement__park_id__in=park_ids)
    counts = dict(cases.order_by().values_list("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    return {stage: counts.get(stage, 0) for stage in DefaultCase.Stage.values if stage != DefaultCase.Stage.CLOSED}
