"""Form bases: every model form gets the user, sees only what the user may see, and renders alike."""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import ModelIterable
from django.db.models.query_utils import DeferredAttribute
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import get_default_renderer
from django.http import QueryDict
from django.template import Context
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from parkos.core import writes
from parkos.core.bounds import is_stored_id
from parkos.core.fields import AreaFormField, JSONTextField
from parkos.core.models import RestrictedQuerySet
from parkos.core.renderers import (
    OPTION_TEMPLATE,
    SELECT_TEMPLATE,
    FormRenderer,
    UnsupportedSelect,
    text_in_context,
    write_select,
)

if TYPE_CHECKING:
    from parkos.core.actors import Actor

    # ModelForm takes its model as a type parameter for mypy only (Django's class is not subscriptable).
    _ModelForm = forms.ModelForm[models.Model]
else:
    _ModelForm = forms.ModelForm


class APISelectMixin(forms.Select):
    """Render only the chosen options; the browser looks up the rest through the API.

    A plain select of 100,000 organizations would weigh megabytes; static/core/parkos.js turns this
    into a search-as-you-type box (tom-select) fed by ``data-api-url``.
    """

    def __init__(self, api_url: str, attrs: Mapping[str, Any] | None = None) -> None:
        super().__init__(attrs={**(attrs or {}), "data-api-url": api_url, "class": "form-select api-select"})

    def optgroups(
        self, name: str, value: list[Any], attrs: dict[str, Any] | None = None
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        # a ModelChoiceIterator, which the stubs type as a plain iterable of choices
        choices: models.QuerySet[models.Model] = self.choices.queryset  # type: ignore[attr-defined]
        model = choices.model
        chosen = [v for v in value if v not in ("", None) and is_stored_id(model, v)]  # ?park=<20 digits>: none
        options: list[dict[str, Any]] = (
            [] if self.allow_multiple_selected else [self.create_option(name, "", "---------", not chosen, 0)]
        )
        if chosen:
            try:
                queryset = choices.filter(pk__in=chosen)
                options += [
                    self.create_option(name, obj.pk, str(obj), True, len(options) + i) for i, obj in enumerate(queryset)
                ]
            except (ValueError, TypeError):
                pass  # a malformed value: the field's own validation reports it
        return [(None, [option], i) for i, option in enumerate(options)]


class APISelect(APISelectMixin, forms.Select):
    pass


class APISelectMultiple(APISelectMixin, forms.SelectMultiple):
    pass


def use_api_select(field: forms.ModelChoiceField[Any]) -> None:
    """Swap a related-record field's widget for an API-backed search box when the table is large."""
    if field.queryset is None:
        return
    model = field.queryset.model
    api_url = api_list_url(model)
    if api_url is None or getattr(model, "few_rows", False):
        return
    widget_class = APISelectMultiple if isinstance(field, forms.ModelMultipleChoiceField) else APISelect
    field.widget = widget_class(api_url)
    field.widget.choices = field.choices


_DISPLAY = re.compile(r"get_(\w+)_display")


_label_plans: dict[type[models.Model], tuple[tuple[str, ...], bool] | None] = {}


def label_columns(model: type[models.Model]) -> tuple[tuple[str, ...], bool] | None:
    """The columns ``str(instance)`` reads, and whether it is just one text column as stored: found once per model
    in the source of its ``__str__``, when that reads nothing of the instance but its own columns (``self.name``,
    ``self.park_id``, ``self.pk``, ``self.get_kind_display()``); None for anything else (a related record, a
    property, another method, ``super()``), or a model that builds its instances its own way."""
    if model not in _label_plans:
        _label_plans[model] = _read_label_columns(model)
    return _label_plans[model]


def _read_label_columns(model: type[models.Model]) -> tuple[tuple[str, ...], bool] | None:
    owner = next((klass for klass in model.__mro__ if "__str__" in vars(klass)), None)
    if owner is None or owner is models.Model or not issubclass(owner, models.Model):
        return None
    if model.from_db.__func__ is not models.Model.from_db.__func__ or model.__init__ is not models.Model.__init__:  # type: ignore[attr-defined]
        return None
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(vars(owner)["__str__"])))
    except (OSError, TypeError, SyntaxError):
        return None
    function = tree.body[0]
    if not isinstance(function, ast.FunctionDef) or len(function.args.args) != 1:
        return None
    this = function.args.args[0].arg
    fields = {f.name: f for f in model._meta.concrete_fields} | {f.attname: f for f in model._meta.concrete_fields}
    attributes = {id(node.value): node for node in ast.walk(function) if isinstance(node, ast.Attribute)}
    calls = {id(node.func) for node in ast.walk(function) if isinstance(node, ast.Call) and not node.args}
    columns: list[str] = []
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and node.id in ("super", "__class__"):
            return None
        if not isinstance(node, ast.Name) or node.id != this:
            continue
        attribute = attributes.get(id(node))
        if attribute is None or not isinstance(attribute.ctx, ast.Load):
            return None
        name = attribute.attr
        display = _DISPLAY.fullmatch(name)
        field: models.Field[Any, Any] | None
        if name == "pk":
            field = model._meta.pk
        elif display and id(attribute) in calls and display[1] in fields and fields[display[1]].choices:
            field = fields[display[1]]
        else:
            field = fields.get(name)
            if field is not None and field.is_relation and name != field.attname:
                return None
        if field is None:
            return None
        if type(getattr(model, field.attname, None)) not in (DeferredAttribute, ForeignKeyDeferredAttribute):
            return None  # a file's, or a custom field's, descriptor makes more of the column than its value
        if field.attname not in columns:
            columns.append(field.attname)
    body = function.body
    single_text = (
        len(body) == 1
        and isinstance(body[0], ast.Return)
        and isinstance(body[0].value, ast.Attribute)
        and len(columns) == 1
        and isinstance(fields.get(columns[0]), models.CharField | models.TextField)
        and not fields[columns[0]].null
        and not fields[columns[0]].is_relation
        and not hasattr(fields[columns[0]], "from_db_value")
    )
    return tuple(columns), single_text


