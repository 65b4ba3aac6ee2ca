"""Issue 16: the inefficient-land and available-land pages read only what they show.

The map's data is compact (keys per parcel, the words, colours and link patterns once), yet carries all that the
page's script draws; the tables read only the columns their cells show and render as they did; the pages'
queries do not grow with the land on them.
"""

import json
import re

import django_tables2
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_tables2.rows import BoundRows

from parkos.core.tables import EstimatedCountTable
from parkos.core.templatetags.parkos import json_script_utf8
from parkos.core.testing import World
from parkos.evaluation.models import EvaluationRun
from parkos.evaluation.tests.helpers import load_scheme
from parkos.land import selectors, services, tables
from parkos.land.models import DisposalCase, ParcelFlag
from parkos.parks.models import LandParcel

Status = LandParcel.Status
#: an outline stored with 7 decimals, as the demo's are
OUTLINE = {
    "type": "Polygon",
    "coordinates": [
        [[121.2198041, 31.2227575], [121.2213231, 31.2225827], [121.2216881, 31.2249023], [121.2198041, 31.2227575]]
    ],
}


def embedded(html: str, element_id: str):
    match = re.search(f'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert match, f"no #{element_id}"
    return json.loads(match.group(1))


def popup(properties: dict, words: dict) -> dict:
    """What inefficient_land.js draws for a parcel (its popup, tooltip and colour), in Python."""
    name = f"{words['parks'][str(properties['park'])]} {properties['code']}"
    fill = lambda pattern, pk: re.sub(r"/0/$", f"/{pk}/", pattern)  # noqa: E731 - as the script's url()
    case = properties.get("case")
    return {
        "link": (fill(words["parcelUrl"], properties["id"]), name),
        "holder": properties["holder"],
        "status": words["statuses"][properties["status"]],
        "reasons": ", ".join(words["reasons"][r] for r in properties["reasons"]),
        "case": (fill(words["caseUrl"], case[0]), f"{words['casePaths'][case[2]]} · {words['caseStatuses'][case[1]]}")
        if case
        else None,
        "colour": words["caseColours"][case[1]] if case else words["reasonColours"][properties["reasons"][0]],
    }


class InefficientLandMapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.officer = cls.world.users["evaluation_officer"]
        park = cls.world.park["in"]
        park.boundary = OUTLINE
        park.save()
        cls.flagged = cls.parcel("in", geometry=OUTLINE)
        services.parcel_flag(parcel=cls.flagged, user=cls.officer, detail="empty workshop")
        run = EvaluationRun.objects.create(scheme=load_scheme(), year=2025, status=EvaluationRun.Status.DONE)
        ParcelFlag.objects.create(parcel=cls.flagged, reason="grade", detail="bottom grade", run=run)
        cls.under_case = cls.parcel("in", geometry=OUTLINE)
        cls.case = services.case_open(parcel=cls.under_case, path="upgrade", user=cls.officer)
        cls.no_outline = cls.parcel("in")
        services.parcel_flag(parcel=cls.no_outline, user=cls.officer, detail="no outline")
        cls.outside = cls.parcel("out", geometry=OUTLINE)
        services.parcel_flag(parcel=cls.outside, user=cls.world.users["operator_admin"], detail="out")

    @classmethod
    def parcel(cls, side, **extra) -> LandParcel:
        n = cls.world.seq()
        return LandParcel.objects.create(
            park=cls.world.park[side], code=f"L-{n:03d}", area=6667, holder=cls.world.org[side], **extra
        )

    def setUp(self):
        self.client.force_login(self.officer)
        self.signed_in = "evaluation_officer"

    def sign_in(self, role):
        if role != self.signed_in:  # signing in is left out of the queries counted below
            self.client.force_login(self.world.users[role])
            self.signed_in = role

    def page(self, role="evaluation_officer", language="zh-hans", **query):
        self.sign_in(role)
        response = self.client.get(reverse("land:inefficient_land"), query, HTTP_ACCEPT_LANGUAGE=language)
        self.assertEqual(response.status_code, 200)
        return response

    def map(self, role="evaluation_officer", language="zh-hans") -> dict:
        """The map's data, fetched as the page's script fetches it (the address the page gives it)."""
        self.sign_in(role)
        response = self.client.get(reverse("land:inefficient_land_map"), HTTP_ACCEPT_LANGUAGE=language)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json")
        return response.json()

    def test_the_map_data_carries_what_the_script_draws(self):
        html = self.page().content.decode()
        words = embedded(html, "map-words")
        self.assertEqual(words["data"], reverse("land:inefficient_land_map"))  # where the script fetches it
        data = self.map()
        parcels, parks = data["parcels"], data["parks"]
        words["parks"] = data["parkNames"]  # as the script does
        features = {f["properties"]["id"]: f for f in parcels["features"]}
        self.assertEqual(set(features), {self.flagged.pk, self.under_case.pk})  # the officer's park only
        with translation.override("zh-hans"):
            expected = {
                self.flagged.pk: {
                    "link": (self.flagged.get_absolute_url(), str(self.flagged)),
                    "holder": "Org in Ltd",
                    "status": str(Status.INEFFICIENT.label),
                    "reasons": f"{ParcelFlag.Reason.BOTTOM_GRADE.label}, {ParcelFlag.Reason.MANUAL.label}",
                    "case": None,
                    "colour": selectors.REASON_COLOURS["grade"],  # its first reason's, in key order
                },
                self.under_case.pk: {
                    "link": (self.under_case.get_absolute_url(), str(self.under_case)),
                    "holder": "Org in Ltd",
                    "status": str(Status.UNDER_DISPOSAL.label),
                    "reasons": "",
                    "case": (
                        self.case.get_absolute_url(),
                        f"{DisposalCase.Path.UPGRADE.label} · {DisposalCase.Status.OPEN.label}",
                    ),
                    "colour": selectors.CASE_COLOURS["open"],
                },
            }
        for pk, want in expected.items():
            with self.subTest(parcel=pk):
                self.assertEqual(popup(features[pk]["properties"], words), want)
        self.assertIn("低效", words["statuses"].values())  # the words in the page's language
        self.assertEqual([f["properties"] for f in parks["features"]], [{"name": "Park in"}])
        # the script reads these and nothing else of a feature
        self.assertEqual(
            set(features[self.under_case.pk]["properties"]),
            {"id", "code", "park", "holder", "status", "reasons", "case"},
        )

    def test_coordinates_are_rounded_to_a_tenth_of_a_metre(self):
        feature = self.map()["parcels"]["features"][0]
        ring = feature["geometry"]["coordinates"][0]
        self.assertEqual(ring[0], [121.219804, 31.222758])
        for got, stored in zip(ring, OUTLINE["coordinates"][0], strict=True):
            for a, b in zip(got, stored, strict=True):
                self.assertAlmostEqual(a, b, delta=0.5e-6)
        self.assertEqual(feature["geometry"]["type"], "Polygon")

    def test_parcels_without_an_outline_are_listed_beside_the_map(self):
        listed = self.map(language="en")["withoutGeometry"]
        self.assertEqual(
            listed,
            [
                {
                    "url": self.no_outline.get_absolute_url(),
                    "park": "Park in",
                    "code": self.no_outline.code,
                    "reasons": ["Flagged by hand"],
                    "case_status": "",
                }
            ],
        )
        response = self.page(language="en")
        self.assertContains(response, '<div class="card mt-3" id="without-geometry" hidden>')  # the script fills it
        self.assertContains(response, '<ul class="list-group list-group-flush"></ul>')  # empty, not in the page
        self.assertContains(response, "3 parcels flagged or under disposal")

    def test_each_role_sees_the_parcels_of_its_scope_only(self):
        for role, user in self.world.users.items():
            if not ParcelFlag.objects.restrict(user).exists():
                continue
            with self.subTest(role=role):
                response = self.page(role)
                table = response.context["table"]
                exact = ParcelFlag.objects.restrict(user).filter(cleared_on__isnull=True)
                self.assertEqual((table.paginator.count, len(table.paginated_rows)), (exact.count(), exact.count()))
                data = self.map(role)
                ids = {f["properties"]["id"] for f in data["parcels"]["features"]}
                ids |= {LandParcel.objects.get(code=p["code"]).pk for p in data["withoutGeometry"]}
                cases = DisposalCase.objects.restrict(user).exclude(status=DisposalCase.Status.CLOSED)
                want = set(exact.values_list("parcel_id", flat=True)) | set(cases.values_list("parcel_id", flat=True))
                self.assertEqual(ids, want)  # exactly the page's scope
                self.assertEqual(response.context["parcels"], len(want))
        self.assertIn(
            self.outside.pk, {f["properties"]["id"] for f in self.map("operator_admin")["parcels"]["features"]}
        )
        officer = self.map()
        self.assertNotIn(self.outside.pk, {f["properties"]["id"] for f in officer["parcels"]["features"]})
        self.assertNotIn(self.outside.code, self.page().content.decode())

    def test_roles_without_flags_get_no_map_data(self):
        self.client.logout()
        self.signed_in = None
        response = self.client.get(reverse("land:inefficient_land_map"))
        self.assertEqual(response.status_code, 302)  # signed out: to the sign-in page, no data
        for role in ("service_staff", "enterprise_user", "government_partner"):
            with self.subTest(role=role):
                self.sign_in(role)
                response = self.client.get(reverse("land:inefficient_land_map"))
                self.assertEqual(response.status_code, 403)
                self.assertNotIn(b"121.2", response.content)

    def add_flagged(self, n):
        for _ in range(n):
            services.parcel_flag(parcel=self.parcel("in", geometry=OUTLINE), user=self.officer, detail="more")

    def test_the_page_does_not_grow_with_the_parcels_on_the_map(self):
        """No parcel's outline in the page; beside the table (25 rows a page), the same bytes for 3 or 33 parcels."""

        def weight():
            html = self.page(language="en").content.decode()
            self.assertNotIn("121.2198", html)  # no outline: the map's data is fetched
            self.assertNotIn("31.2227", html)
            table = re.search(r'<div class="card" id="flagged-parcels">.*?</table>', html, re.S)
            assert table
            return len(html) - len(table.group(0)), html

        few, html = weight()
        self.assertIn("3 parcels flagged", html)
        self.add_flagged(30)
        many, html = weight()
        self.assertIn("33 parcels flagged", html)
        self.assertEqual(len(self.map()["parcels"]["features"]), 32)  # the map still has every one
        # the count's digits and the table's page links are all that differ
        self.assertLess(abs(many - few), 400)

    def test_queries_do_not_grow_with_the_parcels_on_the_map(self):
        self.page()
        self.map()
        with CaptureQueriesContext(connection) as few:
            self.page()
        with CaptureQueriesContext(connection) as few_data:
            self.map()
        for _ in range(4):
            parcel = self.parcel("in", geometry=OUTLINE)
            services.parcel_flag(parcel=parcel, user=self.officer, detail="more")
            services.case_open(parcel=self.parcel("in", geometry=OUTLINE), path="upgrade", user=self.officer)
        with CaptureQueriesContext(connection) as many:
            response = self.page()
        with CaptureQueriesContext(connection) as many_data:
            data = self.map()
        self.assertEqual(len(data["parcels"]["features"]), 10)
        self.assertEqual(response.context["parcels"], 11)
        self.assertEqual(len(many.captured_queries), len(few.captured_queries))
        self.assertEqual(len(many_data.captured_queries), len(few_data.captured_queries))
        # user, permissions (2), groups, the counts (one aggregate), the table's rows; PostgreSQL's session one more
        self.assertEqual(len(many.captured_queries), 6 if connection.vendor == "sqlite" else 7)
        counts = [q["sql"] for q in many.captured_queries if "COUNT(" in q["sql"].upper()]
        self.assertEqual(len(counts), 1)
        # user, permissions (2), groups, the map (4); PostgreSQL's session one more
        self.assertEqual(len(many_data.captured_queries), 8 if connection.vendor == "sqlite" else 9)
        self.assertFalse([q for q in many_data.captured_queries if "COUNT(" in q["sql"].upper()])

    def test_the_flags_table_renders_as_with_whole_rows(self):
        """The table reads only its cells' columns: the same HTML as the rows read whole (a list of objects)."""
        self.client.force_login(self.officer)
        for language in ("en", "zh-hans"):
            with self.subTest(language=language), translation.override(language):
                request = self.client.get(reverse("land:inefficient_land")).wsgi_request
                rows = ParcelFlag.objects.filter(cleared_on__isnull=True).select_related(
                    "parcel__park", "run__scheme", "flagged_by"
                )
                slim = tables.ParcelFlagTable(rows, request=request, exclude=("open",))
                whole = tables.ParcelFlagTable(list(rows), request=request, exclude=("open",))
                html = slim.as_html(request)
                self.assertEqual(html, whole.as_html(request))
                self.assertIn(self.flagged.code, html)
                row = next(r for r in slim.page.object_list.data if r.run_id)
                self.assertIn("geometry", row.parcel.get_deferred_fields())  # the outline is not read
                self.assertIn("definition", row.run.scheme.get_deferred_fields())


class ColumnRows(tables.ParcelFlagTable):
    """The flags table with django-tables2's rows (each cell by its column), as before ``_flag_cells``."""

    paginated_rows = django_tables2.Table.paginated_rows

    class Meta(tables.ParcelFlagTable.Meta):
        pass


class FlagRowsTests(TestCase):
    """``ParcelFlagTable``'s rows written by ``_flag_cells``: the same bytes as its columns' cells."""

    @classmethod
    def setUpTestData(cls):
        w = cls.world = World.build()
        run = EvaluationRun.objects.create(scheme=load_scheme(), year=2025, status=EvaluationRun.Status.DONE)
        for n, (side, detail, with_run, area) in enumerate(
            [
                ("in", 'bottom grade <b>&amp; "quoted"</b>', True, 6667),
                ("in", "", False, 1234.5),
                ("out", "by hand", False, 0),
                ("out", "taxes 低效", True, 100000),
            ]
        ):
            parcel = LandParcel.objects.create(
                park=w.park[side], code=f"L<{n}>&", area=area, holder=w.org[side], status=Status.INEFFICIENT
            )
            ParcelFlag.objects.create(
                parcel=parcel, reason="grade" if with_run else "manual", detail=detail, run=run if with_run else None
            )
        ParcelFlag.objects.create(parcel=parcel, reason="idle", detail="cleared", cleared_on="2026-01-02")

    def test_the_rows_are_the_columns_cells(self):
        admin = self.world.users["operator_admin"]
        self.client.force_login(admin)
        for unit in ("m2", "mu"):
            admin.area_unit = unit
            admin.save()
            for language in ("en", "zh-hans"):
                with self.subTest(unit=unit, language=language), translation.override(language):
                    request = self.client.get(reverse("land:inefficient_land")).wsgi_request
                    for exclude in (("open",), ("open", "park", "run"), ()):
                        rows = ParcelFlag.objects.select_related("parcel__park", "run__scheme").order_by("pk")
                        written = tables.ParcelFlagTable(rows, request=request, exclude=exclude)
                        django_rows = ColumnRows(rows, request=request, exclude=exclude)
                        html = written.as_html(request)
                        self.assertEqual(html, django_rows.as_html(request))
                        self.assertIn("&lt;b&gt;&amp;amp;", html)
                        self.assertEqual(html.count("<tr>"), 6)
                        if "open" in exclude:
                            self.assertIsInstance(written.paginated_rows[0], tables.WrittenRow)
                    panel = tables.ParcelFlagTable(list(rows), request=request, paginate=False, exclude=("open",))
                    self.assertEqual(
                        panel.as_html(request),
                        ColumnRows(list(rows), request=request, paginate=False, exclude=("open",)).as_html(request),
                    )


class CompactJsonScriptTests(TestCase):
    def test_reads_back_and_cannot_close_its_element(self):
        value = {"name": "</script><script>alert(1)</script> & 园区", "n": [1.5, 2]}
        html = json_script_utf8(value, "map-parcels", compact=True)
        self.assertTrue(html.startswith('<script id="map-parcels" type="application/json">{"name":'))
        self.assertEqual(html.count("</script>"), 1)
        self.assertIn("园区", html)  # UTF-8, not \\uXXXX
        self.assertIn('"n":[1.5,2]', html)  # no spaces after separators
        self.assertEqual(embedded(html, "map-parcels"), value)


class WholeRows(tables.AvailableLandTable):
    """The table as it was: whole parcels (no ``reads_only``)."""

    class Meta(tables.AvailableLandTable.Meta):
        pass

    def __init__(self, data, *args, **kwargs):
        EstimatedCountTable.__init__(self, data, *args, **kwargs)


class AvailableLandPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()

    def idle(self, n):
        for _ in range(n):
            LandParcel.objects.create(
                park=self.world.park["in"],
                code=f"A-{self.world.seq():03d}",
                area=5000,
                holder=self.world.org["in"],
                status=Status.IDLE,
            )

    def test_queries_do_not_grow_with_the_parcels(self):
        self.client.force_login(self.world.users["investment_staff"])
        url = reverse("land:available_land")
        self.idle(2)
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        self.idle(6)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(url)
        self.assertContains(response, "A-0")
        self.assertEqual(len(many.captured_queries), len(few.captured_queries))
        self.assertLessEqual(len(many.captured_queries), 9)

    def test_the_table_renders_as_django_tables2s_rows_of_whole_parcels(self):
        """Core's rows over the slim queryset give the HTML django-tables2's own rows gave over whole parcels."""
        self.idle(3)
        user = self.world.users["operator_admin"]
        self.client.force_login(user)
        for language in ("en", "zh-hans"):
            with self.subTest(language=language), translation.override(language):
                request = self.client.get(reverse("land:available_land")).wsgi_request
                table = tables.AvailableLandTable(selectors.available_land(user), request=request)
                old = WholeRows(selectors.available_land(user), request=request)
                old.rows = BoundRows(data=old.data, table=old, pinned_data=old.pinned_data)
                self.assertEqual(table.as_html(request), old.as_html(request))
                self.assertIn("A-0", table.as_html(request))
