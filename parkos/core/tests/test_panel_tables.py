"""Issue 16: a detail page's panel tables are written in Python (core.tables.render_panel_table), the same bytes as
``{% render_table %}`` with core/table.html; a table copies its class's columns for less (a column's
``__deepcopy__``), into the same columns."""

import copy
import datetime
import decimal
import re
from types import FunctionType, MethodType
from typing import Any
from unittest import mock

from django.db import connection
from django.template import RequestContext, Template
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import translation
from django_tables2.columns.base import LinkTransform

from parkos.core import tables as core_tables
from parkos.core.testing import World
from parkos.core.views import generic
from parkos.directory.models import Organization, OrganizationAlias, Person, Position
from parkos.investment.models import Agreement, Party
from parkos.parks.models import Building, LandParcel

#: the reads every signed-in page makes (the session on PostgreSQL, the user, their permissions and groups)
FRAME = ('"django_session"', '"auth_permission"', 'FROM "auth_group"', 'FROM "users_user" WHERE')
TEMPLATE = Template("{% load django_tables2 %}{% render_table table %}")


def steady(html: str) -> str:
    """The page without what changes per request (the CSRF token, the CSP nonce)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def every_panel() -> list[tuple[type, generic.Related]]:
    resolve("/")  # every app's urls imported: every ObjectViews registered
    return [
        (model, rel)
        for model, views in generic._views_by_model.items()
        for rel in (*views.related, *generic._extra_related.get(model, ()))
    ]


def panel_table(rel: generic.Related, rows: list[Any], request: Any) -> Any:
    """The table ObjectDetailView makes for a panel."""
    return rel.table(
        rows,
        request=request,
        paginate=False,
        orderable=False,
        exclude=(rel.field, *rel.exclude, *rel.table.low_priority),
    )


def column_state(value: Any, depth: int = 0) -> Any:
    """A column's attributes as plain data, to compare two copies (and tell a copy from the original)."""
    if isinstance(value, dict):
        return {key: column_state(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value).__name__, [column_state(item, depth + 1) for item in value]
    if hasattr(value, "__dict__") and not isinstance(value, (type, FunctionType, MethodType)) and depth < 4:
        return type(value).__name__, column_state(vars(value), depth + 1)
    return value


class PanelTableTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        park = cls.world.park["in"]
        organization = cls.world.org["in"]
        holder = Organization.objects.create(name="Holder & <Sons> Ltd", industry=cls.world.industry)
        OrganizationAlias.objects.create(organization=organization, name='Alias "one" & <two>')
        for n in range(7):  # more than a panel shows
            parcel = LandParcel.objects.create(park=park, code=f"T-{n}", area=100 + n, holder=holder if n % 2 else None)
            Building.objects.create(parcel=parcel, code=f"TB-{n}", floor_area=50 + n)
            agreement = Agreement.objects.create(
                kind=Agreement.Kind.INVESTMENT,
                title=f'Agreement {n} "quoted" & more',
                park=park,
                status=Agreement.Status.SIGNED if n % 2 else Agreement.Status.DRAFT,
                signed_on=datetime.date(2026, 1, 1 + n) if n % 3 else None,
            )
            Party.objects.create(agreement=agreement, organization=organization)
            person = Person.objects.create(name=f"Person {n} <b>")
            Position.objects.create(person=person, organization=organization, title=f"Post {n} & co")
        cls.park_url = reverse("parks:park", args=[park.pk])
        cls.organization_url = reverse("directory:organization", args=[organization.pk])
        cls.empty_url = reverse("directory:organization", args=[holder.pk])  # panels with no rows

    def page(self, url: str, language: str) -> str:
        with translation.override(language):
            response = self.client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        self.assertEqual(response.status_code, 200)
        return steady(response.content.decode())

    def test_the_pages_read_as_with_the_template(self):
        written: list[Any] = []

        def counted(table: Any) -> Any:
            written.append(html := core_tables.render_panel_table(table))
            return html

        for username in ("operator_admin", "park_manager", "investment_staff"):
            self.client.force_login(self.world.users[username])
            for url in (self.park_url, self.organization_url, self.empty_url):
                for language in ("en", "zh-hans"):
                    with self.subTest(username=username, url=url, language=language):
                        with mock.patch.object(generic, "render_panel_table", counted):
                            now = self.page(url, language)
                        with mock.patch.object(generic, "render_panel_table", lambda table: None):
                            before = self.page(url, language)
                        self.assertEqual(now, before)
        self.assertTrue(written)
        self.assertNotIn(None, written)  # every panel here was written in Python
        self.client.force_login(self.world.users["operator_admin"])
        park_page = self.page(self.park_url, "en")
        self.assertIn("&quot;quoted&quot; &amp; more</a>", park_page)
        self.assertIn("Holder &amp; &lt;Sons&gt; Ltd", park_page)
        self.assertIn("Alias &quot;one&quot; &amp; &lt;two&gt;", self.page(self.organization_url, "en"))
        self.assertIn('class="text-secondary">', self.page(self.empty_url, "zh-hans"))

    def test_every_panel_of_every_model_reads_as_with_the_template(self):
        """Each Related panel of every model's page, with the rows the test world has, and with none."""
        user = self.world.users["operator_admin"]
        request = RequestFactory().get("/")
        request.user = user
        checked = 0
        for language in ("en", "zh-hans"):
            with translation.override(language):
                for _model, rel in every_panel():
                    for rows in (list(rel.rows(user)[:3]), []):
                        with self.subTest(table=rel.table.__name__, rows=len(rows), language=language):
                            html = core_tables.render_panel_table(panel_table(rel, rows, request))
                            self.assertIsNotNone(html)
                            expected = TEMPLATE.render(
                                RequestContext(request, {"table": panel_table(rel, rows, request)})
                            )
                            self.assertEqual(html, expected)
                            checked += 1
        self.assertGreater(checked, 40)

    def test_a_table_the_template_must_write_is_left_to_it(self):
        request = RequestFactory().get("/")
        request.user = self.world.users["operator_admin"]
        rel = generic.views_for(LandParcel).related[0]
        rows = list(rel.rows(request.user)[:2])
        sortable = rel.table(rows, request=request, paginate=False)  # sorting links
        self.assertIsNone(core_tables.render_panel_table(sortable))
        checked = panel_table(rel, rows, request)
        checked.bulk_form = "bulk-form"
        self.assertIsNone(core_tables.render_panel_table(checked))
        paged = rel.table(Building.objects.all(), request=request, orderable=False)
        self.assertIsNone(core_tables.render_panel_table(paged))

    def test_a_copied_column_is_a_new_column_with_the_same_attributes(self):
        """The columns a table copies from its class: the same attributes as copy.deepcopy's own way, new objects
        (changing a copy leaves the class's column alone)."""
        tables = {rel.table for _model, rel in every_panel()}
        for table in tables:
            for name, column in table.base_columns.items():
                with self.subTest(table=table.__name__, column=name):
                    fast = copy.deepcopy(column)
                    slow = copy._reconstruct(column, {}, *column.__reduce_ex__(4))  # type: ignore[attr-defined]
                    self.assertIs(type(fast), type(column))
                    self.assertIsNot(fast, column)
                    self.assertEqual(column_state(vars(fast)), column_state(vars(slow)))
                    self.assertEqual(column_state(vars(fast)), column_state(vars(column)))
                    self.assertIsNot(fast.attrs, column.attrs)
                    if isinstance(column.link, LinkTransform):
                        self.assertIsNot(fast.link, column.link)
                    fast.attrs["th"] = {"class": "changed"}
                    self.assertNotEqual(column.attrs.get("th"), {"class": "changed"})

    def test_the_organization_panels_read_as_with_the_lists_querysets(self):
        """Aliases and positions (parkos/directory/views.py) read without the organization, the same page as with
        their lists' querysets."""

        def list_rows(self: generic.Related, user: Any) -> Any:
            return generic.views_for(self.model).queryset(user)

        for username in ("operator_admin", "park_manager", "enterprise_user"):
            self.client.force_login(self.world.users[username])
            for language in ("en", "zh-hans"):
                with self.subTest(username=username, language=language):
                    now = self.page(self.organization_url, language)
                    with mock.patch.object(generic.Related, "rows", list_rows):
                        before = self.page(self.organization_url, language)
                    self.assertEqual(now, before)
        self.client.force_login(self.world.users["operator_admin"])
        self.assertIn("Post 0 &amp; co", self.page(self.organization_url, "en"))
        with CaptureQueriesContext(connection) as queries:
            self.client.get(self.organization_url)
        panels = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].startswith(('SELECT "directory_organizationalias"."id"', 'SELECT "directory_position"."id"'))
        ]
        self.assertEqual(len(panels), 2)
        for sql in panels:
            self.assertNotIn('"directory_organization"."name_en"', sql)

    def test_detail_values_read_as_the_include_wrote_them(self):
        """core.views.generic.detail_value_html: every kind of detail row as core/includes/value.html writes it."""
        include = Template('{% include "core/includes/value.html" %}')
        parcel = LandParcel.objects.order_by("pk").first()
        square = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}
        rows = [
            ("hidden", None),
            ("text", None),
            ("text", ""),
            ("text", 'Line <one> & "two"\nline two'),
            ("text", 12345),
            ("text", datetime.date(2026, 1, 2)),
            ("link", parcel),
            ("link", self.world.org["in"]),
            ("bool", True),
            ("bool", False),
            ("area", decimal.Decimal("12345.50")),
            ("formatted", "1,234.00 <m²>"),
            ("geometry", square),
            ("json", {"a": 1, "b & c": "<x>", "n": 1234.5}),
            ("json", {}),
            ("json", [1, "<two>"]),
            ("url", "https://example.com/?a=1&b=<2>"),
        ]
        for username in ("operator_admin", "park_manager"):
            user = self.world.users[username]
            request = RequestFactory().get("/")
            request.user = user
            for language in ("en", "zh-hans"):
                with translation.override(language):
                    for kind, value in rows:
                        with self.subTest(kind=kind, value=value, language=language, user=username):
                            row = {"name": "f", "label": "f", "value": value, "kind": kind, "help": ""}
                            html = generic.detail_value_html(row, user)
                            self.assertIsNotNone(html)
                            expected = include.render(RequestContext(request, {"row": row}))
                            self.assertEqual(f"{html}\n", expected)
        # left to the include: what only a template reads faithfully
        for kind, value in (("json", {"items": [1]}), ("link", "not a model"), ("text", lambda: "called")):
            row = {"name": "f", "label": "f", "value": value, "kind": kind, "help": ""}
            self.assertIsNone(generic.detail_value_html(row, self.world.users["operator_admin"]))

    def test_query_count(self):
        """The organization page's own queries as admin (the signed-in frame left out: the same on SQLite and
        PostgreSQL): the organization, a rows query per panel (nine) and a count per full one (two), the open
        policies it qualifies for (one since policies.snapshot.qualifying_for_enterprise, 7bb0e08), the recent
        changes."""
        self.client.force_login(self.world.users["operator_admin"])
        self.client.get(self.organization_url)
        with CaptureQueriesContext(connection) as queries:
            self.client.get(self.organization_url)
        own = [q["sql"] for q in queries.captured_queries if not any(part in q["sql"] for part in FRAME)]
        self.assertEqual(len(own), 14, "\n".join(own))
