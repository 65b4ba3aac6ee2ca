"""The cockpit: the figures a park group's leadership and its government partners look for, on a page, a big
screen and a table of parks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    name = "parkos.cockpit"
    label = "cockpit"
    verbose_name = _("Cockpit")

    def ready(self) -> None:
        """Every write to a model the figures read makes the kept figures stale (parkos.cockpit.freshness)."""
        from django.db.models.signals import post_delete, post_save

        from parkos.cockpit.freshness import changed
        from parkos.cockpit.selectors import WATCHED_MODELS
        from parkos.core.changelog import bulk_written

        for model in WATCHED_MODELS:
            post_save.connect(changed, sender=model, dispatch_uid=f"cockpit-{model._meta.label}-save")
            post_delete.connect(changed, sender=model, dispatch_uid=f"cockpit-{model._meta.label}-delete")
            bulk_written.connect(changed, sender=model, dispatch_uid=f"cockpit-{model._meta.label}-bulk")

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
