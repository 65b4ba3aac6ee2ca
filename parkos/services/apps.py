"""The six-aspect enterprise services: catalogue, application scenarios, service requests."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "parkos.services"
    label = "services"
    #: the models this app lists in the navigation menu, in order
    menu_models = ("servicerequest", "service", "scenario", "requestmessage", "servicedesk")
    verbose_name = _("Services")

    def menu_links(self, user) -> list[tuple[str, str]]:
        """The catalogue for everyone who may see services; the figures for those who may see requests."""
        from django.urls import reverse

        from parkos.core.permissions import can
        from parkos.services.models import Service, ServiceRequest

        links = []
        if can(user, Service, "view"):
            links.append((_("Service catalogue"), reverse("services:catalogue")))
        if can(user, ServiceRequest, "view"):  # an enterprise: the figures of its own requests
            links.append((_("Service figures"), reverse("services:figures")))
        return links

    def home_panels(self, user) -> list:
        """The queues of this app's work on the user's home page (parkos.core.home)."""
        from parkos.services.home import home_panels

        return home_panels(user)

    def ready(self) -> None:
        from parkos.core.kept import watch
        from parkos.core.views.generic import Related, add_related
        from parkos.directory.models import Organization
        from parkos.parks.models import Park
        from parkos.services import resources  # noqa: F401  (registers the import/export resources)
        from parkos.services.models import ServiceRequest
        from parkos.services.selectors import FIGURES_READ
        from parkos.services.tables import ServiceRequestTable

        watch("service_figures", FIGURES_READ)  # the kept service figures (parkos.core.kept)
        for model, field in ((Organization, "enterprise"), (Park, "park")):
            add_related(
                model,
                Related(ServiceRequest, ServiceRequestTable, field, _("Service requests"), queryset=requests_shown),
            )


def requests_shown(user):  # type: ignore[no-untyped-def]
    """A detail page's requests panel: the list's rows, reading only what the table shows (ServiceRequestTable
    narrows a queryset it is given, but a panel gives it its first rows as a list; issue 16)."""
    from parkos.core.views.generic import views_for
    from parkos.services.models import ServiceRequest
    from parkos.services.tables import ServiceRequestTable

    rows = views_for(ServiceRequest).queryset(user)
    return (
        rows.select_related(None).select_related(*ServiceRequestTable.ROW_RELATED).only(*ServiceRequestTable.ROW_FIELDS)
    )
