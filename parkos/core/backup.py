"""Backups: the database and the uploaded files in one archive, and their restore into an empty installation.

An archive is a tar.gz holding ``manifest.json`` (format, database vendor, time), the database
(``database.dump``: ``pg_dump --format=custom --no-owner --no-acl``, restorable without the roles of the
server it came from; or ``database.sqlite3``: a consistent copy through SQLite's backup API, taken while
the server runs) and ``media/`` (MEDIA_ROOT). `parkos backup` and `parkos restore` call these.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.backends.base.base import BaseDatabaseWrapper

FORMAT = 1
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class Restored:
    """What a restore brought back: the database's vendor, when the backup was made, and how many files."""

    vendor: str
    created: str | None
    files: int


def backup(*, output: Path, connection: BaseDatabaseWrapper, media_root: Path | None = None) -> Path:
    """Write the database of ``connection`` and the files under ``media_root`` to the archive ``output``."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    vendor = _vendor(connection)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DUMPS[vendor]
        if vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-acl", f"--file={dump}"], connection)
        manifest = Path(work) / "manifest.json"
        manifest.write_text(
            json.dumps(
                {"format": FORMAT, "vendor": vendor, "created": datetime.datetime.now().astimezone().isoformat()}
            )
        )
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(manifest, "manifest.json")
            archive.add(dump, dump.name)
            if media_root.is_dir():
                archive.add(media_root, "media")
        partial.replace(output)  # never a half-written archive under the real name
    return output


def restore(*, archive: Path, connection: BaseDatabaseWrapper, media_root: Path | None = None) -> Restored:
    """Restore ``archive`` into the empty database of ``connection`` and the empty ``media_root``."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    vendor = _vendor(connection)
    if connection.introspection.table_names():
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty: restore into a new, empty database."
        )
    if media_root.is_dir() and any(p.is_file() for p in media_root.rglob("*")):
        raise BackupError(f"{media_root} already holds files: restore into an empty media directory.")
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(work, filter="data")
        try:
            manifest = json.loads((Path(work) / "manifest.json").read_text())
        except (OSError, ValueError) as exc:
            raise BackupError(f"{archive} is not a ParkOS backup (no manifest).") from exc
        if manifest.get("vendor") != vendor:
            raise BackupError(f"{archive} holds a {manifest.get('vendor')} database; DATABASE_URL points at {vendor}.")
        dump = Path(work) / DUMPS[vendor]
        if vendor == "sqlite":
            source = sqlite3.connect(dump)
            try:
                connection.ensure_connection()
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            _run(
                ["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction",
                 f"--dbname={connection.settings_dict['NAME']}", str(dump)],
                connection,
            )  # fmt: skip
        files = 0
        if (Path(work) / "media").is_dir():
            shutil.copytree(Path(work) / "media", media_root, dirs_exist_ok=True)
            files = sum(1 for p in media_root.rglob("*") if p.is_file())
    return Restored(vendor=vendor, created=manifest.get("created"), files=files)


def _vendor(connection: BaseDatabaseWrapper) -> str:
    vendor: str = connection.vendor
    if vendor not in DUMPS:
        raise ImproperlyConfigured(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _run(command: list[str], connection: BaseDatabaseWrapper) -> None:
    """Run a PostgreSQL client with the connection's server, user and password in its environment."""
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed (the PostgreSQL client tools: apt install postgresql-client)."
        )
    params = connection.settings_dict
    env = {**os.environ}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if params.get(key):
            env[var] = str(params[key])
    if command[0] == "pg_dump":
        env["PGDATABASE"] = params["NAME"]
    if sslmode := params.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = sslmode
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")
