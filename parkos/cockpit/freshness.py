"""How fresh the cockpit's figures are: kept per audience, refreshed on change and on a schedule.

The figures of a page are kept (parkos.core.kept's cache, shared by every process of the server and by the
warm-up, with its version tokens and the receiver that bumps them) under a key made of:

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
every max(60 s, PARKOS_COCKPIT_CACHE_SECONDS), and between full rounds looks at the versions every few
seconds (``--poll``) and recomputes only the parts and scopes a change made stale. Meanwhile a reader of
such figures gets the ones computed before the change at once, marked ``stale`` with ``behind`` (how many
seconds a change takes to show): the page says a refresh is under way. A reader computes figures only when
nobody refreshes them for it (another period, a partner's figures, no warm-up running).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any

from django.conf import settings

from parkos.core import kept as core_kept
from parkos.core.actors import Actor
from parkos.core.kept import changed, prefix, store, version_key, versions
from parkos.core.permissions import Action, Scope, can, scope_of

__all__ = ["audience", "bump", "changed", "kept", "kept_part", "store", "version", "versions", "warm", "warm_loop"]


def cache_seconds() -> int:
    """How long computed figures are kept (PARKOS_COCKPIT_CACHE_SECONDS, default five minutes; 0: never)."""
    return int(getattr(settings, "PARKOS_COCKPIT_CACHE_SECONDS", 300))


def version(topics: Iterable[str] | None = None) -> str:
    """One token for the versions of ``topics`` (every part of the cockpit by default): any write they read
    gives a new one."""
    from parkos.cockpit.selectors import TOPICS

    return core_kept.version(TOPICS if topics is None else topics)


def bump(*topics: str) -> None:
    """A change the figures read: the kept figures of ``topics`` (all without) are stale from now on."""
    from parkos.cockpit.selectors import TOPICS

    core_kept.bump(*(topics or TOPICS))


def audience(user: Actor) -> str:
    """What the figures depend on of ``user`` (parkos.core.kept.audience over the models the tiles read: a role that
    reads no leases gets no leasing tiles), except a government partner's, which are its own: its agreements are
    those its organizations are party to, its parks those of its district."""
    from parkos.cockpit.selectors import FIGURE_MODELS, is_partner

    if is_partner(user):
        readable = "".join("1" if can(user, model, Action.VIEW) else "0" for model in FIGURE_MODELS)
        return f"{int(scope_of(user))}:{readable}:user:{getattr(user, 'pk', '')}"
    return core_kept.audience(user, FIGURE_MODELS)


def key(user: Actor, name: str, token: str, date_from: str, date_to: str, at: str | None = None) -> str:
    """The key of figures ``name`` for ``user`` at version ``at`` (the current one by default)."""
    from django.utils import translation

    from parkos.cockpit.selectors import Formats

    fmt = Formats(user)
    return ":".join(
        [
            prefix(),
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


# --- stale while revalidating ---------------------------------------------------------------------------
#
# Kept figures carry the version they were computed at (read before computing: a write meanwhile leaves them
# stale). A reader gets them at once when the version is still current; when it has changed and the figures
# were computed by the warm-up while the warm-up is running (its heartbeat below), the reader gets them too,
# marked ``stale`` with how far behind they may be, and the warm-up recomputes them within seconds. Only
# figures nobody refreshes (another period, a partner's, the warm-up not running) are computed by the reader.

#: None: a reader; "stale": the warm-up refreshing what changed; "all": the warm-up's full round
_MODE: ContextVar[str | None] = ContextVar("cockpit_refresh_mode", default=None)
#: how far behind the stale parts a reader was given are (seconds), collected while a page is assembled
_BEHIND: ContextVar[list[int] | None] = ContextVar("cockpit_stale_parts", default=None)
#: figures are kept this long at most whatever their version (a stale copy to give while they refresh)
KEEP_SECONDS = 86_400


def _beat_key() -> str:
    return f"{prefix()}:warm-up"


def heartbeat(behind: int, *, seconds: int = 30) -> None:
    """The warm-up is running and refreshes a change within ``behind`` seconds (kept ``seconds``)."""
    store().set(_beat_key(), {"behind": int(behind)}, seconds)


def _fresh(entry: dict[str, Any], current: str, beat: dict[str, Any] | None, seconds: int) -> bool:
    """``entry`` at the current version, and young enough or kept young by the running warm-up."""
    if entry.get("version") != current:
        return False
    return bool(entry.get("warmed") and beat) or time.time() - float(entry.get("at", 0)) < seconds


def _lookup(cache_key: str, topics: Iterable[str] | None) -> tuple[dict[str, Any] | None, str, dict[str, Any] | None]:
    """The kept entry, the current version of ``topics`` and the warm-up's heartbeat, in one round trip."""
    from parkos.cockpit.selectors import TOPICS

    names = tuple(TOPICS if topics is None else topics)
    cache = store()
    wanted = [cache_key, _beat_key(), *(version_key(topic) for topic in names)]
    found = cache.get_many(wanted)
    if any(version_key(topic) not in found for topic in names):
        current = version(names)
    else:
        current = core_kept.joined({topic: found[version_key(topic)] for topic in names})
    return found.get(cache_key), current, found.get(_beat_key())


