"""Issue 16: the occupancy page lists its buildings a page at a time, so its weight does not grow with the province
(3,000 buildings made a page of 953 KB); the totals, parks and brands still cover every building."""

import datetime

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parkos.core.testing import World
from parkos.leasing.models import Lease
from parkos.leasing.reports import BUILDINGS_PER_PAGE, EXPIRY_ROWS
from parkos.parks.models import Building, LandParcel, Park, SpaceUnit

BUILDINGS = BUILDINGS_PER_PAGE + 10


class OccupancyPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        world = World.build()
        cls.admin = world.users["operator_admin"]
        park = Park.objects.create(code="paged", name="Paged park", brand=world.park["in"].brand)
        parcel = LandParcel.objects.create(park=park, code="PG1", area=1000)
        buildings = Building.objects.bulk_create(
            Building(parcel=parcel, code=f"PG-{n:03d}", name="", floor_area=100) for n in range(BUILDINGS)
        )
        SpaceUnit.objects.bulk_create(
            SpaceUnit(building=building, code=f"{building.code}-1", floor=1, area=10) for building in buildings
        )
        cls.url = reverse("leasing:occupancy") + "?date=2026-06-30&park=" + str(park.pk)

    def setUp(self):
        self.client.force_login(self.admin)

    def rows(self, response) -> int:
        table = response.content.decode().split('id="buildings-table"', 1)[1].split("</table>", 1)[0]
        return table.count("<tr data-key=")

    def test_the_buildings_come_a_page_at_a_time(self):
        self.client.get(self.url)
        with CaptureQueriesContext(connection) as first:
            response = self.client.get(self.url)
        self.assertEqual(self.rows(response), BUILDINGS_PER_PAGE)
        self.assertContains(response, "page=2")
        self.assertContains(response, f"0 of {BUILDINGS} units occupied")  # the totals cover every building
        self.assertLessEqual(len(first.captured_queries), 15)
        with CaptureQueriesContext(connection) as second:
            response = self.client.get(self.url + "&page=2")
        self.assertEqual(self.rows(response), BUILDINGS - BUILDINGS_PER_PAGE)
        self.assertEqual(len(second.captured_queries), len(first.captured_queries))  # paging costs no query

    def test_a_page_out_of_range_shows_the_last(self):
        response = self.client.get(self.url + "&page=999")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.rows(response), BUILDINGS - BUILDINGS_PER_PAGE)
        response = self.client.get(self.url + "&page=x")
        self.assertEqual(self.rows(response), BUILDINGS_PER_PAGE)

    def test_the_figures_trend_totals_the_units_once(self):
        url = reverse("leasing:figures")
        self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        units = [q["sql"] for q in queries.captured_queries if 'FROM "parks_spaceunit"' in q["sql"]]
        self.assertEqual(units, [])  # the trend reads the stored rows per park (was every unit once, 12 times before)
        # the trend: 2 queries for the 12 month ends (was 2 per month end, then 5), and the period's figures
        self.assertLessEqual(len(queries.captured_queries), 25)


class ExpiryAlertsCapTests(TestCase):
    """The expiry alerts list the leases ending first of each window and say how many there are in all."""

    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        park = cls.world.park["in"]
        Lease.objects.bulk_create(
            Lease(
                tenant=cls.world.org["in"],
                park=park,
                reference=f"EXP-{n:03d}",
                start_date="2026-01-01",
                end_date=datetime.date(2026, 7, 1 + n % 28),
                effective_end=datetime.date(2026, 7, 1 + n % 28),  # save() sets it; bulk_create does not
                rent_amount=1,
                status=Lease.Status.IN_FORCE,
                leased_area=10,
            )
            for n in range(EXPIRY_ROWS + 5)
        )

    def test_each_window_is_capped_and_counted(self):
        self.client.force_login(self.world.users["operator_admin"])
        url = reverse("leasing:expiry_alerts") + "?date=2026-06-30"
        self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertLessEqual(response.content.count(b"EXP-"), 3 * EXPIRY_ROWS)
        self.assertContains(response, f"The {EXPIRY_ROWS} ending first of ")
        self.assertLessEqual(len(queries.captured_queries), 20)


def test_the_lease_list_order_has_its_index():
    """The lease list's first page is read from the index lease_list, not by sorting every lease (issue 16)."""
    index = next(i for i in Lease._meta.indexes if i.name == "lease_list")
    assert index.fields == ["-start_date", "-id"]
    assert Lease._meta.ordering == ["-start_date", "-pk"]
