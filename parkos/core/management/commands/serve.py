"""`parkos serve [GUNICORN OPTIONS]`: the production web server (gunicorn, settings in core.gunicorn_conf).

Binds PARKOS_BIND (default 127.0.0.1:8000) with PARKOS_WORKERS workers (default 2 x cores + 1), the
application preloaded and warmed before the workers fork; static files come from WhiteNoise. Further
options go to gunicorn as they are, after ``--`` (``parkos serve -- --log-level debug``).
"""

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the production web server (gunicorn with preloaded, warmed workers; PARKOS_BIND, PARKOS_WORKERS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("gunicorn_args", nargs="*", help="further gunicorn options (after --)")

    def handle(self, *args: Any, gunicorn_args: list[str], **options: Any) -> None:
        argv = [sys.executable, "-m", "gunicorn", "-c", "python:parkos.core.gunicorn_conf", *gunicorn_args]
        argv.append("parkos.wsgi:application")
        sys.stdout.flush()
        # gunicorn replaces this process: a service manager's signals reach its master directly
        os.execv(sys.executable, argv)
