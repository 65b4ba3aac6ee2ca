"""Background work of core: an import job's preview or import, worked off by `parkos db_worker`."""

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
