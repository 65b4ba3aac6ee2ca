"""Issue 16: the leasing figures page keeps its figures (parkos.core.kept) per audience and filter, and computes them
again after every write they read, committed or not yet."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parkos.core.testing import PASSWORD, World
from parkos.leasing.models import Lease
from parkos.parks.models import SpaceUnit
from parkos.users.models import User

D = datetime.date
FEBRUARY = D(2026, 2, 1)
QUERY = {"date_from": "2026-01-01", "date_to": "2026-12-31"}


@override_settings(PARKOS_FIGURES_CACHE_SECONDS=300)
class KeptLeasingFiguresTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = World.build()
        cls.unit = {}
        for side, area in (("in", 100), ("out", 40)):
            cls.unit[side] = SpaceUnit.objects.create(building=w.building[side], code=f"U-{side}", floor=1, area=area)
            lease = cls.lease(side, area)
            lease.units.set([cls.unit[side]])
        cls.admin = w.users["operator_admin"]
        cls.manager_in = w.users["park_manager"]
        cls.manager_out = User.objects.create_user(username="manager_out", password=PASSWORD)
        cls.manager_out.groups.add(Group.objects.get(name="park_manager"))
        cls.manager_out.parks.add(w.park["out"])

    @classmethod
    def lease(cls, side: str, area: int, start: datetime.date = FEBRUARY) -> Lease:
        return Lease.objects.create(
            tenant=cls.world.org[side],
            park=cls.world.park[side],
            start_date=start,
            end_date=D(2027, 1, 31),
            rent_amount=1,
            leased_area=area,
        )

    def view(self, user: User | None = None, **query: Any) -> tuple[dict[str, Any], int]:
        """The page's figures, and how many times it grouped the period's contracts (0: kept figures)."""
        self.client.force_login(user or self.admin)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("leasing:figures"), {**QUERY, **query})
        self.assertEqual(response.status_code, 200)
        grouped = [q for q in queries.captured_queries if "contracts0 (park_id" in q["sql"]]
        return response.context["figures"], len(grouped)

    def test_the_next_view_reads_the_kept_figures(self):
        with CaptureQueriesContext(connection) as computed:
            first, grouped = self.view()
        self.assertEqual((first["leased"], grouped), ({"area": Decimal(140), "contracts": 2}, 1))
        with CaptureQueriesContext(connection) as again:
            kept, grouped = self.view()
        self.assertEqual((kept, grouped), (first, 0))
        # the groups, the new tenants (2) and the trend's stored rows are not read again
        self.assertLessEqual(len(again), len(computed) - 4)

    def test_the_xlsx_reads_the_kept_figures(self):
        self.view()
        self.client.force_login(self.admin)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("leasing:figures"), {**QUERY, "format": "xlsx"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse([q for q in queries.captured_queries if "contracts0 (park_id" in q["sql"]])

    def test_a_committed_write_shows_on_the_next_view(self):
        self.view()
        with self.captureOnCommitCallbacks(execute=True):
            lease = self.lease("in", 7)
        figures, grouped = self.view()
        self.assertEqual((figures["leased"]["contracts"], grouped), (3, 1))
        with self.captureOnCommitCallbacks(execute=True):
            lease.delete()
        figures, grouped = self.view()
        self.assertEqual((figures["leased"]["contracts"], grouped), (2, 1))

    def test_a_write_not_yet_committed_shows_to_its_own_transaction(self):
        self.view()
        self.lease("out", 5)
        figures, grouped = self.view()
        self.assertEqual((figures["leased"]["area"], grouped), (Decimal(145), 1))

    def test_units_linked_to_a_lease_show_in_the_trend(self):
        unit = SpaceUnit.objects.create(building=self.world.building["in"], code="U-late", floor=2, area=60)
        lease = self.lease("in", 60, start=D(2026, 3, 1))
        before, _grouped = self.view()
        lease.units.add(unit)  # no save of a lease, a unit or a building: a link
        after, grouped = self.view()
        self.assertEqual(grouped, 1)
        self.assertEqual(after["trend"][-1]["occupied"], before["trend"][-1]["occupied"] + 60)

    def test_park_managers_of_two_parks_never_share_figures(self):
        mine, grouped_in = self.view(self.manager_in)
        theirs, grouped_out = self.view(self.manager_out)
        self.assertEqual((mine["leased"]["area"], theirs["leased"]["area"]), (Decimal(100), Decimal(40)))
        self.assertEqual((grouped_in, grouped_out), (1, 1))
        # a manager of the same park, with the same permissions, reads the first one's figures
        colleague = User.objects.create_user(username="manager_in_2", password=PASSWORD)
        colleague.groups.add(Group.objects.get(name="park_manager"))
        colleague.parks.add(self.world.park["in"])
        figures, grouped = self.view(colleague)
        self.assertEqual((figures, grouped), (mine, 0))
        # the admin sees both parks: its own figures
        self.assertEqual(self.view()[0]["leased"]["area"], Decimal(140))

    def test_each_filter_is_its_own_figures(self):
        self.view()
        park, grouped = self.view(park=self.world.park["out"].pk)
        self.assertEqual((park["leased"]["area"], grouped), (Decimal(40), 1))
        brand, grouped = self.view(brand=self.world.brand["in"].pk)
        self.assertEqual((brand["leased"]["area"], grouped), (Decimal(100), 1))
        period, grouped = self.view(date_from="2026-03-01")
        self.assertEqual((period["leased"]["contracts"], grouped), (0, 1))
        self.assertEqual(self.view(park=self.world.park["out"].pk), (park, 0))

    @override_settings(PARKOS_FIGURES_CACHE_SECONDS=0)
    def test_no_figures_are_kept_when_the_setting_is_0(self):
        self.assertEqual(self.view()[1], 1)
        self.assertEqual(self.view()[1], 1)
