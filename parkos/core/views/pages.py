"""Pages shared by every domain: home, global search, change log, profile."""

from __future__ import annotations

from typing import Any, Protocol, cast

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from rest_framework.authtoken.models import Token

from parkos.core.actors import Actor
from parkos.core.filtersets import ObjectChangeFilterSet
from parkos.core.forms import style_widget
from parkos.core.home import home_panels
from parkos.core.models import ObjectChange
from parkos.core.permissions import Action, roles_of
from parkos.core.search import global_search
from parkos.core.tables import ObjectChangeTable
from parkos.core.views.generic import readable_types
from parkos.users.models import User


class HomeView(View):
    """Each role's own work first: the queues its apps hand it, what needs attention, and the latest changes.

    An app offers panels with ``home_panels(user)`` on its AppConfig (``parkos.core.home``): a park manager gets
    its parks and expiries, the service desk its queue, the evaluation officer its appeals; core imports none of
    them. An app also offers "needs attention" counts with ``attention(user)``, dicts of ``label``, ``count``,
    ``url`` and ``tone`` (red, orange, blue); items counting zero are left out. An app whose AppConfig's
    ``landing_page(user)`` returns a URL sends that user there instead (an enterprise user lands on its
    enterprise page); the login redirect stays LOGIN_REDIRECT_URL.
    """

    def get(self, request: HttpRequest) -> HttpResponse:
        for config in apps.get_app_configs():
            landing = config.landing_page(request.user) if hasattr(config, "landing_page") else None
            if landing:
                return redirect(landing)
        panels = home_panels(request.user)
        shown = {panel.url for panel in panels}
        attention = [  # a count whose list a panel already opens is the panel's
            item
            for config in apps.get_app_configs()
            if hasattr(config, "attention")
            for item in config.attention(request.user)
            if item["count"] and item["url"] not in shown
        ]
        recent = None
        if request.user.has_perm("core.view_objectchange"):
            recent = ObjectChange.objects.select_related("changed_object_type")[:8]
        context = {
            "panels": panels,
            "attention": attention,
            "recent": recent,
            "has_role": bool(roles_of(request.user)) or request.user.is_superuser,
        }
        return render(request, "core/home.html", context)


class SearchView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        text = request.GET.get("q", "")
        groups = global_search(request.user, text)
        return render(
            request, "core/search.html", {"q": text, "groups": groups, "too_short": 0 < len(text.strip()) < 2}
        )


@method_decorator(permission_required("core.view_objectchange", raise_exception=True), name="dispatch")
class ChangeLogView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = ObjectChangeFilterSet(
            request.GET or None, queryset=ObjectChange.objects.select_related("changed_object_type")
        )
        table = ObjectChangeTable(filterset.qs, request=request)
        return render(request, "core/changelog.html", {"table": table, "filterset": filterset})


class ChangeDetailView(View):
    """One change: for change-log readers, and for anyone who may see the changed object."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        change = get_object_or_404(ObjectChange.objects.select_related("changed_object_type", "user"), pk=pk)
        if not request.user.has_perm("core.view_objectchange") and not may_see_object_of(change, request.user):
            raise Http404
        siblings: QuerySet[ObjectChange] | list[ObjectChange] = []
        if change.request_id:
            others = ObjectChange.objects.filter(request_id=change.request_id).exclude(pk=change.pk)
            if not request.user.has_perm("core.view_objectchange"):  # readers of the whole log see it all anyway
                others = visible_changes(others, request.user)
            siblings = others[:20]
        return render(
            request,
            "core/change_detail.html",
            {"change": change, "diff": change.diff(), "siblings": siblings},
        )


class _Restricting(Protocol):
    """A model's manager that scopes its rows to a user (RestrictedQuerySet.as_manager())."""

    def restrict(self, user: Actor | None, action: str = ...) -> QuerySet[Any]: ...


def _restricting_manager(model: type[Model]) -> _Restricting | None:
    """``model.objects`` if it scopes rows to a user, else None."""
    manager: object = getattr(model, "objects", None)
    return cast(_Restricting, manager) if hasattr(manager, "restrict") else None


