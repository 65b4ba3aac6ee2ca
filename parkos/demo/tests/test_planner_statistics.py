"""The demo's closing ANALYZE: statistics for this database's tables, no lock on what other databases share."""

import pytest
from django.db import connection

from parkos.demo.generator import refresh_planner_statistics

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's shared catalogs and pg_locks"),
]


def _scalar(sql: str):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def test_this_databases_tables_are_analyzed():
    """A never-analyzed table has reltuples -1 (PostgreSQL 14 and later); ANALYZE sets it, inside the transaction."""
    refresh_planner_statistics()
    assert _scalar("SELECT reltuples FROM pg_class WHERE relname = 'directory_organization'") >= 0


def test_no_lock_is_kept_on_the_catalogs_every_database_shares():
    """A bare ANALYZE kept ShareUpdateExclusiveLock on pg_database, pg_authid, ... (pg_locks.database = 0) until
    the transaction ended: a test module's open transaction in one database stalled the demo load in another."""
    refresh_planner_statistics()
    shared = _scalar(
        "SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND database = 0 "
        "AND mode = 'ShareUpdateExclusiveLock'"
    )
    assert shared == 0
