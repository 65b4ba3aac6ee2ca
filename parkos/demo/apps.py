"""The deterministic demo data set (`parkos demo`)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "parkos.demo"
    label = "demo"
    verbose_name = _("Demo data")
