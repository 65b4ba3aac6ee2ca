"""Form bases: every model form gets the user, sees only what the user may see, and renders alike."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import QueryDict
from django.template import Context
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from parkos.core import writes
from parkos.core.bounds import is_stored_id
from parkos.core.fields import AreaFormField, JSONTextField
from parkos.core.models import RestrictedQuerySet
from parkos.core.renderers import text_in_context

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
    choice of several records refuses ids its key column cannot hold (BoundedModelMultipleChoiceField)."""
    for field in form.fields.values():
        if type(field) is forms.ModelMultipleChoiceField:
            field.__class__ = BoundedModelMultipleChoiceField
        if isinstance(field, forms.ModelChoiceField) and isinstance(field.queryset, RestrictedQuerySet):
            field.queryset = field.queryset.restrict(user, "view")
            use_api_select(field)
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
