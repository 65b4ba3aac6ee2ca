"""Generic object views: list, detail, history, edit, delete and import for any PrimaryModel.

A domain app describes a model's UI once, in an ``ObjectViews`` subclass (its table, filter set,
form, resource and related lists), and gets every page and URL from ``ObjectViews.urls()``.
Every view reads through ``Model.objects.restrict(user, action)``: an object outside the user's
scope answers 404, like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template import Context
from django.template.defaultfilters import linebreaksbr
from django.urls import URLPattern, path, reverse
from django.utils.html import conditional_escape
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View

from parkos.core import writes
from parkos.core.actors import Actor
from parkos.core.bulk import BULK_LIMIT, COMMON_ACTIONS, BulkAction, BulkResult, bulk_apply, parse_ids
from parkos.core.display import display_value
from parkos.core.downloads import attachment, resource_xlsx_bytes
from parkos.core.exports import export_job_create, inline_rows
from parkos.core.filtersets import BoundedFilterSet
from parkos.core.forms import ImportForm, PrimaryModelForm, add_form_errors
from parkos.core.imports import (
    fail_dead_import_jobs,
    import_job_confirm,
    import_job_create,
    import_job_retry,
    import_job_start,
)
from parkos.core.models import ExportJob, ImportJob, ObjectChange, PrimaryModel, describe_changes
from parkos.core.permissions import Action, can
from parkos.core.renderers import text_in_context
from parkos.core.resources import EXPORT_FORMATS, ImportReport, PrimaryResource, export_bytes, template_bytes
from parkos.core.tables import ObjectChangeTable, PrimaryTable, render_panel_table
from parkos.core.templatetags.parkos import area as area_filter
from parkos.core.templatetags.parkos import outline
from parkos.users.models import User


@dataclass(frozen=True)
class Related:
    """A list of related records shown on a detail page: ``model`` rows whose ``field`` is the object.

    ``filter_param`` is the list page's filter that shows the same rows (default: ``field``).
    """

    model: type[PrimaryModel]
    table: type[PrimaryTable]
    field: str
    title: str = ""
    #: rows shown; the panel says "the first N of M" and links to the filtered list for the rest (a park's page
    #: rendered 10 rows in each of its 5 panels: most of its time, issue 16)
    limit: int = 5
    filter_param: str = ""
    #: more columns to leave out of the panel (it is half the page wide)
    exclude: tuple[str, ...] = ()
    #: ``field`` crosses a to-many relation (a lease's units' building): keep each row once
    distinct: bool = False
    #: the panel's rows in the user's scope, before the filter on ``field`` (default: the model's list queryset):
    #: a panel that shows fewer columns than its list reads only what it shows (the agreements on a park's page
    #: do not need the list's implementation and last-contact annotations, issue 16). It must keep ``restrict()``.
    queryset: Callable[[Actor | None], models.QuerySet[Any]] | None = None
    #: the panel's count read from the page's ``detail_extra`` (its figures) where the page counts the very same
    #: rows anyway: a full panel sends no COUNT of its own (a park's parcels and buildings, issue 16)
    count_from: Callable[[dict[str, Any]], int] | None = None

    def heading(self) -> str:
        return self.title or str(self.model._meta.verbose_name_plural).capitalize()

    def rows(self, user: Actor | None) -> models.QuerySet[Any]:
        """The rows this panel may show ``user`` (all objects'; the detail view filters them on ``field``)."""
        if self.queryset is not None:
            return self.queryset(user)
        return views_for(self.model).queryset(user)


# Panels that an app higher in the stack adds to a lower app's detail page (parks adds
# "Land parcels held" to an organization), so that no app imports one above it.
_extra_related: dict[type[models.Model], list[Related]] = {}


def add_related(model: type[models.Model], related: Related) -> None:
    _extra_related.setdefault(model, []).append(related)


#: Computed panels (not a list of related rows) an app higher in the stack adds to a lower app's detail page:
#: ``panel(obj, request)`` returns {"title", "template", "count" (optional), "url" (optional), **context} or
#: None to show nothing (policies adds "Policies it qualifies for" to an organization).
_extra_panels: dict[type[models.Model], list[Callable[[Any, HttpRequest], dict[str, Any] | None]]] = {}


def add_panel(model: type[models.Model], panel: Callable[[Any, HttpRequest], dict[str, Any] | None]) -> None:
    if panel not in _extra_panels.setdefault(model, []):
        _extra_panels[model].append(panel)


_views_by_model: dict[type[models.Model], type[ObjectViews]] = {}


def views_for(model: type[models.Model]) -> type[ObjectViews]:
    """The ObjectViews that describes ``model``'s pages (KeyError if it has none)."""
    return _views_by_model[model]


class ObjectViews:
    """The UI of one model. Subclass, set the attributes, and include ``urls()`` in the app's urls.py."""

    model: type[PrimaryModel]
    table: type[PrimaryTable]
    filterset: type[BoundedFilterSet]
    form: type[PrimaryModelForm]
    resource: type[PrimaryResource]
    #: URL segment, e.g. "land-parcels"
    path: str
    #: foreign keys to load with each list row (no N+1)
    list_related: tuple[str, ...] = ()
    related: tuple[Related, ...] = ()
    #: fields left off the detail page
    detail_exclude: tuple[str, ...] = ("id", "created", "last_updated")
    detail_template = "core/object_detail.html"
    #: the model's own actions on selected rows (assign, change status ...); delete and export come from core
    bulk_actions: tuple[BulkAction, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "model" in cls.__dict__:
            _views_by_model[cls.model] = cls

    @classmethod
    def detail_extra(cls, obj: Any, user: Actor | None) -> dict[str, Any]:
        """More context for a custom ``detail_template`` (figures, maps); none by default."""
        return {}

    @classmethod
    def queryset(cls, user: Actor | None, action: str = Action.VIEW) -> models.QuerySet[Any]:
        return cls.model.objects.restrict(user, action).select_related(*cls.list_related)

    @classmethod
    def all_bulk_actions(cls) -> tuple[BulkAction, ...]:
        return (*cls.bulk_actions, *COMMON_ACTIONS)  # the model's own work first, delete last

    @classmethod
    def bulk_actions_for(cls, user: Actor | None) -> list[BulkAction]:
        """The bulk actions ``user`` may take on this model's rows (the list shows only these)."""
        return [action for action in cls.all_bulk_actions() if action.may(user, cls.model)]

    @classmethod
    def urls(cls) -> list[URLPattern]:
        name = cls.model._meta.model_name
        kwargs: dict[str, Any] = {"views": cls}
        return [
            path(f"{cls.path}/", ObjectListView.as_view(**kwargs), name=f"{name}_list"),
            path(f"{cls.path}/add/", ObjectEditView.as_view(**kwargs), name=f"{name}_add"),
            path(f"{cls.path}/bulk/", ObjectBulkView.as_view(**kwargs), name=f"{name}_bulk"),
            path(f"{cls.path}/import/", ObjectImportView.as_view(**kwargs), name=f"{name}_import"),
            path(f"{cls.path}/import/<int:job>/", ObjectImportView.as_view(**kwargs), name=f"{name}_import_job"),
            path(f"{cls.path}/<int:pk>/", ObjectDetailView.as_view(**kwargs), name=name),
            path(f"{cls.path}/<int:pk>/edit/", ObjectEditView.as_view(**kwargs), name=f"{name}_edit"),
            path(f"{cls.path}/<int:pk>/delete/", ObjectDeleteView.as_view(**kwargs), name=f"{name}_delete"),
            path(f"{cls.path}/<int:pk>/history/", ObjectHistoryView.as_view(**kwargs), name=f"{name}_history"),
        ]


class ObjectView(View):
    #: set by ObjectViews.urls() (as_view(views=...)); the base describes no model
    views: type[ObjectViews] = ObjectViews

    @property
    def model(self) -> type[PrimaryModel]:
        return self.views.model

    def require(self, action: str) -> None:
        if not can(self.request.user, self.model, action):
            raise PermissionDenied

    def get_object(self, action: str = Action.VIEW) -> PrimaryModel:
        found: PrimaryModel = get_object_or_404(self.views.queryset(self.request.user, action), pk=self.kwargs["pk"])
        return found

    def base_context(self, **extra: Any) -> dict[str, Any]:
        meta = self.model._meta
        user = self.request.user
        return {
            "model": self.model,
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": meta.verbose_name_plural,
            "list_url": reverse(self.model.url_name("list")),
            "can_add": can(user, self.model, Action.ADD),
            "can_change": can(user, self.model, Action.CHANGE),
            "can_delete": can(user, self.model, Action.DELETE),
            **extra,
        }


def readable_types(user: Actor | None, type_ids: Collection[int]) -> list[int]:
    """Of the content types ``type_ids``, those whose model ``user`` may view at all (its role's grants)."""
    readable = []
    for type_ in ContentType.objects.filter(pk__in=type_ids):
        model = type_.model_class()
        if model is not None and can(user, model, Action.VIEW):
            readable.append(type_.pk)
    return readable


def object_history(obj: models.Model, user: Actor | None = None) -> models.QuerySet[ObjectChange]:
    """The object's changes and those of its children (``changelog_parent``). With ``user``, a child's changes
    only where the user may view the child's model: a parcel's history does not show service staff the
    evaluation's flags on it, nor their grades."""
    content_type = ContentType.objects.get_for_model(obj.__class__)
    children = Q(related_object_type=content_type, related_object_id=obj.pk)
    if user is not None:
        child_types = ObjectChange.objects.filter(children).values_list("changed_object_type", flat=True).distinct()
        children &= Q(changed_object_type__in=readable_types(user, set(child_types)))
    return ObjectChange.objects.filter(
        Q(changed_object_type=content_type, changed_object_id=obj.pk) | children
    ).select_related("changed_object_type", "user")


def filtered(views: type[ObjectViews], request: HttpRequest, data: QueryDict | None) -> models.QuerySet[Any]:
    """The rows of ``views``' list that the filter ``data`` selects, within the user's scope (none if it is invalid)."""
    filterset = views.filterset(data or None, queryset=views.queryset(request.user), request=request)
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()  # type: ignore[no-any-return]  # django-filter has no type stubs
    return filterset.qs if filterset.is_bound else filterset.queryset  # type: ignore[no-any-return]


class ObjectListView(ObjectView):
    template_name = "core/object_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        self.require(Action.VIEW)
        filterset = self.views.filterset(
            request.GET or None, queryset=self.views.queryset(request.user), request=request
        )
        queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        if filterset.is_bound and not filterset.is_valid():
            queryset = queryset.none()
        export_format = request.GET.get("export")
        if export_format:
            if export_format in EXPORT_FORMATS and (rows := queryset.count()) > inline_rows():
                return export_later(self.views, request, request.GET, export_format, rows)
            return export_response(self.views, request, queryset, export_format)
        if request.GET.get("print"):
            return self.print_view(queryset, filterset)
        table = self.views.table(queryset, request=request)  # paginated by the request, ?per_page= held to 500
        bulk_actions = self.views.bulk_actions_for(request.user)
        table.bulk_form = "bulk-form" if bulk_actions else ""  # core/table.html adds a checkbox per row
        query = request.GET.copy()
        query.pop("page", None)
        print_query = query.copy()
        print_query.pop("per_page", None)
        print_query["print"] = "1"
        context = self.base_context(
            table=table,
            filterset=filterset,
            query_string=query.urlencode(),
            print_url=f"?{print_query.urlencode()}",
            import_url=reverse(self.model.url_name("import")),
            add_url=reverse(self.model.url_name("add")),
            bulk_actions=bulk_actions,
            bulk_url=reverse(self.model.url_name("bulk")),
        )
        return render(request, self.template_name, context)

    #: the most rows a print view lays out (a browser prints a few thousand rows; beyond, an export serves)
    PRINT_LIMIT = 5000

    def print_view(self, queryset: models.QuerySet[Any], filterset: BoundedFilterSet) -> HttpResponse:
        """Every row of the filter on one page, every column, no pagination: what "Print" prints."""
        table = self.views.table(
            queryset, request=self.request, paginate={"per_page": self.PRINT_LIMIT}, max_per_page=self.PRINT_LIMIT
        )
        query = self.request.GET.copy()
        for key in ("print", "page", "per_page"):
            query.pop(key, None)
        total = table.paginator.count
        context = self.base_context(
            table=table,
            total=total,
            capped=total > self.PRINT_LIMIT,
            limit=self.PRINT_LIMIT,
            filters=_filter_summary(filterset),
            back_url=f"?{query.urlencode()}" if query else reverse(self.model.url_name("list")),
        )
        return render(self.request, "core/object_list_print.html", context)


def _filter_summary(filterset: BoundedFilterSet) -> list[tuple[str, str]]:
    """(label, value) of each filter in use, as a person reads it: what a printed list was filtered by."""
    if not filterset.is_bound or not filterset.is_valid():
        return []
    summary = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", [], ()) or (hasattr(value, "exists") and not value.exists()):
            continue
        field = filterset.form.fields[name]
        if isinstance(value, bool):
            shown = _("Yes") if value else _("No")
        elif hasattr(value, "__iter__") and not isinstance(value, str):
            shown = ", ".join(str(v) for v in value)
        else:
            choices = dict(getattr(field, "choices", ()) or ())
            shown = str(choices.get(value, value))
        summary.append((str(field.label or name), shown))
    return summary


def export_later(
    views: type[ObjectViews], request: HttpRequest, query: QueryDict, export_format: str, rows: int
) -> HttpResponse:
    """Too many rows to write while the browser waits: the worker writes them, "My exports" shows it.

    ``query`` is the list's filter; the worker reads it again in the user's scope (core.exports).
    """
    user = request.user
    assert isinstance(user, User)  # signed in (LoginRequiredMiddleware)
    query = query.copy()
    for key in ("export", "page", "per_page", "print"):
        query.pop(key, None)
    model = views.model
    job = export_job_create(
        user=user,
        kind=ExportJob.Kind.LIST,
        source=model._meta.label_lower,
        title=capfirst(str(model._meta.verbose_name_plural)),
        query=query.urlencode(),
        fmt=export_format,
        rows=rows,
    )
    messages.info(
        request,
        _(
            "%(rows)s rows are being exported in the background: the file will be under "
            "“My exports” when it is ready, and you will be notified."
        )
        % {"rows": f"{rows:,}"},
    )
    return redirect(job.get_absolute_url())


def export_response(
    views: type[ObjectViews], request: HttpRequest, queryset: models.QuerySet[Any], export_format: str
) -> HttpResponse:
    """The rows of ``queryset`` as a CSV or XLSX download (the list's export and "export selected")."""
    if export_format not in EXPORT_FORMATS:
        raise Http404(_("Unknown export format."))
    model = views.model
    content_type, extension = EXPORT_FORMATS[export_format]
    resource = views.resource(user=request.user)
    if export_format == "xlsx":  # typed numeric and date cells; CSV keeps plain numbers for machines
        data = resource_xlsx_bytes(resource, queryset, str(model._meta.verbose_name_plural))
    else:
        data = export_bytes(resource, queryset, export_format)
    response = HttpResponse(data, content_type=content_type)
    file_name = f"{model._meta.model_name}s.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


class ObjectBulkView(ObjectView):
    """One action on the rows selected on a list (or all rows of its filter): confirm, then all or nothing.

    POST ``action``, the rows (repeated ``pk``, a comma-separated ``ids``, or ``all=1`` with the list's
    filter in ``query``) and ``confirmed=1`` with the action's parameters. An action the user may not
    take answers 403; rows outside the user's scope are refused by id and nothing is done.
    """

    template_name = "core/object_bulk.html"
    #: rows named on the confirmation page; the rest are counted
    PREVIEW = 20

    def get(self, request: HttpRequest) -> HttpResponse:
        return redirect(self.model.url_name("list"))

    def post(self, request: HttpRequest) -> HttpResponse:
        self.require(Action.VIEW)
        user = request.user
        name = request.POST.get("action", "")
        action = next((a for a in self.views.all_bulk_actions() if a.name == name), None)
        query = request.POST.get("query", "")
        list_url = reverse(self.model.url_name("list")) + (f"?{query}" if query else "")
        if action is None:
            messages.error(request, _("Choose an action for the selected rows."))
            return redirect(list_url)
        if not action.may(user, self.model):
            raise PermissionDenied
        select_all = request.POST.get("all") == "1"
        if select_all:
            rows = filtered(self.views, request, QueryDict(query))
            if action.export_format:
                if action.export_format in EXPORT_FORMATS and (count := rows.count()) > inline_rows():
                    return export_later(self.views, request, QueryDict(query), action.export_format, count)
                return export_response(self.views, request, rows, action.export_format)
            ids: list[int] | None = list(rows.values_list("pk", flat=True)[: BULK_LIMIT + 1])
        else:
            ids = parse_ids([*request.POST.getlist("pk"), request.POST.get("ids", "")])
        if ids is None:
            return HttpResponse(_("Rows are chosen by their numbers."), status=400, content_type="text/plain")
        if not ids:
            messages.warning(request, _("Select rows first, or all rows of the filter."))
            return redirect(list_url)
        if len(ids) > BULK_LIMIT:
            messages.error(
                request,
                _("At most %(limit)d rows at a time: narrow the filter first.") % {"limit": BULK_LIMIT},
            )
            return redirect(list_url)
        if action.export_format:
            visible = self.views.queryset(user).filter(pk__in=ids)
            missing = set(ids) - set(visible.values_list("pk", flat=True))
            if missing:
                result = BulkResult(action)
                result.refused = [
                    (f"#{pk}", _("No such row, or it lies outside what you may see.")) for pk in ids if pk in missing
                ]
                return self._render(action, ids, query, list_url, result=result, status=400)
            return export_response(self.views, request, visible, action.export_format)
        confirmed = request.POST.get("confirmed") == "1"
        form = action.parameters_form(user, request.POST if confirmed else None)
        if not confirmed or (form is not None and not form.is_valid()):
            return self._render(action, ids, query, list_url, form=form, status=400 if confirmed else 200)
        result = bulk_apply(
            action=action,
            rows=self.views.queryset(user, action.permission),
            ids=ids,
            user=user,
            params=form.cleaned_data if form is not None else {},
        )
        if not result.ok:
            return self._render(action, ids, query, list_url, form=form, result=result, status=400)
        messages.success(
            request,
            _("%(action)s: done for %(count)d rows.") % {"action": action.title, "count": result.done},
        )
        return redirect(list_url)

    def _render(
        self,
        action: BulkAction,
        ids: list[int],
        query: str,
        list_url: str,
        *,
        form: Any = None,
        result: BulkResult | None = None,
        status: int = 200,
    ) -> HttpResponse:
        preview = self.views.queryset(self.request.user).filter(pk__in=ids[: self.PREVIEW])
        context = self.base_context(
            action=action,
            form=form,
            result=result,
            rows=preview,
            count=len(ids),
            more=max(0, len(ids) - self.PREVIEW),
            ids=",".join(str(pk) for pk in ids),
            query=query,
            back_url=list_url,
            bulk_url=reverse(self.model.url_name("bulk")),
        )
        return render(self.request, self.template_name, context, status=status)


class ObjectDetailView(ObjectView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        extra = self.views.detail_extra(obj, request.user)
        related: list[dict[str, Any]] = []
        for rel in (*self.views.related, *_extra_related.get(self.model, ())):
            rows = rel.rows(request.user).filter(**{rel.field: obj})
            if rel.distinct:
                rows = rows.distinct()
            shown = list(rows[: rel.limit])  # one query; counted only when the panel is full
            if len(shown) < rel.limit:
                count = len(shown)
            else:
                count = rel.count_from(extra) if rel.count_from is not None else rows.count()
            table = rel.table(
                shown,
                request=request,
                paginate=False,
                orderable=False,
                # the column that would repeat this object on every row, and those a half-width panel leaves to the list
                exclude=(rel.field, *rel.exclude, *rel.table.low_priority),
            )
            add_url = None
            if "__" not in rel.field and can(request.user, rel.model, Action.ADD):
                # "Add" on the panel pre-fills this object and comes back here after saving.
                query = urlencode({rel.field: obj.pk, "next": request.get_full_path()})
                add_url = f"{reverse(rel.model.url_name('add'))}?{query}"
            related.append(
                {
                    "title": rel.heading(),
                    "table": table,
                    # written in Python (None: the template's {% render_table %} writes it)
                    "html": render_panel_table(table),
                    "count": count,
                    "shown": len(shown),
                    "url": f"{reverse(rel.model.url_name('list'))}?{rel.filter_param or rel.field}={obj.pk}",
                    "add_url": add_url,
                }
            )
        panels = [rendered for panel in _extra_panels.get(self.model, ()) if (rendered := panel(obj, request))]
        # the panel shows who by name (user_name), not the user: no join; only updates list their fields, whose
        # foreign keys are named with a query per related model (not per change and key, issue 16)
        history = list(object_history(obj).select_related(None).select_related("changed_object_type")[:5])
        describe_changes([change for change in history if change.action == ObjectChange.ChangeAction.UPDATE])
        fields = detail_fields(obj, self.views.detail_exclude, request.user)
        for row in fields:
            html = detail_value_html(row, request.user)
            # the include's file ends in a newline; None: core/includes/value.html writes it
            row["html"] = None if html is None else mark_safe(f"{html}\n")
        context = self.base_context(
            object=obj,
            fields=fields,
            related=related,
            panels=panels,
            history=history,
            object_type=ContentType.objects.get_for_model(self.model),
            **extra,
        )
        return render(request, self.views.detail_template, context)


def detail_fields(obj: PrimaryModel, exclude: Collection[str], user: Actor | None = None) -> list[dict[str, Any]]:
    """(label, value, kind) for each field, for the generic detail template."""
    rows: list[dict[str, Any]] = []
    hidden = obj.hidden_fields_for(user) if user is not None else frozenset()
    for f in obj._meta.concrete_fields:
        if f.name in exclude or not f.editable:
            continue
        value: Any = getattr(obj, f.name)
        kind: str
        if f.name in hidden:
            kind, value = "hidden", None
        elif f.choices and value not in (None, ""):
            kind, value = "text", getattr(obj, f"get_{f.name}_display")()
        elif f.is_relation:
            kind = "link"
        elif f.get_internal_type() == "BooleanField":
            kind = "bool"
        elif (display := display_value(obj, f, user)) is not None:
            kind, value = "formatted", display  # money, rent, land with 亩, decimals, local time (core.display)
        elif isinstance(f, models.URLField):
            kind = "url"
        elif f.get_internal_type() == "JSONField":
            # GeoJSON draws as an outline; other JSON (a filing's sources, a scheme) reads as text
            is_geojson = isinstance(value, dict) and "type" in value and "coordinates" in value
            kind = "geometry" if is_geojson else "json"
        else:
            kind = "text"
        rows.append({"name": f.name, "label": f.verbose_name, "value": value, "kind": kind, "help": f.help_text})
    return rows


_NO_TEMPLATE_CONTEXT = Context()  # what a page's context gives ``{{ value }}``: autoescape, no l10n or tz flags


def detail_value_html(row: dict[str, Any], user: Actor | None) -> SafeString | None:
    """A detail row's value as core/includes/value.html writes it, or None for a value only the template reads
    faithfully (a callable, a link to no model, JSON with an "items" key): the include cost about 250 Python calls
    a field, 18 of them on an organization's page (issue 16). Tested equal (core/tests/test_panel_tables.py)."""
    kind, value = row["kind"], row["value"]
    context = _NO_TEMPLATE_CONTEXT
    if kind == "hidden":
        return mark_safe(
            f'<span class="text-secondary" title="{text_in_context(_("Only the project team sees this."), context)}">'
            f'<i class="ti ti-lock" aria-hidden="true"></i> {text_in_context(_("Confidential"), context)}</span>'
        )
    if callable(value):
        return None  # a template calls it
    if value is None or value == "":
        return mark_safe('<span class="text-secondary">—</span>')
    if kind == "link":
        if not isinstance(value, models.Model):
            return None
        url = getattr(value, "get_absolute_url", None)
        url = url() if url is not None else None
        if not url:
            return text_in_context(value, context)  # type: ignore[return-value]  # a SafeString
        return mark_safe(f'<a href="{text_in_context(url, context)}">{text_in_context(value, context)}</a>')
    if kind == "bool":
        return text_in_context(_("Yes") if value else _("No"), context)  # type: ignore[return-value]
    if kind == "area":
        return text_in_context(area_filter(value, user), context)  # type: ignore[return-value]
    if kind == "formatted":
        return mark_safe(f'<span class="text-nowrap">{text_in_context(value, context)}</span>')
    if kind == "geometry":
        return conditional_escape(outline(value))
    if kind == "json":
        if isinstance(value, dict) and "items" not in value:
            if not value:
                return mark_safe(f"<code>{text_in_context(value, context)}</code>")
            return mark_safe(
                "".join(
                    f'<div><span class="text-secondary">{text_in_context(key, context)}</span>: '
                    f"{text_in_context(item, context)}</div>"
                    for key, item in value.items()
                )
            )
        if isinstance(value, (list, str, int, float)):
            return mark_safe(f"<code>{text_in_context(value, context)}</code>")
        return None
    if kind == "url":
        text = text_in_context(value, context)
        return mark_safe(f'<a href="{text}" rel="noopener">{text}</a>')
    return linebreaksbr(value, autoescape=True)


class ObjectHistoryView(ObjectView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        table = ObjectChangeTable(object_history(obj, request.user), request=request)
        return render(request, "core/object_history.html", self.base_context(object=obj, table=table))


class ObjectEditView(ObjectView):
    template_name = "core/object_edit.html"

    def _object(self) -> PrimaryModel:
        if "pk" in self.kwargs:
            return self.get_object(Action.CHANGE)
        self.require(Action.ADD)
        return self.model()

    def _initial(self) -> dict[str, Any]:
        # ?park=3 pre-fills the park when adding from a park's page
        names = {f.name for f in self.model._meta.concrete_fields}
        initial: dict[str, Any] = {k: v for k, v in self.request.GET.items() if k in names}
        # ?units=4&units=5 pre-chooses related records of a many-to-many field (lease a unit from the vacancy board)
        many = {f.name for f in self.model._meta.many_to_many}
        initial.update({k: self.request.GET.getlist(k) for k in many if k in self.request.GET})
        return initial

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self._object()
        form = self.views.form(instance=obj, user=request.user, initial=self._initial())
        return render(
            request,
            self.template_name,
            self.base_context(object=obj, form=form, return_url=self._next_url() or self._return_url(obj)),
        )

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        obj = self._object()
        is_new = obj.pk is None
        form = self.views.form(request.POST, request.FILES, instance=obj, user=request.user)
        if form.is_valid():
            try:
                saved = writes.save(
                    form.save(commit=False),
                    user=request.user,
                    created=is_new,
                    save_m2m=form.save_m2m,
                    validated=True,
                    version=form.cleaned_data.get("opened_version"),
                )
            except ValidationError as exc:
                add_form_errors(form, exc)
                if isinstance(exc, writes.Conflict):
                    # Saving again means "keep mine": the form now carries the version just seen.
                    data = request.POST.copy()  # the form's data, made editable
                    data["opened_version"] = writes.version_of(self.model._base_manager.get(pk=obj.pk))
                    form.data = data
                if is_new:
                    obj.pk = None
            else:
                assert isinstance(saved, PrimaryModel)  # the form's instance, obj
                message = _("Created %(model)s “%(object)s”.") if is_new else _("Saved %(model)s “%(object)s”.")
                messages.success(request, message % {"model": self.model._meta.verbose_name, "object": saved})
                return redirect(self._next_url() or saved.get_absolute_url())
        return render(
            request,
            self.template_name,
            self.base_context(object=obj, form=form, return_url=self._return_url(obj)),
            status=400,
        )

    def _next_url(self) -> str | None:
        """Where to go after saving, when the form was opened from another page's "Add" (``?next=``)."""
        target = self.request.POST.get("next") or self.request.GET.get("next")
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()}):
            return target
        return None

    def _return_url(self, obj: PrimaryModel) -> str:
        target = self.request.GET.get("return_url") or self.request.POST.get("return_url")
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()}):
            return target
        return obj.get_absolute_url() if obj.pk else reverse(self.model.url_name("list"))


