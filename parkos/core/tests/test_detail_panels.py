"""Issue 16: a detail page's panels show their first rows (Related.limit), say "the first N of M" and link to the
filtered list; a panel that is not full costs no count, and the queries do not grow with the related rows."""

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parkos.core.testing import World
from parkos.core.views.generic import Related
from parkos.parks.models import Building, LandParcel, Park


class DetailPanelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.park = Park.objects.create(code="panels", name="Panel park", brand=cls.world.park["in"].brand)
        cls.parcel = LandParcel.objects.create(park=cls.park, code="PN1", area=1000)
        cls.url = reverse("parks:park", args=[cls.park.pk])

    def setUp(self):
        self.client.force_login(self.world.users["operator_admin"])

    def buildings_panel(self, response) -> str:
        html = response.content.decode()
        start = html.index(f'href="{reverse("parks:building_list")}?park={self.park.pk}"')
        return html[html.rindex('<div class="card mb-3">', 0, start) : html.index('<div class="card mb-3">', start)]

    def queries(self) -> int:
        self.client.get(self.url)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        return len(queries.captured_queries)

    def test_a_full_panel_shows_its_first_rows_and_says_how_many_there_are(self):
        limit = Related.limit
        Building.objects.bulk_create(
            Building(parcel=self.parcel, code=f"PB-{n:02d}", floor_area=100) for n in range(limit + 3)
        )
        response = self.client.get(self.url)
        panel = self.buildings_panel(response)
        self.assertEqual(panel.count("<tbody>"), 1)
        self.assertEqual(panel.split("<tbody>")[1].split("</tbody>")[0].count("<tr>"), limit)
        self.assertIn(f"The first {limit} of {limit + 3}.", panel)
        self.assertIn(f"{reverse('parks:building_list')}?park={self.park.pk}", panel)

    def test_queries_do_not_grow_with_the_related_rows(self):
        Building.objects.create(parcel=self.parcel, code="PB-one", floor_area=100)
        few = self.queries()
        self.assertNotIn("The first", self.client.get(self.url).content.decode())  # not full: nothing to say
        Building.objects.bulk_create(
            Building(parcel=self.parcel, code=f"PB-{n:02d}", floor_area=100) for n in range(20)
        )
        many = self.queries()
        self.assertLessEqual(many, few + 1)  # the full panel's one count
        self.assertLessEqual(many, 30)
