"""Table base and columns: the first column links to the object, areas follow the user's unit."""

from __future__ import annotations

import copy
import datetime
import html
import inspect
from collections.abc import Iterator, Sequence
from decimal import Decimal
from functools import partialmethod
from typing import Any

import django_tables2 as tables
from django.db import models
from django.http import HttpRequest
from django.template import Context
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.formats import get_format
from django.utils.functional import Promise
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tables2 import utils as tables_utils
from django_tables2.columns import ManyToManyColumn, library
from django_tables2.columns.base import LinkTransform
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.rows import BoundRow, BoundRows
from django_tables2.templatetags.django_tables2 import render_attrs
from django_tables2.utils import call_with_appropriate

from parkos.core.display import change_value, display_kind, format_kind, is_land_area
from parkos.core.models import ObjectChange, PrimaryModel, describe_changes
from parkos.core.pagination import EstimatedCountPaginator
from parkos.core.renderers import text_in_context
from parkos.core.reversing import PK_PLACEHOLDER, pk_pattern
from parkos.core.units import AreaUnit, format_area, format_area_with_mu, format_datetime


def user_area_unit(table: object) -> str:
    request = getattr(table, "request", None)
    user = getattr(request, "user", None)
    unit: str = getattr(user, "area_unit", AreaUnit.SQUARE_METRE)
    return unit


class AreaColumn(tables.Column):  # type: ignore[misc]  # django-tables2 has no type stubs
    """An area stored in m², shown in m² or mu as the viewer prefers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("attrs", {"th": {"class": "text-end"}})
        super().__init__(*args, **kwargs)

    def render(self, value: Decimal | None, table: object, record: object, bound_column: Any) -> SafeString:
        unit = user_area_unit(table)
        owner, name = _owner_of(record, str(bound_column.accessor))
        text = format_area_with_mu(value, unit) if _is_land(owner, name) else format_area(value, unit)
        return format_html('<span class="d-block text-end text-nowrap">{}</span>', text)

    def value(self, value: Decimal | None) -> Decimal | None:
        return value


def _owner_of(record: object, accessor: str) -> tuple[object, str]:
    """The object that holds the last field of a 'parcel__area' accessor, and that field's name."""
    *path, name = accessor.replace(".", "__").split("__")
    owner: object = record
    for part in path:
        owner = getattr(owner, part, None)
    return owner, name


def _is_land(owner: object, name: str) -> bool:
    return owner is not None and hasattr(owner, "_meta") and is_land_area(type(owner), name)  # type: ignore[arg-type]


class FormattedColumn(tables.Column):  # type: ignore[misc]  # django-tables2 has no type stubs
    """A number or time by the formatting layer (core.display): money in the user's unit, rents at their basis,
    land with 亩, decimals with separators, local time. Exports read ``value``: the machine number."""

    def __init__(self, *args: Any, kind: str = "decimal", **kwargs: Any) -> None:
        self.kind = kind
        if kind != "datetime":
            kwargs.setdefault("attrs", {"th": {"class": "text-end"}})
        super().__init__(*args, **kwargs)

    @classmethod
    def from_field(cls, field: Any, **kwargs: Any) -> FormattedColumn | None:
        model = getattr(field, "model", None)
        kind = display_kind(model, field) if model is not None and hasattr(field, "get_internal_type") else None
        if kind is None or kind == "area":
            return None
        return cls(kind=kind, **kwargs)

    def render(self, value: object, table: object, record: object, bound_column: Any) -> SafeString:
        owner, name = _owner_of(record, str(bound_column.accessor))
        user = getattr(getattr(table, "request", None), "user", None)
        text = format_kind(self.kind, value, owner, name, user)
        if self.kind == "datetime":
            return format_html('<span class="text-nowrap">{}</span>', text)
        return format_html('<span class="d-block text-end text-nowrap">{}</span>', text)

    def value(self, value: object) -> object:
        return value


class MoneyColumn(FormattedColumn):
    """Money in the viewer's unit (元 / 万元 / 亿元) with its currency; a rent_amount reads at the lease's basis."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("kind", "money")
        super().__init__(*args, **kwargs)


class DateTimeColumn(FormattedColumn):
    """Local time as '2026-12-06 16:30'."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["kind"] = "datetime"
        super().__init__(*args, **kwargs)

    def render(self, value: object, table: object, record: object, bound_column: Any) -> SafeString:
        return format_html('<span class="text-nowrap">{}</span>', format_datetime(value))


