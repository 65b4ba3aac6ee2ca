"""The enterprise user's own pages: profile change proposals reviewed by staff."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "parkos.portal"
    label = "portal"
    #: the models this app lists in the navigation menu, in order
    menu_models = ("profilechangerequest",)
    verbose_name = _("Enterprise portal")

    def home_panels(self, user) -> list:
        """The queues of this app's work on the user's home page (parkos.core.home)."""
        from parkos.portal.home import home_panels

        return home_panels(user)

    def ready(self) -> None:
        from parkos.portal import resources  # noqa: F401  (registers the import/export resources)

    def landing_page(self, user) -> str | None:
        """Where the home page sends ``user`` instead: an enterprise user's home is its enterprise page."""
        from django.urls import reverse

        from parkos.portal.selectors import is_enterprise_user

        return reverse("portal:home") if is_enterprise_user(user) else None

    def menu_links(self, user) -> list[tuple[str, str]]:
        """Menu entries that are pages rather than model lists: (label, url)."""
        from django.urls import reverse

        from parkos.portal.selectors import is_enterprise_user

        return [(_("My enterprise"), reverse("portal:home"))] if is_enterprise_user(user) else []
