"""Occupancy against a hand-built example, the report pages, and query counts that do not grow with rows."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parkos.core.testing import World
from parkos.leasing.models import Lease, Sale
from parkos.leasing.selectors import (
    expiring_leases,
    leasing_figures,
    occupancy,
    occupancy_total,
    occupancy_trend,
    occupied_buildings,
    vacancy_board,
)
from parkos.parks.models import Building, SpaceUnit

D = datetime.date
ON = D(2026, 6, 30)


class OccupancyExampleTests(TestCase):
    """On 2026-06-30, by hand:

    park "in" (brand "in"), building B-in (1,000 m² of units):
      A 100 m²  lease in force 2026-01-01..2026-12-31          -> leased
      B 200 m²  lease to 2026-12-31, terminated on 2026-03-31   -> vacant (freed after 03-31)
      C 300 m²  sold, contract 2026-01-15                       -> sold
      D 400 m²  an intent to lease 2026-01-01..2026-12-31       -> vacant (an intent holds nothing)
    park "in", building B2 (500 m²):
      E 500 m²  open-ended lease from 2025-01-01                -> leased
    park "out" (brand "out"), building B-out (1,000 m²):
      F 1,000 m² lease 2026-07-01..                             -> vacant (starts the day after)
      G   500 m² lease 2025-07-01..2026-06-30                   -> leased (its last day)

    B-in: 400 of 1,000 m² occupied (100 leased + 300 sold) = 40 %.  B2: 500 / 500 = 100 %.
    park in: 900 / 1,500 = 60 %.  park out: 500 / 1,500 = 33.3 %.  all: 1,400 / 3,000 = 46.7 %.
    A park manager of park "in" sees 900 / 1,500.
    """

    @classmethod
    def setUpTestData(cls):
        w = cls.world = World.build()
        b2 = Building.objects.create(parcel=w.parcel["in"], code="B2", floor_area=1000)

        def unit(building, code, area):
            return SpaceUnit.objects.create(building=building, code=code, area=area)

        def lease(u, side, start, end, status=Lease.Status.IN_FORCE, **extra):
            lease = Lease.objects.create(
                tenant=w.org[side],
                park=w.park[side],
                start_date=start,
                end_date=end,
                rent_amount=1,
                status=status,
                leased_area=u.area,
                **extra,
            )
            lease.units.set([u])
            return lease

        a, b, c, d = (
            unit(w.building["in"], code, area) for code, area in (("A", 100), ("B", 200), ("C", 300), ("D", 400))
        )
        e = unit(b2, "E", 500)
        f, g = unit(w.building["out"], "F", 1000), unit(w.building["out"], "G", 500)
        lease(a, "in", D(2026, 1, 1), D(2026, 12, 31))
        lease(
            b,
            "in",
            D(2026, 1, 1),
            D(2026, 12, 31),
            status=Lease.Status.TERMINATED,
            terminated_on=D(2026, 3, 31),
            termination_reason="Left",
        )
        sale = Sale.objects.create(
            buyer=w.org["in"], park=w.park["in"], price_amount=1, contract_date=D(2026, 1, 15), area=300
        )
        sale.units.set([c])
        lease(d, "in", D(2026, 1, 1), D(2026, 12, 31), status=Lease.Status.INTENT)
        lease(e, "in", D(2025, 1, 1), None)
        lease(f, "out", D(2026, 7, 1), None)
        lease(g, "out", D(2025, 7, 1), D(2026, 6, 30))

    def test_occupancy_matches_the_hand_computed_example(self):
        result = occupancy(self.world.users["operator_admin"], ON)
        buildings = {row.name: row for row in result.buildings}
        self.assertEqual(
            (buildings["B-in"].lettable, buildings["B-in"].leased, buildings["B-in"].sold),
            (Decimal(1000), Decimal(100), Decimal(300)),
        )
        self.assertAlmostEqual(buildings["B-in"].rate, 0.4)
        self.assertEqual(buildings["B2"].rate, 1.0)
        parks = {row.name: row for row in result.parks}
        self.assertAlmostEqual(parks["Park in"].rate, 0.6)
        self.assertEqual(parks["Park out"].occupied, Decimal(500))
        self.assertAlmostEqual(parks["Park out"].rate, 1 / 3)
        brands = {row.name: row for row in result.brands}
        self.assertEqual(brands["Brand in"].occupied, Decimal(900))
        self.assertEqual((result.total.occupied, result.total.lettable), (Decimal(1400), Decimal(3000)))
        self.assertEqual((result.total.units, result.total.units_occupied), (7, 4))

    def test_grouped_per_park_and_a_page_of_buildings_match_the_full_occupancy(self):
        def figures(row):
            return (row.key, row.name, row.lettable, row.leased, row.sold, row.units, row.units_occupied)

        for user in (self.world.users["operator_admin"], self.world.users["park_manager"]):
            full = occupancy(user, ON)
            per_park = occupancy(user, ON, buildings=False, count_buildings=True)
            self.assertEqual(per_park.buildings, [])
            self.assertEqual(figures(per_park.total), figures(full.total))
            self.assertEqual([figures(r) for r in per_park.parks], [figures(r) for r in full.parks])
            self.assertEqual([figures(r) for r in per_park.brands], [figures(r) for r in full.brands])
            ids = list(occupied_buildings(user).values_list("pk", flat=True))
            self.assertEqual(sorted(ids), sorted(row.key for row in full.buildings))
            self.assertEqual(per_park.building_count, len(ids))
            self.assertEqual(full.building_count, len(ids))
            page = occupancy(user, ON, building_ids=ids[:1]).buildings
            self.assertEqual([figures(r) for r in page], [figures(r) for r in full.buildings if r.key == ids[0]])

    def test_a_park_manager_sees_the_occupancy_of_their_parks(self):
        result = occupancy(self.world.users["park_manager"], ON)
        self.assertEqual((result.total.occupied, result.total.lettable), (Decimal(900), Decimal(1500)))
        self.assertEqual([row.name for row in result.parks], ["Park in"])

    def test_the_day_after_the_last_lease_day_the_unit_is_vacant(self):
        day_after = occupancy(self.world.users["operator_admin"], D(2026, 7, 1), park=self.world.park["out"])
        self.assertEqual(day_after.total.occupied, Decimal(1000))  # F started, G ended

    def test_vacancy_board_statuses_and_idle_days(self):
        boards = vacancy_board(self.world.users["park_manager"], ON, park=self.world.park["in"])
        cells = {cell.unit.code: cell for board in boards for _floor, units in board.floors for cell in units}
        self.assertEqual(
            {code: cell.status for code, cell in cells.items()},
            {"A": "leased", "B": "vacant", "C": "sold", "D": "vacant", "E": "leased"},
        )
        self.assertEqual(cells["B"].idle_days, (ON - D(2026, 3, 31)).days)
        self.assertIsNone(cells["D"].idle_days)  # never held, building completion unknown
        near_end = vacancy_board(self.world.users["park_manager"], D(2026, 10, 15), building=self.world.building["in"])
        statuses = {c.unit.code: c.status for b in near_end for _f, units in b.floors for c in units}
        self.assertEqual(statuses["A"], "expiring")

    def test_expiry_alerts_bucket_by_nearest_window(self):
        buckets = expiring_leases(self.world.users["operator_admin"], D(2026, 11, 15))
        self.assertEqual([buckets[m].count() for m in (1, 3, 6)], [0, 1, 0])  # A ends 2026-12-31: 1.5 months
        buckets = expiring_leases(self.world.users["operator_admin"], D(2026, 12, 1))
        self.assertEqual([buckets[m].count() for m in (1, 3, 6)], [1, 0, 0])
        buckets = expiring_leases(self.world.users["operator_admin"], D(2026, 7, 1))
        self.assertEqual([buckets[m].count() for m in (1, 3, 6)], [0, 0, 1])

    def test_figures_for_a_period(self):
        figures = leasing_figures(self.world.users["operator_admin"], date_from=D(2026, 1, 1), date_to=D(2026, 12, 31))
        # starting in 2026 and holding: A (100), B (200), F (1000); D is an intent
        self.assertEqual(figures["leased"]["area"], Decimal(1300))
        self.assertEqual(figures["sold"]["area"], Decimal(300))
        self.assertEqual(figures["new_tenant_count"], 0)  # both tenants had leases in 2025
        self.assertEqual(len(figures["trend"]), 12)
        self.assertEqual(figures["trend"][5]["date"], ON)
        self.assertAlmostEqual(figures["trend"][5]["rate"], 1400 / 3000)

    def test_the_trend_in_one_pass_matches_each_day_counted_alone(self):
        days = [D(2024, 12, 31), D(2025, 1, 1), D(2025, 6, 30), D(2025, 7, 1), D(2026, 1, 14), D(2026, 1, 15)]
        days += [D(2026, 3, 31), D(2026, 4, 1), ON, D(2026, 7, 1), D(2026, 12, 31), D(2027, 1, 1)]
        w = self.world
        for user, scope in (
            (w.users["operator_admin"], {}),
            (w.users["operator_admin"], {"park": w.park["out"]}),
            (w.users["operator_admin"], {"brand": w.park["in"].brand}),
            (w.users["park_manager"], {}),
        ):
            occupancy_trend(user, days[:1], **scope)  # the user's scope, read once per user
            with CaptureQueriesContext(connection) as one_day:
                occupancy_trend(user, days[:1], **scope)
            with CaptureQueriesContext(connection) as queries:
                trend = occupancy_trend(user, days, **scope)
            self.assertLessEqual(len(queries.captured_queries), 5)
            self.assertEqual(len(queries.captured_queries), len(one_day.captured_queries))  # was 2 more per day
            for day, row in zip(days, trend, strict=True):
                alone = occupancy_total(user, day, **scope)
                self.assertEqual(
                    (row.lettable, row.leased, row.sold, row.units, row.units_occupied),
                    (alone.lettable, alone.leased, alone.sold, alone.units, alone.units_occupied),
                    f"{day} {scope}",
                )
        admin, out = w.users["operator_admin"], w.park["out"]
        sold_whole = Sale.objects.create(
            buyer=w.org["out"], park=out, price_amount=1, contract_date=D(2026, 2, 1), building=w.building["out"]
        )
        trend = occupancy_trend(admin, [D(2026, 1, 31), D(2026, 2, 28)], park=out)
        self.assertEqual([row.sold for row in trend], [Decimal(0), Decimal(1000)])  # F, not G (leased then)
        self.assertEqual(trend[1].sold, occupancy_total(admin, D(2026, 2, 28), park=out).sold)
        sold_whole.delete()

    def test_report_pages_render(self):
        self.client.force_login(self.world.users["park_manager"])
        for name, query in (
            ("leasing:occupancy", {"date": "2026-06-30"}),
            ("leasing:rent_roll", {"date": "2026-06-30"}),
            ("leasing:vacancy_board", {"building": self.world.building["in"].pk, "date": "2026-06-30"}),
            ("leasing:vacancy_board", {}),
            ("leasing:expiry_alerts", {"date": "2026-11-15"}),
            ("leasing:figures", {"date_from": "2026-01-01", "date_to": "2026-12-31"}),
        ):
            with self.subTest(name=name):
                self.assertEqual(self.client.get(reverse(name), query).status_code, 200)
        occupancy_page = self.client.get(reverse("leasing:occupancy"), {"date": "2026-06-30"})
        self.assertContains(occupancy_page, "60.0 %")
        for name in ("leasing:rent_roll", "leasing:figures"):
            xlsx = self.client.get(reverse(name), {"date": "2026-06-30", "format": "xlsx"})
            self.assertTrue(xlsx.content.startswith(b"PK"), name)
        bad = self.client.get(reverse("leasing:occupancy"), {"date": "not a date"})
        self.assertEqual(bad.status_code, 400)

    def test_api_occupancy_and_rent_roll(self):
        from rest_framework.test import APIClient

        api = APIClient()
        api.force_authenticate(self.world.users["park_manager"])
        data = api.get(reverse("leasing-api:occupancy"), {"date": "2026-06-30"}).json()
        self.assertEqual(Decimal(data["total"]["lettable"]), Decimal(1500))
        roll = api.get(reverse("leasing-api:rent-roll"), {"date": "2026-06-30"}).json()
        self.assertEqual(roll["count"], 2)  # A and E (B terminated, D an intent)
        self.assertEqual(api.get(reverse("leasing-api:occupancy"), {"date": "x"}).status_code, 400)
        gov = APIClient()
        gov.force_authenticate(self.world.users["government_partner"])
        self.assertEqual(gov.get(reverse("leasing-api:occupancy")).status_code, 403)

    def test_board_and_rent_roll_query_counts_do_not_grow_with_rows(self):
        self.client.force_login(self.world.users["park_manager"])
        urls = (
            reverse("leasing:vacancy_board") + f"?park={self.world.park['in'].pk}&date=2026-06-30",
            reverse("leasing:rent_roll") + "?date=2026-06-30",
            reverse("leasing:occupancy") + "?date=2026-06-30",
        )

        def counts():
            result = []
            for url in urls:
                self.client.get(url)
                with CaptureQueriesContext(connection) as ctx:
                    self.assertEqual(self.client.get(url).status_code, 200)
                result.append(len(ctx.captured_queries))
            return result

        before = counts()
        for i in range(5):
            u = SpaceUnit.objects.create(building=self.world.building["in"], code=f"N{i}", floor=i, area=10)
            lease = Lease.objects.create(
                tenant=self.world.org["in"],
                park=self.world.park["in"],
                rent_amount=1,
                start_date=D(2026, 1, 1),
                end_date=D(2026, 8, 31),
                leased_area=10,
            )
            lease.units.set([u])
        self.assertEqual(counts(), before)