library.register(FormattedColumn)


class DateColumn(tables.DateColumn):  # type: ignore[misc]  # django-tables2 has no type stubs
    """A date as django-tables2's DateColumn shows it (the ``date`` filter, SHORT_DATE_FORMAT of the language),
    without its template: that column is a TemplateColumn, which compiled a Template for every date cell of
    every row (13 % of a park page's time, issue 16). Registered, so every DateField's column is this one."""

    def __init__(self, format: str | None = None, short: bool = True, *args: Any, **kwargs: Any) -> None:
        super().__init__(format, short, *args, **kwargs)
        self.date_format = format or ("SHORT_DATE_FORMAT" if short else "DATE_FORMAT")

    def render(self, value: datetime.date | None, bound_column: Any, bound_row: Any = None) -> object:
        text = date_text(value, self.date_format, bound_row)
        return conditional_escape(text) if text else bound_column.default


library.register(DateColumn)


class LocalDateTimeColumn(tables.DateTimeColumn):  # type: ignore[misc]  # django-tables2 has no type stubs
    """django-tables2's DateTimeColumn (``{{ value|date:format|default:default }}`` in local time) without its
    template, as DateColumn above: that column is a TemplateColumn, which compiled a Template for every cell."""

    def __init__(self, format: str | None = None, short: bool = True, *args: Any, **kwargs: Any) -> None:
        super().__init__(format, short, *args, **kwargs)
        self.date_format = format or ("SHORT_DATETIME_FORMAT" if short else "DATETIME_FORMAT")

    def render(self, value: datetime.datetime | None, bound_column: Any, bound_row: Any = None) -> object:
        text = date_text(timezone.template_localtime(value), self.date_format, bound_row)  # type: ignore[attr-defined]  # missing from the stubs
        return conditional_escape(text) if text else bound_column.default


#: what Django's dateformat writes for a few of its codes, as str.format fields of the date or datetime (the
#: others, and a backslash escape, go to Django's own formatting)
_DATE_FIELDS = {"d": "{0.day:02d}", "j": "{0.day}", "m": "{0.month:02d}", "n": "{0.month}", "Y": "{0.year:04d}"}
_TIME_FIELDS = {"H": "{0.hour:02d}", "G": "{0.hour}", "i": "{0.minute:02d}", "s": "{0.second:02d}"}
#: dateformat's format characters (``django.utils.dateformat.re_formatchars``)
_FORMAT_CHARACTERS = frozenset("aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ")
_date_templates: dict[str, tuple[str, bool] | None] = {}


def date_template(format_string: str) -> tuple[str, bool] | None:
    """``format_string`` (a ``date`` filter format such as ``m/d/Y`` or ``Y年n月j日``) as a ``str.format`` template
    of one date or datetime and whether it reads the time; None when it holds a code (or an escape) the template
    does not write. Made once per format string."""
    if format_string not in _date_templates:
        parts: list[str] = []
        timed, supported = False, True
        for char in format_string:
            if char in _DATE_FIELDS:
                parts.append(_DATE_FIELDS[char])
            elif char in _TIME_FIELDS:
                parts.append(_TIME_FIELDS[char])
                timed = True
            elif char in _FORMAT_CHARACTERS or char == "\\":
                supported = False
                break
            else:
                parts.append(char.replace("{", "{{").replace("}", "}}"))
        _date_templates[format_string] = ("".join(parts), timed) if supported else None
    return _date_templates[format_string]


def date_text(value: Any, format_name: str, bound_row: Any = None) -> str:
    """``date_filter(value, format_name)`` (a format setting's name such as ``SHORT_DATE_FORMAT``, or a format): a
    date or datetime in a format of day, month, year, hour and minute codes is written by ``str.format``, its
    format looked up once per pass over the rows (``bound_row``'s shared map); Django's ``date`` filter took about
    45 Python calls a cell (issue 16). Anything else, and a date in a format with a time code, as the filter does."""
    kind = type(value)
    if kind is datetime.date or kind is datetime.datetime:
        shared = getattr(bound_row, "_shared", None)
        key = ("date format", format_name)
        format_string = shared.get(key) if shared is not None else None
        if format_string is None:
            format_string = get_format(format_name)
            if shared is not None:
                shared[key] = format_string
        template = date_template(format_string)
        if template is not None and (kind is datetime.datetime or not template[1]):
            return template[0].format(value)
    return date_filter(value, format_name)


