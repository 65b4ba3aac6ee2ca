"""The change log: one mechanism that records every create, update and delete.

Model signals catch every save and delete of a ChangeLoggedModel, whatever the channel
(page, API, import, admin, shell). Who acted comes from the current change context: the
middleware opens one per request (reading ``request.user`` lazily, so API token users are
seen too); commands open one with ``change_context(user=..., source="cli")``. Bulk paths that
bypass signals (``bulk_create``) call ``log_bulk_create`` themselves, which sends ``bulk_written``.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import Signal
from django.utils import timezone

from parkos.core.models import ChangeLoggedModel, ObjectChange, PrimaryModel

if TYPE_CHECKING:
    from parkos.core.actors import Actor
    from parkos.users.models import User

#: a model instance's field values as JSON-safe data, keyed by field name
FieldValues = dict[str, Any]

#: rows of ``sender`` written in bulk (created, updated or deleted without their own signals): for those
#: who keep figures of them (the cockpit)
bulk_written = Signal()


@dataclass
class ChangeContext:
    request: object | None = None
    user: Actor | None = None
    source: str = "web"
    origin: str = ""
    origin_url: str = ""
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)

    def acting_user(self) -> User | None:
        user = self.user
        if user is None and self.request is not None:
            user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


_current: ContextVar[ChangeContext | None] = ContextVar("parkos_change_context", default=None)


@contextlib.contextmanager
def change_context(
    *,
    request: object | None = None,
    user: Actor | None = None,
    source: str = "web",
    origin: str = "",
    origin_url: str = "",
) -> Iterator[ChangeContext]:
    """Attribute the changes made inside to ``user`` via ``source``; ``origin`` names what they came from."""
    context = ChangeContext(request=request, user=user, source=source, origin=origin, origin_url=origin_url)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def current_context() -> ChangeContext | None:
    """The change context the current request or command opened, if any."""
    return _current.get()


def current_user() -> User | None:
    context = _current.get()
    return context.acting_user() if context else None


def serialize(instance: models.Model, *, created: bool = False) -> FieldValues:
    """The instance's field values as JSON-safe data (foreign keys as their IDs).

    ``created``: the instance was just inserted, so its many-to-many values are still empty (they are set
    after the save, and logged then): nothing to read.
    """
    data: FieldValues = {}
    excluded = set(getattr(instance, "changelog_exclude", ()))
    for f in instance._meta.concrete_fields:
        if f.name in excluded or f.name == "password":
            continue
        value = f.value_from_object(instance)
        data[f.name] = (value.name or "") if isinstance(f, models.FileField) else value  # a file as its stored name
    for name in getattr(instance, "changelog_redacted", lambda: ())():
        data[name] = REDACTED
    if instance.pk is not None:
        prefetched = getattr(instance, "_prefetched_objects_cache", {})
        for f in instance._meta.many_to_many:
            if f.name in excluded:
                continue
            if created:
                data[f.name] = []
            elif f.name in prefetched:  # read with the row (a bulk action's rows): no query
                data[f.name] = sorted(o.pk for o in getattr(instance, f.name).all())
            else:
                data[f.name] = sorted(getattr(instance, f.name).values_list("pk", flat=True))
    values: FieldValues = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return values


#: what the change log keeps of a value it must not show (see PrimaryModel.changelog_redacted)
REDACTED = "•••"


def redact_history(instance: PrimaryModel) -> int:
    """Blank the redacted fields in every change already recorded for ``instance`` (it just became confidential)."""
    fields = instance.changelog_redacted()
    changes = ObjectChange.objects.filter(
        changed_object_type=ContentType.objects.get_for_model(instance.__class__), changed_object_id=instance.pk
    )
    updated = []
    for change in changes:
        for data in (change.prechange_data, change.postchange_data):
            for name in fields:
                if data and name in data:
                    data[name] = REDACTED
        change.object_repr = str(instance)[:200]
        updated.append(change)
    ObjectChange.objects.bulk_update(updated, ["prechange_data", "postchange_data", "object_repr"])
    return len(updated)


def _related(instance: models.Model) -> tuple[ContentType | None, int | None]:
    parent_field = getattr(instance, "changelog_parent", None)
    if not parent_field:
        return None, None
    parent_id = getattr(instance, f"{parent_field}_id", None)
    if parent_id is None:
        return None, None
    parent_model = instance._meta.get_field(parent_field).related_model
    assert isinstance(parent_model, type), f"{parent_field} is not a foreign key"
    return ContentType.objects.get_for_model(parent_model), parent_id


def _record(instance: models.Model, action: str, before: FieldValues | None, after: FieldValues | None) -> ObjectChange:
    context = _current.get() or ChangeContext(source="system")
    user = context.acting_user()
    related_type, related_id = _related(instance)
    return ObjectChange(
        user=user,
        user_name=user.get_username() if user else "",
        request_id=context.request_id,
        source=context.source,
        origin=context.origin[:300],
        origin_url=context.origin_url[:200],
        action=action,
        changed_object_type=ContentType.objects.get_for_model(instance.__class__),
        changed_object_id=instance.pk,
        related_object_type=related_type,
        related_object_id=related_id,
        object_repr=str(instance)[:200],
        prechange_data=before,
        postchange_data=after,
    )


def _is_logged(sender: type[models.Model]) -> bool:
    return issubclass(sender, ChangeLoggedModel)


def _before_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or not isinstance(instance, ChangeLoggedModel) or instance.pk is None:
        return
    if getattr(instance, "_changelog_fresh", False):
        return  # read and locked in this transaction (``remember_loaded``): _changelog_before is the row as stored
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._changelog_before = serialize(old) if old is not None else None


def remember_loaded(objects: Iterable[models.Model]) -> None:
    """Keep the values of ``objects`` (just read and locked for update) as their state before the next save,
    so saving them reads nothing more for the change log."""
    for obj in objects:
        if isinstance(obj, ChangeLoggedModel):
            obj._changelog_before = serialize(obj)
            obj._changelog_fresh = True  # type: ignore[attr-defined]


def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw or not isinstance(instance, ChangeLoggedModel):
        return
    before = None if created else getattr(instance, "_changelog_before", None)
    after = serialize(instance, created=created)
    if not created and before == after:
        return  # saved without a change: nothing to record
    _record(
        instance,
        ObjectChange.ChangeAction.CREATE if created else ObjectChange.ChangeAction.UPDATE,
        before,
        after,
    ).save()
    instance._changelog_before = after


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not _is_logged(sender):
        return
    _record(instance, ObjectChange.ChangeAction.DELETE, serialize(instance), None).save()


def _m2m_changed(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    model: type[models.Model],
    pk_set: set[Any] | None,
    **kwargs: Any,
) -> None:
    if reverse or action not in {"post_add", "post_remove", "post_clear"} or not _is_logged(type(instance)):
        return
    field_name = next((f.name for f in type(instance)._meta.many_to_many if f.remote_field.through is sender), None)
    if field_name is None:
        return
    after = serialize(instance)
    before = dict(after)
    current = set(after.get(field_name) or [])
    changed = set(pk_set or [])
    if action == "post_add":
        before[field_name] = sorted(current - changed)
    elif action == "post_remove":
        before[field_name] = sorted(current | changed)
    else:
        before[field_name] = None
    _record(instance, ObjectChange.ChangeAction.UPDATE, before, after).save()


def log_bulk_create(objects: Iterable[ChangeLoggedModel], *, batch_size: int = 2000) -> int:
    """Record creations made with bulk_create, which sends no signals, and index them for search. Returns the count."""
    from parkos.core.search import index_objects

    objects = list(objects)
    records = [_record(obj, ObjectChange.ChangeAction.CREATE, None, serialize(obj)) for obj in objects]
    ObjectChange.objects.bulk_create(records, batch_size=batch_size)
    index_objects(objects)
    if objects:
        bulk_written.send(sender=type(objects[0]))
    return len(records)


def update_logged(objects: Iterable[ChangeLoggedModel], **values: Any) -> int:
    """Set ``values`` on ``objects`` in one UPDATE (which sends no signals) and log each object that changed.

    Returns the number of objects changed; those already holding the values are left alone.
    """
    changed = [obj for obj in objects if any(getattr(obj, name) != value for name, value in values.items())]
    if not changed:
        return 0
    model = type(changed[0])
    records = []
    for obj in changed:
        before = serialize(obj)
        for name, value in values.items():
            setattr(obj, name, value)
        records.append(_record(obj, ObjectChange.ChangeAction.UPDATE, before, serialize(obj)))
    stamp = {"last_updated": timezone.now()} if any(f.name == "last_updated" for f in model._meta.fields) else {}
    model._base_manager.filter(pk__in=[obj.pk for obj in changed]).update(**values, **stamp)
    ObjectChange.objects.bulk_create(records, batch_size=2000)
    from parkos.core.search import index_objects

    index_objects(changed)
    bulk_written.send(sender=model)
    return len(changed)


def connect() -> None:
    pre_save.connect(_before_save, dispatch_uid="parkos_changelog_pre_save")
    post_save.connect(_after_save, dispatch_uid="parkos_changelog_post_save")
    post_delete.connect(_after_delete, dispatch_uid="parkos_changelog_post_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="parkos_changelog_m2m")


def log_bulk_delete(objects: Iterable[ChangeLoggedModel], *, batch_size: int = 2000) -> int:
    """Record deletions made with QuerySet.delete() on a bulk path; call before deleting. Returns the count."""
    from parkos.core.search import unindex_objects

    objects = list(objects)
    unindex_objects(objects)
    records = [_record(obj, ObjectChange.ChangeAction.DELETE, serialize(obj), None) for obj in objects]
    ObjectChange.objects.bulk_create(records, batch_size=batch_size)
    if objects:
        bulk_written.send(sender=type(objects[0]))
    return len(records)
