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
        from django.db.models.signals import post_delete, post_save

        from parkos.directory.models import Industry, Organization, OrganizationAlias
        from parkos.intake.extraction.gazetteer import mark_stale

        for model in (Organization, OrganizationAlias, Industry):
            post_save.connect(mark_stale, sender=model, dispatch_uid=f"intake-gazetteer-{model.__name__}")
            post_delete.connect(mark_stale, sender=model, dispatch_uid=f"intake-gazetteer-delete-{model.__name__}")
        from parkos.intake import resources  # noqa: F401  (registers the import/export resource)
