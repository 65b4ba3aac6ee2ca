"""Sign-in bookkeeping (last login, the sign-in record) never waits behind a long write on SQLite (issue 12 #12)."""

import sqlite3
import time

import pytest
from django.contrib.auth.signals import user_logged_in
from django.db import connections
from django.test import TestCase
from django.urls import reverse

from parkos.core.bookkeeping import BOOKKEEPING_WAIT_MS, bookkeeping_write, note_last_login
from parkos.users.models import User


@pytest.fixture
def file_database(tmp_path, django_db_blocker):
    """A second connection alias to a SQLite file, configured as the default one (WAL, busy timeout)."""
    default = connections["default"]
    if default.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL writers lock rows, not the database")
    settings_dict = {**default.settings_dict, "NAME": str(tmp_path / "parkos.sqlite3")}
    wrapper = type(default)(settings_dict, alias="bookkeeping_file")
    connections["bookkeeping_file"] = wrapper
    with django_db_blocker.unblock():
        with wrapper.cursor() as cursor:
            cursor.execute("CREATE TABLE noted (x integer)")
        yield wrapper
        wrapper.close()
    del connections["bookkeeping_file"]


def _insert(wrapper):
    with wrapper.cursor() as cursor:
        cursor.execute("INSERT INTO noted VALUES (1)")


def _count(path):
    reader = sqlite3.connect(path)
    try:
        return reader.execute("SELECT count(*) FROM noted").fetchone()[0]
    finally:
        reader.close()


def test_bookkeeping_is_skipped_at_once_while_another_process_writes(file_database):
    holder = sqlite3.connect(file_database.settings_dict["NAME"], timeout=0, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # what a long import holds
    try:
        started = time.monotonic()
        ran = bookkeeping_write("a test note", lambda: _insert(file_database), using="bookkeeping_file")
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not ran
    assert waited < 5 * BOOKKEEPING_WAIT_MS / 1000  # not the 20 s busy timeout
    assert _count(file_database.settings_dict["NAME"]) == 0
    with file_database.cursor() as cursor:  # the connection waits as long as configured again
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == int(file_database.settings_dict["OPTIONS"]["timeout"] * 1000)


def test_bookkeeping_is_written_when_nobody_else_writes(file_database):
    assert bookkeeping_write("a test note", lambda: _insert(file_database), using="bookkeeping_file")
    assert _count(file_database.settings_dict["NAME"]) == 1


def test_other_database_errors_are_not_swallowed(file_database):
    def broken():
        with file_database.cursor() as cursor:
            cursor.execute("INSERT INTO missing VALUES (1)")

    with pytest.raises(Exception, match="no such table"):
        bookkeeping_write("a test note", broken, using="bookkeeping_file")


class SignInTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = User.objects.create_user(username="bookkeeper", password="a-long-test-password")

    def test_django_last_login_receiver_is_replaced_by_the_bookkeeping_one(self):
        receivers = [entry[1]() for entry in user_logged_in.receivers]
        self.assertIn(note_last_login, receivers)
        self.assertNotIn("update_last_login", [getattr(r, "__name__", "") for r in receivers])

    def test_a_sign_in_notes_the_last_login_and_the_access_log(self):
        from axes.models import AccessLog

        response = self.client.post(reverse("login"), {"username": "bookkeeper", "password": "a-long-test-password"})
        self.assertEqual(response.status_code, 302)
        self.user.refresh_from_db()
        self.assertIsNotNone(self.user.last_login)
        self.assertTrue(AccessLog.objects.filter(username="bookkeeper").exists())
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)  # the session holds

    def test_failed_sign_ins_are_still_counted(self):
        from axes.models import AccessAttempt

        self.client.post(reverse("login"), {"username": "bookkeeper", "password": "wrong"})
        self.assertEqual(AccessAttempt.objects.get(username="bookkeeper").failures_since_start, 1)
