"""Support policies, the certifications they ask for, and enterprises' applications with their disbursements.

A policy's ``eligibility`` is a condition tree in the evaluation schemes' language
(``parkos.evaluation.scheme.validate_condition``): ``{"all": [rule, rule, ...]}``, each rule a leaf test
on one attribute of the enterprise (its industry, size, years in the park, certifications, latest filing,
latest evaluation grade). Matching reads every enterprise's attributes as one table and evaluates the
rules as column expressions, so a near miss (which rule failed, by how much) comes from the same pass.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parkos.core.fields import CurrencyField, MoneyAmountField
from parkos.core.models import PrimaryModel
from parkos.core.units import MoneyProperty, format_decimal
from parkos.policies import rules
from parkos.services.models import Aspect


class Policy(PrimaryModel):
    """A support policy: who issues it, what it supports, for whom, how much, until when."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for applications")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    document_number = models.CharField(
        _("document number"),
        max_length=100,
        blank=True,
        help_text=_("The number its issuing office gave the document."),
    )
    issuer = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("issuer"),
        on_delete=models.PROTECT,
        related_name="policies_issued",
        help_text=_("The district government, bureau or park operator that publishes and pays it."),
    )
    aspect = models.CharField(_("aspect"), max_length=20, choices=Aspect.choices)
    summary = models.TextField(_("what it supports"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    opens_on = models.DateField(_("open from"), null=True, blank=True)
    closes_on = models.DateField(_("open until"), null=True, blank=True)
    budget_amount = MoneyAmountField(_("budget"), null=True, blank=True)
    budget_currency = CurrencyField(_("budget currency"), default="CNY", blank=True)
    amount_rule = models.CharField(
        _("amount rule"),
        max_length=300,
        blank=True,
        help_text=_(
            "How much an approved applicant receives, as an expression over its latest filing"
            " (e.g. rd_expenditure * 0.1); empty when the amount is decided case by case."
        ),
    )
    amount_cap = MoneyAmountField(_("most per enterprise"), null=True, blank=True)
    documents_required = models.TextField(
        _("documents required"), blank=True, help_text=_("One document per line; each application must attach them.")
    )
    eligibility = models.JSONField(
        _("eligibility"),
        default=dict,
        blank=True,
        help_text=_('A condition tree: {"all": [rule, ...]}, each rule a test on one attribute of the enterprise.'),
    )

    budget = MoneyProperty("budget_amount", "budget_currency")

    shared_with_all = True  # a published catalogue: every role that may view policies reads them
    search_fields = ("name", "document_number", "issuer__name")

    class Meta:
        ordering = ["-opens_on", "name", "pk"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        constraints = [
            models.UniqueConstraint(
                "issuer",
                "name",
                name="policy_unique_name_per_issuer",
                violation_error_message=_("This issuer already has a policy with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def required_documents(self) -> list[str]:
        return [line.strip() for line in self.documents_required.splitlines() if line.strip()]

    def clean(self) -> None:
        errors = {}
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = _("The policy closes before it opens.")
        if self.budget_amount is not None and self.budget_amount < 0:
            errors["budget_amount"] = _("The budget cannot be negative.")
        if self.amount_cap is not None and self.amount_cap <= 0:
            errors["amount_cap"] = _("The most per enterprise is greater than zero.")
        try:
            rules.validate(self.eligibility)
        except rules.RuleError as exc:
            errors["eligibility"] = str(exc)
        if errors:
            raise ValidationError(errors)


class Certification(PrimaryModel):
    """A qualification an enterprise holds for a time (high-tech enterprise, 专精特新, ...), as policies ask for it."""

    class Kind(models.TextChoices):
        HIGH_TECH = "high_tech", _("High-tech enterprise")
        SRDI = "srdi", _("SRDI (专精特新) SME")
        LITTLE_GIANT = "little_giant", _("SRDI little giant")
        TECH_SME = "tech_sme", _("Technology-based SME")
        TECH_CENTER = "tech_center", _("Enterprise technology centre")
        GREEN_FACTORY = "green_factory", _("Green factory")
        OTHER = "other", _("Other")

    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="certifications",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("For another kind: its name."))
    number = models.CharField(_("certificate number"), max_length=100, blank=True)
    issued_by = models.CharField(_("issued by"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    changelog_parent = "organization"
    organization_path = "organization"
    shared_with_staff = True
    search_fields = ("organization__name", "number", "title")
    in_global_search = False

    class Meta:
        ordering = ["organization", "kind", "-valid_from"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        indexes = [models.Index(fields=["kind", "valid_until"], name="certification_kind_valid")]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    def clean(self) -> None:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The certificate expires before it is valid.")})
        if self.kind == self.Kind.OTHER and not self.title:
            raise ValidationError({"title": _("Name the certification.")})


class Application(PrimaryModel):
    """An enterprise's application for a policy: filed by the enterprise (or staff for it), reviewed, decided."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    #: statuses in which an enterprise has an application for a policy it may not file again
    LIVE: ClassVar[tuple[str, ...]] = (Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED)

    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="policy_applications",
    )
    park = models.ForeignKey(
        "parks.Park",
        verbose_name=_("park"),
        on_delete=models.PROTECT,
        related_name="policy_applications",
        null=True,
        blank=True,
        help_text=_("The park the applicant is in: its staff review the application."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    amount_requested = MoneyAmountField(_("amount requested"), null=True, blank=True)
    amount_approved = MoneyAmountField(_("amount approved"), null=True, blank=True)
    currency = CurrencyField(_("currency"), default="CNY")
    statement = models.TextField(_("statement"), blank=True, help_text=_("What the enterprise asks for and why."))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("reasons for the decision"), blank=True)

    requested = MoneyProperty("amount_requested", "currency")
    approved = MoneyProperty("amount_approved", "currency")

    park_path = "park"
    #: the applicant sees its own applications; the issuing government body sees those for its policies
    organization_path = ("applicant", "policy__issuer")
    search_fields = ("applicant__name", "policy__name")
    in_global_search = False

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("policy application")
        verbose_name_plural = _("policy applications")
        constraints = [
            models.UniqueConstraint(
                "policy",
                "applicant",
                condition=Q(status__in=("draft", "submitted", "under_review", "approved")),
                name="application_one_live_per_policy",
                violation_error_message=_("This enterprise already has an application for this policy."),
            )
        ]
        indexes = [models.Index(fields=["policy", "status"], name="application_policy_status")]

    def __str__(self) -> str:
        return f"{self.applicant} · {self.policy}"

    def clean(self) -> None:
        errors = {}
        for name in ("amount_requested", "amount_approved"):
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = _("An amount cannot be negative.")
        if errors:
            raise ValidationError(errors)


class ApplicationDocument(PrimaryModel):
    """A file attached to an application (one of the policy's required documents, or another), served by permission."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("Which required document this is."))
    file = models.FileField(_("file"), upload_to="policies/%Y/")

    changelog_parent = "application"
    park_path = "application__park"
    organization_path = ("application__applicant", "application__policy__issuer")
    search_fields = ("title", "application__applicant__name")
    in_global_search = False

    class Meta:
        ordering = ["application", "title"]
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")

    def __str__(self) -> str:
        return self.title


class Disbursement(PrimaryModel):
    """Money paid out on an approved application: one payment, dated, with its reference."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="disbursements"
    )
    paid_on = models.DateField(_("paid on"))
    amount = MoneyAmountField(_("amount"))
    reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    changelog_parent = "application"
    park_path = "application__park"
    organization_path = ("application__applicant", "application__policy__issuer")
    search_fields = ("reference", "application__applicant__name", "application__policy__name")
    in_global_search = False

    class Meta:
        ordering = ["application", "-paid_on", "-pk"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")

    def __str__(self) -> str:
        # grouped digits (stored in the change log as written: the same in every language)
        return f"{self.paid_on:%Y-%m-%d} · {format_decimal(self.amount, 2)}"

    def clean(self) -> None:
        if self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": _("A payment is greater than zero.")})


class MatchSnapshot(models.Model):
    """When a policy's stored matches (``PolicyMatch``) were last computed, and against which rules.

    The pages read the stored matches instead of matching every enterprise on each view
    (``parkos.policies.snapshot``); ``eligibility`` is the rule tree they were computed with, so a policy whose
    rules changed since is matched again before its matches are read (never shown against the old rules)."""

    policy = models.OneToOneField(Policy, on_delete=models.CASCADE, related_name="match_snapshot")
    computed_at = models.DateTimeField(_("matched at"))
    day = models.DateField(
        _("matched on"), help_text=_("The day the attributes were read on (years in the park, certificates valid).")
    )
    eligibility = models.JSONField(default=dict)
    qualifying = models.PositiveIntegerField(default=0)
    near = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("stored policy matches")
        verbose_name_plural = _("stored policy matches")

    def __str__(self) -> str:
        return f"{self.policy_id} @ {self.computed_at:%Y-%m-%d %H:%M}"


class PolicyMatch(models.Model):
    """One enterprise that qualified for a policy (``failed`` 0) or missed exactly one rule (``failed`` 1), as
    of the policy's ``MatchSnapshot``: the rule it missed (``missed``, an index into the policy's rules), how far
    (``gap``, relative to the threshold; null: no value or not a number, listed last) and the values of the
    attributes that rule reads (``values``), from which the page says the miss in the reader's language."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="stored_matches")
    organization = models.ForeignKey("directory.Organization", on_delete=models.CASCADE, related_name="+")
    failed = models.PositiveSmallIntegerField()
    missed = models.PositiveSmallIntegerField(null=True)
    gap = models.FloatField(null=True)
    values = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint("policy", "organization", name="policymatch_one_per_enterprise")]
        indexes = [
            models.Index(fields=["policy", "failed", "gap", "organization"], name="policymatch_policy_order"),
            models.Index(fields=["organization", "failed"], name="policymatch_organization"),
        ]

    def __str__(self) -> str:
        return f"{self.policy_id} · {self.organization_id} · {self.failed}"


class StoredOutcome(models.Model):
    """A policy's outcome table (``parkos.policies.outcomes``) as computed for one audience: the readers who see
    the same enterprises and applications (``outcomes.audience``) share it. Marked stale (``computed_at`` null)
    when an application of the policy or the policy changes, and then recomputed by the worker (or by the next
    reader, whichever comes first); recomputed by ``parkos policy_matches`` nightly for every audience kept, as
    the user it was last computed for (``user``)."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="stored_outcomes")
    audience = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+")
    computed_at = models.DateTimeField(null=True)  # null: an application or the policy changed since
    figures = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint("policy", "audience", name="storedoutcome_one_per_audience")]

    def __str__(self) -> str:
        return f"{self.policy_id} · {self.audience[:8]}"
