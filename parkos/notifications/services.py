"""Notify the people an object concerns: who they are, what they are sent, and the delivery with its retries.

Other apps call ``notify(kind, obj, actor=...)`` from their services, inside the write's transaction;
nothing is made until the transaction commits, so a rolled-back write tells nobody. This module
imports no domain app: the recipients come from the object's own scope rule
(``Model.objects.restrict(user, action)``), which every candidate is checked against, so nothing
reaches a user who could not open the object.

Who an event is for (``AUDIENCE``): the operator side that acts on the object (users whose role and
parks let them change it; the operator admins only when nobody in the park is), the enterprise side
that reads it (users of the organization it belongs to), or the named users (``to``: whoever started
an evaluation run or an import). The actor is never told of its own act.
"""

from __future__ import annotations

import contextlib
import datetime
import enum
import functools
import logging
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from parkos.core import writes
from parkos.core.actors import Actor
from parkos.core.permissions import ROLES, Action, Scope, crosses_many, organization_paths
from parkos.notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Event,
    EventKind,
    Notification,
    Preference,
    WebhookEndpoint,
)
from parkos.users.models import User

logger = logging.getLogger(__name__)

#: attempts of one delivery before it is given up; the n-th retry waits BACKOFF_SECONDS × 2^(n-1)
MAX_ATTEMPTS = 5
BACKOFF_SECONDS = 60


class Side(enum.Enum):
    STAFF = "staff"  # the operator side: roles scoped to parks, or to everything
    ENTERPRISE = "enterprise"  # the organization the object belongs to
    NAMED = "named"  # the users the caller names (``to``)


@dataclass(frozen=True)
class Audience:
    side: Side
    action: Action = Action.VIEW


AUDIENCE: dict[str, Audience] = {
    EventKind.REQUEST_FILED: Audience(Side.STAFF, Action.CHANGE),
    EventKind.REQUEST_BREACH_SOON: Audience(Side.STAFF, Action.CHANGE),
    EventKind.REQUEST_OVERDUE: Audience(Side.STAFF, Action.CHANGE),
    EventKind.REQUEST_ANSWERED: Audience(Side.ENTERPRISE),
    EventKind.REQUEST_CLOSED: Audience(Side.ENTERPRISE),
    EventKind.APPEAL_FILED: Audience(Side.STAFF, Action.CHANGE),
    EventKind.APPEAL_DECIDED: Audience(Side.ENTERPRISE),
    EventKind.LEASE_EXPIRING: Audience(Side.STAFF, Action.CHANGE),
    EventKind.PROPOSAL_WAITING: Audience(Side.STAFF, Action.CHANGE),
    EventKind.PROPOSAL_DECIDED: Audience(Side.ENTERPRISE),
    EventKind.CONTACT_DUE: Audience(Side.STAFF, Action.CHANGE),
    EventKind.COMMITMENT_DUE: Audience(Side.STAFF, Action.CHANGE),
    EventKind.COMMITMENT_OVERDUE: Audience(Side.STAFF, Action.CHANGE),
    EventKind.RUN_FINISHED: Audience(Side.NAMED),
    EventKind.RUN_FAILED: Audience(Side.NAMED),
    EventKind.MILESTONE_DUE: Audience(Side.STAFF, Action.CHANGE),
    EventKind.IMPORT_FINISHED: Audience(Side.NAMED),
    EventKind.IMPORT_FAILED: Audience(Side.NAMED),
    EventKind.EXPORT_FINISHED: Audience(Side.NAMED),
    EventKind.EXPORT_FAILED: Audience(Side.NAMED),
    EventKind.APPLICATION_SUBMITTED: Audience(Side.STAFF, Action.CHANGE),
    EventKind.APPLICATION_DECIDED: Audience(Side.ENTERPRISE),
    # a default case's owner (compliance): the one who must take the next step
    EventKind.RECTIFICATION_OVERDUE: Audience(Side.NAMED),
}

_EVERYTHING_ROLES = [r.name for r in ROLES if r.scope == Scope.EVERYTHING]
_PARK_ROLES = [r.name for r in ROLES if r.scope == Scope.PARKS]
_ORGANIZATION_ROLES = [r.name for r in ROLES if r.scope == Scope.ORGANIZATION]


# -- who ---------------------------------------------------------------------------------------------


def _ids_through(model: type[models.Model], pk: Any, path: str | None) -> list[int]:
    """The park (or organization) ids the object reaches through ``path``: none when the model has no path."""
    if path is None:
        return []
    if path == "":
        return [int(pk)]
    values = model._base_manager.filter(pk=pk).values_list(path, flat=True)
    if not crosses_many(model, path):
        values = values[:1]
    return [int(v) for v in values if v is not None]


