"""`parkos cockpit_warm`: compute the cockpit's figures ahead of its readers, once or every N seconds."""

from django.core.management.base import BaseCommand, CommandError

from parkos.cockpit.freshness import warm_loop


class Command(BaseCommand):
    help = (
        "Compute and keep the cockpit's figures for the group, each brand, district and park, in each language, "
        "for the default period, for every audience of staff; with --every N, again at least every N seconds "
        "(and PARKOS_COCKPIT_CACHE_SECONDS), and between those rounds the parts a change made stale within "
        "--poll seconds (readers get the figures before the change meanwhile, marked as being refreshed)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=0, help="check again every this many seconds, until stopped (e.g. 60)"
        )
        parser.add_argument(
            "--poll", type=int, default=3, help="with --every: look for changes every this many seconds (default 3)"
        )
        parser.add_argument(
            "--scopes", choices=("all", "group"), default="all", help="all the common scopes, or the group only"
        )

    def handle(self, *args, every: int, scopes: str, poll: int = 3, **options):
        if every < 0:
            raise CommandError("--every must be a number of seconds, e.g. 60.")
        if poll < 1:
            raise CommandError("--poll must be a number of seconds, e.g. 3.")
        warm_loop(every, self.stdout.write, scopes=scopes, poll=poll)
