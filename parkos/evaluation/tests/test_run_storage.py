"""A run at scale: tenants' land apportioned as one vectorised step (the same shares as the rule filing by filing),
results stored in batches that move the run's progress, compact result JSON, and pruning old runs by policy."""

import dataclasses
import datetime
import io
import threading
from decimal import Decimal
from unittest import mock, skipUnless

from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import SimpleTestCase, TestCase, TransactionTestCase

from parkos.core.testing import World
from parkos.directory.models import Organization
from parkos.evaluation import services
from parkos.evaluation.models import Appeal, EvaluationResult, EvaluationRun, IndicatorFiling, LandRule
from parkos.evaluation.services import (
    apportioned_land,
    apportioned_land_frame,
    evaluation_runs_prune,
    run_evaluation,
    tenant_filings_frame,
)
from parkos.evaluation.tests.helpers import credit_code, load_scheme
from parkos.leasing.models import Lease
from parkos.parks.models import Building, LandParcel, SpaceUnit


def add_filing(world, n: int, **values) -> IndicatorFiling:
    org = Organization.objects.create(name=f"Enterprise {n}", credit_code=credit_code(500 + n))
    defaults = {
        "organization": org,
        "year": 2024,
        "park": world.park["in"],
        "parcel": world.parcel["in"],
        "tax": Decimal(100_000 + 1_000 * n),
        "electricity_kwh": Decimal(400_000),
        "land_area": Decimal(2_000 + 10 * n),
    }
    return IndicatorFiling.objects.create(**{**defaults, **values})


class BatchedStorageTests(TestCase):
    """Seven enterprises below the size threshold, one of them without an electricity figure."""

    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.scheme = load_scheme("zhejiang_below_threshold")
        cls.user = cls.world.users["evaluation_officer"]
        for n in range(6):
            add_filing(cls.world, n)
        add_filing(cls.world, 6, electricity_kwh=None)

    def test_progress_moves_with_each_stored_batch(self):
        seen = []

        def progress(percent, label):
            stored = EvaluationRun.objects.order_by("-pk").values_list("progress", flat=True).first()
            seen.append((percent, stored, EvaluationResult.objects.count(), label))

        with mock.patch.object(services, "RESULT_BATCH", 2):
            run = run_evaluation(scheme=self.scheme, year=2024, user=self.user, progress=progress)
        self.assertEqual(run.status, EvaluationRun.Status.DONE, run.error)
        storing = [(p, stored, count) for p, stored, count, label in seen if label.startswith("Storing results:")]
        # 7 results in batches of 2: four batches, each written (and its progress saved) before the next
        self.assertEqual([count for *_, count in storing], [2, 4, 6, 7])
        self.assertEqual([p for p, *_ in storing], [stored for _p, stored, _c in storing])
        self.assertEqual([p for p, *_ in storing], sorted({p for p, *_ in storing}))
        self.assertTrue(all(60 < p < 100 for p, *_ in storing))
        self.assertEqual(seen[-1][0], 100)
        self.assertEqual(run.results.count(), run.evaluated)

    def test_results_are_stored_compactly_and_read_as_before(self):
        run = run_evaluation(scheme=self.scheme, year=2024, user=self.user)
        results = list(run.results.order_by("organization__name"))
        for result in results:
            for figures in result.indicators.values():
                self.assertNotIn(None, figures.values())  # nulls are left out, .get() reads them as None
        missing = results[-1].indicators["tax_per_kwh"]
        self.assertIsNone(missing.get("value"))
        self.assertEqual(missing["score"], 0.0)
        first = results[0].indicators["tax_per_mu"]
        self.assertAlmostEqual(first["value"], 100_000 / 10_000 / (2_000 * 15 / 10_000))
        self.assertEqual(first["benchmark"], 11.5932)
        page = self.client
        page.force_login(self.world.users["operator_admin"])
        response = page.get(results[-1].get_absolute_url())
        self.assertEqual(response.status_code, 200)

    def test_a_failed_run_leaves_no_results(self):
        with (
            mock.patch.object(services, "RESULT_BATCH", 2),
            mock.patch.object(services.RunBenchmark.objects, "bulk_create", side_effect=RuntimeError("disk full")),
            self.assertRaises(RuntimeError),
        ):
            run_evaluation(scheme=self.scheme, year=2024, user=self.user)
        run = EvaluationRun.objects.get()
        self.assertEqual((run.status, run.error), (EvaluationRun.Status.FAILED, "disk full"))
        self.assertFalse(EvaluationResult.objects.exists())