def park_ids_of(obj: models.Model) -> list[int]:
    return _ids_through(type(obj), obj.pk, getattr(type(obj), "park_path", None))


def _may(user: User, obj: models.Model, action: Action) -> bool:
    manager: Any = type(obj)._default_manager
    if not hasattr(manager, "restrict"):
        return False
    return bool(manager.restrict(user, action).filter(pk=obj.pk).exists())


def _holders(model: type[models.Model], action: Action) -> Q:
    """Users whose roles may ``action`` some rows of ``model`` (the permission, before the scope)."""
    meta = model._meta
    codename = f"{action}_{meta.model_name}"
    return Q(is_superuser=True) | Q(
        groups__permissions__codename=codename, groups__permissions__content_type__app_label=meta.app_label
    )


def recipients(kind: str, obj: models.Model, *, actor: Actor | None = None, to: Iterable[User] = ()) -> list[User]:
    """The users ``kind`` about ``obj`` is for: candidates by role and park or organization, each then
    checked against the object's scope rule (``restrict``), the actor left out."""
    audience = AUDIENCE[kind]
    model = type(obj)
    actor_id = getattr(actor, "pk", None)
    if audience.side is Side.NAMED:
        return [u for u in to if u.is_active and u.pk != actor_id]
    active = User.objects.filter(is_active=True).filter(_holders(model, audience.action))
    if audience.side is Side.ENTERPRISE:
        organization_ids = [i for path in organization_paths(model) for i in _ids_through(model, obj.pk, path)]
        candidates = active.filter(groups__name__in=_ORGANIZATION_ROLES, organizations__in=organization_ids)
        found = _checked(candidates, obj, audience.action, actor_id)
        return [u for u in found if not _is_staff(u)]
    if getattr(model, "shared_with_staff", False) or getattr(model, "shared_with_all", False):
        in_parks = active.filter(groups__name__in=_PARK_ROLES)
    else:
        # the park's staff, and the fallback groups that take the parks no one covers (restrict decides)
        reach = Q(parks__in=park_ids_of(obj)) | Q(groups__name__endswith=":fallback")
        in_parks = active.filter(groups__name__in=_PARK_ROLES).filter(reach)
    found = [u for u in _checked(in_parks, obj, audience.action, actor_id) if not u.is_superuser]
    if not found:  # nobody in the park acts on it: the operator admins do, so the work is never dropped
        everything = active.filter(Q(is_superuser=True) | Q(groups__name__in=_EVERYTHING_ROLES))
        found = _checked(everything, obj, audience.action, actor_id)
    return found


def _is_staff(user: User) -> bool:
    from parkos.core.permissions import scope_of

    return scope_of(user) > Scope.ORGANIZATION


#: within a batch (``users_remembered``), each candidate once: its roles and permissions are read once
_REMEMBERED: ContextVar[dict[int, User] | None] = ContextVar("notification_users", default=None)


@contextlib.contextmanager
def users_remembered() -> Iterator[None]:
    """Keep each candidate user (with its roles and permissions read) for the events of a batch, such as the
    scheduled checks; outside a batch every event reads them afresh."""
    token = _REMEMBERED.set({})
    try:
        yield
    finally:
        _REMEMBERED.reset(token)


def _checked(candidates: models.QuerySet[User], obj: models.Model, action: Action, actor_id: Any) -> list[User]:
    users = list(candidates.exclude(pk=actor_id).distinct().order_by("pk").prefetch_related("groups"))
    remembered = _REMEMBERED.get()
    if remembered is not None:
        users = [remembered.setdefault(u.pk, u) for u in users]
    return [u for u in users if _may(u, obj, action)]


# -- what: the event, the inbox rows and the deliveries ------------------------------------------------


def _url_of(obj: models.Model) -> str:
    get_url = getattr(obj, "get_absolute_url", None)
    try:
        return str(get_url()) if get_url else ""
    except Exception:  # a model whose page needs more than its key: the inbox shows the title without a link
        return ""


