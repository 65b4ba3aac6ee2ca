"""Default handling: one case per commitment found missed in a year, and the files of each case.

A case opens at the reconciliation (``investment.signals.commitment_missed``) or by hand, and moves
through its stages only by the services in ``compliance.services``: opened -> warning issued ->
rectification with a deadline -> settlement (repayment of incentives, a penalty, land bought back or
transferred) -> closed; at any stage before it is closed it can close as cured, when the commitment is
met after all. The stage and the dates of each step are read-only in the form, the API and imports.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkos.core.fields import CurrencyField, MoneyAmountField
from parkos.core.models import PrimaryModel
from parkos.core.units import MoneyProperty
from parkos.investment.models import Commitment


class DefaultCase(PrimaryModel):
    """What is done about one commitment missed in one year, from the warning to the settlement."""

    class Stage(models.TextChoices):
        OPEN = "open", _("Opened")
        WARNING = "warning", _("Warning")
        RECTIFICATION = "rectification", _("Rectification")
        SETTLEMENT = "settlement", _("Settlement")
        CLOSED = "closed", _("Closed")

    class SettlementKind(models.TextChoices):
        REPAYMENT = "repayment", _("Repayment of incentives")
        PENALTY = "penalty", _("Penalty")
        LAND_BUY_BACK = "land_buy_back", _("Land buy-back")
        LAND_TRANSFER = "land_transfer", _("Land transfer")

    class Outcome(models.TextChoices):
        SETTLED = "settled", _("Settled")
        CURED = "cured", _("Cured: the commitment was met after all")

    #: settlements that are paid (an amount over 0), and those that end in the land
    MONEY_KINDS = (SettlementKind.REPAYMENT, SettlementKind.PENALTY)
    LAND_KINDS = (SettlementKind.LAND_BUY_BACK, SettlementKind.LAND_TRANSFER)

    reference = models.CharField(
        _("case number"), max_length=40, blank=True, help_text=_("Left empty, it is made from the year and commitment.")
    )
    agreement = models.ForeignKey(
        "investment.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="default_cases",
        blank=True,  # taken from the commitment
    )
    commitment = models.ForeignKey(
        "investment.Commitment", verbose_name=_("commitment"), on_delete=models.PROTECT, related_name="default_cases"
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The year the commitment was found missed."),
    )
    target = models.DecimalField(_("target at opening"), max_digits=20, decimal_places=4, null=True, blank=True)
    actual = models.DecimalField(
        _("actual at opening"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Empty: no figure reached ParkOS."),
    )
    gap = models.DecimalField(
        _("gap at opening"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Target minus actual; worked out when left empty."),
    )
    source = models.CharField(_("source of the actual"), max_length=40, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.OPEN, db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="default_cases",
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    warned_on = models.DateField(_("warning issued on"), null=True, blank=True)
    rectification_started_on = models.DateField(_("rectification started on"), null=True, blank=True)
    rectification_deadline = models.DateField(_("rectification deadline"), null=True, blank=True, db_index=True)
    settled_on = models.DateField(_("settlement decided on"), null=True, blank=True)
    settlement_kind = models.CharField(_("settlement"), max_length=20, choices=SettlementKind.choices, blank=True)
    settlement_amount = MoneyAmountField(_("settlement amount"), null=True, blank=True)
    settlement_currency = CurrencyField(_("settlement currency"), blank=True)
    disposal_case = models.ForeignKey(
        "land.DisposalCase",
        verbose_name=_("disposal case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="default_cases",
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    settlement = MoneyProperty("settlement_amount", "settlement_currency")

    park_path = "agreement__park"
    #: the agreement's parties; of the organization roles only government partners hold a compliance grant
    organization_path = "agreement__parties__organization"
    search_fields = (
        "reference",
        "agreement__title",
        "commitment__description",
        "commitment__party__organization__name",
    )

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("default case")
        verbose_name_plural = _("default cases")
        constraints = [
            models.UniqueConstraint(
                "commitment",
                "year",
                name="defaultcase_one_per_commitment_and_year",
                violation_error_message=_("This commitment already has a default case for this year."),
            )
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.year} · {self.commitment_id}"

    @property
    def is_closed(self) -> bool:
        return self.stage == self.Stage.CLOSED

    @property
    def is_overdue(self) -> bool:
        """In rectification past its deadline."""
        return (
            self.stage == self.Stage.RECTIFICATION
            and self.rectification_deadline is not None
            and self.rectification_deadline < timezone.localdate()
        )

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.commitment_id:
            agreement_id = (
                Commitment._base_manager.filter(pk=self.commitment_id).values_list("agreement_id", flat=True).first()
            )
            if self.agreement_id and self.agreement_id != agreement_id:
                errors["commitment"] = _("The commitment belongs to another agreement than the case.")
            else:
                self.agreement_id = agreement_id
        if self.gap is None and self.target is not None and self.actual is not None:
            self.gap = Decimal(self.target) - Decimal(self.actual)
        if not self.reference and self.commitment_id and self.year:
            self.reference = f"DC{self.year}-{self.commitment_id:06d}"
        if self.settlement_amount is not None and self.settlement_kind not in self.MONEY_KINDS:
            errors["settlement_amount"] = _("Only a repayment or a penalty has an amount.")
        if self.stage == self.Stage.CLOSED and not (self.closed_on and self.outcome):
            errors["stage"] = _("Close a case with its close action, which records the outcome.")
        if self.stage != self.Stage.CLOSED and (self.closed_on or self.outcome):
            errors["stage"] = _("Close the case with the close action to record when and how it ended.")
        if (
            self.rectification_deadline
            and self.rectification_started_on
            and self.rectification_deadline <= self.rectification_started_on
        ):
            errors["rectification_deadline"] = _("The deadline must come after the rectification started.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        if not self.agreement_id and self.commitment_id:
            self.agreement_id = self.commitment.agreement_id
        if not self.reference and self.commitment_id and self.year:
            self.reference = f"DC{self.year}-{self.commitment_id:06d}"
        if self.gap is None and self.target is not None and self.actual is not None:
            self.gap = Decimal(self.target) - Decimal(self.actual)
        super().save(*args, **kwargs)


class DefaultCaseDocument(PrimaryModel):
    """A file of a default case (the warning notice, a rectification plan, the settlement decision), served
    only through the permission rule."""

    case = models.ForeignKey(
        DefaultCase, verbose_name=_("default case"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="compliance/%Y/")

    changelog_parent = "case"
    park_path = "case__agreement__park"
    organization_path = "case__agreement__parties__organization"
    search_fields = ("title", "case__reference")
    in_global_search = False

    class Meta:
        ordering = ["case", "title"]
        verbose_name = _("default case document")
        verbose_name_plural = _("default case documents")

    def __str__(self) -> str:
        return self.title
