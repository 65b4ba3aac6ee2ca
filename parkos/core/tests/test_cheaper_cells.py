"""Issue 16, eighth session: a cell's render method called with the arguments matched once per pass, dates written
by ``str.format``, whole numbers and related objects written straight, each the same text as Django and
django-tables2 wrote."""

import datetime
import zoneinfo

import django_tables2 as tables
from django.template import Context, Template
from django.template.defaultfilters import date as date_filter
from django.test import SimpleTestCase, override_settings
from django.utils import timezone, translation
from django.utils.html import format_html

from parkos.core import tables as core_tables
from parkos.core.renderers import text_in_context
from parkos.parks.models import Park

FORMATS = (
    "SHORT_DATE_FORMAT",
    "DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "Y-m-d",
    "m/d/Y",
    "Y年n月j日",
    "j.n.Y",
    "Y-m-d H:i",
    "G:i:s {d}",
    "D, d M Y",  # a code the template does not write: Django's way
    r"Y \de m",  # an escape: Django's way
    "y",
)
VALUES = (
    datetime.date(2026, 12, 7),
    datetime.date(33, 1, 5),
    datetime.datetime(2026, 3, 4, 5, 6, 7),  # noqa: DTZ001 (a naive one, as a value may be)
    datetime.datetime(2026, 12, 31, 23, 59, 1, tzinfo=datetime.UTC),
    None,
    "",
    "not a date",
)


class DateTextTests(SimpleTestCase):
    def test_date_text_writes_what_the_date_filter_writes(self):
        for language in ("en", "zh-hans", "de"):
            with translation.override(language):
                for name in FORMATS:
                    for value in VALUES:
                        for shared in (None, {}):
                            row = type("Row", (), {"_shared": shared})() if shared is not None else None
                            try:
                                expected = date_filter(value, name)
                            except TypeError as error:  # a time code of a date: the filter's own error
                                with self.assertRaises(type(error)):
                                    core_tables.date_text(value, name, row)
                                continue
                            self.assertEqual(core_tables.date_text(value, name, row), expected, (language, name, value))

    def test_templates_only_for_the_codes_they_write(self):
        self.assertEqual(core_tables.date_template("Y-m-d"), ("{0.year:04d}-{0.month:02d}-{0.day:02d}", False))
        self.assertEqual(core_tables.date_template("G:i {x}"), ("{0.hour}:{0.minute:02d} {{x}}", True))
        self.assertIsNone(core_tables.date_template("D Y"))
        self.assertIsNone(core_tables.date_template(r"\Y"))

    def test_a_pass_over_the_rows_reads_the_format_of_its_language(self):
        class Dated(core_tables.EstimatedCountTable):
            day = core_tables.DateColumn()
            at = core_tables.LocalDateTimeColumn(accessor="day")

        rows = [{"day": datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC)}]
        table = Dated(rows)
        seen = {}
        with timezone.override(zoneinfo.ZoneInfo("Asia/Shanghai")):
            for language in ("en", "de", "en"):
                with translation.override(language):
                    cells = [str(cell) for row in table.rows for cell in row]
                    expected = [
                        date_filter(rows[0]["day"], "SHORT_DATE_FORMAT"),
                        date_filter(timezone.template_localtime(rows[0]["day"]), "SHORT_DATETIME_FORMAT"),
                    ]
                    self.assertEqual(cells, expected, language)
                    seen[language] = cells
        self.assertNotEqual(seen["en"], seen["de"])  # each pass read its own language's formats
        self.assertTrue(seen["de"][1].endswith("11:04"))  # local time


class Row:
    def __init__(self, name, code):
        self.pk, self.name, self.code = 1, name, code

    def __str__(self):
        return self.name


