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
        from parkos.core.views.generic import Related, add_related
        from parkos.directory.models import Organization
        from parkos.parks import resources  # noqa: F401  (registers the import/export resources)
        from parkos.parks.models import LandParcel, Park
        from parkos.parks.tables import LandParcelTable, ParkTable

        add_related(Organization, Related(LandParcel, LandParcelTable, "holder", _("Land parcels held")))
        add_related(Organization, Related(Park, ParkTable, "operator", _("Parks operated")))
