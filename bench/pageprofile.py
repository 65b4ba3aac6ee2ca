"""CPU time, Python calls and queries of pages rendered in-process (the web load bench's pages, one at a time).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parkos_bench_web_s1 \\
        .venv/bin/python bench/pageprofile.py [--repeat 5] [--top 25] [--as admin] URL-or-name ...

Names: ``park`` (the first park's page), ``organization`` (the organization with the most positions), or any URL.
Each page is asked for once untimed (caches, templates), then ``--repeat`` times: the median CPU time (process
time, so other jobs on the machine do not count; the wall time beside it includes the database's time), the
queries of the last request, and the Python calls under cProfile of one more request (``--top``: its costliest
functions by own time, cumulative with ``--cumulative``).
DEBUG stays off (as in production); queries are counted with an execute wrapper.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", help="URLs, or park / organization")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--top", type=int, default=0, help="print the N costliest functions of each page")
    parser.add_argument("--cumulative", action="store_true", help="order --top by cumulative time")
    parser.add_argument("--as", dest="username", default="admin", help="demo account (default admin)")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="make every kept figure stale before each request, as a write does (parkos.core.kept): the first view "
        "after a write",
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkos.settings")
    os.environ.pop("PARKOS_DEBUG", None)
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()
    logging.disable(logging.INFO)  # the request log's line per request
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from parkos.core import kept
    from parkos.directory.models import Organization
    from parkos.parks.models import Park
    from parkos.users.models import User

    settings.ALLOWED_HOSTS = ["*"]
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    client = Client()
    client.force_login(User.objects.get(username=args.username))
    topics = sorted({topic for model in kept._TOPICS_OF for topic in kept.topics_of(model)})

    def cold() -> None:
        if args.cold:
            kept.bump(*topics)

    print(f"{'page':<48} {'CPU ms':>8} {'wall ms':>8} {'calls':>9} {'queries':>7} {'KB':>5}  status")
    for page in args.pages:
        url = page
        if page == "park":
            url = Park.objects.order_by("pk").first().get_absolute_url()  # type: ignore[union-attr]
        elif page == "organization":
            organization = Organization.objects.annotate(n=Count("positions")).order_by("-n", "pk").first()
            url = organization.get_absolute_url()  # type: ignore[union-attr]
        response = client.get(url, secure=True)  # production redirects plain HTTP
        times, walls = [], []
        for _ in range(args.repeat):
            cold()
            start, wall = time.process_time(), time.perf_counter()
            queries.clear()
            with connection.execute_wrapper(count):
                response = client.get(url, secure=True)
            times.append((time.process_time() - start) * 1000)
            walls.append((time.perf_counter() - wall) * 1000)
        cold()
        profile = cProfile.Profile()
        profile.enable()
        client.get(url, secure=True)
        profile.disable()
        stats = pstats.Stats(profile)
        calls = stats.total_calls  # type: ignore[attr-defined]
        label = f"{page} ({url})" if url != page else page
        print(
            f"{label[:48]:<48} {statistics.median(times):8.0f} {statistics.median(walls):8.0f} {calls:9,d} "
            f"{len(queries):7d} "
            f"{len(response.content) / 1024:5.0f}  {response.status_code}",
            flush=True,
        )
        if args.top:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative" if args.cumulative else "tottime").print_stats(
                args.top
            )
            print(out.getvalue())


if __name__ == "__main__":
    main()
