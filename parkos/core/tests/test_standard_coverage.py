"""Every model is on the standard path: tests, API endpoint, admin, import/export, menu."""

import importlib
import importlib.util
import pkgutil

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from parkos.core.models import PrimaryModel
from parkos.core.resources import registered_labels
from parkos.core.testing import STANDARD_SUITES, _all_subclasses

PRIMARY_MODELS = [m for m in apps.get_models() if issubclass(m, PrimaryModel)]


def import_test_modules() -> None:
    """Import every app's tests/test_*.py, so each suite has registered its model whatever pytest collected."""
    for config in apps.get_app_configs():
        package = f"{config.name}.tests"
        if not config.name.startswith("parkos.") or importlib.util.find_spec(package) is None:
            continue
        for module in pkgutil.iter_modules(importlib.import_module(package).__path__):
            if module.name.startswith("test_"):
                importlib.import_module(f"{package}.{module.name}")


def standard_suites() -> set[type]:
    """The models that have a standard suite (StandardModelTests registers each subclass's model)."""
    import_test_modules()
    return set(STANDARD_SUITES)


@pytest.mark.parametrize("model", PRIMARY_MODELS, ids=lambda m: m._meta.label)
def test_model_has_its_standard_parts(model):
    label = model._meta.label_lower
    assert model in standard_suites(), f"{label} has no StandardModelTests suite"
    assert admin.site.is_registered(model), f"{label} is not in the admin"
    assert label in registered_labels(), f"{label} has no registered import/export resource"
    reverse(f"{model._meta.app_label}-api:{model._meta.model_name}-list")
    reverse(model.url_name("list"))
    menu = getattr(apps.get_app_config(model._meta.app_label), "menu_models", ())
    assert model._meta.model_name in menu, f"{label} is missing from its app's menu_models"


def test_every_model_ui_uses_the_shared_bases():
    from parkos.core.filtersets import PrimaryFilterSet
    from parkos.core.forms import PrimaryModelForm
    from parkos.core.resources import PrimaryResource
    from parkos.core.tables import PrimaryTable
    from parkos.core.views.generic import ObjectViews

    standard_suites()  # imports every app's views through its tests
    described = {views.model: views for views in _all_subclasses(ObjectViews)}
    for model in PRIMARY_MODELS:
        views = described.get(model)
        assert views is not None, f"{model._meta.label} has no ObjectViews"
        assert issubclass(views.form, PrimaryModelForm) and issubclass(views.form.Meta, PrimaryModelForm.Meta)
        assert issubclass(views.filterset, PrimaryFilterSet)
        assert issubclass(views.table, PrimaryTable)
        assert issubclass(views.resource, PrimaryResource)