class VectorisedApportionTests(TestCase):
    """Park "in": a 10,000 m² parcel under 5,000 m² of buildings. Tenants in every situation the rule knows."""

    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        world = cls.world
        cls.filings = [
            add_filing(world, 0, is_tenant=True, land_area=None, floor_area=Decimal(500)),  # filed floor area
            add_filing(world, 1, is_tenant=True, land_area=None, floor_area=None),  # nothing to go by
            add_filing(world, 2, is_tenant=True, land_rule=LandRule.OWN, land_area=Decimal(700)),  # its own land
            add_filing(world, 3, is_tenant=True, land_area=Decimal(300), floor_area=Decimal(500)),  # land as filed
            add_filing(world, 4, is_tenant=True, land_area=None, floor_area=Decimal(500)),  # leases 1,250 m² here
            add_filing(world, 5, is_tenant=True, land_area=None, floor_area=Decimal(500)),  # leases in park "out"
            add_filing(world, 6, is_tenant=True, land_area=None, floor_area=Decimal(20_000)),  # more than all
            add_filing(world, 7, land_area=Decimal(900)),  # not a tenant
        ]
        # 1,972.34 m² of 16,000 on 20,000: 2,465.425, on the half cent (Decimal rounds it half to even)
        parcel = LandParcel.objects.create(park=world.park["in"], code="P-HALF", area=20_000)
        Building.objects.create(parcel=parcel, code="B-HALF", floor_area=16_000)
        cls.filings.append(
            add_filing(world, 8, is_tenant=True, parcel=parcel, land_area=None, floor_area=Decimal("1972.34"))
        )
        for n, building, area in ((4, "in", 1_250), (5, "out", 2_000)):
            unit = SpaceUnit.objects.create(building=world.building[building], code=f"U{n}", area=area)
            lease = Lease.objects.create(
                tenant=cls.filings[n].organization,
                park=world.park[building],
                start_date=datetime.date(2024, 1, 1),
                status="in_force",
                rent_amount=Decimal(1),
            )
            lease.units.add(unit)

    def test_the_vectorised_shares_equal_the_rule_filing_by_filing(self):
        expected = {
            f.pk: (float(outcome[0]), str(outcome[1]), outcome[2])
            for f, outcome in zip(self.filings, apportioned_land(self.filings), strict=True)
            if outcome
        }
        frame = apportioned_land_frame(tenant_filings_frame(2024), 2024)
        got = {pk: (land, rule, parcel) for pk, land, rule, parcel, _year in frame.iter_rows()}
        self.assertEqual(got, expected)
        self.assertEqual(got[self.filings[4].pk][:2], (2500.0, LandRule.LEASED_FLOOR_AREA))
        self.assertEqual(got[self.filings[6].pk][0], 10000.0)  # never more than the parcel
        self.assertEqual(got[self.filings[8].pk][0], 2465.42)

    def test_only_changed_filings_are_saved(self):
        self.assertEqual(services.apportion_tenant_land(year=2024), {"filed_floor_area": 4, "leased_floor_area": 1})
        self.assertEqual(IndicatorFiling.objects.get(pk=self.filings[8].pk).land_area, Decimal("2465.42"))
        with mock.patch.object(IndicatorFiling, "save") as save:
            services.apportion_tenant_land(year=2024)
        save.assert_not_called()


class PruneTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.scheme = load_scheme("zhejiang_below_threshold")
        cls.user = cls.world.users["evaluation_officer"]
        cls.admin = cls.world.users["operator_admin"]
        for n in range(3):
            add_filing(cls.world, n)
        cls.runs = [run_evaluation(scheme=cls.scheme, year=2024, user=cls.user) for _ in range(5)]
        # the newest run failed: the published run is the latest done one, runs[3]
        EvaluationRun.objects.filter(pk=cls.runs[4].pk).update(status=EvaluationRun.Status.FAILED)
        cls.appealed = Appeal.objects.create(result=cls.runs[0].results.first(), reason="Figures wrong")

    def test_keeps_the_published_the_newest_and_the_appealed(self):
        report = evaluation_runs_prune(user=self.admin, keep=1)
        self.assertEqual(sorted(report.runs), [self.runs[1].pk, self.runs[2].pk])
        self.assertEqual(report.results, 6)
        self.assertEqual((report.kept_published, report.kept_recent, report.kept_appealed), (1, 1, 1))
        self.assertEqual(
            set(EvaluationRun.objects.values_list("pk", flat=True)), {self.runs[0].pk, self.runs[3].pk, self.runs[4].pk}
        )
        self.assertFalse(EvaluationResult.objects.filter(run__in=report.runs).exists())
        self.assertEqual(self.appealed.result.run.results.count(), 3)

    def test_a_dry_run_removes_nothing_and_the_command_says_what_would_go(self):
        out = io.StringIO()
        call_command("evaluate", "prune", "--keep", "1", "--dry-run", "--user", "operator_admin", stdout=out)
        self.assertIn("Would remove 2 run(s) with 6 results", out.getvalue())
        self.assertEqual(EvaluationRun.objects.count(), 5)
        call_command("evaluate", "prune", "--keep", "0", "--year", "2024", "--user", "operator_admin", stdout=out)
        self.assertEqual(EvaluationRun.objects.count(), 2)  # the published and the appealed

    def test_only_those_who_may_delete_runs_prune(self):
        with self.assertRaises(PermissionDenied):
            evaluation_runs_prune(user=self.world.users["government_partner"], keep=0)
        self.assertEqual(EvaluationRun.objects.count(), 5)


