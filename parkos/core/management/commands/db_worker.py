"""`parkos db_worker`: django-tasks' database worker, with a heartbeat for /health/ (core.health).

The worker registers itself (a ``WorkerHeartbeat`` row), a thread stamps the row every
HEARTBEAT_INTERVAL seconds while the worker runs (a task or the wait for one), and the row is removed
when the worker stops (a killed worker's row is removed by the next worker to start). At each beat the
worker also puts back in the queue the tasks of workers that stopped beating (killed mid-task, on this
machine or another: core.workers), which django-tasks-db would leave "running" for ever. Options are
django-tasks-db's.
"""

import os
import signal
import socket
from contextlib import suppress
from typing import Any

from django.db import DatabaseError
from django_tasks_db.management.commands.db_worker import Command as TasksDbWorkerCommand

from parkos.core.heartbeat import heartbeat
from parkos.core.models import WorkerHeartbeat
from parkos.core.workers import forget_dead_workers, requeue_orphaned_tasks


def _stop_before_the_loop(signum: int, frame: Any) -> None:
    """SIGTERM before django-tasks' loop has put in its own graceful handler: stop now, through the finally
    that removes this worker's row (the default action would leave the row to go stale)."""
    raise SystemExit(0)


class Command(TasksDbWorkerCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        signal.signal(signal.SIGTERM, _stop_before_the_loop)  # django-tasks' worker replaces it when it starts
        worker_id = options["worker_id"]
        forget_dead_workers()  # rows of workers that were killed (no clean stop) and have not beaten since
        requeue_orphaned_tasks()  # and the tasks they were running
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id, defaults={"hostname": socket.gethostname()[:255], "pid": os.getpid()}
        )
        rows = WorkerHeartbeat.objects.filter(worker_id=worker_id)
        try:
            with heartbeat(rows, also=requeue_orphaned_tasks):
                super().handle(*args, **options)
        finally:
            with suppress(DatabaseError):  # the database is gone: the row goes stale and /health/ says so
                rows.delete()
