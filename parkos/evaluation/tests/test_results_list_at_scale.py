"""Issue 16: the results list does not grow with the runs kept, and counts what it must count exactly.

Every run is kept, so a Run select of all of them grew with the years (442 runs: 99 KB of HTML, 114,000 Python
calls). It offers the latest ``RUN_CHOICES`` runs and the chosen one; any run the user sees still filters by URL.
Results are estimated like organizations (``estimate_filtered_count``) but one run's results, which lie together
in id order (a sample is far off for them), are counted exactly.
"""

import re
from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parkos.core.testing import World
from parkos.evaluation import filtersets, tables
from parkos.evaluation.models import EvaluationResult, EvaluationRun
from parkos.evaluation.tests.helpers import load_scheme

URL = reverse("evaluation:evaluationresult_list")


def run_options(html: str) -> list[int]:
    """The run ids the page's Run select offers."""
    select = re.search(r'<select name="run".*?</select>', html, re.S)
    assert select is not None
    return [int(pk) for pk in re.findall(r'<option value="(\d+)"', select.group(0))]


class ResultsOfRuns(TestCase):
    """Three runs of one scheme, a result each (its grade tells the run's year)."""

    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.scheme = load_scheme()
        cls.runs = [cls.add_run(2000 + i) for i in range(3)]

    @classmethod
    def add_run(cls, year):
        run = EvaluationRun.objects.create(scheme=cls.scheme, year=year, status=EvaluationRun.Status.DONE)
        EvaluationResult.objects.create(
            run=run,
            organization=cls.world.org["in"],
            park=cls.world.park["in"],
            cohort="above_threshold",
            status=EvaluationResult.Status.GRADED,
            total=80.0,
            rank=1,
            cohort_size=1,
            grade=f"G{year}",
        )
        return run


class RunSelectTests(ResultsOfRuns):
    def setUp(self):
        self.client.force_login(self.world.users["operator_admin"])

    def page(self, url=URL):
        self.client.get(url)  # warm the caches of a first request
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode(), len(queries.captured_queries)

    def test_the_select_offers_the_latest_runs_and_its_queries_and_size_stay_flat(self):
        html, few_queries = self.page()
        self.assertEqual(run_options(html), [run.pk for run in reversed(self.runs)])
        for year in range(2003, 2003 + filtersets.RUN_CHOICES + 5):
            self.runs.append(self.add_run(year))
        html, many_queries = self.page()
        newest = sorted(self.runs, key=lambda run: (run.created, run.pk), reverse=True)[: filtersets.RUN_CHOICES]
        self.assertEqual(run_options(html), [run.pk for run in newest])
        self.assertEqual(many_queries, few_queries)

    def test_an_old_run_filters_by_url_and_is_the_chosen_option(self):
        for year in range(2003, 2003 + filtersets.RUN_CHOICES + 5):
            self.runs.append(self.add_run(year))
        oldest = self.runs[0]
        html, _queries = self.page(f"{URL}?run={oldest.pk}")
        self.assertIn(f'<option value="{oldest.pk}" selected>', html)
        self.assertEqual(len(run_options(html)), filtersets.RUN_CHOICES + 1)
        self.assertIn(f"G{oldest.year}", html)  # its result, and no other run's
        self.assertEqual(re.findall(r">G(\d{4})<", html), [str(oldest.year)])

    def test_a_run_that_is_not_there_is_an_invalid_choice(self):
        for value in ("999999", "99999999999999999999", "abc"):
            with self.subTest(value=value):
                response = self.client.get(f"{URL}?run={value}")
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("G2000", response.content.decode())
                self.assertIn("invalid", response.content.decode().lower())

    def test_a_run_another_user_may_not_see_is_not_offered_nor_filtered(self):
        """A park manager sees only the runs ``restrict`` gives them: the select and the filter both hold."""
        manager = self.world.users["park_manager"]
        visible = set(EvaluationRun.objects.restrict(manager).values_list("pk", flat=True))
        self.client.force_login(manager)
        html = self.client.get(URL).content.decode()
        self.assertLessEqual(set(run_options(html)), visible)


class ResultCountTests(ResultsOfRuns):
    """The list is estimated (``about N``) unless it shows one run's results: those are counted exactly."""

    def test_results_opt_in_to_estimated_counts(self):
        self.assertTrue(EvaluationResult.estimate_filtered_count)

    def test_one_run_is_counted_exactly_and_the_rest_estimated(self):
        manager = self.world.users["park_manager"]
        self.client.force_login(manager)
        # an estimate the rows bear out (a wrong one is counted where the page shows it: core.pagination)
        visible = EvaluationResult.objects.restrict(manager).count()
        with mock.patch("parkos.core.pagination.sampled_count", return_value=visible) as sampled:
            listed = self.client.get(URL)
            self.assertEqual(sampled.call_count, 1)  # one estimate a view: the table is paginated once
            sampled.reset_mock()
            one_run = self.client.get(f"{URL}?run={self.runs[0].pk}")
            sampled.assert_not_called()
        listed_paginator = listed.context["table"].paginator
        self.assertEqual((listed_paginator.count, listed_paginator.estimated), (visible, True))
        paginator = one_run.context["table"].paginator
        self.assertEqual((paginator.count, paginator.estimated), (1, False))

    def test_of_one_run_reads_the_run_filter(self):
        results = EvaluationResult.objects.all()
        self.assertFalse(tables.of_one_run(results))
        self.assertFalse(tables.of_one_run(results.filter(park=self.world.park["in"])))
        self.assertTrue(tables.of_one_run(results.filter(park=self.world.park["in"]).filter(run=self.runs[0])))
        self.assertTrue(tables.of_one_run(results.filter(run_id=self.runs[0].pk)))


