"""The change log: one mechanism that records every create, update and delete.

Model signals catch every save and delete of a ChangeLoggedModel, whatever the channel
(page, API, import, admin, shell). Who acted comes from the current change context: the
middleware opens one per request (reading ``request.user`` lazily, so API token users are
seen too); commands open one with ``change_context(user=..., source="cli")``. Bulk paths that
bypass signals (``bulk_create``) call ``log_bulk_create`` themselves, which sends ``bulk_written``.

A bulk load (the demo, an import) opens ``collect_changes()``: inside it the change records, from signals and
from the bulk paths alike, are kept and written in batches (COPY on PostgreSQL) instead of one INSERT each;
the records are the same.
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

from parkos.core.inserts import insert_rows
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


def serialize(
    instance: models.Model, *, created: bool = False, many: dict[str, list[Any]] | None = None
) -> FieldValues:
    """The instance's field values as JSON-safe data (foreign keys as their IDs).

    ``created``: the instance was just inserted, so its many-to-many values are still empty (they are set
    after the save, and logged then): nothing to read. ``many``: its many-to-many values, already read
    (``serialize_many``).
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
            elif many is not None:
                data[f.name] = sorted(many.get(f.name, ()))
            elif f.name in prefetched:  # read with the row (a bulk action's rows): no query
                data[f.name] = sorted(o.pk for o in getattr(instance, f.name).all())
            else:
                data[f.name] = sorted(getattr(instance, f.name).values_list("pk", flat=True))
    values: FieldValues = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return values


def serialize_many(objects: list[models.Model]) -> list[FieldValues]:
    """``serialize`` of each of ``objects`` (all of one model), reading each many-to-many field once for them all."""
    if not objects:
        return []
    model = type(objects[0])
    excluded = set(getattr(objects[0], "changelog_exclude", ()))
    pks = [obj.pk for obj in objects if obj.pk is not None]
    many: dict[Any, dict[str, list[Any]]] = {pk: {} for pk in pks}
    for f in model._meta.many_to_many:
        if f.name in excluded:
            continue
        through: type[models.Model] = f.remote_field.through  # type: ignore[assignment]  # set once models load
        source = _attname(through, f.m2m_field_name())
        target = _attname(through, f.m2m_reverse_field_name())
        for start in range(0, len(pks), _READ_BATCH):
            chunk = pks[start : start + _READ_BATCH]
            for owner, value in through._base_manager.filter(**{f"{source}__in": chunk}).values_list(source, target):
                many[owner].setdefault(f.name, []).append(value)
    return [serialize(obj, many=many.get(obj.pk)) for obj in objects]


def _attname(model: type[models.Model], name: str) -> str:
    f = model._meta.get_field(name)
    assert isinstance(f, models.Field), f"{name} is not a column of {model.__name__}"
    return f.attname


#: ids per IN list when reading for a batch (SQLite allows 32,766 parameters, PostgreSQL many more)
_READ_BATCH = 2000


def _load_named_parents(objects: list[models.Model]) -> None:
    """Read the foreign keys ``str()`` of these rows (all of one model) names, one query per key for them all.

    A filing is named after its enterprise, a position after its person: without this, recording a batch of
    new rows read each one's parent with a query of its own. Which keys ``__str__`` reads is learnt from the
    first row (those it loaded), one level further for the parents' own names (a parcel's park).
    """
    if len(objects) < 2:
        return
    first = objects[0]
    keys = [f for f in first._meta.concrete_fields if f.many_to_one and not f.is_cached(first)]  # type: ignore[attr-defined]
    if not keys:
        return
    str(first)
    for f in keys:
        if f.is_cached(first):  # type: ignore[attr-defined]  # read by __str__
            parents = _load_parents(objects, f)
            parent = f.get_cached_value(first)  # type: ignore[attr-defined]
            if parent is not None and len(parents) > 1:
                for g in parent._meta.concrete_fields:
                    if g.many_to_one and g.is_cached(parent):
                        _load_parents(parents, g)


def _load_parents(objects: list[models.Model], f: Any) -> list[models.Model]:
    """Set the foreign key ``f`` of each of ``objects`` that does not hold it yet, reading them in bulk."""
    missing = [obj for obj in objects if not f.is_cached(obj) and getattr(obj, f.attname) is not None]
    ids = sorted({getattr(obj, f.attname) for obj in missing})
    found: dict[Any, models.Model] = {}
    for start in range(0, len(ids), _PARENT_BATCH):
        found.update(f.related_model._base_manager.in_bulk(ids[start : start + _PARENT_BATCH]))
    for obj in missing:
        parent = found.get(getattr(obj, f.attname))
        if parent is not None:
            f.set_cached_value(obj, parent)
    return list(found.values())


