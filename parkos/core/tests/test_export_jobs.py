"""Exports in the background (core.exports): a list over the threshold is written by the worker, for its owner."""

import datetime
import io
from unittest import mock

import openpyxl
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from parkos.core.exports import export_job_create, export_job_requeue, export_job_run
from parkos.core.models import ExportJob
from parkos.core.testing import World
from parkos.directory.models import Organization
from parkos.notifications.checks import run_checks
from parkos.notifications.models import EventKind, Notification
from parkos.users.models import User

LIST_URL = reverse("directory:organization_list")


def download(client, job: ExportJob):
    return client.get(reverse("export_download", kwargs={"pk": job.pk}))


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


def cells(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@override_settings(PARKOS_EXPORT_INLINE_ROWS=2)
class ListExportJobTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.admin = cls.world.users["operator_admin"]
        cls.other_admin = User.objects.create_user(username="other_admin", password="x")
        cls.other_admin.groups.add(Group.objects.get(name="operator_admin"))
        for n in range(4):
            Organization.objects.create(name=f"协会{n}", kind="association")
        cls.rows = Organization.objects.restrict(cls.admin).count()
        assert cls.rows > 2, "the world has more organizations than the threshold"

    def setUp(self):
        self.client.force_login(self.admin)

    def export(self, fmt: str, query: str = ""):
        with self.captureOnCommitCallbacks(execute=True):  # ImmediateBackend: the worker's part runs here
            return self.client.get(f"{LIST_URL}?{query}export={fmt}", headers={"accept-language": "zh-hans"})

    def test_a_list_over_the_threshold_is_written_in_the_background_as_the_inline_path_writes_it(self):
        response = self.export("csv")
        job = ExportJob.objects.get()
        self.assertRedirects(response, job.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual((job.user, job.status, job.format, job.language), (self.admin, "done", "csv", "zh-hans"))
        self.assertEqual((job.progress_total, job.progress_done, job.percent), (self.rows, self.rows, 100))
        background = content_of(download(self.client, job))
        with override_settings(PARKOS_EXPORT_INLINE_ROWS=10_000):
            inline = self.export("csv").content
        self.assertEqual(background, inline, "the same file, in the language it was asked in")
        self.assertIn("名称", background.decode("utf-8-sig").splitlines()[0])

        self.export("xlsx")
        job = ExportJob.objects.get(format="xlsx")
        with override_settings(PARKOS_EXPORT_INLINE_ROWS=10_000):
            inline = self.export("xlsx").content
        self.assertEqual(cells(content_of(download(self.client, job))), cells(inline))

    def test_the_filter_of_the_list_is_the_filter_of_the_file(self):
        kept = Organization.objects.filter(kind="association").restrict(self.admin).count()
        self.assertGreater(kept, 2)
        self.export("csv", "kind=association&")
        job = ExportJob.objects.get()
        self.assertEqual(job.query, "kind=association")
        self.assertEqual(job.progress_total, kept)

    def test_export_all_rows_of_the_filter_from_the_bulk_bar_goes_the_same_way(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("directory:organization_bulk"),
                {"action": "export_csv", "all": "1", "query": "kind=association"},
            )
        job = ExportJob.objects.get()
        self.assertRedirects(response, job.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual((job.status, job.query, job.progress_total), ("done", "kind=association", 4))

    def test_at_the_threshold_the_file_comes_at_once(self):
        with override_settings(PARKOS_EXPORT_INLINE_ROWS=self.rows):
            response = self.export("csv")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertFalse(ExportJob.objects.exists())

    def test_the_owner_is_notified_and_my_exports_lists_it_with_its_download_link(self):
        self.export("xlsx")
        job = ExportJob.objects.get()
        notification = Notification.objects.get(recipient=self.admin)
        self.assertEqual(notification.event.kind, EventKind.EXPORT_FINISHED)
        self.assertEqual(notification.event.url, job.get_absolute_url())
        self.assertEqual(notification.event.detail, f"XLSX，{self.rows} 行", "in the language the export was asked in")
        self.assertFalse(Notification.objects.exclude(recipient=self.admin).exists())
        session = 0 if settings.SESSION_ENGINE.endswith(".cache") else 1  # PostgreSQL reads it from the database
        with self.assertNumQueries(6 + session):  # user, dead exports, the user's exports, the menu's permissions
            page = self.client.get(reverse("export_jobs"))
        self.assertContains(page, reverse("export_download", kwargs={"pk": job.pk}))
        self.assertContains(self.client.get(job.get_absolute_url()), 'id="export-download"')

    def test_another_user_gets_404_for_the_page_and_the_file(self):
        self.export("csv")
        job = ExportJob.objects.get()
        self.client.force_login(self.other_admin)
        self.assertEqual(self.client.get(job.get_absolute_url()).status_code, 404)
        self.assertEqual(download(self.client, job).status_code, 404)
        self.assertNotContains(self.client.get(reverse("export_jobs")), job.get_absolute_url())

    def test_a_failed_export_says_why_and_the_owner_hears_of_it(self):
        with mock.patch("parkos.core.resources.export_table", side_effect=RuntimeError("disk full")):
            self.export("xlsx")
        job = ExportJob.objects.get()
        self.assertEqual((job.status, job.error, job.stored_file), ("failed", "disk full", ""))
        self.assertEqual(download(self.client, job).status_code, 404)
        self.assertContains(self.client.get(job.get_absolute_url()), "disk full")
        event = Notification.objects.get(recipient=self.admin).event
        self.assertEqual((event.kind, event.detail), (EventKind.EXPORT_FAILED, "disk full"))

    def test_the_scope_is_checked_again_when_the_work_runs(self):
        nobody = User.objects.create_user(username="no_role", password="x")
        job = export_job_create(
            user=nobody, kind="list", source="directory.organization", title="x", query="", fmt="csv"
        )
        job = export_job_run(job=job)
        self.assertEqual(job.status, "failed")
        self.assertIn("no longer", job.error)

    def test_an_export_whose_worker_died_is_written_when_its_task_comes_back(self):
        job = export_job_create(
            user=self.admin, kind="list", source="directory.organization", title="x", query="", fmt="csv"
        )
        ExportJob.objects.filter(pk=job.pk).update(status="running")  # the worker that took it was killed
        self.assertTrue(export_job_requeue(job.pk))
        self.assertEqual(export_job_run(job=job).status, "done")
        self.assertFalse(export_job_requeue(job.pk), "a finished export is left alone")

    def test_old_exports_are_removed_by_the_periodic_checks(self):
        old = ExportJob.objects.create(
            user=self.admin,
            source="directory.organization",
            title="old",
            format="csv",
            status="done",
            stored_file=default_storage.save("exports/old.csv", ContentFile(b"a")),
            finished=timezone.now() - datetime.timedelta(days=8),
        )
        recent = ExportJob.objects.create(
            user=self.admin, source="directory.organization", title="new", format="csv", status="done",
            finished=timezone.now() - datetime.timedelta(days=6),
        )  # fmt: skip
        counts = run_checks()
        self.assertEqual(counts["old exports removed"], 1)
        self.assertFalse(default_storage.exists(old.stored_file))
        self.assertEqual(list(ExportJob.objects.all()), [recent])
