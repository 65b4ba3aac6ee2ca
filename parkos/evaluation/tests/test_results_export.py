"""A run's results exported per run: from its page, the API and `parkos evaluate --export`, in the user's scope."""

import csv
import io
import tempfile
from pathlib import Path

import openpyxl
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from parkos.core.resources import registered_labels, resource_for
from parkos.evaluation.services import run_evaluation
from parkos.evaluation.tests import test_services


class RunResultsExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        test_services.RunTests.setUpTestData.__func__(cls)
        cls.evaluation = run_evaluation(scheme=cls.scheme, year=2024, user=cls.user)
        cls.admin = cls.world.users["operator_admin"]

    def setUp(self):
        self.client.force_login(self.user)

    def test_run_page_links_both_files(self):
        page = self.client.get(self.evaluation.get_absolute_url())
        for fmt in ("xlsx", "csv"):
            url = reverse("evaluation:evaluationrun_results_export", args=[self.evaluation.pk, fmt])
            self.assertContains(page, url)

    def test_xlsx_holds_the_officers_results_with_indicator_scores(self):
        url = reverse("evaluation:evaluationrun_results_export", args=[self.evaluation.pk, "xlsx"])
        response = self.client.get(url, headers={"accept-language": "zh-hans"})
        self.assertEqual(response.status_code, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
        headers = [c.value for c in sheet[1]]
        codes = {row[headers.index("企业")] for row in sheet.iter_rows(min_row=2, values_only=True)}
        self.assertEqual(codes, {o.credit_code for o in self.orgs[:4]}, "only the officer's park")
        score = next(i for i, h in enumerate(headers) if str(h).endswith("得分") or str(h).endswith(": score"))
        self.assertIsInstance(sheet.cell(2, score + 1).value, float)
        self.assertEqual(sheet.freeze_panes, "A2")

    def test_queries_do_not_grow_with_results(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        url = reverse("evaluation:evaluationrun_results_export", args=[self.evaluation.pk, "xlsx"])
        self.client.get(url)  # the user's permissions, cached
        with CaptureQueriesContext(connection) as queries:
            self.client.get(url)
        self.assertLessEqual(len(queries), 12, [q["sql"][:120] for q in queries])

    def test_csv_and_unknown_format(self):
        url = reverse("evaluation:evaluationrun_results_export", args=[self.evaluation.pk, "csv"])
        rows = list(csv.reader(io.StringIO(self.client.get(url).content.decode("utf-8-sig"))))
        self.assertEqual(len(rows), 5)
        bad = reverse("evaluation:evaluationrun_results_export", args=[self.evaluation.pk, "pdf"])
        self.assertEqual(self.client.get(bad).status_code, 404)

    def test_api_export(self):
        api = APIClient()
        api.force_authenticate(self.user)
        url = reverse("evaluation-api:evaluationrun-results-export", args=[self.evaluation.pk])
        response = api.get(url, {"as": "csv"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.content.decode("utf-8-sig").strip().splitlines()), 5)
        self.assertTrue(api.get(url).content.startswith(b"PK"))
        self.assertEqual(api.get(url, {"as": "doc"}).status_code, 404)

    def test_evaluate_command_writes_the_results(self):
        path = Path(tempfile.mkdtemp()) / "results.xlsx"
        out = io.StringIO()
        call_command(
            "evaluate",
            *("--scheme", self.scheme.name, "--year", "2024", "--user", "operator_admin"),
            *("--export", str(path)),
            stdout=out,
            verbosity=0,
        )
        self.assertIn("Wrote the results", out.getvalue())
        sheet = openpyxl.load_workbook(path).worksheets[0]
        self.assertEqual(sheet.max_row, 7)  # the operator's administrator sees all six enterprises
        with self.assertRaises(CommandError):
            call_command("evaluate", "--scheme", self.scheme.name, "--year", "2024", "--export", "x.pdf")

    def test_parkos_export_lists_results_and_import_refuses_them(self):
        self.assertIn("evaluation.evaluationresult", registered_labels())
        self.assertFalse(resource_for("evaluationresult").importable)
        out = io.BytesIO()
        path = Path(tempfile.mkdtemp()) / "all.csv"
        call_command("export", "evaluationresult", "-o", str(path), "--user", "operator_admin", stderr=io.StringIO())
        self.assertEqual(len(path.read_text(encoding="utf-8-sig").strip().splitlines()), 7)
        with self.assertRaises(CommandError):
            call_command("import", "evaluationresult", str(path), "--user", "operator_admin", stdout=out)
