"""Issue 16: table cells without a template per date cell, without ``inspect.signature`` or a choices map per
cell, and the same HTML as django-tables2's own columns and rows."""

import datetime
from unittest import mock

import django_tables2 as tables
from django.test import SimpleTestCase
from django.utils import translation
from django.utils.html import format_html
from django_tables2 import utils as tables_utils
from django_tables2.columns.datecolumn import DateColumn as TemplateDateColumn

from parkos.core import tables as core_tables
from parkos.parks.tables import LandParcelTable


class Row:
    def __init__(self, day):
        self.day = day


class Ours(tables.Table):
    day = core_tables.DateColumn(default="—")
    long = core_tables.DateColumn(accessor="day", short=False, default="—")
    iso = core_tables.DateColumn(accessor="day", format="Y-m-d", default="—")


class Theirs(tables.Table):
    day = TemplateDateColumn(default="—")
    long = TemplateDateColumn(accessor="day", short=False, default="—")
    iso = TemplateDateColumn(accessor="day", format="Y-m-d", default="—")


class TableCellTests(SimpleTestCase):
    def cells(self, table_class):
        rows = [Row(datetime.date(2026, 12, 7)), Row(None), Row(datetime.date(2025, 1, 31))]
        return [[str(cell) for cell in row] for row in table_class(rows).rows]

    def test_dates_read_as_django_tables2_wrote_them_in_every_language(self):
        for language in ("en", "zh-hans"):
            with translation.override(language):
                self.assertEqual(self.cells(Ours), self.cells(Theirs), language)
        with translation.override("en"):
            self.assertEqual(self.cells(Ours)[1], ["—", "—", "—"])
            self.assertEqual(self.cells(Ours)[0][2], "2026-12-07")

    def test_a_model_date_field_gets_the_column_without_a_template(self):
        granted = LandParcelTable.base_columns["granted"]  # LandParcel.granted, a DateField
        self.assertIsInstance(granted, core_tables.DateColumn)
        self.assertEqual(granted.template_code.count("date"), 1)  # still the same format for exports and subclasses

    def test_signatures_are_cached_by_code_and_stay_right(self):
        def render(value, record):
            return value

        def wants_all(value, **kwargs):
            return value

        self.assertIs(tables_utils.signature, core_tables._signature_by_code)
        self.assertEqual(tables_utils.signature(render), (("value", "record"), None))
        self.assertEqual(tables_utils.signature(wants_all), (("value",), "kwargs"))
        column = core_tables.AreaColumn()
        self.assertEqual(tables_utils.signature(column.render), (("value", "table", "record", "bound_column"), None))
        self.assertIn((render.__code__, False), core_tables._signatures)
        self.assertIn((core_tables.AreaColumn.render.__code__, True), core_tables._signatures)


class BuildingRows:
    """Two buildings (not saved) and a table of their choices, relations, methods and defaults."""

    def rows(self):
        from parkos.parks.models import Building, LandParcel, Park

        park = Park(pk=7, code="P1", name="Park <one>")
        with_holder = LandParcel(pk=1, code="A-1", park=park, land_use="commercial", status="idle")
        no_holder = LandParcel(pk=2, code="A-2", park=park, land_use="bogus-legacy")  # a value not in the choices
        return [
            Building(pk=1, code="B1", name="Hall", use="plant", parcel=with_holder),
            Building(pk=2, code="B2", name="", use="office", parcel=no_holder),
        ]

    def table_class(self):
        from parkos.parks.models import Building

        class Cells(core_tables.PrimaryTable):
            code = tables.Column(linkify=lambda record: f"/b/{record.pk}/")
            use = tables.Column()  # a choice of the row
            land_use = tables.Column(accessor="parcel__land_use")  # a choice across a relation
            holder = tables.Column(accessor="parcel__holder__name", default="none")  # None half way
            park = tables.Column(accessor="parcel__park__name")
            shown = tables.Column(accessor="get_use_display")  # a method, called
            missing = tables.Column(accessor="no_such_thing", default="?")
            name = tables.Column(default="—")
            parcel = tables.Column(linkify=True)  # the parcel's page
            title = tables.Column(accessor="name", linkify=True, default="—")  # a text: the row's own page
            parcel_code = tables.Column(accessor="parcel__code", linkify={"viewname": "parks:landparcel", "args": [1]})

            class Meta(core_tables.PrimaryTable.Meta):
                model = Building
                fields = ()

        return Cells


