"""System checks that keep every model on the standard path (see docs/adding-a-model.md)."""

from django.apps import apps
from django.core import checks

from parkos.core.models import PrimaryModel


@checks.register()
def primary_models_declare_search(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for model in apps.get_models():
        if issubclass(model, PrimaryModel) and not model.search_fields:
            errors.append(checks.Error(f"{model.__name__} declares no search_fields", obj=model, id="parkos.E001"))
        if (
            issubclass(model, PrimaryModel)
            and model.park_path is None
            and model.organization_path is None
            and not model.shared_with_staff
            and not model.shared_with_all
        ):
            errors.append(
                checks.Warning(f"{model.__name__} is visible to the operator admin only", obj=model, id="parkos.W001")
            )
    return errors
