"""`parkos reconcile_commitments --year YEAR [--park ID ...] [--user NAME]`: commitments checked against the facts.

Without --user the run is the scheduled one (no acting user; every park). Running it again for the same
year rewrites that year's outcomes.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from parkos.core.changelog import change_context
from parkos.core.cli import acting_user
from parkos.investment.services import reconcile_commitments


class Command(BaseCommand):
    help = "Compare every commitment in force in YEAR with its filings, leases and stages; store met / behind / missed."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--park", type=int, action="append", help="only this park (by id); repeat for several")
        parser.add_argument("--user", help="run as this user (default: the scheduled run, no user)")

    def handle(self, *args, year, park=None, user=None, **options):
        actor = acting_user(user) if user else None
        try:
            with change_context(user=actor, source="cli"):
                result = reconcile_commitments(year=year, user=actor, parks=park)
        except ValidationError as exc:
            raise CommandError(" ".join(str(m) for messages in exc.message_dict.values() for m in messages)) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        counts = ", ".join(f"{outcome} {n}" for outcome, n in result.counts.items())
        self.stdout.write(f"{year}: {result.checked} commitments checked ({counts}); {result.missed_new} newly missed.")
