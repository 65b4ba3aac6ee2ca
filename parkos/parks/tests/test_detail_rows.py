"""Issue 16: a park's page reads in each panel only what the panel shows (``Related(queryset=...)``), and the space
units list filters a park manager's units on their parks' ids; the pages read the same as before."""

import datetime
import re
from decimal import Decimal
from unittest import mock

from django.contrib.auth.models import Group
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from parkos.core.permissions import ROLES, fallback_group_name
from parkos.core.testing import World
from parkos.core.views.generic import Related, views_for
from parkos.directory.models import Organization
from parkos.investment.models import Agreement, Commitment, Party, Project
from parkos.leasing.models import Lease, RentBasis, Sale
from parkos.parks.models import Building, LandParcel, Park, SpaceUnit
from parkos.parks.selectors import scope_park_id_list
from parkos.parks.views import ParkViews, SpaceUnitViews
from parkos.services.models import Service, ServiceRequest


def list_rows(self: Related, user):  # type: ignore[no-untyped-def]
    """Every panel as before its own queryset: the model's list queryset."""
    return views_for(self.model).queryset(user)


#: the reads every signed-in page makes (the session on PostgreSQL, the user, their permissions and groups)
FRAME = ('"django_session"', '"auth_permission"', 'FROM "auth_group"', 'FROM "users_user" WHERE')


