"""Spreadsheets of a model's rows: the columns a resource exports, read back on import in either language.

An export is for people: headers are the fields' verbose names in the reader's language, choices are
their labels, money is in the reader's unit (元 / 万元 / 亿元, named in the header), numbers and dates
are typed cells. The same file imports back: a header in English or Chinese, with or without its unit,
finds its column; a choice label (in either language) finds its value; a scaled amount is scaled back.
A header that names no column is an error naming it. Rows are read with one ``values_list`` query (and
one per many-to-many column), never model instances, so 10,000 rows take well under a second to read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import tablib
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from import_export import widgets

from parkos.core.display import display_kind
from parkos.core.downloads import DATE_FORMAT, DATETIME_FORMAT, DECIMAL_FORMAT, INTEGER_FORMAT, neutralise
from parkos.core.fields import AreaField, MoneyAmountField
from parkos.core.units import (
    HEADER_UNITS,
    HeaderUnit,
    header_unit,
    is_chinese,
    money_header_unit,
    money_unit_for,
    split_header_unit,
)

#: the languages a header or a choice label may be written in
LANGUAGES = ("en", "zh-hans")
#: Excel's limit for a sheet title, and the characters it forbids in one
SHEET_TITLE_LENGTH = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
#: a scaled amount (万元, 亿元) keeps its digits: 1.442137 万元 is 14,421.37 元
SCALED_FORMAT = "#,##0.00####"
#: rows measured for column widths
WIDTH_SAMPLE = 500
#: English spelling of the money units in headers, by symbol
_ENGLISH_MONEY = {"元": "yuan", "万元": "10,000 yuan", "亿元": "100 million yuan"}


@dataclass
class Column:
    """One column of a model's spreadsheet, as a resource field describes it."""

    name: str  # the resource field's column name (the key import_export reads)
    attribute: str
    kind: str  # text | number | integer | money | date | datetime | bool | choice | json | many | computed
    model_field: models.Field[Any, Any] | None = None
    lookups: tuple[str, ...] = ()  # related keys joined into one cell ('park/building')
    join: str = "/"
    first: bool = False  # the cell is the first of the lookups that has a value (credit code, else name)
    separator: str = "; "  # between the records of a many-to-many cell
    quantity: str = ""  # a key of HEADER_UNITS when the header may name a unit
    choices: dict[Any, Any] = field(default_factory=dict)
    _values: dict[str, Any] | None = field(default=None, repr=False)
    #: for a field of a related record (``organization__name``): the relation, named before the field
    via: models.Field[Any, Any] | None = None

    def paths(self) -> tuple[str, ...]:
        if self.lookups:
            return tuple(f"{self.attribute}__{lookup}" for lookup in self.lookups)
        return (self.attribute,)

    def names(self) -> set[str]:
        """Every header that names this column (unit left off), in every language; normalised."""
        found = {normalise(self.name), normalise(self.attribute)}
        if self.model_field is not None:
            for language in LANGUAGES:
                with translation.override(language):
                    verbose = self.header(HEADER_UNITS["money"][0]) if self.via is not None else ""
                    verbose = verbose or str(self.model_field.verbose_name)
                found.add(normalise(verbose))
                found.add(normalise(split_header_unit(verbose)[0]))
        return found

    def header(self, money_unit: HeaderUnit) -> str:
        """The header in the active language, with the unit the cells are in."""
        if self.model_field is None:
            return self.name
        verbose = capfirst(str(self.model_field.verbose_name))
        if self.via is not None:
            verbose = (
                f"{capfirst(str(self.via.verbose_name))}{'' if is_chinese() else ' '}{self.model_field.verbose_name}"
            )
        if self.kind == "money":
            bare = split_header_unit(verbose)[0]
            if is_chinese():
                return f"{bare}({money_unit.symbol})"
            return f"{bare} ({_ENGLISH_MONEY[money_unit.symbol]})"
        if self.quantity == "area" and not split_header_unit(verbose)[1]:
            return f"{verbose}(m²)" if is_chinese() else f"{verbose} (m²)"
        return verbose

    def label_of(self, value: Any) -> Any:
        return self.choices.get(value, value)

    def value_of_label(self, cell: Any) -> Any:
        """A choice's value from its value or its label in either language; the cell as it is if none fits."""
        if cell is None or cell == "":
            return cell
        if self._values is None:
            self._values = {}
            flat = list(self.model_field.flatchoices) if self.model_field is not None else []
            for language in reversed(LANGUAGES):
                with translation.override(language):
                    self._values.update({normalise(str(label)): value for value, label in flat})
            self._values.update({normalise(value): value for value in self.choices})
        return self._values.get(normalise(cell), cell)


