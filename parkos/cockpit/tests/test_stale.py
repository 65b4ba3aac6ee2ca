"""Stale while revalidating: after a write the reader gets the figures before it at once, marked as being
refreshed, and the warm-up (not the reader) recomputes what changed (parkos.cockpit.freshness)."""

from __future__ import annotations

import datetime
from unittest import mock

from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parkos.cockpit import freshness
from parkos.cockpit.selectors import Period
from parkos.cockpit.tests.helpers import QUERY
from parkos.cockpit.tests.test_cockpit import CockpitData, figures_of

PERIOD = Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
STALE_NOTE = "a refresh is under way, figures may be up to 7 s behind"


@override_settings(PARKOS_COCKPIT_CACHE_SECONDS=300)
class StaleWhileRevalidatingTests(CockpitData):
    def setUp(self):
        super().setUp()
        freshness.store().clear()
        self.addCleanup(freshness.store().clear)
        freshness.warm(period=PERIOD)

    def sign(self):
        from parkos.investment.models import Agreement

        with self.captureOnCommitCallbacks(execute=True):
            return Agreement.objects.create(title="Signed today", park=self.data.parks["in"], signed_on="2026-04-01")

    def signed(self, response) -> int:
        self.assertEqual(response.status_code, 200)
        return int(figures_of(response)["agreements_signed"]["value"])

    def test_a_view_after_a_write_shows_the_figures_before_it_marked_stale_until_the_warm_up_refreshes(self):
        before = self.signed(self.cockpit(scope="group"))
        freshness.heartbeat(7)  # the warm-up is running
        self.sign()
        with CaptureQueriesContext(connection) as queries:
            response = self.cockpit(scope="group")
        self.assertEqual(self.signed(response), before)  # at once: nothing computed by the reader
        self.assertContains(response, STALE_NOTE)
        self.assertLessEqual(len(queries), 12)
        parks = self.client.get(reverse("cockpit:parks"), QUERY)
        self.assertContains(parks, STALE_NOTE)
        self.sign()  # another write: the table of the stale figures is kept with them, not rendered again
        with mock.patch("parkos.cockpit.views.benchmark_table") as table:
            again = self.client.get(reverse("cockpit:parks"), QUERY)
        table.assert_not_called()
        self.assertEqual(again.context["table_html"], parks.context["table_html"])
        api = self.client.get(reverse("cockpit-api:figures"), QUERY).json()
        self.assertEqual((api["stale"], api["behind"]), (True, 7))

        with CaptureQueriesContext(connection) as refresh:
            counts = freshness.warm(period=PERIOD, changed_only=True, beat=7)
        with CaptureQueriesContext(connection) as full:
            freshness.warm(period=PERIOD)
        # the changed parts only (agreements, commitments and the benchmarking), not every tile of every scope
        self.assertLess(len(refresh), len(full) / 2)
        self.assertGreater(counts["computed"], 0)
        with CaptureQueriesContext(connection) as queries:
            response = self.cockpit(scope="group")
        self.assertEqual(self.signed(response), before + 2)
        self.assertNotContains(response, "a refresh is under way")
        self.assertContains(response, "refreshed on change and every 5 min")
        self.assertLessEqual(len(queries), 12)
        park = self.cockpit(scope=f"park:{self.data.parks['in'].pk}")
        self.assertNotContains(park, "a refresh is under way")

    def test_nothing_changed_the_warm_up_computes_nothing(self):
        with CaptureQueriesContext(connection) as looked:
            counts = freshness.warm(period=PERIOD, changed_only=True)
        with CaptureQueriesContext(connection) as full:
            freshness.warm(period=PERIOD)
        # the audiences and their scopes looked up (a few queries a scope), no figure computed
        self.assertLessEqual(len(looked), 2 * counts["computed"])
        self.assertLess(len(looked), len(full) / 5, (len(looked), len(full)))

    def test_without_the_warm_up_running_the_reader_computes_the_new_figures(self):
        before = self.signed(self.cockpit(scope="group"))
        self.sign()
        response = self.cockpit(scope="group")
        self.assertEqual(self.signed(response), before + 1)
        self.assertNotContains(response, "a refresh is under way")

    def test_figures_the_warm_up_does_not_keep_are_computed_by_their_reader(self):
        other = {"date_from": "2025-01-01", "date_to": "2026-12-31"}
        before = self.signed(self.cockpit(**other))
        freshness.heartbeat(7)
        self.sign()
        response = self.cockpit(**other)
        self.assertEqual(self.signed(response), before + 1)  # another period: nobody else refreshes it
        self.assertNotContains(response, "a refresh is under way")

    def test_a_copy_the_warm_up_no_longer_refreshes_is_computed_by_its_reader(self):
        import time

        before = self.signed(self.cockpit(scope="group"))
        freshness.heartbeat(7)
        self.sign()
        later = time.time() + 2 * 300 + 601  # two full rounds missed: that warm-up keeps other scopes
        with mock.patch.object(freshness.time, "time", return_value=later):
            response = self.cockpit(scope="group")
        self.assertEqual(self.signed(response), before + 1)
        self.assertNotContains(response, "a refresh is under way")

    def test_a_write_rolled_back_changes_nothing(self):
        from parkos.investment.models import Agreement

        before = self.signed(self.cockpit(scope="group"))
        freshness.heartbeat(7)
        with self.captureOnCommitCallbacks(execute=True), self.assertRaises(RuntimeError), transaction.atomic():
            Agreement.objects.create(title="Never", park=self.data.parks["in"], signed_on="2026-04-01")
            raise RuntimeError
        response = self.cockpit(scope="group")
        self.assertEqual(self.signed(response), before)
        self.assertNotContains(response, "a refresh is under way")

    def test_the_loop_refreshes_what_changed_between_full_rounds_and_keeps_its_heartbeat(self):
        sleeps: list[int] = []

        def sleep(seconds):
            sleeps.append(seconds)
            self.assertIsNotNone(freshness.store().get(freshness._beat_key()))  # readers may get stale figures
            if len(sleeps) == 2:
                freshness.bump("agreements")  # a change between the second and third look
            if len(sleeps) == 4:
                raise KeyboardInterrupt

        counts = {"audiences": 1, "computed": 1, "seconds": 2}
        lines: list[str] = []
        with (
            mock.patch.object(freshness, "warm", return_value=counts) as warm,
            mock.patch("time.sleep", sleep),
            self.assertRaises(KeyboardInterrupt),
        ):
            freshness.warm_loop(60, lines.append, poll=3)
        self.assertEqual(sleeps, [3, 3, 3, 3])  # a look every 3 s
        self.assertEqual([call.kwargs.get("changed_only", False) for call in warm.call_args_list], [False, True])
        self.assertEqual(lines[-1], "cockpit_warm: refreshed agreements in 2 s.")
        self.assertEqual(freshness.store().get(freshness._beat_key()), {"behind": 5})