def result(run, side, world, grade="B"):
    return EvaluationResult(
        run=run,
        organization=world.org[side],
        park=world.park[side],
        cohort="above_threshold",
        status=EvaluationResult.Status.GRADED,
        total=70.0,
        rank=1,
        cohort_size=1,
        grade=grade,
    )


class ManyRunsTests(TestCase):
    """Issue 16, seventh session: 60 runs, each with a result of the enterprise "in" (park "in") and one of "out".

    At 2,000,000 results the enterprise user's list went from 31,642 to 69,317 Python calls: the enterprise has a
    result in each of the bench's 442 runs, so its page fills from 2 rows to the page size (50), at the same cost a
    row as every other role's full page. It grows no further: more results add no row, query or option.
    """

    RUNS = 60

    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.scheme = load_scheme()
        cls.runs = EvaluationRun.objects.bulk_create(
            EvaluationRun(scheme=cls.scheme, year=1990 + i, status=EvaluationRun.Status.DONE) for i in range(cls.RUNS)
        )
        # the two enterprises' results alternate in id order, as a province's results of many parks do
        EvaluationResult.objects.bulk_create(
            result(run, side, cls.world) for run in cls.runs[:55] for side in ("in", "out")
        )

    def page(self, user, url=URL):
        self.client.force_login(user)
        self.client.get(url)  # warm the caches of a first request
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return response, len(queries.captured_queries)

    def test_the_enterprise_list_is_one_page_of_rows_however_many_results(self):
        enterprise = self.world.users["enterprise_user"]
        response, few_queries = self.page(enterprise)
        table = response.context["table"]
        self.assertEqual((table.paginator.count, len(table.page.object_list)), (55, 50))
        html = response.content.decode()
        self.assertEqual(run_options(html), [])  # an enterprise sees no runs: the select offers none to grow
        EvaluationResult.objects.bulk_create(result(run, "in", self.world) for run in self.runs[55:])
        response, many_queries = self.page(enterprise)
        table = response.context["table"]
        self.assertEqual((table.paginator.count, len(table.page.object_list)), (self.RUNS, 50))
        self.assertEqual(many_queries, few_queries)
        self.assertEqual(run_options(response.content.decode()), [])
        self.assertLess(abs(len(response.content) - len(html)), 100)  # a page count and a total differ, no more
        self.assertNotIn("Org out Ltd", response.content.decode())  # only the enterprise's own results

    def test_the_run_select_offers_no_run_beyond_the_latest_and_the_chosen_one(self):
        """60 runs: the select offers the latest 20 and the chosen old one, whatever the number of runs."""
        admin = self.world.users["operator_admin"]
        newest = sorted(self.runs, key=lambda run: (run.created, run.pk), reverse=True)[: filtersets.RUN_CHOICES]
        response, _queries = self.page(admin)
        self.assertEqual(run_options(response.content.decode()), [run.pk for run in newest])
        oldest = self.runs[0]
        response, _queries = self.page(admin, f"{URL}?run={oldest.pk}")
        offered = run_options(response.content.decode())
        self.assertEqual(set(offered), {run.pk for run in newest} | {oldest.pk})
        self.assertEqual(len(offered), filtersets.RUN_CHOICES + 1)

    def test_the_managers_list_is_estimated_on_postgresql_and_close(self):
        """With the sample shrunk to 10 rows, the manager's 55 results (park "in", every other id) are estimated
        from the 10th one's place: "about 55" on PostgreSQL; SQLite counts exactly. One run is counted exactly."""
        from parkos.core import pagination

        manager = self.world.users["park_manager"]
        with mock.patch.object(pagination, "SAMPLE", 10):
            response, _queries = self.page(manager)
            one_run, _queries = self.page(manager, f"{URL}?run={self.runs[0].pk}")
        paginator = response.context["table"].paginator
        self.assertEqual(len(response.context["table"].page.object_list), 50)
        if connection.vendor == "postgresql":
            self.assertTrue(paginator.estimated)
            self.assertLessEqual(abs(paginator.count - 55), 6)  # within 10 %
        else:
            self.assertEqual((paginator.count, paginator.estimated), (55, False))
        self.assertNotIn("Org out Ltd", response.content.decode())
        one = one_run.context["table"].paginator
        self.assertEqual((one.count, one.estimated), (1, False))
