"""`parkos backup` and `parkos restore`: a record and an uploaded file survive a restore into an empty database."""

import io
import shutil
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import TransactionTestCase, override_settings

from parkos.core.backup import BackupError, backup, restore
from parkos.directory.models import Organization


class BackupRestoreTests(TransactionTestCase):
    """Committed data (a backup reads what other sessions see), hence a TransactionTestCase."""

    def setUp(self):
        import tempfile

        self.tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.media = self.tmp / "media"
        (self.media / "disposal" / "2026").mkdir(parents=True)
        self.upload = self.media / "disposal" / "2026" / "minutes.txt"
        self.upload.write_bytes("会议纪要 minutes\n".encode())
        self.org = Organization.objects.create(name="Backed Up Ltd")

    def target(self):
        """A connection to a new, empty database like the default one, closed and dropped after the test."""
        default = connections["default"]
        if default.vendor == "sqlite":
            return type(default)({**default.settings_dict, "NAME": str(self.tmp / "restored.sqlite3")}, alias="target")
        if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
            pytest.skip("the PostgreSQL client tools are not installed")
        name = f"parkos_restore_{uuid.uuid4().hex[:8]}"
        with default._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        wrapper = type(default)({**default.settings_dict, "NAME": name}, alias="target")

        def drop():
            wrapper.close()
            with default._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')

        self.addCleanup(drop)
        return wrapper

    def test_a_backup_restored_into_an_empty_database_has_the_record_and_the_file(self):
        archive = backup(output=self.tmp / "parkos.tar.gz", connection=connections["default"], media_root=self.media)
        target = self.target()
        self.addCleanup(target.close)
        restored_media = self.tmp / "restored-media"
        done = restore(archive=archive, connection=target, media_root=restored_media)
        self.assertEqual(done.files, 1)
        with target.cursor() as cursor:
            cursor.execute(f"SELECT name FROM {Organization._meta.db_table} WHERE id = %s", [self.org.pk])
            self.assertEqual(cursor.fetchone(), ("Backed Up Ltd",))
        self.assertEqual((restored_media / "disposal" / "2026" / "minutes.txt").read_bytes(), self.upload.read_bytes())
        with self.assertRaisesRegex(BackupError, "not empty"):
            restore(archive=archive, connection=target, media_root=self.tmp / "other-media")

    def test_the_backup_command_writes_an_archive(self):
        with override_settings(MEDIA_ROOT=self.media):
            call_command("backup", "-o", str(self.tmp / "cli.tar.gz"), stdout=io.StringIO())
        self.assertGreater((self.tmp / "cli.tar.gz").stat().st_size, 0)
        self.assertFalse((self.tmp / "cli.tar.gz.partial").exists())
