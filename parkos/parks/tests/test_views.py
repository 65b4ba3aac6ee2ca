"""The standard suite (pages, import, export, API, permissions per role) for every park registry model."""

import json

from parkos.core.permissions import Scope
from parkos.core.testing import StandardModelTests, csv_text
from parkos.parks.models import Building, LandParcel, Park, ParkBrand, SpaceUnit

STAFF_SEE_THEIR_PARKS = {
    "operator_admin": "all",
    "investment_staff": "in",
    "park_manager": "in",
    "service_staff": "in",
    "evaluation_officer": "in",
}
MANAGERS_EDIT_THEIR_PARKS = {"operator_admin": "all", "park_manager": "in"}
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[121.60, 31.20], [121.61, 31.20], [121.61, 31.21], [121.60, 31.21], [121.60, 31.20]]],
}


def assign_to_staff(world, park):
    for user in world.scoped_users(Scope.PARKS):
        user.parks.add(park)


class ParkBrandTests(StandardModelTests):
    model = ParkBrand
    visible_to = STAFF_SEE_THEIR_PARKS
    editable_by = MANAGERS_EDIT_THEIR_PARKS
    form_data = {"code": "new-brand", "name": "新品牌"}
    update_data = {"name_en": "Renamed brand"}
    invalid_data = [("code", "not a slug!"), ("name", "")]

    @classmethod
    def make(cls, world, side):
        n = world.seq()
        brand = ParkBrand.objects.create(code=f"b{n:04d}{side}", name=f"Brand {n:04d}{side}")
        park = Park.objects.create(
            code=f"bp{n:04d}{side}", name=f"Brand park {n:04d}{side}", brand=brand, district="District"
        )
        if side == "in":
            assign_to_staff(world, park)
        return brand

    @classmethod
    def make_deletable(cls, world):
        return ParkBrand.objects.create(code=f"bare{world.seq():04d}", name=f"Bare brand {world.seq():04d}")

    def test_delete_of_brand_with_parks_is_refused_with_a_reason(self):
        response = self.client.post(self.url("delete", self.obj_in), follow=True)
        self.assertTrue(ParkBrand.objects.filter(pk=self.obj_in.pk).exists())
        self.assertContains(response, "cannot be deleted while it has parks")

    @staticmethod
    def csv_rows(world):
        return csv_text(
            [
                {
                    "code": "csv-a",
                    "name": "品牌甲",
                    "name_en": "A",
                    "operator": "Org in Ltd",
                    "description": "",
                },
                {"code": "csv-b", "name": "品牌乙", "name_en": "B", "operator": "", "description": "x"},
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return "csv-c,品牌丙,C,Nobody Ltd,", "operator"

    @staticmethod
    def api_data(world):
        return {"code": "api-brand", "name": "API brand", "operator": world.org["in"].pk}


class ParkTests(StandardModelTests):
    model = Park
    visible_to = STAFF_SEE_THEIR_PARKS
    editable_by = MANAGERS_EDIT_THEIR_PARKS
    update_data = {"district": "嘉定区"}
    invalid_data = [
        ("boundary", json.dumps({"type": "Point", "coordinates": [121.6, 31.2]})),
        ("land_area", "12 acres"),
        ("district", ""),
        ("code", ""),
    ]

    @staticmethod
    def form_data(world):
        return {
            "code": "new-park",
            "name": "新园区",
            "district": "闵行区",
            "land_area": "300 mu",
            "brand": world.brand["in"].pk,
            "boundary": json.dumps(SQUARE),
        }

    @classmethod
    def make(cls, world, side):
        n = world.seq()
        park = Park.objects.create(
            code=f"p{n:04d}{side}",
            name=f"Park {n:04d}{side}",
            district="District",
            brand=world.brand[side],
            land_area=500_000,
            boundary=SQUARE,
        )
        if side == "in":
            assign_to_staff(world, park)
        return park

    @staticmethod
    def csv_rows(world):
        return csv_text(
            [
                {
                    "code": "csv-p1",
                    "name": "导入园一",
                    "name_en": "",
                    "brand": "brand-in",
                    "district": "松江区",
                    "operator": "",
                    "land_area": "150 mu",
                    "established": "2010-05-01",
                    "address": "",
                    "boundary": json.dumps(SQUARE),
                    "description": "",
                },
                {
                    "code": "csv-p2",
                    "name": "导入园二",
                    "name_en": "",
                    "brand": "",
                    "district": "青浦区",
                    "operator": "Org out Ltd",
                    "land_area": "80000",
                    "established": "",
                    "address": "",
                    "boundary": "",
                    "description": "",
                },
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return "csv-p3,导入园三,,brand-in,宝山区,,lots,,,,", "land_area"

    @staticmethod
    def api_data(world):
        return {
            "code": "api-park",
            "name": "API park",
            "district": "奉贤区",
            "land_area": "120000.00",
            "boundary": SQUARE,
        }

    def test_land_rows_read_zero_without_parcels_and_mu_beside_square_metres_with_them(self):
        import re

        from django.urls import reverse
        from django.utils import translation

        def row(park, cell):
            with translation.override("zh-hans"):
                page = self.client.get(reverse("parks:park", args=[park.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
            self.assertEqual(page.status_code, 200)
            return re.search(rf'<td id="{cell}">(.*?)</td>', page.content.decode()).group(1)

        empty = self.make(self.world, "in")
        self.assertEqual(row(empty, "park-parcels"), "0")
        self.assertEqual(row(empty, "park-idle-land"), "0 m²")
        self.assertEqual((row(empty, "park-buildings"), row(empty, "park-units")), ("0", "0"))
        LandParcel.objects.create(park=empty, code="Z-1", area=1_500, status=LandParcel.Status.IDLE)
        self.assertEqual(row(empty, "park-parcels"), "1 · 1,500.00 m² (2.25 亩)")
        self.assertEqual(row(empty, "park-idle-land"), "1,500.00 m² (2.25 亩)")
        # the page's panels head their columns in Chinese too (a panel's rows come as a list, not a queryset)
        with translation.override("zh-hans"):
            page = self.client.get(reverse("parks:park", args=[empty.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
        headers = re.findall(r'<th[^>]*scope="col"[^>]*>\s*(?:<a[^>]*>)?\s*([^<]*)', page.content.decode())
        self.assertIn("地块编号", headers)
        self.assertEqual([h for h in headers if re.search(r"[A-Za-z]", h)], [])

    def test_figures_agree_with_sums_over_the_parcels_in_one_query(self):
        """The figures come from one query (issue 16): the same totals as SUMs over the parcels, None for an area
        no parcel has, the counts per status, and the buildings' and units' counts and areas."""
        from decimal import Decimal

        from django.db import connection
        from django.db.models import Count, Q, Sum
        from django.test.utils import CaptureQueriesContext

        from parkos.parks.selectors import park_figures

        park = self.make(self.world, "in")
        admin = self.world.users["operator_admin"]
        empty = park_figures(park, admin)
        self.assertEqual((empty["parcels"], empty["parcel_area"], empty["idle_area"]), (0, None, None))
        LandParcel.objects.create(park=park, code="F-1", area=Decimal("1500.25"), status=LandParcel.Status.IDLE)
        LandParcel.objects.create(park=park, code="F-2", area=Decimal("300.50"), status=LandParcel.Status.INEFFICIENT)
        LandParcel.objects.create(park=park, code="F-3", area=Decimal("99.25"))
        LandParcel.objects.create(park=park, code="F-4", area=Decimal(0), status=LandParcel.Status.IDLE)
        with CaptureQueriesContext(connection) as queries:
            figures = park_figures(park, admin)
        self.assertEqual(len(queries), 1)  # parcels per status, buildings and units: one UNION ALL
        expected = LandParcel.objects.filter(park=park).aggregate(
            parcels=Count("pk"),
            parcel_area=Sum("area"),
            idle_area=Sum("area", filter=Q(status__in=[LandParcel.Status.IDLE, LandParcel.Status.INEFFICIENT])),
        )
        self.assertEqual({key: figures[key] for key in expected}, expected)
        self.assertEqual(
            (figures["parcels"], figures["parcel_area"], figures["idle_area"]),
            (4, Decimal("1900.00"), Decimal("1800.75")),
        )
        counts = dict(figures["status"])
        self.assertEqual(counts[str(LandParcel.Status.IDLE.label)], 2)
        self.assertEqual(counts[str(LandParcel.Status.INEFFICIENT.label)], 1)
        self.assertEqual(
            (empty["buildings"], empty["floor_area"], empty["units"], empty["unit_area"]), (0, None, 0, None)
        )

    def test_figures_are_the_sums_over_what_each_role_may_see(self):
        """Each part of the one query reads through restrict(): the same as a COUNT and SUM per model for every
        role (an enterprise sees its own parcels only)."""
        from decimal import Decimal

        from django.db.models import Count, Sum

        from parkos.core.permissions import ROLES
        from parkos.parks.selectors import park_figures

        park = self.world.park["in"]
        parcel = LandParcel.objects.create(
            park=park, code="R-1", area=Decimal("700.25"), holder=self.world.org["in"], status=LandParcel.Status.IDLE
        )
        building = Building.objects.create(parcel=parcel, code="R-1-1", name="R1", floor_area=Decimal("1200.50"))
        SpaceUnit.objects.create(building=building, code="101", area=Decimal("80.75"))
        SpaceUnit.objects.create(building=building, code="102", area=Decimal("19.25"))
        for role in ROLES:
            user = self.world.users[role.name]
            with self.subTest(role=role.name):
                figures = park_figures(park, user)
                parcels = LandParcel.objects.restrict(user).filter(park=park)
                buildings = Building.objects.restrict(user).filter(parcel__park=park)
                units = SpaceUnit.objects.restrict(user).filter(building__parcel__park=park)
                self.assertEqual(
                    (figures["parcels"], figures["parcel_area"]),
                    tuple(parcels.aggregate(n=Count("pk"), area=Sum("area")).values()),
                )
                self.assertEqual(
                    (figures["buildings"], figures["floor_area"]),
                    tuple(buildings.aggregate(n=Count("pk"), area=Sum("floor_area")).values()),
                )
                self.assertEqual(
                    (figures["units"], figures["unit_area"]),
                    tuple(units.aggregate(n=Count("pk"), area=Sum("area")).values()),
                )
        admin = park_figures(park, self.world.users["operator_admin"])
        self.assertGreaterEqual(admin["units"], 2)
        self.assertIsNotNone(admin["unit_area"])

    def test_park_page_queries_do_not_grow_with_its_land(self):
        """Panels past their first rows count the rest once; figures are a query per model (issue 16)."""
        from django.urls import reverse

        park = self.make(self.world, "in")
        url = reverse("parks:park", args=[park.pk])

        def add(start):
            for n in range(start, start + 6):
                parcel = LandParcel.objects.create(park=park, code=f"G-{n}", area=1000 + n)
                Building.objects.create(parcel=parcel, code=f"G-{n}-1", name=f"G{n}", floor_area=500)

        add(0)  # more than a panel shows: its count query is sent
        before = self.count_queries(self.client, url)
        add(6)
        self.assertEqual(self.count_queries(self.client, url), before)
        self.assertLessEqual(before, 16)  # 15 for the page, and on PostgreSQL the session's row read once more


class LandParcelTests(StandardModelTests):
    model = LandParcel
    visible_to = {**STAFF_SEE_THEIR_PARKS, "enterprise_user": "in"}
    editable_by = {
        **MANAGERS_EDIT_THEIR_PARKS,
        "evaluation_officer": "in",
    }  # officers mark parcels inefficient
    addable_by = set(MANAGERS_EDIT_THEIR_PARKS)
    update_data = {"status": "idle"}
    invalid_data = [("area", "-5"), ("area", "999999999"), ("park", ""), ("status", "flying")]

    @staticmethod
    def form_data(world):
        return {
            "park": world.park["in"].pk,
            "code": "NEW-1",
            "area": "1200",
            "land_use": "industrial",
            "status": "in_use",
            "holder": world.org["in"].pk,
        }

    @classmethod
    def make(cls, world, side):
        return LandParcel.objects.create(
            park=world.park[side], code=f"L{world.seq():04d}{side}", area=100, holder=world.org[side]
        )

    @staticmethod
    def csv_rows(world):
        return csv_text(
            [
                {
                    "park": "park-in",
                    "code": "CSV-1",
                    "area": "2 mu",
                    "land_use": "industrial",
                    "holder": "Org in Ltd",
                    "status": "in_use",
                    "granted": "2015-06-30",
                    "plot_ratio_cap": "2.0",
                    "geometry": "",
                },
                {
                    "park": "park-out",
                    "code": "CSV-2",
                    "area": "3000",
                    "land_use": "research",
                    "holder": "",
                    "status": "idle",
                    "granted": "",
                    "plot_ratio_cap": "",
                    "geometry": json.dumps(SQUARE),
                },
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return "park-in,CSV-3,500,industrial,,flying,,,", "status"

    @staticmethod
    def api_data(world):
        return {
            "park": world.park["in"].pk,
            "code": "API-1",
            "area": "800.00",
            "land_use": "logistics",
            "status": "in_use",
        }


class BuildingTests(StandardModelTests):
    model = Building
    visible_to = STAFF_SEE_THEIR_PARKS
    editable_by = MANAGERS_EDIT_THEIR_PARKS
    update_data = {"floors": 5}
    invalid_data = [("floors", "0"), ("floor_area", "abc"), ("parcel", "")]

    @staticmethod
    def form_data(world):
        return {
            "parcel": world.parcel["in"].pk,
            "code": "NB-1",
            "use": "plant",
            "floor_area": "800",
            "floors": 3,
        }

    @classmethod
    def make(cls, world, side):
        return Building.objects.create(parcel=world.parcel[side], code=f"B{world.seq():04d}{side}", floor_area=200)

    @staticmethod
    def csv_rows(world):
        return csv_text(
            [
                {
                    "parcel": "park-in/P-in",
                    "code": "CSV-B1",
                    "name": "一号厂房",
                    "use": "plant",
                    "floor_area": "1200",
                    "floors": "2",
                    "completed": "2018",
                },
                {
                    "parcel": "park-out/P-out",
                    "code": "CSV-B2",
                    "name": "",
                    "use": "office",
                    "floor_area": "3000",
                    "floors": "8",
                    "completed": "",
                },
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return "park-in/NO-SUCH,CSV-B3,,plant,100,1,", "parcel"

    @staticmethod
    def api_data(world):
        return {
            "parcel": world.parcel["in"].pk,
            "code": "API-B",
            "use": "office",
            "floor_area": "900.00",
            "floors": 4,
        }


class SpaceUnitTests(StandardModelTests):
    model = SpaceUnit
    visible_to = STAFF_SEE_THEIR_PARKS
    editable_by = MANAGERS_EDIT_THEIR_PARKS
    update_data = {"floor": 2}
    invalid_data = [("area", "999999"), ("building", ""), ("kind", "castle")]

    @staticmethod
    def form_data(world):
        return {"building": world.building["in"].pk, "code": "101", "kind": "suite", "floor": 1, "area": "50"}

    @classmethod
    def make(cls, world, side):
        return SpaceUnit.objects.create(building=world.building[side], code=f"U{world.seq():04d}{side}", area=10)

    @staticmethod
    def csv_rows(world):
        return csv_text(
            [
                {
                    "id": "",
                    "building": world.building["in"].pk,
                    "code": "CSV-U1",
                    "kind": "suite",
                    "floor": "3",
                    "area": "120",
                },
                {
                    "id": "",
                    "building": world.building["out"].pk,
                    "code": "CSV-U2",
                    "kind": "plant",
                    "floor": "1",
                    "area": "1 mu",
                },
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return f",{world.building['in'].pk},CSV-U3,suite,2,99999", "area"

    @staticmethod
    def api_data(world):
        return {
            "building": world.building["in"].pk,
            "code": "API-U",
            "kind": "lab",
            "floor": 3,
            "area": "60.00",
        }


class ScopeOnWriteTests(StandardModelTests.__base__):
    """A park manager cannot place records outside the parks assigned to them, by any channel."""

    @classmethod
    def setUpTestData(cls):
        from parkos.core.testing import World

        cls.world = World.build()

    def setUp(self):
        self.manager = self.world.users["park_manager"]
        self.client.force_login(self.manager)

    def test_parcel_in_another_park_is_refused_at_the_park_field(self):
        data = {
            "park": self.world.park["out"].pk,
            "code": "X-1",
            "area": "100",
            "land_use": "industrial",
            "status": "in_use",
        }
        response = self.client.post("/parks/parcels/add/", data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("park", response.context["form"].errors)
        from rest_framework.test import APIClient

        api = APIClient()
        api.force_authenticate(self.manager)
        response = api.post("/api/parks/parcels/", data, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("park", response.json())
        self.assertFalse(LandParcel.objects.filter(code="X-1").exists())

    def test_brand_without_any_of_my_parks_is_not_kept(self):
        response = self.client.post("/parks/brands/add/", {"code": "mine", "name": "我的品牌"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("inside the parks", str(response.context["form"].non_field_errors()))
        self.assertFalse(ParkBrand.objects.filter(code="mine").exists())

    def test_import_into_another_park_writes_nothing(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        text = (
            "park,code,area,land_use,holder,status,granted,plot_ratio_cap,geometry\n"
            "park-in,OK-1,100,industrial,,in_use,,,\npark-out,NO-1,100,industrial,,in_use,,,\n"
        )
        response = self.client.post("/parks/parcels/import/", {"file": SimpleUploadedFile("p.csv", text.encode())})
        self.assertEqual(response.status_code, 400)
        errors = response.context["report"].errors
        self.assertEqual([(e.row, e.field) for e in errors], [(2, "park")], [e.message for e in errors])
        self.assertFalse(LandParcel.objects.filter(code__in=["OK-1", "NO-1"]).exists())
