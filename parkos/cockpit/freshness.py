"""How fresh the cockpit's figures are: kept per audience, refreshed on change and on a schedule.

The figures of a page are kept (the ``cockpit`` cache, shared by every process of the server and by the
warm-up) under a key made of:

- a **version**: tokens in the cache, one per part of the cockpit (projects, agreements, leasing,
  evaluation, land, services, commitments: selectors.TOPIC_MODELS), each replaced after every write its
  part reads (parks, brands and enterprises replace them all), so the next view after a change computes
  again, and only the parts that read what was written (each part is kept on its own too);
- the **audience**: what the figures depend on of the reader. Staff who see every park share one audience;
  park-scoped staff share it with those who see the same parks with the same permissions; a government
  partner's figures are its own (its agreements are those it is party to). Never the user id otherwise,
  so one computation (the reader's or the warm-up's) serves everyone with the same view;
- the language, the money and area units, the period and the scope.

``warm()`` computes the figures the common scopes need (the group, each brand, each district and each park,
for the default period, in each language) ahead of the readers: ``parkos cockpit_warm --every 60`` runs it
whenever the version has changed and every PARKOS_COCKPIT_CACHE_SECONDS otherwise, so no reader waits.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Iterable
from contextlib import suppress
from typing import Any, cast

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import connection, transaction

from parkos.core.actors import Actor
from parkos.core.permissions import Action, Scope, can, fallback_roles_of, scope_of

CACHE_ALIAS = "cockpit"


def cache_seconds() -> int:
    """How long computed figures are kept (PARKOS_COCKPIT_CACHE_SECONDS, default five minutes; 0: never)."""
    return int(getattr(settings, "PARKOS_COCKPIT_CACHE_SECONDS", 300))


_FILE_CACHE: list[BaseCache] = []


def store() -> BaseCache:
    """The cockpit's cache, shared by every process of the server and by the warm-up: a ``cockpit`` alias
    when settings.CACHES has one, else the default cache unless it is per process (LocMemCache: the default
    without PARKOS_REDIS_URL), else files under PARKOS_VAR_DIR/cache/cockpit."""
    if CACHE_ALIAS in settings.CACHES:
        return caches[CACHE_ALIAS]
    if "locmem" not in settings.CACHES["default"]["BACKEND"].lower():
        return caches["default"]
    if not _FILE_CACHE:
        from django.core.cache.backends.filebased import FileBasedCache

        location = settings.VAR_DIR / "cache" / "cockpit"
        _FILE_CACHE.append(FileBasedCache(str(location), {"TIMEOUT": 300, "OPTIONS": {"MAX_ENTRIES": 20_000}}))
    return _FILE_CACHE[0]


def _prefix() -> str:
    """The database the figures come from: two sites (or the bench and the demo) never share figures."""
    db = settings.DATABASES["default"]
    where = f"{db.get('ENGINE')}|{db.get('HOST', '')}|{db.get('PORT', '')}|{db.get('NAME')}"
    return "cockpit:" + hashlib.sha1(where.encode("utf-8")).hexdigest()[:10]


def _version_key(topic: str) -> str:
    return f"{_prefix()}:version:{topic}"


def versions(topics: Iterable[str]) -> dict[str, str]:
    """The current version token of each topic (a new one for a topic the cache has none of)."""
    cache = store()
    keys = {topic: _version_key(topic) for topic in topics}
    found = cache.get_many(list(keys.values()))
    out = {}
    for topic, key in keys.items():
        token = found.get(key)
        if token is None:
            cache.add(key, uuid.uuid4().hex[:12], None)
            token = cache.get(key) or "0"
        out[topic] = str(token)
    return out


def version(topics: Iterable[str] | None = None) -> str:
    """One token for the versions of ``topics`` (every part of the cockpit by default): any write they read
    gives a new one."""
    from parkos.cockpit.selectors import TOPICS

    found = versions(TOPICS if topics is None else topics)
    joined = "|".join(f"{topic}={token}" for topic, token in sorted(found.items()))
    return hashlib.sha1(joined.encode()).hexdigest()[:12]


def bump(*topics: str) -> None:
    """A change the figures read: the kept figures of ``topics`` (all without) are stale from now on."""
    from parkos.cockpit.selectors import TOPICS

    store().set_many({_version_key(topic): uuid.uuid4().hex[:12] for topic in topics or TOPICS}, None)


_BUMPERS: dict[tuple[str, ...], Callable[[], None]] = {}


def _bumper(topics: tuple[str, ...]) -> Callable[[], None]:
    """One callable per set of topics, so a transaction registers it once (``changed``)."""
    if topics not in _BUMPERS:
        _BUMPERS[topics] = lambda: bump(*topics)
    return _BUMPERS[topics]


def changed(sender: type[Any], **kwargs: Any) -> None:
    """A write to a model the figures read (post_save, post_delete or a bulk write of the change log): bump
    its topics now outside a transaction, or once when the transaction commits (a rollback changes nothing)."""
    from parkos.cockpit.selectors import topics_of

    if kwargs.get("raw"):
        return  # fixtures being loaded
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
    if not any(func is callback and sids == here for sids, func, _robust in registered):
        transaction.on_commit(callback)


def audience(user: Actor) -> str:
    """What the figures depend on of ``user``: its reach (every park, its parks or its organizations), and the
    models it may read (a role that reads no leases gets no leasing tiles)."""
    from parkos.cockpit.selectors import FIGURE_MODELS, is_partner, visible_parks

    known = getattr(user, "_cockpit_audience", None)
    if known is not None:
        return cast(str, known)  # read once per user object (a request, a warm-up round)
    level = scope_of(user)
    readable = "".join("1" if can(user, model, Action.VIEW) else "0" for model in FIGURE_MODELS)
    if is_partner(user):
        reach = f"user:{getattr(user, 'pk', '')}"  # its agreements: those its organizations are party to
    elif level == Scope.EVERYTHING:
        reach = "all"
    else:
        ids = sorted(visible_parks(user).values_list("pk", flat=True))
        fallback = ",".join(sorted(role.name for role in fallback_roles_of(user)))
        reach = hashlib.sha1(f"{ids}|{fallback}".encode()).hexdigest()[:12]
    found = f"{int(level)}:{readable}:{reach}"
    with suppress(AttributeError):
        user._cockpit_audience = found  # type: ignore[union-attr]
    return found


def key(user: Actor, name: str, token: str, date_from: str, date_to: str, at: str | None = None) -> str:
    """The key of figures ``name`` for ``user`` at version ``at`` (the current one by default)."""
    from django.utils import translation

    from parkos.cockpit.selectors import Formats

    fmt = Formats(user)
    return ":".join(
        [
            _prefix(),
            at or version(),
            name,
            audience(user),
            translation.get_language() or "",
            fmt.money_unit,
            str(fmt.area_unit),
            date_from,
            date_to,
            token,
        ]
    )


def kept(
    user: Actor, name: str, token: str, date_from: str, date_to: str, compute: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """``compute()``, kept under ``key()`` for ``cache_seconds()``; computed now when missing or stale."""
    seconds = cache_seconds()
    if seconds <= 0:
        return compute()
    cache_key = key(user, name, token, date_from, date_to)
    cache = store()
    found = cache.get(cache_key)
    if found is None:
        found = compute()
        found["fresh_minutes"] = max(1, seconds // 60)
        cache.set(cache_key, found, seconds)
    return cast(dict[str, Any], found)


def kept_part(
    user: Actor, topic: str, token: str, date_from: str, date_to: str, compute: Callable[[], list[dict[str, Any]]]
) -> dict[str, Any]:
    """The tiles of one part of the cockpit and when they were computed, kept under ``topic``'s version alone:
    a write elsewhere leaves them as they are, so the view after it recomputes only the parts that read what
    was written."""
    from django.utils import timezone

    seconds = cache_seconds()
    if seconds <= 0:
        return {"tiles": compute(), "computed_at": timezone.now()}
    cache_key = key(user, f"part:{topic}", token, date_from, date_to, at=version((topic,)))
    cache = store()
    found = cache.get(cache_key)
    if found is None:
        found = {"tiles": compute(), "computed_at": timezone.now()}
        cache.set(cache_key, found, seconds)
    return cast(dict[str, Any], found)


# --- the warm-up ----------------------------------------------------------------------------------------


def _representatives() -> list[Any]:
    """One active user per audience and units among the staff who may use the cockpit (partners excluded:
    their figures are their own), admins first."""
    from django.db.models import Q

    from parkos.cockpit.selectors import Formats, may_use_cockpit
    from parkos.core.permissions import ROLES
    from parkos.users.models import User

    staff_roles = [role.name for role in ROLES if role.scope >= Scope.PARKS]
    users = (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=staff_roles))
        .distinct()
        .order_by("-is_superuser", "pk")
    )
    seen: set[tuple[str, str, str]] = set()
    out = []
    for user in users:
        if not may_use_cockpit(user):
            continue
        fmt = Formats(user)
        signature = (audience(user), str(getattr(user, "money_unit", "")), str(fmt.area_unit))
        if signature not in seen:
            seen.add(signature)
            out.append(user)
    return out


def warm(*, timeout: int | None = None, scopes: str = "all", period: Any = None) -> dict[str, int]:
    """Compute and keep the figures of the common scopes for every audience of staff, in each language, for
    the default period: the group, each brand, district and park (``scopes="group"``: the group only), and
    the benchmarking of the group's parks. Returns counts: audiences, figures computed, seconds."""
    from django.utils import translation

    from parkos.cockpit.forms import default_period
    from parkos.cockpit.selectors import cockpit_figures, park_benchmarks, resolve_scope, scope_choices

    started = time.monotonic()
    seconds = timeout if timeout is not None else 2 * max(cache_seconds(), 60)
    cache = store()
    computed = 0
    users = _representatives()
    period = period or default_period()
    dates = (period.date_from.isoformat(), period.date_to.isoformat())
    for user in users:
        for language, _label in settings.LANGUAGES:
            with translation.override(language):
                tokens = [token for token, _l in scope_choices(user)]
                if scopes == "group":
                    tokens = tokens[:1]
                for token in tokens:
                    scope = resolve_scope(user, token)
                    for name, compute in (("figures", cockpit_figures), ("parks", park_benchmarks)):
                        if name == "parks" and token != "group":
                            continue
                        # the version before computing: a change meanwhile leaves these figures stale
                        cache_key = key(user, name, scope.token, *dates)
                        found = compute(user, scope, period)
                        found["fresh_minutes"] = max(1, cache_seconds() // 60)
                        cache.set(cache_key, found, seconds)
                        computed += 1
    return {"audiences": len(users), "computed": computed, "seconds": int(time.monotonic() - started)}


def warm_loop(every: int, log: Callable[[str], None], *, scopes: str = "all") -> None:
    """Warm now, then whenever the version changes (checked every ``every`` seconds) and at least every
    PARKOS_COCKPIT_CACHE_SECONDS; ``every=0``: once."""
    last_version, last_at = "", 0.0
    while True:
        current = version()
        if current != last_version or time.monotonic() - last_at >= max(cache_seconds(), every):
            counts = warm(scopes=scopes)
            log(
                f"cockpit_warm: {counts['computed']} figures for {counts['audiences']} audiences "
                f"in {counts['seconds']} s."
            )
            last_version, last_at = current, time.monotonic()
        if not every:
            return
        time.sleep(every)
