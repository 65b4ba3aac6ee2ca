"""Issue 16: table cells without a template per date cell and without ``inspect.signature`` per cell, and the
same HTML as django-tables2's own columns."""

import datetime

import django_tables2 as tables
from django.test import SimpleTestCase
from django.utils import translation
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
