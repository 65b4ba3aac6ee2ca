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


class SectionFigureTests(TestCase):
    """The leases section reads its figures from the rows in hand (issue 16): the same as Lease.monthly_rent_on and
    a SUM over the active leases, with as many queries for one lease as for many."""

    @classmethod
    def setUpTestData(cls):
        from decimal import Decimal

        from django.utils import timezone

        from parkos.leasing.models import Lease, RentTerm

        cls.world = World.build()
        cls.organization = cls.world.org["in"]
        today = timezone.localdate()
        cls.today = today

        def lease(area, status=Lease.Status.IN_FORCE, rent=10):
            return Lease.objects.create(
                tenant=cls.organization,
                park=cls.world.park["in"],
                start_date=today - datetime.timedelta(days=400),
                rent_amount=rent,
                leased_area=area,
                status=status,
            )

        cls.stepped = lease(Decimal("120.50"))
        RentTerm.objects.create(
            lease=cls.stepped, start_date=today - datetime.timedelta(days=30), end_date=None, rent_amount=Decimal(3)
        )
        RentTerm.objects.create(  # over: not today's rent
            lease=cls.stepped,
            start_date=today - datetime.timedelta(days=200),
            end_date=today - datetime.timedelta(days=31),
            rent_amount=Decimal(7),
        )
        cls.plain = lease(Decimal("80.25"), rent=5)
        cls.ended = lease(Decimal("1000"), status=Lease.Status.TERMINATED)

    def leases(self):
        return sections.portal_sections(self.organization, self.world.users["operator_admin"])["leases"]

    def test_rent_today_and_leased_area_match_the_lease_and_the_sum(self):
        from django.db.models import Sum

        from parkos.leasing.models import Lease

        section = self.leases()
        self.assertEqual(section.total, 3)
        rents = {lease.pk: lease.monthly_rent_today for lease in section.rows}
        for lease in (self.stepped, self.plain):
            self.assertEqual(rents[lease.pk], lease.monthly_rent_on(self.today))
        self.assertIsNone(rents[self.ended.pk])
        self.assertNotEqual(
            rents[self.stepped.pk], self.stepped.monthly_rent_on(self.today - datetime.timedelta(days=60))
        )
        expected = Lease.objects.filter(tenant=self.organization, status__in=Lease.ACTIVE).aggregate(
            total=Sum("leased_area")
        )["total"]
        self.assertEqual(section.extra["area"], expected)
        self.assertEqual(str(section.extra["area"]), "200.75")

    def test_more_leases_than_shown_are_counted_and_summed_by_the_database(self):
        from unittest import mock

        with mock.patch.object(sections, "ROWS", 2):
            section = self.leases()
        self.assertEqual((len(section.rows), section.total), (2, 3))
        self.assertEqual(str(section.extra["area"]), "200.75")

    def test_queries_do_not_grow_with_leases(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from parkos.leasing.models import RentTerm

        admin = self.world.users["operator_admin"]
        sections.portal_sections(self.organization, admin)  # warm the permission caches
        with CaptureQueriesContext(connection) as before:
            sections.portal_sections(self.organization, admin)
        from parkos.leasing.models import Lease

        for _ in range(3):
            lease = Lease.objects.create(
                tenant=self.organization, park=self.world.park["in"], start_date=self.today, rent_amount=1
            )
            RentTerm.objects.create(lease=lease, start_date=self.today, rent_amount=2)
        with CaptureQueriesContext(connection) as after:
            sections.portal_sections(self.organization, admin)
        self.assertEqual(len(after), len(before))


class FullSectionTests(TestCase):
    """A section with more rows than it lists counts them and adds up its figure in one query (issue 16)."""

    @classmethod
    def setUpTestData(cls):
        from parkos.directory.models import Organization
        from parkos.services.models import Service, ServiceRequest, Status

        cls.world = World.build()
        cls.organization = cls.world.org["in"]
        provider = Organization.objects.create(name="Advice provider")
        service = Service.objects.create(name="Green loan advice", aspect="finance", provider=provider)
        for n, status in enumerate((Status.NEW, Status.DONE, Status.IN_PROGRESS)):
            ServiceRequest.objects.create(
                enterprise=cls.organization, park=cls.world.park["in"], service=service, title=f"R{n}", status=status
            )

    def test_open_requests_are_counted_over_every_request_in_the_one_count_query(self):
        from unittest import mock

        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        admin = self.world.users["operator_admin"]
        whole = sections.portal_sections(self.organization, admin)["requests"]
        self.assertEqual((whole.total, whole.extra["open"]), (3, 2))
        with CaptureQueriesContext(connection) as complete:
            sections.portal_sections(self.organization, admin)
        with mock.patch.object(sections, "ROWS", 2), CaptureQueriesContext(connection) as full:
            section = sections.portal_sections(self.organization, admin)["requests"]
        self.assertEqual((len(section.rows), section.total, section.extra["open"]), (2, 3, 2))
        # full: the requests (2 shown of 3) add one query in all; the leases section has none to count
        self.assertEqual(len(full), len(complete) + 1, [q["sql"][:100] for q in full])
