"""Issue 16: the navigation menu is built once per request, however many templates a page renders with the
request (each django-tables2 table runs the context processors again)."""

from unittest import mock

from django.test import TestCase
from django.urls import reverse

from parkos.core import context_processors
from parkos.core.testing import World


class RequestMenuTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()

    def test_a_page_with_many_tables_builds_the_menu_once(self):
        self.client.force_login(self.world.users["operator_admin"])
        url = reverse("directory:organization", args=[self.world.org["in"].pk])
        with mock.patch.object(context_processors, "menu_for", wraps=context_processors.menu_for) as built:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertGreaterEqual(response.content.decode().count("<table"), 4)  # the panels' tables
        self.assertEqual(built.call_count, 1)  # was once per table and once for the page
        self.assertContains(response, reverse("parks:park_list"))  # the menu is there, with its entries

    def test_each_request_and_user_gets_its_own_menu(self):
        url = reverse("directory:organization_list")
        self.client.force_login(self.world.users["operator_admin"])
        admin_menu = str(self.client.get(url).context["nav_menu"])
        self.client.force_login(self.world.users["enterprise_user"])
        enterprise_menu = str(self.client.get(url).context["nav_menu"])
        self.assertNotEqual(admin_menu, enterprise_menu)
        self.assertIn(reverse("parks:park_list"), admin_menu)