class LabelRowsIterator(ModelChoiceIterator):  # type: ignore[type-arg]  # generic in the stubs only
    """A model choice's options read as (key, label) rows: only the columns the label needs (``label_columns``),
    no model instance built per option (a full row each, about 60 Python calls for a park; issue 16). Where the
    label or the queryset is anything else, Django's way."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        rows = self._label_rows()
        if rows is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from rows

    def _label_rows(self) -> Iterator[tuple[Any, Any]] | None:
        field, queryset = self.field, self.queryset
        if (
            getattr(field.label_from_instance, "__func__", None) is not forms.ModelChoiceField.label_from_instance
            or queryset._prefetch_related_lookups  # type: ignore[attr-defined]  # Django's own test, private
            or queryset._iterable_class is not ModelIterable
        ):
            return None
        model = queryset.model
        plan = label_columns(model)
        if plan is None:
            return None
        columns, single_text = plan
        key = model._meta.pk.attname
        if field.to_field_name:
            key_field = model._meta.get_field(field.to_field_name)
            if key_field.is_relation:
                return None
            key = key_field.attname
        rows = queryset.values_list(key, *columns).iterator()
        return rows if single_text else self._labelled(model, columns, rows)

    @staticmethod
    def _labelled(model: type[models.Model], columns: tuple[str, ...], rows: Iterator[Any]) -> Iterator[Any]:
        """(key, str(instance)) of an instance holding only the label's columns (it never meets the database)."""
        new = model.__new__
        for key, *values in rows:
            instance = new(model)
            instance.__dict__.update(zip(columns, values, strict=True))
            yield key, str(instance)


_label_iterators: dict[type, type] = {LabelRowsIterator: LabelRowsIterator, ModelChoiceIterator: LabelRowsIterator}


def _label_iterator_class(iterator: type) -> type | None:
    """``iterator`` (Django's ModelChoiceIterator or a subclass, e.g. django-filter's null choice) reading its
    options as ``LabelRowsIterator`` does."""
    if not isinstance(iterator, type) or not issubclass(iterator, ModelChoiceIterator):
        return None
    if iterator not in _label_iterators:
        _label_iterators[iterator] = type(f"LabelRows{iterator.__name__}", (iterator, LabelRowsIterator), {})
    return _label_iterators[iterator]


