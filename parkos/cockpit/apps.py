"""The cockpit: the figures a park group's leadership and its government partners look for, on a page, a big
screen and a table of parks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    name = "parkos.cockpit"
    label = "cockpit"
    verbose_name = _("Cockpit")

    def ready(self) -> None:
        """Every write to a model a part of the cockpit reads makes that part stale when it commits (parkos.core.kept:
        parks, brands and enterprises every part)."""
        from parkos.cockpit.selectors import EVERY_TOPIC_MODELS, TOPIC_MODELS
        from parkos.core.kept import watch

        for topic, models in TOPIC_MODELS.items():
            watch(topic, (*EVERY_TOPIC_MODELS, *models), at_once=False)

    def landing_page(self, user) -> str | None:
        """The operator admin and government partners open on the cockpit (their home's change log stays in
        the menu as "Overview")."""
        from django.urls import reverse

        from parkos.cockpit.selectors import is_partner, may_use_cockpit
        from parkos.core.permissions import Scope, scope_of

        if not may_use_cockpit(user):
            return None
        if scope_of(user) == Scope.EVERYTHING or is_partner(user):
            return reverse("cockpit:cockpit")
        return None

    def menu_links(self, user) -> list[tuple[str, str]]:
        """The cockpit, the big screen and the park benchmarking, for those who may use them; the admin also
        keeps the old overview (record counts and the change log)."""
        from django.urls import reverse

        from parkos.cockpit.selectors import may_use_cockpit
        from parkos.core.permissions import Scope, scope_of

        if not may_use_cockpit(user):
            return []
        links = [
            (_("Cockpit"), reverse("cockpit:cockpit")),
            (_("Big screen"), reverse("cockpit:screen")),
            (_("Benchmarking of parks"), reverse("cockpit:parks")),
        ]
        if scope_of(user) == Scope.EVERYTHING:
            links.append((_("Change log"), reverse("changelog")))
        return links
