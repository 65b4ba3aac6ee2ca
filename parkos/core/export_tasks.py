"""Background work of core's exports (core.exports), worked off by `parkos db_worker`.

Kept apart from core.exports, which the views import when the apps load: a task binds its backend when it
is defined, and tests choose theirs (the immediate one) after the apps have loaded.
"""

from django_tasks import task


@task()
def export_job_task(job_id: int) -> int:
    """The worker's part: write the export's file (core.exports)."""
    from parkos.core.exports import export_job_run, fail_dead_export_jobs
    from parkos.core.models import ExportJob

    fail_dead_export_jobs()  # exports a killed worker left behind
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    export_job_run(job=job)
    return job.pk
