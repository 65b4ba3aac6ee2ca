"""The directory: organizations, people, positions and industries."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "parkos.directory"
    label = "directory"
    #: the models this app lists in the navigation menu, in order
    menu_models = ("organization", "person", "position", "industry", "organizationalias")
    verbose_name = _("Directory")

    def ready(self) -> None:
        from parkos.directory import resources  # noqa: F401  (registers the import/export resources)
