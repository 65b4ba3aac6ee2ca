"""`parkos backup [-o FILE]`: the database and the uploaded files in one tar.gz (core.backup)."""

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from parkos.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files (MEDIA_ROOT) into one archive; safe while the server runs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", type=Path, help="archive to write (default: var/backups/parkos-TIME.tar.gz)"
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: default)")

    def handle(self, *args: Any, output: Path | None, database: str, **options: Any) -> None:
        if output is None:
            stamp = datetime.datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")
            output = settings.VAR_DIR / "backups" / f"parkos-{stamp}.tar.gz"
        try:
            written = backup(output=output, connection=connections[database])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Wrote {written} ({written.stat().st_size:,} bytes).")
