"""Notifications: the events that need a person, delivered in the app, by e-mail and to work-chat webhooks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "parkos.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from parkos.core.imports import import_job_finished
        from parkos.notifications.services import import_job_notify

        import_job_finished.connect(import_job_notify, dispatch_uid="notifications.import_job_finished")

        from parkos.core.exports import export_job_finished
        from parkos.notifications.services import export_job_notify

        export_job_finished.connect(export_job_notify, dispatch_uid="notifications.export_job_finished")
