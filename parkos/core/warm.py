"""Warm a server process before it answers: what the first request would otherwise pay for."""

from __future__ import annotations

import time
from pathlib import Path

from django.apps import apps
from django.db import connections
from django.template import TemplateDoesNotExist, TemplateSyntaxError, loader
from django.urls import get_resolver


def parkos_templates() -> list[str]:
    """The names of every template ParkOS's own apps hold (libraries' templates load when used)."""
    names = []
    for config in apps.get_app_configs():
        if not config.name.startswith("parkos."):
            continue
        root = Path(config.path) / "templates"
        names += [path.relative_to(root).as_posix() for path in sorted(root.rglob("*.html"))]
    return names


def warm() -> float:
    """Import every view (the URLconf), compile ParkOS's templates (the cached loader keeps them), and
    close the database connections this opened (a forked worker must open its own). Seconds taken."""
    started = time.perf_counter()
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 -- imports every view module
    resolver.reverse_dict  # noqa: B018 -- builds the reverse lookup table once
    for name in parkos_templates():
        try:
            loader.get_template(name)
        except (TemplateDoesNotExist, TemplateSyntaxError):
            continue  # a fragment that only works included; the page that includes it compiles it
    connections.close_all()
    return time.perf_counter() - started
