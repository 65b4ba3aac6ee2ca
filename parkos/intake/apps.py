"""Press intake: an article goes in, drafted records come out, a person reviews and accepts them."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "parkos.intake"
    label = "intake"
    verbose_name = _("Press intake")
    #: the models this app lists in the navigation menu, in order
    menu_models = ("article",)

    def ready(self) -> None:
        from parkos.intake import resources  # noqa: F401  (registers the import/export resource)