def normalise(text: object) -> str:
    text = str(text if text is not None else "").strip().lower().replace("（", "(").replace("）", ")")
    return re.sub(r"\s+", "", text)


def _model_field(model: type[models.Model], attribute: str) -> models.Field[Any, Any] | None:
    try:
        found = model._meta.get_field(attribute.split("__")[0])
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _path_field(model: type[models.Model], path: str) -> tuple[type[models.Model], models.Field[Any, Any]] | None:
    """The model and field a lookup path such as ``organization__name`` ends at (None if it is not one)."""
    *hops, last = path.split("__")
    for hop in hops:
        try:
            relation = model._meta.get_field(hop)
        except FieldDoesNotExist:
            return None
        if relation.related_model is None or relation.many_to_many or relation.one_to_many:
            return None
        model = relation.related_model
    found = _model_field(model, last)
    return (model, found) if found is not None and not found.is_relation else None


def _quantity_of(model_field: models.Field[Any, Any]) -> str:
    """The quantity a numeric field measures: money and areas by their field class, others by the unit in their name."""
    if isinstance(model_field, MoneyAmountField):
        return "money"
    if isinstance(model_field, AreaField):
        return "area"
    if not isinstance(model_field, models.DecimalField | models.FloatField | models.IntegerField):
        return ""
    with translation.override("en"):
        unit = split_header_unit(str(model_field.verbose_name))[1]
    for quantity in HEADER_UNITS:
        try:
            if unit and header_unit(quantity, unit).factor == 1:
                return quantity
        except ValueError:
            continue
    return ""


def columns_of(resource: Any, *, for_import: bool = False) -> list[Column]:
    """The columns of ``resource``'s file, in its order."""
    model = resource._meta.model
    fields = resource.get_export_fields()
    if for_import:
        seen = {f.column_name for f in fields}
        fields = [*fields, *(f for f in resource.get_import_fields() if f.column_name not in seen)]
    columns = []
    for f in fields:
        attribute = f.attribute or f.column_name
        model_field = _model_field(model, attribute)
        widget = f.widget
        if isinstance(widget, widgets.ManyToManyWidget):
            lookups = getattr(widget, "export_lookups", None) or (widget.field or "pk",)
            separator = (widget.separator or ",").strip()
            columns.append(
                Column(
                    f.column_name,
                    attribute,
                    "many",
                    model_field,
                    lookups=lookups,
                    separator=f"{separator} " if separator == ";" else separator,
                )
            )
        elif isinstance(widget, widgets.ForeignKeyWidget):
            lookups = getattr(widget, "export_lookups", None) or (widget.field,)
            lookups = tuple(widget.model._meta.pk.name if lookup == "pk" else lookup for lookup in lookups)
            first = bool(getattr(widget, "export_first", False))
            columns.append(Column(f.column_name, attribute, "related", model_field, lookups=lookups, first=first))
        elif "__" in attribute and (target := _path_field(model, attribute)) is not None:
            target_model, target_field = target  # a field of a related record: read in the same query
            column = _plain_column(target_model, f.column_name, attribute, target_field)
            column.via = _model_field(model, attribute)
            columns.append(column)
        elif model_field is None or "__" in attribute:
            columns.append(Column(f.column_name, attribute, "computed", model_field))
        else:
            columns.append(_plain_column(model, f.column_name, attribute, model_field))
    return columns


