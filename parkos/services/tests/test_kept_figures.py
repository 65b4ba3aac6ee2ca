"""Issue 16: the service figures page and its API keep their figures (parkos.core.kept) per audience, filter and
minute, in one computation for both languages, and compute them again after every write they read."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

from django.contrib.auth.models import Group
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from parkos.core.testing import PASSWORD, World
from parkos.services.models import Status
from parkos.services.tests.test_views import request_for, service_for
from parkos.users.models import User

#: a minute's tenth second: the clock of these tests, moved by hand
T = timezone.now().replace(second=10, microsecond=0) - datetime.timedelta(days=1)
QUERY = {"date_from": (T - datetime.timedelta(days=30)).date().isoformat(), "date_to": T.date().isoformat()}


@override_settings(PARKOS_FIGURES_CACHE_SECONDS=300)
class KeptServiceFiguresTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = World.build()
        service = service_for(w, "in", response_target_hours=1)
        # open, its response due 30 s after T: overdue from the next minute on
        request_for(w, "in", service=service, requested_at=T - datetime.timedelta(minutes=59, seconds=30))
        request_for(w, "out", service=service_for(w, "out"), status=Status.DONE, requested_at=T, rating=4)
        cls.admin = w.users["operator_admin"]
        cls.manager_in = w.users["park_manager"]
        cls.manager_out = User.objects.create_user(username="manager_out", password=PASSWORD)
        cls.manager_out.groups.add(Group.objects.get(name="park_manager"))
        cls.manager_out.parks.add(w.park["out"])

    def setUp(self):
        self.clock = mock.patch("django.utils.timezone.now", return_value=T)
        self.clock.start()
        self.addCleanup(self.clock.stop)

    def view(self, user: User | None = None, language: str = "en", **query: Any) -> tuple[dict[str, Any], int]:
        """The page's figures, and how many times it counted the period's requests (0: kept figures)."""
        self.client.force_login(user or self.admin)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("services:figures"), {**QUERY, **query}, HTTP_ACCEPT_LANGUAGE=language)
        self.assertEqual(response.status_code, 200)
        return response.context["figures"], counted(queries)

    def test_the_next_view_reads_the_kept_figures(self):
        first, counts = self.view()
        self.assertEqual((first["requests"], counts), (2, 1))
        self.assertEqual(self.view(), (first, 0))

    def test_the_api_reads_the_kept_figures(self):
        self.view()
        self.client.force_login(self.admin)
        with CaptureQueriesContext(connection) as queries:
            data = self.client.get("/api/services/figures/", QUERY).json()
        self.assertEqual((data["requests"], counted(queries)), (2, 0))

    def test_one_computation_serves_both_languages_each_in_its_words(self):
        english, _counts = self.view()
        chinese, counts = self.view(language="zh-hans")
        self.assertEqual(counts, 0)
        with translation.override("zh-hans"):
            expected = [str(label) for _value, label in Status.choices]
        self.assertEqual([row["label"] for row in chinese["by_status"]], expected)
        self.assertNotEqual(chinese["by_status"], english["by_status"])
        self.assertEqual(chinese["by_aspect"][0]["label"], "金融赋能")
        self.assertEqual(self.view()[0], english)

    def test_the_overdue_counts_follow_the_clock_by_the_minute(self):
        figures, _counts = self.view()
        self.assertEqual(figures["overdue_response"], 0)
        self.clock.stop()
        with mock.patch("django.utils.timezone.now", return_value=T + datetime.timedelta(seconds=45)):
            self.assertEqual(self.view(), (figures, 0))  # the same minute: the figures at its start
        with mock.patch("django.utils.timezone.now", return_value=T + datetime.timedelta(seconds=50)):
            figures, counts = self.view()  # the next minute: its response is 20 s late
        self.clock.start()
        self.assertEqual((figures["overdue_response"], counts), (1, 1))

    def test_a_committed_write_shows_on_the_next_view(self):
        self.view()
        with self.captureOnCommitCallbacks(execute=True):
            request = request_for(self.world, "in", requested_at=T)
        figures, counts = self.view()
        self.assertEqual((figures["requests"], counts), (3, 1))
        with self.captureOnCommitCallbacks(execute=True):
            request.delete()
        self.assertEqual(self.view()[0]["requests"], 2)

    def test_a_write_not_yet_committed_shows_to_its_own_transaction(self):
        self.view()
        self.world.park["out"].name = "Park renamed"
        self.world.park["out"].save()
        figures, counts = self.view()
        self.assertEqual(counts, 1)
        self.assertIn("Park renamed", [row["name"] for row in figures["by_park"]])

    def test_park_managers_of_two_parks_never_share_figures(self):
        mine, counts_in = self.view(self.manager_in)
        theirs, counts_out = self.view(self.manager_out)
        self.assertEqual((mine["open"], theirs["open"]), (1, 0))
        self.assertEqual((mine["done"], theirs["done"]), (0, 1))
        self.assertEqual((counts_in, counts_out), (1, 1))

    def test_each_filter_is_its_own_figures(self):
        self.view()
        park, counts = self.view(park=self.world.park["out"].pk)
        self.assertEqual((park["requests"], counts), (1, 1))
        aspect, counts = self.view(aspect="finance")
        self.assertEqual(counts, 1)
        period, counts = self.view(date_from=T.date().isoformat())
        self.assertEqual(counts, 1)
        self.assertEqual(self.view(park=self.world.park["out"].pk), (park, 0))


def counted(queries: CaptureQueriesContext) -> int:
    """How many times the requests were counted (``grouped_figures``' query)."""
    return len([q for q in queries.captured_queries if "triples" in q["sql"]])
