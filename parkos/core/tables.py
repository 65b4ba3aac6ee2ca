"""Table base and columns: the first column links to the object, areas follow the user's unit."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import django_tables2 as tables
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from parkos.core.models import ObjectChange
from parkos.core.units import AreaUnit, format_area


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

    def render(self, value: Decimal | None, table: object) -> SafeString:
        return format_html(
            '<span class="d-block text-end text-nowrap">{}</span>', format_area(value, user_area_unit(table))
        )

    def value(self, value: Decimal | None) -> Decimal | None:
        return value


class PrimaryTable(tables.Table):  # type: ignore[misc]  # django-tables2 has no type stubs
    """Base for every list table; set ``Meta.model`` and ``Meta.fields`` and link the first column."""

    class Meta:
        attrs = {"class": "table table-vcenter card-table table-hover"}
        per_page = 25
        empty_text = _("Nothing here matches.")
        template_name = "core/table.html"

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = getattr(self._meta, "model", None)
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
            tables.RequestConfig(request).configure(self)

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


class ObjectChangeTable(tables.Table):  # type: ignore[misc]  # django-tables2 has no type stubs
    time = tables.DateTimeColumn(linkify=True, format="Y-m-d H:i:s", verbose_name=_("time"))
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
        return format_html_join(
            mark_safe("<br>"),
            "<strong>{}</strong>: {} → {}",
            ((label, "—" if old is None else old, "—" if new is None else new) for label, old, new in record.diff()),
        )

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

    def render_object_repr(self, record: ObjectChange, value: str) -> str:
        obj_url = None
        model = record.changed_object_type.model_class()
        if record.action != "delete" and model is not None and hasattr(model, "url_name"):
            obj_url = reverse(model.url_name(), kwargs={"pk": record.changed_object_id})
        return format_html('<a href="{}">{}</a>', obj_url, value) if obj_url else value
