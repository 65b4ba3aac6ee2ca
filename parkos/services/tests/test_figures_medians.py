"""Issue 16: the service figures' medians by percentile_cont on PostgreSQL, equal to the window ranking.

The window functions sorted every measured request four times (in its aspect and among all, for response and
resolution): 2.0 s of the page with 99,000 requests in the year. PostgreSQL now sorts each group once in
``percentile_cont(0.5)``, in one pass over the requests; SQLite keeps the window ranking. Both are checked against
Python's own median, and on PostgreSQL against each other, with odd and even counts, ties, fractions of a second,
aspects with nothing measured, and a reader who sees part of the requests.
"""

from __future__ import annotations

import datetime
import math
import statistics

from django.db import connection
from django.test import TestCase

from parkos.core.testing import World
from parkos.services import selectors
from parkos.services.models import Aspect, ServiceRequest, Status
from parkos.services.tests.test_views import request_for, service_for

T0 = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)

#: (aspect, side, status, response seconds or None, resolution seconds or None)
SPECS = [
    (Aspect.FINANCE, "in", Status.DONE, 7200, 345600),
    (Aspect.FINANCE, "in", Status.DONE, 108000.5, 1036800),
    (Aspect.FINANCE, "in", Status.DONE, 108000.5, 360000.25),
    (Aspect.FINANCE, "out", Status.DONE, 3600, 72000),
    (Aspect.GREEN, "in", Status.DONE, 21600, 180000),
    (Aspect.GREEN, "in", Status.DONE, 32400.75, 720000),
    (Aspect.GREEN, "in", Status.DECLINED, 14400, 14400),  # declined: its closing time is no resolution
    (Aspect.GREEN, "in", Status.NEW, None, None),
    (Aspect.GREEN, "out", Status.ACCEPTED, 10800, None),
    (Aspect.DIGITAL, "out", Status.IN_PROGRESS, 252000, None),
    (Aspect.DIGITAL, "out", Status.WAITING, 43200, None),
    (Aspect.DIGITAL, "in", Status.DONE, 18000, None),  # done without a closing time: not resolved
    (Aspect.OVERSEAS, "in", Status.NEW, None, None),  # an aspect with nothing measured
]


def python_stats(requests) -> dict:
    """The figures by Python's statistics module: the definition the queries must meet."""
    durations: dict = {"response": {}, "resolution": {}}
    for r in requests:
        groups = (r.aspect, None)
        if r.responded_at is not None:
            for group in groups:
                durations["response"].setdefault(group, []).append((r.responded_at - r.requested_at).total_seconds())
        if r.status == Status.DONE and r.resolved_at is not None:
            for group in groups:
                durations["resolution"].setdefault(group, []).append((r.resolved_at - r.requested_at).total_seconds())
    return {
        kind: {
            group: (len(values), statistics.fmean(values) / 3600, statistics.median(values) / 3600)
            for group, values in by_group.items()
        }
        for kind, by_group in durations.items()
    }


class DurationMediansTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = World.build()
        services = {aspect: service_for(w, "in", aspect=aspect) for aspect in {spec[0] for spec in SPECS}}
        for i, (aspect, side, status, response, resolution) in enumerate(SPECS):
            requested = T0 + datetime.timedelta(days=i, microseconds=i * 1001)
            request_for(
                w,
                side,
                service=services[aspect],
                status=status,
                requested_at=requested,
                responded_at=requested + datetime.timedelta(seconds=response) if response is not None else None,
                resolved_at=requested + datetime.timedelta(seconds=resolution) if resolution is not None else None,
            )

    def assert_stats_close(self, got: dict, expected: dict) -> None:
        self.assertEqual({k: set(v) for k, v in got.items()}, {k: set(v) for k, v in expected.items()})
        for kind, by_group in expected.items():
            for group, (n, mean, median) in by_group.items():
                with self.subTest(kind=kind, group=group):
                    got_n, got_mean, got_median = got[kind][group]
                    self.assertEqual(got_n, n)
                    self.assertTrue(math.isclose(got_mean, mean, rel_tol=1e-9), (got_mean, mean))
                    self.assertTrue(math.isclose(got_median, median, rel_tol=1e-9), (got_median, median))

    def test_equal_to_python_for_every_scope(self):
        for role in ("operator_admin", "park_manager", "service_staff", "enterprise_user"):
            with self.subTest(role=role):
                requests = selectors.filtered_requests(self.world.users[role])
                self.assert_stats_close(selectors.all_duration_stats(requests), python_stats(requests))
        requests = selectors.filtered_requests(self.world.users["operator_admin"], aspect=Aspect.GREEN)
        self.assert_stats_close(selectors.all_duration_stats(requests), python_stats(requests))
        self.assertEqual(
            selectors.all_duration_stats(ServiceRequest.objects.none()), {"response": {}, "resolution": {}}
        )

    def test_percentile_equals_the_window_ranking(self):
        """On PostgreSQL both queries run: the new one gives the old one's figures (SQLite runs the old one)."""
        if connection.vendor != "postgresql":
            self.skipTest("percentile_cont is PostgreSQL's")
        columns = ("aspect", "requested_at", "responded_at", "resolved_at", "status")
        for role in ("operator_admin", "park_manager", "enterprise_user"):
            with self.subTest(role=role):
                requests = selectors.filtered_requests(self.world.users[role])
                sql, params = requests.order_by().values(*columns).query.sql_with_params()
                ranked = selectors._ranked_duration_stats(sql, params, columns)
                self.assert_stats_close(selectors._percentile_duration_stats(sql, params, columns), ranked)
                for kind in ranked:  # as the page shows them: rounded to a tenth
                    for group, (_n, mean, median) in ranked[kind].items():
                        new = selectors.all_duration_stats(requests)[kind][group]
                        self.assertEqual(
                            (selectors._round(new[1]), selectors._round(new[2])),
                            (selectors._round(mean), selectors._round(median)),
                        )

    def test_one_query(self):
        requests = selectors.filtered_requests(self.world.users["operator_admin"])
        with self.assertNumQueries(1):
            selectors.all_duration_stats(requests)