def _plain_column(model: type[models.Model], name: str, attribute: str, model_field: models.Field[Any, Any]) -> Column:
    quantity = _quantity_of(model_field)
    if quantity == "money" and display_kind(model, model_field) == "rent":
        quantity = ""  # a rent is read at its basis (元/m²·day), never scaled
    if model_field.choices:
        labels = {value: str(label) for value, label in model_field.flatchoices}
        return Column(name, attribute, "choice", model_field, choices=labels)
    if isinstance(model_field, models.BooleanField):
        kind = "bool"
    elif isinstance(model_field, models.DateTimeField):
        kind = "datetime"
    elif isinstance(model_field, models.DateField):
        kind = "date"
    elif quantity == "money":
        kind = "money"
    elif display_kind(model, model_field) == "rent":
        kind = "number"
    elif isinstance(model_field, models.IntegerField | models.AutoField):
        kind = "integer"
    elif isinstance(model_field, models.DecimalField | models.FloatField):
        kind = "number"
    elif isinstance(model_field, models.JSONField):
        kind = "json"
    else:
        kind = "text"
    return Column(name, attribute, kind, model_field, quantity=quantity)


# --- export ------------------------------------------------------------------------------------------------------


@dataclass
class Table:
    title: str
    columns: list[Column]
    headers: list[str]
    rows: list[list[Any]]
    money_unit: HeaderUnit


def sheet_title(text: str) -> str:
    """A title Excel accepts: no []:*?/\\, at most 31 characters, never empty."""
    cleaned = _SHEET_FORBIDDEN.sub(" ", text).strip().strip("'")
    return cleaned[:SHEET_TITLE_LENGTH] or "Sheet1"


def export_table(resource: Any, queryset: models.QuerySet[Any]) -> Table:
    """The rows of ``queryset`` (already in the user's scope) as ``resource``'s columns, ready for a writer."""
    model = resource._meta.model
    columns = columns_of(resource)
    money_unit = money_header_unit(money_unit_for(resource.user))
    headers = [c.header(money_unit) for c in columns]
    title = sheet_title(capfirst(str(model._meta.verbose_name_plural)))
    if getattr(model, "confidential_fields", ()) or any(c.kind == "computed" for c in columns):
        raw = _rows_from_instances(resource, queryset, columns)
    else:
        raw = _rows_from_values(queryset, columns)
    rows = [[_cell(c, value, money_unit) for c, value in zip(columns, row, strict=True)] for row in raw]
    return Table(title, columns, headers, rows, money_unit)


def _rows_from_values(queryset: models.QuerySet[Any], columns: list[Column]) -> Iterator[list[Any]]:
    plain = [c for c in columns if c.kind != "many"]
    paths: list[str] = []
    for c in plain:
        paths += [p for p in c.paths() if p not in paths]
    base = queryset.prefetch_related(None)
    many: dict[str, dict[Any, list[str]]] = {}
    model = queryset.model
    for c in columns:
        if c.kind == "many":
            by_pk: dict[Any, list[str]] = {}
            related = model._default_manager.filter(pk__in=base.values("pk")).order_by("pk", f"{c.attribute}__pk")
            for pk, *keys in related.values_list("pk", *c.paths()):
                if any(k is not None for k in keys):
                    by_pk.setdefault(pk, []).append(c.join.join(str(k) for k in keys if k is not None))
            many[c.name] = by_pk
    for pk, *values in base.values_list("pk", *paths):
        by_path = dict(zip(paths, values, strict=True))
        row: list[Any] = []
        for c in columns:
            if c.kind == "many":
                row.append(many[c.name].get(pk, []))
            else:
                row.append(_joined(c, [by_path[p] for p in c.paths()]))
        yield row