def _serve(
    cache_key: str, topics: Iterable[str] | None, seconds: int, compute: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """The figures under ``cache_key``: kept ones when fresh (or stale while the warm-up refreshes them, for a
    reader), else ``compute()``d now and kept with the version read before computing."""
    mode = _MODE.get()
    entry, current, beat = _lookup(cache_key, topics)
    if entry is not None and mode != "all" and _fresh(entry, current, beat, seconds):
        return entry
    # the running warm-up recomputes what it computed at each full round: a copy older than two rounds is
    # one it no longer refreshes (another --scopes), computed by the reader
    covered = entry is not None and entry.get("warmed") and time.time() - float(entry.get("at", 0)) < 2 * seconds + 600
    if entry is not None and mode is None and covered and beat:
        behind = int(beat.get("behind", 0))
        given = _BEHIND.get()
        if given is not None:
            given.append(behind)
        return {**entry, "stale": True, "behind": behind}
    collected: list[int] = []
    reset = _BEHIND.set(collected)
    try:
        found = compute()
    finally:
        _BEHIND.reset(reset)
    if collected:  # made of parts given stale: said so, and not kept as if it were fresh
        outer = _BEHIND.get()
        if outer is not None:
            outer.extend(collected)
        return {**found, "stale": True, "behind": max(collected)}
    if found.get("stale"):
        return found
    found.update({"version": current, "at": time.time(), "warmed": mode is not None})
    store().set(cache_key, found, max(KEEP_SECONDS, 2 * seconds))
    return found


def kept(
    user: Actor,
    name: str,
    token: str,
    date_from: str,
    date_to: str,
    compute: Callable[[], dict[str, Any]],
    topics: Iterable[str] | None = None,
) -> dict[str, Any]:
    """``compute()``, kept under ``key()`` (stale while revalidating, above) and the version of ``topics``
    (every part by default; none: ``name`` says what it was computed from); ``cache_seconds()`` 0: never."""
    seconds = cache_seconds()
    if seconds <= 0:
        return compute()

    def computed() -> dict[str, Any]:
        found = compute()
        found["fresh_minutes"] = max(1, seconds // 60)
        return found

    return _serve(key(user, name, token, date_from, date_to, at="kept"), topics, seconds, computed)


def kept_part(
    user: Actor, topic: str, token: str, date_from: str, date_to: str, compute: Callable[[], list[dict[str, Any]]]
) -> dict[str, Any]:
    """The tiles of one part of the cockpit and when they were computed, kept under ``topic``'s version alone:
    a write elsewhere leaves them as they are, so only the parts that read what was written are refreshed."""
    from django.utils import timezone

    seconds = cache_seconds()
    if seconds <= 0:
        return {"tiles": compute(), "computed_at": timezone.now()}
    cache_key = key(user, f"part:{topic}", token, date_from, date_to, at="kept")
    return _serve(cache_key, (topic,), seconds, lambda: {"tiles": compute(), "computed_at": timezone.now()})


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


def warm(
    *, timeout: int | None = None, scopes: str = "all", period: Any = None, changed_only: bool = False, beat: int = 0
) -> dict[str, int]:
    """Compute and keep the figures of the common scopes for every audience of staff, in each language, for
    the default period: the group, each brand, district and park (``scopes="group"``: the group only), and
    the benchmarking of the group's parks; ``changed_only``: only the figures whose parts changed (the others
    are looked up, not computed). Each scope in both languages before the next, the group first. ``beat``:
    keep the heartbeat up (readers get stale figures meanwhile), saying a change shows within that many
    seconds. Returns counts: audiences, figures computed (looked at, with ``changed_only``), seconds."""
    from django.utils import translation

    from parkos.cockpit.forms import default_period
    from parkos.cockpit.selectors import cached, cockpit_figures, park_benchmarks, resolve_scope, scope_choices

    del timeout  # kept for callers: figures are now kept KEEP_SECONDS and refreshed by version
    started = time.monotonic()
    computed = 0
    users = _representatives()
    period = period or default_period()
    languages = [language for language, _label in settings.LANGUAGES]
    mode = _MODE.set("stale" if changed_only else "all")
    try:
        for user in users:
            with translation.override(languages[0]):
                tokens = [token for token, _l in scope_choices(user)]
            if scopes == "group":
                tokens = tokens[:1]
            for token in tokens:
                for language in languages:
                    with translation.override(language):
                        scope = resolve_scope(user, token)
                        for name, compute in (("figures", cockpit_figures), ("parks", park_benchmarks)):
                            if name == "parks" and token != "group":
                                continue
                            if beat:
                                heartbeat(beat)
                            cached(user, name, scope, period, lambda c=compute, s=scope, u=user: c(u, s, period))
                            computed += 1
    finally:
        _MODE.reset(mode)
    return {"audiences": len(users), "computed": computed, "seconds": int(time.monotonic() - started)}


def warm_loop(every: int, log: Callable[[str], None], *, scopes: str = "all", poll: int = 3) -> None:
    """Warm now, then every ``poll`` seconds refresh what a change made stale (only those parts and scopes:
    readers get the figures before it meanwhile, marked as such), and warm everything again at least every
    max(``every``, PARKOS_COCKPIT_CACHE_SECONDS) seconds; ``every=0``: once."""
    from parkos.cockpit.selectors import TOPICS

    seen: dict[str, str] = {}
    last_full = 0.0
    behind = 0
    while True:
        current = versions(TOPICS)
        if not seen or time.monotonic() - last_full >= max(cache_seconds(), every):
            counts = warm(scopes=scopes, beat=(behind or 60) if every else 0)
            behind = behind or poll + counts["seconds"]
            last_full = time.monotonic()
            log(
                f"cockpit_warm: {counts['computed']} figures for {counts['audiences']} audiences "
                f"in {counts['seconds']} s."
            )
            seen = current
        elif current != seen:
            changed = sorted(topic for topic in TOPICS if current[topic] != seen.get(topic))
            counts = warm(scopes=scopes, changed_only=True, beat=behind)
            behind = poll + counts["seconds"]
            log(f"cockpit_warm: refreshed {', '.join(changed)} in {counts['seconds']} s.")
            seen = current
        if not every:
            return
        heartbeat(behind, seconds=max(30, 3 * poll))
        time.sleep(poll)
