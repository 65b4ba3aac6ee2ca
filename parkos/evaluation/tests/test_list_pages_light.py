"""Issue 16: the results and filings lists read only the columns their cells show.

A result's row used to bring its indicators and its scheme's definition (several KB of JSON), a filing's its
enterprise's forty columns and its park's outline. The tables render as they did with whole rows, the
queries do not grow with the rows, and the run select of the results' filter does not read the definitions.
"""

from decimal import Decimal

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from parkos.core.testing import World
from parkos.directory.models import Organization
from parkos.evaluation import labels, tables
from parkos.evaluation.models import EvaluationResult, EvaluationRun, IndicatorFiling
from parkos.evaluation.tests.helpers import load_scheme


def whole_rows(table_class):
    """``table_class`` as it was: its rows read whole (its own ``__init__``, which slims them, left out)."""

    class Whole(table_class):
        class Meta(table_class.Meta):
            pass

        def __init__(self, data, *args, **kwargs):
            super(table_class, self).__init__(data, *args, **kwargs)

    return Whole


class ListPagesLightTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.evaluation_run = EvaluationRun.objects.create(
            scheme=load_scheme(), year=2025, status=EvaluationRun.Status.DONE
        )
        cls.add(3)

    @classmethod
    def add(cls, n):
        for _ in range(n):
            k = cls.world.seq()
            org = Organization.objects.create(name=f"Enterprise {k:03d}", kind=Organization.Kind.ENTERPRISE)
            for side in ("in", "out"):
                park = cls.world.park[side]
                IndicatorFiling.objects.create(
                    organization=org if side == "in" else cls.world.org["out"],
                    year=2000 + k if side == "out" else 2025,
                    park=park,
                    tax=Decimal("123456.78"),
                    value_added=Decimal("2000000"),
                    land_area=Decimal("6667.00"),
                    floor_area=Decimal("12000.50"),
                )
                EvaluationResult.objects.create(
                    run=cls.evaluation_run,
                    organization=org,
                    park=park,
                    cohort="above_threshold",
                    status=EvaluationResult.Status.GRADED,
                    total=80.0 + k,
                    rank=k,
                    cohort_size=20,
                    grade="A",
                    indicators={"tax_per_mu": {"value": 1.0, "score": 2.0}},
                )

    def request(self, url, role="operator_admin"):
        self.client.force_login(self.world.users[role])
        return self.client.get(url).wsgi_request

    def test_the_tables_render_as_with_whole_rows(self):
        """The slim querysets give the HTML of the rows read whole, in both languages."""
        cases = [
            (
                reverse("evaluation:evaluationresult_list"),
                tables.EvaluationResultTable,
                EvaluationResult.objects.select_related("organization", "park", "run__scheme"),
            ),
            (
                reverse("evaluation:indicatorfiling_list"),
                tables.IndicatorFilingTable,
                IndicatorFiling.objects.select_related("organization", "park"),
            ),
        ]
        for url, table_class, rows in cases:
            for language in ("en", "zh-hans"):
                with self.subTest(table=table_class.__name__, language=language), translation.override(language):
                    request = self.request(url)
                    slim = table_class(rows, request=request)
                    whole = whole_rows(table_class)(rows, request=request)
                    html = slim.as_html(request)
                    self.assertEqual(html, whole.as_html(request))
                    self.assertIn("Enterprise", html)

    def test_result_rows_leave_the_scheme_definition_and_the_indicators_unread(self):
        request = self.request(reverse("evaluation:evaluationresult_list"))
        table = tables.EvaluationResultTable(EvaluationResult.objects.all(), request=request)
        table.as_html(request)
        row = table.page.object_list.data[0]
        self.assertIn("indicators", row.get_deferred_fields())
        self.assertIn("definition", row.run.scheme.get_deferred_fields())
        self.assertIn("boundary", row.park.get_deferred_fields())

    def test_result_list_queries_do_not_grow_with_the_rows(self):
        url = reverse("evaluation:evaluationresult_list")
        self.client.force_login(self.world.users["operator_admin"])
        self.client.get(url)  # the scheme's labels are kept per process (labels.scheme_labels)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        self.add(5)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(url)
        self.assertContains(response, "Enterprise")
        self.assertEqual(len(many.captured_queries), len(few.captured_queries))
        self.assertLessEqual(len(many.captured_queries), 11 if connection.vendor == "sqlite" else 12)
        self.assertFalse([q for q in many.captured_queries if '"definition"' in q["sql"]])
        labels._CACHE.clear()  # a cold process reads the definition once, for the labels of the cohorts
        with CaptureQueriesContext(connection) as cold:
            self.client.get(url)
        self.assertEqual(len(cold.captured_queries), len(many.captured_queries) + 1)

    def test_filing_list_queries_do_not_grow_with_the_rows(self):
        url = reverse("evaluation:indicatorfiling_list")
        self.client.force_login(self.world.users["evaluation_officer"])
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        self.add(5)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(url)
        self.assertContains(response, "Enterprise")
        self.assertNotContains(response, "Org out")  # the officer's park only
        self.assertEqual(len(many.captured_queries), len(few.captured_queries))
        self.assertLessEqual(len(many.captured_queries), 10 if connection.vendor == "sqlite" else 11)