class RenderArgumentsTests(SimpleTestCase):
    """``CoreBoundRow._render_cell`` calls a render method as ``call_with_appropriate`` did."""

    def test_each_signature_gets_what_django_tables2_gave_it(self):
        class Cells(core_tables.EstimatedCountTable):
            name = tables.Column()
            code = tables.Column()
            every = tables.Column(accessor="name")
            missing = tables.Column(accessor="name")
            mixed = tables.Column(accessor="code")

            def render_name(self, value, record, bound_row, table):
                return format_html("<b>{}</b> {} {}", value, record.code, bound_row.record is record and table is self)

            def render_code(self, value):
                return f"{value}!"

            def render_every(self, **kwargs):
                return ",".join(sorted(kwargs))

            def render_missing(self, value, nothing):
                return "never"

            def render_mixed(self, bound_column, column, value):
                return f"{bound_column.name}:{type(column).__name__}:{value}"

        rows = [Row("a<", "x"), Row("b", "y")]
        ours = Cells(rows)
        theirs = Cells(rows)
        theirs.rows = tables.rows.BoundRows(data=theirs.data, table=theirs)
        ours_cells = [[str(cell) for cell in row] for row in ours.rows]
        self.assertEqual(ours_cells, [[str(cell) for cell in row] for row in theirs.rows])
        self.assertEqual(
            ours_cells[0],
            [
                "<b>a&lt;</b> x True",
                "x!",
                "bound_column,bound_row,column,record,table,value",
                "None",  # call_with_appropriate gave None: an argument no cell offers
                "mixed:Column:x",
            ],
        )


class TextInContextTests(SimpleTestCase):
    def test_whole_numbers_and_models_read_as_the_template_writes_them(self):
        values = [0, -12, 1234567, True, Park(name="Park <one> & 'two'"), Park(name="")]
        for language in ("en", "zh-hans"):
            with translation.override(language):
                for settings in ({}, {"USE_THOUSAND_SEPARATOR": True}):
                    with override_settings(**settings):
                        for value in values:
                            for autoescape in (True, False):
                                context = Context({"value": value}, autoescape=autoescape)
                                expected = Template("{{ value }}").render(context)
                                self.assertEqual(text_in_context(value, context), expected, (value, settings))
        with override_settings(USE_THOUSAND_SEPARATOR=True), translation.override("en"):
            self.assertEqual(text_in_context(1234567, Context()), "1,234,567")
        self.assertEqual(text_in_context(1234567, Context()), "1234567")


class PkReverserTests(SimpleTestCase):
    def test_a_bound_reverser_reverses_as_django_does(self):
        from django.apps import apps
        from django.urls import NoReverseMatch, reverse

        from parkos.core.reversing import pk_reverser

        for name in (apps.get_model("parks", "Park").url_name(), "investment:project_move"):
            reverse_one = pk_reverser(name)
            for pk in (1, 42, 1234567890):
                self.assertEqual(reverse_one(pk), reverse(name, kwargs={"pk": pk}))
            for refused in (-1, "abc"):
                with self.assertRaises(NoReverseMatch):
                    reverse_one(refused)
        with self.assertRaises(NoReverseMatch):
            pk_reverser("no-such-page")(1)


