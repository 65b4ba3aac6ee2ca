"""Issue 16: an unfiltered list of a huge table says "about N" from the planner's estimate instead of counting
every row on each view; a filtered list, or a table under the threshold, is counted exactly."""

from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parkos.core.pagination import ESTIMATE_ABOVE, EstimatedCountPaginator, whole_table
from parkos.core.testing import World
from parkos.directory.models import Organization

ESTIMATE = "parkos.core.pagination.estimated_count"


class EstimatedCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.admin = cls.world.users["operator_admin"]
        Organization.objects.bulk_create(Organization(name=f"Bulk enterprise {n:03d}") for n in range(60))

    def setUp(self):
        self.client.force_login(self.admin)

    def test_only_a_whole_table_is_estimated(self):
        self.assertIsNotNone(whole_table(Organization.objects.all()))
        self.assertIsNotNone(whole_table(Organization.objects.select_related("industry").order_by("name")))
        self.assertIsNone(whole_table(Organization.objects.filter(name__startswith="Bulk")))
        self.assertIsNone(whole_table(Organization.objects.distinct()))
        self.assertIsNone(whole_table([1, 2, 3]))

    def test_a_big_unfiltered_table_takes_the_estimate(self):
        with mock.patch(ESTIMATE, return_value=ESTIMATE_ABOVE * 20):
            paginator = EstimatedCountPaginator(Organization.objects.order_by("pk"), 25)
            self.assertEqual(paginator.count, ESTIMATE_ABOVE * 20)
        self.assertTrue(paginator.estimated)
        self.assertEqual(len(paginator.page(2).object_list), 25)

    def test_a_small_table_or_a_filter_is_counted_exactly(self):
        exact = Organization.objects.count()
        with mock.patch(ESTIMATE, return_value=ESTIMATE_ABOVE - 1):
            paginator = EstimatedCountPaginator(Organization.objects.all(), 25)
            self.assertEqual(paginator.count, exact)
        self.assertFalse(paginator.estimated)
        with mock.patch(ESTIMATE, return_value=ESTIMATE_ABOVE * 20) as estimate:
            paginator = EstimatedCountPaginator(Organization.objects.filter(name__startswith="Bulk"), 25)
            self.assertEqual(paginator.count, 60)
        estimate.assert_not_called()

    def test_the_list_page_says_about_and_does_not_count(self):
        url = reverse("directory:organization_list")
        self.client.get(url)
        with mock.patch(ESTIMATE, return_value=1_000_000), CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertContains(response, "of about 1,000,000")
        self.assertFalse([q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()])
        self.assertLessEqual(len(queries.captured_queries), 12)
        self.assertContains(response, "1 / ~40,000")
        with mock.patch(ESTIMATE, return_value=1_000_000):
            response = self.client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assertContains(response, "第 1–25 条，约 1,000,000 条")

    def test_a_filtered_list_page_gives_the_exact_count(self):
        response = self.client.get(reverse("directory:organization_list") + "?q=Bulk")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "of about")

    def test_a_page_past_the_real_end_of_a_high_estimate_is_the_last_real_page(self):
        exact = Organization.objects.count()
        last = -(-exact // 25)
        with mock.patch(ESTIMATE, return_value=ESTIMATE_ABOVE * 20):
            paginator = EstimatedCountPaginator(Organization.objects.order_by("pk"), 25)
            page = paginator.page(last + 10)
        self.assertFalse(paginator.estimated)
        self.assertEqual((paginator.count, page.number), (exact, last))
        self.assertTrue(page.object_list)

        url = reverse("directory:organization_list")
        with mock.patch(ESTIMATE, return_value=1_000_000):
            response = self.client.get(url, {"page": last + 10})
            self.assertNotContains(response, "of about")
            self.assertContains(response, f"of {exact}")
            self.assertContains(response, "Bulk enterprise 059")
            # a page within the real rows keeps the estimate and does not count
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url, {"page": 2})
        self.assertContains(response, "of about 1,000,000")
        self.assertFalse([q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()])
