"""The maps: scope per role in the GeoJSON and the pages, bounded queries, saving outlines, GeoJSON import and
export, the GCJ-02 conversion, the park and available-land pages showing their map."""

from __future__ import annotations

import datetime
import gzip
import json
from decimal import Decimal
from typing import Any
from unittest import mock

from django.contrib.auth.models import Group
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from parkos.core.models import ObjectChange
from parkos.core.permissions import ROLES, Action, can
from parkos.core.testing import World
from parkos.evaluation.models import EvaluationResult, EvaluationRun
from parkos.evaluation.tests.helpers import load_scheme
from parkos.land.models import DisposalCase, ParcelFlag
from parkos.leasing.models import Lease
from parkos.maps import coords
from parkos.maps.selectors import LAYER_KEYS
from parkos.parks.models import Building, LandParcel, Park, SpaceUnit


def square(lon: float, lat: float, size: float = 0.002) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


FEATURES = reverse("maps-api:features")
BUILDINGS = reverse("maps-api:buildings")
#: a viewport around both worlds' parcels (121.50 and 121.60, 31.20)
BOTH = "121.49,31.19,121.62,31.21"


def streamed(response: Any) -> bytes:
    """The body of a streamed answer (the download)."""
    return b"".join(response.streaming_content)


def object_url(kind: str, pk: int) -> str:
    return reverse("maps-api:object", kwargs={"kind": kind, "pk": pk})


class MapTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = w = World.build()
        for index, side in enumerate(("in", "out")):
            lon = 121.50 + index * 0.1
            Park.objects.filter(pk=w.park[side].pk).update(boundary=square(lon - 0.01, 31.19, 0.05))
            LandParcel.objects.filter(pk=w.parcel[side].pk).update(geometry=square(lon, 31.20))
            Building.objects.filter(pk=w.building[side].pk).update(geometry=square(lon + 0.0005, 31.2005, 0.0005))
        cls.unit = SpaceUnit.objects.create(building=w.building["in"], code="U1", area=1_000)
        SpaceUnit.objects.create(building=w.building["in"], code="U2", area=1_000)
        lease = Lease.objects.create(
            tenant=w.org["in"],
            park=w.park["in"],
            start_date=datetime.date(2020, 1, 1),
            end_date=datetime.date(2099, 12, 31),
            rent_amount=Decimal(2),
            status=Lease.Status.IN_FORCE,
        )
        lease.units.set([cls.unit])
        ParcelFlag.objects.create(parcel=w.parcel["in"], detail="Tax under the floor")
        DisposalCase.objects.create(parcel=w.parcel["in"], path=DisposalCase.Path.UPGRADE)
        run = EvaluationRun.objects.create(scheme=load_scheme(), year=2025, status=EvaluationRun.Status.DONE)
        EvaluationResult.objects.create(
            run=run, organization=w.org["in"], park=w.park["in"], cohort="above", status="graded", grade="C"
        )
        cls.parcel_without_outline = LandParcel.objects.create(park=w.park["in"], code="P-bare", area=1_000)

    def api(self, role: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(self.world.users[role])
        return client

    def features(self, role: str, **query: object) -> dict:
        response = self.api(role).get(FEATURES, query or {"all": "1"})
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()


class ScopeTests(MapTestCase):
    def test_each_role_gets_exactly_the_outlines_it_may_see(self) -> None:
        for role in ROLES:
            user = self.world.users[role.name]
            with self.subTest(role=role.name):
                response = self.api(role.name).get(FEATURES, {"all": "1"})
                if not can(user, LandParcel, Action.VIEW):
                    self.assertEqual(response.status_code, 403)
                    continue
                visible_parks = set(Park.objects.restrict(user, Action.VIEW).values_list("pk", flat=True))
                if not visible_parks:
                    self.assertEqual(response.status_code, 404)  # an enterprise sees its parcels, not parks
                    continue
                data = response.json()
                parks = {f["properties"]["id"] for f in data["parks"]["features"]}
                parcels = {f["properties"]["id"] for f in data["parcels"]["features"]}
                buildings = {f["properties"]["id"] for f in data["buildings"]["features"]}
                self.assertEqual(parks, visible_parks)
                self.assertEqual(
                    parcels,
                    set(
                        LandParcel.objects.restrict(user, Action.VIEW)
                        .filter(geometry__isnull=False)
                        .values_list("pk", flat=True)
                    ),
                )
                self.assertTrue(
                    buildings <= set(Building.objects.restrict(user, Action.VIEW).values_list("pk", flat=True))
                )
                self.assertNotIn(self.world.parcel["out"].pk, parcels if role.name != "operator_admin" else set())

    def test_a_park_outside_the_scope_answers_404_in_api_and_page(self) -> None:
        out = self.world.park["out"]
        self.assertEqual(self.api("park_manager").get(FEATURES, {"park": out.pk}).status_code, 404)
        self.assertEqual(self.api("park_manager").get(FEATURES, {"brand": self.world.brand["out"].pk}).status_code, 404)
        self.assertEqual(self.api("park_manager").get(reverse("maps-api:export"), {"park": out.pk}).status_code, 404)
        self.client.force_login(self.world.users["park_manager"])
        self.assertEqual(self.client.get(reverse("maps:park", kwargs={"pk": out.pk})).status_code, 404)
        self.assertEqual(self.client.get(reverse("maps:district", kwargs={"name": "Nowhere"})).status_code, 404)

    def test_district_map_holds_only_the_parks_the_user_sees_there(self) -> None:
        data = self.features("park_manager", district="District")
        self.assertEqual([f["properties"]["id"] for f in data["parks"]["features"]], [self.world.park["in"].pk])
        self.assertEqual(data["districts"][0]["n"], "District")

    def test_only_the_operators_staff_are_offered_all_parks(self) -> None:
        from parkos.maps import selectors

        for role in ("operator_admin", "park_manager", "evaluation_officer"):
            self.client.force_login(self.world.users[role])
            with translation.override("en"):
                response = self.client.get(reverse("maps:all"), HTTP_ACCEPT_LANGUAGE="en")
            self.assertContains(response, 'id="map-goto-all" selected>All parks</option>', msg_prefix=role)
        enterprise = self.world.users["enterprise_user"]
        with translation.override("en"):
            self.assertEqual(selectors.all_scope_choice(enterprise), "My parks")
        self.client.force_login(enterprise)
        response = self.client.get(reverse("maps:all"), HTTP_ACCEPT_LANGUAGE="en")
        self.assertEqual(response.status_code, 404)  # it sees its parcels on its own pages, no map of parks
        self.assertNotIn("All parks", response.content.decode())

    def test_anonymous_gets_nothing(self) -> None:
        self.assertIn(APIClient().get(FEATURES, {"all": "1"}).status_code, (401, 403))
        self.assertEqual(self.client.get(reverse("maps:all")).status_code, 302)


class DataTests(MapTestCase):
    def test_every_layer_classes_the_parcel_from_its_records(self) -> None:
        data = self.features("operator_admin", park=self.world.park["in"].pk)
        parcel = next(f for f in data["parcels"]["features"] if f["properties"]["id"] == self.world.parcel["in"].pk)
        classes = dict(zip(LAYER_KEYS, parcel["properties"]["L"], strict=True))
        self.assertEqual(classes["status"], "in_use")
        self.assertEqual(classes["occupancy"], "o50")  # 1,000 of 2,000 m² leased
        self.assertEqual(classes["grade"], "C")
        self.assertEqual(classes["inefficient"], "y")
        self.assertEqual(classes["disposal"], "open")
        self.assertEqual(classes["available"], "")
        self.assertEqual(set(parcel["properties"]), {"id", "c", "L"})  # figures come with a click
        self.assertEqual(data["buildings_zoom"], None)  # a small map carries its buildings
        self.assertEqual(len(data["buildings"]["features"]), 1)
        self.assertEqual(data["grade_year"], 2025)
        self.assertEqual(data["without_outline"], 1)
        self.assertIn({"id": self.parcel_without_outline.pk, "c": "P-bare", "k": "parcel"}, data["missing"])

    def test_coordinates_are_rounded_to_a_millionth(self) -> None:
        LandParcel.objects.filter(pk=self.world.parcel["in"].pk).update(geometry=square(121.123456789, 31.987654321))
        data = self.features("operator_admin", park=self.world.park["in"].pk)
        ring = next(f for f in data["parcels"]["features"] if f["properties"]["c"] == "P-in")["geometry"]["coordinates"]
        self.assertEqual(ring[0][0], [121.123457, 31.987654])

    def test_the_answer_is_gzipped_for_clients_that_accept_it(self) -> None:
        response = self.api("park_manager").get(
            FEATURES, {"park": self.world.park["in"].pk}, HTTP_ACCEPT_ENCODING="gzip"
        )
        self.assertEqual(response["Content-Encoding"], "gzip")
        self.assertEqual(json.loads(gzip.decompress(response.content))["crs"], "WGS84")

    def test_legend_numbers_read_in_the_users_language(self) -> None:
        with translation.override("zh-hans"):
            client = self.api("operator_admin")
            response = client.get(FEATURES, {"park": self.world.park["in"].pk}, HTTP_ACCEPT_LANGUAGE="zh-hans")
        status = next(layer for layer in response.json()["legend"] if layer["key"] == "status")
        in_use = next(c for c in status["classes"] if c["key"] == "in_use")
        self.assertEqual(in_use["label"], "使用中")
        self.assertEqual(in_use["count"], "2")  # the parcel without an outline counts too
        self.assertEqual(in_use["area"], "16.50 亩")  # 11,000 m²

    def test_query_count_does_not_grow_with_parcels_and_buildings(self) -> None:
        park = self.world.park["in"]
        client = self.api("park_manager")

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(client.get(FEATURES, {"park": park.pk}).status_code, 200)
            return len(queries)

        count()  # the user's permissions are cached from the first request on
        before = count()
        for n in range(15):
            parcel = LandParcel.objects.create(
                park=park, code=f"N{n}", area=100, geometry=square(121.6, 31.3 + n / 100)
            )
            Building.objects.create(
                parcel=parcel, code="B", floor_area=50, geometry=square(121.6, 31.3 + n / 100, 0.0005)
            )
        self.assertEqual(count(), before)
        self.assertLessEqual(before, 25)


class ViewportTests(MapTestCase):
    """A big map's first answer has no buildings; they come per viewport (bbox), scoped like the rest."""

    def buildings(self, role: str, bbox: str = BOTH, **scope: object) -> dict:
        response = self.api(role).get(BUILDINGS, {**(scope or {"all": "1"}), "bbox": bbox})
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def test_a_big_map_leaves_its_buildings_to_the_viewport(self) -> None:
        with mock.patch("parkos.maps.selectors.INLINE_BUILDINGS", 0):
            data = self.features("operator_admin", all="1")
        self.assertIsNone(data["buildings"])
        self.assertEqual(data["buildings_zoom"], 16)
        self.assertEqual(data["building_count"], 2)
        building = self.buildings("operator_admin", brand=self.world.brand["in"].pk)["features"][0]
        self.assertEqual(building["properties"]["id"], self.world.building["in"].pk)
        classes = dict(zip(LAYER_KEYS, building["properties"]["L"], strict=True))
        self.assertEqual(classes["occupancy"], "o50")  # its own: 1,000 of 2,000 m² leased
        self.assertEqual(classes["inefficient"], "y")  # its parcel's
        self.assertEqual(classes["grade"], "C")
        self.assertEqual(building["geometry"]["coordinates"][0][0], [121.5005, 31.2005])

    def test_only_buildings_in_the_viewport(self) -> None:
        ids = {
            f["properties"]["id"]
            for f in self.buildings("operator_admin", bbox="121.59,31.19,121.62,31.21")["features"]
        }
        self.assertEqual(ids, {self.world.building["out"].pk})
        self.assertEqual(self.buildings("operator_admin", bbox="100.0,20.0,100.1,20.1")["features"], [])

    def test_a_manager_gets_only_its_parks_buildings_through_the_viewport(self) -> None:
        ids = {f["properties"]["id"] for f in self.buildings("park_manager")["features"]}
        self.assertEqual(ids, {self.world.building["in"].pk})
        out = self.api("park_manager").get(BUILDINGS, {"park": self.world.park["out"].pk, "bbox": BOTH})
        self.assertEqual(out.status_code, 404)
        self.assertEqual(self.api("investment_staff").get(BUILDINGS, {"all": "1", "bbox": BOTH}).status_code, 200)
        enterprise = self.api("enterprise_user").get(BUILDINGS, {"all": "1", "bbox": BOTH})
        self.assertIn(enterprise.status_code, (403, 404))

    def test_a_bad_bbox_is_a_400_that_says_what_is_wrong(self) -> None:
        client = self.api("park_manager")
        for bbox, words in (
            (None, "bbox=west,south,east,north"),
            ("121.5,31.2,121.6", "four numbers"),
            ("a,b,c,d", "four numbers"),
            ("121.5,31.2,nan,31.3", "finite"),
            ("121.6,31.2,121.5,31.3", "West must be less than east"),
            ("121.5,95,121.6,96", "latitudes from -90 to 90"),
            ("100,20,121,31", "too wide"),
        ):
            with self.subTest(bbox=bbox):
                response = client.get(BUILDINGS, {"all": "1", **({"bbox": bbox} if bbox is not None else {})})
                self.assertEqual(response.status_code, 400)
                self.assertIn(words, " ".join(response.json()["bbox"]))

    def test_viewport_query_count_does_not_grow_with_buildings(self) -> None:
        client = self.api("park_manager")

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(client.get(BUILDINGS, {"all": "1", "bbox": BOTH}).status_code, 200)
            return len(queries)

        count()
        before = count()
        for n in range(10):
            parcel = LandParcel.objects.create(
                park=self.world.park["in"], code=f"V{n}", area=100, geometry=square(121.55, 31.2)
            )
            building = Building.objects.create(
                parcel=parcel, code="B", floor_area=50, geometry=square(121.55, 31.2, 0.0005)
            )
            SpaceUnit.objects.create(building=building, code="U", area=10)
        self.assertEqual(len(self.buildings("park_manager")["features"]), 11)
        self.assertEqual(count(), before)
        self.assertLessEqual(before, 16)


class ObjectTests(MapTestCase):
    """A click's figures: what the first answer leaves out."""

    def test_a_parcel_s_figures(self) -> None:
        response = self.api("park_manager").get(object_url("parcel", self.world.parcel["in"].pk))
        self.assertEqual(response.status_code, 200, response.content)
        props = response.json()["properties"]
        self.assertEqual(props["c"], "P-in")
        self.assertEqual(props["o"], "50.0 %")
        self.assertEqual(props["h"], "Org in Ltd")
        self.assertEqual(props["hi"], self.world.org["in"].pk)
        self.assertEqual(props["e"], 1)
        self.assertEqual(dict(zip(LAYER_KEYS, props["L"], strict=True))["disposal"], "open")
        self.assertEqual(response.json()["geometry"]["coordinates"][0][0], [121.5, 31.2])
        viewer = self.api("investment_staff").get(object_url("parcel", self.world.parcel["in"].pk)).json()
        self.assertEqual(viewer["properties"]["e"], 0)

    def test_a_building_s_figures(self) -> None:
        props = self.api("park_manager").get(object_url("building", self.world.building["in"].pk)).json()["properties"]
        self.assertEqual((props["c"], props["o"], props["q"]), ("B-in", "50.0 %", self.world.parcel["in"].pk))
        self.assertEqual(dict(zip(LAYER_KEYS, props["L"], strict=True))["grade"], "C")

    def test_out_of_scope_and_unknown_kinds_are_404(self) -> None:
        client = self.api("park_manager")
        self.assertEqual(client.get(object_url("parcel", self.world.parcel["out"].pk)).status_code, 404)
        self.assertEqual(client.get(object_url("building", self.world.building["out"].pk)).status_code, 404)
        self.assertEqual(client.get(object_url("park", self.world.park["in"].pk)).status_code, 404)

    def test_object_query_count_is_fixed(self) -> None:
        client = self.api("park_manager")
        url = object_url("parcel", self.world.parcel["in"].pk)
        client.get(url)
        with CaptureQueriesContext(connection) as first:
            client.get(url)
        for n in range(5):
            Building.objects.create(parcel=self.world.parcel["in"], code=f"X{n}", floor_area=10)
        with CaptureQueriesContext(connection) as second:
            client.get(url)
        self.assertEqual(len(first), len(second))
        self.assertLessEqual(len(first), 16)


class OutlineSaveTests(MapTestCase):
    def url(self, kind: str, pk: int) -> str:
        return reverse("maps-api:outline", kwargs={"kind": kind, "pk": pk})

    def test_park_manager_saves_an_outline_through_the_write_path(self) -> None:
        parcel = self.world.parcel["in"]
        response = self.api("park_manager").put(
            self.url("parcel", parcel.pk), {"geometry": square(121.51, 31.21)}, format="json"
        )
        self.assertEqual(response.status_code, 200, response.content)
        parcel.refresh_from_db()
        self.assertEqual(parcel.geometry, square(121.51, 31.21))
        self.assertTrue(ObjectChange.objects.filter(changed_object_id=parcel.pk, action="update").exists())

    def test_a_viewer_gets_403_and_nothing_changes(self) -> None:
        parcel = self.world.parcel["in"]
        before = LandParcel.objects.get(pk=parcel.pk).geometry
        response = self.api("investment_staff").put(
            self.url("parcel", parcel.pk), {"geometry": square(1, 1)}, format="json"
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(LandParcel.objects.get(pk=parcel.pk).geometry, before)
        building = self.world.building["in"]
        response = self.api("evaluation_officer").put(
            self.url("building", building.pk), {"geometry": square(1, 1)}, format="json"
        )
        self.assertEqual(response.status_code, 403)  # may change parcels, not buildings

    def test_out_of_scope_is_404(self) -> None:
        response = self.api("park_manager").put(
            self.url("parcel", self.world.parcel["out"].pk), {"geometry": square(1, 1)}, format="json"
        )
        self.assertEqual(response.status_code, 404)

    def test_a_bad_outline_is_a_400_naming_the_geometry(self) -> None:
        parcel = self.world.parcel["in"]
        open_ring = {"type": "Polygon", "coordinates": [[[121.5, 31.2], [121.6, 31.2], [121.6, 31.3], [121.5, 31.3]]]}
        response = self.api("park_manager").put(self.url("parcel", parcel.pk), {"geometry": open_ring}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("geometry", response.json())
        response = self.api("park_manager").put(self.url("parcel", parcel.pk), {"outline": 1}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("geometry", response.json())


@override_settings(PARKOS_MAP_CRS="GCJ02")
class Gcj02Tests(MapTestCase):
    #: published point pairs (WGS-84 lat, lon, GCJ-02 lat, lon) of github.com/googollee/eviltransform's tests
    PAIRS = (
        (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # Shanghai
        (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # Shenzhen
        (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # Beijing
    )

    def test_known_points_convert_both_ways(self) -> None:
        for wgs_lat, wgs_lon, gcj_lat, gcj_lon in self.PAIRS:
            lon, lat = coords.wgs84_to_gcj02(wgs_lon, wgs_lat)
            self.assertAlmostEqual(lon, gcj_lon, places=9)
            self.assertAlmostEqual(lat, gcj_lat, places=9)
            lon, lat = coords.gcj02_to_wgs84(gcj_lon, gcj_lat)
            self.assertAlmostEqual(lon, wgs_lon, places=8)
            self.assertAlmostEqual(lat, wgs_lat, places=8)
        self.assertEqual(coords.wgs84_to_gcj02(2.35, 48.85), (2.35, 48.85))  # Paris: no offset outside China

    def test_the_map_draws_and_saves_in_gcj02_and_stores_wgs84(self) -> None:
        data = self.features("park_manager", park=self.world.park["in"].pk)
        self.assertEqual(data["crs"], "GCJ02")
        parcel = next(f for f in data["parcels"]["features"] if f["properties"]["c"] == "P-in")
        first = parcel["geometry"]["coordinates"][0][0]
        expected = coords.wgs84_to_gcj02(121.50, 31.20)
        self.assertAlmostEqual(first[0], expected[0], places=6)
        self.assertAlmostEqual(first[1], expected[1], places=6)
        # drawn on the GCJ-02 map, saved back in WGS-84
        url = reverse("maps-api:outline", kwargs={"kind": "parcel", "pk": self.world.parcel["in"].pk})
        response = self.api("park_manager").put(url, {"geometry": parcel["geometry"]}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        stored = LandParcel.objects.get(pk=self.world.parcel["in"].pk).geometry["coordinates"][0][0]
        self.assertAlmostEqual(stored[0], 121.50, places=6)
        self.assertAlmostEqual(stored[1], 31.20, places=6)
        # the download stays WGS-84, as GeoJSON requires
        export = json.loads(
            streamed(self.api("park_manager").get(reverse("maps-api:export"), {"park": self.world.park["in"].pk}))
        )
        self.assertAlmostEqual(export["features"][0]["geometry"]["coordinates"][0][0][0], 121.50, places=6)


class ImportExportTests(MapTestCase):
    def import_url(self) -> str:
        return reverse("maps-api:import", kwargs={"pk": self.world.park["in"].pk})

    def test_export_then_import_round_trip(self) -> None:
        client = self.api("park_manager")
        response = client.get(reverse("maps-api:export"), {"park": self.world.park["in"].pk})
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment;", response["Content-Disposition"])
        collection = json.loads(streamed(response))
        kinds = {(f["properties"]["kind"], f["properties"]["code"]) for f in collection["features"]}
        self.assertEqual(kinds, {("parcel", "P-in"), ("building", "B-in")})
        parcel_feature = next(f for f in collection["features"] if f["properties"]["kind"] == "parcel")
        self.assertEqual(parcel_feature["properties"]["park"], "park-in")
        self.assertEqual(parcel_feature["properties"]["inefficient"], "Flagged inefficient")
        # the figure keeps its name; the occupancy layer's band sits beside it
        self.assertRegex(parcel_feature["properties"]["occupancy"], r"^(\d+\.\d %)?$")
        self.assertIn("occupancy_band", parcel_feature["properties"])
        for feature in collection["features"]:  # move every outline 0.01° east
            feature["geometry"]["coordinates"] = [
                [[round(lon + 0.01, 6), lat] for lon, lat in ring] for ring in feature["geometry"]["coordinates"]
            ]
        response = client.post(self.import_url(), collection, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json(), {"parcels": 1, "buildings": 1})
        self.assertEqual(
            LandParcel.objects.get(pk=self.world.parcel["in"].pk).geometry, coords.to_map(square(121.51, 31.20))
        )
        again = json.loads(streamed(client.get(reverse("maps-api:export"), {"park": self.world.park["in"].pk})))
        self.assertEqual([f["geometry"] for f in again["features"]], [f["geometry"] for f in collection["features"]])

    def test_the_download_of_several_parks_is_one_collection_written_a_park_at_a_time(self) -> None:
        response = self.api("operator_admin").get(reverse("maps-api:export"), {"all": "1"})
        self.assertTrue(response.streaming)
        collection = json.loads(streamed(response))
        parks = {(f["properties"]["park"], f["properties"]["kind"]) for f in collection["features"]}
        self.assertEqual(
            parks, {("park-in", "parcel"), ("park-in", "building"), ("park-out", "parcel"), ("park-out", "building")}
        )
        self.assertEqual(collection["type"], "FeatureCollection")
        building = next(f for f in collection["features"] if f["properties"]["code"] == "B-in")
        self.assertEqual(
            (building["properties"]["parcel"], building["properties"]["inefficient"]), ("P-in", "Flagged inefficient")
        )
        self.assertEqual(building["properties"]["grade"], "C")

    def test_bad_features_are_named_by_index_and_field_and_nothing_is_saved(self) -> None:
        good = {"type": "Feature", "properties": {"code": "P-in"}, "geometry": square(121.7, 31.3)}
        bad_geometry = {
            "type": "Feature",
            "properties": {"code": "P-bare"},
            "geometry": {"type": "Point", "coordinates": [1, 2]},
        }
        unknown = {"type": "Feature", "properties": {"code": "NOPE"}, "geometry": square(121.7, 31.3)}
        other_park = {
            "type": "Feature",
            "properties": {"kind": "building", "parcel": "P-out", "code": "B-out"},
            "geometry": square(1, 1),
        }
        collection = {"type": "FeatureCollection", "features": [good, bad_geometry, unknown, other_park, "x"]}
        response = self.api("park_manager").post(self.import_url(), collection, format="json")
        self.assertEqual(response.status_code, 400)
        errors = response.json()
        self.assertEqual(
            set(errors),
            {"features[1].geometry", "features[2].properties.code", "features[3].properties.code", "features[4].type"},
        )
        self.assertNotEqual(LandParcel.objects.get(pk=self.world.parcel["in"].pk).geometry, square(121.7, 31.3))

    def test_not_a_feature_collection_and_unreadable_files(self) -> None:
        client = self.api("park_manager")
        self.assertIn("file", client.post(self.import_url(), {"type": "Feature"}, format="json").json())
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("outlines.geojson", b"{not json", content_type="application/geo+json")
        response = client.post(self.import_url(), {"file": upload}, format="multipart")
        self.assertEqual(response.status_code, 400)
        self.assertIn("file", response.json())

    def test_a_viewer_may_not_import(self) -> None:
        collection = {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {"code": "P-in"}, "geometry": square(121.7, 31.3)}],
        }
        response = self.api("investment_staff").post(self.import_url(), collection, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("features[0].properties.code", response.json())
        self.assertEqual(LandParcel.objects.get(pk=self.world.parcel["in"].pk).geometry, square(121.50, 31.20))

    def test_import_page_form_reports_errors_and_successes(self) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        self.client.force_login(self.world.users["park_manager"])
        url = reverse("maps:import", kwargs={"pk": self.world.park["in"].pk})
        body = {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {"code": "P-in"}, "geometry": square(121.52, 31.2)}],
        }
        upload = SimpleUploadedFile("o.geojson", json.dumps(body).encode(), content_type="application/geo+json")
        response = self.client.post(url, {"file": upload}, follow=True)
        self.assertContains(response, "Outlines imported: 1 parcels, 0 buildings.")
        self.client.force_login(self.world.users["investment_staff"])
        self.assertEqual(self.client.post(url, {}).status_code, 403)


class PageTests(MapTestCase):
    def test_map_pages_carry_their_data_url_and_no_inline_script(self) -> None:
        self.client.force_login(self.world.users["park_manager"])
        for url in (
            reverse("maps:all"),
            reverse("maps:park", kwargs={"pk": self.world.park["in"].pk}),
            reverse("maps:brand", kwargs={"pk": self.world.brand["in"].pk}),
            reverse("maps:district", kwargs={"name": "District"}),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, 'id="map-config"')
                self.assertContains(response, "maps/map.js")
                self.assertContains(response, "leaflet-geoman")  # a park manager may edit outlines
                self.assertNotContains(response, "Park out")

    def test_a_viewer_gets_no_editing_plugin(self) -> None:
        self.client.force_login(self.world.users["investment_staff"])
        response = self.client.get(reverse("maps:park", kwargs={"pk": self.world.park["in"].pk}))
        self.assertNotContains(response, "leaflet-geoman")
        self.assertNotContains(response, 'id="map-import"')

    def test_park_page_and_available_land_show_the_map_not_the_thumbnail(self) -> None:
        self.client.force_login(self.world.users["park_manager"])
        response = self.client.get(self.world.park["in"].get_absolute_url())
        self.assertContains(response, 'id="parkos-map"')
        self.assertNotContains(response, 'class="outline"')
        config = json.loads(
            response.content.decode().split('id="map-config" type="application/json">')[1].split("</script>")[0]
        )
        self.assertEqual(config["data"], f"{FEATURES}?park={self.world.park['in'].pk}")
        response = self.client.get(reverse("land:available_land"))
        self.assertContains(response, 'id="parkos-map"')
        self.assertContains(response, '"layer": "available"')

    def test_map_page_query_count_is_fixed(self) -> None:
        self.client.force_login(self.world.users["park_manager"])
        url = reverse("maps:park", kwargs={"pk": self.world.park["in"].pk})
        self.client.get(url)
        with CaptureQueriesContext(connection) as first:
            self.client.get(url)
        for n in range(5):
            LandParcel.objects.create(park=self.world.park["in"], code=f"Q{n}", area=10)
        with CaptureQueriesContext(connection) as second:
            self.client.get(url)
        self.assertEqual(len(first), len(second))
        self.assertLessEqual(len(first), 20)

    @override_settings(PARKOS_MAP_TILES="https://t{s}.tianditu.gov.cn/vec_w/wmts?x={x}&y={y}&l={z}&tk=KEY")
    def test_tile_source_reaches_the_page_config(self) -> None:
        self.client.force_login(self.world.users["park_manager"])
        response = self.client.get(reverse("maps:all"))
        self.assertContains(response, "tianditu.gov.cn")
        from parkos.maps.selectors import tile_origin

        self.assertEqual(tile_origin(), "https://t*.tianditu.gov.cn")


class DistrictNamesTests(TestCase):
    """A district's name is data: any character, a slash too, makes a working map link (the probe's 500)."""

    def test_a_district_with_a_slash_in_its_name_has_a_map_page(self):
        from django.contrib.auth import get_user_model

        from parkos.parks.models import Park, ParkBrand

        name = "+cmd|' /C calc'!A0"
        brand = ParkBrand.objects.create(code="slash", name="Slash brand")
        Park.objects.create(code="slash-park", name="Slash park", brand=brand, district=name)
        admin = get_user_model().objects.create_superuser(username="slash-admin", password="a-long-password-1")
        self.client.force_login(admin)
        self.assertEqual(self.client.get(reverse("maps:all")).status_code, 200)
        self.assertEqual(self.client.get(reverse("maps:district", args=[name])).status_code, 200)


class PartnerMapTests(MapTestCase):
    """A government partner's map: its district's parks only, in every channel; status, grade and inefficient
    land; no holder's name, no occupancy, no disposal case, no link to the operator's pages."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        from parkos.directory.models import Organization
        from parkos.users.models import User

        w = cls.world
        cls.west = Park.objects.create(
            code="park-west", name="Park West", district="West", land_area=500_000, boundary=square(121.69, 31.19, 0.05)
        )
        holder = w.org["out"]
        cls.parcel = LandParcel.objects.create(
            park=cls.west, code="W-1", area=20_000, holder=holder, geometry=square(121.70, 31.20)
        )
        cls.building = Building.objects.create(
            parcel=cls.parcel, code="WB", floor_area=3_000, geometry=square(121.7005, 31.2005, 0.0005)
        )
        unit = SpaceUnit.objects.create(building=cls.building, code="WU", area=1_000)
        lease = Lease.objects.create(
            tenant=holder,
            park=cls.west,
            start_date=datetime.date(2020, 1, 1),
            end_date=datetime.date(2099, 12, 31),
            rent_amount=Decimal(2),
            status=Lease.Status.IN_FORCE,
        )
        lease.units.set([unit])
        ParcelFlag.objects.create(parcel=cls.parcel, detail="Tax under the floor")
        DisposalCase.objects.create(parcel=cls.parcel, path=DisposalCase.Path.UPGRADE)
        EvaluationResult.objects.create(
            run=EvaluationRun.objects.get(), organization=holder, park=cls.west, cohort="above", grade="B"
        )
        gov = Organization.objects.create(name="West Government", kind=Organization.Kind.GOVERNMENT, district="West")
        cls.partner = User.objects.create_user(username="west_map_partner", password="x")
        cls.partner.groups.add(Group.objects.get(name="government_partner"))
        cls.partner.organizations.add(gov)

    def setUp(self) -> None:
        self.api_client = APIClient()
        self.api_client.force_authenticate(self.partner)
        self.client.force_login(self.partner)

    def test_the_page_and_the_menu_show_its_district_only(self) -> None:
        response = self.client.get(reverse("maps:all"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, reverse("maps:all"))  # the menu's link
        config = response.context["map_config"]
        scope = response.context["map_scope"]
        self.assertEqual((scope.kind, scope.title), ("district", "West"))
        self.assertEqual([p.pk for p in response.context["parks"]], [self.west.pk])
        self.assertEqual(list(response.context["brands"]), [])
        self.assertEqual(
            [layer["key"] for layer in config["layers"] if layer["shown"]], ["status", "grade", "inefficient"]
        )
        self.assertEqual(set(config["urls"]), {"parkMap"})
        self.assertFalse(config["canEdit"])
        self.assertEqual(self.client.get(reverse("maps:district", kwargs={"name": "West"})).status_code, 200)
        self.assertEqual(self.client.get(reverse("maps:park", kwargs={"pk": self.west.pk})).status_code, 200)
        for url in (
            reverse("maps:district", kwargs={"name": "District"}),
            reverse("maps:park", kwargs={"pk": self.world.park["in"].pk}),
            reverse("maps:brand", kwargs={"pk": self.world.brand["in"].pk}),
        ):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        with CaptureQueriesContext(connection) as first:
            self.client.get(reverse("maps:all"))
        self.assertLessEqual(len(first), 20)

    def test_its_switcher_offers_its_district_not_all_parks(self) -> None:
        for language, everything in (("en", "All parks"), ("zh-hans", "全部园区")):
            with translation.override(language):
                response = self.client.get(reverse("maps:all"), HTTP_ACCEPT_LANGUAGE=language)
            self.assertEqual(response.context["all_choice"], "")
            self.assertNotContains(response, 'id="map-goto-all"')
            self.assertNotContains(response, everything)
            self.assertContains(response, f'value="{reverse("maps:district", args=["West"])}" selected>West</option>')

    def test_a_partner_of_two_districts_is_offered_its_districts_not_all_parks(self) -> None:
        from parkos.directory.models import Organization
        from parkos.maps import selectors

        self.partner.organizations.add(
            Organization.objects.create(name="East Government", kind=Organization.Kind.GOVERNMENT, district="District")
        )
        with translation.override("en"):
            response = self.client.get(reverse("maps:all"), HTTP_ACCEPT_LANGUAGE="en")
            self.assertEqual(selectors.all_scope_label(self.partner), "All my districts")
        self.assertEqual(response.context["map_scope"].title, "All my districts")
        self.assertContains(response, 'id="map-goto-all" selected>All my districts</option>')
        self.assertNotContains(response, "All parks")

    def test_the_geojson_holds_its_district_and_no_tenant_figure(self) -> None:
        data = self.api_client.get(FEATURES, {"all": "1"}).json()
        self.assertEqual([f["properties"]["id"] for f in data["parks"]["features"]], [self.west.pk])
        self.assertEqual([f["properties"]["id"] for f in data["parcels"]["features"]], [self.parcel.pk])
        self.assertEqual([f["properties"]["id"] for f in data["buildings"]["features"]], [self.building.pk])
        classes = dict(zip(LAYER_KEYS, data["parcels"]["features"][0]["properties"]["L"], strict=True))
        self.assertEqual(
            classes,
            {"status": "in_use", "occupancy": "", "grade": "B", "inefficient": "y", "disposal": "", "available": ""},
        )
        self.assertEqual(data["parks"]["features"][0]["properties"]["o"], "")
        for query in (
            {"district": "District"},
            {"park": self.world.park["in"].pk},
            {"brand": self.world.brand["in"].pk},
        ):
            self.assertEqual(self.api_client.get(FEATURES, query).status_code, 404, query)

    def test_the_viewport_gives_its_districts_buildings_only(self) -> None:
        body = self.api_client.get(BUILDINGS, {"all": "1", "bbox": "121.49,31.19,121.72,31.21"}).json()
        self.assertEqual([f["properties"]["id"] for f in body["features"]], [self.building.pk])
        self.assertEqual(body["features"][0]["properties"]["L"][1], "")  # no occupancy
        self.assertEqual(self.api_client.get(BUILDINGS, {"district": "District", "bbox": BOTH}).status_code, 404)

    def test_an_object_of_another_district_is_404_and_its_own_has_no_holder(self) -> None:
        props = self.api_client.get(object_url("parcel", self.parcel.pk)).json()["properties"]
        self.assertEqual((props["h"], props["hi"], props["o"], props["e"]), ("", None, "", 0))
        self.assertEqual(props["L"][2], "B")
        self.assertEqual(self.api_client.get(object_url("building", self.building.pk)).json()["properties"]["o"], "")
        self.assertEqual(self.api_client.get(object_url("parcel", self.world.parcel["in"].pk)).status_code, 404)
        self.assertEqual(self.api_client.get(object_url("building", self.world.building["in"].pk)).status_code, 404)

    def test_the_download_holds_its_district_only(self) -> None:
        response = self.api_client.get(reverse("maps-api:export"), {"all": "1"})
        features = json.loads(streamed(response))["features"]
        self.assertEqual(
            [(f["properties"]["kind"], f["properties"]["code"]) for f in features],
            [("parcel", "W-1"), ("building", "WB")],
        )
        self.assertEqual({f["properties"]["holder"] for f in features if f["properties"]["kind"] == "parcel"}, {""})
        self.assertEqual({f["properties"]["occupancy"] for f in features}, {""})
        self.assertEqual(self.api_client.get(reverse("maps-api:export"), {"district": "District"}).status_code, 404)

    def test_it_may_not_change_an_outline(self) -> None:
        url = reverse("maps-api:outline", kwargs={"kind": "parcel", "pk": self.parcel.pk})
        response = self.api_client.put(url, {"geometry": square(121.71, 31.20)}, format="json")
        self.assertIn(response.status_code, (403, 404))
        self.assertEqual(
            self.api_client.post(reverse("maps-api:import", kwargs={"pk": self.west.pk}), {}).status_code, 404
        )
