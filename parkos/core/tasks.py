"""Background work of core: an import job's preview or import, worked off by `parkos db_worker`."""

from django_tasks import task


@task()
def import_job_task(job_id: int) -> int:
    from parkos.core.imports import fail_dead_import_jobs, import_job_run
    from parkos.core.models import ImportJob

    fail_dead_import_jobs()  # jobs a killed worker left behind
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    import_job_run(job=job)
    return job.pk
