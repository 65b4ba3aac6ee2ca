"""Request ids in the logs: every log line written while a request is served carries its id.

The reverse proxy sends ``X-Request-ID`` (nginx: ``$request_id``, see deploy/nginx/parkos.conf) so its
access log and ours share the id; a request without one (or with one that is too long or holds other
than letters, digits and ``-._:``, which could forge log lines) gets a fresh id. The id goes back on the
response's ``X-Request-ID`` header, into a context variable the ``RequestIdFilter`` copies into each log
record (``%(request_id)s``), and one access line per request is logged on ``parkos.request`` (method,
path, status, duration), which settings.LOGGING writes as one JSON object per line in production.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest
from django.http.response import HttpResponseBase

HEADER = "X-Request-ID"
VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

request_id: ContextVar[str] = ContextVar("request_id", default="-")
access_log = logging.getLogger("parkos.request")


def incoming_id(value: str | None) -> str:
    """The proxy's id when it is a safe one, else a new one."""
    if value and VALID_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (``-`` outside a request: the worker, commands)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        rid = incoming_id(request.headers.get(HEADER))
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = rid
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id.reset(token)
