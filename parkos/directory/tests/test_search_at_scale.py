"""Issue 16 at 1,000,000 organizations (bench/RESULTS.md, "bigdata-1m"): the organization list's search is
answered by the global search index, not an ``icontains`` scan of four columns, and finds the same rows; a
search matching many organizations is estimated on PostgreSQL (the SAMPLE-th match's place in the id range)
instead of counted."""

from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parkos.core import pagination
from parkos.core.filtersets import search_q
from parkos.core.pagination import EstimatedCountPaginator, sampled_count
from parkos.core.testing import World
from parkos.directory.models import Organization, OrganizationAlias

TERMS = ("科技", "上海", "ltd", "LTD", "9131", "申江产业", "Shanghai Tech", "短名", "nothing-like-it")


class OrganizationSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.admin = cls.world.users["operator_admin"]
        names = ["上海申江产业园区投资有限公司", "上海星河科技有限公司", "苏州科技有限公司", "Acme Ltd"]
        for n in range(24):
            organization = Organization.objects.create(
                name=f"{names[n % 4]}（{n}）",
                name_en=f"Shanghai Tech {n} Co., Ltd" if n % 3 == 0 else "",
                credit_code=None,
            )
            if n % 5 == 0:
                OrganizationAlias.objects.create(organization=organization, name=f"短名{n}")

    def test_the_index_finds_what_icontains_found(self):
        for term in TERMS:
            with self.subTest(term=term):
                before = set(Organization.objects.filter(search_q(Organization, term)).values_list("pk", flat=True))
                now = set(
                    Organization.objects.filter(Organization.search_filter(term, self.admin)).values_list(
                        "pk", flat=True
                    )
                )
                self.assertEqual(now, before)

    def test_the_search_reads_the_index_not_the_names(self):
        sql = str(Organization.objects.filter(Organization.search_filter("科技", self.admin)).query)
        self.assertIn("core_searchentry", sql)
        where = sql.split(" WHERE ", 1)[1].split(" ORDER BY ")[0]
        self.assertNotIn('"directory_organization"."name"', where)  # no icontains of the names
        one_letter = str(Organization.objects.filter(Organization.search_filter("a", self.admin)).query)
        self.assertNotIn("core_searchentry", one_letter)  # the index holds pieces of two: icontains, as before

    def test_the_list_page_finds_the_same_rows(self):
        self.client.force_login(self.admin)
        url = reverse("directory:organization_list")
        self.client.get(url + "?q=%E7%A7%91%E6%8A%80")
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url + "?q=%E7%A7%91%E6%8A%80&per_page=100")
        self.assertContains(response, "上海星河科技有限公司（1）")
        self.assertContains(response, "苏州科技有限公司（2）")
        self.assertNotContains(response, "Acme Ltd")
        self.assertContains(response, "All 12 rows of this filter")  # 12 of the 24 hold 科技: counted exactly
        self.assertLessEqual(len(queries.captured_queries), 12)


class SampledCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        Organization.objects.bulk_create(Organization(name=f"Sampled {n:03d}") for n in range(200))

    def test_a_filter_matching_many_is_estimated_on_postgresql(self):
        rows = Organization.objects.filter(name__startswith="Sampled").order_by("name", "pk")
        with mock.patch.object(pagination, "SAMPLE", 20):
            paginator = EstimatedCountPaginator(rows, 25)
            with CaptureQueriesContext(connection) as queries:
                count = paginator.count
        if connection.vendor == "postgresql":
            self.assertTrue(paginator.estimated)
            self.assertEqual(len(queries.captured_queries), 2)  # the 20th match's id, the id range: no COUNT
            self.assertFalse([q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()])
            # the 20th match's place in the id range, scaled: at least the sample, at most the id range
            self.assertGreaterEqual(count, 20)
            ids = Organization.objects.order_by("pk").values_list("pk", flat=True)
            self.assertLessEqual(count, ids.last() - ids.first() + 1)
        else:
            self.assertFalse(paginator.estimated)
            self.assertEqual(count, 200)

    def test_a_filter_matching_few_is_counted_exactly(self):
        rows = Organization.objects.filter(name__in=["Sampled 001", "Sampled 002"])
        self.assertIsNone(sampled_count(rows, 20))
        paginator = EstimatedCountPaginator(rows, 25)
        self.assertEqual(paginator.count, 2)
        self.assertFalse(paginator.estimated)


class EstimatesCheckedWherePagesShowThemTests(TestCase):
    """Matches that lie together (a recent import) are estimated low or high; the page that would show the error
    counts them instead."""

    @classmethod
    def setUpTestData(cls):
        Organization.objects.bulk_create(Organization(name=f"Before {n:03d}") for n in range(200))
        Organization.objects.bulk_create(Organization(name=f"Together {n:03d}") for n in range(200))

    def test_a_low_estimate_is_counted_on_its_last_page(self):
        rows = Organization.objects.filter(name__startswith="Together").order_by("pk")
        with mock.patch.object(pagination, "sampled_count", return_value=60):
            paginator = EstimatedCountPaginator(rows, 25)
            self.assertEqual((paginator.count, paginator.num_pages), (60, 3))
            self.assertTrue(paginator.estimated)
            page = paginator.page(3)  # rows follow the estimate's last page: counted
        self.assertFalse(paginator.estimated)
        self.assertEqual((paginator.count, paginator.num_pages, page.number), (200, 8, 3))
        self.assertEqual(len(page.object_list), 25)

    def test_a_right_estimate_is_not_counted_again(self):
        rows = Organization.objects.filter(name__startswith="Together").order_by("pk")
        with mock.patch.object(pagination, "sampled_count", return_value=200):
            paginator = EstimatedCountPaginator(rows, 25)
            with CaptureQueriesContext(connection) as queries:
                page = paginator.page(8)
        self.assertTrue(paginator.estimated)
        self.assertEqual(len(page.object_list), 25)
        self.assertFalse([q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()])

    def test_a_slightly_high_estimate_does_not_show_an_empty_last_page(self):
        rows = Organization.objects.filter(name__startswith="Together").order_by("pk")
        with mock.patch.object(pagination, "sampled_count", return_value=210):
            paginator = EstimatedCountPaginator(rows, 25)
            self.assertEqual(paginator.num_pages, 9)
            page = paginator.page(9)  # rows 200-209 do not exist
        self.assertFalse(paginator.estimated)
        self.assertEqual((paginator.count, paginator.num_pages, page.number), (200, 8, 8))
        self.assertEqual(len(page.object_list), 25)
