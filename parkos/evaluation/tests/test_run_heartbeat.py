"""A run whose process died (no heartbeat for HEARTBEAT_TIMEOUT seconds) is shown failed, with the reason, and can be
run again; pages, the API, the worker and `parkos evaluate` all see it so."""

import datetime
import io

from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from parkos.core.testing import World
from parkos.evaluation.models import EvaluationRun
from parkos.evaluation.selectors import fail_dead_runs
from parkos.evaluation.services import evaluation_run_create, run_evaluation
from parkos.evaluation.tasks import evaluation_run_task
from parkos.evaluation.tests.helpers import load_scheme

LONG_AGO = datetime.timedelta(minutes=10)


@override_settings(HEARTBEAT_TIMEOUT=120)
class DeadRunTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.scheme = load_scheme("zhejiang_above_threshold")
        cls.user = cls.world.users["evaluation_officer"]

    def running(self, *, heartbeat_ago=LONG_AGO, started_ago=LONG_AGO) -> EvaluationRun:
        now = timezone.now()
        return EvaluationRun.objects.create(
            scheme=self.scheme,
            year=2024,
            created_by=self.user,
            status=EvaluationRun.Status.RUNNING,
            started=now - started_ago,
            heartbeat_at=None if heartbeat_ago is None else now - heartbeat_ago,
            progress=20,
        )

    def assert_failed_by_lost_process(self, run):
        run.refresh_from_db()
        self.assertEqual(run.status, EvaluationRun.Status.FAILED)
        self.assertTrue(run.error.startswith("The process running it stopped (no heartbeat since"), run.error)
        self.assertIsNotNone(run.finished)

    def test_a_run_without_a_recent_heartbeat_is_failed_with_the_reason(self):
        dead = self.running()
        alive = self.running(heartbeat_ago=datetime.timedelta(seconds=5))
        never_beat = self.running(heartbeat_ago=None)  # started before heartbeats existed
        self.assertEqual(fail_dead_runs(), 2)
        self.assert_failed_by_lost_process(dead)
        self.assert_failed_by_lost_process(never_beat)
        alive.refresh_from_db()
        self.assertEqual(alive.status, EvaluationRun.Status.RUNNING)

    def test_the_run_pages_show_it_failed_and_offer_to_run_it_again(self):
        dead = self.running()
        self.client.force_login(self.user)
        listing = self.client.get(reverse("evaluation:evaluationrun_list"))
        self.assertEqual(listing.status_code, 200)
        self.assert_failed_by_lost_process(dead)
        page = self.client.get(dead.get_absolute_url())
        self.assertContains(page, "The process running it stopped")
        self.assertContains(page, f"{reverse('evaluation:evaluationrun_add')}?scheme={self.scheme.pk}&amp;year=2024")
        self.assertNotContains(page, "hx-trigger")  # finished: no more polling

    def test_the_api_shows_it_failed_with_the_reason(self):
        dead = self.running()
        api = APIClient()
        api.force_authenticate(self.user)
        body = api.get(reverse("evaluation-api:evaluationrun-detail", kwargs={"pk": dead.pk})).json()
        self.assertEqual(body["status"], "failed")
        self.assertIn("no heartbeat since", body["error"])

    def test_the_worker_fails_dead_runs_before_it_starts_one(self):
        dead = self.running()
        queued = evaluation_run_create(scheme=self.scheme, year=2024, user=self.user)
        evaluation_run_task.call(queued.pk)
        self.assert_failed_by_lost_process(dead)
        queued.refresh_from_db()
        self.assertEqual(queued.status, EvaluationRun.Status.DONE)

    def test_parkos_evaluate_fails_dead_runs_at_start(self):
        dead = self.running()
        err = io.StringIO()
        call_command(
            "evaluate", "--scheme", self.scheme.name, "--year", "2024", "--user", "operator_admin",
            stdout=io.StringIO(), stderr=err, verbosity=0,
        )  # fmt: skip
        self.assert_failed_by_lost_process(dead)
        self.assertIn("1 run(s)", err.getvalue())

    def test_a_run_beats_while_it_works(self):
        run = run_evaluation(scheme=self.scheme, year=2024, user=self.user)
        run.refresh_from_db()
        self.assertEqual(run.status, EvaluationRun.Status.DONE)
        self.assertIsNotNone(run.heartbeat_at)
        self.assertEqual(fail_dead_runs(), 0)
