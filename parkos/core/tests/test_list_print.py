"""A list's print view: every row of the filter on one page (up to a limit, said above the table), with a
bounded number of queries; and the list page links to it with the filter kept."""

from __future__ import annotations

from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parkos.core.testing import World
from parkos.core.views.generic import ObjectListView
from parkos.parks.models import Building

LIST = reverse("parks:building_list")


class PrintViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        for n in range(30):
            Building.objects.create(parcel=cls.world.parcel["in"], code=f"PB-{n:02d}", floor_area=100 + n)

    def setUp(self):
        self.client.force_login(self.world.users["operator_admin"])

    def rows(self, response) -> int:
        body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        return body.count("<tr>")

    def test_prints_every_row_of_the_filter_not_one_page(self):
        response = self.client.get(LIST, {"parcel": self.world.parcel["in"].pk, "print": "1"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.rows(response), 31)  # B-in and the 30 above, more than a page of 25
        self.assertNotContains(response, 'id="print-capped"')
        self.assertContains(response, "P-in")  # the filter in use, named above the table

    def test_the_list_links_its_print_view_with_the_filter(self):
        page = self.client.get(LIST, {"parcel": self.world.parcel["in"].pk, "per_page": "10"}).content.decode()
        self.assertIn(f'href="?parcel={self.world.parcel["in"].pk}&amp;print=1"', page)

    def test_a_larger_filter_is_capped_with_a_message(self):
        with mock.patch.object(ObjectListView, "PRINT_LIMIT", 5):
            response = self.client.get(LIST, {"print": "1"})
        self.assertEqual(self.rows(response), 5)
        self.assertContains(response, 'id="print-capped"')

    def test_queries_do_not_grow_with_rows(self):
        def count(limit: int) -> int:
            with mock.patch.object(ObjectListView, "PRINT_LIMIT", limit), CaptureQueriesContext(connection) as ctx:
                self.client.get(LIST, {"print": "1"})
            return len(ctx.captured_queries)

        count(2)  # warm the per-user caches
        self.assertEqual(count(2), count(30))


class ColumnPriorityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()

    def test_low_priority_columns_leave_a_phone_but_print(self):
        self.client.force_login(self.world.users["operator_admin"])
        page = self.client.get(reverse("leasing:lease_list")).content.decode()
        head = page.split("<thead>", 1)[1].split("</thead>", 1)[0]
        for name in ("park", "rent_basis"):
            self.assertRegex(
                head,
                rf'<th class="[^"]*\bd-none\b[^"]*\bd-print-table-cell\b[^"]*" scope="col"><a href="\?sort={name}"',
            )
        self.assertRegex(head, r'<th class="orderable" scope="col"><a href="\?sort=end_date"')