#: ids per IN list when reading parents (SQLite parses a long IN list of a query into a deep expression)
_PARENT_BATCH = 500


#: what the change log keeps of a value it must not show (see PrimaryModel.changelog_redacted)
REDACTED = "•••"


def redact_history(instance: PrimaryModel) -> int:
    """Blank the redacted fields in every change already recorded for ``instance`` (it just became confidential)."""
    fields = instance.changelog_redacted()
    flush_changes()
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


@dataclass
class _Collector:
    batch_size: int
    records: list[ObjectChange] = field(default_factory=list)

    def add(self, records: list[ObjectChange]) -> None:
        self.records.extend(records)
        if len(self.records) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        records, self.records = self.records, []
        insert_rows(ObjectChange, records)


_collector: ContextVar[_Collector | None] = ContextVar("parkos_change_collector", default=None)


@contextlib.contextmanager
def collect_changes(*, batch_size: int = 2000) -> Iterator[None]:
    """Write the change records made inside in batches of ``batch_size``, not one INSERT each: for bulk loads.

    Open it inside the load's transaction. The records are the same, written in the order they were made;
    a record is in the table once its batch is written (at the latest when the block ends), so code inside
    that reads the change log calls ``flush_changes()`` first. Nested, the outer collector writes. Not for
    code that rolls back a savepoint and goes on (an import's rejected row): its records would be kept.
    """
    if _collector.get() is not None:
        yield
        return
    collector = _Collector(batch_size=batch_size)
    token = _collector.set(collector)
    try:
        yield
        collector.flush()
    finally:
        _collector.reset(token)


def flush_changes() -> None:
    """Write the records ``collect_changes`` holds now: call before reading the change log inside a bulk load."""
    collector = _collector.get()
    if collector is not None:
        collector.flush()


def _write(records: list[ObjectChange]) -> None:
    collector = _collector.get()
    if collector is not None:
        collector.add(records)
    elif len(records) == 1:
        records[0].save()
    else:
        insert_rows(ObjectChange, records)


def _records(objects: list[ChangeLoggedModel], action: str, *, before: bool) -> list[ObjectChange]:
    """One ``action`` record per object (all of one model), their values read in bulk."""
    records = []
    for start in range(0, len(objects), _READ_BATCH):
        chunk: list[models.Model] = list(objects[start : start + _READ_BATCH])
        _load_named_parents(chunk)
        for obj, values in zip(chunk, serialize_many(chunk), strict=True):
            records.append(_record(obj, action, values if before else None, None if before else values))
    return records


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
    action = ObjectChange.ChangeAction.CREATE if created else ObjectChange.ChangeAction.UPDATE
    _write([_record(instance, action, before, after)])
    instance._changelog_before = after


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not _is_logged(sender):
        return
    _write([_record(instance, ObjectChange.ChangeAction.DELETE, serialize(instance), None)])


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
    _write([_record(instance, ObjectChange.ChangeAction.UPDATE, before, after)])


def log_bulk_create(objects: Iterable[ChangeLoggedModel], *, batch_size: int = 2000) -> int:
    """Record creations made with bulk_create, which sends no signals, and index them for search. Returns the count."""
    from parkos.core.search import index_objects

    objects = list(objects)
    records = []
    for model_objects in _by_model(objects):
        records.extend(_records(model_objects, ObjectChange.ChangeAction.CREATE, before=False))
    _write(records)
    index_objects(objects, new=True)
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
    _write(records)
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
    records = []
    for model_objects in _by_model(objects):
        records.extend(_records(model_objects, ObjectChange.ChangeAction.DELETE, before=True))
    _write(records)
    if objects:
        bulk_written.send(sender=type(objects[0]))
    return len(records)


def _by_model(objects: list[ChangeLoggedModel]) -> list[list[ChangeLoggedModel]]:
    """``objects`` in runs of one model, in their order."""
    runs: list[list[ChangeLoggedModel]] = []
    for obj in objects:
        if runs and type(runs[-1][0]) is type(obj):
            runs[-1].append(obj)
        else:
            runs.append([obj])
    return runs
