"""`parkos scheme export NAME [--version N] [FILE]` and `parkos scheme import FILE`: schemes as JSON files."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parkos.core.cli import acting_user
from parkos.evaluation.models import EvaluationScheme
from parkos.evaluation.scheme import SchemeError, default_schemes


class Command(BaseCommand):
    help = "Export a scheme to a JSON file, import one, or load the default schemes shipped with ParkOS."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="write a scheme version as JSON")
        export.add_argument("name")
        export.add_argument("file", nargs="?", type=Path, help="default: standard output")
        export.add_argument("--scheme-version", dest="scheme_version", type=int)
        load = sub.add_parser("import", help="create or replace a scheme version from a JSON file")
        load.add_argument("file", type=Path)
        load.add_argument("--user")
        defaults = sub.add_parser("load-defaults", help="load the default schemes")
        defaults.add_argument("--user")

    def handle(self, *args, action, **options):
        from parkos.evaluation.views import scheme_import

        if action == "export":
            versions = EvaluationScheme.objects.filter(name=options["name"]).order_by("-version")
            if options["scheme_version"]:
                versions = versions.filter(version=options["scheme_version"])
            scheme = versions.first()
            if scheme is None:
                raise CommandError(f"No scheme '{options['name']}'.")
            text = scheme.scheme().to_json() + "\n"
            if options["file"]:
                options["file"].write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
            return
        user = acting_user(options.get("user"))
        if action == "import":
            path = options["file"]
            if not path.is_file():
                raise CommandError(f"No file at {path}.")
            texts = [path.read_text(encoding="utf-8-sig")]
        else:
            texts = [s.to_json() for s in default_schemes().values()]
        for text in texts:
            try:
                scheme = scheme_import(text=text, user=user)
            except SchemeError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Loaded {scheme.name} v{scheme.version}.")