def _rows_from_instances(resource: Any, queryset: models.QuerySet[Any], columns: list[Column]) -> Iterator[list[Any]]:
    """Per instance, for a model with fields hidden per row (confidential) or a column computed in Python."""
    for instance in queryset:
        hidden = instance.hidden_fields_for(resource.user) if hasattr(instance, "hidden_fields_for") else frozenset()
        row: list[Any] = []
        for c in columns:
            if c.attribute.split("__")[0] in hidden:
                row.append(None)
            elif c.kind == "many":
                items = getattr(instance, c.attribute).all()
                row.append([c.join.join(str(_walk(item, lookup)) for lookup in c.lookups) for item in items])
            elif c.kind == "computed":
                field = resource.fields[c.name]
                row.append(field.get_value(instance))
            else:
                row.append(_joined(c, [_walk(instance, path) for path in c.paths()]))
        yield row


def _walk(obj: Any, path: str) -> Any:
    for part in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def _joined(column: Column, values: list[Any]) -> Any:
    if column.first:
        return next((v for v in values if v not in (None, "")), None)
    if len(values) == 1:
        return values[0]
    if all(v is None for v in values):
        return None
    return column.join.join("" if v is None else str(v) for v in values)


def _cell(column: Column, value: Any, money_unit: HeaderUnit) -> Any:
    """A stored value as the file holds it: typed, scaled or labelled."""
    if column.kind == "many":
        return column.separator.join(value)
    if value is None:
        return None
    if column.kind == "choice":
        return column.label_of(value)
    if column.kind == "money":
        amount = Decimal(value) if not isinstance(value, Decimal) else value
        return amount / money_unit.factor if money_unit.factor != 1 else amount
    if column.kind == "json":
        return json.dumps(value, ensure_ascii=False)
    if column.kind in ("text", "related", "computed") and not isinstance(value, str | int | Decimal | float | dt.date):
        return str(value)
    return value


#: a writer tells its ``on_rows`` callback of its progress after this many rows
PROGRESS_ROWS = 1000


