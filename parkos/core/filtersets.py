"""Filter set base: a free-text ``q`` over the model's search_fields, plus helpers for related filters."""

import django_filters
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.forms import ModelChoiceField
from django.utils.translation import gettext_lazy as _

from parkos.core.forms import style_widget, use_api_select
from parkos.core.models import ChangeLoggedModel, ObjectChange
from parkos.core.permissions import crosses_many


def search_q(model, text: str, fields=None) -> Q:
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


def visible(model):
    """A queryset callable for related filters: only the rows the requesting user may see."""

    def queryset(request):
        user = getattr(request, "user", None)
        return model.objects.restrict(user, "view")

    return queryset


class RelatedFilter(django_filters.ModelMultipleChoiceFilter):
    """Filter by one or more related records the user can see (?park=1&park=2)."""

    def __init__(self, model, **kwargs):
        kwargs.setdefault("queryset", visible(model))
        super().__init__(**kwargs)


class AnyYesNoWidget(django_filters.widgets.BooleanWidget):
    """Yes / No / Any, instead of the default 'Unknown', which reads like a value."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("Any")), ("true", _("Yes")), ("false", _("No")))


class PrimaryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))

    @classmethod
    def filter_for_lookup(cls, field, lookup_type):
        filter_class, params = super().filter_for_lookup(field, lookup_type)
        if filter_class is django_filters.BooleanFilter:
            params = {**params, "widget": AnyYesNoWidget}
        return filter_class, params

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            if isinstance(field, ModelChoiceField):
                use_api_select(field)
            style_widget(field)

    def filter_search(self, queryset, name, value):
        if not value.strip():
            return queryset
        user = getattr(self.request, "user", None)
        return queryset.filter(queryset.model.search_filter(value, user))


class ObjectChangeFilterSet(django_filters.FilterSet):
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            style_widget(field)
        self.form.fields["time_after"].widget.input_type = "date"
        self.form.fields["time_before"].widget.input_type = "date"


def _logged_content_types():
    logged = [m for m in apps.get_models() if issubclass(m, ChangeLoggedModel)]
    ids = [ct.pk for ct in ContentType.objects.get_for_models(*logged).values()]
    return ContentType.objects.filter(pk__in=ids).order_by("app_label", "model")
