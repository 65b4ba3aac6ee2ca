"""An enterprise user sees nothing of any other enterprise, anywhere: its page, lists, API, exports, search."""

import datetime

from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from parkos.core.testing import World
from parkos.directory.models import Organization
from parkos.leasing.models import Lease, Sale
from parkos.portal.models import ProfileChangeRequest
from parkos.services.models import Service, ServiceRequest

#: a word each side's records carry, to look for in every page and file
MARK = {"in": "Kestrel", "out": "Osprey"}


class EnterpriseIsolationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.enterprise = cls.world.users["enterprise_user"]
        provider = Organization.objects.create(name="Harbour Bank", kind=Organization.Kind.FINANCIAL)
        service = Service.objects.create(name="Green loan advice", aspect="finance", provider=provider)
        cls.records = {}
        for side in ("in", "out"):
            org, park, mark = cls.world.org[side], cls.world.park[side], MARK[side]
            cls.records[side] = [
                Lease.objects.create(
                    reference=f"L-{mark}", tenant=org, park=park, start_date=datetime.date(2025, 1, 1), rent_amount=2
                ),
                Sale.objects.create(
                    reference=f"S-{mark}",
                    buyer=org,
                    park=park,
                    price_amount=1000,
                    contract_date=datetime.date(2025, 2, 1),
                ),
                ServiceRequest.objects.create(enterprise=org, park=park, service=service, title=f"Request {mark}"),
                ProfileChangeRequest.objects.create(
                    organization=org, changes={"name_en": f"{mark} Holdings"}, note=f"Proposal {mark}"
                ),
            ]

    def setUp(self):
        self.client.force_login(self.enterprise)
        self.api = APIClient()
        self.api.force_authenticate(self.enterprise)

    def assert_only_own(self, text: str, where: str) -> None:
        self.assertNotIn(MARK["out"], text, where)
        self.assertNotIn("Org out Ltd", text, where)

    def test_enterprise_page_shows_its_own_leases_sales_requests_and_proposals_only(self):
        response = self.client.get(reverse("portal:home"))
        text = response.content.decode()
        for record in self.records["in"]:
            self.assertIn(record.get_absolute_url(), text, type(record).__name__)
        for record in self.records["out"]:
            self.assertNotIn(record.get_absolute_url(), text, type(record).__name__)
        self.assert_only_own(text, "portal page")

    def test_lists_api_and_exports_hold_only_its_own_records(self):
        for own, other in zip(self.records["in"], self.records["out"], strict=True):
            model = type(own)
            meta = model._meta
            with self.subTest(model=meta.model_name):
                page = self.client.get(reverse(model.url_name("list")))
                self.assertEqual(page.status_code, 200)
                self.assertContains(page, own.get_absolute_url())
                self.assert_only_own(page.content.decode(), "list")
                export = self.client.get(reverse(model.url_name("list")), {"export": "csv"})
                self.assert_only_own(export.content.decode("utf-8-sig"), "export")
                api = self.api.get(reverse(f"{meta.app_label}-api:{meta.model_name}-list"), {"page_size": 1000})
                self.assertEqual({row["id"] for row in api.json()["results"]}, {own.pk})
                self.assertEqual(self.client.get(other.get_absolute_url()).status_code, 404)
                detail = self.api.get(reverse(f"{meta.app_label}-api:{meta.model_name}-detail", args=[other.pk]))
                self.assertEqual(detail.status_code, 404)

    def test_search_finds_nothing_of_the_other_enterprise(self):
        for text in (MARK["out"], "Org out"):
            response = self.client.get(reverse("search"), {"q": text})
            results = response.content.decode().split('id="search-results"', 1)[1]  # past the echoed query
            self.assertIn("Nothing found", results)
            self.assert_only_own(results, f"search {text}")
        found = self.client.get(reverse("search"), {"q": MARK["in"]})
        self.assertContains(found, self.records["in"][0].get_absolute_url())
