"""Import jobs (core.imports): large files are previewed and imported by the background worker, with progress."""

import datetime
from unittest import mock

from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from parkos.core.imports import import_job_create
from parkos.core.models import ImportJob
from parkos.core.testing import World
from parkos.directory.models import Organization
from parkos.users.models import User

IMPORT_URL = reverse("directory:organization_import")


def organizations_csv(count: int, *, bad_row: int | None = None) -> str:
    lines = ["id,name,kind,district"]
    for row in range(1, count + 1):
        kind = "no-such-kind" if row == bad_row else "enterprise"
        lines.append(f",Imported {row:05d} Ltd,{kind},Pudong")
    return "\n".join(lines) + "\n"


def job_url(job: ImportJob) -> str:
    return reverse("directory:organization_import_job", kwargs={"job": job.pk})


class ImportJobTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.admin = cls.world.users["operator_admin"]
        cls.other_admin = User.objects.create_user(username="other_admin", password="x")
        cls.other_admin.groups.add(Group.objects.get(name="operator_admin"))

    def setUp(self):
        self.client.force_login(self.admin)

    def upload(self, text: str):
        with self.captureOnCommitCallbacks(execute=True):  # ImmediateBackend: the worker's part runs here
            return self.client.post(IMPORT_URL, {"file": SimpleUploadedFile("orgs.csv", text.encode())})

    @mock.patch("parkos.core.imports.PART_ROWS", 4)
    @mock.patch("parkos.core.imports.INLINE_ROWS", 10)
    def test_background_preview_counts_progress_and_names_the_bad_row_of_a_later_part(self):
        count = Organization.objects.count()
        response = self.upload(organizations_csv(12, bad_row=9))
        job = ImportJob.objects.get()
        self.assertRedirects(response, job_url(job), fetch_redirect_response=False)
        self.assertEqual((job.status, job.stage), (ImportJob.Status.PREVIEWED, ImportJob.Stage.PREVIEW))
        self.assertEqual((job.progress_done, job.progress_total, job.percent), (12, 12, 100))
        self.assertEqual(job.report["total"], 12)
        self.assertEqual(
            [(e["row"], e["line"], e["field"]) for e in job.report["errors"]], [(9, 10, "kind")], job.report
        )
        self.assertFalse(job.can_confirm)
        self.assertEqual(Organization.objects.count(), count, "a preview writes nothing")
        page = self.client.get(job_url(job))
        self.assertEqual(page.status_code, 400)
        self.assertEqual([(e.row, e.field) for e in page.context["report"].errors], [(9, "kind")])
        self.assertContains(page, 'id="import-errors"', status_code=400)
        self.assertFalse(default_storage.exists(job.stored_file), "a refused file is not kept")

    @mock.patch("parkos.core.imports.PART_ROWS", 4)
    @mock.patch("parkos.core.imports.INLINE_ROWS", 10)
    def test_polling_shows_progress_then_the_preview(self):
        job = import_job_create(
            user=self.admin, model_label="directory.organization", file_name="orgs.csv", content=b"id,name\n,A\n"
        )
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.RUNNING, progress_done=1, progress_total=4, heartbeat_at=timezone.now()
        )
        partial = self.client.get(job_url(job), headers={"HX-Request": "true"})
        self.assertContains(partial, 'hx-trigger="every 2s"')
        self.assertContains(partial, 'aria-valuenow="25"')
        self.assertNotContains(partial, "<html")

    # a "large" file at a small size: over the inline limit, in three parts, with more rows than the preview shows
    @mock.patch("parkos.core.imports.PART_ROWS", 250)
    @mock.patch("parkos.core.imports.PART_PAUSE", 0)
    @mock.patch("parkos.core.imports.INLINE_ROWS", 100)
    def test_large_file_is_previewed_and_imported_in_the_background(self):
        count = Organization.objects.count()
        response = self.upload(organizations_csv(600))
        job = ImportJob.objects.get()
        self.assertRedirects(response, job_url(job), fetch_redirect_response=False)
        self.assertEqual(job.status, ImportJob.Status.PREVIEWED, job.error)
        self.assertEqual((job.report["new"], job.report["errors"], job.progress_done), (600, [], 600))
        self.assertEqual(len(job.report["preview"]), 200)
        self.assertEqual(job.report["preview"][-1]["row"], 200)
        self.assertEqual(Organization.objects.count(), count)
        page = self.client.get(job_url(job))
        self.assertEqual(page.context["token"], job.pk)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(IMPORT_URL, {"token": job.pk})
        self.assertRedirects(response, job_url(job), fetch_redirect_response=False)
        job.refresh_from_db()
        self.assertEqual((job.status, job.stage, job.progress_done), (ImportJob.Status.DONE, "import", 600))
        self.assertEqual(Organization.objects.count(), count + 600)
        self.assertContains(self.client.get(job_url(job)), "Show the records")

    @override_settings(HEARTBEAT_TIMEOUT=60)
    def test_dead_job_is_marked_failed_with_the_reason_and_can_be_retried(self):
        job = import_job_create(
            user=self.admin, model_label="directory.organization", file_name="orgs.csv", content=b"id,name\n,A Ltd\n"
        )
        old = timezone.now() - datetime.timedelta(minutes=5)
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, started=old, heartbeat_at=old)
        page = self.client.get(job_url(job))
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.FAILED)
        self.assertIn("stopped", job.error)
        self.assertTrue(job.can_retry)
        self.assertContains(page, 'id="import-error"')
        self.assertContains(page, 'name="action" value="retry"')
        response = self.client.post(job_url(job), {"action": "retry"})
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.PREVIEWED, job.error)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(job.report["new"], 1)

    def test_live_job_is_not_marked_dead(self):
        job = import_job_create(
            user=self.admin, model_label="directory.organization", file_name="orgs.csv", content=b"id,name\n,A Ltd\n"
        )
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, heartbeat_at=timezone.now())
        self.client.get(job_url(job))
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.RUNNING)

    def test_another_user_can_neither_see_nor_confirm_nor_retry_a_job(self):
        preview = self.client.post(IMPORT_URL, {"file": SimpleUploadedFile("orgs.csv", organizations_csv(2).encode())})
        job = ImportJob.objects.get()
        self.assertEqual(preview.context["token"], job.pk)
        count = Organization.objects.count()
        self.client.force_login(self.other_admin)
        self.assertEqual(self.client.get(job_url(job)).status_code, 404)
        self.assertEqual(self.client.post(IMPORT_URL, {"token": job.pk}).status_code, 404)
        self.assertEqual(self.client.post(job_url(job), {"action": "retry"}).status_code, 404)
        self.assertEqual(self.client.post(IMPORT_URL, {"token": "../x"}).status_code, 404)
        # nor through another model's import page
        other_model = reverse("directory:person_import_job", kwargs={"job": job.pk})
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get(other_model).status_code, 404)
        self.assertEqual(Organization.objects.count(), count)
        job.refresh_from_db()
        self.assertEqual(job.status, ImportJob.Status.PREVIEWED)
