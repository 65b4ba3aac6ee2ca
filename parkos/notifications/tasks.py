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


@task()
def deliver_many_task(delivery_ids: list[int]) -> dict[str, int]:
    """The deliveries of a batch of events (the scheduled checks'), one after another: one queue row for all."""
    import logging
    from collections import Counter

    from parkos.notifications.models import Delivery
    from parkos.notifications.services import delivery_attempt

    outcomes: Counter[str] = Counter()
    deliveries = Delivery.objects.select_related("event", "event__content_type", "endpoint", "recipient")
    for delivery in deliveries.filter(pk__in=delivery_ids).order_by("pk"):
        try:
            outcomes[delivery_attempt(delivery=delivery).status] += 1
        except Exception:  # one broken delivery must not keep the others from going out
            logging.getLogger(__name__).exception("delivery %s not attempted", delivery.pk)
            outcomes["error"] += 1
    return dict(outcomes)
