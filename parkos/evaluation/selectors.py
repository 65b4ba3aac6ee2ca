"""Reads with rules for evaluation runs: the runs a user sees, with runs whose process died shown as failed."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from parkos.core.actors import Actor
from parkos.core.heartbeat import stale_before
from parkos.evaluation.models import EvaluationRun


def fail_dead_runs() -> int:
    """Mark failed, with the reason, every run still "running" whose process stopped beating; how many were.

    Called wherever runs are listed or opened, by the worker before it starts a run and by
    `parkos evaluate`, so a run killed with its process (SIGKILL, a restart) never stays "running".
    """
    cutoff = stale_before()
    dead = (
        Q(heartbeat_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started__isnull=True, created__lt=cutoff)
    )
    running = EvaluationRun.objects.filter(status=EvaluationRun.Status.RUNNING)
    failed = 0
    for pk, heartbeat_at, started, created in running.filter(dead).values_list(
        "pk", "heartbeat_at", "started", "created"
    ):
        last = heartbeat_at or started or created
        reason = _("The process running it stopped (no heartbeat since %(time)s).") % {
            "time": formats.date_format(timezone.localtime(last), "DATETIME_FORMAT")
        }
        # the same condition again: a heartbeat that came in since the read keeps the run alive
        failed += running.filter(dead, pk=pk).update(
            status=EvaluationRun.Status.FAILED, finished=timezone.now(), error=reason
        )
    return failed


def visible_runs(user: Actor) -> QuerySet[EvaluationRun]:
    """The runs ``user`` may see, each with its true status (dead runs failed first)."""
    fail_dead_runs()
    return EvaluationRun.objects.restrict(user)