def table_csv(table: Table, *, on_rows: Callable[[int], None] | None = None) -> bytes:
    """UTF-8 CSV with a BOM (Excel opens Chinese correctly); every text cell neutralised against formulas."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.headers)
    for number, row in enumerate(table.rows, start=1):
        writer.writerow([_csv_text(neutralise(cell)) for cell in row])
        if on_rows is not None and number % PROGRESS_ROWS == 0:
            on_rows(number)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.replace(tzinfo=None, microsecond=0).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def table_xlsx(table: Table, *, validations: bool = False, on_rows: Callable[[int], None] | None = None) -> bytes:
    """An XLSX workbook: one named sheet, a bold frozen header, widths that fit, typed and formatted cells.

    Written by xlsxwriter in constant-memory mode (each row goes to a temporary file as it is written):
    10,000 rows take a fraction of what openpyxl's write-only workbook takes, which builds an XML element
    per cell. Cells are written with the typed ``write_*`` calls, never ``write``, so a text that looks
    like a number, a URL or a formula stays text.
    """
    import xlsxwriter  # type: ignore[import-untyped]  # ships no type hints

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "default_date_format": DATE_FORMAT,
        },
    )
    sheet = book.add_worksheet(table.title)
    bold = book.add_format({"bold": True})
    for index, width in enumerate(_widths(table)):
        sheet.set_column(index, index, width)
    sheet.freeze_panes(1, 0)
    if validations:
        _add_validations(sheet, table)
    for index, header in enumerate(table.headers):
        sheet.write_string(0, index, str(header), bold)
    formats: dict[str, Any] = {}

    def style(number_format: str) -> Any:
        if number_format not in formats:  # one format object per number format, shared by its cells
            formats[number_format] = book.add_format({"num_format": number_format})
        return formats[number_format]

    number_styles = [style(_number_format(c, table.money_unit)) for c in table.columns]
    date_style, datetime_style, integer_style = style(DATE_FORMAT), style(DATETIME_FORMAT), style(INTEGER_FORMAT)
    write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    for number, row in enumerate(table.rows, start=1):
        for index, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                if value:
                    write_string(number, index, neutralise(value))
            elif isinstance(value, bool):
                sheet.write_boolean(number, index, value)
            elif isinstance(value, int):
                write_number(number, index, value, integer_style)
            elif isinstance(value, Decimal | float):
                write_number(number, index, value, number_styles[index])
            elif isinstance(value, dt.datetime):
                write_datetime(number, index, _excel_value(value), datetime_style)
            elif isinstance(value, dt.date):
                write_datetime(number, index, value, date_style)
            else:
                write_string(number, index, str(neutralise(str(value))))
        if on_rows is not None and number % PROGRESS_ROWS == 0:
            on_rows(number)
    book.close()
    return buffer.getvalue()


def _number_format(column: Column, money_unit: HeaderUnit) -> str:
    if column.kind == "money":
        return SCALED_FORMAT if money_unit.factor != 1 else DECIMAL_FORMAT
    if column.kind == "integer":
        return INTEGER_FORMAT
    return DECIMAL_FORMAT


def _excel_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.replace(tzinfo=None, microsecond=0)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return value


def _text_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, Decimal | float):
        return len(f"{value:,.2f}")
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    return len(text) + sum(1 for ch in text if ord(ch) > 0x2E80)  # a CJK character is two columns wide


def _widths(table: Table) -> list[float]:
    widths = [_text_width(h) for h in table.headers]
    for row in table.rows[:WIDTH_SAMPLE]:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], _text_width(value))
    return [min(max(w + 2, 8), 60) for w in widths]


def _add_validations(sheet: Any, table: Table) -> None:
    """Drop-down lists for choice and yes/no columns (the template's rows and 500 more)."""
    for index, column in enumerate(table.columns):
        if column.kind == "choice":
            options = [str(label) for label in column.choices.values()]
        elif column.kind == "bool":
            options = ["TRUE", "FALSE"]
        else:
            continue
        listed = [option.replace('"', "'").replace(",", " ") for option in options]
        if len(",".join(listed)) > 255:  # Excel's limit for a list written into the rule
            continue
        sheet.data_validation(
            1,
            index,
            len(table.rows) + 500,
            index,
            {
                "validate": "list",
                "source": listed,
                "ignore_blank": True,
                "error_message": _("Choose one of the listed values."),
            },
        )


# --- import ------------------------------------------------------------------------------------------------------


@dataclass
class HeaderProblem:
    header: str
    message: str


def canonical_dataset(resource: Any, dataset: tablib.Dataset) -> tuple[tablib.Dataset, list[HeaderProblem]]:
    """The file with each header replaced by its column's name and each cell as the resource reads it.

    Headers may be the verbose names in either language or the column names, with a unit for money and
    areas; choice cells may be labels in either language; dates read from Excel lose their midnight time.
    """
    columns = columns_of(resource, for_import=True)
    by_name: dict[str, Column] = {}
    for each in columns:
        for name in each.names():
            by_name.setdefault(name, each)
    problems: list[HeaderProblem] = []
    mapped: list[tuple[int, Column, Decimal]] = []
    used: dict[str, str] = {}
    for position, header in enumerate(dataset.headers or []):
        key = normalise(header)
        if not key:
            if any(row[position] not in (None, "") for row in dataset):
                message = _("Column %(number)d has values but no header.") % {"number": position + 1}
                problems.append(HeaderProblem("", message))
            continue
        column: Column | None = by_name.get(key)
        factor = Decimal(1)
        if column is None:
            name, unit = split_header_unit(header)
            column = by_name.get(normalise(name))
            if column is None:
                problems.append(
                    HeaderProblem(
                        str(header),
                        _("No column '%(header)s' in this file's model; the columns are: %(names)s.")
                        % {"header": header, "names": ", ".join(c.name for c in columns)},
                    )
                )
                continue
            if not column.quantity:
                problems.append(
                    HeaderProblem(str(header), _("The column '%(header)s' takes no unit.") % {"header": header})
                )
                continue
            try:
                factor = header_unit(column.quantity, unit).factor
            except ValueError as exc:
                problems.append(HeaderProblem(str(header), str(exc)))
                continue
        if column.name in used:
            problems.append(
                HeaderProblem(
                    str(header),
                    _("The columns '%(first)s' and '%(second)s' are the same column: keep one.")
                    % {"first": used[column.name], "second": header},
                )
            )
            continue
        used[column.name] = str(header)
        mapped.append((position, column, factor))
    out = tablib.Dataset(headers=[column.name for _p, column, _f in mapped])
    for row in dataset:
        out.append([_read_cell(column, row[position], factor) for position, column, factor in mapped])
    return out, problems


def _read_cell(column: Column, cell: Any, factor: Decimal) -> Any:
    if column.kind == "choice":
        return column.value_of_label(cell)
    if column.kind == "date" and isinstance(cell, dt.datetime):
        return cell.date()
    if factor != 1 and cell not in (None, ""):
        try:
            value = Decimal(str(cell).strip().replace(",", "")) * factor
        except InvalidOperation:
            return cell  # the column's widget reports it
        places = getattr(column.model_field, "decimal_places", None)
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) if places is not None else value
    return cell


