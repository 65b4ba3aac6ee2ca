from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MapsConfig(AppConfig):
    """Maps of a brand, a district or a park: parks, parcels and buildings coloured by a chosen layer.

    An app of its own because a map reads from several domains (parks, leasing, evaluation, land):
    inside parks it would import the apps that already import parks.
    """

    name = "parkos.maps"
    verbose_name = _("Maps")

    def menu_links(self, user: object) -> list[tuple[str, str]]:
        from parkos.maps.views import menu_links

        return menu_links(user)

    def ready(self) -> None:
        from parkos.core import csp
        from parkos.land.views import available_land_extras
        from parkos.maps.selectors import tile_origin
        from parkos.maps.views import available_land_map, park_page_map
        from parkos.parks.views import park_page_extras

        if park_page_map not in park_page_extras:
            park_page_extras.append(park_page_map)
        if available_land_map not in available_land_extras:
            available_land_extras.append(available_land_map)
        # the configured tile server's images may load on every page that shows a map (core.csp allows only ours)
        origin = tile_origin()
        if origin and origin not in csp.POLICY["img-src"]:
            csp.POLICY["img-src"] = (*csp.POLICY["img-src"], origin)
            csp.DEFAULT_HEADER = csp.policy_header()
