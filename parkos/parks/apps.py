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

        # Each panel leaves out its organization's column: its rows need not join the organization as the lists do.
        add_related(
            Organization,
            Related(LandParcel, LandParcelTable, "holder", _("Land parcels held"), queryset=parcels_with_park),
        )
        add_related(Organization, Related(Park, ParkTable, "operator", _("Parks operated"), queryset=parks_with_brand))


def parcels_with_park(user):  # type: ignore[no-untyped-def]
    """An organization page's parcels panel: the parcels the user sees, with their parks (named on each row)."""
    from parkos.parks.models import LandParcel

    # only the columns the panel shows (issue 16: every column of two tables was read and compiled for five rows)
    return (
        LandParcel.objects.restrict(user)
        .select_related("park")
        .only("code", "park", "area", "land_use", "status", "granted", "park__name")
    )


def parks_with_brand(user):  # type: ignore[no-untyped-def]
    """An organization page's parks panel: the parks the user sees, with their brands."""
    from parkos.parks.models import Park

    # only the columns the panel shows
    return (
        Park.objects.restrict(user)
        .select_related("brand")
        .only("code", "name", "brand", "district", "land_area", "brand__name")
    )
