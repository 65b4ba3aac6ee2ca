"""Import jobs: a file's preview (dry run) and import, in the request when small, as background work when large.

A small file (up to ``INLINE_ROWS`` rows) is checked and imported in the request, as before: its page
answers at once. A larger one is queued for the worker (`parkos db_worker`, django-tasks' database
backend); its page polls the job's progress (rows done of rows in the file, counted by the resource's
``on_row`` callback and written with the heartbeat from a connection of its own, so it is seen while the
work's transaction is open) and then shows the preview with every row's error, or the import's outcome.

The semantics are the resource's: ``PrimaryResource.import_dataset`` checks or writes all rows or none,
in one transaction. One exception, on SQLite only, where a writer holds the whole database: the preview
of a large file is checked in parts of ``PART_ROWS`` rows, each rolled back, with a pause between them
so that logins and other writers get the lock. A row that refers to a record another row of the same
file creates (an industry's parent) needs them in one transaction, so such models are checked whole;
a value repeated across parts (a duplicate credit code) is then found by the import itself, which still
writes nothing if any row is refused. The import is always one transaction.
"""

from __future__ import annotations

import datetime
import logging
import os
import time
import uuid
from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING

import tablib
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from parkos.core.heartbeat import beat, heartbeat, stale_before, waiting_briefly
from parkos.core.models import ImportJob
from parkos.core.resources import ImportReport, PrimaryResource, load_dataset, resource_for

#: sent when a job's import is done or has failed (``job``, ``status``): the notifications app listens, so
#: core knows nothing of who is told; sent robustly, so a listener's failure never fails the import
import_job_finished = Signal()

#: files with at most this many rows are checked and imported in the request (PARKOS_IMPORT_INLINE_ROWS)
INLINE_ROWS = int(os.environ.get("PARKOS_IMPORT_INLINE_ROWS", "2000"))
#: SQLite: a large preview is checked in parts of this many rows (about a second each) ...
PART_ROWS = 500
#: ... with this pause (seconds) between them, for waiting writers to take the lock
PART_PAUSE = 0.1
#: seconds between progress writes of a running job
PROGRESS_EVERY = 1.0
STORAGE_DIR = "imports"

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from parkos.users.models import User


def import_job_create(*, user: User, model_label: str, file_name: str, content: bytes) -> ImportJob:
    """Store an uploaded file and queue its preview; ValueError (the message for the user) if it cannot be read."""
    dataset = load_dataset(content, file_name)
    extension = file_name.lower().rsplit(".", 1)[-1]
    stored = default_storage.save(f"{STORAGE_DIR}/{uuid.uuid4().hex}.{extension}", ContentFile(content))
    return ImportJob.objects.create(
        user=user,
        model_label=model_label,
        file_name=file_name[:255],
        stored_file=stored,
        progress_total=len(dataset),
    )


def runs_inline(job: ImportJob) -> bool:
    """Whether the job is small enough to run in the request."""
    return job.progress_total <= INLINE_ROWS


def import_job_start(*, job: ImportJob) -> ImportJob:
    """Run a queued job now if it is small, else hand it to the background worker."""
    if runs_inline(job):
        try:
            return import_job_run(job=job)
        except Exception:  # the job is failed, with the reason, for its page to show
            logger.exception("import job %s failed", job.pk)
            job.refresh_from_db()
            return job
    from parkos.core.tasks import import_job_task

    job_id = job.pk
    transaction.on_commit(lambda: import_job_task.enqueue(job_id))
    return job


def import_job_confirm(*, job: ImportJob) -> ImportJob:
    """The user's go-ahead after a clean preview: queue the import of the same file."""
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
        stage=ImportJob.Stage.IMPORT, status=ImportJob.Status.QUEUED, progress_done=0, error="", finished=None
    )
    job.refresh_from_db()
    if not updated or job.report.get("errors"):
        raise ValueError(_("This file cannot be imported: preview it again."))
    return import_job_start(job=job)


def import_job_retry(*, job: ImportJob) -> ImportJob:
    """Run again the stage of a job that failed for a reason other than its rows (its process died)."""
    if not job.can_retry or not default_storage.exists(job.stored_file):
        raise ValueError(_("This import cannot be retried: upload the file again."))
    ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.FAILED).update(
        status=ImportJob.Status.QUEUED, progress_done=0, error="", finished=None, heartbeat_at=None
    )
    job.refresh_from_db()
    return import_job_start(job=job)


def import_job_requeue(job_id: int) -> bool:
    """Queue again the job of a task whose worker died running it (core.workers brought the task back).

    Its stage ran in one transaction that died with the process, so nothing of it was written. The job is
    still running, or was marked failed since by a reader who found its heartbeat stale; one that finished,
    or failed for its rows, is left as it is, and so is one the dead worker had not yet taken (queued).
    """
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or not (job.status == ImportJob.Status.RUNNING or job.can_retry):
        return False
    return bool(
        ImportJob.objects.filter(pk=job_id, status=job.status).update(
            status=ImportJob.Status.QUEUED, progress_done=0, error="", finished=None, heartbeat_at=None
        )
    )


