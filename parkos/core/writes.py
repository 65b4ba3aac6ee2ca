"""The one write path: every create, change and delete of a PrimaryModel, whatever the channel.

Pages, the API, imports, the admin, bulk actions and domain services all save through ``save``
and delete through ``delete``. A model's own write rules are declared once, with ``register``,
in its app's services.py:

- ``guards``: fields only some users may set (a confidential project's team); every channel
  refuses or ignores them through ``refused_fields``;
- ``validate``: rules that depend on the acting user (raise ``ValidationError`` keyed by field);
- ``before_save`` / ``after_save``: what a create or an update brings with it (a project's first
  stage entry, a request routed to its desk).

``save`` runs them in one transaction with the scope check (the object must stay where the
user may change it), so a rule broken in any channel gives the same message: a form error, a
400 from the API, a row error in an import.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parkos.core.changelog import change_context, current_context
from parkos.core.permissions import Action

M = TypeVar("M", bound=models.Model)


class SaveHook(Protocol):
    def __call__(self, obj: Any, /, *, user: Any, created: bool) -> None: ...


@dataclass(frozen=True)
class FieldGuard:
    """Who may set one field: ``may_set(user, obj)`` sees the object as it was before the change."""

    may_set: Callable[[Any, Any], bool]
    message: str | Promise = gettext_lazy("You may not change this field.")


@dataclass(frozen=True)
class WriteRules:
    guards: Mapping[str, FieldGuard] = field(default_factory=dict)
    validate: SaveHook | None = None
    before_save: SaveHook | None = None
    after_save: SaveHook | None = None


_NO_RULES = WriteRules()
_RULES: dict[type[models.Model], WriteRules] = {}


def register(
    model: type[models.Model],
    *,
    guards: Mapping[str, FieldGuard] | None = None,
    validate: SaveHook | None = None,
    before_save: SaveHook | None = None,
    after_save: SaveHook | None = None,
) -> None:
    """Declare ``model``'s write rules; call once, from the app's services module."""
    _RULES[model] = WriteRules(
        guards=dict(guards or {}), validate=validate, before_save=before_save, after_save=after_save
    )


def rules_for(model: type[models.Model]) -> WriteRules:
    return _RULES.get(model, _NO_RULES)


class OutOfScope(ValidationError):
    """The object would end up where the acting user may not change it."""


class Conflict(ValidationError):
    """Someone saved the object after the user opened it (``version`` differs): nothing is overwritten."""


def version_of(obj: models.Model) -> str:
    """What an edit form and an API ETag carry back: when the object was last saved."""
    stamp = getattr(obj, "last_updated", None)
    return stamp.isoformat() if stamp is not None else ""


def _check_version(obj: models.Model, version: str) -> None:
    current = type(obj)._base_manager.select_for_update().filter(pk=obj.pk).first()
    if current is None or version_of(current) == version:
        return
    differences = {}
    for f in obj._meta.concrete_fields:
        if f.name in ("created", "last_updated") or not f.editable:
            continue
        theirs, yours = f.value_from_object(current), f.value_from_object(obj)
        if theirs != yours:
            shown = getattr(current, f.name) if f.is_relation else theirs
            differences[f.name] = [
                _("Saved meanwhile by someone else: “%(theirs)s” (yours: “%(yours)s”).")
                % {"theirs": "" if shown is None else shown, "yours": "" if yours is None else yours}
            ]
    raise Conflict(
        {
            "__all__": [
                _(
                    "Someone saved this %(model)s after you opened it; nothing was overwritten. "
                    "Check the values saved meanwhile and save again to keep yours."
                )
                % {"model": obj._meta.verbose_name}
            ],
            **differences,
        }
    )


class DeleteBlocked(ValidationError):
    """Other records still point at the object (``on_delete=PROTECT``)."""


def out_of_scope_message(model: type[models.Model]) -> str:
    return _("You may only keep %(model)s inside the parks or organizations you are assigned to.") % {
        "model": model._meta.verbose_name_plural
    }


def _current_value(obj: models.Model, name: str) -> Any:
    f = obj._meta.get_field(name)
    if f.many_to_many:
        return set(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else set()
    if f.is_relation and isinstance(f, models.Field):
        return getattr(obj, f.attname)
    return getattr(obj, name)


def _given_value(obj: models.Model, name: str, value: Any) -> Any:
    f = obj._meta.get_field(name)
    if f.many_to_many:
        return {getattr(v, "pk", v) for v in (value or ())}
    if f.is_relation:
        return getattr(value, "pk", value)
    return value


def _differs(given: Any, current: Any) -> bool:
    """Times are compared to the second: a spreadsheet sends back what it was shown, without microseconds."""
    if isinstance(given, datetime.datetime) and isinstance(current, datetime.datetime):
        if timezone.is_naive(given) and timezone.is_aware(current):
            given = timezone.make_aware(given)
        return bool(abs((given - current).total_seconds()) >= 1)
    return bool(given != current)


def refused_fields(obj: models.Model, user: Any, values: Mapping[str, Any]) -> dict[str, str]:
    """The fields in ``values`` that ``user`` may not set on ``obj`` (as it is now), with why.

    A guarded field sent with the value it already holds is not refused (an API client sends
    the whole object back).
    """
    refused = {}
    for name, guard in rules_for(type(obj)).guards.items():
        if name not in values or guard.may_set(user, obj):
            continue
        if _differs(_given_value(obj, name, values[name]), _current_value(obj, name)):
            refused[name] = str(guard.message)
    return refused


def guarded_fields(obj: models.Model, user: Any) -> dict[str, str]:
    """The guarded fields ``user`` may not set on ``obj``: forms show them read-only, with why."""
    return {
        name: str(guard.message) for name, guard in rules_for(type(obj)).guards.items() if not guard.may_set(user, obj)
    }


def check_fields(obj: models.Model, user: Any, values: Mapping[str, Any]) -> None:
    refused = refused_fields(obj, user, values)
    if refused:
        raise ValidationError({name: [message] for name, message in refused.items()})


def validate(obj: models.Model, *, user: Any, created: bool) -> None:
    """The model's user-dependent rules (``register(validate=...)``); ValidationError keyed by field."""
    hook = rules_for(type(obj)).validate
    if hook is not None:
        hook(obj, user=user, created=created)