class CellsWithoutPerCellLookupsTests(BuildingRows, SimpleTestCase):
    """``core.tables.CoreBoundRow`` gives every cell and every export value django-tables2's own row gives."""

    def test_the_same_cells_and_values_as_django_tables2s_rows(self):
        table_class = self.table_class()
        for language in ("en", "zh-hans"):
            with translation.override(language):
                ours = table_class(self.rows(), paginate=False)
                theirs = table_class(self.rows(), paginate=False)
                theirs.rows = tables.rows.BoundRows(data=theirs.data, table=theirs)
                self.assertIsInstance(ours.rows, core_tables.CoreBoundRows)
                cells = [[str(cell) for _column, cell in row.items()] for row in ours.rows]
                self.assertEqual(cells, [[str(cell) for _column, cell in row.items()] for row in theirs.rows])
                self.assertEqual(list(ours.as_values()), list(theirs.as_values()))
                self.assertEqual(cells, [[str(cell) for cell in row] for row in ours.paginated_rows])
        with translation.override("zh-hans"):
            first, second = [[str(cell) for _column, cell in row.items()] for row in table_class(self.rows()).rows]
        self.assertEqual(first[1:6], ["工业厂房", "商业办公用地", "none", "Park <one>", "工业厂房"])
        self.assertEqual(second[2], "bogus-legacy")  # a stored value outside the choices reads as stored
        self.assertEqual(first[0], '<a href="/b/1/">B1</a>')
        self.assertEqual(second[7], "—")
        self.assertEqual(
            first[8:],
            [
                '<a href="/parks/parcels/1/">Park &lt;one&gt; A-1</a>',  # the parcel's str, escaped
                '<a href="/parks/buildings/1/">Hall</a>',
                '<a href="/parks/parcels/1/">A-1</a>',
            ],
        )
        self.assertEqual(second[9], "—")  # an empty cell shows the default, unlinked

    def test_one_table_read_in_two_languages_reads_each(self):
        """Choice labels and URL patterns are kept for one pass over the rows: a second pass in another language
        reads that language."""
        table_class = self.table_class()
        table = table_class(self.rows(), paginate=False)
        passes = {}
        for language in ("en", "zh-hans", "en"):
            with translation.override(language):
                cells = [[str(cell) for _column, cell in row.items()] for row in table.rows]
                fresh = [[str(cell) for _column, cell in row.items()] for row in table_class(self.rows()).rows]
                self.assertEqual(cells, fresh, language)
                passes[language] = cells
        self.assertNotEqual(passes["en"][0][1], passes["zh-hans"][0][1])

    def test_a_link_to_a_model_with_its_own_url_uses_it(self):
        from parkos.parks.models import Building

        class Linked(core_tables.PrimaryTable):
            code = tables.Column(linkify=True)

            class Meta(core_tables.PrimaryTable.Meta):
                model = Building
                fields = ()

        building = Building(pk=3, code="C<3>")
        (row,) = Linked([building], paginate=False).rows
        self.assertEqual([str(cell) for _column, cell in row.items()], ['<a href="/parks/buildings/3/">C&lt;3&gt;</a>'])
        with mock.patch.object(Building, "get_absolute_url", lambda self: f"/own/<{self.pk}>/"):
            (row,) = Linked([building], paginate=False).rows
            self.assertEqual([str(cell) for _column, cell in row.items()], ['<a href="/own/&lt;3&gt;/">C&lt;3&gt;</a>'])

    def test_a_model_that_writes_its_own_display_method_keeps_it(self):
        from parkos.investment.models import Commitment
        from parkos.parks.models import Building

        self.assertIs(core_tables._generated_display(Building, "use"), Building._meta.get_field("use"))
        self.assertIs(core_tables._generated_display(Commitment, "measure_source"), core_tables._NOT_GENERATED)
        self.assertIsNone(core_tables._generated_display(Building, "name"))


OLD_ROWS_LOOP = (
    "{% load i18n %}{% for row in table.paginated_rows %}\n    <tr>{% if table.bulk_form %}"
    '<td class="bulk-cell d-print-none"><input class="form-check-input m-0" type="checkbox" name="pk" '
    'value="{{ row.record.pk }}" form="{{ table.bulk_form }}" data-bulk-row '
    "aria-label=\"{% translate 'Select row' %}\"></td>{% endif %}"
    "{% for column, cell in row.items %}<td{% if column.name in table.narrow_hidden %} "
    'class="d-none d-md-table-cell d-print-table-cell"{% endif %}>{{ cell }}</td>{% endfor %}</tr>\n    {% endfor %}'
)


class RowsWithoutATemplateLoopTests(BuildingRows, SimpleTestCase):
    """``core.tables.render_rows`` writes the rows core/table.html's template loop wrote."""

    def test_rows_read_as_the_template_loop_wrote_them(self):
        from django.template import Context, Template

        table_class = self.table_class()
        table_class.low_priority = ("park", "name")
        table_class.render_name = lambda self, value: 12345 if value == "Hall" else format_html("<i>{}</i>", value)
        for language in ("en", "zh-hans"):
            with translation.override(language):
                for bulk_form in ("", "bulk-form"):
                    table = table_class(self.rows(), paginate=False)
                    table.bulk_form = bulk_form
                    ours = core_tables.render_rows(table, Context({"table": table}))
                    theirs = Template(OLD_ROWS_LOOP).render(Context({"table": table}))
                    self.assertEqual(ours, theirs, f"{language} {bulk_form}")
                    self.assertEqual(ours.count("<tr>"), 2)
                    self.assertEqual(ours.count("d-print-table-cell"), 4)
                    self.assertEqual(ours.count("data-bulk-row"), 2 if bulk_form else 0)

    def test_rows_of_dicts_read_as_the_template_loop_wrote_them(self):
        from django.template import Context, Template

        class Plain(core_tables.EstimatedCountTable):
            name = tables.Column()
            count = tables.Column(default="—")

        for data in ([{"pk": 3, "name": "<a>", "count": 1234}, {"name": "b", "count": None}], []):
            table = Plain(data)
            table.bulk_form = "bulk-form"
            ours = core_tables.render_rows(table, Context({"table": table}))
            self.assertEqual(ours, Template(OLD_ROWS_LOOP).render(Context({"table": table})))
        self.assertEqual(ours, "")
