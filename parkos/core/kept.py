"""Figures kept between requests: computed once per version of the rows they read and per audience, in a cache every
process of the server shares (issue 16: a report page costs a lookup, not its aggregate queries, until a write).

- **Topics**: each kind of kept figures names a topic and the models it reads (``watch``, from an app's
  ``AppConfig.ready``). A topic has a version token in the shared cache (``store``); every save, delete, change of a
  many-to-many link or bulk write of the change log (``bulk_written``) to one of its models replaces the token
  (``changed``), so figures kept under the token before are stale. The token is replaced when the writer's transaction
  commits (a rollback changes nothing); a topic watched ``at_once`` is bumped at the write as well (at the
  transaction's first write, and at the next after figures were read in it), so a reader inside the writer's
  transaction (a test's, or a page that writes then reads) never gets figures from before it, and a reader between
  the write and its commit, who computes from the rows as they were, is made stale again at commit.
- **Audience** (``audience``): what figures read through ``Model.objects.restrict(user)`` depend on of the reader: its
  scope, the parks or organizations it reaches and which of the models it may view. Readers with the same view share
  one computation; nobody is given figures of another reach.
- **Kept** (``kept``): the figures under a key of their name, the audience and whatever else they depend on (filter
  values, the language where labels are part of them, a minute of the clock where they count against ``now``), with
  the version read before computing (a write meanwhile leaves them stale) and their age: they are computed again on a
  new version and at the latest after ``cache_seconds()`` (PARKOS_FIGURES_CACHE_SECONDS; 0 keeps nothing).

The cockpit (parkos.cockpit.freshness) keeps its figures with the same store, tokens and receiver, adding its
warm-up and stale-while-revalidate.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from parkos.core.actors import Actor
from parkos.core.permissions import Action, Scope, can, fallback_roles_of, scope_of

T = TypeVar("T")

#: the cache aliases the kept figures live in, the first settings.CACHES has (``store``)
CACHE_ALIASES = ("kept", "cockpit")


def cache_seconds() -> int:
    """How long report figures are kept at most, even without a write (PARKOS_FIGURES_CACHE_SECONDS, default five
    minutes; 0: never kept)."""
    return int(getattr(settings, "PARKOS_FIGURES_CACHE_SECONDS", 300))


_FILE_CACHE: list[BaseCache] = []


def store() -> BaseCache:
    """The cache shared by every process of the server: a ``kept`` (or ``cockpit``) alias when settings.CACHES has
    one, else the default cache unless it is per process (LocMemCache: the default without PARKOS_REDIS_URL), else
    files under PARKOS_VAR_DIR/cache/cockpit."""
    for alias in CACHE_ALIASES:
        if alias in settings.CACHES:
            return caches[alias]
    if "locmem" not in settings.CACHES["default"]["BACKEND"].lower():
        return caches["default"]
    if not _FILE_CACHE:
        from django.core.cache.backends.filebased import FileBasedCache

        location = settings.VAR_DIR / "cache" / "cockpit"
        _FILE_CACHE.append(FileBasedCache(str(location), {"TIMEOUT": 300, "OPTIONS": {"MAX_ENTRIES": 20_000}}))
    return _FILE_CACHE[0]


def prefix() -> str:
    """The database the figures come from: two sites (or the bench and the demo) never share figures."""
    db = settings.DATABASES["default"]
    where = f"{db.get('ENGINE')}|{db.get('HOST', '')}|{db.get('PORT', '')}|{db.get('NAME')}"
    return "kept:" + hashlib.sha1(where.encode("utf-8")).hexdigest()[:10]


def version_key(topic: str) -> str:
    return f"{prefix()}:version:{topic}"


def versions(topics: Iterable[str]) -> dict[str, str]:
    """The current version token of each topic (a new one for a topic the cache has none of)."""
    cache = store()
    keys = {topic: version_key(topic) for topic in topics}
    found = cache.get_many(list(keys.values()))
    out = {}
    for topic, key in keys.items():
        token = found.get(key)
        if token is None:
            cache.add(key, uuid.uuid4().hex[:12], None)
            token = cache.get(key) or "0"
        out[topic] = str(token)
    return out


def joined(tokens: dict[str, Any]) -> str:
    """One token for the tokens of several topics."""
    return hashlib.sha1("|".join(f"{topic}={token}" for topic, token in sorted(tokens.items())).encode()).hexdigest()[
        :12
    ]


def version(topics: Iterable[str]) -> str:
    """One token for the versions of ``topics``: any write they read gives a new one."""
    return joined(versions(topics))


def bump(*topics: str) -> None:
    """A change the figures of ``topics`` read: those kept are stale from now on."""
    if topics:
        store().set_many({version_key(topic): uuid.uuid4().hex[:12] for topic in topics}, None)


# --- what each topic reads -------------------------------------------------------------------------------------

#: model -> the topics whose figures read it
_TOPICS_OF: dict[type[Model], tuple[str, ...]] = {}
#: topics bumped at the write as well as at its commit
_AT_ONCE: set[str] = set()


def watch(topic: str, models: Iterable[type[Model]], *, at_once: bool = True) -> None:
    """The figures kept under ``topic`` read ``models``: every write to one of them (a save, a delete, a link added
    or removed when the model is a many-to-many table, a logged bulk write) makes them stale (``changed``)."""
    from parkos.core.changelog import bulk_written

    if at_once:
        _AT_ONCE.add(topic)
    for model in models:
        topics = _TOPICS_OF.get(model, ())
        if topic in topics:
            continue
        _TOPICS_OF[model] = (*topics, topic)
        uid = f"kept-{model._meta.label}"
        if model._meta.auto_created:  # a many-to-many table: its rows are written by add(), remove(), clear()
            m2m_changed.connect(changed, sender=model, dispatch_uid=f"{uid}-links")
        post_save.connect(changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(changed, sender=model, dispatch_uid=f"{uid}-delete")
        bulk_written.connect(changed, sender=model, dispatch_uid=f"{uid}-bulk")


def topics_of(model: type[Any]) -> tuple[str, ...]:
    """The topics a write to ``model`` makes stale."""
    return _TOPICS_OF.get(model, ())


_BUMPERS: dict[tuple[str, ...], Callable[[], None]] = {}


def _bumper(topics: tuple[str, ...]) -> Callable[[], None]:
    """One callable per set of topics, so a transaction registers it once (``changed``)."""
    if topics not in _BUMPERS:
        _BUMPERS[topics] = lambda: bump(*topics)
    return _BUMPERS[topics]


#: set on the connection when figures are read inside a transaction (``kept``): its next write bumps at once
READ_IN_TRANSACTION = "_kept_figures_read"

#: the actions of ``m2m_changed`` after which the links are written
_LINKS_WRITTEN = ("post_add", "post_remove", "post_clear")


def changed(sender: type[Any], **kwargs: Any) -> None:
    """A write to a model kept figures read: bump its topics now outside a transaction; inside one, once when it
    commits (a rollback changes nothing), and now as well for the topics watched ``at_once``."""
    if kwargs.get("raw"):
        return  # fixtures being loaded
    if "action" in kwargs and kwargs["action"] not in _LINKS_WRITTEN:
        return
    topics = topics_of(sender)
    if not topics:
        return
    callback = _bumper(topics)
    if not connection.in_atomic_block:
        callback()
        return
    # once per savepoint: the callbacks of a savepoint rolled back are dropped with it
    here = set(connection.savepoint_ids)
    registered = cast(list[tuple[set[str], Any, bool]], connection.run_on_commit)
    first = not any(func is callback and sids == here for sids, func, _robust in registered)
    now = tuple(topic for topic in topics if topic in _AT_ONCE)
    # at once: at the transaction's first write of them, and again after figures were read in a transaction (which
    # may have kept them with the writes so far); not at every row of an import
    if now and (first or getattr(connection, READ_IN_TRANSACTION, False)):
        setattr(connection, READ_IN_TRANSACTION, False)
        bump(*now)
    if first:
        transaction.on_commit(callback)


# --- who reads them --------------------------------------------------------------------------------------------


def audience(user: Actor, models: Sequence[type[Model]]) -> str:
    """What figures read through ``restrict(user)`` from ``models`` depend on of ``user``: its scope, which of the
    models it may view, and its reach: every park, the parks it sees (with the rows of no park when it covers them
    as a fallback) or its organizations. Never the user itself, so readers with the same view share figures."""
    memo = getattr(user, "__dict__", {}).setdefault("_kept_audiences", {})
    names = tuple(model._meta.label for model in models)
    if names in memo:
        return cast(str, memo[names])  # read once per user object (a request)
    level = scope_of(user)
    readable = "".join("1" if can(user, model, Action.VIEW) else "0" for model in models)
    if level == Scope.EVERYTHING:
        reach = "all"
    elif level == Scope.PARKS:
        ids = sorted(row["pk"] for row in user.scope_park_ids())  # type: ignore[union-attr]
        fallback = ",".join(sorted(role.name for role in fallback_roles_of(user)))
        reach = "parks:" + hashlib.sha1(f"{ids}|{fallback}".encode()).hexdigest()[:12]
    elif level == Scope.ORGANIZATION:
        ids = sorted(row["pk"] for row in user.scope_organization_ids())  # type: ignore[union-attr]
        reach = "organizations:" + hashlib.sha1(f"{ids}".encode()).hexdigest()[:12]
    else:
        reach = "none"
    found = f"{int(level)}:{readable}:{reach}"
    with suppress(AttributeError, TypeError):
        memo[names] = found
    return found


# --- keeping them ----------------------------------------------------------------------------------------------


def key(name: str, *parts: Any) -> str:
    """The cache key of figures ``name`` for ``parts`` (the audience, filter values, ...)."""
    described = "|".join("" if part is None else str(part) for part in parts)
    return f"{prefix()}:kept:{name}:{hashlib.sha1(described.encode('utf-8')).hexdigest()[:16]}"


def kept(name: str, topics: Sequence[str], parts: Sequence[Any], compute: Callable[[], T]) -> T:
    """``compute()``, kept under ``name`` and ``parts`` until a write to what ``topics`` read, or ``cache_seconds()``
    (0: computed every time). The version is read before computing: a write meanwhile leaves the figures stale."""
    seconds = cache_seconds()
    if seconds <= 0:
        return compute()
    if connection.in_atomic_block:
        setattr(connection, READ_IN_TRANSACTION, True)
    cache = store()
    cache_key = key(name, *parts)
    wanted = [cache_key, *(version_key(topic) for topic in topics)]
    found = cache.get_many(wanted)
    if any(version_key(topic) not in found for topic in topics):
        current = version(topics)
    else:
        current = joined({topic: found[version_key(topic)] for topic in topics})
    entry = found.get(cache_key)
    if entry is not None and entry.get("version") == current and time.time() - float(entry.get("at", 0)) < seconds:
        return cast(T, entry["figures"])
    figures = compute()
    cache.set(cache_key, {"version": current, "at": time.time(), "figures": figures}, seconds)
    return figures
