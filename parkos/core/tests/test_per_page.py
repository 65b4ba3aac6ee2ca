"""``?per_page=`` on a list is held to 1..500 rows (django-tables2 took the request's value as it was: a million rows
laid out in one page), and a list is paginated once per request (the view configured its table a second time,
counting or estimating its rows twice)."""

from unittest import mock

from django.test import TestCase
from django.urls import reverse

from parkos.core.tables import MAX_PER_PAGE, EstimatedCountTable
from parkos.core.testing import World
from parkos.directory.models import Organization


class PerPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        Organization.objects.bulk_create(Organization(name=f"Per page {n:02}") for n in range(30))
        cls.lists = [reverse(Organization.url_name("list")), reverse("changelog")]

    def setUp(self):
        self.client.force_login(self.world.users["operator_admin"])

    def per_page(self, url: str, asked: str) -> int:
        response = self.client.get(f"{url}?per_page={asked}")
        self.assertEqual(response.status_code, 200)
        return response.context["table"].paginator.per_page

    def test_per_page_is_held_to_the_cap(self):
        for url in self.lists:
            with self.subTest(url=url):
                self.assertEqual(self.per_page(url, "1000000"), MAX_PER_PAGE)
                self.assertEqual(self.per_page(url, "0"), 1)
                self.assertEqual(self.per_page(url, "-5"), 1)
                self.assertEqual(self.per_page(url, "10"), 10)
        self.assertEqual(self.per_page(self.lists[0], "many"), 25)  # not a number: the list's own size
        self.assertEqual(self.per_page(self.lists[1], "many"), 50)

    def test_a_list_is_paginated_once(self):
        for url in self.lists:
            with (
                self.subTest(url=url),
                mock.patch.object(
                    EstimatedCountTable, "paginate", autospec=True, side_effect=EstimatedCountTable.paginate
                ) as paginate,
            ):
                self.assertEqual(self.client.get(f"{url}?per_page=10").status_code, 200)
                self.assertEqual(paginate.call_count, 1)

    def test_the_print_view_lays_out_more_than_a_page(self):
        response = self.client.get(f"{self.lists[0]}?print=1")
        self.assertEqual(response.status_code, 200)
        self.assertGreater(response.context["table"].paginator.per_page, MAX_PER_PAGE)
        self.assertContains(response, "Per page 29")
