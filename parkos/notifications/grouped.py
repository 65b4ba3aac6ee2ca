"""Events of one kind about many objects at once: the scheduled checks' path, at a fixed number of queries.

``event_emit`` makes one event as a write commits: it reads its object, its candidates and their scope, one
query or more each. The scheduled checks make dozens of events of a kind at a time; here they cost a fixed
number of queries per kind, whatever the number of objects:

- the events already made (the checks' keys) in one query;
- the park of every object in one query;
- the candidates of the kind (with their roles, parks, organizations and permissions) in one query and its
  prefetches, and the operator admins once more for the objects no one in their park may act on;
- the scope: candidates whose roles, parks, organizations and permissions are the same see the same rows,
  so ``restrict`` is asked once per such group for all the objects (``services.recipients`` asks once per
  user and object);
- the events, inbox rows and deliveries written with one INSERT each, and one queue row sends the deliveries.

The recipients are the ones ``services.recipients`` picks (a test holds the two to the same answer).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from parkos.core.permissions import Action, organization_paths
from parkos.notifications import services
from parkos.notifications.models import Channel, Delivery, Event, Notification, WebhookEndpoint
from parkos.notifications.services import (
    _EVERYTHING_ROLES,
    _ORGANIZATION_ROLES,
    _PARK_ROLES,
    AUDIENCE,
    Side,
    _endpoint_covers,
    _enqueue,
    _holders,
    _is_staff,
    _url_of,
    preferences_of,
)
from parkos.users.models import User


@dataclass(frozen=True)
class Due:
    """One event a check wants made: its object, its key (once per kind, object and key) and its detail."""

    obj: models.Model
    key: str = ""
    detail: str = ""
    title: str = ""
    url: str = ""
    #: the named audience's users (an import's, a run's starter)
    to: tuple[User, ...] = ()


def _scope_signature(user: User) -> tuple[Any, ...]:
    """What ``restrict`` reads of a user: two users with the same signature see the same rows."""
    return (
        user.is_superuser,
        tuple(sorted(g.name for g in user.groups.all())),
        tuple(sorted(p.pk for p in user.parks.all())),
        tuple(sorted(o.pk for o in user.organizations.all())),
        tuple(sorted(p.pk for p in user.user_permissions.all())),
    )


def _candidates(query: models.QuerySet[User]) -> list[User]:
    remembered = services._REMEMBERED.get()
    users = list(
        query.distinct().order_by("pk").prefetch_related("groups", "parks", "organizations", "user_permissions")
    )
    if remembered is not None:  # within the checks' batch each user keeps its permissions read once
        users = [remembered.setdefault(u.pk, u) for u in users]
    return users


def _visible(
    model: type[models.Model], users: Sequence[User], pks: Sequence[Any], action: Action
) -> dict[int, set[Any]]:
    """For each user, which of ``pks`` it may ``action``: one query per group of users with the same scope."""
    by_signature: dict[tuple[Any, ...], list[User]] = defaultdict(list)
    for user in users:
        by_signature[_scope_signature(user)].append(user)
    manager: Any = model._default_manager
    seen: dict[int, set[Any]] = {}
    if not hasattr(manager, "restrict"):  # rows in no one's scope
        return {user.pk: set() for user in users}
    for group in by_signature.values():
        rows = set(manager.restrict(group[0], action).filter(pk__in=list(pks)).values_list("pk", flat=True))
        for user in group:
            seen[user.pk] = rows
    return seen


def _parks_of(model: type[models.Model], pks: Sequence[Any], attribute: str = "park_path") -> dict[Any, set[int]]:
    """The parks (or, with ``attribute="organization_path"``, the organizations) of each object, in one query."""
    paths = organization_paths(model) if attribute == "organization_path" else (getattr(model, attribute, None),)
    parks: dict[Any, set[int]] = defaultdict(set)
    for path in paths:
        if path is None:
            continue
        if path == "":
            for pk in pks:
                parks[pk].add(int(pk))
            continue
        for pk, park in model._base_manager.filter(pk__in=list(pks)).values_list("pk", path):
            if park is not None:
                parks[pk].add(int(park))
    return parks


def recipients_many(kind: str, objects: Sequence[Any], *, actor_id: Any = None) -> dict[Any, list[User]]:
    """``services.recipients(kind, obj, actor=...)`` for every object (of one model) at once.

    Staff-side kinds: each object's park staff (and the fallback groups) who may act on it, or where none may,
    the operator admins. Enterprise-side kinds: the users of the object's organization who may see it. Named
    kinds (``Due.to``) are the caller's.
    """
    audience = AUDIENCE[kind]
    if not objects:
        return {}
    model = type(objects[0])
    pks = [obj.pk for obj in objects]
    active = User.objects.filter(is_active=True).filter(_holders(model, audience.action)).exclude(pk=actor_id)
    found: dict[Any, list[User]] = {}
    if audience.side is Side.ENTERPRISE:
        organizations = _parks_of(model, pks, "organization_path")
        every = {o for ids in organizations.values() for o in ids}
        candidates = _candidates(active.filter(groups__name__in=_ORGANIZATION_ROLES, organizations__in=every))
        seen = _visible(model, candidates, pks, audience.action)
        for pk in pks:
            theirs = organizations.get(pk, set())
            found[pk] = [
                u
                for u in candidates
                if pk in seen[u.pk] and any(o.pk in theirs for o in u.organizations.all()) and not _is_staff(u)
            ]
        return found
    if audience.side is not Side.STAFF:
        return {pk: [] for pk in pks}
    shared = getattr(model, "shared_with_staff", False) or getattr(model, "shared_with_all", False)
    in_parks = _candidates(active.filter(groups__name__in=_PARK_ROLES))
    parks = {} if shared else _parks_of(model, pks)
    seen = _visible(model, in_parks, pks, audience.action)
    for pk in pks:
        reach = parks.get(pk, set())
        found[pk] = [
            u
            for u in in_parks
            if not u.is_superuser
            and pk in seen[u.pk]
            and (
                shared
                or any(p.pk in reach for p in u.parks.all())
                or any(g.name.endswith(":fallback") for g in u.groups.all())
            )
        ]
    nobody = [pk for pk in pks if not found[pk]]
    if nobody:  # the operator admins act on what no one in its park may: the work is never dropped
        everything = _candidates(active.filter(Q(is_superuser=True) | Q(groups__name__in=_EVERYTHING_ROLES)))
        seen = _visible(model, everything, nobody, audience.action)
        for pk in nobody:
            found[pk] = [u for u in everything if pk in seen[u.pk]]
    return found


def events_emit_many(
    kind: str, due: Sequence[Due], *, actor: User | None = None, now: datetime.datetime | None = None
) -> list[Event]:
    """Make the events of ``kind`` that ``due`` asks for (one model), their inbox rows and deliveries, in bulk.

    An object whose event with the same key exists already is skipped (the checks run again and again).
    """
    if not due:
        return []
    model = type(due[0].obj)
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    keyed = [d for d in due if d.key]
    made = (
        set(
            Event.objects.filter(
                kind=kind,
                content_type=content_type,
                object_id__in=[d.obj.pk for d in keyed],
                key__in={d.key for d in keyed},
            ).values_list("object_id", "key")
        )
        if keyed
        else set()
    )
    wanted: dict[tuple[Any, str], Due] = {}
    for number, item in enumerate(due):
        if not item.key:
            wanted[(item.obj.pk, f"#{number}")] = item  # an event each time it happens
        elif (item.obj.pk, item.key) not in made:
            wanted.setdefault((item.obj.pk, item.key), item)
    if not wanted:
        return []
    actor_id = getattr(actor, "pk", None)
    if AUDIENCE[kind].side is Side.NAMED:
        people = {item.obj.pk: [u for u in item.to if u.is_active and u.pk != actor_id] for item in wanted.values()}
    else:
        people = recipients_many(kind, list({d.obj.pk: d.obj for d in wanted.values()}.values()), actor_id=actor_id)
    created = now or timezone.now()
    users = list({u.pk: u for group in people.values() for u in group}.values())
    prefs = preferences_of(users, kind)
    endpoints = list(WebhookEndpoint.objects.filter(is_active=True).prefetch_related("parks"))
    endpoints = [e for e in endpoints if e.hears(kind)]
    parks = _parks_of(model, [d.obj.pk for d in wanted.values()]) if endpoints else {}
    try:
        with transaction.atomic():
            events = Event.objects.bulk_create(
                [
                    Event(
                        kind=kind,
                        content_type=content_type,
                        object_id=item.obj.pk,
                        title=(item.title or str(item.obj))[:300],
                        url=(item.url or _url_of(item.obj))[:500],
                        detail=item.detail[:300],
                        actor=actor,
                        key=item.key,
                        created=created,
                    )
                    for item in wanted.values()
                ]
            )
            inbox: list[Notification] = []
            deliveries: list[Delivery] = []
            for event in events:
                told = people.get(event.object_id, [])
                inbox.extend(
                    Notification(recipient=u, event=event, created=created) for u in told if prefs[u.pk].in_app
                )
                deliveries.extend(
                    Delivery(event=event, channel=Channel.EMAIL, recipient=u, target=u.email)
                    for u in told
                    if prefs[u.pk].email and u.email
                )
                hearing = {u.pk for u in told if prefs[u.pk].webhook}
                deliveries.extend(
                    Delivery(event=event, channel=Channel.WEBHOOK, endpoint=e, target=e.url)
                    for e in endpoints
                    if _endpoint_covers(e, parks.get(event.object_id, set()), hearing)
                )
            Notification.objects.bulk_create(inbox)
            deliveries = Delivery.objects.bulk_create(deliveries)
    except IntegrityError:  # a key made meanwhile by another run of the checks: one by one, skipping it
        one_by_one = (_emit_one(kind, content_type.pk, item, created) for item in wanted.values())
        return [made_now for made_now in one_by_one if made_now is not None]
    ids = [d.pk for d in deliveries]
    if ids:
        transaction.on_commit(lambda: _enqueue_many(ids))
    return events


def _enqueue_many(delivery_ids: list[int]) -> None:
    """One queue row for the deliveries of the batch (each is still retried on its own when it fails)."""
    from parkos.notifications.tasks import deliver_many_task

    if len(delivery_ids) == 1:
        _enqueue(delivery_ids)
    else:
        deliver_many_task.enqueue(delivery_ids)


def _emit_one(kind: str, content_type_id: int, item: Due, now: datetime.datetime) -> Event | None:
    return services.event_emit(
        kind=kind, content_type_id=content_type_id, object_id=item.obj.pk, key=item.key, detail=item.detail, now=now
    )


# -- the notifications of a bulk action: made together once it commits ----------------------------------


def emit_pending(pending: list[dict[str, Any]]) -> None:
    """The events ``notify`` was asked for during a bulk action (``core.writes.batch``), made after its commit
    by kind, a fixed number of queries per kind instead of one event's worth per row."""
    groups: dict[tuple[str, type[models.Model], Any], list[dict[str, Any]]] = defaultdict(list)
    for item in pending:
        groups[(item["kind"], item["model"], item["actor_id"])].append(item)
    for (kind, model, actor_id), items in groups.items():
        try:
            rows = model._base_manager.in_bulk([item["object_id"] for item in items])
            named = {u.pk: u for u in User.objects.filter(pk__in={pk for i in items for pk in i["to_ids"]})}
            due = [
                Due(
                    rows[item["object_id"]],
                    key=item["key"],
                    detail=item["detail"],
                    title=item["title"],
                    url=item["url"],
                    to=tuple(named[pk] for pk in item["to_ids"] if pk in named),
                )
                for item in items
                if item["object_id"] in rows
            ]
            actor = User.objects.filter(pk=actor_id).first() if actor_id else None
            with services.users_remembered():
                events_emit_many(kind, due, actor=actor)
        except Exception:  # notifications that cannot be made must not break the writes that committed
            services.logger.exception("notifications %s not made", kind)
