"""A task whose worker died goes back to the queue (core.workers), and its import starts afresh."""

import datetime
import time
from unittest import mock

from django.core.management import call_command
from django.test import SimpleTestCase, TestCase, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from parkos.core.heartbeat import heartbeat
from parkos.core.imports import import_job_create
from parkos.core.models import ImportJob, WorkerHeartbeat
from parkos.core.tasks import import_job_task
from parkos.core.testing import World
from parkos.core.workers import requeue_orphaned_tasks

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def ago(seconds: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=seconds)


def claimed(*worker_ids: str, started: datetime.datetime, job_id: int = 0) -> DBTaskResult:
    """A task a worker has taken, as django-tasks-db leaves it: RUNNING with the workers' ids."""
    return DBTaskResult.objects.create(
        task_path=import_job_task.module_path,
        args_kwargs={"args": [], "kwargs": {"job_id": job_id}},
        backend_name="default",
        queue_name="default",
        run_after=ago(600),
        status="RUNNING",
        started_at=started,
        worker_ids=list(worker_ids),
    )


def worker(worker_id: str, beat: datetime.datetime) -> None:
    row = WorkerHeartbeat.objects.create(worker_id=worker_id, hostname="app", pid=1)
    WorkerHeartbeat.objects.filter(pk=row.pk).update(heartbeat_at=beat)


@override_settings(HEARTBEAT_TIMEOUT=120)
class RequeueTests(TestCase):
    def test_only_the_tasks_of_dead_workers_go_back_and_a_task_that_kills_its_workers_fails(self):
        worker("alive", ago(10))
        worker("dead", ago(600))
        busy = claimed("alive", started=ago(900))
        orphan = claimed("dead", started=ago(900))
        unregistered = claimed("gone", started=ago(900))  # its row removed already
        just_taken = claimed("new", started=ago(5))  # its worker's first beat may not be in yet
        poison = claimed("a", "b", "dead", started=ago(900))
        self.assertEqual(requeue_orphaned_tasks(), 3)
        status = dict(DBTaskResult.objects.values_list("pk", "status"))
        self.assertEqual(status[busy.pk], "RUNNING")
        self.assertEqual(status[just_taken.pk], "RUNNING")
        self.assertEqual((status[orphan.pk], status[unregistered.pk]), ("READY", "READY"))
        self.assertIsNone(DBTaskResult.objects.get(pk=orphan.pk).started_at)
        poison.refresh_from_db()
        self.assertEqual(poison.status, "FAILED")
        self.assertIn("WorkerDied", poison.exception_class_path)
        self.assertEqual(requeue_orphaned_tasks(), 0)  # nothing twice

    @override_settings(TASKS=DB_TASKS)
    @mock.patch("parkos.core.imports.INLINE_ROWS", 1)
    def test_a_worker_starting_takes_over_the_import_a_killed_worker_was_running(self):
        admin = World.build().users["operator_admin"]
        job = import_job_create(
            user=admin,
            model_label="directory.organization",
            file_name="orgs.csv",
            content=b"id,name,kind\n,Alpha Ltd,enterprise\n,Beta Ltd,enterprise\n",
        )
        # the killed worker had taken the job and its task; its heartbeats stopped ten minutes ago
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, heartbeat_at=ago(600))
        worker("killed", ago(600))
        task = claimed("killed", started=ago(650), job_id=job.pk)
        # the worker's loop closes "old" connections: on PostgreSQL that would be this test's, inside its transaction
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command("db_worker", "--batch", "--no-startup-delay", "--worker-id", "w2", verbosity=0)
        task.refresh_from_db()
        self.assertEqual((task.status, task.worker_ids), ("SUCCESSFUL", ["killed", "w2"]))
        job.refresh_from_db()
        self.assertEqual((job.status, job.report["total"], job.error), (ImportJob.Status.PREVIEWED, 2, ""))


class HeartbeatHookTests(SimpleTestCase):
    def test_a_failing_reaper_never_stops_the_beats(self):
        """A worker whose beats stopped would count as dead and see its own task run again elsewhere."""
        calls = []

        def boom():
            calls.append(1)
            raise RuntimeError("reaper broke")

        with (
            mock.patch("parkos.core.heartbeat.beat") as beat,
            self.assertLogs("parkos.core.heartbeat", "ERROR"),
            heartbeat(WorkerHeartbeat.objects.none(), every=0.01, also=boom),
        ):
            deadline = time.monotonic() + 5
            while len(calls) < 3 and time.monotonic() < deadline:
                time.sleep(0.01)
        self.assertGreaterEqual(len(calls), 3)
        self.assertGreaterEqual(beat.call_count, 4)  # the first beat, then one before each call