class OptionsWrittenInPython(forms.Select):
    """A Select whose options are read and written in one loop (``core.renderers.write_select``), when it renders
    with the project's FormRenderer and Django's own templates; anything else renders as Django renders it."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        renderer = renderer or get_default_renderer()
        if (
            isinstance(renderer, FormRenderer)
            and self.template_name == SELECT_TEMPLATE
            and self.option_template_name == OPTION_TEMPLATE
            and not self.option_inherits_attrs
            and self.checked_attribute == {"selected": True}
        ):
            try:
                return mark_safe(write_select(self, name, value, attrs))
            except UnsupportedSelect:
                pass  # the templates render it
        return super().render(name, value, attrs, renderer)


_select_classes: dict[type, type | None] = {forms.Select: OptionsWrittenInPython}


def _python_select_class(widget_class: type) -> type | None:
    """``widget_class`` with ``OptionsWrittenInPython`` under it, for a Select that leaves the options and the
    context to Django (NullBooleanSelect, SelectMultiple, django-filter's yes/no); None for any other widget."""
    if widget_class not in _select_classes:
        supported = (
            issubclass(widget_class, forms.Select)
            and widget_class.optgroups is forms.Select.optgroups
            and widget_class.create_option is forms.Select.create_option
            and widget_class.get_context is forms.Select.get_context
            and getattr(widget_class, "_render", None) is getattr(forms.Select, "_render", None)
        )
        _select_classes[widget_class] = (
            type(widget_class.__name__, (widget_class, OptionsWrittenInPython), {}) if supported else None
        )
    return _select_classes[widget_class]


def write_options_in_python(field: forms.Field) -> None:
    """A choice field's options cheap to read and write: a model choice reads (key, label) rows
    (``LabelRowsIterator``) and a plain select writes them in one loop (``OptionsWrittenInPython``). The choices
    stay those of the field's queryset (the user's scope): only what is read of each row changes."""
    if isinstance(field, forms.ModelChoiceField):
        iterator = _label_iterator_class(field.iterator)
        if iterator is not None and iterator is not field.iterator:
            field.iterator = iterator
            field.widget.choices = field.choices
    widget_class = type(field.widget)
    if not issubclass(widget_class, OptionsWrittenInPython):
        python_class = _python_select_class(widget_class)
        if python_class is not None:
            field.widget.__class__ = python_class


def api_list_url(model: type[models.Model]) -> str | None:
    try:
        return reverse(f"{model._meta.app_label}-api:{model._meta.model_name}-list")
    except NoReverseMatch:
        return None


def style_widget(field: forms.Field) -> None:
    widget = field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    classes = widget.attrs.get("class", "")
    if css not in classes:
        widget.attrs["class"] = f"{classes} {css}".strip()


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Several records by id, where an id the key column cannot hold (``99999999999999999999``) is an invalid
    choice, not a 500: Django's own field looks all of them up with ``pk__in``, which SQLite refuses with
    OverflowError and PostgreSQL with "out of range"."""

    def _check_values(self, value: Any) -> models.QuerySet[Any]:
        key = self.to_field_name or "pk"
        if key == "pk" and self.queryset is not None:
            for pk in value:
                if pk not in ("", None) and not is_stored_id(self.queryset.model, pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)  # type: ignore[misc,no-any-return]  # private in the stubs


def bound_dates(form: forms.BaseForm) -> None:
    """Every date a form takes stays in the range the database and date arithmetic hold (core.bounds)."""
    from django.core.validators import MaxValueValidator, MinValueValidator

    from parkos.core.bounds import EARLIEST_DATE, LATEST_DATE

    for field in form.fields.values():
        if isinstance(field, forms.DateField) and not any(isinstance(v, MaxValueValidator) for v in field.validators):
            field.validators = [*field.validators, MinValueValidator(EARLIEST_DATE), MaxValueValidator(LATEST_DATE)]


def restrict_choices(form: forms.BaseForm, user: Actor | None) -> None:
    """Limit every choice of a related record to the rows the user may see; large ones become APISelect. A
    choice of several records refuses ids its key column cannot hold (BoundedModelMultipleChoiceField). Options
    are read and written cheaply (write_options_in_python)."""
    for field in form.fields.values():
        if type(field) is forms.ModelMultipleChoiceField:
            field.__class__ = BoundedModelMultipleChoiceField
        if isinstance(field, forms.ModelChoiceField) and isinstance(field.queryset, RestrictedQuerySet):
            field.queryset = field.queryset.restrict(user, "view")
            use_api_select(field)
        write_options_in_python(field)
        style_widget(field)


def model_formfield(db_field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """Form fields as people expect them: date pickers, https by default, JSON without 'null'."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")  # 'example.cn' means https://example.cn
    elif isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    elif isinstance(db_field, models.JSONField):
        kwargs.setdefault("form_class", JSONTextField)
    return db_field.formfield(**kwargs)