def own_queries(client, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The SQL of the page's own queries at ``url`` (a second request: caches warm)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return [q["sql"] for q in queries.captured_queries if not any(part in q["sql"] for part in FRAME)]


def steady(html: str) -> str:
    """The page without what changes per request (the CSRF token, the CSP nonce)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


class ParkPagePanelsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        park = cls.world.park["in"]
        holder = Organization.objects.create(name="Holder & <Sons> Ltd", industry=cls.world.industry)
        for n in range(7):  # more than a panel shows: the panels' counts are sent too
            parcel = LandParcel.objects.create(park=park, code=f"R-{n}", area=100 + n, holder=holder if n % 2 else None)
            Building.objects.create(parcel=parcel, code=f"RB-{n}", floor_area=50)
            agreement = Agreement.objects.create(
                kind=Agreement.Kind.INVESTMENT,
                title=f'Agreement {n} "quoted" & more',
                park=park,
                status=Agreement.Status.SIGNED if n % 2 else Agreement.Status.DRAFT,
                signed_on=datetime.date(2026, 1, 1 + n) if n % 3 else None,
            )
            party = Party.objects.create(agreement=agreement, organization=holder)
            Commitment.objects.create(
                agreement=agreement,
                party=party,
                kind=Commitment.Kind.JOBS,
                description="jobs",
                target_value=10 + n,
                due_date=datetime.date(2025, 1, 1),
            )
        # the panels of other apps read only the columns they show: rows that need each of those columns
        owner = cls.world.users["investment_staff"]
        investor = Organization.objects.create(name="Investor <Co>", industry=cls.world.industry)
        Project.objects.create(name="Open & plain", park=park, investor=investor, industry=cls.world.industry)
        Project.objects.create(
            name="Secret name",
            codename="Falcon",
            is_confidential=True,
            park=park,
            investor=investor,
            owner=owner,
            planned_investment_amount=Decimal("12000000"),
            planned_investment_currency="USD",
            planned_floor_area=Decimal("5000"),
            planned_jobs=40,
        )
        provider = Organization.objects.create(name="Advice provider", industry=cls.world.industry)
        service = Service.objects.create(name="Green loan advice", aspect="finance", provider=provider)
        for n in range(6):
            ServiceRequest.objects.create(
                enterprise=holder,
                park=park,
                service=service,
                title=f"Request {n} <b>",
                assigned_to=owner if n % 2 else None,
                rating=n % 5 + 1,
            )
        cls.url = reverse("parks:park", args=[park.pk])

    def page(self, username: str, language: str) -> str:
        self.client.force_login(self.world.users[username])
        with translation.override(language):
            response = self.client.get(self.url, HTTP_ACCEPT_LANGUAGE=language)
        self.assertEqual(response.status_code, 200)
        return steady(response.content.decode())

    def test_the_page_reads_as_with_the_lists_querysets(self):
        for username in ("operator_admin", "park_manager", "investment_staff"):
            for language in ("en", "zh-hans"):
                with self.subTest(username=username, language=language):
                    now = self.page(username, language)
                    with mock.patch.object(Related, "rows", list_rows):
                        before = self.page(username, language)
                    self.assertEqual(now, before)
                    self.assertIn("&quot;quoted&quot; &amp; more</a>", now)
                    if username == "operator_admin":
                        self.assertIn("Request 5 &lt;b&gt;", now)
                        self.assertIn("Open &amp; plain", now)

    def test_the_agreements_panel_reads_no_commitments_and_the_parcels_panel_no_park(self):
        self.client.force_login(self.world.users["operator_admin"])
        self.client.get(self.url)
        with CaptureQueriesContext(connection) as queries:
            self.client.get(self.url)
        panels = [q["sql"] for q in queries.captured_queries if 'FROM "investment_agreement"' in q["sql"]]
        self.assertTrue(panels)
        self.assertFalse([sql for sql in panels if "investment_commitment" in sql or "investment_contact" in sql])
        parcels = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "parks_landparcel"."id"')]
        self.assertEqual(len(parcels), 1)
        self.assertNotIn('"parks_park"."boundary"', parcels[0])
        self.assertIn('"directory_organization"', parcels[0])

    def test_the_parcels_and_buildings_panels_count_as_the_figures(self):
        """Their full panels read their counts from the page's figures: the same rows, for every role that sees the
        page (a fallback park manager too)."""
        park = self.world.park["in"]
        fallback = type(self.world.users["park_manager"]).objects.create_user(username="fallback_manager")
        fallback.groups.add(Group.objects.get_or_create(name=fallback_group_name("park_manager"))[0])
        users = [*(self.world.users[role.name] for role in ROLES), fallback]
        panels = [rel for rel in ParkViews.related if rel.count_from is not None]
        self.assertEqual([rel.model for rel in panels], [LandParcel, Building])
        for user in users:
            if not Park.objects.restrict(user).filter(pk=park.pk).exists():
                continue
            extra = ParkViews.detail_extra(park, user)
            for rel in panels:
                with self.subTest(user=user.username, panel=rel.model.__name__):
                    self.assertEqual(rel.count_from(extra), rel.rows(user).filter(**{rel.field: park}).count())
        page = self.page("operator_admin", "en")
        for model, path in ((LandParcel, "park"), (Building, "parcel__park")):
            total = model.objects.filter(**{path: park}).count()
            self.assertGreater(total, 5)
            self.assertIn(f"The first 5 of {total}.", page)

    def test_query_count(self):
        """The page's own queries as admin, the same on SQLite and PostgreSQL: the park, the figures, a rows query
        per panel (five) and a count per full panel (two here: the agreements' and the requests'; the parcels' and
        buildings' are the figures'), the recent changes. Its creation names no brand: only an update lists fields
        (the creation's brand was read, issue 16)."""
        self.client.force_login(self.world.users["operator_admin"])
        queries = own_queries(self.client, self.url)
        self.assertEqual(len(queries), 10, "\n".join(queries))
        self.assertFalse([sql for sql in queries if 'FROM "parks_parkbrand"' in sql.split(" WHERE ")[0][:60]])

    def test_the_panels_of_other_apps_read_only_their_columns(self):
        self.client.force_login(self.world.users["operator_admin"])
        queries = own_queries(self.client, self.url)
        projects = [sql for sql in queries if sql.startswith('SELECT "investment_project"."id"')]
        requests = [sql for sql in queries if sql.startswith('SELECT "services_servicerequest"."id"')]
        agreements = [sql for sql in queries if sql.startswith('SELECT "investment_agreement"."id"')]
        self.assertEqual((len(projects), len(requests), len(agreements)), (1, 1, 1))
        self.assertNotIn('"investment_project"."description"', projects[0])
        self.assertNotIn('"directory_organization"."description"', projects[0])
        self.assertNotIn('"services_servicerequest"."description"', requests[0])
        self.assertNotIn('"directory_organization"."description"', requests[0])
        self.assertNotIn('"parks_park"."boundary"', requests[0])
        self.assertNotIn('"investment_agreement"."fields_of_cooperation"', agreements[0])


class OrganizationPagePanelsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        organization = cls.world.org["in"]
        park = cls.world.park["in"]
        park.operator = organization
        park.save()
        for n in range(6):
            LandParcel.objects.create(park=park, code=f"H-{n}", area=200 + n, holder=organization)
        for n in range(6):  # more than the panels show
            agreement = Agreement.objects.create(
                kind=Agreement.Kind.INVESTMENT, title=f"Deal {n} <&>", park=park, status=Agreement.Status.SIGNED
            )
            Party.objects.create(agreement=agreement, organization=organization, role=Party.Role.INVESTOR)
            Lease.objects.create(
                reference=f"L-{n}" if n % 2 else "",
                tenant=organization,
                park=park,
                leased_area=Decimal("120.5") + n,
                start_date=datetime.date(2024, 1, 1),
                end_date=datetime.date(2027, 1, 1 + n) if n % 3 else None,
                rent_amount=Decimal("3.50"),
                rent_basis=RentBasis.PER_M2_DAY if n % 2 else RentBasis.PER_MONTH,
                currency="USD" if n == 1 else "CNY",
                status=Lease.Status.IN_FORCE,
            )
            unit = SpaceUnit.objects.create(building=cls.world.building["in"], code=f"S-{n}", floor=1, area=10)
            sale = Sale.objects.create(
                reference=f"S-{n}" if n % 2 else "",
                buyer=organization,
                park=park,
                building=cls.world.building["in"] if n % 2 else None,
                area=Decimal(300) if n % 3 else None,
                price_amount=Decimal(1000000 + n),
                price_currency="CNY",
                contract_date=datetime.date(2025, 3, 1 + n),
            )
            sale.units.add(unit)
        provider = Organization.objects.create(name="Advice provider", industry=cls.world.industry)
        service = Service.objects.create(name="Green loan advice", aspect="finance", provider=provider)
        for n in range(6):
            ServiceRequest.objects.create(enterprise=organization, park=park, service=service, title=f"Ask {n} <i>")
        cls.url = reverse("directory:organization", args=[organization.pk])

    def test_the_page_reads_as_with_the_lists_querysets(self):
        for username in ("operator_admin", "park_manager"):
            self.client.force_login(self.world.users[username])
            for language in ("en", "zh-hans"):
                with self.subTest(username=username, language=language), translation.override(language):
                    now = steady(self.client.get(self.url, HTTP_ACCEPT_LANGUAGE=language).content.decode())
                    with mock.patch.object(Related, "rows", list_rows):
                        before = steady(self.client.get(self.url, HTTP_ACCEPT_LANGUAGE=language).content.decode())
                    self.assertEqual(now, before)
                    self.assertIn(">H-0<", now)
                    self.assertIn("Brand in", now)
                    for text in ("Deal 5 &lt;&amp;&gt;", "Ask 5 &lt;i&gt;", ">L-1<", ">S-1<"):
                        if username == "operator_admin":
                            self.assertIn(text, now)

    def test_the_panels_of_other_apps_read_only_their_columns(self):
        """The agreements', leases', sales' and requests' panels join no organization (the page's own) and read
        no long text; the leases panel reads no units (it leaves them to the list), the sales panel one query."""
        self.client.force_login(self.world.users["operator_admin"])
        queries = own_queries(self.client, self.url)
        for table in ("investment_party", "leasing_lease", "leasing_sale", "services_servicerequest"):
            with self.subTest(table=table):
                rows = [sql for sql in queries if sql.startswith(f'SELECT "{table}"."id"')]
                self.assertEqual(len(rows), 1, "\n".join(queries))
                self.assertNotIn('"directory_organization"."description"', rows[0])
                self.assertNotIn("notes", rows[0])
        self.assertNotIn('"investment_agreement"."fields_of_cooperation"', "\n".join(queries))
        units = [sql for sql in queries if 'FROM "parks_spaceunit"' in sql]
        self.assertEqual(len(units), 1, "the sales' units, once")  # the leases panel leaves its units out
        self.assertIn("leasing_sale_units", units[0])

    def test_query_count(self):
        """The organization, a rows query per panel (nine; the sales' units as well) and a count per full panel
        (five), the policies it qualifies for, the recent changes: none per row."""
        self.client.force_login(self.world.users["operator_admin"])
        queries = own_queries(self.client, self.url)
        self.assertEqual(len(queries), 18, "\n".join(queries))

    def test_the_parcels_and_parks_panels_join_no_organization(self):
        self.client.force_login(self.world.users["operator_admin"])
        queries = own_queries(self.client, self.url)
        parcels = [sql for sql in queries if sql.startswith('SELECT "parks_landparcel"."id"')]
        parks = [sql for sql in queries if sql.startswith('SELECT "parks_park"."id"') and "operator_id" in sql]
        self.assertEqual(len(parcels), 1)
        self.assertNotIn("directory_organization", parcels[0])
        self.assertTrue(parks)
        self.assertFalse([sql for sql in parks if 'JOIN "directory_organization"' in sql])


class SpaceUnitListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        for side in ("in", "out"):
            for n in range(4):
                SpaceUnit.objects.create(building=cls.world.building[side], code=f"U-{side}-{n}", floor=n, area=10)
        cls.url = reverse("parks:spaceunit_list")

    def test_a_park_manager_reads_the_units_of_their_parks_by_id(self):
        manager = self.world.users["park_manager"]
        self.assertEqual(scope_park_id_list(manager, SpaceUnit), [self.world.park["in"].pk])
        self.assertEqual(
            sorted(SpaceUnitViews.queryset(manager).values_list("pk", flat=True)),
            sorted(SpaceUnit.objects.restrict(manager).values_list("pk", flat=True)),
        )
        self.assertEqual(SpaceUnitViews.queryset(manager).count(), 4)

    def test_others_read_through_restrict(self):
        self.assertIsNone(scope_park_id_list(self.world.users["operator_admin"], SpaceUnit))
        self.assertIsNone(scope_park_id_list(self.world.users["enterprise_user"], SpaceUnit))
        self.assertIsNone(scope_park_id_list(None, SpaceUnit))
        manager = self.world.users["park_manager"]
        manager.groups.add(Group.objects.get_or_create(name=fallback_group_name("park_manager"))[0])
        manager = type(manager).objects.get(pk=manager.pk)  # its roles are read once per user object
        # a fallback manager also sees the parks no other manager covers: more ids, still "the units of these parks"
        self.assertIn(self.world.park["in"].pk, scope_park_id_list(manager, SpaceUnit))
        self.assertEqual(
            sorted(SpaceUnitViews.queryset(manager).values_list("pk", flat=True)),
            sorted(SpaceUnit.objects.restrict(manager).values_list("pk", flat=True)),
        )

    def test_the_list_reads_as_through_restrict(self):
        manager = self.world.users["park_manager"]
        self.client.force_login(manager)
        for language in ("en", "zh-hans"):
            with translation.override(language):
                now = self.client.get(self.url, HTTP_ACCEPT_LANGUAGE=language)
                with mock.patch.object(SpaceUnitViews, "queryset", classmethod(restricted_units)):
                    before = self.client.get(self.url, HTTP_ACCEPT_LANGUAGE=language)
            self.assertEqual(steady(now.content.decode()), steady(before.content.decode()))
            self.assertIn("U-in-3", now.content.decode())
            self.assertNotIn("U-out-0", now.content.decode())

    def test_query_count(self):
        """The manager's list: the park ids are one small query more, the rows and count filter on them."""
        self.client.force_login(self.world.users["park_manager"])
        queries = own_queries(self.client, self.url)
        self.assertEqual(len(queries), 4, "\n".join(queries))  # the park ids, the count, the rows, the park filter
        self.assertIn('"users_user_parks"', queries[0])
        units = [sql for sql in queries if '"parks_spaceunit"' in sql]
        self.assertEqual(len(units), 2)  # their count and the rows, on the ids
        self.assertFalse([sql for sql in units if '"users_user_parks"' in sql])


def restricted_units(cls, user, action="view"):  # type: ignore[no-untyped-def]
    """The space units list's queryset before: restrict() and the list's related rows."""
    return SpaceUnit.objects.restrict(user, action).select_related(*SpaceUnitViews.list_related)
