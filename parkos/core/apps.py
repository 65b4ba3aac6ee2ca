"""The core app: shared machinery every domain app builds on."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "parkos.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.utils.module_loading import autodiscover_modules

        from parkos.core import changelog, checks, search, translating  # noqa: F401  (checks registers itself)
        from parkos.core.bookkeeping import note_last_login
        from parkos.core.bounds import bound_all_models
        from parkos.core.permissions import sync_roles

        changelog.connect()
        translating.install()
        search.connect()
        bound_all_models()
        # Each app's services module declares its models' write rules (core.writes.register).
        autodiscover_modules("services")
        post_migrate.connect(sync_roles, dispatch_uid="parkos_sync_roles")
        # A sign-in notes the last login as bookkeeping that never waits behind a long import (core.bookkeeping).
        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(note_last_login, dispatch_uid="update_last_login")
