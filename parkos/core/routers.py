"""Reports read from a PostgreSQL read replica when one is configured (PARKOS_REPLICA_DATABASE_URL).

The database alias ``replica`` exists only when the setting is given. Code that computes a report runs
inside ``reading_reports()`` (or a view wrapped by ``reports_view``): its queries go to the replica.
Everything else, and every write wherever it happens, goes to ``default``, so a page never reads its
own write from a replica that has not caught up yet.

Which reads count as reports: the cockpit pages and their API (figures over whole parks and years,
the heaviest reads, where a few seconds of replication lag do not matter). A report view runs on GET
only; anything it writes (the session, a cached figure) still goes to ``default``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import connections
from django.db.models import Model

REPLICA = "replica"

_reading_reports: ContextVar[bool] = ContextVar("parkos_reading_reports", default=False)

_F = TypeVar("_F", bound=Callable[..., Any])


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def reading_reports() -> Iterator[None]:
    """Reads in this block go to the replica, when there is one."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


def reports_view(view: _F) -> _F:
    """A view whose GET and HEAD requests read from the replica (other methods are left alone)."""

    @functools.wraps(view)
    def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with reading_reports():
            return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]


class ReportReplicaRouter:
    """Reads of a report to ``replica`` (when configured), everything else to ``default``."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if _reading_reports.get() and replica_configured():
            return REPLICA
        return None  # default

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        return True  # the replica is a copy of default: rows of both are the same rows

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return db != REPLICA  # the replica follows default's schema through replication
