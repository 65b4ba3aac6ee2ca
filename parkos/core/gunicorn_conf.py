"""Gunicorn settings of `parkos serve` (also usable as ``gunicorn -c python:parkos.core.gunicorn_conf parkos.wsgi``).

PARKOS_BIND     address and port to listen on (default 127.0.0.1:8000; the reverse proxy in front)
PARKOS_WORKERS  worker processes (default 2 x cores + 1)
PARKOS_TIMEOUT  seconds a request may take before its worker is restarted (default 60; long work goes to
                `parkos db_worker`)

The application is loaded once in the master (``preload_app``) and warmed there (every URL pattern's
views imported, every template of ParkOS compiled) before the workers fork, so no user waits for a
first request to import the pages. The workers share their Prometheus counts through files in
PROMETHEUS_MULTIPROC_DIR (default var/prometheus), emptied at start.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
from pathlib import Path
from typing import Any

_var_dir = Path(os.environ.get("PARKOS_VAR_DIR", Path(__file__).resolve().parents[2] / "var")).resolve()
# Set, and emptied (a previous run's workers' counts are not this run's), before the application and
# prometheus_client, which reads it once, are imported: the preloaded application comes before any hook.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(_var_dir / "prometheus"))
shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)

bind = [address.strip() for address in os.environ.get("PARKOS_BIND", "127.0.0.1:8000").split(",") if address.strip()]
workers = int(os.environ.get("PARKOS_WORKERS") or 2 * multiprocessing.cpu_count() + 1)
timeout = int(os.environ.get("PARKOS_TIMEOUT", "60"))
graceful_timeout = 30
preload_app = True
accesslog = None  # ParkOS logs each request itself, with its request id (parkos.core.requestlog)
errorlog = "-"
# the reverse proxy on this machine sets X-Forwarded-Proto (settings.SECURE_PROXY_SSL_HEADER)
forwarded_allow_ips = os.environ.get("PARKOS_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "parkos"


def when_ready(server: Any) -> None:
    """The preloaded application is warmed in the master, before the workers fork; then what it holds is
    frozen out of the garbage collector's reach (gc.freeze), so that a worker's full collections do not walk
    the hundreds of thousands of objects of the loaded application on every page that happens to trigger
    one (measured: 110-125 ms of CPU each, the p95 of a page that made many objects), nor copy their pages."""
    from parkos.core.warm import warm

    seconds = warm()
    gc.collect()
    gc.freeze()
    server.log.info(
        "ParkOS warmed in %.1f s, %d objects frozen; %d workers on %s",
        seconds,
        gc.get_freeze_count(),
        server.num_workers,
        ", ".join(bind),
    )


def child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
