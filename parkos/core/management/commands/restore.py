"""`parkos restore ARCHIVE`: a `parkos backup` archive into an empty database and media directory (core.backup)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from parkos.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive into the empty database DATABASE_URL points at and the empty MEDIA_ROOT "
        "(create the database first; no roles of the old server are needed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: default)")

    def handle(self, *args: Any, archive: Path, database: str, **options: Any) -> None:
        if not archive.is_file():
            raise CommandError(f"No file {archive}.")
        try:
            done = restore(archive=archive, connection=connections[database])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the {done.vendor} database of {done.created} and {done.files} uploaded files. "
            "Run `parkos migrate` if this version is newer than the backup's."
        )
