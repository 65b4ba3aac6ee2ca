"""The navigation menu: one group per domain app, one entry per model the user may view.

An app lists its models in ``menu_models`` on its AppConfig; nothing else is needed. Pages that are not a
model's list come from ``menu_links(user)`` on the AppConfig, as (label, url) pairs. An app that extends
another's domain joins that app's group with ``menu_group = "<app label>"`` (default cases sit under
investment, support policies under services), so the top bar keeps one group per domain people know.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured
from django.template import Context
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from parkos.core.actors import Actor
from parkos.core.models import PrimaryModel
from parkos.core.permissions import Scope, can, scope_of
from parkos.core.renderers import text_in_context
from parkos.core.reversing import reverse_name


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    add_url: str | None


@dataclass(frozen=True)
class MenuGroup:
    label: str
    items: list[MenuItem]


class KeptMenu(list[MenuGroup]):
    """A menu kept across requests (core.access): its HTML is written once per language and escaping."""

    def __init__(self, groups: Iterable[MenuGroup]) -> None:
        super().__init__(groups)
        self.html: dict[tuple[str | None, bool], SafeString] = {}


def menu_model(config: AppConfig, name: str) -> type[PrimaryModel]:
    """A model an app lists in ``menu_models``: a PrimaryModel, with its URL names and its scope."""
    model = config.get_model(name)
    if not issubclass(model, PrimaryModel):
        raise ImproperlyConfigured(f"{config.label}.menu_models: {name} is not a PrimaryModel.")
    return model


def sees_operator_pages(user: Actor | None) -> bool:
    """Whether ``user`` works for the operator (parks-wide or wider): the park-wide reports, figures and
    imports are theirs. An enterprise's or a government partner's account sees its own pages only."""
    return user is not None and user.is_authenticated and scope_of(user) > Scope.ORGANIZATION


def menu_for(user: Actor | None) -> list[MenuGroup]:
    if user is None or not user.is_authenticated:
        return []
    groups: dict[str, MenuGroup] = {}
    for config in apps.get_app_configs():
        # pages that are not a model's list (an enterprise user's "My enterprise"): config.menu_links(user)
        links = config.menu_links(user) if hasattr(config, "menu_links") else []
        items = [MenuItem(label=str(label), url=url, add_url=None) for label, url in links]
        for model_name in getattr(config, "menu_models", ()):
            model = menu_model(config, model_name)
            if can(user, model, "view"):
                items.append(
                    MenuItem(
                        label=str(model._meta.verbose_name_plural).capitalize(),
                        url=reverse_name(model.url_name("list")),
                        add_url=reverse_name(model.url_name("add")) if can(user, model, "add") else None,
                    )
                )
        if not items:
            continue
        host = getattr(config, "menu_group", config.label)
        if host in groups:
            groups[host].items.extend(items)
        else:
            groups[host] = MenuGroup(label=str(apps.get_app_config(host).verbose_name), items=items)
    return list(groups.values())


_GROUP = (
    '\n          <li class="nav-item dropdown">\n            <a class="nav-link dropdown-toggle" href="#" '
    'data-bs-toggle="dropdown" role="button" aria-expanded="false">{}</a>\n            <div class="dropdown-menu">'
    "\n              {}\n            </div>\n          </li>\n          "
)
_ITEM = (
    '\n              <div class="d-flex">\n                <a class="dropdown-item" href="{}">{}</a>'
    "\n                {}\n              </div>\n              "
)
_ADD = '<a class="dropdown-item w-auto" href="{}" title="{}">+</a>'


def menu_html(groups: Iterable[MenuGroup], context: Context) -> SafeString:
    """The top bar's groups as base.html's template loops wrote them (``{% menu_groups nav_menu %}``): those loops
    cost about 40 Python calls an entry, and the admin's menu has about 70 entries, on every page (issue 16).
    A kept menu (``KeptMenu``) keeps its HTML: the same entries give the same HTML in a language."""
    kept: dict[tuple[str | None, bool], SafeString] | None = getattr(groups, "html", None)
    if kept is not None:
        key = (get_language(), bool(context.autoescape))
        if key not in kept:
            kept[key] = _menu_html(groups, context)
        return kept[key]
    return _menu_html(groups, context)


def _menu_html(groups: Iterable[MenuGroup], context: Context) -> SafeString:
    add = text_in_context(gettext("Add"), context)
    parts = []
    for group in groups:
        items = "".join(
            _ITEM.format(
                text_in_context(item.url, context),
                text_in_context(item.label, context),
                _ADD.format(text_in_context(item.add_url, context), add) if item.add_url else "",
            )
            for item in group.items
        )
        parts.append(_GROUP.format(text_in_context(group.label, context), items))
    return mark_safe("".join(parts))
