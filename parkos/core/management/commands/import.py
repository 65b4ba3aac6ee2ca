"""`parkos import MODEL FILE [--dry-run]`: import a CSV or XLSX file, all rows or none."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parkos.core.cli import acting_user, progress_bar
from parkos.core.resources import load_dataset, registered_labels, resource_for


class Command(BaseCommand):
    help = "Import rows of MODEL (e.g. organization or parks.landparcel) from a .csv or .xlsx file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("model", help=f"one of: {', '.join(registered_labels())}")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--user", help="act as this user (default: the only superuser)")

    def handle(self, *args: Any, model: str, file: Path, dry_run: bool, user: str | None, **options: Any) -> None:
        try:
            resource_class = resource_for(model)
        except KeyError as exc:
            raise CommandError(f"Unknown model '{model}'. Choose one of: {', '.join(registered_labels())}.") from exc
        if not resource_class.importable:
            raise CommandError(f"'{model}' is exported only (parkos export {model}): it cannot be imported.")
        if not file.is_file():
            raise CommandError(f"No file at {file}.")
        try:
            dataset = load_dataset(file.read_bytes(), file.name)
        except ValueError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        resource = resource_class(user=acting_user(user))
        with progress_bar(
            f"{'Checking' if dry_run else 'Importing'} {file.name}",
            len(dataset),
            enabled=options["verbosity"] > 0,
        ) as advance:
            report = resource.import_dataset(dataset, dry_run=dry_run, on_row=advance)
        if not report.ok:
            for error in report.errors:
                where = f"row {error.row} (line {error.line})" if error.row else "file"
                column = f", column '{error.field}'" if error.field else ""
                self.stderr.write(f"{file.name}: {where}{column}: {error.message}")
            raise CommandError(f"{len(report.errors)} error(s); nothing was written.")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {report.total} rows: {report.new} new, {report.updated} updated, {report.skipped} unchanged."
        )
