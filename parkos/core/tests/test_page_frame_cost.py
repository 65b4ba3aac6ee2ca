"""Issue 16: what every page pays for its frame, cut without changing a byte: text written straight where the
template machinery's steps give the same (``core.renderers.text_in_context``), static URLs asked once per path
(``{% static_path %}``), a plain column's cell without its argument matching."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import django_tables2 as tables
from django.db import connection
from django.template import Context, engines
from django.template.base import render_value_in_context
from django.test import RequestFactory, SimpleTestCase, TestCase, override_settings
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from parkos.core import tables as core_tables
from parkos.core.renderers import text_in_context
from parkos.core.templatetags import parkos as parkos_tags
from parkos.core.testing import World

VALUES = [
    "plain",
    "",
    "Quote \" and <tag> & amp ' apostrophe",
    "园区 <b>",
    mark_safe("<b>bold</b>"),
    SafeString("x & y"),
    _("Active"),
    1234567,
    -3,
    True,
    None,
    Decimal("1234.50"),
    1234.5,
    datetime.date(2026, 12, 7),
    datetime.datetime(2026, 12, 7, 16, 30, tzinfo=datetime.UTC),
    datetime.time(9, 5),
    ["a", "<b>"],
]


class StrSubclass(str):
    """Not a plain str: takes Django's steps."""


class TextInContextTests(SimpleTestCase):
    def test_the_same_text_as_the_template_machinery_in_every_language(self):
        for language in ("en", "zh-hans"):
            with translation.override(language):
                for autoescape in (True, False):
                    for use_l10n in (None, False):
                        context = Context(autoescape=autoescape, use_l10n=use_l10n)
                        for value in [*VALUES, StrSubclass("<s>")]:
                            ours = text_in_context(value, context)
                            theirs = render_value_in_context(value, context)
                            self.assertEqual(ours, theirs, f"{language} {autoescape} {value!r}")
                            self.assertEqual(type(str(ours)), type(str(theirs)))

    def test_plain_text_is_escaped_and_safe_text_kept(self):
        context = Context()
        self.assertEqual(text_in_context("<a href='x'>&", context), "&lt;a href=&#x27;x&#x27;&gt;&amp;")
        safe = mark_safe("<i>")
        self.assertIs(text_in_context(safe, context), safe)
        self.assertEqual(text_in_context("<a>", Context(autoescape=False)), "<a>")


class StaticPathTests(SimpleTestCase):
    def render(self, source):
        return engines["django"].from_string("{% load static parkos %}" + source).render({})

    def test_the_same_url_as_the_static_tag(self):
        for path in ("core/parkos.css", "vendor/tabler/js/tabler.min.js", "a b/ü&x.js"):
            self.assertEqual(self.render(f"{{% static_path '{path}' %}}"), self.render(f"{{% static '{path}' %}}"))
        self.assertIn("core/parkos.css", parkos_tags._static_urls)

    def test_forgotten_when_the_static_settings_change(self):
        self.render("{% static_path 'core/parkos.css' %}")
        with override_settings(STATIC_URL="/elsewhere/"):
            self.assertEqual(self.render("{% static_path 'core/parkos.css' %}"), "/elsewhere/core/parkos.css")
        self.assertEqual(
            self.render("{% static_path 'core/parkos.css' %}"), self.render("{% static 'core/parkos.css' %}")
        )


class PlainColumnCellTests(SimpleTestCase):
    def test_a_plain_column_skips_the_argument_matching_and_others_keep_it(self):
        class Plain(core_tables.PrimaryTable):
            name = tables.Column()
            shouted = tables.Column(accessor="name")
            count = tables.Column(default="—")

            def render_shouted(self, value):
                return value.upper()

        from parkos.parks.models import Building

        rows = [Building(pk=1, code="B1", name="Hall"), Building(pk=2, code="B2", name="")]
        table = Plain(rows, paginate=False)
        calls = []
        original = core_tables.call_with_appropriate
        core_tables.call_with_appropriate = lambda fn, kwargs: calls.append(fn.__name__) or original(fn, kwargs)
        try:
            cells = [[str(cell) for _column, cell in row.items()] for row in table.rows]
        finally:
            core_tables.call_with_appropriate = original
        self.assertEqual(cells, [["Hall", "HALL", "—"], ["—", "—", "—"]])
        self.assertNotIn("render", calls)  # Column.render: the value itself
        theirs = Plain(rows, paginate=False)
        theirs.rows = tables.rows.BoundRows(data=theirs.data, table=theirs)
        self.assertEqual(cells, [[str(cell) for _column, cell in row.items()] for row in theirs.rows])


BASE = Path(__file__).resolve().parents[1] / "templates" / "base.html"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


class FrameTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()

    def test_base_html_writes_what_it_wrote_with_the_static_tag(self):
        source = BASE.read_text()
        self.assertIn("{% static_path '", source)
        old = engines["django"].from_string(source.replace("{% static_path '", "{% static '"))
        new = engines["django"].from_string(source)
        for user in (self.world.users["operator_admin"], self.world.users["park_manager"]):
            for language in ("en", "zh-hans"):
                with translation.override(language):
                    request = RequestFactory().get("/parks/brands/?q=<x>")
                    request.user = user
                    request.session = {}
                    request.LANGUAGE_CODE = language
                    ours, theirs = new.render({}, request), old.render({}, request)
                    self.assertEqual(TOKEN.sub("", ours), TOKEN.sub("", theirs), f"{user} {language}")
                    self.assertIn("/static/core/parkos.css", ours)

    def test_a_list_page_reads_no_more_queries(self):
        self.client.force_login(self.world.users["park_manager"])
        with translation.override("en"):
            self.client.get("/parks/brands/")
            # the user, its permissions, its groups' permissions and its groups (kept across requests outside
            # tests, core.access), the brands (count and page); PostgreSQL also reads the session (SQLite keeps
            # sessions in files): the frame adds none
            with self.assertNumQueries(6 + (connection.vendor == "postgresql")):
                response = self.client.get("/parks/brands/")
        self.assertContains(response, "/static/core/parkos.js")
