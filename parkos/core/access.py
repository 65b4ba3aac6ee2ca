"""A signed-in user's permissions, roles and menu, kept across requests in each server process (issue 16).

Every page checked the user's permissions (two queries), read its groups (one) and built its menu (about 6,000
Python calls and, for a government partner, a query for its districts): the same result request after
request. They are kept here, per process, under a key read with the user's row, so it costs no query:

    (pk, username, date_joined, access_version, is_active, is_superuser)

``access_version`` is bumped in the database by whatever changes what the user may do or see
(parkos.users.access: groups, permissions, parks, organizations, a group's permissions, a government body's
district), so the next request of every process reads a new key and builds afresh; the old entry is never read
again. The user's own flags are in the key. The menu is kept per language and script prefix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from parkos.core.actors import Actor
    from parkos.core.navigation import MenuGroup

#: off in the test suite unless asked for (conftest.py, PARKOS_TEST_ACCESS_CACHE=1): the suite's exact query counts
#: are those of a user's first request; test_access_cache turns it on for its own tests
ENABLED = True

#: entries kept per process before it starts over: one per signed-in user and version, each with its menu and its
#: HTML per language (about 20 KB for the admin's 70 entries), so at most about 10 MB a process
MAX_ENTRIES = 500


@dataclass
class Access:
    """What the permission checks and the menu read of one user at one version."""

    key: tuple[Any, ...]
    user_perms: frozenset[str]
    group_perms: frozenset[str]
    all_perms: frozenset[str]
    groups: frozenset[str]
    #: (language, script prefix) -> menu
    menus: dict[tuple[str | None, str], list[MenuGroup]] = field(default_factory=dict)


_entries: dict[tuple[Any, ...], Access] = {}


def access_key(user: Any) -> tuple[Any, ...] | None:
    """The cache key of ``user`` as read for this request; None for a user that is not kept (anonymous,
    inactive, or a model without ``access_version``)."""
    version = getattr(user, "access_version", None)
    if version is None or user.pk is None or not user.is_authenticated or not user.is_active:
        return None
    return (user.pk, user.get_username(), getattr(user, "date_joined", None), version, user.is_superuser)


def prime(user: Actor) -> Access | None:
    """Give ``user`` (just read for a request) its kept permissions and roles, read from the database once per
    version: Django's ModelBackend and ``roles_of`` then find them on the object, as if already read."""
    if not ENABLED:
        return None
    user = getattr(user, "_wrapped", user)  # request.user is a lazy object: its attributes are the user's
    key = access_key(user)
    if key is None:
        return None
    entry = _entries.get(key)
    if entry is None:
        from parkos.core.permissions import _group_names

        for name in ("_perm_cache", "_user_perm_cache", "_group_perm_cache", "_parkos_groups"):
            user.__dict__.pop(name, None)  # read afresh for this version
        all_perms = frozenset(user.get_all_permissions())
        entry = Access(
            key=key,
            user_perms=frozenset(getattr(user, "_user_perm_cache", ())),
            group_perms=frozenset(getattr(user, "_group_perm_cache", ())),
            all_perms=all_perms,
            groups=frozenset(_group_names(user)),
        )
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[key] = entry
    user._user_perm_cache = entry.user_perms  # type: ignore[union-attr]  # ModelBackend's per-object caches
    user._group_perm_cache = entry.group_perms  # type: ignore[union-attr]
    user._perm_cache = entry.all_perms  # type: ignore[union-attr]
    user._parkos_groups = set(entry.groups)  # type: ignore[union-attr]  # core.permissions' per-object cache
    user._parkos_access = entry  # type: ignore[union-attr]
    return entry


def kept_menu(user: Actor | None, language: str | None, prefix: str) -> list[MenuGroup] | None:
    """The menu kept for ``user`` in ``language``, None when not kept (yet)."""
    entry: Access | None = getattr(user, "_parkos_access", None)
    if entry is None or entry.key != access_key(user):
        return None
    return entry.menus.get((language, prefix))


def keep_menu(user: Actor | None, language: str | None, prefix: str, menu: list[MenuGroup]) -> bool:
    """Keep ``menu`` for ``user``'s version; False when the user is not kept."""
    entry: Access | None = getattr(user, "_parkos_access", None)
    if entry is None or entry.key != access_key(user):
        return False
    entry.menus[(language, prefix)] = menu
    return True


def clear() -> None:
    """Forget every entry (tests that change grants behind the signals' back)."""
    _entries.clear()
