"""Land: inefficient land and its disposal (parcel flags, disposal cases, milestones, documents) and the
land available for investment promotion.

Land sits above evaluation: a flag may come from an evaluation run (``ParcelFlag.run``), and the rules
that flag parcels read a run's grades and tax per mu. So land imports evaluation, and evaluation never
imports land: what land adds to evaluation's pages (the "Flag inefficient land" action on a run's page)
it plugs in from ``ready`` below, through ``evaluation.views.run_action_templates``. In the same way
land adds a parcel's flags and cases to the parcel's page (parks knows nothing of land either).
The models kept the tables they had under evaluation (``evaluation_parcelflag`` ...; see migrations).
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandConfig(AppConfig):
    name = "parkos.land"
    label = "land"
    verbose_name = _("Land")
    #: the models this app lists in the navigation menu, in order
    menu_models = ("parcelflag", "disposalcase", "disposalmilestone", "disposaldocument")

    def menu_links(self, user) -> list[tuple[str, str]]:
        """The inefficient-land map and the land available for promotion, for those who may see them."""
        from parkos.land.views import menu_links

        return menu_links(user)

    def ready(self) -> None:
        from parkos.evaluation.views import run_action_templates
        from parkos.land import resources, services  # noqa: F401  (register the import resources and write hooks)
        from parkos.land.views import register_panels

        register_panels()
        if "land/run_flag_button.html" not in run_action_templates:
            run_action_templates.append("land/run_flag_button.html")
