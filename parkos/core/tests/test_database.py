"""The database connection: SQLite in WAL mode with a busy timeout, so reads and logins go on during a long write."""

import sqlite3

import pytest
from django.db import connections


@pytest.fixture
def sqlite_file_connection(tmp_path, django_db_blocker):
    """A new connection configured as settings configure the default one, to a file (not the in-memory test DB)."""
    default = connections["default"]
    if default.vendor != "sqlite":
        pytest.skip("SQLite only")
    settings_dict = {**default.settings_dict, "NAME": str(tmp_path / "parkos.sqlite3")}
    wrapper = type(default)(settings_dict, alias="sqlite_file")
    with django_db_blocker.unblock():
        wrapper.ensure_connection()
        yield wrapper
        wrapper.close()


def test_a_new_sqlite_connection_is_in_wal_mode(sqlite_file_connection):
    with sqlite_file_connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_a_sqlite_writer_waits_for_another_instead_of_failing(sqlite_file_connection):
    with sqlite_file_connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 10_000  # milliseconds


def test_reads_go_on_while_another_connection_holds_a_write_transaction(sqlite_file_connection):
    with sqlite_file_connection.cursor() as cursor:
        cursor.execute("CREATE TABLE t (x integer)")
        cursor.execute("INSERT INTO t VALUES (1)")
    writer = sqlite3.connect(sqlite_file_connection.settings_dict["NAME"], timeout=0)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO t VALUES (2)")  # uncommitted: the write lock is held
        with sqlite_file_connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM t")
            assert cursor.fetchone()[0] == 1
    finally:
        writer.rollback()
        writer.close()
