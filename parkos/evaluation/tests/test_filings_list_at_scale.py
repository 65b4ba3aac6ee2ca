"""Issue 16: the indicator filings list is estimated on PostgreSQL like the results list, one year counted exactly.

Grown to 608,946 filings (111 years of demo scale 1's 5,486 enterprises), the list counted an evaluation officer's
parks' filings exactly on every view: ``SELECT COUNT(*) … WHERE park_id IN (…)`` 1,281 ms. Filings are estimated
(``estimate_filtered_count``, core.pagination) except one year's, which are imported together and lie together in
id order, where a sample is far off: those are counted exactly (``tables.FilingCountPaginator``).
"""

from unittest import mock

from django.db import connection
from django.test import TestCase
from django.urls import reverse

from parkos.core import pagination
from parkos.core.testing import World
from parkos.evaluation import tables
from parkos.evaluation.models import IndicatorFiling

URL = reverse("evaluation:indicatorfiling_list")


class FilingCountTests(TestCase):
    """30 years of filings of the enterprise "in" (park "in") and of "out", alternating in id order."""

    YEARS = range(1990, 2020)

    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        IndicatorFiling.objects.bulk_create(
            IndicatorFiling(organization=cls.world.org[side], park=cls.world.park[side], year=year)
            for year in cls.YEARS
            for side in ("in", "out")
        )

    def test_filings_opt_in_to_estimated_counts(self):
        self.assertTrue(IndicatorFiling.estimate_filtered_count)

    def test_a_managers_filings_are_estimated_on_postgresql_and_one_year_counted_exactly(self):
        """The sample shrunk to 10 rows: the manager's 30 filings are "about 30" on PostgreSQL (the 10th one's place
        in the id range), counted on SQLite; ``?year=`` is counted exactly and not sampled."""
        self.client.force_login(self.world.users["park_manager"])
        with mock.patch.object(pagination, "SAMPLE", 10):
            listed = self.client.get(URL)
            with mock.patch.object(pagination, "sampled_count", wraps=pagination.sampled_count) as sampled:
                one_year = self.client.get(f"{URL}?year=2000")
                sampled.assert_not_called()
        self.assertEqual(listed.status_code, 200)
        paginator = listed.context["table"].paginator
        self.assertEqual(len(listed.context["table"].page.object_list), 25)
        if connection.vendor == "postgresql":
            self.assertTrue(paginator.estimated)
            self.assertLessEqual(abs(paginator.count - 30), 3)  # within 10 %
        else:
            self.assertEqual((paginator.count, paginator.estimated), (30, False))
        self.assertNotContains(listed, "Org out Ltd")
        year = one_year.context["table"].paginator
        self.assertEqual((year.count, year.estimated), (1, False))

    def test_filtered_on_reads_an_equality_on_the_field(self):
        year = IndicatorFiling._meta.get_field("year")
        filings = IndicatorFiling.objects.all()
        self.assertFalse(tables.filtered_on(filings, year))
        self.assertFalse(tables.filtered_on(filings.filter(year__gte=2000), year))
        self.assertFalse(tables.filtered_on(filings.filter(park=self.world.park["in"]), year))
        self.assertTrue(tables.filtered_on(filings.filter(park=self.world.park["in"]).filter(year=2000), year))
