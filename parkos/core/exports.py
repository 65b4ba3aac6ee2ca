"""Exports as background work: a list's rows or a report too large to write in the request, with progress.

A list export of at most ``inline_rows()`` rows (PARKOS_EXPORT_INLINE_ROWS, default 10,000) is written in the
request, as before; a larger one, and a PDF report of more than ``pdf_inline_rows()`` rows
(PARKOS_EXPORT_PDF_INLINE_ROWS, default 300: WeasyPrint lays out about 7 ms per row), is an ``ExportJob``
queued for the worker (`parkos db_worker`, django-tasks' database backend). The worker reads the rows in
the owner's scope as it is when the work runs (a record taken out of their reach meanwhile is left out; an
owner who may no longer see the model gets a failed export saying so), writes the file the inline path
writes (``export_bytes``), in the language the owner asked in, and keeps it in ``default_storage`` under
``exports/`` (a folder on disk, or S3) for its owner alone. Files older than PARKOS_EXPORT_KEEP_DAYS
(default 7) are removed by the periodic work (`parkos notify_due`, ``export_jobs_remove_old``).

Core knows the lists (every model's ObjectViews); a report is registered by its app
(``register_report``), so core imports no app above it. The owner hears of the outcome through the
``export_job_finished`` signal, which the notifications app listens to.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.http import HttpRequest, QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from parkos.core.heartbeat import heartbeat, stale_before
from parkos.core.models import ExportJob
from parkos.core.permissions import Action, can

if TYPE_CHECKING:
    from parkos.users.models import User

#: sent when an export is done or has failed (``job``, ``status``); sent robustly, so a listener's failure
#: never fails the export
export_job_finished = Signal()

STORAGE_DIR = "exports"
#: seconds between progress writes of a running export
PROGRESS_EVERY = 1.0
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "pdf": "pdf"}

logger = logging.getLogger(__name__)

#: what writes a report's file: (job, progress callback taking rows done) -> (file content, rows in it)
ReportWriter = Callable[[ExportJob, Callable[[int], None]], tuple[bytes, int]]
_REPORTS: dict[str, ReportWriter] = {}


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))  # settings.py reads them from the environment


def inline_rows() -> int:
    """A list export of more rows than this runs in the background."""
    return _setting("PARKOS_EXPORT_INLINE_ROWS", 10_000)


def pdf_inline_rows() -> int:
    """A PDF report of more rows than this runs in the background."""
    return _setting("PARKOS_EXPORT_PDF_INLINE_ROWS", 300)


def keep_days() -> int:
    """Days an export's file is kept after it is written."""
    return _setting("PARKOS_EXPORT_KEEP_DAYS", 7)


def register_report(name: str, writer: ReportWriter) -> None:
    """Let ``name`` (e.g. "investment.implementation") be exported in the background by ``writer``."""
    _REPORTS[name] = writer


def export_job_create(
    *, user: User, kind: str, source: str, title: str, query: str, fmt: str, rows: int = 0
) -> ExportJob:
    """Record an export for ``user`` and queue it for the worker (after the transaction commits)."""
    if fmt not in EXTENSIONS:
        raise ValueError(_("Unknown export format."))
    job = ExportJob.objects.create(
        user=user,
        kind=kind,
        source=source,
        title=title[:255],
        query=query,
        format=fmt,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        progress_total=rows,
    )
    from parkos.core.tasks import export_job_task  # imported late: a task binds its backend when defined

    job_id = job.pk
    transaction.on_commit(lambda: export_job_task.enqueue(job_id))
    return job


