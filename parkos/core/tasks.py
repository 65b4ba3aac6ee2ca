"""Background work of core: an import job's preview or import, and a large export, worked off by `parkos db_worker`.

Imported only when work is queued or run: a task binds its backend when it is defined, and tests choose
theirs (the immediate one) after the apps have loaded.
"""

from django_tasks import TaskContext, task


@task(takes_context=True)
def import_job_task(context: TaskContext, job_id: int) -> int:
    from parkos.core.imports import fail_dead_import_jobs, import_job_requeue, import_job_run
    from parkos.core.models import ImportJob

    if context.attempt > 1:
        # this task's worker died mid-job and the task came back (core.workers): the job starts afresh
        import_job_requeue(job_id)
    fail_dead_import_jobs()  # jobs a killed worker left behind
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    import_job_run(job=job)
    return job.pk


@task(takes_context=True)
def export_job_task(context: TaskContext, job_id: int) -> int:
    """Write a large export's file (core.exports)."""
    from parkos.core.exports import export_job_requeue, export_job_run, fail_dead_export_jobs
    from parkos.core.models import ExportJob

    if context.attempt > 1:
        export_job_requeue(job_id)  # this task's worker died mid-export and the task came back (core.workers)
    fail_dead_export_jobs()  # exports a killed worker left behind
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    export_job_run(job=job)
    return job.pk
