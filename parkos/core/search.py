"""Global search: every model in the navigation, through the same permission rule as its list."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from django.utils.http import urlencode

from parkos.core.actors import Actor
from parkos.core.models import PrimaryModel
from parkos.core.navigation import menu_model
from parkos.core.permissions import Action, can, crosses_many


@dataclass
class SearchGroup:
    label: str
    results: list[PrimaryModel]
    more_url: str
    has_more: bool


def searchable_models() -> list[type[PrimaryModel]]:
    return [
        menu_model(config, name) for config in apps.get_app_configs() for name in getattr(config, "menu_models", ())
    ]


def global_fields(model: type[PrimaryModel]) -> tuple[str, ...]:
    """The search fields that cost no join per row: the model's own columns and to-many subqueries.

    A parcel is found by its number here, and its park by the park's name; the list pages' search
    also looks through joined names (a parcel by its park's name).
    """
    return tuple(f for f in model.search_fields if "__" not in f or crosses_many(model, f))


def global_search(user: Actor | None, text: str, per_type: int = 5) -> list[SearchGroup]:
    text = text.strip()
    if len(text) < 2:
        return []
    groups = []
    for model in searchable_models():
        if not model.in_global_search or not can(user, model, Action.VIEW):
            continue
        queryset = model.objects.restrict(user, Action.VIEW).filter(
            model.search_filter(text, user, global_fields(model))
        )
        related = [f.name for f in model._meta.concrete_fields if f.is_relation]
        # No ORDER BY: the database may stop at the first matches instead of sorting them all.
        rows = list(queryset.select_related(*related).order_by()[: per_type + 1])
        if rows:
            groups.append(
                SearchGroup(
                    label=str(model._meta.verbose_name_plural).capitalize(),
                    results=rows[:per_type],
                    more_url=f"{reverse(model.url_name('list'))}?{urlencode({'q': text})}",
                    has_more=len(rows) > per_type,
                )
            )
    return groups
