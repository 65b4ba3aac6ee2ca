"""Issue 16: the stored occupancy per park (parkos.leasing.stored) gives the figures of the computation from the units
(``occupancy(..., from_units=True)``, ``occupancy_trend_by_units``) on every day, for every scope, and stays so after
each kind of write (leases, sales, their units, units, buildings, parcels)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from parkos.core.testing import World
from parkos.leasing import stored
from parkos.leasing.models import Lease, ParkOccupancy, ParkOccupancyState, Sale
from parkos.leasing.selectors import month_end, occupancy, occupancy_trend, occupancy_trend_by_units
from parkos.parks.models import Building, LandParcel, Park, SpaceUnit

D = datetime.date
#: month ends from 2024 to 2027, and days on either side of the example's lease and sale boundaries
DAYS = sorted(
    {month_end(D(year, month, 1)) for year in range(2024, 2028) for month in range(1, 13)}
    | {D(2026, 1, 1), D(2026, 1, 14), D(2026, 1, 15), D(2026, 3, 31), D(2026, 4, 1), D(2026, 6, 30), D(2026, 7, 1)}
)


def figures(row) -> tuple:
    return (row.key, row.name, row.lettable, row.leased, row.sold, row.units, row.units_occupied)


class StoredOccupancyTests(TestCase):
    """Three parks (one without a brand), each with buildings of units; leases starting and ending across month
    boundaries, renewals from the day after, terminations, intents, overlapping leases of one unit, open-ended leases,
    sales of units (some leased at the time: leased wins), a whole building sold, cancelled and intent sales."""

    @classmethod
    def setUpTestData(cls):
        w = cls.world = World.build()
        cls.nobrand = Park.objects.create(code="park-nb", name="Park no brand", district="D", land_area=1000)
        parcel_nb = LandParcel.objects.create(park=cls.nobrand, code="NB1", area=1000)
        rng = random.Random(16)
        places = [(w.park["in"], w.parcel["in"]), (w.park["out"], w.parcel["out"]), (cls.nobrand, parcel_nb)]
        cls.units = {}
        for park, parcel in places:
            buildings = [w.building["in"], w.building["out"]] if park != cls.nobrand else []
            buildings = [b for b in buildings if b.parcel_id == parcel.pk]
            buildings += [
                Building.objects.create(parcel=parcel, code=f"{park.code}-B{n}", floor_area=900) for n in range(2)
            ]
            units = [
                SpaceUnit.objects.create(
                    building=b, code=f"{b.code}-{n}", floor=1, area=Decimal(rng.randrange(10, 300))
                )
                for b in buildings
                for n in range(4)
            ]
            cls.units[park.pk] = units
            tenant = w.org["in"] if park == w.park["in"] else w.org["out"]
            statuses = [*Lease.HOLDING, Lease.Status.INTENT]
            for unit in units:
                start = D(2024, 1, 1) + datetime.timedelta(days=rng.randrange(0, 900))
                for _n in range(rng.randrange(0, 4)):
                    end = None if rng.random() < 0.15 else start + datetime.timedelta(days=rng.randrange(20, 400))
                    status = rng.choice(statuses)
                    extra = {}
                    if status == Lease.Status.TERMINATED and end:
                        extra = {"terminated_on": start + (end - start) / 2, "termination_reason": "Left"}
                    elif status == Lease.Status.TERMINATED:
                        status = Lease.Status.EXPIRED
                    lease = Lease.objects.create(
                        tenant=tenant, park=park, start_date=start, end_date=end, rent_amount=1, status=status, **extra
                    )
                    lease.units.set([unit])
                    if end is None:
                        break
                    # the next lease from the day after (a renewal), a gap, or overlapping the last days
                    start = end + datetime.timedelta(days=rng.choice((1, 1, 30, -10)))
                if rng.random() < 0.2:
                    sale = Sale.objects.create(
                        buyer=tenant,
                        park=park,
                        price_amount=1,
                        contract_date=D(2024, 6, 1) + datetime.timedelta(days=rng.randrange(0, 800)),
                        status=rng.choice([*Sale.HOLDING, Sale.Status.CANCELLED, Sale.Status.INTENT]),
                    )
                    sale.units.set([unit])
            Sale.objects.create(
                buyer=tenant, park=park, price_amount=1, contract_date=D(2025, 11, 30), building=buildings[-1]
            )

    def assert_same(self, user, scopes=None, days=DAYS) -> None:
        w = self.world
        for scope in scopes or ({}, {"park": w.park["out"]}, {"brand": w.brand["in"]}, {"park": self.nobrand}):
            trend = occupancy_trend(user, days, **scope)
            by_units = occupancy_trend_by_units(user, days, **scope)
            for day, new, old in zip(days, trend, by_units, strict=True):
                self.assertEqual(figures(new), figures(old), f"{user} {scope} {day}")
            for day in days[::6]:
                new = occupancy(user, day, buildings=False, count_buildings=True, **scope)
                old = occupancy(user, day, buildings=False, count_buildings=True, from_units=True, **scope)
                label = f"{user} {scope} {day}"
                self.assertEqual(figures(new.total), figures(old.total), label)
                self.assertEqual([figures(r) for r in new.parks], [figures(r) for r in old.parks], label)
                self.assertEqual([figures(r) for r in new.brands], [figures(r) for r in old.brands], label)
                self.assertEqual(new.building_count, old.building_count, label)

    def test_the_stored_figures_equal_the_units_on_every_day_and_scope(self):
        w = self.world
        self.assert_same(w.users["operator_admin"])
        self.assert_same(w.users["park_manager"])
        admin_total = occupancy_trend(w.users["operator_admin"], [D(2026, 6, 30)])[0]
        self.assertGreater(admin_total.leased, 0)
        self.assertGreater(admin_total.sold, 0)

    def test_the_scope_is_the_parks_of_the_units_the_user_sees(self):
        for name, user in self.world.users.items():
            parks = stored.park_scope(user)
            seen = set(SpaceUnit.objects.restrict(user).values_list("building__parcel__park_id", flat=True))
            if parks is None:
                continue  # read from the units themselves
            units = SpaceUnit.objects.filter(building__parcel__park__in=parks)
            self.assertEqual(set(units.values_list("building__parcel__park_id", flat=True)), seen, name)
        self.assertIsNotNone(stored.park_scope(self.world.users["park_manager"]))

    def test_each_write_keeps_the_figures(self):
        w = self.world
        admin = w.users["operator_admin"]
        days = [D(2025, 12, 31), D(2026, 3, 31), D(2026, 6, 30), D(2026, 12, 31), D(2027, 6, 30)]
        unit = SpaceUnit.objects.create(building=w.building["in"], code="NEW-1", floor=2, area=77)
        lease = Lease.objects.create(tenant=w.org["in"], park=w.park["in"], start_date=D(2026, 2, 1), rent_amount=1)
        self.assert_same(admin, days=days)
        lease.units.add(unit)  # a unit leased
        self.assert_same(admin, days=days)
        lease.status, lease.terminated_on, lease.termination_reason = Lease.Status.TERMINATED, D(2026, 5, 31), "Left"
        lease.end_date = D(2026, 12, 31)
        lease.save()  # terminated early
        self.assert_same(admin, days=days)
        unit.leases.remove(lease)  # from the unit's side
        self.assert_same(admin, days=days)
        unit.leases.add(lease)
        sale = Sale.objects.create(buyer=w.org["in"], park=w.park["in"], price_amount=1, contract_date=D(2026, 3, 1))
        sale.units.add(unit)  # sold while leased, and after
        self.assert_same(admin, days=days)
        sale.status = Sale.Status.CANCELLED
        sale.save()
        self.assert_same(admin, days=days)
        whole = Sale.objects.create(
            buyer=w.org["out"],
            park=w.park["out"],
            price_amount=1,
            contract_date=D(2026, 1, 1),
            building=w.building["out"],
        )
        self.assert_same(admin, days=days)
        whole.delete()
        lease.units.clear()
        self.assert_same(admin, days=days)
        lease.units.add(unit)
        lease.delete()
        self.assert_same(admin, days=days)
        unit.area = 1234
        unit.save()  # a unit's area
        self.assert_same(admin, days=days)
        unit.delete()
        self.assert_same(admin, days=days)
        # moves: a lease's park (set from its units) is then another than its units'; the units' park counts here,
        # where the computation from the units, asked for one park or brand, left such a lease out
        unit = SpaceUnit.objects.filter(building=w.building["in"], leases__isnull=False).first()
        unit.building = w.building["out"]
        unit.save()  # a unit moved to another park
        self.assert_same(admin, scopes=[{}], days=days)
        moved = Building.objects.filter(parcel__park=w.park["in"]).exclude(pk=w.building["in"].pk).first()
        moved.parcel = w.parcel["out"]
        moved.save()  # a building moved to another park's parcel
        self.assert_same(admin, scopes=[{}], days=days)
        parcel = LandParcel.objects.get(pk=w.parcel["out"].pk)
        parcel.park = self.nobrand
        parcel.save()  # a parcel moved to another park
        self.assert_same(admin, scopes=[{}], days=days)
        self.assert_same(w.users["park_manager"], scopes=[{}], days=days)

    def test_current_parks_cost_one_query_and_a_stale_park_is_recomputed_once(self):
        admin = self.world.users["operator_admin"]
        occupancy_trend(admin, DAYS)
        with CaptureQueriesContext(connection) as queries:
            occupancy_trend(admin, DAYS)
        self.assertEqual(len(queries.captured_queries), 1)  # the sums per day, and the stale parks (none)
        park_in, park_out = self.world.park["in"].pk, self.world.park["out"].pk

        def row_ids(park):
            return set(ParkOccupancy.objects.filter(park=park).values_list("pk", flat=True))

        kept_in, kept_out = row_ids(park_in), row_ids(park_out)
        stored.bump([park_in])
        with CaptureQueriesContext(connection) as queries:
            occupancy_trend(admin, DAYS)
        self.assertFalse(row_ids(park_in) & kept_in)  # the stale park's rows computed again
        self.assertEqual(row_ids(park_out), kept_out)  # and only its
        self.assertLessEqual(len(queries.captured_queries), 1 + 15)

    def test_the_managers_home_reads_current_rows_and_never_recomputes(self):
        """The park manager's home panels read the stored rows when every park of theirs is current (one query) and
        count from the units when one is not (two more), writing nothing: the figures are the same either way."""
        from django.utils import translation

        from parkos.leasing.home import home_panels

        manager = self.world.users["park_manager"]
        day = D(2026, 6, 30)
        by_units = occupancy(manager, day, buildings=False, from_units=True)

        def panels():
            with translation.override("en"), CaptureQueriesContext(connection) as queries:
                shown = [
                    (panel.key, panel.count, [(item.label, item.detail, item.figure) for item in panel.items])
                    for panel in home_panels(manager)
                ]
            statements = [query["sql"].split()[0].upper() for query in queries.captured_queries]
            self.assertLessEqual(set(statements), {"SELECT", "WITH"})  # nothing written, nothing recomputed
            return shown, len(statements)

        for state in ("stale", "current", "stale again"):
            if state == "current":
                stored.refresh()
            else:
                stored.bump([self.world.park["in"].pk])
            with self.subTest(state=state):
                found = occupancy(manager, day, buildings=False, refresh_stale=False)
                self.assertEqual(figures(found.total), figures(by_units.total))
                self.assertEqual([figures(r) for r in found.parks], [figures(r) for r in by_units.parks])
                if state == "stale":
                    stale_panels, stale_queries = panels()
                elif state == "current":
                    current_panels, current_queries = panels()
                    self.assertEqual(current_panels, stale_panels)
                    self.assertEqual(current_queries, stale_queries - 2)
                else:
                    self.assertEqual(panels(), (stale_panels, stale_queries))

    def test_rows_computed_while_the_park_changed_are_not_stored(self):
        park = self.world.park["in"].pk
        stored.refresh([park])
        compute = stored.compute

        def compute_then_write(ids):
            rows = compute(ids)
            stored.bump([park])  # a write commits while the rows are computed
            return rows

        before = ParkOccupancyState.objects.get(park=park)
        stored.compute = compute_then_write
        try:
            self.assertEqual(stored.refresh([park]), 0)
        finally:
            stored.compute = compute
        state = ParkOccupancyState.objects.get(park=park)
        self.assertEqual((state.version, state.computed), (before.version + 1, before.computed))
        self.assertEqual(stored.refresh([park]), 1)

    def test_the_command_computes_every_park(self):
        ParkOccupancy.objects.all().delete()
        ParkOccupancyState.objects.all().delete()
        call_command("refresh_occupancy", stdout=open("/dev/null", "w"))  # noqa: SIM115
        states = ParkOccupancyState.objects.all()
        self.assertEqual(len(states), Park.objects.count())
        self.assertTrue(all(state.computed == state.version for state in states))
        self.assertEqual(
            ParkOccupancy.objects.filter(since=stored.FIRST).count(), Park.objects.count()
        )  # every park from its first day
