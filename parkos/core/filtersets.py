"""Filter set base: a free-text ``q`` over the model's search_fields, plus helpers for related filters."""

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_filters.utils import get_model_field

from parkos.core.bounds import decimal_bounds, integer_range, is_stored_id
from parkos.core.forms import style_widget, use_api_select, write_options_in_python
from parkos.core.models import ChangeLoggedModel, ObjectChange, PrimaryModel
from parkos.core.permissions import crosses_many


def search_q(model: type[PrimaryModel], text: str, fields: Sequence[str] | None = None) -> Q:
    """Q matching ``text`` in any of ``fields`` (default ``model.search_fields``; to-many through a subquery)."""
    text = text.strip()
    query = Q()
    for field in model.search_fields if fields is None else fields:
        lookup = {f"{field}__icontains": text}
        if crosses_many(model, field):
            query |= Q(pk__in=model._base_manager.filter(**lookup).values("pk"))
        else:
            query |= Q(**lookup)
    return query


def visible(model: type[PrimaryModel]) -> Callable[[HttpRequest | None], models.QuerySet[Any]]:
    """A queryset callable for related filters: only the rows the requesting user may see."""

    def queryset(request: HttpRequest | None) -> models.QuerySet[Any]:
        user = getattr(request, "user", None)
        return model.objects.restrict(user, "view")

    return queryset


class RelatedFilter(django_filters.ModelMultipleChoiceFilter):  # type: ignore[misc]  # django-filter has no type stubs
    """Filter by one or more related records the user can see (?park=1&park=2)."""

    def __init__(self, model: type[PrimaryModel], **kwargs: Any) -> None:
        kwargs.setdefault("queryset", visible(model))
        super().__init__(**kwargs)


class AnyYesNoWidget(django_filters.widgets.BooleanWidget):  # type: ignore[misc]  # django-filter has no type stubs
    """Yes / No / Any, instead of the default 'Unknown', which reads like a value."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = (("", _("Any")), ("true", _("Yes")), ("false", _("No")))


if TYPE_CHECKING:
    # _BoundedChoices is mixed into a model choice field class (_bounded_choice_class)
    _ChoiceField = ModelChoiceField[Any]
else:
    _ChoiceField = object


class _BoundedChoices(_ChoiceField):
    """Refuses, as an invalid choice, an id that is not a whole number in the range of the chosen model's key,
    before the database sees it (SQLite raises OverflowError, PostgreSQL "out of range", for ``pk__in``)."""

    def _bounded(self, values: Sequence[Any] | set[Any] | frozenset[Any]) -> None:
        queryset = self.queryset
        assert queryset is not None  # a filter's choice field always has its queryset
        model = queryset.model
        key = model._meta.pk if not self.to_field_name else model._meta.get_field(self.to_field_name)
        if integer_range(key, queryset.db) is None:
            return
        null_value = getattr(self, "null_value", None) if getattr(self, "null_label", None) is not None else None
        for value in values:
            if value in self.empty_values or (null_value is not None and value == null_value):
                continue
            if not is_stored_id(model, value, queryset.db):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
                )

    def to_python(self, value: Any) -> Any:
        if not isinstance(value, list | tuple):  # a multiple choice's values are checked in _check_values
            self._bounded([value])
        return super().to_python(value)

    def _check_values(self, value: Any) -> Any:
        if isinstance(value, list | tuple | set | frozenset):
            self._bounded(value)
        # ModelMultipleChoiceField's (the only caller), private to Django: not in django-stubs
        return super()._check_values(value)  # type: ignore[misc]


_bounded_classes: dict[type, type] = {}


def _bounded_choice_class(field_class: type) -> type:
    if issubclass(field_class, _BoundedChoices):
        return field_class
    if field_class not in _bounded_classes:
        _bounded_classes[field_class] = type(f"Bounded{field_class.__name__}", (_BoundedChoices, field_class), {})
    return _bounded_classes[field_class]


class BoundedFilterSet(django_filters.FilterSet):  # type: ignore[misc]  # django-filter has no type stubs
    """Every id and number a filter takes is bounded to what the database stores.

    An out-of-range value (``?park=99999999999999999999``, ``?area_min=1e30``) is a filter error like any
    other invalid value: the list page shows it beside the field over an empty list, the API answers 400.
    Every filter set of the project derives from this one (a test checks it).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            # A form field built on the class's own filter (the API schema generator does) has no label, and would
            # show as the English field name in every language: each filter set builds its own.
            filter_.__dict__.pop("_field", None)
        using = self.queryset.db if self.queryset is not None else "default"
        for name, field in self.form.fields.items():
            if isinstance(field, ModelChoiceField):  # ModelMultipleChoiceField too
                field.__class__ = _bounded_choice_class(type(field))
            elif isinstance(field, forms.DecimalField | forms.IntegerField | forms.FloatField):
                self._bound_number(field, self.filters.get(name), using)
            write_options_in_python(field)  # options read as (key, label) rows and written in one loop

    def _bound_number(
        self, field: forms.DecimalField | forms.IntegerField | forms.FloatField, filter_: Any, using: str
    ) -> None:
        model_field = None
        if filter_ is not None and self._meta.model is not None and filter_.field_name:
            model_field = get_model_field(self._meta.model, filter_.field_name)
        low: int | Decimal | None = None
        high: int | Decimal | None = None
        bounds = integer_range(model_field, using) if model_field is not None else None
        if bounds is not None:
            low, high = bounds
        elif isinstance(model_field, models.DecimalField):  # what the column keeps exactly, either sign
            high = decimal_bounds(model_field)[1]
            low = -high
        else:  # a float or an annotation: the widest number either database compares exactly
            low, high = -(2**63), 2**63 - 1
        if low is not None:
            field.validators.append(MinValueValidator(low))
        if high is not None:
            field.validators.append(MaxValueValidator(high))