def notify(
    kind: str,
    obj: models.Model,
    *,
    actor: Actor | None = None,
    to: Sequence[User] = (),
    key: str = "",
    detail: str = "",
    title: str = "",
    url: str = "",
) -> None:
    """Tell the people ``obj`` concerns that ``kind`` happened, once the current transaction commits.

    Costs the write no query: everything is looked up after the commit. In a bulk action (``writes.batch``)
    the events of all its rows are made together after its commit (``grouped.emit_pending``).
    """
    running = writes.current_batch()
    if running is not None:
        pending = running.memo.setdefault("notifications", [])
        if not pending:  # the batch commits whole or not at all: one callback makes them all
            from parkos.notifications.grouped import emit_pending

            transaction.on_commit(functools.partial(emit_pending, pending))
        pending.append(
            {
                "kind": kind,
                "model": type(obj),
                "object_id": obj.pk,
                "actor_id": getattr(actor, "pk", None),
                "to_ids": [u.pk for u in to],
                "key": key,
                "detail": detail,
                "title": title,
                "url": url,
            }
        )
        return
    transaction.on_commit(
        functools.partial(
            _emit_logged,
            kind=kind,
            model=type(obj),
            object_id=obj.pk,
            actor_id=getattr(actor, "pk", None),
            to_ids=[u.pk for u in to],
            key=key,
            detail=detail,
            title=title,
            url=url,
        )
    )


def _emit_logged(*, model: type[models.Model], **kwargs: Any) -> None:
    """A notification that cannot be made must not break the write that has committed already."""
    try:
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        event_emit(content_type_id=content_type.pk, **kwargs)
    except Exception:
        logger.exception("notification %s not made", kwargs.get("kind"))


def event_emit(
    *,
    kind: str,
    content_type_id: int,
    object_id: int,
    actor_id: int | None = None,
    to_ids: Sequence[int] = (),
    key: str = "",
    detail: str = "",
    title: str = "",
    url: str = "",
    now: datetime.datetime | None = None,
) -> Event | None:
    """Make the event, its inbox rows and its deliveries now; None if the object is gone or ``key`` was used."""
    content_type = ContentType.objects.get_for_id(content_type_id)
    model = content_type.model_class()
    assert model is not None
    obj = model._base_manager.filter(pk=object_id).first()
    if obj is None:
        return None
    if key and Event.objects.filter(kind=kind, content_type=content_type, object_id=object_id, key=key).exists():
        return None
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    to = list(User.objects.filter(pk__in=to_ids)) if to_ids else []
    users = recipients(kind, obj, actor=actor, to=to)
    try:
        with transaction.atomic():
            event = Event.objects.create(
                kind=kind,
                content_type=content_type,
                object_id=object_id,
                title=(title or str(obj))[:300],
                url=(url or _url_of(obj))[:500],
                detail=detail[:300],
                actor=actor,
                key=key,
                created=now or timezone.now(),
            )
            deliveries = _fan_out(event, obj, users)
    except IntegrityError:  # the same key, made meanwhile by another check
        return None
    ids = [d.pk for d in deliveries]
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return event


def preferences_of(users: Sequence[User], kind: str) -> dict[int, Preference]:
    """Each user's choices for ``kind`` (the defaults for those who made none), in one query."""
    stored = {p.user_id: p for p in Preference.objects.filter(user__in=users, kind=kind)}
    return {u.pk: stored.get(u.pk) or Preference(user=u, kind=kind) for u in users}


def _fan_out(event: Event, obj: models.Model, users: Sequence[User]) -> list[Delivery]:
    prefs = preferences_of(users, event.kind)
    Notification.objects.bulk_create(
        [Notification(recipient=u, event=event, created=event.created) for u in users if prefs[u.pk].in_app]
    )
    deliveries = [
        Delivery(event=event, channel=Channel.EMAIL, recipient=u, target=u.email)
        for u in users
        if prefs[u.pk].email and u.email
    ]
    told = {u.pk for u in users if prefs[u.pk].webhook}
    park_ids = set(park_ids_of(obj))
    for endpoint in WebhookEndpoint.objects.filter(is_active=True).prefetch_related("parks"):
        if not endpoint.hears(event.kind) or not _endpoint_covers(endpoint, park_ids, told):
            continue
        deliveries.append(Delivery(event=event, channel=Channel.WEBHOOK, endpoint=endpoint, target=endpoint.url))
    return Delivery.objects.bulk_create(deliveries)


def _endpoint_covers(endpoint: WebhookEndpoint, park_ids: set[int], told: set[int]) -> bool:
    """A personal robot hears what its owner is told; a shared one, events about objects in its parks."""
    if endpoint.owner_id is not None:
        return endpoint.owner_id in told
    if endpoint.all_parks:
        return True
    return bool(park_ids & {p.pk for p in endpoint.parks.all()})


# -- delivery with retries -------------------------------------------------------------------------------


