"""Issue 13: the vacancy board of a whole park shows one building at a time, so the page and its queries
stay the size of one building however many buildings the park has; the occupancy page's queries do not
grow with the number of parks."""

import re

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parkos.core.testing import World
from parkos.leasing.models import Lease
from parkos.parks.models import Building, LandParcel, Park, SpaceUnit

UNITS_PER_BUILDING = 12


class ParkBoardByBuildingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.buildings = [cls.add_building(i) for i in range(2)]

    @classmethod
    def add_building(cls, i: int) -> Building:
        w = cls.world
        building = Building.objects.create(parcel=w.parcel["in"], code=f"PB{i}", floor_area=1000)
        units = SpaceUnit.objects.bulk_create(
            SpaceUnit(building=building, code=f"PB{i}-{n:02}", floor=1 + n // 4, area=50)
            for n in range(UNITS_PER_BUILDING)
        )
        lease = Lease.objects.create(
            tenant=w.org["in"],
            park=w.park["in"],
            start_date="2026-01-01",
            end_date="2026-12-31",
            rent_amount=1,
            status=Lease.Status.IN_FORCE,
            leased_area=50,
        )
        lease.units.set(units[:3])
        return building

    def setUp(self):
        self.client.force_login(self.world.users["park_manager"])
        self.url = reverse("leasing:vacancy_board") + f"?park={self.world.park['in'].pk}&date=2026-06-30"

    def measure(self, url):
        self.client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return response, len(ctx.captured_queries)

    def test_one_building_open_the_others_listed_with_their_counts(self):
        response, _ = self.measure(self.url)
        html = response.content.decode()
        first = self.buildings[0]  # the world's own buildings have no units, so no board
        self.assertEqual(len(re.findall(r'class="card mb-3 building-board"', html)), 1)
        self.assertIn(f'data-building="{first.pk}"', html)
        picker = html[html.index('id="building-picker"') : html.index("</nav>")]
        for building in self.buildings:
            self.assertIn(f"?park={self.world.park['in'].pk}&amp;date=2026-06-30&amp;open={building.pk}", picker)
        self.assertIn("3 leased · 0 expiring · 0 sold · 9 vacant", picker)
        opened, _ = self.measure(self.url + f"&open={self.buildings[1].pk}")
        self.assertContains(opened, 'data-unit="PB1-00"')
        self.assertNotContains(opened, 'data-unit="PB0-00"')
        self.assertContains(opened, 'aria-current="true"', count=1)

    def test_page_size_and_queries_do_not_grow_with_buildings(self):
        url = self.url + f"&open={self.buildings[0].pk}"
        small, queries_small = self.measure(url)
        for i in range(2, 6):
            self.add_building(i)
        large, queries_large = self.measure(url)
        self.assertEqual(queries_large, queries_small)
        cells = 'class="unit-cell unit-'
        self.assertEqual(large.content.decode().count(cells), small.content.decode().count(cells))
        # only the picker grows: one short line per building, not a building's units
        self.assertLess(len(large.content) - len(small.content), 4 * 1200)

    def test_a_single_building_still_shows_every_unit(self):
        response, _ = self.measure(
            reverse("leasing:vacancy_board") + f"?building={self.buildings[0].pk}&date=2026-06-30"
        )
        self.assertNotContains(response, 'id="building-picker"')
        self.assertContains(response, 'class="unit-cell unit-', count=UNITS_PER_BUILDING + 4)  # + the legend


class OccupancyScaleTests(TestCase):
    """Issue 13: the occupancy page is a few grouped queries whatever the number of parks and buildings."""

    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()

    def add_park(self, i: int) -> None:
        park = Park.objects.create(code=f"scale-{i}", name=f"Scale park {i}", brand=self.world.park["in"].brand)
        parcel = LandParcel.objects.create(park=park, code=f"SP{i}", area=1000)
        for b in range(3):
            building = Building.objects.create(parcel=parcel, code=f"S{i}-{b}", floor_area=1000)
            units = SpaceUnit.objects.bulk_create(
                SpaceUnit(building=building, code=f"S{i}-{b}-{n}", floor=1, area=100) for n in range(4)
            )
            lease = Lease.objects.create(
                tenant=self.world.org["in"],
                park=park,
                start_date="2026-01-01",
                end_date="2026-12-31",
                rent_amount=1,
                status=Lease.Status.IN_FORCE,
                leased_area=100,
            )
            lease.units.set(units[:1])

    def test_occupancy_queries_do_not_grow_with_parks(self):
        self.client.force_login(self.world.users["operator_admin"])
        url = reverse("leasing:occupancy") + "?date=2026-06-30"

        def queries() -> int:
            self.client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            return len(ctx.captured_queries)

        self.add_park(0)
        before = queries()
        for i in range(1, 6):
            self.add_park(i)
        with CaptureQueriesContext(connection) as first:  # the new parks' stored occupancy computed once, together
            self.client.get(url)
        self.assertLessEqual(len(first.captured_queries), before + 15)
        with self.assertNumQueries(before):
            response = self.client.get(url)
        self.assertContains(response, "Scale park 5")
        self.assertEqual(queries(), before)
