"""Bulk actions on list pages: one action applied to many rows, all or nothing.

An app declares its model's actions (assign, change status, mark contacted) as ``BulkAction``s on its
``ObjectViews.bulk_actions``; core adds delete and "export selected" to every list. Each row goes
through the model's write path (``core.writes`` or the domain service) as the acting user, inside
the user's scope for the action's permission. The batch is one transaction: when any row is refused
(a rule, a status it cannot leave, an id outside the scope) nothing is kept, and the result names
every refused row and why, so the user fixes the selection and tries again.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parkos.core import changelog, search, writes
from parkos.core.actors import Actor
from parkos.core.errors import NotFound
from parkos.core.permissions import Action, can

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: the most rows one bulk change touches (a larger filter is narrowed first; exports have no limit)
BULK_LIMIT = 5000


@dataclass(frozen=True)
class BulkAction:
    """One action offered on a list's selected rows."""

    name: str
    label: StrOrPromise
    #: the permission each row needs: rows are read through ``restrict(user, permission)``
    permission: str = Action.CHANGE
    #: what the action does to one row, ``apply(obj, user=..., **form.cleaned_data)``; it raises
    #: ValidationError, PermissionDenied or NotFound to refuse the row (the batch is then undone)
    apply: Callable[..., None] | None = None
    #: parameters asked for on the confirmation page (built with ``user=``); None asks nothing
    form: type[forms.Form] | None = None
    #: who sees the action beyond the model permission (an enterprise user does not assign requests)
    allowed: Callable[[Actor | None], bool] | None = None
    #: red button, and the confirmation says it cannot be undone
    danger: bool = False
    #: an export format: answered with a file at once, no confirmation
    export_format: str = ""

    @property
    def title(self) -> str:
        """The label without the "…" that says a menu entry asks more: for headings and messages."""
        return str(self.label).rstrip("…").rstrip(".")

    def may(self, user: Actor | None, model: type[models.Model]) -> bool:
        if not can(user, model, self.permission):
            return False
        return self.allowed is None or self.allowed(user)

    def parameters_form(self, user: Actor | None, data: Any = None) -> forms.Form | None:
        if self.form is None:
            return None
        built: forms.Form = self.form(data, user=user)  # type: ignore[call-arg]  # our forms take the user
        return built


def _delete(obj: models.Model, *, user: Actor) -> None:
    writes.delete(obj, user=user)


#: what every list offers, before the app's own actions
COMMON_ACTIONS: tuple[BulkAction, ...] = (
    BulkAction("export_csv", gettext_lazy("Export selected (CSV)"), permission=Action.VIEW, export_format="csv"),
    BulkAction("export_xlsx", gettext_lazy("Export selected (XLSX)"), permission=Action.VIEW, export_format="xlsx"),
    BulkAction("delete", gettext_lazy("Delete"), permission=Action.DELETE, apply=_delete, danger=True),
)


@dataclass
class BulkResult:
    """How a batch went: the rows done, or (when any row was refused) nothing done and each refusal."""

    action: BulkAction
    done: int = 0
    #: (row, why) for each refused row; non-empty means nothing was kept
    refused: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused


def _reasons(exc: Exception, model: type[models.Model]) -> str:
    if isinstance(exc, ValidationError):
        parts: list[str] = []
        for name, texts in writes.error_messages(exc).items():
            label = ""
            if name != "__all__":
                try:
                    label = str(getattr(model._meta.get_field(name), "verbose_name", ""))
                except Exception:  # noqa: BLE001  # a key that is not a field: the message alone
                    label = ""
            parts.extend(
                _("%(field)s: %(message)s") % {"field": label, "message": text} if label else text for text in texts
            )
        return " ".join(parts)
    return str(exc) or _("You may not do this to this row.")


def out_of_scope_reason() -> str:
    return _("No such row, or it lies outside what you may change.")


def bulk_apply(
    *,
    action: BulkAction,
    rows: models.QuerySet[Any],
    ids: Sequence[int],
    user: Actor,
    params: dict[str, Any] | None = None,
) -> BulkResult:
    """Apply ``action`` to the rows ``ids`` of ``rows`` (the user's scope for the action) in one transaction.

    The rows are read once, locked, with what ``rows`` selects with them: that one query is also the scope
    check of the whole set. Each row then goes through the model's write path as a row of a ``writes.batch``,
    which spares it what the batch has settled (reading and locking it again, its scope one row at a time,
    its change log's "before", its search entries when no searched value changes, foreign keys known to
    exist); the scope after the change is checked for all rows in one query at the end. Every row is tried,
    so the result lists all refusals at once; if there is any, the whole batch is rolled back (each write
    path is atomic, so a refused row leaves nothing half-written for the rows after it).
    """
    assert action.apply is not None
    params = params or {}
    result = BulkResult(action)
    model = rows.model
    with transaction.atomic():
        chosen = rows.filter(pk__in=ids)
        if chosen.query.group_by is not None:
            # PostgreSQL locks no grouped rows (a list that counts something per row): lock them by key first
            list(model._base_manager.filter(pk__in=ids).select_for_update().values_list("pk", flat=True))
        elif not chosen.query.distinct:  # (PostgreSQL locks no DISTINCT rows; SQLite locks the whole database)
            chosen = chosen.select_for_update(of=("self",))
        found = {obj.pk: obj for obj in chosen}
        result.refused.extend((f"#{pk}", out_of_scope_reason()) for pk in ids if pk not in found)
        changelog.remember_loaded(found.values())
        search.remember_indexed(found.values())
        with writes.batch(model, found.values(), user=user, permission=action.permission) as running:
            for pk in ids:
                obj = found.get(pk)
                if obj is None:
                    continue
                try:
                    action.apply(obj, user=user, **params)
                except (ValidationError, PermissionDenied, NotFound) as exc:
                    result.refused.append((str(obj), _reasons(exc, model)))
            if not result.refused:
                result.refused.extend(
                    (str(obj), writes.out_of_scope_message(type(obj))) for obj in running.unscoped(user)
                )
        if result.refused:
            transaction.set_rollback(True)
        else:
            result.done = len(found)
    return result


def parse_ids(values: Collection[str]) -> list[int] | None:
    """Row ids as posted (repeated ``pk`` fields or one comma-separated ``ids``); None if any is not a number."""
    ids: list[int] = []
    for value in values:
        for part in str(value).split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit() or len(part) > 18:
                return None
            ids.append(int(part))
    return list(dict.fromkeys(ids))  # each row once, in the order given
