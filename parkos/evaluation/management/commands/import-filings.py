"""`parkos import-filings SOURCE FILE [--dry-run]`: merge one source's file into the indicator filings."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parkos.core.cli import acting_user, progress_bar
from parkos.core.resources import load_dataset
from parkos.evaluation.layouts import LAYOUTS
from parkos.evaluation.services import filings_import


class Command(BaseCommand):
    help = "Merge a tax bureau, power company, statistics, land bureau ... file (.csv or .xlsx) into the filings."

    def add_arguments(self, parser):
        parser.add_argument("source", choices=sorted(LAYOUTS), help="the file's column layout")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--user", help="act as this user (default: the only superuser)")

    def handle(self, *args, source, file, dry_run, user, **options):
        if not file.is_file():
            raise CommandError(f"No file at {file}.")
        try:
            dataset = load_dataset(file.read_bytes(), file.name)
        except ValueError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        with progress_bar(f"Importing {file.name}", None, enabled=options["verbosity"] > 0 and not dry_run) as step:
            report = filings_import(
                layout=source, dataset=dataset, user=acting_user(user), dry_run=dry_run, on_row=step
            )
        if not report.ok:
            for error in report.errors:
                where = f"row {error.row} (line {error.line})" if error.row else "file"
                column = f", column '{error.field}'" if error.field else ""
                self.stderr.write(f"{file.name}: {where}{column}: {error.message}")
            raise CommandError(f"{len(report.errors)} error(s); nothing was written.")
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {report.total} rows: {report.new} new, {report.updated} updated, {report.unchanged} unchanged."
        )
