"""Import and export base: one resource per model, scoped to the acting user, all-or-nothing.

Imports run inside a change context for the user, so every row is in the change log and every
foreign key is looked up only among the records the user may see. A file with any bad row
writes nothing (``rollback_on_validation_errors``) and each error names its row and column.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import tablib
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources, widgets

from parkos.core import writes
from parkos.core.actors import Actor
from parkos.core.changelog import change_context, collect_changes, current_user
from parkos.core.downloads import neutralise
from parkos.core.fields import AreaField
from parkos.core.permissions import Action, can
from parkos.core.spreadsheets import canonical_dataset, export_table, table_csv, table_xlsx, template_table
from parkos.core.units import parse_area

_SECOND = datetime.timedelta(seconds=1)
#: rows of a file shown in its preview
PREVIEW_ROWS = 200
#: a row of a file as django-import-export hands it over: column name -> cell
Row = Mapping[str, Any]
ROW_TYPE_LABELS = {"new": gettext_lazy("new"), "update": gettext_lazy("update"), "skip": gettext_lazy("unchanged")}


class VisibleForeignKeyWidget(widgets.ForeignKeyWidget):  # type: ignore[misc]  # django-import-export has no type stubs
    """Look related records up by a natural key, among those the importing user may see."""

    def get_queryset(self, value: Any, row: Row, *args: Any, **kwargs: Any) -> models.QuerySet[Any]:
        visible: models.QuerySet[Any] = self.model.objects.restrict(current_user(), Action.VIEW)
        return visible

    def clean(self, value: Any, row: Row | None = None, **kwargs: Any) -> models.Model | None:
        if value in (None, ""):
            return None
        try:
            found: models.Model | None = super().clean(value, row, **kwargs)
            return found
        except self.model.DoesNotExist as exc:
            raise ValueError(
                _("No %(model)s with %(field)s '%(value)s' that you can see.")
                % {"model": self.model._meta.verbose_name, "field": self.field, "value": value}
            ) from exc
        except self.model.MultipleObjectsReturned as exc:
            raise ValueError(
                _("Several %(model)s have %(field)s '%(value)s'; use a unique key.")
                % {"model": self.model._meta.verbose_name_plural, "field": self.field, "value": value}
            ) from exc


class UserWidget(widgets.ForeignKeyWidget):  # type: ignore[misc]  # django-import-export has no type stubs
    """A user by user name; an unknown name is the cell's error, not a crash."""

    def __init__(self) -> None:
        super().__init__(get_user_model(), "username")

    def clean(self, value: Any, row: Row | None = None, **kwargs: Any) -> models.Model | None:
        if value in (None, ""):
            return None
        try:
            found: models.Model | None = super().clean(value, row, **kwargs)
            return found
        except self.model.DoesNotExist as exc:
            raise ValueError(_("No user '%(value)s'.") % {"value": value}) from exc