class PrimaryFilterSet(BoundedFilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))

    @classmethod
    def filter_for_lookup(cls, field: models.Field[Any, Any], lookup_type: str) -> tuple[Any, dict[str, Any]]:
        filter_class, params = super().filter_for_lookup(field, lookup_type)
        if filter_class is django_filters.BooleanFilter:
            params = {**params, "widget": AnyYesNoWidget}
        return filter_class, params

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            if isinstance(field, ModelChoiceField):
                options = field.queryset
                if options is not None and not options.ordered:  # a model without Meta.ordering (users): fixed order
                    field.queryset = options.order_by(getattr(options.model, "USERNAME_FIELD", "pk"), "pk")
                use_api_select(field)
            style_widget(field)

    def filter_search(self, queryset: models.QuerySet[Any], name: str, value: str) -> models.QuerySet[Any]:
        if not value.strip():
            return queryset
        user = getattr(self.request, "user", None)
        return queryset.filter(queryset.model.search_filter(value, user))


class ObjectChangeFilterSet(BoundedFilterSet):
    """The global change log's filters: who, what kind of object, which action, when."""

    q = django_filters.CharFilter(field_name="object_repr", lookup_expr="icontains", label=_("Object"))
    user_name = django_filters.CharFilter(lookup_expr="iexact", label=_("User"))
    action = django_filters.ChoiceFilter(choices=ObjectChange.ChangeAction.choices, label=_("Action"))
    changed_object_type = django_filters.ModelChoiceFilter(
        queryset=lambda request: _logged_content_types(), label=_("Type")
    )
    time_after = django_filters.DateFilter(field_name="time", lookup_expr="date__gte", label=_("From"))
    time_before = django_filters.DateFilter(field_name="time", lookup_expr="date__lte", label=_("Until"))
    request_id = django_filters.UUIDFilter(label=_("Request"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            style_widget(field)
        self.form.fields["time_after"].widget.input_type = "date"
        self.form.fields["time_before"].widget.input_type = "date"


def _logged_content_types() -> models.QuerySet[ContentType]:
    logged = [m for m in apps.get_models() if issubclass(m, ChangeLoggedModel)]
    ids = [ct.pk for ct in ContentType.objects.get_for_models(*logged).values()]
    return ContentType.objects.filter(pk__in=ids).order_by("app_label", "model")
