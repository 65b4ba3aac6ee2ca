"""What happened (an ``Event``), who was told in the app (``Notification``), what was sent where (``Delivery``).

An event is about one object (content type + id, with its title and page kept as they were). Its
``key`` makes scheduled checks idempotent: the same kind, object and key (a day, an alert horizon)
is one event, whoever runs the check how often.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    REQUEST_FILED = "request_filed", _("Service request filed")
    REQUEST_BREACH_SOON = "request_breach_soon", _("Service request about to miss its deadline")
    REQUEST_OVERDUE = "request_overdue", _("Service request overdue")
    REQUEST_ANSWERED = "request_answered", _("Service request answered")
    REQUEST_CLOSED = "request_closed", _("Service request closed")
    APPEAL_FILED = "appeal_filed", _("Appeal filed")
    APPEAL_DECIDED = "appeal_decided", _("Appeal decided")
    LEASE_EXPIRING = "lease_expiring", _("Lease expiring")
    PROPOSAL_WAITING = "proposal_waiting", _("Profile change waiting for review")
    PROPOSAL_DECIDED = "proposal_decided", _("Profile change decided")
    CONTACT_DUE = "contact_due", _("Regular contact due")
    COMMITMENT_DUE = "commitment_due", _("Commitment due soon")
    COMMITMENT_OVERDUE = "commitment_overdue", _("Commitment overdue")
    RUN_FINISHED = "run_finished", _("Evaluation run finished")
    RUN_FAILED = "run_failed", _("Evaluation run failed")
    MILESTONE_DUE = "milestone_due", _("Disposal milestone due")
    IMPORT_FINISHED = "import_finished", _("Import finished")
    IMPORT_FAILED = "import_failed", _("Import failed")
    EXPORT_FINISHED = "export_finished", _("Export finished")
    EXPORT_FAILED = "export_failed", _("Export failed")
    APPLICATION_SUBMITTED = "application_submitted", _("Policy application submitted")
    APPLICATION_DECIDED = "application_decided", _("Policy application decided")
    RECTIFICATION_OVERDUE = "rectification_overdue", _("Rectification deadline passed")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Work-chat webhook")


class WebhookKind(models.TextChoices):
    WECOM = "wecom", _("WeCom robot")
    DINGTALK = "dingtalk", _("DingTalk robot")
    FEISHU = "feishu", _("Feishu robot")
    GENERIC = "generic", _("JSON webhook (HMAC-SHA256 signed)")


class Event(models.Model):
    kind = models.CharField(_("kind of event"), max_length=40, choices=EventKind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    obj = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("link"), max_length=500, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    key = models.CharField(
        max_length=40, blank=True, help_text=_("Scheduled checks: one event per object and key (a day, a horizon).")
    )
    created = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("notification event")
        verbose_name_plural = _("notification events")
        constraints = [
            models.UniqueConstraint(
                "kind", "content_type", "object_id", "key", condition=~Q(key=""), name="event_once_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One event in one user's inbox; a user only ever reads its own."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="notifications")
    created = models.DateTimeField(_("when"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint("recipient", "event", name="notification_once_per_event")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return str(self.event)


class WebhookEndpoint(models.Model):
    """A work-chat robot or a JSON receiver, set up by an operator admin, with the events and parks it hears about."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=WebhookKind.choices)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(
        _("secret"),
        max_length=200,
        blank=True,
        help_text=_("DingTalk and Feishu: the robot's signing secret. JSON webhook: the HMAC-SHA256 key."),
    )
    event_kinds = models.JSONField(
        _("events"), default=list, blank=True, help_text=_("Event kinds it receives; empty: every kind.")
    )
    all_parks = models.BooleanField(
        _("every park"), default=False, help_text=_("Also events about objects that belong to no park.")
    )
    parks = models.ManyToManyField(
        "parks.Park",
        verbose_name=_("parks"),
        blank=True,
        related_name="+",
        help_text=_("It receives only events about objects in these parks."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
        help_text=_(
            "A personal robot: it receives what its owner receives (the owner's choices and scope), "
            "whatever its parks say."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.name

    def hears(self, kind: str) -> bool:
        return self.is_active and (not self.event_kinds or kind in self.event_kinds)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    RETRYING = "retrying", _("Retrying")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One message to one e-mail address or webhook, with every attempt's outcome."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    target = models.CharField(_("target"), max_length=500)
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.target}"


class Preference(models.Model):
    """One user's channels for one event kind; without a row the defaults hold (in the app and by e-mail)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind of event"), max_length=40, choices=EventKind.choices)
    in_app = models.BooleanField(_("in the app"), default=True)
    email = models.BooleanField(_("by e-mail"), default=True)
    webhook = models.BooleanField(
        _("to webhooks"), default=True, help_text=_("Off: work-chat robots do not hear of it on your account.")
    )
    digest = models.BooleanField(_("in the daily digest"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint("user", "kind", name="preference_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()}"