def _signature_by_code(fn: Any) -> tuple[tuple[str, ...], str | None]:
    """django-tables2's ``signature`` (the arguments a render method takes), once per function: it ran
    ``inspect.signature`` for every cell (8 % of a table's time). Keyed by code object, so closures made per
    table share an entry and the cache stays as small as the code; wrapped and other callables are not cached."""
    func = getattr(fn, "__func__", fn)
    code = getattr(func, "__code__", None)
    if code is None or hasattr(func, "__wrapped__") or hasattr(func, "__signature__"):
        return _uncached_signature(fn)  # type: ignore[no-any-return]
    key = (code, inspect.ismethod(fn))
    found = _signatures.get(key)
    if found is None:
        found = _signatures[key] = _uncached_signature(fn)
    return found


_signatures: dict[tuple[Any, bool], tuple[tuple[str, ...], str | None]] = {}
_uncached_signature = getattr(tables_utils.signature, "__wrapped__", tables_utils.signature)
tables_utils.signature = _signature_by_code


def _is_plain(cls: type) -> bool:
    """A class whose instances ``copy.deepcopy`` rebuilds from their ``__dict__`` alone (no slots, no pickle hooks)."""
    found = _plain_classes.get(cls)
    if found is None:
        found = _plain_classes[cls] = (
            cls.__reduce_ex__ is object.__reduce_ex__  # type: ignore[comparison-overlap]
            and cls.__reduce__ is object.__reduce__  # type: ignore[comparison-overlap]
            and getattr(cls, "__getstate__", object.__getstate__) is object.__getstate__
            and not hasattr(cls, "__setstate__")
            and not any("__slots__" in vars(klass) for klass in cls.__mro__)
        )
    return found


_plain_classes: dict[type, bool] = {}


def _column_deepcopy(self: Any, memo: dict[int, Any]) -> Any:
    """``copy.deepcopy`` of a column (or its link) for less: every table copies all its class's columns when it is
    made (about 250 Python calls a column, 10 % of a detail page with five panels, issue 16). A copy like
    deepcopy's: a new object of the class with each attribute deep-copied, except strings (``Accessor`` and
    ``OrderBy`` are ``str``), numbers, None and lazy translations, which are immutable and shared as they are."""
    cls = type(self)
    if not _is_plain(cls):
        return copy._reconstruct(self, memo, *self.__reduce_ex__(4))  # type: ignore[attr-defined]  # deepcopy's own way
    new = object.__new__(cls)
    memo[id(self)] = new
    new.__dict__.update(
        {
            key: value if isinstance(value, (str, int, float, Promise)) or value is None else copy.deepcopy(value, memo)
            for key, value in self.__dict__.items()
        }
    )
    return new


tables.Column.__deepcopy__ = _column_deepcopy
LinkTransform.__deepcopy__ = _column_deepcopy

_NOT_GENERATED = object()
_DJANGO_DISPLAY = models.Model._get_FIELD_display  # type: ignore[attr-defined]  # private, not in the stubs
_fields: dict[tuple[str, type], Any] = {}
_displays: dict[tuple[type, str], Any] = {}


def _field_of(accessor: tables_utils.Accessor, model: type) -> Any:
    """``accessor.get_field(model)``, once per accessor and model: model metadata does not change."""
    key = (str(accessor), model)
    if key not in _fields:
        _fields[key] = accessor.get_field(model)
    return _fields[key]


def _generated_display(model: type, name: str) -> Any:
    """The field behind ``model.get_<name>_display`` when it is Django's own (``Model._get_FIELD_display``), None
    when the model has no such method, ``_NOT_GENERATED`` when the model writes its own."""
    key = (model, name)
    if key not in _displays:
        method = f"get_{name}_display"
        found: Any = None
        for klass in model.__mro__:
            if method in klass.__dict__:
                attr = klass.__dict__[method]
                generated = (
                    isinstance(attr, partialmethod)
                    and attr.func is _DJANGO_DISPLAY
                    and not attr.args
                    and set(attr.keywords) == {"field"}
                )
                found = attr.keywords["field"] if generated else _NOT_GENERATED
                break
        _displays[key] = found
    return _displays[key]


