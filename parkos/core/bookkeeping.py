"""Bookkeeping writes that must never hold a user up behind a long import on SQLite.

SQLite has one writer at a time. While an import writes thousands of rows in one transaction, a sign-in
would wait for the write lock only to note the last login and clear the failed-attempt counter; after the
busy timeout it would fail. These writes are bookkeeping, not the user's work: on SQLite they are tried for
a moment and skipped (and logged) if the database is busy. PostgreSQL has row locks, so there they always run.
The session itself lives outside the database on SQLite (settings: SESSION_ENGINE), so a sign-in writes
nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.http import HttpRequest
from django.utils import timezone

logger = logging.getLogger(__name__)

#: How long a bookkeeping write waits for SQLite's write lock before it is skipped.
BOOKKEEPING_WAIT_MS = 300


def _busy_timeout_ms(options: dict[str, Any]) -> int:
    """The connection's configured busy timeout (settings: OPTIONS["timeout"], seconds; sqlite3's default 5)."""
    return int(float(options.get("timeout", 5)) * 1000)


def bookkeeping_write(what: str, work: Callable[[], object], using: str = DEFAULT_DB_ALIAS) -> bool:
    """Run ``work`` in its own transaction; on SQLite, give up after a moment if another writer holds the lock.

    Returns whether it ran. Nothing of it is written when it gives up (the transaction rolls back, or never
    began); other errors propagate. A function, not a context manager, because giving up can happen before
    the work starts (SQLite takes the write lock at BEGIN IMMEDIATE).
    """
    connection = connections[using]
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        # PostgreSQL locks rows, not the database; inside an outer transaction the lock is already held
        with transaction.atomic(using=using):
            work()
        return True
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {BOOKKEEPING_WAIT_MS}")
    try:
        with transaction.atomic(using=using):
            work()
        return True
    except OperationalError as error:
        if "locked" not in str(error) and "busy" not in str(error):
            raise
        logger.warning("Skipped %s: the database is busy with another write.", what)
        return False
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {_busy_timeout_ms(connection.settings_dict.get('OPTIONS', {}))}")


def note_last_login(sender: Any, user: Any, **kwargs: Any) -> None:
    """Replaces Django's update_last_login: the same update, as bookkeeping (no save(), so no change-log entry)."""
    bookkeeping_write(
        "the last-login time",
        lambda: type(user)._default_manager.filter(pk=user.pk).update(last_login=timezone.now()),
    )


class LoginAttemptHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """django-axes' database handler, whose clean-up after a successful sign-in is bookkeeping.

    Failed sign-ins are still counted by the plain handler, waiting for the lock: throttling must not be
    skipped while an import runs.
    """

    def user_logged_in(self, sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        bookkeeping_write(
            "the sign-in record",
            lambda: super(LoginAttemptHandler, self).user_logged_in(sender, request, user, **kwargs),
        )