# -- a batch: many rows through the write path at the cost of a few queries -------------------------------


@dataclass
class Batch:
    """Rows a bulk action read at once, locked and in ``user``'s scope for ``permission``.

    While a batch runs (``batch``), the write path and the services skip what the batch has settled for
    the set: re-reading and re-locking a row (``locked``), checking its scope one by one (``in_batch``,
    ``in_scope`` defers the check after the save to ``Batch.unscoped``, one query for all rows), checking
    that a foreign key points at a row that exists when the batch knows it does, and rules that give the
    same answer for every row (``remembered``).
    """

    model: type[models.Model]
    user_id: Any
    permission: str
    rows: dict[Any, models.Model]
    #: (model, pk) of rows known to exist: the batch's rows and what their foreign keys point at
    exists: set[tuple[type[models.Model], Any]] = field(default_factory=set)
    #: (model, field, value) of foreign keys already validated in this batch
    validated: set[tuple[type[models.Model], str, Any]] = field(default_factory=set)
    #: what was saved in the batch (its rows, and what their services created), by model: the scope after
    #: the change is checked once for each model (``unscoped``)
    saved: dict[type[models.Model], dict[Any, models.Model]] = field(default_factory=dict)
    memo: dict[Hashable, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for obj in self.rows.values():
            self.exists.add((self.model, obj.pk))
            for f in self.model._meta.concrete_fields:
                if isinstance(f, models.ForeignKey):
                    value = getattr(obj, f.attname)
                    if value is not None:
                        self.exists.add((f.remote_field.model, value))

    def holds(self, obj: models.Model, user: Any, action: str = Action.VIEW) -> bool:
        """Is ``obj`` a row of this batch, read for ``user`` in a scope that covers ``action``?"""
        return (
            type(obj) is self.model
            and self.rows.get(obj.pk) is obj
            and getattr(user, "pk", None) == self.user_id
            and action in (self.permission, Action.VIEW)
        )

    def known_foreign_keys(self, obj: models.Model) -> list[str]:
        """The foreign keys of ``obj`` that need no query to validate: the batch knows their rows exist."""
        known = []
        for f in obj._meta.concrete_fields:
            if not isinstance(f, models.ForeignKey):
                continue
            value = getattr(obj, f.attname)
            if value is None:
                continue
            plain = not f.remote_field.limit_choices_to
            if (plain and (f.remote_field.model, value) in self.exists) or (type(obj), f.name, value) in self.validated:
                known.append(f.name)
        return known

    def validated_foreign_keys(self, obj: models.Model) -> None:
        for f in obj._meta.concrete_fields:
            if isinstance(f, models.ForeignKey) and getattr(obj, f.attname) is not None:
                self.validated.add((type(obj), f.name, getattr(obj, f.attname)))

    def unscoped(self, user: Any) -> list[models.Model]:
        """What the batch saved that the change took outside ``user``'s scope (one query per model saved)."""
        outside: list[models.Model] = []
        for model, objects in self.saved.items():
            manager: Any = model._default_manager
            if not hasattr(manager, "restrict"):
                continue
            kept = set(manager.restrict(user, Action.CHANGE).filter(pk__in=list(objects)).values_list("pk", flat=True))
            outside.extend(obj for pk, obj in objects.items() if pk not in kept)
        return outside


_BATCH: ContextVar[Batch | None] = ContextVar("parkos_write_batch", default=None)


@contextlib.contextmanager
def batch(model: type[models.Model], rows: Iterable[models.Model], *, user: Any, permission: str) -> Iterator[Batch]:
    """Run many writes of ``rows`` (read in ``user``'s scope for ``permission``, locked) as one batch."""
    running = Batch(model, getattr(user, "pk", None), permission, {obj.pk: obj for obj in rows})
    token = _BATCH.set(running)
    try:
        yield running
    finally:
        _BATCH.reset(token)


def current_batch() -> Batch | None:
    """The batch running now (a bulk action's), if any: side effects may gather in its ``memo``."""
    return _BATCH.get()


def in_batch(obj: models.Model, user: Any, action: str = Action.VIEW) -> bool:
    """Has the running batch already read ``obj`` in ``user``'s scope for ``action`` (no query needed)?"""
    running = _BATCH.get()
    return running is not None and running.holds(obj, user, action)


def locked(obj: M) -> M | None:
    """``obj`` as the running batch read and locked it, or None outside a batch (the caller reads it)."""
    running = _BATCH.get()
    if running is not None and type(obj) is running.model and running.rows.get(obj.pk) is obj:
        return obj
    return None


def remembered(key: Hashable, compute: Callable[[], Any]) -> Any:
    """``compute()``, once per batch for ``key`` (a rule whose answer is the same for every row)."""
    running = _BATCH.get()
    if running is None:
        return compute()
    if key not in running.memo:
        running.memo[key] = compute()
    return running.memo[key]


def in_scope(obj: models.Model, user: Any) -> bool:
    """May ``user`` still change ``obj``? (A model without scoped rows, such as a user, always.)

    In a batch, ``obj`` is checked with all the others of its model once the batch is done (``Batch.unscoped``).
    """
    running = _BATCH.get()
    if running is not None and getattr(user, "pk", None) == running.user_id and obj.pk is not None:
        running.saved.setdefault(type(obj), {})[obj.pk] = obj
        return True
    manager = type(obj)._default_manager
    if not hasattr(manager, "restrict"):
        return True
    return bool(manager.restrict(user, Action.CHANGE).filter(pk=obj.pk).exists())


def save(
    obj: M,
    *,
    user: Any,
    created: bool | None = None,
    many: Mapping[str, Iterable[Any]] | None = None,
    save_m2m: Callable[[], None] | None = None,
    channel: str | None = None,
    validated: bool = False,
    version: str | None = None,
) -> M:
    """Create or change ``obj`` as ``user``, in one transaction: the one write path.

    Runs the model's ``validate`` and ``before_save`` hooks, saves, sets the many-to-many
    values (``many``, or the form's ``save_m2m``), checks the object is still in the user's
    scope (``OutOfScope`` if not: nothing is kept) and runs ``after_save``. ``validated``
    says the caller already ran ``full_clean`` (forms, serializers, imports do).
    ``channel`` names the change log's source when no request or command has set one.
    ``version`` (from ``version_of`` when the user opened the object) refuses a lost update:
    ``Conflict`` if someone saved the object since.
    """
    if created is None:
        created = obj.pk is None
    rules = rules_for(type(obj))
    with _channel(user, channel), transaction.atomic():
        if version and not created:
            _check_version(obj, version)
        if not validated:
            exclude = [f.name for f in obj._meta.many_to_many]
            running = _BATCH.get()
            if running is not None:
                exclude += running.known_foreign_keys(obj)
            obj.full_clean(exclude=exclude)
            if running is not None:
                running.validated_foreign_keys(obj)
        if rules.validate is not None:
            rules.validate(obj, user=user, created=created)
        if rules.before_save is not None:
            rules.before_save(obj, user=user, created=created)
        obj.save()
        for name, values in (many or {}).items():
            getattr(obj, name).set(values)
        if save_m2m is not None:
            save_m2m()
        if not in_scope(obj, user):
            raise OutOfScope(out_of_scope_message(type(obj)))
        if rules.after_save is not None:
            rules.after_save(obj, user=user, created=created)
    return obj


def delete(obj: models.Model, *, user: Any, channel: str | None = None) -> None:
    """Delete ``obj``; ``DeleteBlocked`` names what still points at it."""
    label = str(obj)
    try:
        with _channel(user, channel), transaction.atomic():
            obj.delete()
    except ProtectedError as exc:
        blockers = sorted({str(o._meta.verbose_name_plural) for o in exc.protected_objects})
        raise DeleteBlocked(
            _("“%(object)s” cannot be deleted while it has %(blockers)s. Remove or move those first.")
            % {"object": label, "blockers": ", ".join(blockers)}
        ) from exc


def _channel(user: Any, channel: str | None) -> contextlib.AbstractContextManager[object]:
    """A change context for ``channel`` unless a request or command already opened one."""
    if channel is None or current_context() is not None:
        return contextlib.nullcontext()
    return change_context(user=user, source=channel)


def error_messages(exc: ValidationError) -> dict[str, list[str]]:
    """A ValidationError as {field: [messages]} ("__all__" for the whole object)."""
    if hasattr(exc, "error_dict"):
        return {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}
