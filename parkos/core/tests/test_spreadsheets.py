"""Exports for people and imports that read them back: typed XLSX cells, translated headers, units, labels."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import tablib
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from parkos.core.resources import export_bytes, load_dataset
from parkos.core.spreadsheets import sheet_title
from parkos.core.testing import World
from parkos.leasing.models import Lease
from parkos.leasing.resources import LeaseResource
from parkos.leasing.tests.test_views import lease_for


def workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]


class XlsxExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.admin = cls.world.users["operator_admin"]
        cls.lease = lease_for(
            cls.world, "in", deposit_amount=Decimal("123456.78"), rent_basis="m2_day", reference="ZL-001"
        )

    def setUp(self):
        self.client.force_login(self.admin)

    def export(self, fmt="xlsx", language="zh-hans"):
        response = self.client.get(
            reverse("leasing:lease_list") + f"?export={fmt}", headers={"accept-language": language}
        )
        self.assertEqual(response.status_code, 200)
        return response.content

    def row_of(self, sheet, header):
        headers = [c.value for c in sheet[1]]
        return {h: c for h, c in zip(headers, sheet[2], strict=True)}[header]

    def test_xlsx_has_a_named_sheet_a_frozen_header_and_widths(self):
        sheet = workbook(self.export())
        with translation.override("zh-hans"):
            self.assertEqual(sheet.title, str(Lease._meta.verbose_name_plural)[:31])
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertTrue(sheet[1][0].font.bold)
        self.assertGreater(sheet.column_dimensions["B"].width, 8)

    def test_headers_are_translated_and_choices_are_labels(self):
        sheet = workbook(self.export())
        headers = [c.value for c in sheet[1]]
        with translation.override("zh-hans"):
            rent_basis = str(Lease._meta.get_field("rent_basis").verbose_name)
            label = str(dict(Lease._meta.get_field("rent_basis").flatchoices)["m2_day"])
        self.assertIn(rent_basis, headers)
        self.assertNotIn("rent_basis", headers)
        self.assertEqual(self.row_of(sheet, rent_basis).value, label)
        self.assertNotEqual(label, "m2_day")

    def test_money_is_a_number_in_the_users_unit_named_in_the_header(self):
        sheet = workbook(self.export())
        with translation.override("zh-hans"):
            deposit = str(Lease._meta.get_field("deposit_amount").verbose_name)
        cell = self.row_of(sheet, f"{deposit}(万元)")
        self.assertEqual(cell.data_type, "n")
        self.assertAlmostEqual(float(cell.value), 12.345678)
        self.assertIn("#,##0.00", cell.number_format)
        english = workbook(self.export(language="en"))
        self.assertAlmostEqual(float(self.row_of(english, "Deposit (yuan)").value), 123456.78)

    def test_dates_are_dates_and_numbers_are_numbers(self):
        sheet = workbook(self.export(language="en"))
        start = self.row_of(sheet, "Start date")
        self.assertEqual(start.value.date(), datetime.date(2026, 1, 1))
        self.assertEqual(start.number_format, "yyyy-mm-dd")
        area = self.row_of(sheet, "Leased area (m²)")
        self.assertEqual(area.data_type, "n")
        self.assertEqual(self.row_of(sheet, "ID").value, self.lease.pk)

    def test_csv_neutralises_formulas_and_reads_as_people_do(self):
        self.world.org["in"].name = "=HYPERLINK(1)"
        self.world.org["in"].save()
        text = self.export("csv", language="en").decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        self.assertEqual(rows[0]["Tenant"], "'=HYPERLINK(1)")
        self.assertEqual(rows[0]["Deposit (yuan)"], "123456.78")

    def test_queries_do_not_grow_with_rows(self):
        resource = LeaseResource(user=self.admin)
        export_bytes(resource, Lease.objects.restrict(self.admin), "xlsx")  # the user's permissions, cached
        with CaptureQueriesContext(connection) as one:
            export_bytes(resource, Lease.objects.restrict(self.admin), "xlsx")
        for _ in range(3):
            lease_for(self.world, "in")
        with CaptureQueriesContext(connection) as four:
            export_bytes(resource, Lease.objects.restrict(self.admin), "xlsx")
        self.assertEqual(len(one), len(four))
        self.assertLessEqual(len(four), 3)

    def test_the_export_imports_back_unchanged_in_either_language(self):
        for language in ("zh-hans", "en"):
            with self.subTest(language=language), translation.override(language):
                content = self.export(language=language)
                report = LeaseResource(user=self.admin).import_dataset(
                    load_dataset(content, "leases.xlsx"), dry_run=True
                )
                self.assertTrue(report.ok, report.errors)
                self.assertEqual((report.new, report.updated, report.skipped), (0, 0, 1))


class SheetTitleTests(TestCase):
    def test_forbidden_characters_and_length(self):
        self.assertEqual(sheet_title("a/b[c]:d*e?f\\g"), "a b c  d e f g")
        self.assertEqual(len(sheet_title("x" * 40)), 31)
        self.assertEqual(sheet_title("///"), "Sheet1")


class UnknownColumnTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.admin = cls.world.users["operator_admin"]

    def test_a_column_the_model_does_not_have_is_an_error_naming_it(self):
        data = tablib.Dataset(headers=["reference", "tenant", "colour"])
        data.append(["X", "Org in Ltd", "red"])
        report = LeaseResource(user=self.admin).import_dataset(data, dry_run=True)
        self.assertFalse(report.ok)
        self.assertEqual(report.errors[0].field, "colour")
        self.assertIn("colour", report.errors[0].message)

    def test_money_in_ten_thousand_yuan_is_scaled_back(self):
        lease = lease_for(self.world, "in", reference="ZL-W")
        data = tablib.Dataset(headers=["id", "押金(万元)"])
        data.append([lease.pk, "1.5"])
        report = LeaseResource(user=self.admin).import_dataset(data, dry_run=False)
        self.assertTrue(report.ok, report.errors)
        lease.refresh_from_db()
        self.assertEqual(lease.deposit_amount, Decimal("15000.00"))


class TemplateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.admin = cls.world.users["operator_admin"]
        lease_for(cls.world, "in")

    def setUp(self):
        self.client.force_login(self.admin)

    def test_import_page_links_the_template_which_has_examples_and_drop_downs(self):
        page = self.client.get(reverse("leasing:lease_import"), headers={"accept-language": "zh-hans"})
        template_url = reverse("leasing:lease_import") + "?template=xlsx"
        self.assertContains(page, f'href="{template_url}"')
        response = self.client.get(template_url, headers={"accept-language": "zh-hans"})
        self.assertEqual(response.status_code, 200)
        sheet = workbook(response.content)
        headers = [c.value for c in sheet[1]]
        with translation.override("zh-hans"):
            status = str(Lease._meta.get_field("status").verbose_name)
            labels = {str(label) for _v, label in Lease._meta.get_field("status").flatchoices}
        self.assertIn(status, headers)
        self.assertEqual(sheet.max_row, 3, "a header and two example rows")
        self.assertIn(sheet.cell(2, headers.index(status) + 1).value, labels)
        self.assertIsNone(sheet.cell(2, headers.index("ID") + 1).value, "examples are new records")
        lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
        self.assertTrue(any(all(label in v.formula1 for label in labels) for v in lists))

    def test_every_models_template_reads_back_in_either_language(self):
        from parkos.core.resources import registered_labels, resource_for, template_bytes
        from parkos.core.spreadsheets import canonical_dataset

        for label in registered_labels():
            if not resource_for(label).importable:
                continue
            for language in ("zh-hans", "en"):
                with self.subTest(model=label, language=language), translation.override(language):
                    resource = resource_for(label)(user=self.admin)
                    dataset = load_dataset(template_bytes(resource), "t.xlsx")
                    _data, problems = canonical_dataset(resource, dataset)
                    self.assertEqual(problems, [])
                    self.assertEqual(len(dataset), 2)


class RoundTripCoverageTests(TestCase):
    def test_every_importable_resource_runs_the_round_trip_test(self):
        """StandardModelTests.test_export_edit_import_changes_only_what_was_edited runs once per model suite:
        every registered resource that imports must have one."""
        from parkos.core.resources import registered_labels, resource_for
        from parkos.core.tests.test_standard_coverage import standard_suites

        suites = standard_suites()
        for label in registered_labels():
            resource = resource_for(label)
            if resource.importable:
                self.assertIn(resource._meta.model, suites, f"{label} imports but has no standard suite")
