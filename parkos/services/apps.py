"""The six-aspect enterprise services: catalogue, application scenarios, service requests."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "parkos.services"
    label = "services"
    #: the models this app lists in the navigation menu, in order
    menu_models = ()
    verbose_name = _("Services")
