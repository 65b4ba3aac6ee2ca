"""Users: accounts, their roles, and what each is assigned to (parks, organizations)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "parkos.users"
    label = "users"
    verbose_name = _("Users")
