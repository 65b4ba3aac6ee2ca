"""Issue 16: the space units list is counted from the stored units per park (``stored.unit_count``, core's
``stored_counts``), equal to the units' COUNT for every role's list, stale or current, after every kind of write; any
other query (a filter) is counted as before. And the park manager's expiring-leases panel: its rows and count in one
query, the same as the COUNT and the rows it replaced."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from parkos.core.changelog import log_bulk_create, update_logged
from parkos.core.home import QUEUE_LENGTH
from parkos.core.pagination import EstimatedCountPaginator, stored_counts
from parkos.core.testing import World
from parkos.leasing import stored
from parkos.leasing.models import Lease
from parkos.parks.models import Building, LandParcel, Park, SpaceUnit
from parkos.parks.views import SpaceUnitViews


class UnitCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.world = World.build()
        cls.third = Park.objects.create(code="park-3", name="Park three", district="D", land_area=1000)
        cls.parcel3 = LandParcel.objects.create(park=cls.third, code="T1", area=1000)
        cls.building3 = Building.objects.create(parcel=cls.parcel3, code="T-B", floor_area=900)
        for building, n in ((w.building["in"], 5), (w.building["out"], 3), (cls.building3, 2)):
            for i in range(n):
                SpaceUnit.objects.create(building=building, code=f"{building.code}-{i}", area=Decimal(10))
        cls.empty = Park.objects.create(code="park-4", name="Park without units", district="D", land_area=10)
        cls.world.users["park_manager"].parks.add(cls.third, cls.empty)

    def lists(self):
        """Each user's units list as the list view reads it, and the units' COUNT of it."""
        for name, user in self.world.users.items():
            queryset = SpaceUnitViews.queryset(user)
            yield name, queryset, queryset.order_by("building", "floor", "code")

    def assert_counts(self, label: str) -> None:
        matched = set()
        for name, queryset, ordered in self.lists():
            exact = queryset.count()
            for shown in (queryset, ordered):
                found = stored.unit_count(shown)
                if found is not None:
                    matched.add(name)
                    self.assertEqual(found, exact, f"{label}: {name}")
                paginator = EstimatedCountPaginator(shown, 25)
                self.assertEqual(paginator.count, exact, f"{label}: {name}")
                self.assertFalse(paginator.estimated)
        # the operator's list (every unit) and the park-scoped lists are read from the stored rows
        self.assertIn("operator_admin", matched)
        self.assertIn("park_manager", matched)

    def test_equal_to_the_units_count_stale_and_current_after_every_write(self):
        w = self.world
        self.assertIs(stored_counts[SpaceUnit], stored.unit_count)
        self.assert_counts("never computed")
        stored.refresh()
        self.assert_counts("current")
        unit = SpaceUnit.objects.create(building=w.building["in"], code="NEW", area=5)
        self.assert_counts("a unit added")
        stored.refresh()
        unit.building = w.building["out"]
        unit.save()
        self.assert_counts("a unit moved to another park")
        stored.refresh()
        unit.delete()
        self.assert_counts("a unit deleted")
        stored.refresh()
        SpaceUnit.objects.filter(code__startswith="B-in").first().delete()
        self.assert_counts("a unit deleted from its queryset")
        stored.refresh()
        self.building3.parcel = w.parcel["in"]
        self.building3.save()
        self.assert_counts("a building moved to another park's parcel")
        stored.refresh()
        parcel = LandParcel.objects.get(pk=w.parcel["out"].pk)
        parcel.park = self.empty
        parcel.save()
        self.assert_counts("a parcel moved to another park")
        stored.refresh()
        log_bulk_create(
            SpaceUnit.objects.bulk_create(
                [SpaceUnit(building=w.building["in"], code=f"BULK-{i}", area=1) for i in range(4)]
            )
        )
        self.assert_counts("units created in bulk (logged)")
        stored.refresh()
        update_logged(SpaceUnit.objects.filter(code__startswith="BULK"), building=self.building3)
        self.assert_counts("units moved in bulk (logged)")
        stored.refresh()
        lease = Lease.objects.create(
            tenant=w.org["in"], park=w.park["in"], start_date=datetime.date(2026, 1, 1), rent_amount=1
        )
        lease.units.set(SpaceUnit.objects.filter(building=w.building["in"])[:2])
        self.assert_counts("a lease of units")
        Park.objects.create(code="park-5", name="A new park", district="D", land_area=1)
        self.assert_counts("a park added (never computed)")

    def test_one_query_and_other_queries_are_counted_as_before(self):
        w = self.world
        stored.refresh()
        manager = w.users["park_manager"]
        queryset = SpaceUnitViews.queryset(manager)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(stored.unit_count(queryset), queryset.count())
        self.assertEqual(len(queries.captured_queries), 2)  # the stored count, and the COUNT beside it
        self.assertNotIn("parks_spaceunit", queries.captured_queries[0]["sql"].split("SELECT COUNT(*)")[0])
        park_ids = [w.park["in"].pk, self.third.pk, self.empty.pk]
        for index, other in enumerate(
            (
                queryset.filter(kind=SpaceUnit.Kind.SUITE),
                queryset.filter(building__parcel__park=w.park["in"]),
                queryset.filter(code__icontains="B-in"),
                queryset.exclude(code="B-in-0"),
                queryset.distinct(),
                SpaceUnit.objects.filter(building__in=[w.building["in"].pk]),
                SpaceUnit.objects.filter(building__parcel__in=[w.parcel["in"].pk]),
                SpaceUnit.objects.exclude(building__parcel__park__in=park_ids),
                SpaceUnit.objects.filter(building__parcel__park__in=Park.objects.filter(pk__in=park_ids)),
                SpaceUnit.objects.filter(building__parcel__park__in=park_ids).filter(area__gt=1),
                SpaceUnitViews.queryset(w.users["enterprise_user"]),
                queryset[:3],
            )
        ):
            self.assertIsNone(stored.unit_count(other), index)
            if not other.query.is_sliced:
                self.assertEqual(EstimatedCountPaginator(other.order_by("pk"), 25).count, other.count())

    def test_the_units_list_page_reads_the_stored_count(self):
        stored.refresh()
        url = SpaceUnit.url_name("list")
        from django.urls import reverse

        for name in ("park_manager", "operator_admin"):
            user = self.world.users[name]
            self.client.force_login(user)
            exact = SpaceUnitViews.queryset(user).count()
            for language in ("en", "zh-hans"):
                with translation.override(language), CaptureQueriesContext(connection) as queries:
                    response = self.client.get(reverse(url), HTTP_ACCEPT_LANGUAGE=language)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["table"].paginator.count, exact)
                counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
                self.assertEqual(len(counts), 1, name)  # the stored count: no COUNT over the units
                self.assertIn("WITH scope", counts[0])


class ExpiringPanelTests(TestCase):
    """The manager's 'Leases expiring within 6 months': count and first rows as the COUNT and rows it replaced."""

    @classmethod
    def setUpTestData(cls):
        w = cls.world = World.build()
        today = timezone.localdate()
        for i in range(QUEUE_LENGTH + 3):
            Lease.objects.create(
                tenant=w.org["in" if i % 3 else "out"],
                park=w.park["in"],
                start_date=today - datetime.timedelta(days=400),
                end_date=today + datetime.timedelta(days=20 * i + 1),
                status=Lease.Status.IN_FORCE,
                rent_amount=1,
            )
        Lease.objects.create(  # another park's: not the manager's
            tenant=w.org["in"],
            park=w.park["out"],
            start_date=today,
            end_date=today + datetime.timedelta(days=3),
            status=Lease.Status.IN_FORCE,
            rent_amount=1,
        )

    def panel(self, user):
        from parkos.leasing.home import home_panels

        return {panel.key: panel for panel in home_panels(user)}.get("leasing.expiring")

    def old(self, user):
        from parkos.leasing.selectors import EXPIRY_WINDOWS, add_months

        today = timezone.localdate()
        expiring = (
            Lease.objects.restrict(user)
            .filter(status__in=Lease.ACTIVE, effective_end__gte=today, effective_end__lte=add_months(today, 6))
            .order_by("effective_end", "pk")
        )
        soon, near = add_months(today, EXPIRY_WINDOWS[0]), add_months(today, EXPIRY_WINDOWS[1])
        rows = [
            (str(lease.tenant), lease.get_absolute_url(), str(lease.park), lease.effective_end)
            for lease in expiring.select_related("tenant", "park")[:QUEUE_LENGTH]
        ]
        tones = ["red" if end <= soon else "orange" if end <= near else "" for *_x, end in rows]
        return expiring.count(), rows, tones

    def test_same_rows_and_count_in_one_query(self):
        for name in ("park_manager", "operator_admin"):
            user = self.world.users[name]
            panel = self.panel(user)
            if panel is None:
                continue
            count, rows, tones = self.old(user)
            self.assertGreater(count, QUEUE_LENGTH)
            self.assertEqual(panel.count, count, name)
            self.assertEqual([(i.label, i.url, i.detail, i.when) for i in panel.items], rows, name)
            self.assertEqual([i.tone for i in panel.items], tones, name)
        Lease.objects.all().delete()
        panel = self.panel(self.world.users["park_manager"])
        self.assertEqual((panel.count, panel.items), (0, []))

    def test_queries(self):
        from parkos.leasing.home import home_panels

        manager = self.world.users["park_manager"]
        stored.refresh()
        home_panels(manager)  # the user's permissions and parks, read once per request
        with CaptureQueriesContext(connection) as queries:
            home_panels(manager)
        self.assertEqual(len(queries.captured_queries), 2)  # the stored occupancy; the expiring leases and their count

    def test_count_and_queries_do_not_grow_with_the_leases(self):
        """Twenty more expiring leases: the same two queries, the count grown by twenty, still five rows."""
        from parkos.leasing.home import home_panels

        manager = self.world.users["park_manager"]
        stored.refresh()
        home_panels(manager)
        before = self.panel(manager).count
        today = timezone.localdate()
        for i in range(20):
            Lease.objects.create(
                tenant=self.world.org["in"],
                park=self.world.park["in"],
                start_date=today - datetime.timedelta(days=400),
                end_date=today + datetime.timedelta(days=30 + i),
                status=Lease.Status.SIGNED,
                rent_amount=1,
            )
        stored.refresh()
        with CaptureQueriesContext(connection) as queries:
            panel = self.panel(manager)
        self.assertEqual(len(queries.captured_queries), 2)
        self.assertEqual((panel.count, len(panel.items)), (before + 20, QUEUE_LENGTH))
        self.assertEqual(panel.count, self.old(manager)[0])

    def test_the_expiring_index_holds_the_active_leases(self):
        """lease_park_expiring's condition is Lease.ACTIVE written out (the Meta cannot name it), and on PostgreSQL
        the panel's query reads the manager's parks' leases from it (the counted rows a subquery of their own: in
        one SELECT with the LIMIT, PostgreSQL walked every park's leases by end date, issue 16)."""
        from parkos.leasing.home import first_expiring
        from parkos.leasing.selectors import add_months

        index = next(index for index in Lease._meta.indexes if index.name == "lease_park_expiring")
        self.assertEqual(index.condition.children, [("status__in", [str(status) for status in Lease.ACTIVE])])
        self.assertEqual(index.fields, ["park", "effective_end", "id"])
        if connection.vendor != "postgresql":
            return
        today = timezone.localdate()
        expiring = Lease.objects.restrict(self.world.users["park_manager"]).filter(
            status__in=Lease.ACTIVE, effective_end__gte=today, effective_end__lte=add_months(today, 6)
        )
        with CaptureQueriesContext(connection) as queries:
            first_expiring(expiring)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a test database's few rows fit one page
            cursor.execute("EXPLAIN " + queries.captured_queries[0]["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        self.assertIn("lease_park_expiring", plan)
