"""`parkos extract FILE... [--format json]`: draft the records of press articles, as JSON, without saving them."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from parkos.intake.extraction.gazetteer import Gazetteer, directory_gazetteer
from parkos.intake.extraction.pipeline import extract
from parkos.intake.extraction.reading import ReadError, read_document


class Command(BaseCommand):
    help = (
        "Read press articles (.txt, .html, .docx; '-' for standard input) and print what ParkOS drafts from each: "
        "one JSON document per file, a list when there are several. Nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="article files, or - for standard input")
        parser.add_argument("--format", choices=["json"], default="json", help="output format (json)")
        parser.add_argument("--indent", type=int, default=2, help="JSON indentation (0: one line per document)")
        parser.add_argument(
            "--no-directory", action="store_true", help="do not use the directory's names as a gazetteer"
        )

    def handle(self, *args, files, indent, no_directory, **options):
        import sys

        texts = []
        for name in files:
            if name == "-":
                data, label = sys.stdin.buffer.read(), "stdin"
            else:
                path = Path(name)
                if not path.is_file():
                    raise CommandError(f"{name}: no such file.")
                try:
                    data = path.read_bytes()
                except OSError as error:
                    raise CommandError(f"{name}: cannot be read ({error.strerror}).") from error
                label = path.name
            try:
                texts.append((read_document(data, "" if name == "-" else label), label))
            except ReadError as error:
                raise CommandError(f"{name}: {error}") from error
        gazetteer = Gazetteer.build([]) if no_directory else self._directory()
        documents = [extract(text, source=label, gazetteer=gazetteer) for text, label in texts]
        output = documents[0] if len(documents) == 1 else documents
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=indent or None))

    def _directory(self) -> Gazetteer:
        """The directory's names; without a database (not migrated yet), the built-in word lists only."""
        try:
            return directory_gazetteer()
        except DatabaseError as error:
            self.stderr.write(f"The directory cannot be read ({error}); organizations are found by their form only.")
            return Gazetteer.build([])
