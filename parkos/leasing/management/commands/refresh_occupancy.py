"""parkos refresh_occupancy: compute the stored occupancy of every park again (parkos.leasing.stored).

Pages recompute a park whose rows are out of date on their own; this is for after writes that send no signals
(``bulk_create``, ``update``, SQL: a bulk import or the demo loader), so the first reader does not pay for it.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from parkos.leasing import stored
from parkos.parks.models import Park


class Command(BaseCommand):
    help = "Compute the stored occupancy per park again (after bulk writes of leases, sales or units)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--park", action="append", default=[], help="a park's code (repeatable); default: all")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        ids = None
        if options["park"]:
            ids = list(Park.objects.filter(code__in=options["park"]).values_list("pk", flat=True))
        if ids is not None:
            stored.bump(ids)
        else:
            stored.bump(Park.objects.values_list("pk", flat=True))
        count = stored.refresh(ids)
        self.stdout.write(f"{count:,} parks' occupancy stored in {time.perf_counter() - started:.1f} s")