def _resolve_on(current: Any, accessor: tables_utils.Accessor, bits: Sequence[str]) -> Any:
    """``Accessor.resolve`` (safe, not quiet) continued over ``bits`` from ``current``: an object that cannot be
    indexed (a model row) goes straight to its attribute, where django-tables2 first tried ``row[bit]`` and caught
    the TypeError, for every cell. Anything else takes django-tables2's own steps."""
    for bit in bits:
        if isinstance(current, models.Model) and not hasattr(type(current), "__getitem__"):
            try:
                current = getattr(current, bit)
            except (TypeError, AttributeError):
                return tables_utils.Accessor(bit, accessor.callable_args, accessor.callable_kwargs).resolve(current)
            if callable(current):
                if getattr(current, "alters_data", False):
                    raise ValueError(accessor.ALTERS_DATA_ERROR_FMT.format(method=current.__name__))
                if not getattr(current, "do_not_call_in_templates", False):
                    current = current(*accessor.callable_args, **accessor.callable_kwargs)
        else:
            current = tables_utils.Accessor(bit, accessor.callable_args, accessor.callable_kwargs).resolve(current)
        if current is None:
            break
    return current


_COLUMN_RENDER = tables.Column.render


class CoreBoundRow(BoundRow):  # type: ignore[misc]  # django-tables2 has no type stubs
    """django-tables2's row with the same cells for less work per cell (issue 16): the row's columns are listed
    once per table, not looked up by name for each cell; a column's model field once per model; a choice's label
    from the table's own map of the field's choices, where ``get_FOO_display`` rebuilt that map, hashing every
    translated label, for each cell; the accessor resolved once (django-tables2 resolved its path twice)."""

    def __init__(self, record: Any, table: Any, columns: list[Any], shared: dict[Any, Any] | None = None) -> None:
        super().__init__(record, table=table)
        self._columns = columns
        #: what the rows of one pass over the table share (one language, one URL prefix): each linked column's
        #: accessor, each model's URL pattern, each choice's label
        self._shared: dict[Any, Any] = {} if shared is None else shared

    def items(self) -> Iterator[tuple[Any, Any]]:
        for column in self._columns:
            column.current_value = self._get_and_render_with(column, self._call_render, column.default)
            column.current_record = self._record
            yield (column, column.current_value)

    def _get_and_render_with(self, bound_column: Any, render_func: Any, default: Any) -> Any:
        record = self._record
        accessor = bound_column.accessor
        if (
            not isinstance(record, models.Model)
            or not isinstance(accessor, tables_utils.Accessor)
            or accessor.SEPARATOR != tables_utils.Accessor.SEPARATOR  # a legacy "a.b" accessor
        ):
            return super()._get_and_render_with(bound_column, render_func, default)
        column = bound_column.column
        bits = accessor.bits
        value: Any = None
        try:
            penultimate = _resolve_on(record, accessor, bits[:-1])
        except Exception:
            penultimate = None
        remainder = bits[-1] if bits else ""
        if isinstance(penultimate, models.Model):
            field = _field_of(accessor, type(record))
            if getattr(field, "choices", ()):
                choice_field = _generated_display(type(penultimate), remainder)
                if choice_field is _NOT_GENERATED or f"get_{remainder}_display" in penultimate.__dict__:
                    value = getattr(penultimate, f"get_{remainder}_display")()
                    remainder = ""
                elif choice_field is not None:
                    value = self._choice_label(choice_field, getattr(penultimate, choice_field.attname))
                    remainder = ""
        if remainder:
            try:
                if penultimate is None or len(bits) < 2:
                    value = _resolve_on(record, accessor, bits)  # the whole path again, as django-tables2 does
                else:
                    value = _resolve_on(penultimate, accessor, bits[-1:])
            except Exception:
                if isinstance(column, BaseLinkColumn) and column.text is not None:
                    return render_func(bound_column)
        if value in column.empty_values or (isinstance(column, ManyToManyColumn) and not value.exists()):
            return default
        return render_func(bound_column, value)

    def _call_render(self, bound_column: Any, value: Any = None) -> Any:
        """django-tables2's, with a plain ``linkify=True`` link (no attributes, no URL callable or view name)
        written directly: its LinkTransform built an attribute map and resolved the accessor again per cell."""
        link = bound_column.link
        if link is None and getattr(bound_column.render, "__func__", None) is _COLUMN_RENDER:
            return value  # Column.render(value) returns the value: no arguments to build and match per cell
        if link is None:
            return self._render_cell(bound_column, value)
        record = self._record
        if link.attrs or link.url or link.reverse_args or not isinstance(record, models.Model):
            return super()._call_render(bound_column, value)
        if getattr(bound_column.render, "__func__", None) is _COLUMN_RENDER:
            content = value  # Column.render(value) returns the value
        else:
            content = self._render_cell(bound_column, value)
        shared = self._shared
        found = shared.get(("link", bound_column.name))
        if found is None:
            accessor = tables_utils.Accessor(link.accessor if link.accessor is not None else bound_column.name)
            legacy = accessor.SEPARATOR != tables_utils.Accessor.SEPARATOR
            found = shared["link", bound_column.name] = (accessor, None if legacy else accessor.bits)
        accessor, bits = found
        target = accessor.resolve(record) if bits is None else _resolve_on(record, accessor, bits)
        if not hasattr(target, "get_absolute_url"):
            if not hasattr(record, "get_absolute_url"):
                return super()._call_render(bound_column, value)  # raises django-tables2's TypeError
            target = record
        href = self._url_of(target)
        if href is None:
            return content
        # format_html('<a href="{}">{}</a>', href, content): each conditionally escaped
        return SafeString(f'<a href="{_escaped(href)}">{_escaped(content)}</a>')

    def _render_cell(self, bound_column: Any, value: Any) -> Any:
        """``call_with_appropriate(bound_column.render, self._optional_cell_arguments(bound_column, value))``: the
        arguments the render method takes are matched once per pass over the rows, not per cell (a dict of six
        and the signature's matching, about 20 Python calls a cell of a ``render_<name>`` or a column's render)."""
        render = bound_column.render
        key = ("render", bound_column.name)
        wanted = self._shared.get(key, _NO_PATTERN)
        if wanted is _NO_PATTERN:
            args, catch_all = tables_utils.signature(render)
            if catch_all:
                wanted = None  # **kwargs: every argument
            elif all(arg in _CELL_ARGUMENTS for arg in args):
                wanted = args
            else:
                wanted = False  # an argument no cell gives: call_with_appropriate returns None
            self._shared[key] = wanted
        if wanted is False:
            return None
        if wanted is None:  # **kwargs: every argument, as django-tables2 calls it
            return call_with_appropriate(render, self._optional_cell_arguments(bound_column, value))
        given = {
            "value": value,
            "record": self._record,
            "column": bound_column.column,
            "bound_column": bound_column,
            "bound_row": self,
            "table": self._table,
        }
        return render(**{arg: given[arg] for arg in wanted})

    def _url_of(self, target: Any) -> str | None:
        """``target.get_absolute_url()``; a PrimaryModel's own from its URL pattern, read once per pass."""
        cls = type(target)
        if cls.get_absolute_url is not _PRIMARY_URL or getattr(cls.url_name, "__func__", None) is not _URL_NAME:
            return target.get_absolute_url()  # type: ignore[no-any-return]
        pk = target.pk
        if type(pk) is not int or pk < 0:
            return target.get_absolute_url()  # type: ignore[no-any-return]
        key = ("url", cls)
        pattern = self._shared.get(key, _NO_PATTERN)
        if pattern is _NO_PATTERN:
            pattern = self._shared[key] = pk_pattern(cls.url_name())
        if pattern is None:
            return target.get_absolute_url()  # type: ignore[no-any-return]
        return pattern.replace(PK_PLACEHOLDER, str(pk))  # type: ignore[no-any-return]

    def _choice_label(self, field: Any, value: Any) -> Any:
        """``Model._get_FIELD_display``, from a map of the field's choices made once per table, each label made a
        string once per pass."""
        hashed = make_hashable(value)
        key = ("choice", field, hashed)
        found = self._shared.get(key, _NO_PATTERN)
        if found is _NO_PATTERN:
            labels_by_field = self._table.__dict__.setdefault("_core_choice_labels", {})
            labels = labels_by_field.get(field)
            if labels is None:
                labels = labels_by_field[field] = {make_hashable(key): label for key, label in field.flatchoices}
            found = self._shared[key] = force_str(labels.get(hashed, value), strings_only=True)
        return found


