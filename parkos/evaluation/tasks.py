"""Background work: an evaluation run queued from the web page, worked off by `parkos db_worker`."""

from django_tasks import task


@task()
def evaluation_run_task(run_id: int) -> int:
    from parkos.evaluation.models import EvaluationRun
    from parkos.evaluation.selectors import fail_dead_runs
    from parkos.evaluation.services import evaluation_run_execute

    fail_dead_runs()  # runs a killed worker left behind
    run = EvaluationRun.objects.select_related("scheme", "created_by").get(pk=run_id)
    evaluation_run_execute(run=run)
    return run.pk
