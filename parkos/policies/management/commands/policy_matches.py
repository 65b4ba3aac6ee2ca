"""`parkos policy_matches`: match every policy against every enterprise and store the result (run it nightly:
deploy/systemd/parkos-policy-matches.timer; the worker does it for a policy whose rules change)."""

import time

from django.core.management.base import BaseCommand, CommandError

from parkos.policies.models import Policy
from parkos.policies.outcomes import refresh_stored
from parkos.policies.snapshot import refresh


class Command(BaseCommand):
    help = (
        "Match every policy (or --policy ID ...) against every enterprise and store who qualifies and who nearly does."
    )

    def add_arguments(self, parser):
        parser.add_argument("--policy", type=int, action="append", default=[], help="only this policy (repeatable)")

    def handle(self, *args, policy: list[int], **options):
        policies = Policy.objects.order_by("pk")
        if policy:
            policies = policies.filter(pk__in=policy)
            missing = sorted(set(policy) - set(policies.values_list("pk", flat=True)))
            if missing:
                raise CommandError(f"--policy: no policy {', '.join(map(str, missing))}")
        start, cpu = time.perf_counter(), time.process_time()
        stored = refresh(list(policies))
        tables = refresh_stored([p.pk for p in policies])
        self.stdout.write(
            f"policy_matches: {len(stored)} policies, {sum(stored.values())} enterprises stored,"
            f" {tables} outcome tables recomputed"
            f" in {time.perf_counter() - start:.2f} s ({time.process_time() - cpu:.2f} s CPU)."
        )
