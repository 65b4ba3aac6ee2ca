"""Apportioning tenants' land reads in a fixed number of queries, however many tenants there are."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from parkos.core.testing import World
from parkos.directory.models import Organization
from parkos.evaluation.models import IndicatorFiling
from parkos.evaluation.services import apportion_tenant_land


class ApportionQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()

    def add_tenants(self, n: int) -> None:
        for _ in range(n):
            org = Organization.objects.create(name=f"Tenant {Organization.objects.count()}")
            IndicatorFiling.objects.create(
                organization=org,
                year=2025,
                park=self.world.park["in"],
                parcel=self.world.parcel["in"],
                is_tenant=True,
                floor_area=500,
            )

    def settled_queries(self) -> int:
        apportion_tenant_land(year=2025)  # the first pass saves each tenant's new land share
        with CaptureQueriesContext(connection) as ctx:
            counts = apportion_tenant_land(year=2025)
        self.assertEqual(sum(counts.values()), IndicatorFiling.objects.filter(is_tenant=True).count())
        return len(ctx.captured_queries)

    def test_reads_do_not_grow_with_tenants(self):
        self.add_tenants(2)
        before = self.settled_queries()
        self.add_tenants(5)
        self.assertEqual(self.settled_queries(), before)
        share = IndicatorFiling.objects.filter(is_tenant=True).first()
        self.assertEqual(share.land_rule, "filed_floor_area")
        self.assertEqual(share.land_area, 1000)  # 500 of the building's 5,000 m² on a 10,000 m² parcel
