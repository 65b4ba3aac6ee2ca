"""End to end with investment's real reconciliation: a commitment found missed opens its default case once."""

import datetime
from decimal import Decimal

from parkos.compliance.models import DefaultCase
from parkos.investment.models import Commitment
from parkos.investment.tests.test_reconcile import ReconcileTests


class ReconciliationOpensCasesTests(ReconcileTests):
    def test_a_missed_commitment_opens_one_case_and_a_met_one_none(self):
        missed = self.commit(Commitment.Kind.JOBS, 500, due=datetime.date(2025, 6, 30))
        met = self.commit(Commitment.Kind.JOBS, 100, due=datetime.date(2025, 6, 30))
        staff = self.world.users["investment_staff"]
        self.reconcile(user=staff)
        case = DefaultCase.objects.get()
        self.assertEqual(
            (case.commitment, case.year, case.target, case.actual, case.gap, case.source, case.owner),
            (missed, 2025, Decimal(500), Decimal(120), Decimal(380), "filing", staff),
        )
        self.assertFalse(DefaultCase.objects.filter(commitment=met).exists())
        self.reconcile()
        self.assertEqual(DefaultCase.objects.count(), 1)