@skipUnless(connection.vendor == "postgresql", "results are written by threads of their own on PostgreSQL only")
class ParallelWritersTests(TransactionTestCase):
    """Outside a transaction a run's batches are written by writer threads, each on its own connection."""

    def setUp(self):
        self.world = World.build()
        self.scheme = load_scheme("zhejiang_below_threshold")
        self.user = self.world.users["evaluation_officer"]
        for n in range(6):
            add_filing(self.world, n)
        add_filing(self.world, 6, electricity_kwh=None)

    def run_with_writers(self, copy_batch=services._copy_batch):
        writers, seen = set(), []

        def recorded(cursor, statement, data):
            writers.add((threading.current_thread().name, cursor.connection.info.backend_pid))
            copy_batch(cursor, statement, data)

        with (
            mock.patch.object(services, "RESULT_BATCH", 2),
            mock.patch.object(services, "_copy_batch", recorded),
        ):
            run = run_evaluation(
                scheme=self.scheme, year=2024, user=self.user, progress=lambda p, label: seen.append((p, label))
            )
        return run, writers, seen

    def test_the_writer_threads_store_the_same_results_as_one_connection(self):
        run, writers, seen = self.run_with_writers()
        self.assertEqual(run.status, EvaluationRun.Status.DONE, run.error)
        # four batches of 2, 2, 2 and 1 over the two writers' own connections (server processes)
        self.assertEqual({name for name, _pid in writers}, {"results-writer-0", "results-writer-1"})
        self.assertEqual(len({pid for _name, pid in writers}), 2)
        storing = [p for p, label in seen if label.startswith("Storing results:")]
        self.assertEqual(storing, sorted(storing))
        self.assertEqual(seen[-1][0], 100)
        self.assertEqual(EvaluationRun.objects.get(pk=run.pk).progress, 100)
        self.assertTrue(run.areas.exists())
        with transaction.atomic():  # inside a transaction: this connection, one batch after another
            inline = run_evaluation(scheme=self.scheme, year=2024, user=self.user)

        def stored(of):
            return sorted(
                of.results.values_list("organization_id", "filing_id", "grade", "rank", "total", "indicators")
            )

        self.assertEqual(len(stored(run)), 7)
        self.assertEqual(stored(run), stored(inline))
        self.assertEqual(run.fingerprint, inline.fingerprint)

    def test_without_a_progress_callback_the_run_waits_for_its_writers_without_spinning(self):
        waits = []

        class Counted(threading.Condition):
            def wait_for(self, predicate, timeout=None):
                waits.append(1)
                return super().wait_for(predicate, timeout)

        @dataclasses.dataclass
        class Writing(services._Writing):
            changed: threading.Condition = dataclasses.field(default_factory=Counted)

        with mock.patch.object(services, "RESULT_BATCH", 2), mock.patch.object(services, "_Writing", Writing):
            run = run_evaluation(scheme=self.scheme, year=2024, user=self.user)  # as the worker calls it
        self.assertEqual((run.status, run.results.count()), (EvaluationRun.Status.DONE, 7))
        # one wait per change: at most each of the 4 batches stored and the writers' end
        self.assertLessEqual(len(waits), 5)

    def test_a_failed_batch_fails_the_run_and_leaves_no_results(self):
        calls = []

        def second_fails(cursor, statement, data):
            calls.append(data)
            if len(calls) == 2:
                raise DatabaseError("disk full")
            services._copy_batch(cursor, statement, data)

        with self.assertRaisesMessage(DatabaseError, "disk full"):
            self.run_with_writers(copy_batch=second_fails)
        run = EvaluationRun.objects.get()
        self.assertEqual((run.status, run.error), (EvaluationRun.Status.FAILED, "disk full"))
        self.assertFalse(EvaluationResult.objects.exists())


class ResultWritersTests(SimpleTestCase):
    def test_a_connection_pool_leaves_the_writers_what_the_run_and_its_heartbeat_do_not_hold(self):
        self.assertEqual(services.result_writers({"OPTIONS": {}}), services.RESULT_WRITERS)
        self.assertEqual(services.result_writers({"OPTIONS": {"pool": True}}), 2)  # psycopg-pool's 4
        self.assertEqual(services.result_writers({"OPTIONS": {"pool": {"min_size": 1, "max_size": 10}}}), 2)
        self.assertEqual(services.result_writers({"OPTIONS": {"pool": {"min_size": 1, "max_size": 3}}}), 1)
        self.assertEqual(services.result_writers({"OPTIONS": {"pool": {"min_size": 2}}}), 1)
