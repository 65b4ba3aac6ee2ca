"""`parkos notify_due`: the scheduled checks and due retries, once or every N seconds."""

import time

from django.core.management.base import BaseCommand, CommandError

from parkos.notifications.checks import run_checks


class Command(BaseCommand):
    help = (
        "Tell people of service requests about to breach or overdue, leases at their expiry horizons, "
        "contacts and commitments due, disposal milestones due; retry failed deliveries. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=0, help="run again every this many seconds, until stopped (e.g. 3600)"
        )

    def handle(self, *args, every: int, **options):
        if every < 0:
            raise CommandError("--every must be a number of seconds, e.g. 3600.")
        while True:
            counts = run_checks()
            made = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()) if n) or "nothing new"
            self.stdout.write(f"notify_due: {made}.")
            if not every:
                return
            time.sleep(every)
