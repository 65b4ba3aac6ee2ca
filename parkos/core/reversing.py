"""URLs of a URL name reversed once per URL configuration, script prefix and language, then filled in.

Django's ``reverse`` walks the resolver on every call (about 40 Python calls); a list page reversed about 180
URLs (the menu's list and add pages, a link per row and column), a tenth of its Python calls (issue 16). A
URL name without arguments always reverses to the same path, and one taking a whole-number ``pk`` differs only
in that number: both are reversed once and kept. Anything else goes to ``reverse`` as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

#: a pk no table reaches, reversed in place of the real one and then replaced by it
_SENTINEL = "918273645"
_paths: dict[tuple[Any, ...], str | None] = {}


def _key(viewname: str, kind: str) -> tuple[Any, ...]:
    return (viewname, kind, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), get_language())


def reverse_name(viewname: str) -> str:
    """``reverse(viewname)`` of a URL that takes no arguments."""
    key = _key(viewname, "")
    path = _paths.get(key)
    if path is None:
        path = _paths[key] = reverse(viewname)
    return path


def pk_pattern(viewname: str) -> str | None:
    """The path ``reverse_pk`` fills in for ``viewname``, with ``PK_PLACEHOLDER`` where the pk goes; None when the
    URL takes its pk otherwise (``reverse_pk`` reverses each pk then)."""
    key = _key(viewname, "pk")
    if key not in _paths:
        try:
            pattern: str | None = reverse(viewname, kwargs={"pk": int(_SENTINEL)})
        except NoReverseMatch:
            pattern = None
        _paths[key] = pattern if pattern is not None and pattern.count(_SENTINEL) == 1 else None
    return _paths[key]


#: where ``pk_pattern``'s path holds the pk
PK_PLACEHOLDER = _SENTINEL


def reverse_pk(viewname: str, pk: Any) -> str:
    """``reverse(viewname, kwargs={"pk": pk})``."""
    if type(pk) is not int or pk < 0:  # a negative or non-integer key: as Django reverses it
        return reverse(viewname, kwargs={"pk": pk})
    pattern = pk_pattern(viewname)
    if pattern is None:
        return reverse(viewname, kwargs={"pk": pk})
    return pattern.replace(_SENTINEL, str(pk))


def pk_reverser(viewname: str) -> Callable[[Any], str]:
    """``reverse_pk`` for ``viewname`` with its pattern looked up once: for a loop that links many rows to one URL
    name (the lookup reads the URL configuration, script prefix and language, about 35 Python calls each time)."""
    pattern = pk_pattern(viewname)

    def reverse_one(pk: Any) -> str:
        if pattern is None or type(pk) is not int or pk < 0:
            return reverse(viewname, kwargs={"pk": pk})
        return pattern.replace(_SENTINEL, str(pk))

    return reverse_one


@receiver(setting_changed)
def _forget(setting: str, **kwargs: Any) -> None:
    """A test that swaps the URL configuration (as Django clears its own URL caches)."""
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME", "LANGUAGE_CODE", "LANGUAGES"}:
        _paths.clear()
