"""Source layouts: units named in headers are read and scaled, a column the layout does not know is an error."""

from decimal import Decimal
from pathlib import Path

import tablib
from django.conf import settings
from django.test import TestCase

from parkos.core.testing import World
from parkos.evaluation.layouts import LAYOUTS, layouts_markdown, match_headers
from parkos.evaluation.models import IndicatorFiling
from parkos.evaluation.services import filings_import
from parkos.evaluation.tests.helpers import credit_code, give_credit_codes

DOCS = Path(settings.PROJECT_DIR) / "docs" / "imports.md"


class HeaderUnitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        give_credit_codes(cls.world)
        cls.officer = cls.world.users["evaluation_officer"]
        cls.code = credit_code(1)

    def load(self, layout, headers, *values):
        data = tablib.Dataset([self.code, 2024, *values], headers=["统一社会信用代码", "年度", *headers])
        return filings_import(layout=layout, dataset=data, user=self.officer)

    def test_statistics_file_in_ten_thousand_yuan_is_scaled_into_yuan(self):
        # the file that imported "1 row: 1 new" and left revenue and value added empty
        report = self.load("statistics", ["企业名称", "营业收入(万元)", "工业增加值（万元）"], "某公司", "1234.5", "88")
        self.assertTrue(report.ok, report.errors)
        filing = IndicatorFiling.objects.get()
        self.assertEqual(filing.revenue, Decimal("12345000.00"))
        self.assertEqual(filing.value_added, Decimal("880000.00"))

    def test_every_unit_of_each_quantity_is_read(self):
        cases = [
            ("tax", "税收合计(亿元)", "1.5", "tax", Decimal("150000000.00")),
            ("tax", "税收合计(元)", "7", "tax", Decimal("7.00")),
            ("power", "用电量(万千瓦时)", "3.5", "electricity_kwh", Decimal("35000")),
            ("power", "用电量(kWh)", "12", "electricity_kwh", Decimal("12")),
            ("land", "用地面积(亩)", "15", "land_area", Decimal("10000.00")),
            ("land", "用地面积(m²)", "15", "land_area", Decimal("15.00")),
            ("statistics", "综合能耗(tce)", "2.5", "energy_tce", Decimal("2.5")),
            ("environment", "主要污染物排放量(kg)", "2500", "emissions_t", Decimal("2.5")),
        ]
        for layout, header, value, field, expected in cases:
            with self.subTest(header=header):
                IndicatorFiling.objects.all().delete()
                report = self.load(layout, [header], value)
                self.assertTrue(report.ok, report.errors)
                self.assertEqual(getattr(IndicatorFiling.objects.get(), field), expected)

    def test_a_column_the_layout_does_not_know_is_an_error_naming_it(self):
        report = self.load("statistics", ["营业收入(万元)", "备注"], "10", "x")
        self.assertFalse(report.ok)
        self.assertIn("备注", " ".join(e.message for e in report.errors))
        self.assertFalse(IndicatorFiling.objects.exists())

    def test_a_column_of_another_layout_is_an_error_naming_it(self):
        report = self.load("tax", ["税收合计", "营业收入(万元)"], "10", "20")
        self.assertFalse(report.ok)
        self.assertIn("营业收入(万元)", report.errors[0].message)

    def test_a_unit_that_does_not_fit_the_column_is_an_error(self):
        for header in ("营业收入(亩)", "营业收入(美元)"):
            with self.subTest(header=header):
                report = self.load("statistics", [header], "10")
                self.assertFalse(report.ok)
                self.assertIn(header, report.errors[0].message)
                self.assertIn("万元", report.errors[0].message)

    def test_two_columns_for_one_field_are_an_error(self):
        report = self.load("land", ["用地面积(亩)", "用地面积(平方米)"], "15", "10000")
        self.assertFalse(report.ok)
        self.assertIn("用地面积(亩)", report.errors[0].message)

    def test_every_layout_column_reads_its_stored_unit_and_each_of_its_units(self):
        for layout in LAYOUTS.values():
            headers = ["统一社会信用代码", "年度"]
            for column in layout.columns:
                for header in column.headers:
                    with self.subTest(layout=layout.key, header=header):
                        _identity, found, errors = match_headers(layout, [*headers, header])
                        self.assertEqual(errors, [])
                        self.assertEqual([m.column for m in found], [column])


class LayoutDocsTests(TestCase):
    def test_docs_list_every_layouts_headers_and_units(self):
        text = DOCS.read_text(encoding="utf-8")
        self.assertIn(
            layouts_markdown(),
            text,
            "docs/imports.md is out of date: paste parkos.evaluation.layouts.layouts_markdown() into it",
        )