class AreaWidget(widgets.DecimalWidget):  # type: ignore[misc]  # django-import-export has no type stubs
    """Areas in m²; a cell may also say '18 mu'."""

    def clean(self, value: Any, row: Row | None = None, **kwargs: Any) -> Decimal | None:
        if self.is_empty(value):
            return None
        try:
            return parse_area(value)
        except ValueError as exc:
            raise ValueError(str(exc)) from exc

    def render(self, value: Decimal | None, obj: models.Model | None = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


@dataclass
class RowError:
    row: int  # 1-based number of the data row (the header row is not counted)
    field: str
    message: str

    @property
    def line(self) -> int:
        """The line in the file: the header is line 1, so data row 1 is line 2."""
        return self.row + 1


@dataclass
class ImportReport:
    total: int = 0
    new: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        """The report as stored in an ImportJob (errors keep their row, line, column and message)."""
        return {
            "total": self.total,
            "new": self.new,
            "updated": self.updated,
            "skipped": self.skipped,
            "dry_run": self.dry_run,
            "errors": [{"row": e.row, "line": e.line, "field": e.field, "message": e.message} for e in self.errors],
            "preview": [{**row, "type": str(row["type"])} for row in self.preview],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportReport:
        return cls(
            total=data.get("total", 0),
            new=data.get("new", 0),
            updated=data.get("updated", 0),
            skipped=data.get("skipped", 0),
            dry_run=data.get("dry_run", True),
            errors=[RowError(e["row"], e["field"], e["message"]) for e in data.get("errors", [])],
            preview=list(data.get("preview", [])),
        )

    def merge(self, other: ImportReport, *, offset: int) -> None:
        """Add the report of the next part of a file, whose row 1 is this file's row ``offset + 1``."""
        self.total += other.total
        self.new += other.new
        self.updated += other.updated
        self.skipped += other.skipped
        self.dry_run = self.dry_run or other.dry_run
        self.errors += [RowError(e.row + offset if e.row else 0, e.field, e.message) for e in other.errors]
        room = PREVIEW_ROWS - len(self.preview)
        self.preview += [{**row, "row": row["row"] + offset} for row in other.preview[: max(room, 0)]]


class PrimaryResource(resources.ModelResource):  # type: ignore[misc]  # django-import-export has no type stubs
    """Base of every model's resource. Subclasses set ``Meta.model``, ``fields`` and ``import_id_fields``."""

    #: natural keys that find an existing row when a file leaves the id empty (a contract number; a unit's
    #: building and number): re-importing an edited export updates, never duplicates
    alternate_keys: tuple[str, ...] = ()
    #: False for a model that is exported only (a run's results): the import command refuses it
    importable: bool = True

    def __init__(self, user: Actor | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    @classmethod
    def widget_from_django_field(cls, f: models.Field[Any, Any], *args: Any, **kwargs: Any) -> type[Any]:
        if isinstance(f, AreaField):
            return AreaWidget  # area cells may say '18 mu'
        widget: type[Any] = super().widget_from_django_field(f, *args, **kwargs)
        return widget

    def get_queryset(self) -> models.QuerySet[Any]:
        visible: models.QuerySet[Any] = self._meta.model.objects.restrict(self.user, Action.VIEW)
        return visible

    def import_instance(self, instance: models.Model, row: Row, **kwargs: Any) -> None:
        self.check_guarded_columns(instance, row)
        times = {
            f.attname: getattr(instance, f.attname)
            for f in instance._meta.concrete_fields
            if isinstance(f, models.DateTimeField) and instance.pk is not None
        }
        super().import_instance(instance, row, **kwargs)
        for name, stored in times.items():
            # a spreadsheet keeps times to the second: a cell left as exported keeps the stored time
            value = getattr(instance, name)
            if stored is not None and value is not None and value != stored and abs(value - stored) < _SECOND:
                setattr(instance, name, stored)
        # An empty spreadsheet cell arrives as None; text columns store "" for "nothing".
        formulas: dict[str, str] = {}
        imported = {(f.attribute or "").split("__")[0] for f in self.get_import_fields()}
        for f in instance._meta.concrete_fields:
            is_text = isinstance(f, models.CharField | models.TextField)
            value = getattr(instance, f.attname)
            if is_text and not f.null and value is None:
                setattr(instance, f.attname, "")
            elif (
                is_text
                and f.name in imported
                and isinstance(value, str)
                and neutralise(value.removeprefix("'")) != value.removeprefix("'")
            ):
                formulas[f.name] = _("Text may not start with =, +, - or @: a spreadsheet would run it as a formula.")
        if formulas:
            raise ValidationError(formulas)

    def check_guarded_columns(self, instance: models.Model, row: Row) -> None:
        """Refuse a filled-in column the user may not set (core.writes guards), as forms and the API do."""
        guards = writes.rules_for(type(instance)).guards
        values: dict[str, Any] = {}
        for f in self.get_import_fields():
            name = (f.attribute or "").split("__")[0]
            if name not in guards or f.column_name not in row:
                continue
            if instance.pk is None and row[f.column_name] in (None, ""):
                continue  # left empty on a new row: the default applies
            try:
                values[name] = f.clean(row)
            except ValueError:
                continue  # a bad value: the column's own validation reports it
            model_field = instance._meta.get_field(name)
            if values[name] is None and isinstance(model_field, models.CharField | models.TextField):
                values[name] = ""  # an empty cell is the empty text the record holds (as import_instance stores it)
        writes.check_fields(instance, self.user, values)

    def export_field(self, field: Any, instance: Any, **kwargs: Any) -> Any:
        if field.attribute and field.attribute.split("__")[0] in instance.hidden_fields_for(self.user):
            return ""
        return super().export_field(field, instance, **kwargs)

    def export_queryset(self, queryset: models.QuerySet[Any]) -> tablib.Dataset:
        return self.export(queryset=queryset)

    def before_save_instance(self, instance: models.Model, row: Row, **kwargs: Any) -> None:
        action = Action.ADD if instance.pk is None else Action.CHANGE
        if not can(self.user, self._meta.model, action):
            message = _("You may not add %(model)s.") if action == Action.ADD else _("You may not change %(model)s.")
            raise ValidationError(message % {"model": self._meta.model._meta.verbose_name_plural})

    def do_instance_save(self, instance: models.Model, is_create: bool) -> None:
        """Every row through the one write path (core.writes): the model's rules, hooks and scope check."""
        writes.save(instance, user=self.user, created=is_create, validated=True)

    def get_instance(self, instance_loader: Any, row: Row) -> models.Model | None:
        # A bad key (a parcel that does not exist) is the row's error at that column, not a crash.
        keys = []
        for name in self.get_import_id_fields():
            try:
                keys.append(self.fields[name].clean(row))
            except ValueError as exc:
                raise ValidationError({self.fields[name].attribute: str(exc)}) from exc
        if keys and all(key in (None, "") for key in keys):
            return self._instance_by_alternate_key(row)  # no id: a natural key may still name an existing row
        found: models.Model | None = super().get_instance(instance_loader, row)
        return found

    def _instance_by_alternate_key(self, row: Row) -> models.Model | None:
        """The row the file's natural key (``alternate_keys``) names, or None for a new record."""
        if not self.alternate_keys or any(self.fields[name].column_name not in row for name in self.alternate_keys):
            return None
        lookup: dict[str, Any] = {}
        for name in self.alternate_keys:
            try:
                value = self.fields[name].clean(row)
            except ValueError as exc:
                raise ValidationError({self.fields[name].attribute: str(exc)}) from exc
            if value in (None, ""):
                return None
            lookup[self.fields[name].attribute] = value
        found = list(self.get_queryset().filter(**lookup)[:2])
        if len(found) > 1:
            first = self.fields[self.alternate_keys[0]].attribute
            raise ValidationError({first: _("Several records have this key: give the id column as well.")})
        return found[0] if found else None

    def import_dataset(
        self, dataset: tablib.Dataset, *, dry_run: bool, on_row: Callable[[], object] | None = None
    ) -> ImportReport:
        """Import all rows or none; return counts, a preview and every row's errors."""
        self._on_row = on_row
        dataset, problems = canonical_dataset(self, dataset)
        if problems:  # a header that names no column: nothing is read, each such header is named
            errors = [RowError(0, p.header, p.message) for p in problems]
            return ImportReport(total=len(dataset), errors=errors, dry_run=True)
        with change_context(user=self.user, source="import"):
            result = self.import_data(
                dataset,
                dry_run=dry_run,
                raise_errors=False,
                use_transactions=True,
                rollback_on_validation_errors=True,
                collect_failed_rows=False,
            )
        report = ImportReport(
            total=len(dataset), dry_run=dry_run or result.has_errors() or result.has_validation_errors()
        )
        for row in result.rows:
            kind = row.import_type
            if kind == "new":
                report.new += 1
            elif kind == "update":
                report.updated += 1
            elif kind == "skip":
                report.skipped += 1
        for number, errors in result.row_errors():
            for error in errors:
                report.errors.append(RowError(number, "", _error_message(error.error)))
        for invalid in result.invalid_rows:
            for field_name, messages in invalid.error_dict.items():
                label = self._column_for(field_name)
                for message in messages:
                    report.errors.append(RowError(invalid.number, label, str(message)))
        for base_error in result.base_errors:
            report.errors.append(RowError(0, "", _error_message(base_error.error)))
        report.errors.sort(key=lambda e: (e.row, e.field))
        report.preview = [
            {"row": i, "type": ROW_TYPE_LABELS.get(row.import_type, row.import_type), "object": row.object_repr or ""}
            for i, row in enumerate(result.rows[:PREVIEW_ROWS], start=1)
        ]
        return report

    def import_data_inner(
        self,
        dataset: tablib.Dataset,
        dry_run: bool,
        raise_errors: bool,
        using_transactions: bool,
        collect_failed_rows: bool,
        **kwargs: Any,
    ) -> Any:
        """The rows, their change records kept and written in batches (``collect_changes``), not one INSERT each.

        This runs inside import_data's transaction, so the records are written before it ends and go with it:
        an import with a rejected row is rolled back whole (``rollback_on_validation_errors``), records included.
        A row rolled back to its savepoint while the import goes on cannot happen here: any rejected row
        rolls the import back. Without a transaction (never, here) the records are written one by one.
        """
        inner = super().import_data_inner
        args = (dataset, dry_run, raise_errors, using_transactions, collect_failed_rows)
        if not using_transactions:
            return inner(*args, **kwargs)
        with collect_changes():
            return inner(*args, **kwargs)

    def import_row(self, row: Row, instance_loader: Any, **kwargs: Any) -> Any:
        outcome = super().import_row(row, instance_loader, **kwargs)
        on_row: Callable[[], object] | None = getattr(self, "_on_row", None)
        if on_row:
            on_row()
        return outcome

    def _column_for(self, attribute: str) -> str:
        for f in self.get_import_fields():
            if f.attribute == attribute:
                column: str = f.column_name
                return column
        return "" if attribute == "__all__" else attribute


def _error_message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return str(error) or error.__class__.__name__


def load_dataset(content: bytes, file_name: str) -> tablib.Dataset:
    """A tablib dataset from CSV (UTF-8, with or without BOM) or XLSX bytes; ValueError if unreadable."""
    name = file_name.lower()
    try:
        if name.endswith(".xlsx"):
            return tablib.Dataset().load(content, format="xlsx")
        if name.endswith(".csv"):
            text = content.decode("utf-8-sig")
            return tablib.Dataset().load(text, format="csv")
    except UnicodeDecodeError as exc:
        raise ValueError(_("The CSV file is not UTF-8 text; save it as 'CSV UTF-8'.")) from exc
    except Exception as exc:
        raise ValueError(_("The file could not be read: %(error)s") % {"error": exc}) from exc
    raise ValueError(_("Unsupported file type: use .csv or .xlsx."))


EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def export_bytes(
    resource: PrimaryResource,
    queryset: models.QuerySet[Any],
    fmt: str,
    *,
    on_rows: Callable[[int], None] | None = None,
) -> bytes:
    """The one writer of a model's rows: CSV or XLSX, headers in the reader's language, formulas neutralised.

    ``on_rows(n)`` hears of the rows written so far, now and then (the progress of a background export).
    """
    table = export_table(resource, queryset)
    if fmt == "xlsx":
        return table_xlsx(table, on_rows=on_rows)
    return table_csv(table, on_rows=on_rows)


def template_bytes(resource: PrimaryResource) -> bytes:
    """An XLSX to fill in: the importable columns in the reader's language, example rows, drop-downs for choices."""
    return table_xlsx(template_table(resource), validations=True)


# Registry so the CLI and the generic views find each model's resource by model label.
_RESOURCES: dict[str, type[PrimaryResource]] = {}


def register(resource_class: type[PrimaryResource]) -> type[PrimaryResource]:
    model = resource_class._meta.model
    _RESOURCES[model._meta.label_lower] = resource_class
    return resource_class


def resource_for(label: str) -> type[PrimaryResource]:
    """'directory.organization' or just 'organization' -> its resource class; KeyError if none."""
    label = label.lower()
    if label in _RESOURCES:
        return _RESOURCES[label]
    matches = [r for key, r in _RESOURCES.items() if key.split(".")[1] == label]
    if len(matches) == 1:
        return matches[0]
    raise KeyError(label)


def registered_labels() -> list[str]:
    return sorted(_RESOURCES)
