"""Issue 16, pages that do not grow with the data: the rewritten leasing queries give the figures of the old ones on a
hand-built example, and each leasing page keeps its number of queries whatever the number of rows."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, Min, Sum, Value
from django.db.models.functions import Coalesce
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parkos.core import kept
from parkos.core.testing import World
from parkos.directory.models import Industry, Organization
from parkos.leasing.models import Lease, Sale
from parkos.leasing.reports import EXPIRY_ROWS
from parkos.leasing.selectors import (
    BUILDING_FIELDS,
    MONEY,
    PARK_FIELDS,
    ZERO,
    Occupancy,
    OccupancyRow,
    expiring_counts,
    expiring_leases,
    held_unit_ids,
    leasing_figures,
    occupancy,
    occupied_buildings,
    visible_units,
)
from parkos.leasing.tests import test_selectors  # its example, not its tests (imported, they would run twice)
from parkos.parks.models import Building, LandParcel, Park, SpaceUnit

D = datetime.date
HOLDS = Lease.Status.SIGNED


def old_figures(user, *, date_from, date_to, park=None, brand=None, shown=200) -> dict:
    """The figures as computed before issue 16 (eight grouped queries over the period, the first lease of every
    tenant over all leases), without the trend: the reference the rewrite must equal."""

    def grouped(queryset, key, name, area):
        rows = (
            queryset.values(key_id=F(key), name=F(name))
            .annotate(area=Coalesce(Sum(area), Value(ZERO), output_field=MONEY), contracts=Count("pk"))
            .order_by("-area", "name")
        )
        return list(rows)

    leases = Lease.objects.restrict(user).filter(status__in=Lease.HOLDING)
    sales = Sale.objects.restrict(user).filter(status__in=Sale.HOLDING)
    if park:
        leases, sales = leases.filter(park=park.pk), sales.filter(park=park.pk)
    if brand:
        leases, sales = leases.filter(park__brand=brand.pk), sales.filter(park__brand=brand.pk)
    leased = leases.filter(start_date__range=(date_from, date_to))
    sold = sales.filter(contract_date__range=(date_from, date_to))
    leased_totals = leased.aggregate(area=Sum("leased_area"), n=Count("pk"))
    sold_totals = sold.aggregate(area=Sum("area"), n=Count("pk"))
    firsts = leases.values("tenant").annotate(first=Min("start_date")).filter(first__range=(date_from, date_to))
    new_tenants = (
        leases.filter(tenant__in=firsts.values("tenant"))
        .values(key_id=F("tenant_id"), name=F("tenant__name"))
        .annotate(first=Min("start_date"), area=Sum("leased_area"))
        .order_by("first", "name")
    )
    return {
        "leased": {"area": leased_totals["area"] or ZERO, "contracts": leased_totals["n"]},
        "sold": {"area": sold_totals["area"] or ZERO, "contracts": sold_totals["n"]},
        "leased_by_park": grouped(leased, "park_id", "park__name", "leased_area"),
        "leased_by_brand": grouped(leased, "park__brand_id", "park__brand__name", "leased_area"),
        "leased_by_industry": grouped(leased, "tenant__industry_id", "tenant__industry__name", "leased_area"),
        "sold_by_park": grouped(sold, "park_id", "park__name", "area"),
        "sold_by_brand": grouped(sold, "park__brand_id", "park__brand__name", "area"),
        "sold_by_industry": grouped(sold, "buyer__industry_id", "buyer__industry__name", "area"),
        "new_tenants": list(new_tenants[:shown]),
        "new_tenant_count": firsts.count(),
    }


def old_occupancy(
    user,
    date,
    *,
    park=None,
    brand=None,
    building=None,
    buildings: bool = True,
    building_ids=None,
) -> Occupancy:
    """Occupancy as computed before issue 16 (three grouped queries, all units, leased units, units only sold):
    the reference the one grouped query must equal."""
    units = visible_units(user, park=park, brand=brand, building=building)
    if building_ids is not None:
        units = units.filter(building_id__in=list(building_ids))
    leased_ids, sold_q = held_unit_ids(date, park=park, brand=brand, building=building)
    key = "building_id" if buildings else "building__parcel__park_id"

    def grouped(queryset):
        return {row[key]: row for row in queryset.values(key).annotate(area=Sum("area"), n=Count("pk")).order_by()}

    leased = grouped(units.filter(pk__in=leased_ids))
    sold = grouped(units.filter(sold_q).exclude(pk__in=leased_ids))
    building_rows, parks, brands = {}, {}, {}
    total = OccupancyRow(None, "")
    rows = units.values(*(BUILDING_FIELDS if buildings else PARK_FIELDS)).annotate(
        area=Sum("area"), n=Count("pk"), buildings_n=Count("building_id", distinct=True)
    )
    building_count = 0
    for row in rows.order_by():
        building_count += row["buildings_n"]
        held, bought = leased.get(row[key], {}), sold.get(row[key], {})
        figures = (
            row["area"] or ZERO,
            held.get("area") or ZERO,
            bought.get("area") or ZERO,
            row["n"],
            held.get("n", 0) + bought.get("n", 0),
        )
        targets = [
            parks.setdefault(
                row["building__parcel__park_id"],
                OccupancyRow(row["building__parcel__park_id"], row["building__parcel__park__name"]),
            ),
            brands.setdefault(
                row["building__parcel__park__brand_id"],
                OccupancyRow(row["building__parcel__park__brand_id"], row["building__parcel__park__brand__name"] or ""),
            ),
            total,
        ]
        if buildings:
            building_name = f"{row['building__code']} {row['building__name']}".strip()
            targets.append(
                building_rows.setdefault(
                    row["building_id"],
                    OccupancyRow(row["building_id"], building_name, park=row["building__parcel__park__name"]),
                )
            )
        for target in targets:
            target.add(*figures)
    return Occupancy(
        date=date,
        total=total,
        buildings=sorted(building_rows.values(), key=lambda r: (r.park, r.name)),
        parks=sorted(parks.values(), key=lambda r: r.name),
        brands=sorted(brands.values(), key=lambda r: r.name),
        building_count=building_count,
    )


class FiguresExample(TestCase):
    """Leases and sales around 2026 in three parks (one without a brand) by tenants of two industries and none.

    In 2026, by hand (the admin, every park):
      leased: 150 (old tenant, not new) + 200 + 50 (new1) + 300 + none (new2) + 80 (out, terminated) + 20 + 30 (new3,
      two first leases on one day) = 830 m² in 8 leases; the intents and the 2027 lease do not count.
      new tenants: new1, new2 (its 2025 lease is an intent), new3 (3); old had a lease in 2025, out an expired one in
      2023 (in park "in": within park "out" alone, out is new).
      sold: 500 (signed) + none (completed) = 500 m² in 2 sales; cancelled, intent and 2025 sales do not count.
    """

    @classmethod
    def setUpTestData(cls):
        w = cls.world = World.build()
        other = Industry.objects.create(code="T-OT", name="Other trade", name_en="Other trade")
        cls.nobrand = Park.objects.create(code="park-nb", name="Park no brand", district="D", land_area=1000)
        org = {name: Organization.objects.create(name=f"Org {name}") for name in ("old", "new1", "new2", "new3")}
        org["new2"].industry = other
        org["new2"].save()
        org["out"] = w.org["out"]
        cls.org = org

        def lease(tenant, park, start, area, status=HOLDS, **extra):
            return Lease.objects.create(
                tenant=org[tenant] if isinstance(tenant, str) else tenant,
                park=park,
                start_date=start,
                end_date=extra.pop("end", None),
                rent_amount=1,
                status=status,
                leased_area=area,
                **extra,
            )

        pin, pout = w.park["in"], w.park["out"]
        lease("old", pin, D(2025, 3, 1), 100)
        lease("old", pin, D(2026, 2, 1), 150)
        lease("new1", pout, D(2026, 3, 1), 200)
        lease("new1", pin, D(2026, 9, 1), 50)
        lease("new1", pin, D(2027, 2, 1), 70)  # after the period: still in the new tenant's area, as before
        lease("new2", pin, D(2025, 5, 1), 999, status=Lease.Status.INTENT)
        lease("new2", cls.nobrand, D(2026, 4, 1), 300, status=Lease.Status.IN_FORCE)
        lease("new2", pin, D(2026, 5, 1), None, status=Lease.Status.RENEWED)
        lease("out", pin, D(2024, 6, 1), 40, status=Lease.Status.INTENT)
        lease(
            "out",
            pout,
            D(2026, 1, 10),
            80,
            status=Lease.Status.TERMINATED,
            end=D(2026, 12, 31),
            terminated_on=D(2026, 6, 30),
            termination_reason="Left",
        )
        lease("out", pin, D(2023, 6, 1), 60, status=Lease.Status.EXPIRED, end=D(2024, 5, 31))
        lease("new3", pout, D(2026, 6, 1), 20)
        lease("new3", pout, D(2026, 6, 1), 30)
        lease("new3", pout, D(2026, 11, 1), 5, status=Lease.Status.INTENT)

        def sale(buyer, park, contracted, area, status=Sale.Status.SIGNED):
            return Sale.objects.create(
                buyer=org[buyer], park=park, price_amount=1, contract_date=contracted, area=area, status=status
            )

        sale("new1", pin, D(2026, 2, 1), 500)
        sale("out", cls.nobrand, D(2026, 7, 1), None, status=Sale.Status.COMPLETED)
        sale("new2", pin, D(2026, 3, 1), 700, status=Sale.Status.CANCELLED)
        sale("new2", pout, D(2026, 3, 2), 800, status=Sale.Status.INTENT)
        sale("old", pin, D(2025, 3, 1), 900)

    def test_the_hand_counted_figures(self):
        figures = leasing_figures(self.world.users["operator_admin"], date_from=D(2026, 1, 1), date_to=D(2026, 12, 31))
        self.assertEqual(figures["leased"], {"area": Decimal(830), "contracts": 8})
        self.assertEqual(figures["sold"], {"area": Decimal(500), "contracts": 2})
        self.assertEqual(figures["new_tenant_count"], 3)
        self.assertEqual(  # the area of all their holding leases, as before (new1's 2027 lease too)
            [(row["name"], row["first"], row["area"]) for row in figures["new_tenants"]],
            [
                ("Org new1", D(2026, 3, 1), Decimal(320)),
                ("Org new2", D(2026, 4, 1), Decimal(300)),
                ("Org new3", D(2026, 6, 1), Decimal(50)),
            ],
        )
        self.assertEqual(
            [(row["name"], row["area"], row["contracts"]) for row in figures["leased_by_industry"]],
            [(None, Decimal(450), 5), ("Other trade", Decimal(300), 2), ("Test circuits", Decimal(80), 1)],
        )

    def test_the_rewrite_equals_the_old_computation(self):
        w = self.world
        cases = [
            (w.users["operator_admin"], {"date_from": D(2026, 1, 1), "date_to": D(2026, 12, 31)}),
            (w.users["operator_admin"], {"date_from": D(2026, 1, 1), "date_to": D(2026, 5, 31)}),
            (w.users["operator_admin"], {"date_from": D(2023, 1, 1), "date_to": D(2027, 12, 31)}),
            (
                w.users["operator_admin"],
                {"date_from": D(2026, 1, 1), "date_to": D(2026, 12, 31), "park": w.park["out"]},
            ),
            (w.users["operator_admin"], {"date_from": D(2026, 1, 1), "date_to": D(2026, 12, 31), "park": w.park["in"]}),
            (
                w.users["operator_admin"],
                {"date_from": D(2026, 1, 1), "date_to": D(2026, 12, 31), "brand": w.brand["in"]},
            ),
            (w.users["park_manager"], {"date_from": D(2026, 1, 1), "date_to": D(2026, 12, 31)}),
            (w.users["park_manager"], {"date_from": D(2020, 1, 1), "date_to": D(2030, 12, 31)}),
        ]
        for user, scope in cases:
            with self.subTest(user=user.username, **{k: str(v) for k, v in scope.items()}):
                new = leasing_figures(user, **scope)
                old = old_figures(user, **scope)
                for key, value in old.items():
                    self.assertEqual(new[key], value, key)

    def test_the_new_tenants_shown_are_the_first_by_date_then_name(self):
        from unittest import mock

        Lease.objects.create(  # the same first day as new2: "Org new0" comes before "Org new2"
            tenant=Organization.objects.create(name="Org new0"),
            park=self.nobrand,
            start_date=D(2026, 4, 1),
            rent_amount=1,
            leased_area=7,
            status=HOLDS,
        )
        admin, period = self.world.users["operator_admin"], {"date_from": D(2026, 1, 1), "date_to": D(2026, 12, 31)}
        with mock.patch("parkos.leasing.selectors.NEW_TENANT_ROWS", 2):
            figures = leasing_figures(admin, **period)
        self.assertEqual([row["name"] for row in figures["new_tenants"]], ["Org new1", "Org new0"])
        self.assertEqual(figures["new_tenant_count"], 4)
        old = old_figures(admin, shown=2, **period)
        self.assertEqual(
            (figures["new_tenants"], figures["new_tenant_count"]), (old["new_tenants"], old["new_tenant_count"])
        )

    def test_the_figures_queries_do_not_grow_with_the_leases(self):
        admin = self.world.users["operator_admin"]
        period = {"date_from": D(2026, 1, 1), "date_to": D(2026, 12, 31)}
        leasing_figures(admin, **period)
        with CaptureQueriesContext(connection) as before:
            leasing_figures(admin, **period)
        for n in range(5):
            tenant = Organization.objects.create(name=f"Org more {n}")
            Lease.objects.create(
                tenant=tenant, park=self.nobrand, start_date=D(2026, 8, 1), rent_amount=1, leased_area=1, status=HOLDS
            )
        with CaptureQueriesContext(connection) as first:  # the park's stored occupancy recomputed after the writes
            leasing_figures(admin, **period)
        self.assertLessEqual(len(first.captured_queries), len(before.captured_queries) + 15)
        with CaptureQueriesContext(connection) as after:
            figures = leasing_figures(admin, **period)
        self.assertEqual(figures["new_tenant_count"], 3 + 5)
        # the period's leases and sales grouped by park, brand and industry with their names (one query), the new
        # tenants' leases grouped per tenant and the names of those shown, the trend's 1 (the stored rows per park
        # summed per month end)
        self.assertEqual(len(before.captured_queries), 4)
        self.assertEqual(len(after.captured_queries), len(before.captured_queries))


class ExpiryCountsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.world = World.build()
        ends = [D(2026, 7, 1), D(2026, 7, 30), D(2026, 7, 31), D(2026, 8, 1), D(2026, 9, 30), D(2026, 10, 1)]
        ends += [D(2026, 12, 31), D(2027, 1, 1), D(2026, 6, 29)]
        for n, end in enumerate(ends):
            for side in ("in", "out"):
                Lease.objects.create(
                    tenant=w.org[side],
                    park=w.park[side],
                    reference=f"X-{side}-{n}",
                    start_date=D(2026, 1, 1),
                    end_date=end,
                    rent_amount=1,
                    status=Lease.Status.IN_FORCE if n % 2 else Lease.Status.SIGNED,
                )
        Lease.objects.create(  # ended early: not running, no alert
            tenant=w.org["in"],
            park=w.park["in"],
            start_date=D(2026, 1, 1),
            end_date=D(2026, 8, 31),
            rent_amount=1,
            status=Lease.Status.TERMINATED,
            terminated_on=D(2026, 7, 15),
            termination_reason="Left",
        )

    def test_one_count_equals_a_count_per_window(self):
        w = self.world
        for user, scope in (
            (w.users["operator_admin"], {}),
            (w.users["operator_admin"], {"park": w.park["out"]}),
            (w.users["operator_admin"], {"brand": w.brand["in"]}),
            (w.users["park_manager"], {}),
        ):
            for day in (D(2026, 6, 30), D(2026, 7, 1), D(2026, 7, 31)):
                with self.subTest(user=user.username, day=day, scope=scope):
                    counts = expiring_counts(user, day, **scope)
                    windows = expiring_leases(user, day, **scope)
                    self.assertEqual(counts, {months: leases.count() for months, leases in windows.items()})
        # 2026-06-30: ends 07-01, 07-30 within a month (07-30 is the limit); 07-31 .. 09-30 within 3; 10-01, 12-31
        self.assertEqual(expiring_counts(w.users["park_manager"], D(2026, 6, 30)), {1: 2, 3: 3, 6: 1})


class QueryCountsTests(TestCase):
    """Each leasing page's queries, pinned (the session's and the user's among them); none grows with the rows
    (checked again after adding leases, units, rent terms, sales and a building)."""

    #: page -> its queries as an admin and as a park manager, on SQLite and on PostgreSQL (where the session and the
    #: permissions read more)
    PAGES = {
        "leasing:occupancy": ((9, 9), (10, 10)),  # the totals per park: 1 stored-row query (were 3)
        "leasing:rent_roll": ((9, 9), (10, 10)),
        "leasing:expiry_alerts": ((11, 11), (12, 12)),
        # kept (parkos.core.kept): the groups, new tenants and trend are not read again; a park manager's parks are
        "leasing:figures": ((6, 7), (7, 8)),
        # computed (the first view after a write): the trend 1 stored-row query (were 5); the groups 1 (were 2)
        "leasing:figures computed": ((10, 11), (11, 12)),
        # an admin's lists on PostgreSQL: the table's estimate of the whole table, and its count kept for the second
        # pagination (core, 4e4953b)
        "leasing:lease_list": ((9, 9), (11, 10)),
        "leasing:sale_list": ((9, 9), (11, 10)),
        "leasing:rentterm_list": ((7, 7), (9, 8)),
    }

    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.add_rows(3)

    @classmethod
    def add_rows(cls, n: int, start: int = 0) -> None:
        w = cls.world
        for i in range(start, start + n):
            for side in ("in", "out"):
                unit = SpaceUnit.objects.create(building=w.building[side], code=f"U{side}{i}", floor=1, area=10)
                lease = Lease.objects.create(
                    tenant=Organization.objects.create(name=f"Tenant {side} {i}"),
                    park=w.park[side],
                    start_date=D(2026, 1, 1) + datetime.timedelta(days=i),
                    end_date=D(2026, 7, 10) + datetime.timedelta(days=45 * i),  # each expiry window has one
                    rent_amount=1,
                    leased_area=10,
                )
                lease.units.set([unit])
                lease.rent_terms.create(start_date=lease.start_date, rent_amount=0, note="free")
                sold = SpaceUnit.objects.create(building=w.building[side], code=f"S{side}{i}", floor=2, area=5)
                sale = Sale.objects.create(
                    buyer=lease.tenant, park=w.park[side], price_amount=1, contract_date=D(2026, 2, 1), area=5
                )
                sale.units.set([sold])
        parcel = LandParcel.objects.get(park=w.park["in"])
        building = Building.objects.create(parcel=parcel, code=f"MORE-{start}", floor_area=100)
        SpaceUnit.objects.create(building=building, code="M1", floor=1, area=50)

    def counts(self, user) -> dict[str, int]:
        self.client.force_login(user)
        result = {}
        for name in self.PAGES:
            query = (
                {"date": "2026-06-30"}
                if name in ("leasing:occupancy", "leasing:rent_roll", "leasing:expiry_alerts")
                else {}
            )
            if name.startswith("leasing:figures"):
                query = {"date_from": "2026-01-01", "date_to": "2026-12-31"}
            url = reverse(name.split()[0])
            self.client.get(url, query)
            if name.endswith("computed"):
                kept.bump("leasing_figures")  # as a write does
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url, query)
            self.assertEqual(response.status_code, 200, name)
            result[name] = len(queries.captured_queries)
        return result

    maxDiff = None

    def test_each_page_keeps_its_queries(self):
        admin, manager = self.world.users["operator_admin"], self.world.users["park_manager"]
        backend = 1 if connection.vendor == "postgresql" else 0
        expected_admin = {name: counts[backend][0] for name, counts in self.PAGES.items()}
        expected_manager = {name: counts[backend][1] for name, counts in self.PAGES.items()}
        self.assertEqual(self.counts(admin), expected_admin)
        self.assertEqual(self.counts(manager), expected_manager)
        self.add_rows(4, start=3)
        self.assertEqual(self.counts(admin), expected_admin)
        self.assertEqual(self.counts(manager), expected_manager)

    def test_the_expiry_alerts_show_each_leases_units_and_links(self):
        self.client.force_login(self.world.users["park_manager"])
        response = self.client.get(reverse("leasing:expiry_alerts"), {"date": "2026-06-30"})
        lease = Lease.objects.get(tenant__name="Tenant in 0")
        self.assertContains(response, f'<a href="{lease.get_absolute_url()}">{lease}</a>', html=True)
        self.assertContains(response, "<td>Uin0</td>", html=True)
        self.assertNotContains(response, "Tenant out 0")
        roll = self.client.get(reverse("leasing:rent_roll"), {"date": "2026-06-30"})
        self.assertContains(roll, f'<a href="{lease.tenant.get_absolute_url()}">Tenant in 0</a>', html=True)
        self.assertContains(roll, f'<a href="{lease.get_absolute_url()}">{lease}</a>', html=True)
        self.assertContains(roll, "<td>Uin0</td>", html=True)
        self.assertLessEqual(EXPIRY_ROWS, 50)


class OccupancyOldNewTests(TestCase):
    """The hand-built example of test_selectors (leased, terminated, sold, intent, open-ended, a lease from the day
    after), with a whole building sold besides: the one grouped query gives the figures of the three."""

    setUpTestData = classmethod(test_selectors.OccupancyExampleTests.setUpTestData.__func__)  # type: ignore[attr-defined]

    def test_one_grouped_query_equals_the_three(self):
        w = self.world
        sold_whole = Building.objects.create(parcel=w.parcel["out"], code="B-sold", floor_area=300)
        SpaceUnit.objects.create(building=sold_whole, code="W1", area=120)
        SpaceUnit.objects.create(building=sold_whole, code="W2", area=80)
        Sale.objects.create(
            buyer=w.org["out"], park=w.park["out"], price_amount=1, contract_date=D(2026, 5, 1), building=sold_whole
        )

        def figures(row):
            return (row.key, row.name, row.park, row.lettable, row.leased, row.sold, row.units, row.units_occupied)

        def same(new, old):
            self.assertEqual(figures(new.total), figures(old.total))
            for attribute in ("buildings", "parks", "brands"):
                self.assertEqual(
                    [figures(r) for r in getattr(new, attribute)], [figures(r) for r in getattr(old, attribute)]
                )

        admin, manager = w.users["operator_admin"], w.users["park_manager"]
        for user, scope in (
            (admin, {}),
            (admin, {"park": w.park["out"]}),
            (admin, {"brand": w.brand["in"]}),
            (admin, {"building": w.building["in"]}),
            (manager, {}),
        ):
            for day in (D(2026, 3, 31), test_selectors.ON, D(2026, 7, 1)):
                with self.subTest(user=user.username, day=day, **{k: str(v) for k, v in scope.items()}):
                    old = old_occupancy(user, day, **scope)
                    same(occupancy(user, day, **scope), old)
                    per_park = occupancy(user, day, buildings=False, count_buildings=True, **scope)
                    same(per_park, old_occupancy(user, day, buildings=False, **scope))
                    self.assertEqual(per_park.building_count, old.building_count)
                    ids = list(occupied_buildings(user, **scope).values_list("pk", flat=True))[:2]
                    same(
                        occupancy(user, day, building_ids=ids, **scope),
                        old_occupancy(user, day, building_ids=ids, **scope),
                    )
        totals = occupancy(admin, test_selectors.ON).total
        self.assertEqual((totals.sold, totals.units_occupied), (Decimal(300 + 200), 4 + 2))


def test_a_status_badge_is_kept_per_language():
    """The badge is built once per status and language (the same few on every row), in the language of the page."""
    from django.utils import translation

    from parkos.leasing.tables import status_badge

    lease = Lease(status=Lease.Status.IN_FORCE)
    with translation.override("en"):
        english = status_badge(lease)
        assert status_badge(lease) is english
    with translation.override("zh-hans"):
        chinese = status_badge(lease)
    assert 'data-status="in_force"' in english and "In force" in english
    assert "In force" not in chinese


def test_the_new_tenants_index_holds_the_holding_leases():
    """The partial index the new tenants' probe reads (lease_tenant_first) covers exactly the holding statuses: its
    condition is written out in the model's Meta, where Lease.HOLDING cannot be named."""
    index = next(index for index in Lease._meta.indexes if index.name == "lease_tenant_first")
    assert index.condition.children == [("status__in", [str(status) for status in Lease.HOLDING])]
    assert index.fields == ["tenant", "start_date"]
