"""A run reads its inputs and never changes them: tenants' land is apportioned into the run, not onto the filings."""

import datetime
from decimal import Decimal

from django.test import TestCase

from parkos.core.testing import World
from parkos.directory.models import Organization
from parkos.evaluation.models import EvaluationResult, IndicatorFiling, LandRule
from parkos.evaluation.services import apportioned_land, run_evaluation
from parkos.evaluation.tests.helpers import credit_code, load_scheme
from parkos.leasing.models import Lease
from parkos.parks.models import SpaceUnit


class RunLeavesFilingsAloneTests(TestCase):
    """Two tenants in park "in" (a 10,000 m² parcel under 5,000 m² of buildings): one filed 500 m² of floor
    area; the other filed 500 m² too but leases 2,000 m² in park "out", which is not this filing's business."""

    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.scheme = load_scheme("zhejiang_above_threshold")
        cls.tenants = []
        for i in range(2):
            org = Organization.objects.create(name=f"Tenant {i}", credit_code=credit_code(300 + i))
            IndicatorFiling.objects.create(
                organization=org,
                year=2024,
                park=cls.world.park["in"],
                parcel=cls.world.parcel["in"],
                is_tenant=True,
                above_size_threshold=True,
                floor_area=Decimal(500),
                revenue=Decimal(30_000_000),
                value_added=Decimal(8_000_000),
                industrial_output=Decimal(25_000_000),
                tax=Decimal(1_500_000 + i),
                rd_expenditure=Decimal(600_000),
                employees=80,
                energy_tce=Decimal(900),
                emissions_t=Decimal(3),
            )
            cls.tenants.append(org)
        unit = SpaceUnit.objects.create(building=cls.world.building["out"], code="U-OUT", area=2_000)
        lease = Lease.objects.create(
            tenant=cls.tenants[1],
            park=cls.world.park["out"],
            start_date=datetime.date(2024, 1, 1),
            status="in_force",
            rent_amount=Decimal(1),
        )
        lease.units.add(unit)
        cls.user = cls.world.users["evaluation_officer"]

    def test_a_run_changes_no_filing(self):
        before = list(IndicatorFiling.objects.order_by("pk").values())
        run_evaluation(scheme=self.scheme, year=2024, user=self.user)
        self.assertEqual(list(IndicatorFiling.objects.order_by("pk").values()), before)

    def test_the_run_reads_the_tenants_apportioned_land(self):
        run = run_evaluation(scheme=self.scheme, year=2024, user=self.user)
        for tenant in self.tenants:
            result = EvaluationResult.objects.get(run=run, organization=tenant)
            # 500 of the 5,000 m² built on the 10,000 m² parcel: 1,000 m² = 1.5 mu
            self.assertAlmostEqual(result.land_mu, 1.5)

    def test_land_is_apportioned_only_from_parcels_of_the_filings_park(self):
        filings = list(IndicatorFiling.objects.filter(organization__in=self.tenants).order_by("organization_id"))
        shares = apportioned_land(filings)
        self.assertEqual(
            [(land, rule, parcel) for land, rule, parcel in shares],
            [(Decimal("1000.00"), LandRule.FILED_FLOOR_AREA, self.world.parcel["in"].pk)] * 2,
        )