def _enqueue(delivery_ids: Sequence[int], run_after: datetime.datetime | None = None) -> None:
    from parkos.notifications.tasks import deliver_task

    task = deliver_task
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # `parkos notify_due` retries what is due
        task = task.using(run_after=run_after)
    for pk in delivery_ids:
        task.enqueue(pk)


def backoff(attempts: int) -> datetime.timedelta:
    """How long to wait after the ``attempts``-th failed attempt: 1, 2, 4, 8 minutes."""
    return datetime.timedelta(seconds=BACKOFF_SECONDS * 2 ** max(attempts - 1, 0))


def delivery_attempt(*, delivery: Delivery, now: datetime.datetime | None = None) -> Delivery:
    """Send one delivery now and log the outcome; a failure is retried later, up to MAX_ATTEMPTS in all."""
    from parkos.notifications import channels

    if delivery.status in (DeliveryStatus.SENT, DeliveryStatus.FAILED):
        return delivery
    now = now or timezone.now()
    delivery.attempts += 1
    try:
        with translation.override(settings.PARKOS_NOTIFY_LANGUAGE):
            delivery.response_code = channels.send(delivery)
    except channels.DeliveryError as exc:
        delivery.response_code = exc.code
        delivery.last_error = str(exc)[:2000]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        else:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.RETRYING, now + backoff(delivery.attempts)
    else:
        delivery.status, delivery.sent_at, delivery.next_attempt_at = DeliveryStatus.SENT, now, None
        delivery.last_error = ""
    delivery.save()
    if delivery.status == DeliveryStatus.RETRYING and delivery.next_attempt_at is not None:
        _enqueue([delivery.pk], run_after=delivery.next_attempt_at)
    return delivery


def deliveries_retry_due(*, now: datetime.datetime | None = None) -> int:
    """Attempt every delivery whose retry is due (for a queue that cannot defer work, and after an outage)."""
    now = now or timezone.now()
    due = Delivery.objects.filter(
        Q(status=DeliveryStatus.RETRYING, next_attempt_at__lte=now)
        | Q(status=DeliveryStatus.PENDING, created__lte=now - datetime.timedelta(minutes=10))
    ).select_related("event", "endpoint", "recipient")
    count = 0
    for delivery in due:
        delivery_attempt(delivery=delivery, now=now)
        count += 1
    return count


# -- core's background work, heard through its signal ------------------------------------------------------


def import_job_notify(sender: Any, *, job: Any, status: str, **kwargs: Any) -> None:
    """An import done or failed: the user who started it hears of it (core sends, so it needs no import of us)."""
    from django.urls import NoReverseMatch, reverse

    kind = EventKind.IMPORT_FINISHED if status == "done" else EventKind.IMPORT_FAILED
    app_label, _dot, model_name = str(job.model_label).partition(".")
    try:  # the job's page, under its model's import page
        url = reverse(f"{app_label}:{model_name}_import_job", kwargs={"job": job.pk})
    except NoReverseMatch:
        url = ""
    except Exception:  # a broken URL configuration must not keep the user from hearing of the import
        logger.exception("no page for import job %s", job.pk)
        url = ""
    notify(kind, job, to=[job.user], title=str(job.file_name), detail=str(job.model_label), url=url)


def export_job_notify(sender: Any, *, job: Any, status: str, **kwargs: Any) -> None:
    """An export done or failed: its owner hears of it, with a link to its page (where the file is)."""
    kind = EventKind.EXPORT_FINISHED if status == "done" else EventKind.EXPORT_FAILED
    if status == "done":
        detail = _("%(format)s, %(rows)s rows") % {"format": job.format.upper(), "rows": f"{job.progress_total:,}"}
    else:
        detail = str(job.error)
    notify(kind, job, to=[job.user], title=str(job.title), detail=detail, url=job.get_absolute_url())


# -- the inbox ---------------------------------------------------------------------------------------------


def notification_mark_read(*, user: Actor, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all of them when ``ids`` is None); others' are never touched."""
    rows = Notification.objects.filter(recipient_id=getattr(user, "pk", None), read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


def notification_mark_unread(*, user: Actor, ids: Iterable[int]) -> int:
    rows = Notification.objects.filter(recipient_id=getattr(user, "pk", None), pk__in=list(ids))
    return rows.update(read_at=None)


def preference_set(*, user: User, kind: str, in_app: bool, email: bool, webhook: bool, digest: bool) -> Preference:
    pref, _created = Preference.objects.update_or_create(
        user=user, kind=kind, defaults={"in_app": in_app, "email": email, "webhook": webhook, "digest": digest}
    )
    return pref
