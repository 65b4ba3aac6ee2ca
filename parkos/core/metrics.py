"""Prometheus metrics at ``/metrics`` (django-prometheus: requests, responses, latencies, per view).

Never public: only addresses in ``PARKOS_METRICS_ALLOW`` (addresses or networks, comma-separated;
default loopback) get an answer, everyone else 403. Behind the reverse proxy every request comes from
loopback, so the proxy must refuse /metrics itself (deploy/nginx/parkos.conf does); Prometheus scrapes
the app server's port directly. Under ``parkos serve`` the workers share their counts through
``PROMETHEUS_MULTIPROC_DIR``, which the command sets up.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django_prometheus.exports import ExportToDjangoView


@cache
def allowed_networks(spec: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in spec.split(",") if part.strip())


def allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in allowed_networks(settings.PARKOS_METRICS_ALLOW))


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not allowed(request.META.get("REMOTE_ADDR", "")):
        return HttpResponseForbidden("Metrics are not served to this address.\n", content_type="text/plain")
    response: HttpResponse = ExportToDjangoView(request)
    return response
