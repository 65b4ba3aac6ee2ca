"""Issue 16: My enterprise lists the enterprise's result in the latest finished run of each year, not in every
run kept (442 runs: 20 rows and a COUNT), with the number of results in all and a link to the full list."""

from urllib.parse import parse_qs, urlsplit

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import translation

from parkos.core.testing import World
from parkos.evaluation.models import EvaluationResult, EvaluationRun
from parkos.evaluation.tests.helpers import load_scheme
from parkos.portal import sections
from parkos.portal.tests.test_views import tenant_of

HOME = reverse("portal:home")


class LatestResultsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        tenant_of(cls.world, "in")
        cls.organization = cls.world.org["in"]
        cls.enterprise = cls.world.users["enterprise_user"]
        cls.scheme = load_scheme()
        cls.runs = {2024: [cls.add_run(2024, "B"), cls.add_run(2024, "A")], 2025: [cls.add_run(2025, "C")]}
        # neither counts: a run of 2025 that has not finished, another enterprise's result
        cls.add_run(2025, "Z", status=EvaluationRun.Status.RUNNING)
        cls.add_run(2025, "Y", organization=cls.world.org["out"])

    @classmethod
    def add_run(cls, year, grade, status=EvaluationRun.Status.DONE, organization=None):
        run = EvaluationRun.objects.create(scheme=cls.scheme, year=year, status=status)
        EvaluationResult.objects.create(
            run=run,
            organization=organization or cls.organization,
            park=cls.world.park["in"],
            cohort="above_threshold",
            status=EvaluationResult.Status.GRADED,
            total=80.0,
            rank=1,
            cohort_size=1,
            grade=grade,
        )
        return run

    def setUp(self):
        self.client.force_login(self.enterprise)

    def page(self):
        self.client.get(HOME)  # warm the caches of a first request
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(HOME)
        self.assertEqual(response.status_code, 200)
        return response, len(queries.captured_queries)

    def test_the_latest_finished_run_of_each_year_and_every_result_counted(self):
        rows, total = sections.latest_results(self.organization, self.enterprise)
        self.assertEqual([(row.run.year, row.grade) for row in rows], [(2025, "C"), (2024, "A")])
        self.assertEqual(total, 3)

    def test_the_page_lists_one_result_a_year_and_links_to_all_of_them(self):
        response, _queries = self.page()
        section = response.context["sections"]["results"]
        self.assertEqual([row.grade for row in section.rows], ["C", "A"])
        self.assertEqual(section.total, 3)
        self.assertContains(response, "The latest run of each year")
        self.assertContains(response, f'href="{section.list_url}"', html=False)
        url = urlsplit(section.list_url)
        self.assertEqual(resolve(url.path).url_name, "evaluationresult_list")
        self.assertEqual(parse_qs(url.query), {"organization": [self.organization.name]})
        listed = self.client.get(section.list_url)
        self.assertEqual(listed.status_code, 200)
        grades = {row.grade for row in listed.context["table"].page.object_list.data}
        self.assertLessEqual({"A", "B", "C"}, grades)  # every run's (the list shows unfinished runs' as well)
        self.assertNotIn("Y", grades)  # and not another enterprise's

    def test_one_run_a_year_shows_no_note_and_no_link(self):
        EvaluationResult.objects.filter(run=self.runs[2024][0]).delete()
        response, _queries = self.page()
        self.assertEqual(response.context["sections"]["results"].total, 2)
        self.assertNotContains(response, "The latest run of each year")

    def test_the_page_stays_flat_as_runs_are_kept(self):
        response, few_queries = self.page()
        few_rows = len(response.context["sections"]["results"].rows)
        for _ in range(sections.ROWS + 5):
            self.add_run(2025, "D")
        response, many_queries = self.page()
        section = response.context["sections"]["results"]
        self.assertEqual(many_queries, few_queries)
        self.assertEqual(len(section.rows), few_rows)
        self.assertEqual(section.total, 3 + sections.ROWS + 5)

    def test_more_years_than_rows_are_counted(self):
        for year in range(2000, 2000 + sections.ROWS):
            self.add_run(year, "E")
        rows, total = sections.latest_results(self.organization, self.enterprise)
        self.assertEqual(len(rows), sections.ROWS)
        self.assertEqual([row.run.year for row in rows[:3]], [2025, 2024, 2019])
        self.assertEqual(total, 3 + sections.ROWS)

    def test_the_note_is_translated(self):
        with translation.override("zh-hans"):
            self.assertEqual(translation.gettext("The latest run of each year"), "每年最近一次评价")
