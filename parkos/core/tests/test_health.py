"""/health/: open to a load balancer, ok / degraded (worker stale, still 200) / down (no database, 503)."""

import datetime
from unittest import mock

from django.core.management import call_command
from django.db import OperationalError
from django.test import TestCase, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from parkos.core import health
from parkos.core.models import WorkerHeartbeat
from parkos.core.tasks import import_job_task


def enqueue(minutes_ago: float) -> DBTaskResult:
    """A task in the database queue as `parkos db_worker` finds it (tests run tasks at once otherwise)."""
    moment = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    task = DBTaskResult.objects.create(
        task_path=import_job_task.module_path,
        args_kwargs={"args": [], "kwargs": {"job_id": 0}},
        backend_name="default",
        queue_name="default",
        run_after=moment,
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=moment)
    return task


@override_settings(HEARTBEAT_TIMEOUT=120)
class HealthTests(TestCase):
    def test_healthy_without_signing_in_and_without_secrets(self):
        response = self.client.get("/health/", HTTP_ACCEPT="text/html")
        self.assertEqual(response.status_code, 200)
        report = response.json()
        self.assertEqual(report["status"], "ok")
        self.assertEqual(report["database"]["ok"], True)
        self.assertEqual(report["queue"]["ready"], 0)
        self.assertIs(report["worker"]["fresh"], True)  # idle worker, empty queue
        self.assertIn("no-cache", response["Cache-Control"])
        for secret_word in ("password", "secret", "key", "postgres://"):
            self.assertNotIn(secret_word, response.content.decode().lower())

    def test_a_task_just_queued_is_not_a_stale_worker(self):
        enqueue(minutes_ago=0.5)
        report = self.client.get("/health/").json()
        self.assertEqual((report["status"], report["queue"]["ready"]), ("ok", 1))

    def test_work_waiting_with_no_worker_activity_is_degraded_but_200(self):
        enqueue(minutes_ago=10)
        enqueue(minutes_ago=1)
        response = self.client.get("/health/")
        self.assertEqual(response.status_code, 200)
        report = response.json()
        self.assertEqual(report["status"], "degraded")
        self.assertIs(report["worker"]["fresh"], False)
        self.assertEqual(report["queue"]["ready"], 2)
        self.assertGreaterEqual(report["queue"]["oldest_wait_seconds"], 600)

    def test_a_worker_busy_with_a_long_task_is_fresh(self):
        enqueue(minutes_ago=10)
        running = enqueue(minutes_ago=20)
        DBTaskResult.objects.filter(pk=running.pk).update(
            status="RUNNING", started_at=timezone.now() - datetime.timedelta(minutes=15)
        )
        # its heartbeat thread beats while the task runs
        worker = WorkerHeartbeat.objects.create(worker_id="busy", hostname="app1", pid=42)
        WorkerHeartbeat.objects.filter(pk=worker.pk).update(
            heartbeat_at=timezone.now() - datetime.timedelta(seconds=20)
        )
        report = self.client.get("/health/").json()
        self.assertEqual((report["status"], report["queue"]["ready"]), ("ok", 1))
        self.assertLess(report["worker"]["last_activity_age_seconds"], 120)

    def test_a_live_idle_worker_keeps_the_queue_fresh_and_a_dead_one_does_not(self):
        enqueue(minutes_ago=10)
        worker = WorkerHeartbeat.objects.create(worker_id="w1", hostname="app1", pid=42)
        WorkerHeartbeat.objects.filter(pk=worker.pk).update(heartbeat_at=timezone.now())
        report = self.client.get("/health/").json()
        self.assertEqual((report["status"], report["worker"]["running"]), ("ok", 1))
        WorkerHeartbeat.objects.filter(pk=worker.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(minutes=5))
        report = self.client.get("/health/").json()
        self.assertEqual((report["status"], report["worker"]["running"]), ("degraded", 0))

    def test_no_database_is_503(self):
        with mock.patch("parkos.core.health.connection.cursor", side_effect=OperationalError("down")):
            response = self.client.get("/health/")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json(), {"status": "down", "database": {"ok": False}})

    def test_health_costs_three_queries_and_finished_tasks_are_not_read(self):
        old = [enqueue(minutes_ago=60) for _ in range(3)]
        DBTaskResult.objects.filter(pk__in=[t.pk for t in old]).update(status="SUCCESSFUL")
        enqueue(minutes_ago=1)
        # SELECT 1, the queue (bounded), the workers
        with self.assertNumQueries(3) as queries:
            report = self.client.get("/health/").json()
        self.assertEqual(report["queue"]["ready"], 1)
        queue_sql = queries.captured_queries[1]["sql"]
        self.assertIn("LIMIT 1001", queue_sql)  # never more rows than that, however long the queue

    def test_a_long_queue_is_counted_up_to_the_limit(self):
        for _ in range(4):
            enqueue(minutes_ago=2)
        with mock.patch.object(health, "QUEUE_COUNT_LIMIT", 3):
            report = self.client.get("/health/").json()
        self.assertEqual((report["queue"]["ready"], report["queue"]["ready_capped"]), (3, True))
        report = self.client.get("/health/").json()
        self.assertEqual((report["queue"]["ready"], report["queue"]["ready_capped"]), (4, False))

    def test_a_shared_cache_that_does_not_answer_is_down(self):
        from django.conf import settings

        dead = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
        with override_settings(CACHES={**settings.CACHES, "default": dead}):
            response = self.client.get("/health/")
        self.assertEqual(response.status_code, 503)
        report = response.json()
        self.assertEqual((report["status"], report["cache"]), ("down", {"ok": False, "backend": "redis"}))
        self.assertNotIn("cache", self.client.get("/health/").json())  # a per-process cache is not checked

    def test_no_https_redirect_for_the_health_check(self):
        with override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^health/$", r"^metrics$"]):
            self.assertEqual(self.client.get("/health/").status_code, 200)
            self.assertEqual(self.client.get("/login/").status_code, 301)


class WorkerRegistrationTests(TestCase):
    @override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
    def test_a_worker_clears_dead_workers_rows_and_its_own_when_it_stops(self):
        dead = WorkerHeartbeat.objects.create(worker_id="killed", hostname="app1", pid=1)
        WorkerHeartbeat.objects.filter(pk=dead.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
        seen = []
        with mock.patch("django_tasks_db.management.commands.db_worker.Worker.run", autospec=True) as run:
            run.side_effect = lambda worker: seen.extend(WorkerHeartbeat.objects.values_list("worker_id", flat=True))
            call_command("db_worker", "--batch", "--no-startup-delay", "--worker-id", "w-test", verbosity=0)
        self.assertEqual(seen, ["w-test"])  # registered, the killed worker's row gone
        self.assertFalse(WorkerHeartbeat.objects.exists())  # and its own row removed when it stopped
