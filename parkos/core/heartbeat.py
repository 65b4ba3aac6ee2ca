"""Heartbeats of background work (evaluation runs, ...), so that work whose process died can be told from slow work.

A process doing the work stamps the row's ``heartbeat_at`` when it starts, as it makes progress, and
every ``HEARTBEAT_INTERVAL`` seconds from a thread while a long step runs. A row still marked running
whose heartbeat is older than ``HEARTBEAT_TIMEOUT`` seconds belongs to a process that was killed
(SIGKILL, out of memory, a restarted container): nothing else would ever finish it, so the reader who
finds it marks it failed (``stale_before`` gives the cut-off).
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)


def stale_before() -> datetime.datetime:
    """Work whose last heartbeat is older than this is dead."""
    return timezone.now() - datetime.timedelta(seconds=settings.HEARTBEAT_TIMEOUT)


def beat(queryset: QuerySet[Any], **values: Any) -> None:
    """Stamp the heartbeat of the rows of ``queryset`` (one UPDATE, no signals: a heartbeat is not a change).

    ``values`` are further fields written with it (the progress of an import).
    """
    queryset.update(heartbeat_at=timezone.now(), **values)


@contextmanager
def heartbeat(
    queryset: QuerySet[Any],
    *,
    every: float | None = None,
    values: Callable[[], dict[str, Any]] | None = None,
    also: Callable[[], object] | None = None,
) -> Iterator[None]:
    """Beat for ``queryset``'s rows now, then every ``every`` seconds from a thread until the block ends.

    The thread uses a connection of its own, so what it writes is seen at once even while the work holds
    a transaction open (its progress, from ``values()`` at each beat). A beat that finds the database busy
    (SQLite while the work writes) is skipped, the next one tries again. ``also()`` runs after each beat
    of the thread (a worker's reaper of dead workers' tasks, core.workers).
    """
    every = settings.HEARTBEAT_INTERVAL if every is None else every
    beat(queryset)
    stop = threading.Event()

    def keep_beating() -> None:
        try:
            while not stop.wait(every):
                with suppress(DatabaseError):
                    beat(queryset, **(values() if values else {}))
                if also is not None:
                    try:
                        also()
                    except Exception:  # never the end of the beats: a worker that stops beating counts as dead
                        logger.exception("heartbeat: %s failed", getattr(also, "__name__", also))
        finally:
            connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=keep_beating, name="heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@contextmanager
def waiting_briefly(seconds: float = 0.5, using: str = "default") -> Iterator[None]:
    """On SQLite, a write in this block gives up after ``seconds`` instead of the busy timeout.

    For a reader that marks dead work failed: while a live worker holds SQLite's write lock (an import
    writing all its rows in one transaction) the page should not wait 20 s to learn that; if the worker
    is dead its lock is gone and the write goes through at once.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(connection.settings_dict['OPTIONS'].get('timeout', 5) * 1000)}")
