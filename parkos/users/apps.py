"""Users: accounts, their roles, and what each is assigned to (parks, organizations)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "parkos.users"
    label = "users"
    verbose_name = _("Users")

    def ready(self) -> None:
        from parkos.users import access

        access.connect()  # cached grants and menus follow every change of a user's access (issue 16)