class PrimaryModelForm(_ModelForm):
    """Base for every model form: takes the acting user and restricts related choices to what they see."""

    class Meta:
        #: subclasses write ``class Meta(PrimaryModelForm.Meta)`` to keep this
        formfield_callback = model_formfield

    #: when the object was last saved as the user opened it: a save over someone else's is refused (core.writes)
    opened_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Actor | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            self.initial["opened_version"] = writes.version_of(self.instance)
        restrict_choices(self, user)
        for field in self.fields.values():
            if isinstance(field, AreaFormField):
                field.unit = getattr(user, "area_unit", field.unit)
        # Fields this user may not set on this object (core.writes guards) show, read-only, with why.
        for name, reason in writes.guarded_fields(self.instance, user).items():
            if name in self.fields:
                self.fields[name].disabled = True
                self.fields[name].help_text = reason

    def _update_errors(self, errors: ValidationError) -> None:
        """A model rule about a field this form does not show (a disposal case's closing date, on its edit form
        with an opening date after it) reads on top of the form; Django raises ValueError for such a field."""
        if hasattr(errors, "error_dict"):
            keyed: dict[str, list[ValidationError]] = {}
            for name, messages in errors.error_dict.items():
                key = name if name in self.fields or name == NON_FIELD_ERRORS else NON_FIELD_ERRORS
                keyed.setdefault(key, []).extend(messages)
            errors = ValidationError(keyed)
        super()._update_errors(errors)  # type: ignore[misc]  # private in the stubs


def add_form_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a write's ValidationError on the form: on its fields where it names them, else on top."""
    for name, texts in writes.error_messages(exc).items():
        target = name if name in form.fields else None
        for text in texts:
            form.add_error(target, text)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8) or Excel (.xlsx) with a header row; export a list to get a template."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_widget(field)

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(
                _("Upload a .csv or .xlsx file; '%(name)s' is neither.") % {"name": upload.name}
            )
        if (upload.size or 0) > 50 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 50 MB; split it into several imports."))
        return upload


def date_input() -> forms.DateInput:
    """A browser date picker that reads and posts ISO dates."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportFilterForm(forms.Form):
    """A GET filter form: unbound fields take their defaults, related choices only what the user sees."""

    def __init__(self, data: QueryDict | dict[str, Any] | None = None, *, user: Actor | None, **kwargs: Any) -> None:
        data = data.copy() if data is not None else {}
        for name, value in self.defaults().items():
            if not data.get(name):
                data[name] = value
        super().__init__(data, **kwargs)
        self.user = user
        restrict_choices(self, user)
        bound_dates(self)  # ?date=9999-12-31 is a field error, not year 10000 in the report's arithmetic

    def defaults(self) -> dict[str, Any]:
        """Values of the fields a request leaves empty, by field name."""
        return {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean gives cleaned_data
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned

    def errors_by_field(self) -> dict[str, list[str]]:
        return {field: [str(e) for e in errors] for field, errors in self.errors.items()}


def field_html(field: forms.BoundField, context: Context) -> str:
    """core/includes/form_field.html for one field, as that template writes it (label, widget, errors, help):
    ``{% form_fields form %}`` on a list page's filter card, where the include cost about 200 Python calls a
    field (issue 16). Tested equal to the template."""

    def text(value: Any) -> str:
        return text_in_context(value, context)

    if field.is_hidden:
        return f"{text(field)}\n"
    checkbox = getattr(field.field.widget, "input_type", None) == "checkbox"
    label_for, label = text(field.id_for_label), text(field.label)
    if checkbox:
        body = f'\n    {text(field)}\n    <label class="form-check-label" for="{label_for}">{label}</label>\n  '
    else:
        required = " required" if field.field.required else ""
        body = f'\n    <label class="form-label{required}" for="{label_for}">{label}</label>\n    {text(field)}\n  '
    name = text(field.name)
    errors = "".join(
        f'<div class="invalid-feedback d-block field-error" data-field="{name}">{text(error)}</div>'
        for error in field.errors
    )
    hint = f'<small class="form-hint">{text(field.help_text)}</small>' if field.help_text else ""
    check = " form-check" if checkbox else ""
    return f'\n<div class="mb-3{check}">\n  {body}\n  {errors}\n  {hint}\n</div>\n\n'


def fields_html(form: forms.BaseForm, context: Context) -> SafeString:
    """Every field of ``form`` through ``field_html``."""
    return mark_safe("".join(field_html(field, context) for field in form))