class ObjectDeleteView(ObjectView):
    template_name = "core/object_delete.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(Action.DELETE)
        return render(request, self.template_name, self.base_context(object=obj))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(Action.DELETE)
        label = str(obj)
        try:
            writes.delete(obj, user=request.user)
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
            return redirect(obj.get_absolute_url())
        messages.success(
            request,
            _("Deleted %(model)s “%(object)s”.") % {"model": self.model._meta.verbose_name, "object": label},
        )
        return redirect(self.model.url_name("list"))


def _import_column_label(model: type[models.Model], resource_field: Any) -> str:
    """What an import column holds, in the user's language: the model field's verbose name ("" when unknown).

    Column headers stay the codes a file must use (``credit_code``); the page names each beside it."""
    attribute = str(getattr(resource_field, "attribute", "") or getattr(resource_field, "column_name", ""))
    try:
        field = model._meta.get_field(attribute.split("__")[0])
    except FieldDoesNotExist:
        return ""
    label = str(getattr(field, "verbose_name", "") or "")
    return "" if label == resource_field.column_name else label


class ObjectImportView(ObjectView):
    """Upload a CSV or XLSX, see a preview with every row's errors, then confirm. All rows or none.

    Each upload is an ImportJob (core.imports): a small file is checked and imported in the request, a
    large one by the background worker while its page (``<pk>`` of the job) shows the progress. A job is
    its uploader's only: another user's answers 404.
    """

    template_name = "core/object_import.html"
    progress_template_name = "core/includes/import_job.html"

    def get(self, request: HttpRequest, job: int | None = None) -> HttpResponse:
        self.require(Action.ADD)
        if job is None and request.GET.get("template") == "xlsx":
            data = template_bytes(self.views.resource(user=request.user))
            return attachment(data, f"{self.model._meta.model_name}-template.xlsx")
        if job is None:
            return render(request, self.template_name, self.base_context(form=ImportForm(), **self._columns()))
        fail_dead_import_jobs()
        return self._show(request, self._job(job))

    def _columns(self) -> dict[str, Any]:
        resource = self.views.resource(user=self.request.user)
        return {
            "columns": [(f.column_name, _import_column_label(self.model, f)) for f in resource.get_import_fields()],
            "id_fields": resource._meta.import_id_fields,
            "import_url": reverse(self.model.url_name("import")),
            "template_url": reverse(self.model.url_name("import")) + "?template=xlsx",
        }

    def _job(self, pk: int) -> ImportJob:
        user = self.request.user
        assert isinstance(user, User)  # signed in (LoginRequiredMiddleware)
        return get_object_or_404(ImportJob.objects.filter(user=user, model_label=self.model._meta.label_lower), pk=pk)

    def _show(self, request: HttpRequest, job: ImportJob, status: int | None = None) -> HttpResponse:
        report = ImportReport.from_json(job.report) if job.report else None
        context = self.base_context(
            form=ImportForm(),
            job=job,
            report=report,
            token=job.pk if job.can_confirm else None,
            file_name=job.file_name,
            job_url=reverse(self.model.url_name("import_job"), kwargs={"job": job.pk}),
            **self._columns(),
        )
        if request.headers.get("HX-Request"):
            return render(request, self.progress_template_name, context)
        if status is None:
            status = 400 if report is not None and not report.ok else 200
        return render(request, self.template_name, context, status=status)

    def post(self, request: HttpRequest, job: int | None = None) -> HttpResponse:
        self.require(Action.ADD)
        if job is not None:
            return self._act(request, self._job(job), request.POST.get("action"))
        token = request.POST.get("token")  # the confirm form of a preview names its job
        if token:
            if not token.isdigit() or len(token) > 18:
                raise Http404
            return self._act(request, self._job(int(token)), "confirm")
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self.base_context(form=form, **self._columns()), status=400)
        upload = form.cleaned_data["file"]
        user = request.user
        assert isinstance(user, User)  # signed in (LoginRequiredMiddleware)
        try:
            new_job = import_job_create(
                user=user,
                model_label=self.model._meta.label_lower,
                file_name=upload.name,
                content=upload.read(),
            )
        except ValueError as exc:
            form.add_error("file", str(exc))
            return render(request, self.template_name, self.base_context(form=form, **self._columns()), status=400)
        new_job = import_job_start(job=new_job)
        if new_job.is_working:
            return redirect(self.model.url_name("import_job"), job=new_job.pk)
        return self._show(request, new_job)

    def _act(self, request: HttpRequest, job: ImportJob, action: str | None) -> HttpResponse:
        try:
            if action == "confirm":
                job = import_job_confirm(job=job)
            elif action == "retry":
                job = import_job_retry(job=job)
            else:
                raise Http404
        except ValueError as exc:
            messages.error(request, str(exc))
            return redirect(self.model.url_name("import"))
        if job.status == ImportJob.Status.DONE:
            report = ImportReport.from_json(job.report)
            messages.success(
                request,
                _("Imported %(total)d rows: %(new)d new, %(updated)d updated, %(skipped)d unchanged.")
                % {"total": report.total, "new": report.new, "updated": report.updated, "skipped": report.skipped},
            )
            return redirect(self.model.url_name("list"))
        if job.is_working:
            return redirect(self.model.url_name("import_job"), job=job.pk)
        return self._show(request, job)
