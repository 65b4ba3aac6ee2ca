"""The six-aspect enterprise services: the catalogue, application scenarios, service requests and their messages.

A request's response and resolution deadlines are fixed when it is filed, from its service's targets
(``response_due``, ``resolution_due``): a later change of the targets does not move old deadlines, and
overdue lists are plain column comparisons in SQL (``overdue_q``). Status changes go through the
workflow services in ``parkos.services.services``, which set the timestamps.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from parkos.core.models import PrimaryModel, RestrictedQuerySet


class Aspect(models.TextChoices):
    """The operator's empowerment system: six aspects of service to enterprises."""

    TECHNOLOGY = "technology", _("Technology")
    DIGITAL = "digital", _("Digital")
    GREEN = "green", _("Green")
    SERVICE = "service", pgettext_lazy("aspect", "Service")
    FINANCE = "finance", _("Finance")
    OVERSEAS = "overseas", _("Overseas")


class Service(PrimaryModel):
    """A service in the catalogue: what it delivers, who provides it, who may apply, and its time targets."""

    name = models.CharField(_("name"), max_length=200)
    aspect = models.CharField(_("aspect"), max_length=20, choices=Aspect.choices)
    provider = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="services_provided",
        help_text=_("The park operator or a partner: a bank, a university, a consultancy."),
    )
    eligibility = models.TextField(_("who may apply"), blank=True)
    deliverables = models.TextField(_("what it delivers"), blank=True)
    response_target_hours = models.PositiveIntegerField(
        _("response target (hours)"),
        default=24,
        validators=[MinValueValidator(1)],
        help_text=_("Staff accept or answer a request within this many hours of its filing."),
    )
    resolution_target_days = models.PositiveIntegerField(
        _("resolution target (days)"),
        default=15,
        validators=[MinValueValidator(1)],
        help_text=_("A request is done within this many days of its filing."),
    )
    is_active = models.BooleanField(_("open for requests"), default=True)

    shared_with_all = True  # the catalogue is open to every role that may view services, enterprises included
    search_fields = ("name", "provider__name", "deliverables")

    class Meta:
        ordering = ["aspect", "name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.UniqueConstraint(
                "provider",
                "name",
                name="service_unique_name_per_provider",
                violation_error_message=_("This provider already offers a service with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Scenario(PrimaryModel):
    """An application scenario: a partner's offering that enterprises join (a bank's ESG financing scenario)."""

    name = models.CharField(_("name"), max_length=200)
    aspect = models.CharField(_("aspect"), max_length=20, choices=Aspect.choices)
    provider = models.ForeignKey(
        "directory.Organization", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="scenarios"
    )
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    participants = models.ManyToManyField(
        "directory.Organization",
        verbose_name=_("participating enterprises"),
        related_name="scenarios_joined",
        blank=True,
    )

    shared_with_all = True
    search_fields = ("name", "provider__name", "description")

    class Meta:
        ordering = ["aspect", "name"]
        verbose_name = _("application scenario")
        verbose_name_plural = _("application scenarios")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The scenario ends before it starts; correct one of the dates.")})

    def is_open_on(self, day: datetime.date) -> bool:
        return (self.start_date is None or self.start_date <= day) and (self.end_date is None or day <= self.end_date)


class ServiceDesk(PrimaryModel):
    """The service staff who handle one aspect's requests; new requests are routed among them."""

    aspect = models.CharField(_("aspect"), max_length=20, choices=Aspect.choices, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        related_name="service_desks",
        blank=True,
        help_text=_("A new request goes to the member assigned to its park with the fewest open requests."),
    )

    shared_with_staff = True
    few_rows = True
    search_fields = ("aspect",)
    in_global_search = False

    class Meta:
        ordering = ["aspect"]
        verbose_name = _("service desk")
        verbose_name_plural = _("service desks")

    def __str__(self) -> str:
        return str(Aspect(self.aspect).label)


class Status(models.TextChoices):
    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for the enterprise")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined")


#: statuses in which a request still needs work
OPEN_STATUSES = (Status.NEW, Status.ACCEPTED, Status.IN_PROGRESS, Status.WAITING)
CLOSED_STATUSES = (Status.DONE, Status.DECLINED)


def overdue_q(kind: str, now: datetime.datetime, prefix: str = "") -> Q:
    """Requests (reached through ``prefix``) past their ``kind`` ("response" or "resolution") deadline at ``now``.

    The same rule as ``ServiceRequest.is_response_overdue`` / ``is_resolution_overdue``: not yet
    responded (resolved) and the deadline has passed; a deadline reached to the second is not yet passed.
    """
    if kind == "response":
        return Q(**{f"{prefix}responded_at__isnull": True, f"{prefix}response_due__lt": now})
    if kind == "resolution":
        return Q(**{f"{prefix}resolved_at__isnull": True, f"{prefix}resolution_due__lt": now})
    raise ValueError(f"unknown deadline {kind!r}")


def within_target_q(kind: str, prefix: str = "") -> Q:
    """Requests responded to (resolved) on or before their deadline."""
    if kind == "response":
        return Q(**{f"{prefix}responded_at__isnull": False, f"{prefix}responded_at__lte": F(f"{prefix}response_due")})
    return Q(**{f"{prefix}resolved_at__isnull": False, f"{prefix}resolved_at__lte": F(f"{prefix}resolution_due")})


class ServiceRequestQuerySet(RestrictedQuerySet):
    def overdue(self, now: datetime.datetime | None = None) -> ServiceRequestQuerySet:
        """Open requests past their response or resolution deadline."""
        now = now or timezone.now()
        return self.filter(overdue_q("response", now) | overdue_q("resolution", now))


class ServiceRequest(PrimaryModel):
    """An enterprise's request for a service, handled by service staff from filing to closure."""

    enterprise = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    park = models.ForeignKey("parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="requests")
    aspect = models.CharField(_("aspect"), max_length=20, choices=Aspect.choices, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_requests_assigned",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    responded_at = models.DateTimeField(
        _("responded at"),
        null=True,
        blank=True,
        help_text=_("The first response of staff: accepted, declined or answered."),
    )
    resolved_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    response_due = models.DateTimeField(_("response due"), null=True, blank=True, editable=False)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True, editable=False)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(_("rating comment"), blank=True)

    park_path = "park"
    organization_path = "enterprise"
    search_fields = ("title", "enterprise__name", "service__name")

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        indexes = [
            models.Index(fields=["park", "status"], name="servicerequest_park_status"),
            models.Index(fields=["aspect", "requested_at"], name="servicerequest_aspect_time"),
            # the request list's default order (Meta.ordering): its first page without sorting every request
            models.Index(fields=["-requested_at", "-id"], name="servicerequest_list"),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_service_id = instance.__dict__.get("service_id")
        instance._loaded_requested_at = instance.__dict__.get("requested_at")
        return instance

    def clean(self) -> None:
        errors = {}
        if self.service_id and self._state.adding and not self.service.is_active:
            errors["service"] = _("This service is not open for requests; choose another one.")
        if self.rating is not None and self.status != Status.DONE:
            errors["rating"] = _("A request can be rated only once it is done.")
        if self.responded_at and self.requested_at and self.responded_at < self.requested_at:
            errors["responded_at"] = _("The response cannot come before the request.")
        if self.resolved_at and self.requested_at and self.resolved_at < self.requested_at:
            errors["resolved_at"] = _("A request cannot be closed before it was filed.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.derive_from_service()
        super().save(*args, **kwargs)

    def derive_from_service(self) -> None:
        """Take the aspect and the deadlines from the service (again when the service or filing time changed)."""
        if not self.service_id:
            return
        changed = self.service_id != getattr(self, "_loaded_service_id", None) or self.requested_at != getattr(
            self, "_loaded_requested_at", None
        )
        if changed or not self.aspect or self.response_due is None or self.resolution_due is None:
            service = self.service
            self.aspect = service.aspect
            self.response_due = self.requested_at + datetime.timedelta(hours=service.response_target_hours)
            self.resolution_due = self.requested_at + datetime.timedelta(days=service.resolution_target_days)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_response_overdue(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.responded_at is None and self.response_due is not None and self.response_due < now

    def is_resolution_overdue(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.resolved_at is None and self.resolution_due is not None and self.resolution_due < now

    @property
    def response_overdue(self) -> bool:
        return self.is_response_overdue()

    @property
    def resolution_overdue(self) -> bool:
        return self.is_resolution_overdue()


class RequestMessage(PrimaryModel):
    """One message in a request's conversation, with an optional attachment (served through a checked view)."""

    request = models.ForeignKey(
        ServiceRequest, verbose_name=_("service request"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="request_messages"
    )
    body = models.TextField(_("message"))
    attachment = models.FileField(_("attachment"), upload_to="service-requests/%Y/", blank=True)

    changelog_parent = "request"
    park_path = "request__park"
    organization_path = "request__enterprise"
    search_fields = ("body", "request__title")
    in_global_search = False

    class Meta:
        ordering = ["request", "created", "pk"]
        verbose_name = _("request message")
        verbose_name_plural = _("request messages")

    def __str__(self) -> str:
        text = " ".join(self.body.split())
        return text if len(text) <= 60 else f"{text[:57]}..."

    @property
    def attachment_name(self) -> str:
        return self.attachment.name.rsplit("/", 1)[-1] if self.attachment else ""