EXAMPLE_ROWS = 2


def template_table(resource: Any) -> Table:
    """A file of ``resource``'s importable columns with example rows, for people to fill in.

    The examples name related records the user can see (a real park code, a real tenant), choices by
    their labels; the id column is left empty, as for a new record.
    """
    table = export_table(resource, resource._meta.model._default_manager.none())
    readonly = {f.column_name for f in resource.get_export_fields() if f.readonly}
    keep = [i for i, c in enumerate(table.columns) if c.name not in readonly]
    columns = [table.columns[i] for i in keep]
    examples = [[_example(resource, c, n, table.money_unit) for c in columns] for n in range(EXAMPLE_ROWS)]
    return Table(table.title, columns, [table.headers[i] for i in keep], examples, table.money_unit)


def _example(resource: Any, column: Column, n: int, money_unit: HeaderUnit) -> Any:
    model_field = column.model_field
    if column.kind in ("related", "many"):
        widget = resource.fields[column.name].widget
        if not hasattr(widget.model.objects, "restrict"):  # a user: the one filling the template in
            user = resource.user
            return getattr(user, column.lookups[0], None) if isinstance(user, widget.model) else None
        related = widget.model.objects.restrict(resource.user).order_by("pk")
        keys = list(related.values_list(*column.lookups)[:EXAMPLE_ROWS])
        if not keys:
            return None
        key = keys[n % len(keys)]
        return next((k for k in key if k not in (None, "")), None) if column.first else column.join.join(map(str, key))
    if model_field is None or model_field.primary_key or column.kind in ("computed", "json"):
        return None
    if column.kind == "choice":
        labels = list(column.choices.values())
        return labels[n % len(labels)] if labels else None
    if column.kind == "bool":
        return bool(n)
    if column.kind == "date":
        return timezone.localdate()
    if column.kind == "datetime":
        return timezone.localtime().replace(second=0, microsecond=0)
    if column.kind == "money":
        return Decimal(150_000 * (n + 1)) / money_unit.factor
    if column.kind == "integer":
        return n + 1
    if column.kind == "number":
        return Decimal(100 * (n + 1))
    if column.kind == "text" and isinstance(model_field, models.CharField | models.TextField):
        if isinstance(model_field, models.URLField):
            return f"https://example.com/{n + 1}"
        if isinstance(model_field, models.EmailField):
            return f"name{n + 1}@example.com"
        return (_("Example %(number)d") % {"number": n + 1})[: model_field.max_length or None]
    return None
