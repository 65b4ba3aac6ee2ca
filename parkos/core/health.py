"""The health endpoint ``/health/``: what a load balancer or a monitor asks to know the server can work.

Open without signing in and without secrets in the answer. It reports:

- ``database``: a trivial query went through. If not, the status is ``down`` and the answer is 503, so a
  load balancer takes this server out of rotation.
- ``worker``: whether ``parkos db_worker`` keeps up. Each running worker stamps its heartbeat
  (``WorkerHeartbeat``, every HEARTBEAT_INTERVAL seconds, busy or idle; ``running`` counts those alive);
  the check reads the newest heartbeat and the oldest task waiting in the queue. The worker is
  ``fresh`` unless a task has waited longer than ``HEARTBEAT_TIMEOUT`` seconds and no worker beat within
  that time: an empty queue is fine even with no worker, work waiting with none alive is not.
- ``cache`` (only with PARKOS_REDIS_URL): the shared cache answered a write and a read. Sessions and the
  cockpit's figures live there, so without it pages fail: the status is ``down`` and the answer 503.
- ``queue``: tasks ready to run now, counted up to ``QUEUE_COUNT_LIMIT`` (``ready_capped`` says the
  queue is longer), and the wait of the oldest of those.

The check never reads the whole tasks table, which keeps every task ever run: the queue is read
through django-tasks-db's partial index of the ready tasks, at most ``QUEUE_COUNT_LIMIT`` rows, and
the workers' table has a row per live worker. Three queries in all.

A stale worker makes the status ``degraded`` with 200: the pages still work (imports and evaluation
runs wait), and taking the web server out of rotation would not bring the worker back.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Count, Max, Min, Q
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult

from parkos.core.models import WorkerHeartbeat


def _age(moment: datetime.datetime | None, now: datetime.datetime) -> float | None:
    return None if moment is None else round(max((now - moment).total_seconds(), 0.0), 1)


#: the queue's depth is counted up to this many tasks (the health check stays one short index read)
QUEUE_COUNT_LIMIT = 1000


def _queue() -> tuple[int, datetime.datetime | None]:
    """How many tasks are ready (up to QUEUE_COUNT_LIMIT + 1) and when the oldest of them was queued.

    One bounded query: the ready tasks in the order the workers take them (the partial index
    ``tasks_db_new_ordering_idx``), at most QUEUE_COUNT_LIMIT + 1 of them, then counted.
    """
    ordering: list[Any] = list(DBTaskResult._meta.ordering or [])
    head = DBTaskResult.objects.ready().order_by(*ordering).values("pk")
    queue = DBTaskResult.objects.filter(pk__in=head[: QUEUE_COUNT_LIMIT + 1]).aggregate(
        depth=Count("pk"), oldest=Min("enqueued_at")
    )
    depth, oldest = queue["depth"], queue["oldest"]
    return int(depth), oldest


def _cache() -> dict[str, Any] | None:
    """Whether the shared cache (Redis) answers a write and a read; None when the cache is per process."""
    backend = settings.CACHES["default"]["BACKEND"]
    if "redis" not in backend.lower():
        return None
    key = f"parkos:health:{uuid.uuid4().hex}"
    try:
        cache.set(key, 1, timeout=10)
        ok = cache.get(key) == 1
        cache.delete(key)
    except Exception:  # redis.ConnectionError and friends: the library's own classes
        ok = False
    return {"ok": ok, "backend": "redis"}


def health() -> tuple[dict[str, Any], int]:
    """The report and its HTTP status (200 ok or degraded, 503 when the database does not answer)."""
    now = timezone.now()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return {"status": "down", "database": {"ok": False}}, 503
    cache_report = _cache()
    if cache_report is not None and not cache_report["ok"]:
        return {"status": "down", "database": {"ok": True, "vendor": connection.vendor}, "cache": cache_report}, 503
    depth, oldest = _queue()
    timeout = settings.HEARTBEAT_TIMEOUT
    cutoff = now - datetime.timedelta(seconds=timeout)
    workers = WorkerHeartbeat.objects.aggregate(
        newest=Max("heartbeat_at"), live=Count("pk", filter=Q(heartbeat_at__gte=cutoff))
    )
    newest = workers["newest"] if workers["newest"] is None or workers["newest"] <= now else now
    oldest_wait = _age(oldest, now)
    last_age = _age(newest, now)
    fresh = oldest_wait is None or oldest_wait <= timeout or (last_age is not None and last_age <= timeout)
    report = {
        "status": "ok" if fresh else "degraded",
        "database": {"ok": True, "vendor": connection.vendor},
        "worker": {
            "fresh": fresh,
            "running": workers["live"],
            "last_activity_age_seconds": last_age,
            "stale_after_seconds": timeout,
        },
        **({"cache": cache_report} if cache_report is not None else {}),
        "queue": {
            "ready": min(depth, QUEUE_COUNT_LIMIT),
            "ready_capped": depth > QUEUE_COUNT_LIMIT,
            "oldest_wait_seconds": oldest_wait,
        },
        "time": now.isoformat(),
    }
    return report, 200


@never_cache
@require_GET
def health_view(request: HttpRequest) -> JsonResponse:
    report, status = health()
    return JsonResponse(report, status=status)
