"""The park registry: brands, parks, parcels, buildings and space units."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParksConfig(AppConfig):
    name = "parkos.parks"
    label = "parks"
    #: the models this app lists in the navigation menu, in order
    menu_models = ("parkbrand", "park", "landparcel", "building", "spaceunit")
    verbose_name = _("Parks")

    def ready(self) -> None:
        from parkos.parks import resources  # noqa: F401  (registers the import/export resources)
