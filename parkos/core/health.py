"""The health endpoint ``/health/``: what a load balancer or a monitor asks to know the server can work.

Open without signing in and without secrets in the answer. It reports:

- ``database``: a trivial query went through. If not, the status is ``down`` and the answer is 503, so a
  load balancer takes this server out of rotation.
- ``worker``: whether ``parkos db_worker`` keeps up. Each running worker stamps its heartbeat
  (``WorkerHeartbeat``, ``running`` counts those alive); the check reads the newest sign of life (a
  worker's heartbeat, a task started or finished, the heartbeat of a running import or evaluation) and
  the oldest task waiting in the queue. The worker is ``fresh`` unless a task has waited longer than
  ``HEARTBEAT_TIMEOUT`` seconds and no sign of life came within that time: an empty queue is fine
  even with no worker, work waiting with none alive is not.
- ``queue``: tasks ready to run now.

A stale worker makes the status ``degraded`` with 200: the pages still work (imports and evaluation
runs wait), and taking the web server out of rotation would not bring the worker back.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count, Max, Min, Model
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult

from parkos.core.models import WorkerHeartbeat


def _age(moment: datetime.datetime | None, now: datetime.datetime) -> float | None:
    return None if moment is None else round(max((now - moment).total_seconds(), 0.0), 1)


def heartbeat_models() -> list[type[Model]]:
    """Models whose rows background work stamps while it runs (core.heartbeat), found by their field."""
    return [
        model
        for model in apps.get_models()
        if any(field.name == "heartbeat_at" for field in model._meta.concrete_fields)
    ]


def _newest_work(now: datetime.datetime) -> datetime.datetime | None:
    """The latest moment background work showed life: a task started or finished, or a heartbeat."""
    moments = list(DBTaskResult.objects.aggregate(Max("started_at"), Max("finished_at")).values())
    for model in heartbeat_models():
        moments.append(model._default_manager.aggregate(newest=Max("heartbeat_at"))["newest"])
    return max((m for m in moments if m is not None and m <= now), default=None)


def health() -> tuple[dict[str, Any], int]:
    """The report and its HTTP status (200 ok or degraded, 503 when the database does not answer)."""
    now = timezone.now()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return {"status": "down", "database": {"ok": False}}, 503
    queue = DBTaskResult.objects.ready().aggregate(depth=Count("pk"), oldest=Min("enqueued_at"))
    newest = _newest_work(now)
    timeout = settings.HEARTBEAT_TIMEOUT
    oldest_wait = _age(queue["oldest"], now)
    last_age = _age(newest, now)
    fresh = oldest_wait is None or oldest_wait <= timeout or (last_age is not None and last_age <= timeout)
    live_workers = WorkerHeartbeat.objects.filter(heartbeat_at__gte=now - datetime.timedelta(seconds=timeout)).count()
    report = {
        "status": "ok" if fresh else "degraded",
        "database": {"ok": True, "vendor": connection.vendor},
        "worker": {
            "fresh": fresh,
            "running": live_workers,
            "last_activity_age_seconds": last_age,
            "stale_after_seconds": timeout,
        },
        "queue": {"ready": queue["depth"], "oldest_wait_seconds": oldest_wait},
        "time": now.isoformat(),
    }
    return report, 200


@never_cache
@require_GET
def health_view(request: HttpRequest) -> JsonResponse:
    report, status = health()
    return JsonResponse(report, status=status)
