"""Inefficient land and its disposal: parcel flags, disposal cases, their milestones and documents.

A parcel is flagged inefficient by an evaluation run (the scheme's rules, see ``land.services``)
or by hand; a disposal case then works it off along one path (upgrade in place, buy-back, ...)
through dated milestones to a closure that says what became of the land. The parcel's status
follows the case: inefficient when flagged, under disposal while a case is open, and on closure
idle (available for investment promotion), in use or redeveloped, by the case's outcome.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkos.core.models import PrimaryModel


class ParcelFlag(PrimaryModel):
    """One reason a parcel is on the inefficient-land list: found by a run's rules, or set by hand."""

    class Reason(models.TextChoices):
        BOTTOM_GRADE = "grade", _("Holder in the bottom grade")
        LOW_TAX = "low_tax", _("Tax per mu under the floor")
        IDLE = "idle", _("Idle for years")
        LOW_INTENSITY = "low_intensity", _("Plot ratio under the floor")
        MANUAL = "manual", _("Flagged by hand")

    parcel = models.ForeignKey(
        "parks.LandParcel", verbose_name=_("parcel"), on_delete=models.PROTECT, related_name="flags"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, default=Reason.MANUAL)
    detail = models.CharField(
        _("detail"), max_length=300, help_text=_("The figures behind the flag, or why it was set by hand.")
    )
    run = models.ForeignKey(
        "evaluation.EvaluationRun",
        verbose_name=_("evaluation run"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parcel_flags",
    )
    flagged_on = models.DateField(_("flagged on"), default=timezone.localdate, db_index=True)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("flagged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cleared_on = models.DateField(
        _("cleared on"), null=True, blank=True, help_text=_("Set when the parcel is no longer inefficient.")
    )

    changelog_parent = "parcel"
    park_path = "parcel__park"
    search_fields = ("detail", "parcel__code", "parcel__park__name")

    class Meta:
        ordering = ["-flagged_on", "parcel", "reason"]
        #: the table it had when these models lived in the evaluation app (moved without copying rows)
        db_table = "evaluation_parcelflag"
        verbose_name = _("parcel flag")
        verbose_name_plural = _("parcel flags")

    def __str__(self) -> str:
        return f"{self.parcel} · {self.get_reason_display()}"

    @property
    def is_open(self) -> bool:
        return self.cleared_on is None

    def clean(self) -> None:
        if self.cleared_on and self.flagged_on and self.cleared_on < self.flagged_on:
            raise ValidationError({"cleared_on": _("A flag cannot be cleared before the day it was set.")})


class DisposalCase(PrimaryModel):
    """The work on one inefficient parcel, from opening to closure; one open case per parcel at a time."""

    class Path(models.TextChoices):
        UPGRADE = "upgrade", _("Upgrade in place")
        BUY_BACK = "buy_back", _("Negotiated buy-back")
        TRANSFER = "transfer", _("Transfer to another user")
        LAND_RESERVE = "land_reserve", _("Taken into the land reserve")
        REDEVELOPMENT = "redevelopment", _("Redevelopment")
        RE_LEASING = "re_leasing", _("Re-leasing")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        #: the land went back to the operator or a new user is sought: the parcel is idle, offered for promotion
        RETURNED = "returned", _("Land returned, available for investment promotion")
        #: the holder (or the new user it was transferred to) uses it efficiently now
        IN_USE = "in_use", _("Land in efficient use")
        REDEVELOPED = "redeveloped", _("Land redeveloped")
        #: the case was dropped (flag found wrong, holder recovered on its own): the parcel is in use
        WITHDRAWN = "withdrawn", _("Case withdrawn")

    parcel = models.ForeignKey(
        "parks.LandParcel", verbose_name=_("parcel"), on_delete=models.PROTECT, related_name="disposal_cases"
    )
    path = models.CharField(_("disposal path"), max_length=20, choices=Path.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disposal_cases",
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    park_path = "parcel__park"
    search_fields = ("parcel__code", "parcel__park__name", "notes")
    #: found through its parcel, which the global search finds by number (the case list searches by it too)
    in_global_search = False

    class Meta:
        ordering = ["-opened_on", "-pk"]
        #: the table it had when these models lived in the evaluation app (moved without copying rows)
        db_table = "evaluation_disposalcase"
        verbose_name = _("disposal case")
        verbose_name_plural = _("disposal cases")
        constraints = [
            models.UniqueConstraint(
                "parcel",
                condition=~Q(status="closed"),
                name="disposalcase_one_active_per_parcel",
                violation_error_message=_("This parcel already has a disposal case that is not closed."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.parcel} · {self.get_path_display()}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def clean(self) -> None:
        errors = {}
        if self.status == self.Status.CLOSED:
            if not self.closed_on:
                # in any channel (form, API, import, admin): only the close action records when and how
                errors["status"] = _("Close a case with its close action, which records the outcome.")
            elif not self.outcome:
                errors["outcome"] = _("A closed case needs its outcome.")
        elif self.closed_on or self.outcome:
            errors["status"] = _("Close the case with the close action to record when and how it ended.")
        if self.closed_on and self.opened_on and self.closed_on < self.opened_on:
            errors["closed_on"] = _("A case cannot close before it opened.")
        if errors:
            raise ValidationError(errors)


class DisposalMilestone(PrimaryModel):
    """A dated step of a case (talks held, valuation done, agreement signed, land handed over) and who owns it."""

    case = models.ForeignKey(
        DisposalCase, verbose_name=_("disposal case"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disposal_milestones",
    )

    changelog_parent = "case"
    park_path = "case__parcel__park"
    search_fields = ("title", "case__parcel__code")
    in_global_search = False

    class Meta:
        ordering = ["case", "due_date", "pk"]
        #: the table it had when these models lived in the evaluation app (moved without copying rows)
        db_table = "evaluation_disposalmilestone"
        verbose_name = _("disposal milestone")
        verbose_name_plural = _("disposal milestones")

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_date is not None and self.due_date < timezone.localdate()


class DisposalDocument(PrimaryModel):
    """A file of a case (a valuation, minutes of talks, a buy-back agreement), served through the permission rule."""

    case = models.ForeignKey(
        DisposalCase, verbose_name=_("disposal case"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="disposal/%Y/")

    changelog_parent = "case"
    park_path = "case__parcel__park"
    search_fields = ("title", "case__parcel__code")
    in_global_search = False

    class Meta:
        ordering = ["case", "title"]
        #: the table it had when these models lived in the evaluation app (moved without copying rows)
        db_table = "evaluation_disposaldocument"
        verbose_name = _("disposal document")
        verbose_name_plural = _("disposal documents")

    def __str__(self) -> str:
        return self.title
