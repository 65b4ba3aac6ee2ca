"""Leases and sales of space units, occupancy and vacancy."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeasingConfig(AppConfig):
    name = "parkos.leasing"
    label = "leasing"
    #: the models this app lists in the navigation menu, in order
    menu_models = ()
    verbose_name = _("Leasing")
