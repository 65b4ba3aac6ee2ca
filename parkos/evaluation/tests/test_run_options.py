"""Issue 19 end to end: previous-year benchmarks recorded per run, not-evaluated lists, production start, and the
benchmarks on the run's page, in the API and in the export."""

from __future__ import annotations

import datetime

from django.test import TestCase
from django.urls import reverse

from parkos.evaluation.models import EvaluationResult, EvaluationRun, EvaluationScheme, IndicatorFiling
from parkos.evaluation.scheme import default_schemes
from parkos.evaluation.services import filings_frame, run_evaluation
from parkos.evaluation.tests import test_services


def variant(**changes) -> EvaluationScheme:
    """The default above-threshold scheme, version 2: tax per mu benchmarked on the previous year's run
    (this year's when there is none), value added per mu on the previous year's filings' median (likewise), and
    enterprises less than three years in production not evaluated."""
    definition = default_schemes()["zhejiang_above_threshold"].to_dict()
    definition["version"] = 2
    definition["indicators"][0]["benchmark"] = {
        "kind": "mean",
        "basis": "previous_year_run",
        "if_no_previous": "current_year",
    }
    definition["indicators"][1]["benchmark"] = {
        "kind": "median",
        "basis": "previous_year_filings",
        "if_no_previous": "current_year",
    }
    definition["not_evaluated"] = [
        {
            "key": "new_production",
            "label": "In production under 3 years",
            "first_years": 3,
            "since_field": "production_start",
        }
    ]
    definition.update(changes)
    scheme = EvaluationScheme(definition=definition)
    scheme.full_clean()
    scheme.save()
    return scheme


class PreviousYearRunTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        test_services.RunTests.setUpTestData.__func__(cls)
        # Maker 0 started production one day short of three years before 31 December 2024
        IndicatorFiling.objects.filter(organization=cls.orgs[0], year=2024).update(
            production_start=datetime.date(2022, 1, 1)
        )
        # Maker 1 filed no start and was founded in 2023: the founding date stands in, and the result says so
        cls.orgs[1].established = datetime.date(2023, 3, 1)
        cls.orgs[1].save()
        cls.scheme = variant()

    def test_benchmarks_come_from_the_previous_years_run_and_filings_and_are_recorded(self):
        first = run_evaluation(scheme=self.scheme, year=2023, user=self.user)
        self.assertEqual(first.status, EvaluationRun.Status.DONE, first.error)
        self.assertEqual(first.benchmark_sources["run"], {"year": 2022, "id": None, "results": 0})
        fallback = first.benchmarks.get(indicator="tax_per_mu")
        self.assertEqual((fallback.basis, fallback.fallback, fallback.year), ("previous_year_run", True, 2023))

        second = run_evaluation(scheme=self.scheme, year=2024, user=self.user)
        self.assertEqual(second.status, EvaluationRun.Status.DONE, second.error)
        self.assertEqual(second.benchmark_sources["run"]["id"], first.pk)
        self.assertEqual(second.benchmark_sources["filings"], {"year": 2023, "count": 6})
        tax = second.benchmarks.get(indicator="tax_per_mu")
        pooled = EvaluationResult.objects.filter(run=first, status__in=["graded", "vetoed"])
        values = [r.indicators["tax_per_mu"]["value"] for r in pooled]
        self.assertAlmostEqual(tax.value, sum(values) / len(values))
        self.assertEqual((tax.year, tax.source_run_id, tax.fallback), (2023, first.pk, False))
        median = second.benchmarks.get(indicator="value_added_per_mu")
        self.assertEqual(
            (median.kind, median.basis, median.year, median.source_run_id),
            ("median", "previous_year_filings", 2023, None),
        )
        fixed = second.benchmarks.get(indicator="rd_share")
        self.assertEqual((fixed.kind, fixed.value, fixed.year), ("fixed", 0.0302, 2024))

        results = {r.organization_id: r for r in EvaluationResult.objects.filter(run=second)}
        new = results[self.orgs[0].pk]
        self.assertEqual(
            (new.status, new.reason, new.total, new.rank, new.grade),
            ("not_evaluated", "new_production", None, None, ""),
        )
        self.assertEqual(new.details, {"production_start": "2022-01-01", "production_start_fallback": False})
        founded = results[self.orgs[1].pk]
        self.assertEqual(founded.status, "not_evaluated")
        self.assertEqual(founded.details, {"production_start": "2023-03-01", "production_start_fallback": True})
        self.assertEqual(results[self.orgs[2].pk].details["production_start_fallback"], False)

        # readable per run: page, API and export
        self.client.force_login(self.user)
        page = self.client.get(second.get_absolute_url())
        self.assertContains(page, 'id="run-benchmarks"')
        self.assertContains(page, f"run #{first.pk} of 2023")
        self.assertContains(page, 'id="not-evaluated"')
        self.assertContains(page, "In production under 3 years")
        api = self.client.get(reverse("evaluation-api:evaluationrun-benchmarks", args=[second.pk]))
        self.assertEqual(api.status_code, 200)
        rows = {(row["indicator"], row["role"]): row for row in api.json()}
        self.assertEqual(rows[("tax_per_mu", "benchmark")]["source_run"], first.pk)
        export = self.client.get(reverse("evaluation:evaluationrun_benchmarks", args=[second.pk]))
        self.assertEqual(export.status_code, 200)
        self.assertTrue(export.content.startswith(b"PK"))
        detail = self.client.get(EvaluationResult.objects.get(run=second, organization=self.orgs[1]).get_absolute_url())
        self.assertContains(detail, "2023-03-01")

    def test_an_empty_previous_year_fails_the_run_with_the_reason(self):
        strict = variant(version=3)
        definition = dict(strict.definition)
        definition["indicators"][0]["benchmark"] = {"kind": "mean", "basis": "previous_year_run"}
        strict.definition = definition
        strict.full_clean()
        strict.save()
        with self.assertRaisesMessage(Exception, "previous year's finished run, and there is none"):
            run_evaluation(scheme=strict, year=2024, user=self.user)
        run = EvaluationRun.objects.get(scheme=strict)
        self.assertEqual(run.status, EvaluationRun.Status.FAILED)
        self.assertIn("if_no_previous", run.error)

    def test_the_filing_frame_carries_production_start_and_the_founding_date(self):
        frame = filings_frame(2024)
        self.assertIn("production_start", frame.columns)
        self.assertIn("founded", frame.columns)
