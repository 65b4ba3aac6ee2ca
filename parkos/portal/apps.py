"""The enterprise user's own pages: profile change proposals reviewed by staff."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "parkos.portal"
    label = "portal"
    #: the models this app lists in the navigation menu, in order
    menu_models = ("profilechangerequest",)
    verbose_name = _("Enterprise portal")

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

    def attention(self, user) -> list[dict]:
        """Home-page item for reviewers: proposals waiting for a decision."""
        from django.urls import reverse

        from parkos.portal.selectors import pending_proposals
        from parkos.portal.services import may_review

        if not may_review(user=user):
            return []
        return [
            {
                "label": _("Profile change proposals waiting for review"),
                "count": pending_proposals(user).count(),
                "url": f"{reverse('portal:profilechangerequest_list')}?status=pending",
                "tone": "orange",
            }
        ]