def import_job_run(*, job: ImportJob) -> ImportJob:
    """Do the job's stage (preview or import) in this process; a job not queued (taken already) is left alone."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started=now, heartbeat_at=now, progress_done=0, error=""
    )
    job.refresh_from_db()
    if not claimed:
        return job
    done = [0]

    def count_row() -> None:
        done[0] += 1

    running = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING)

    def pulse() -> None:
        # between the parts of a SQLite preview the lock is free for a moment, which the heartbeat thread may
        # miss while logins take it: beat from here too, so a live job never looks dead
        with suppress(DatabaseError):
            beat(running, progress_done=done[0])

    try:
        with heartbeat(running, every=PROGRESS_EVERY, values=lambda: {"progress_done": done[0]}):
            _run_stage(job, count_row, pulse)
    except Exception as exc:
        running.update(status=ImportJob.Status.FAILED, finished=timezone.now(), error=str(exc) or repr(exc))
        job.refresh_from_db()
        import_job_finished.send_robust(sender=ImportJob, job=job, status=ImportJob.Status.FAILED)
        raise
    job.refresh_from_db()
    if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED) or job.report.get("errors"):
        default_storage.delete(job.stored_file)  # nothing more can be done with it
    return job


def _run_stage(job: ImportJob, on_row: Callable[[], None], pulse: Callable[[], None]) -> None:
    with default_storage.open(job.stored_file) as handle:
        content = handle.read()
    dataset = load_dataset(content, job.stored_file)
    resource = resource_for(job.model_label)(user=job.user)
    if job.stage == ImportJob.Stage.PREVIEW:
        report = _preview(resource, dataset, on_row, pulse)
        _finish(job, report, ImportJob.Status.PREVIEWED)
        return
    with transaction.atomic():  # the outcome is written with the rows, so no reader sees one without the other
        report = resource.import_dataset(dataset, dry_run=False, on_row=on_row)
        _finish(job, report, ImportJob.Status.DONE if report.ok else ImportJob.Status.FAILED)


def _preview(
    resource: PrimaryResource, dataset: tablib.Dataset, on_row: Callable[[], None], pulse: Callable[[], None]
) -> ImportReport:
    if connection.vendor != "sqlite" or len(dataset) <= PART_ROWS or _refers_to_itself(resource):
        return resource.import_dataset(dataset, dry_run=True, on_row=on_row)
    report = ImportReport()
    for start in range(0, len(dataset), PART_ROWS):
        if start:
            pulse()
            time.sleep(PART_PAUSE)  # SQLite's lock is free now: a waiting login takes it
        part = tablib.Dataset(*dataset[start : start + PART_ROWS], headers=dataset.headers)
        part_report = resource.import_dataset(part, dry_run=True, on_row=on_row)
        report.merge(part_report, offset=start)
        if any(error.row == 0 for error in part_report.errors):
            break  # an error of the whole file (a missing key column): each part would repeat it
    report.total = len(dataset)
    return report


def _refers_to_itself(resource: PrimaryResource) -> bool:
    """Whether a column names another record of the same model (which an earlier row may create)."""
    model = resource._meta.model
    return any(getattr(f.widget, "model", None) is model for f in resource.get_import_fields())


def _finish(job: ImportJob, report: ImportReport, status: str) -> None:
    now = timezone.now()
    error = "" if report.ok else _("The file has errors: nothing was written.")
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        report=report.to_json(),
        progress_done=report.total,
        finished=now if status != ImportJob.Status.PREVIEWED else None,
        heartbeat_at=now,
        error=error if status == ImportJob.Status.FAILED else "",
    )
    if status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        import_job_finished.send_robust(sender=ImportJob, job=job, status=status)


def fail_dead_import_jobs() -> int:
    """Mark failed, with the reason, every job still running whose process stopped beating; how many were.

    Called where jobs are shown and by the worker before it starts one. While a live worker holds SQLite's
    write lock for an import, its heartbeat cannot be written either; the write here then gives up at once
    and the job stays running: it finishes, or dies and frees the lock, soon enough.
    """
    cutoff = stale_before()
    dead = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created__lt=cutoff)
    running = ImportJob.objects.filter(status=ImportJob.Status.RUNNING)
    failed = 0
    for pk, heartbeat_at, created in running.filter(dead).values_list("pk", "heartbeat_at", "created"):
        last: datetime.datetime = heartbeat_at or created
        reason = _("The process running it stopped (no heartbeat since %(time)s).") % {
            "time": formats.date_format(timezone.localtime(last), "DATETIME_FORMAT")
        }
        try:
            with waiting_briefly():
                failed += running.filter(dead, pk=pk).update(
                    status=ImportJob.Status.FAILED, finished=timezone.now(), error=reason
                )
        except DatabaseError:
            break  # the database is being written: by that job, alive
    return failed