def export_job_run(*, job: ExportJob) -> ExportJob:
    """Write the job's file in this process; a job not queued (taken already) is left alone.

    Whatever goes wrong is the job's error, for its page and its owner's notification: never raised.
    """
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, started=now, heartbeat_at=now, progress_done=0, error=""
    )
    job.refresh_from_db()
    if not claimed:
        return job
    running = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING)
    done = [0]

    def progress(rows: int) -> None:
        done[0] = rows

    try:
        with (
            translation.override(job.language or settings.LANGUAGE_CODE),
            heartbeat(running, every=PROGRESS_EVERY, values=lambda: {"progress_done": done[0]}),
        ):
            data, rows = _write(job, progress)
            name = f"{STORAGE_DIR}/{uuid.uuid4().hex}.{EXTENSIONS[job.format]}"
            stored = default_storage.save(name, ContentFile(data))
        finished = running.update(
            status=ExportJob.Status.DONE,
            stored_file=stored,
            file_name=_file_name(job),
            progress_done=rows,
            progress_total=rows,
            finished=timezone.now(),
            heartbeat_at=timezone.now(),
        )
        if not finished:  # marked dead meanwhile: the file has no job to be downloaded from
            default_storage.delete(stored)
    except Exception as exc:
        logger.exception("export job %s failed", job.pk)
        running.update(status=ExportJob.Status.FAILED, finished=timezone.now(), error=str(exc) or repr(exc))
    job.refresh_from_db()
    if job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
        with translation.override(job.language or settings.LANGUAGE_CODE):  # what the owner is told, in their words
            export_job_finished.send_robust(sender=ExportJob, job=job, status=job.status)
    return job


def _write(job: ExportJob, progress: Callable[[int], None]) -> tuple[bytes, int]:
    if job.kind == ExportJob.Kind.REPORT:
        writer = _REPORTS.get(job.source)
        if writer is None:
            raise ValueError(_("No report called '%(name)s'.") % {"name": job.source})
        return writer(job, progress)
    return _write_list(job, progress)


def _write_list(job: ExportJob, progress: Callable[[int], None]) -> tuple[bytes, int]:
    from parkos.core.resources import export_bytes
    from parkos.core.views.generic import filtered, views_for

    try:
        model = apps.get_model(job.source)
        views = views_for(model)
    except (LookupError, ValueError, KeyError) as exc:
        raise ValueError(_("No list called '%(name)s'.") % {"name": job.source}) from exc
    user = job.user
    if not user.is_active or not can(user, model, Action.VIEW):
        raise ValueError(
            _("You may no longer see %(records)s: nothing was exported.") % {"records": model._meta.verbose_name_plural}
        )
    request = HttpRequest()  # the list's filter set reads the user from its request
    request.user = user
    request.GET = QueryDict(job.query)
    queryset = filtered(views, request, request.GET)
    total = queryset.count()
    ExportJob.objects.filter(pk=job.pk).update(progress_total=total)
    data = export_bytes(views.resource(user=user), queryset, job.format, on_rows=progress)
    return data, total


def _file_name(job: ExportJob) -> str:
    stem = job.source.rsplit(".", 1)[-1]
    return f"{stem}-{timezone.localtime(job.created):%Y-%m-%d-%H%M}.{EXTENSIONS[job.format]}"


def export_job_requeue(job_id: int) -> bool:
    """Queue again an export whose worker died writing it (its task came back); a finished one is left alone."""
    return bool(
        ExportJob.objects.filter(
            Q(status=ExportJob.Status.RUNNING) | Q(status=ExportJob.Status.FAILED, stored_file=""), pk=job_id
        ).update(status=ExportJob.Status.QUEUED, progress_done=0, error="", finished=None, heartbeat_at=None)
    )


def fail_dead_export_jobs() -> int:
    """Mark failed every export still running whose process stopped beating; how many were."""
    cutoff = stale_before()
    dead = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created__lt=cutoff)
    with suppress(DatabaseError):
        return ExportJob.objects.filter(dead, status=ExportJob.Status.RUNNING).update(
            status=ExportJob.Status.FAILED,
            finished=timezone.now(),
            error=_("The process writing it stopped: export again."),
        )
    return 0


def export_jobs_remove_old(*, now: datetime.datetime | None = None) -> int:
    """Remove the exports (their files and records) finished more than ``keep_days()`` ago; how many were."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=keep_days())
    old = ExportJob.objects.filter(finished__lt=cutoff)
    removed = 0
    for pk, stored in old.values_list("pk", "stored_file"):
        if stored:
            with suppress(FileNotFoundError):
                default_storage.delete(stored)
        removed += ExportJob.objects.filter(pk=pk).delete()[0]
    return removed
