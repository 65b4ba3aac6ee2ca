"""`parkos export MODEL [--format csv|xlsx] [-o FILE]`: the rows the user may see, in import format."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parkos.core.cli import acting_user
from parkos.core.permissions import Action
from parkos.core.resources import EXPORT_FORMATS, export_bytes, registered_labels, resource_for


class Command(BaseCommand):
    help = "Export the rows of MODEL (e.g. organization or parks.landparcel) as CSV or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("model", help=f"one of: {', '.join(registered_labels())}")
        parser.add_argument("--format", choices=sorted(EXPORT_FORMATS), default="csv")
        parser.add_argument("-o", "--output", type=Path, help="file to write (default: standard output, CSV only)")
        parser.add_argument("--user", help="act as this user (default: the only superuser)")

    def handle(
        self, *args: Any, model: str, format: str, output: Path | None, user: str | None, **options: Any
    ) -> None:
        try:
            resource_class = resource_for(model)
        except KeyError as exc:
            raise CommandError(f"Unknown model '{model}'. Choose one of: {', '.join(registered_labels())}.") from exc
        if format == "xlsx" and output is None:
            raise CommandError("XLSX is binary: give a file with -o FILE.")
        acting = acting_user(user)
        resource = resource_class(user=acting)
        queryset = resource_class._meta.model.objects.restrict(acting, Action.VIEW)
        data = export_bytes(resource, queryset, format)
        if output is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            output.write_bytes(data)
            self.stderr.write(f"Wrote {queryset.count()} rows to {output}.")