def visible_changes(changes: QuerySet[ObjectChange], user: Actor | None) -> QuerySet[ObjectChange]:
    """The changes of ``changes`` whose object (or the object its history belongs to) ``user`` may see.

    Each changed object's own model restricts it, as on the object's page: a change of a model without a
    permission rule, or of an object out of the user's reach, is left out.
    """
    type_ids = set(changes.values_list("changed_object_type", flat=True).distinct())
    type_ids |= set(changes.exclude(related_object_type=None).values_list("related_object_type", flat=True).distinct())
    # through its parent's history only where the user may view the child's model at all
    readable = readable_types(user, set(changes.values_list("changed_object_type", flat=True).distinct()))
    seen = Q(pk__in=[])
    for type_ in ContentType.objects.filter(pk__in=type_ids):
        model = type_.model_class()
        manager = _restricting_manager(model) if model is not None else None
        if manager is None:
            continue
        reachable = manager.restrict(user, Action.VIEW).values("pk")
        seen |= Q(changed_object_type=type_, changed_object_id__in=reachable)
        seen |= Q(related_object_type=type_, related_object_id__in=reachable, changed_object_type__in=readable)
    return changes.filter(seen)


def may_see_object_of(change: ObjectChange, user: Actor | None) -> bool:
    """Whether the user may see the changed object, or the object its history belongs to (where the user may
    view the changed object's model at all: a parcel's reader without land permissions reads no flag of it)."""
    paths: list[tuple[ContentType | None, Any]] = [(change.changed_object_type, change.changed_object_id)]
    if readable_types(user, [change.changed_object_type_id]):
        paths.append((change.related_object_type, change.related_object_id))
    for type_, object_id in paths:
        model = type_.model_class() if type_ is not None else None
        manager = _restricting_manager(model) if model is not None else None
        if manager is not None and manager.restrict(user).filter(pk=object_id).exists():
            return True
    return False


class PreferencesForm(forms.Form):
    area_unit = forms.ChoiceField(label=gettext_lazy("Show areas in"))
    money_unit = forms.ChoiceField(label=gettext_lazy("Show money in"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from django.conf import settings

        from parkos.core.units import AreaUnit, MoneyUnit

        super().__init__(*args, **kwargs)
        for name, choices in (
            ("area_unit", AreaUnit.choices),
            ("money_unit", MoneyUnit.choices),
            ("language", settings.LANGUAGES),
        ):
            choice_field = self.fields[name]
            assert isinstance(choice_field, forms.ChoiceField)
            choice_field.choices = choices
        for field in self.fields.values():
            style_widget(field)


class ProfileView(View):
    """The user's roles and scope, display preferences, and API token."""

    def get(self, request: HttpRequest, form: PreferencesForm | None = None) -> HttpResponse:
        user = request.user
        assert isinstance(user, User)  # signed in (LoginRequiredMiddleware)
        form = form or PreferencesForm(
            initial={"area_unit": user.area_unit, "money_unit": user.money_unit, "language": translation.get_language()}
        )
        token = Token.objects.filter(user=user).first()
        return render(
            request,
            "core/profile.html",
            {
                "form": form,
                "token": token,
                "parks": user.parks.all() if hasattr(user, "parks") else [],
                "organizations": user.organizations.all() if hasattr(user, "organizations") else [],
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        assert isinstance(user, User)  # signed in (LoginRequiredMiddleware)
        if "token" in request.POST:
            Token.objects.filter(user=user).delete()
            Token.objects.create(user=user)
            messages.success(request, _("A new API token was created; the old one no longer works."))
            return redirect("profile")
        form = PreferencesForm(request.POST)
        if not form.is_valid():
            return self.get(request, form=form)
        user.area_unit = form.cleaned_data["area_unit"]
        user.money_unit = form.cleaned_data["money_unit"] or ""
        user.save(update_fields=["area_unit", "money_unit"])
        response = redirect("profile")
        from django.conf import settings

        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.cleaned_data["language"], samesite="Lax")
        translation.activate(form.cleaned_data["language"])
        messages.success(request, _("Preferences saved."))
        return response
