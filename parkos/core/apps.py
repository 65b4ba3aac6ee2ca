"""The core app: shared machinery every domain app builds on."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "parkos.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from parkos.core import changelog, checks  # noqa: F401  (checks registers itself)
        from parkos.core.permissions import sync_roles

        changelog.connect()
        post_migrate.connect(sync_roles, dispatch_uid="parkos_sync_roles")
