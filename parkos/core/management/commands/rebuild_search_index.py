"""parkos rebuild_search_index: empty the global search index and fill it again from every searchable row."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from parkos.core import search


class Command(BaseCommand):
    help = "Rebuild the global search index (codes, names and aliases of every searchable object)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()

        def progress(label: str, count: int) -> None:
            self.stdout.write(f"{label}: {count:,} entries")

        with transaction.atomic():
            total = search.rebuild(progress=progress)
        self.stdout.write(self.style.SUCCESS(f"{total:,} entries in {time.perf_counter() - started:.1f} s"))