class InputRenderingTests(SimpleTestCase):
    """``core.renderers.render_input`` writes what Django's input.html and attrs.html write."""

    def test_inputs_read_as_the_templates_wrote_them(self):
        from decimal import Decimal

        from django import forms
        from django.forms.renderers import DjangoTemplates
        from django.utils.safestring import mark_safe
        from django.utils.translation import gettext_lazy

        from parkos.core.renderers import INPUT_TEMPLATES, FormRenderer

        attrs = {"class": "form-control", "placeholder": gettext_lazy("Search"), "required": True, "hidden": False}
        cases = [
            (forms.TextInput(attrs=attrs), 'Quote " <b> & amp'),
            (forms.TextInput(), None),
            (forms.TextInput(), ""),
            (forms.TextInput(), mark_safe("<i>safe</i>")),
            (forms.NumberInput(attrs={"step": Decimal("0.01"), "min": 0}), Decimal("1234.50")),
            (forms.NumberInput(), 0),
            (forms.DateInput(attrs={"type": "date"}), datetime.date(2026, 12, 7)),
            (forms.DateTimeInput(), datetime.datetime(2026, 12, 7, 8, 9, tzinfo=datetime.UTC)),
            (forms.TimeInput(), datetime.time(8, 9)),
            (forms.EmailInput(), "a&b@example.com"),
            (forms.URLInput(), "https://example.com/?a=1&b=<2>"),
            (forms.PasswordInput(), "secret"),
            (forms.PasswordInput(render_value=True), "secret"),
            (forms.HiddenInput(), 42),
            (forms.CheckboxInput(), True),
            (forms.CheckboxInput(), False),
            (forms.CheckboxInput(attrs={"class": "form-check-input"}), "on"),
            (forms.FileInput(), None),
            (forms.TextInput(attrs={"data-x": lambda: "called"}), "x"),  # a callable: the templates call it
            (forms.Textarea(), "not an input"),  # another template: the templates
        ]
        for language in ("en", "zh-hans"):
            with translation.override(language):
                for widget, value in cases:
                    for extra in (None, {"id": "id_x", "aria-invalid": "true"}):
                        ours = widget.render("x<", value, extra, renderer=FormRenderer())
                        theirs = widget.render("x<", value, extra, renderer=DjangoTemplates())
                        self.assertEqual(ours, theirs, (language, widget, value))
        self.assertIn("django/forms/widgets/text.html", INPUT_TEMPLATES)
        self.assertNotIn("django/forms/widgets/textarea.html", INPUT_TEMPLATES)


class AreaNumberTests(SimpleTestCase):
    def test_two_places_grouped_as_django_groups_them_in_every_language(self):
        from decimal import Decimal

        from django.utils.formats import number_format

        from parkos.core.units import two_places_grouped

        values = [Decimal(text) for text in ("0.00", "-0.00", "0.01", "-0.01", "999.99", "1000.00", "-1234.50")]
        values += [Decimal("1234567.89"), Decimal("12345678901234.56"), Decimal("1.5"), Decimal("7"), 12, 3.25]
        for language in ("en", "zh-hans", "de", "fr"):
            with translation.override(language):
                for value in values:
                    self.assertEqual(
                        two_places_grouped(value),
                        number_format(value, decimal_pos=2, force_grouping=True),
                        (language, value),
                    )
        with translation.override("en"):
            self.assertEqual(two_places_grouped(Decimal("-0.00")), "0.00")
            self.assertEqual(two_places_grouped(Decimal("1234567.89")), "1,234,567.89")
        with translation.override("de"):
            self.assertEqual(two_places_grouped(Decimal("1234567.89")), "1.234.567,89")


class TranslateTagTests(SimpleTestCase):
    """``core.translating.render_translate`` writes what Django's ``{% translate %}`` writes."""

    SOURCES = (
        '{% translate "Search" %}',
        '{% trans "Projects" %}',
        "{% translate 'Planned investment' %}",
        '{% translate "100% sure & <b>bold</b>" %}',
        '{% translate "50%% off" %}',
        '{% translate "" %}',
        '{% translate "Search" as word %}[{{ word }}]',
        '{% translate "Search" noop %}',
        '{% translate "May" context "month name" %}',
        '{% translate "search"|upper %}',
        "{% translate value %}",
        '{% autoescape off %}{% translate "<i>Search</i>" %}{% endautoescape %}',
    )

    def test_every_form_of_the_tag_reads_as_django_wrote_it(self):
        from django.templatetags.i18n import TranslateNode

        from parkos.core import translating

        self.assertIs(TranslateNode.render, translating.render_translate)
        for language in ("en", "zh-hans"):
            with translation.override(language):
                for source in self.SOURCES:
                    template = Template("{% load i18n %}" + source)
                    context = {"value": "Search <x>"}
                    ours = template.render(Context(context))
                    try:
                        TranslateNode.render = translating._DJANGO_RENDER
                        theirs = template.render(Context(context))
                    finally:
                        translating.install()
                    self.assertEqual(ours, theirs, (language, source))
        with translation.override("zh-hans"):
            self.assertNotEqual(Template('{% load i18n %}{% translate "Search" %}').render(Context()), "Search")
