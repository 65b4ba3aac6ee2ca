"""Background work for press intake: a batch of files or web addresses read one by one by `parkos db_worker`."""

from django_tasks import task


@task()
def article_batch_task(batch_id: int) -> int:
    from parkos.intake.models import ArticleBatch
    from parkos.intake.services import article_batch_run

    batch = ArticleBatch.objects.select_related("park", "created_by").get(pk=batch_id)
    article_batch_run(batch=batch)
    return batch.pk
