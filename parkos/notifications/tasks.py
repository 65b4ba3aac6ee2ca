"""Background work of notifications: one delivery's attempt, and the periodic checks, run by `parkos db_worker`."""

from django_tasks import task


@task()
def deliver_task(delivery_id: int) -> str:
    from parkos.notifications.models import Delivery
    from parkos.notifications.services import delivery_attempt

    delivery = (
        Delivery.objects.select_related("event", "event__content_type", "endpoint").filter(pk=delivery_id).first()
    )
    if delivery is None:
        return "gone"
    return delivery_attempt(delivery=delivery).status
