"""`parkos cockpit_warm`: compute the cockpit's figures ahead of its readers, once or every N seconds."""

from django.core.management.base import BaseCommand, CommandError

from parkos.cockpit.freshness import warm_loop


class Command(BaseCommand):
    help = (
        "Compute and keep the cockpit's figures for the group, each brand, district and park, in each language, "
        "for the default period, for every audience of staff; with --every, again whenever the data they read "
        "has changed (checked every N seconds) and at least every PARKOS_COCKPIT_CACHE_SECONDS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=0, help="check again every this many seconds, until stopped (e.g. 60)"
        )
        parser.add_argument(
            "--scopes", choices=("all", "group"), default="all", help="all the common scopes, or the group only"
        )

    def handle(self, *args, every: int, scopes: str, **options):
        if every < 0:
            raise CommandError("--every must be a number of seconds, e.g. 60.")
        warm_loop(every, self.stdout.write, scopes=scopes)
