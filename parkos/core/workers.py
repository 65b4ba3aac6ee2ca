"""Tasks whose worker died go back to the queue.

django-tasks-db claims a task by marking it RUNNING with the worker's id, and nothing ever looks at
it again: if that worker is killed (SIGKILL, out of memory, a machine gone) the task stays RUNNING
for ever. Every ``parkos db_worker`` stamps its ``WorkerHeartbeat`` row every HEARTBEAT_INTERVAL
seconds; at each beat it also calls ``requeue_orphaned_tasks``, which puts back in the queue every
task still RUNNING whose worker has not beaten for HEARTBEAT_TIMEOUT seconds, so another worker (on
this machine or another) runs it again. A task that has already been claimed ``MAX_ATTEMPTS`` times
(it kills its worker each time: out of memory) is marked failed instead.

The tasks are written to be run again: an evaluation run recomputes its results in one transaction,
an import (one transaction too) wrote nothing when its process died and is started afresh.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from parkos.core.heartbeat import stale_before
from parkos.core.models import WorkerHeartbeat

#: a task claimed this many times by workers that died is failed, not queued again
MAX_ATTEMPTS = 3

logger = logging.getLogger(__name__)


class WorkerDied(Exception):
    """Recorded as the error of a task whose workers died ``MAX_ATTEMPTS`` times while running it."""


def requeue_orphaned_tasks() -> int:
    """Queue again (or fail, after MAX_ATTEMPTS) the running tasks of workers that stopped beating; how many."""
    cutoff = stale_before()
    live = set(WorkerHeartbeat.objects.filter(heartbeat_at__gte=cutoff).values_list("worker_id", flat=True))
    running = DBTaskResult.objects.running()
    handled = 0
    for pk, worker_ids, started_at in running.values_list("pk", "worker_ids", "started_at"):
        if worker_ids and worker_ids[-1] in live:
            continue
        if started_at is not None and started_at >= cutoff:
            continue  # claimed moments ago: its worker's first beat may not be in yet
        # the same row as read (status and start), so two workers reaping at once act once
        same = DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING, started_at=started_at)
        with transaction.atomic():
            task = same.select_for_update(skip_locked=True).first()
            if task is None:
                continue
            if len(worker_ids) >= MAX_ATTEMPTS:
                task.set_failed(WorkerDied(f"its worker died {len(worker_ids)} times while running it"))
                logger.error("task %s failed: its worker died %d times", pk, len(worker_ids))
            else:
                same.update(status=TaskResultStatus.READY, started_at=None)
                logger.warning("task %s requeued: worker %s stopped beating", pk, (worker_ids or ["?"])[-1])
        handled += 1
    return handled


def forget_dead_workers() -> int:
    """Remove the rows of workers that were killed and have not beaten since (a clean stop removes its own)."""
    deleted, _ = WorkerHeartbeat.objects.filter(heartbeat_at__lt=stale_before()).delete()
    return deleted
