"""The enterprise user's own pages: profile change proposals reviewed by staff."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "parkos.portal"
    label = "portal"
    #: the models this app lists in the navigation menu, in order
    menu_models = ()
    verbose_name = _("Enterprise portal")
