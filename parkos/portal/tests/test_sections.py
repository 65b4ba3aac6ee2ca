"""The enterprise page's sections link only to pages that exist, and open them filtered to the enterprise."""

import datetime
from urllib.parse import parse_qs, urlsplit

from django.test import TestCase
from django.urls import NoReverseMatch, resolve

from parkos.core.testing import World
from parkos.leasing.models import Sale
from parkos.portal import sections
from parkos.portal.tests.test_views import tenant_of


class SectionLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        tenant_of(cls.world, "in")
        Sale.objects.create(
            buyer=cls.world.org["in"],
            park=cls.world.park["in"],
            building=cls.world.building["in"],
            contract_date=datetime.date(2025, 3, 1),
            price_amount=1_000_000,
        )
        cls.organization = cls.world.org["in"]

    def test_every_link_of_every_section_opens_its_page(self):
        admin = self.world.users["operator_admin"]
        self.client.force_login(admin)
        found = sections.portal_sections(self.organization, admin)
        self.assertTrue({"leases", "sales", "requests", "scenarios", "filings"} <= set(found), sorted(found))
        for key, section in found.items():
            for url in (section.list_url, section.add_url):
                if url is None:
                    continue
                with self.subTest(section=key, url=url):
                    resolve(urlsplit(url).path)
                    self.assertEqual(self.client.get(url).status_code, 200)

    def test_file_a_request_opens_the_add_form_for_the_enterprise(self):
        enterprise = self.world.users["enterprise_user"]
        add_url = sections.portal_sections(self.organization, enterprise)["requests"].add_url
        self.assertEqual(resolve(urlsplit(add_url).path).url_name, "servicerequest_add")
        self.assertEqual(parse_qs(urlsplit(add_url).query), {"enterprise": [str(self.organization.pk)]})

    def test_a_link_to_a_page_that_does_not_exist_is_an_error(self):
        with self.assertRaises(NoReverseMatch):
            sections._url("services:no_such_page")