_NO_PATTERN = object()
#: what django-tables2 offers a column's render method (``BoundRow._optional_cell_arguments``)
_CELL_ARGUMENTS = frozenset({"value", "record", "column", "bound_column", "bound_row", "table"})
_PRIMARY_URL = PrimaryModel.get_absolute_url
_URL_NAME = PrimaryModel.url_name.__func__  # type: ignore[attr-defined]


def _escaped(value: Any) -> str:
    """``conditional_escape(value)``: its own HTML if it has one, else the text escaped as ``escape`` does."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()  # type: ignore[no-any-return]
    return html.escape(str(value))


class CoreBoundRows(BoundRows):  # type: ignore[misc]  # django-tables2 has no type stubs
    """Rows as ``CoreBoundRow``; the visible columns listed once per pass over the rows."""

    def __iter__(self) -> Iterator[Any]:
        yield from self.generator_pinned_row(self.pinned_data.get("top"))
        columns = list(self.table.columns)
        shared: dict[Any, Any] = {}
        for record in self.data:
            yield CoreBoundRow(record, table=self.table, columns=columns, shared=shared)
        yield from self.generator_pinned_row(self.pinned_data.get("bottom"))

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            return CoreBoundRows(data=self.data[key], table=self.table, pinned_data=self.pinned_data)
        return CoreBoundRow(record=self.data[key], table=self.table, columns=list(self.table.columns))


_BULK_CELL = (
    '<td class="bulk-cell d-print-none"><input class="form-check-input m-0" type="checkbox" name="pk" value="{}" '
    'form="{}" data-bulk-row aria-label="{}"></td>'
)


def _in_template(value: Any, context: Context) -> str:
    """``{{ value }}`` in ``context``: a callable called as a template calls it, then localized and escaped."""
    if callable(value) and not getattr(value, "do_not_call_in_templates", False):
        value = "" if getattr(value, "alters_data", False) else value()
    return text_in_context(value, context)


def render_rows(table: Any, context: Context) -> SafeString:
    """The rows of core/table.html's body (``{% table_rows table %}``), as its template loop wrote them: a
    template loop cost about 70 Python calls a cell, a third of a list page (issue 16). Tested equal."""
    narrow = getattr(table, "narrow_hidden", None) or ()
    bulk_form = getattr(table, "bulk_form", None)
    select_row = _in_template(gettext("Select row"), context) if bulk_form else ""
    parts = []
    for row in table.paginated_rows:
        parts.append("\n    <tr>")
        if bulk_form:
            record = row.record  # {{ row.record.pk }}: a key of a dict row, else an attribute, else empty
            pk = record.get("pk", "") if isinstance(record, dict) else getattr(record, "pk", "")
            pk, form = _in_template(pk, context), _in_template(bulk_form, context)
            parts.append(_BULK_CELL.format(pk, form, select_row))
        for column, cell in row.items():
            parts.append(f'<td class="{NARROW_HIDDEN}">' if column.name in narrow else "<td>")
            parts.append(_in_template(cell, context))
            parts.append("</td>")
        parts.append("</tr>\n    ")
    return mark_safe("".join(parts))


_TABLE_TEMPLATE = "core/table.html"


def render_panel_table(table: Any) -> SafeString | None:
    """A detail page's panel table as ``{% render_table table %}`` writes it with core/table.html, or None when
    the table needs the template: a panel's table has no page, no sorting links and no checkboxes, and django-tables2
    rendered the template with a new request context (the context processors again) for each of a page's five
    panels (issue 16). Cells as ``render_rows``; tested equal to the template (core/tests/test_panel_tables.py)."""
    if (
        table.template_name != _TABLE_TEMPLATE
        or getattr(table, "page", None)
        or getattr(table, "bulk_form", None)
        or type(table).before_render is not tables.Table.before_render
    ):
        return None
    columns = list(table.columns)
    for bound in columns:
        column = bound.column
        if bound.orderable or (
            isinstance(column, tables.TemplateColumn) and type(column).render is tables.TemplateColumn.render
        ):
            return None  # a sorting link needs the request; a template cell reads the template's context
    context = Context()  # what the template's RequestContext gives ``{{ value }}``: autoescape, no l10n or tz flags
    parts = ['\n<div class="table-responsive">\n<table ', text_in_context(render_attrs(table.attrs), context), ">\n  "]
    if table.show_header:
        parts.append("\n  <thead><tr>\n    \n    ")
        for bound in columns:
            th = bound.attrs.get("th")
            as_html = getattr(th, "as_html", None)
            attrs = _in_template(as_html, context) if callable(as_html) else ""
            parts.append(f'\n    <th {attrs} scope="col">{_in_template(bound.header, context)}</th>\n    ')
        parts.append("\n  </tr></thead>\n  ")
    parts.append("\n  <tbody>\n    ")
    rows = render_rows(table, context)
    if rows:
        parts.append(rows)
    else:
        parts.append("\n    ")
        if table.empty_text:
            parts.append(
                f'<tr><td colspan="{len(table.columns)}" class="text-secondary">'
                f"{_in_template(table.empty_text, context)}</td></tr>"
            )
        parts.append("\n    ")
    parts.append("\n  </tbody>\n</table>\n</div>\n\n")
    return mark_safe("".join(parts))


#: the most rows a list page shows at once, whatever ``?per_page=`` asks (its export serves more)
MAX_PER_PAGE = 500

#: Bootstrap classes of a low-priority column: hidden on a phone, shown from md up and in print
NARROW_HIDDEN = "d-none d-md-table-cell d-print-table-cell"


class EstimatedCountTable(tables.Table):  # type: ignore[misc]  # django-tables2 has no type stubs
    """A table paginated by ``EstimatedCountPaginator``: an unfiltered list of a huge table is not counted."""

    #: the most rows a page may ask for (``?per_page=``); more is cut to this, less than one is one
    max_per_page = MAX_PER_PAGE

    def __init__(self, *args: Any, max_per_page: int | None = None, **kwargs: Any) -> None:
        """``max_per_page``: a higher cap than ``MAX_PER_PAGE`` (a print view lays out thousands of rows)."""
        if max_per_page is not None:
            self.max_per_page = max_per_page
        super().__init__(*args, **kwargs)
        self.rows = CoreBoundRows(data=self.data, table=self, pinned_data=self.pinned_data)

    def paginate(
        self, paginator_class: type = EstimatedCountPaginator, *args: Any, per_page: int | None = None, **kwargs: Any
    ) -> Any:
        """Paginate with ``per_page`` held to 1..``max_per_page``: django-tables2 takes ``?per_page=`` from the
        request as it is, and ``?per_page=1000000`` laid out a million rows."""
        if per_page is not None:
            per_page = max(1, min(per_page, self.max_per_page))
        return super().paginate(paginator_class, *args, per_page=per_page, **kwargs)


class PrimaryTable(EstimatedCountTable):
    """Base for every list table; set ``Meta.model`` and ``Meta.fields`` and link the first column."""

    class Meta:
        attrs = {"class": "table table-vcenter card-table table-hover"}
        per_page = 25
        empty_text = _("Nothing here matches.")
        template_name = "core/table.html"

    #: columns a phone leaves out (below Bootstrap's md, 768 px); a wide screen and a print show every column
    low_priority: tuple[str, ...] = ()

    def __init__(
        self, *args: Any, request: HttpRequest | None = None, paginate: bool | dict[str, int] = True, **kwargs: Any
    ) -> None:
        """``paginate=False``: every row given, no page (a detail page's panel, already cut to its first rows); a
        dict: RequestConfig's options (``per_page``), the request's ``?per_page=`` and ``?page=`` still first."""
        super().__init__(*args, **kwargs)
        self.narrow_hidden = frozenset(name for name in self.low_priority if name in self.columns)
        for name in self.narrow_hidden:
            th = dict(self.columns[name].column.attrs.get("th", {}))
            th["class"] = f"{th.get('class', '')} {NARROW_HIDDEN}".strip()
            self.columns[name].column.attrs = {**self.columns[name].column.attrs, "th": th}
        model = getattr(self._meta, "model", None)
        if model is not None and getattr(self.data, "model", None) is None:
            # rows given as a list (a detail page's panel) name no model, and django-tables2 would head a declared
            # column with its English name ("Code"): head it with its model field's translated verbose name
            for bound in self.columns:
                if bound.column.verbose_name is None:
                    field = tables_utils.Accessor(bound.accessor).get_field(model)
                    if getattr(field, "verbose_name", None):
                        bound.column.verbose_name = capfirst(field.verbose_name)
        user = getattr(request, "user", None)
        sorts_freely = getattr(model, "may_sort_by_confidential", lambda user: True)(user)
        if not sorts_freely:
            # Sorting by a confidential field would show the order of values the viewer may not read.
            hidden = set(getattr(model, "confidential_fields", ()))
            for bound in self.columns:
                keys = [str(key).lstrip("-").split("__")[0] for key in (bound.column.order_by or (bound.accessor,))]
                if hidden.intersection(keys):
                    bound.column.orderable = False
        if request is not None:
            tables.RequestConfig(request, paginate=paginate).configure(self)

    @property
    def order_by(self) -> Any:  # django-tables2's OrderByTuple
        return self._order_by

    @order_by.setter
    def order_by(self, value: str | Sequence[str] | None) -> None:
        aliases = value.split(",") if isinstance(value, str) else (value or ())
        allowed = [a for a in aliases if a.lstrip("-") in self.columns and self.columns[a.lstrip("-")].orderable]
        if aliases and not allowed:
            return  # only sorts the viewer may not use: keep the default order
        tables.Table.order_by.fset(self, allowed)


class ObjectChangeTable(EstimatedCountTable):
    time = DateTimeColumn(linkify=True, verbose_name=_("time"))
    user_name = tables.Column(verbose_name=_("user"))
    action = tables.Column(verbose_name=_("action"))
    changed_object_type = tables.Column(verbose_name=_("type"), accessor="changed_object_type__name")
    object_repr = tables.Column(verbose_name=_("object"))
    source = tables.Column(verbose_name=_("via"))
    changes = tables.Column(accessor="pk", verbose_name=_("changes"), orderable=False)

    def render_changes(self, record: ObjectChange) -> str:
        """Each changed field as 'label: before → after' (updates only; a create or delete lists no diff)."""
        if record.action != "update":
            return ""
        if "_described" not in record.__dict__:
            self._describe_page()
        return format_html_join(
            mark_safe("<br>"),
            "<strong>{}</strong>: {} → {}",
            (
                (label, "—" if old is None else change_value(old), "—" if new is None else change_value(new))
                for label, old, new in record.diff()
            ),
        )

    def _describe_page(self) -> None:
        """Work out the diffs of the shown updates at once (``describe_changes``: a query per related model, not per
        change and key; a page of 50 updates that changed foreign keys sent a query per key of each, issue 16)."""
        rows = self.page.object_list if getattr(self, "page", None) else self.rows
        updates = [row.record for row in rows if row.record.action == "update"]
        describe_changes([change for change in updates if "_described" not in change.__dict__])

    def render_source(self, record: ObjectChange) -> str:
        """The channel, and what the change came from when it says (the article of a press intake)."""
        if not record.origin:
            return record.get_source_display()
        if record.origin_url:
            return format_html(
                '{} · <a href="{}">{}</a>', record.get_source_display(), record.origin_url, record.origin
            )
        return format_html("{} · {}", record.get_source_display(), record.origin)

    class Meta:
        attrs = {"class": "table table-vcenter card-table table-sm"}
        template_name = "core/table.html"
        empty_text = _("No changes recorded.")
        order_by = ("-time",)
        per_page = 50

    def render_object_repr(self, record: ObjectChange, value: str) -> str:
        obj_url = None
        model = record.changed_object_type.model_class()
        if record.action != "delete" and model is not None and hasattr(model, "url_name"):
            obj_url = reverse(model.url_name(), kwargs={"pk": record.changed_object_id})
        return format_html('<a href="{}">{}</a>', obj_url, value) if obj_url else value
