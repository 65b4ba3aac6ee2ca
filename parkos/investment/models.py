"""Investment promotion: projects in the pipeline, contacts, events, agreements and the commitments in them.

Agreements are multi-party and two-sided: every party may promise something (a commitment), and
each commitment is tracked to the promise through dated progress records. Commitment status is
derived from target, due date and progress by the rules in ``commitment_status`` (one place,
used both per object and as SQL for lists and reports).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkos.core.changelog import redact_history
from parkos.core.fields import AreaField, CurrencyField, MoneyAmountField
from parkos.core.models import PrimaryModel, RestrictedQuerySet
from parkos.core.permissions import Scope, scope_of
from parkos.core.units import MoneyProperty

#: a commitment not met this close to its due date is at risk
AT_RISK_WINDOW = datetime.timedelta(days=30)


class Stage(models.TextChoices):
    """Pipeline stages in the order a project moves through them (``LOST`` can follow any)."""

    LEAD = "lead", _("Lead")
    CONTACTED = "contacted", _("Contacted")
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    LANDED = "landed", _("Landed")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    IN_OPERATION = "in_operation", _("In operation")
    LOST = "lost", _("Lost")


#: the stages in pipeline order, without LOST
STAGE_ORDER: tuple[str, ...] = tuple(s for s in Stage.values if s != Stage.LOST)


class ExchangeRate(PrimaryModel):
    """How many units of the report currency one unit of ``currency`` was worth from ``valid_from`` on."""

    currency = CurrencyField(_("currency"))
    rate = models.DecimalField(
        _("rate"),
        max_digits=18,
        decimal_places=8,
        help_text=_("What one unit of the currency is worth in the report currency (CNY unless set otherwise)."),
    )
    valid_from = models.DateField(_("valid from"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    shared_with_staff = True
    few_rows = True
    search_fields = ("currency", "source")
    in_global_search = False  # rates are looked up on their own list, not searched for

    class Meta:
        ordering = ["currency", "-valid_from"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(
                "currency",
                "valid_from",
                name="exchangerate_unique_per_day",
                violation_error_message=_("This currency already has a rate from that date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.currency} {plain_number(self.rate)} ({self.valid_from:%Y-%m-%d})"

    def clean(self) -> None:
        if self.rate is not None and self.rate <= 0:
            raise ValidationError({"rate": _("A rate is greater than zero.")})


def investor_visible_q(user, prefix: str = "") -> Q:
    """Projects whose real name and investor ``user`` may read: not confidential, or ``user`` is on the team.

    Admins (scope: everything) read every project; ``prefix`` reaches projects from another model.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return Q(**{f"{prefix}is_confidential": False})
    if _sees_every_confidential(user):
        return Q()
    teams = Project.team.through.objects.filter(user=user).values("project")
    return Q(**{f"{prefix}is_confidential": False}) | Q(**{f"{prefix}owner": user}) | Q(**{f"{prefix}pk__in": teams})


class ProjectQuerySet(RestrictedQuerySet):
    def for_user(self, user) -> ProjectQuerySet:
        """Annotate ``investor_visible`` per row, so lists mask confidential rows without a query each."""
        condition = investor_visible_q(user)
        if not condition:
            return self.annotate(investor_visible=Value(True, output_field=models.BooleanField()))
        # Case/When, not a bare boolean: "owner = user" is NULL for rows without an owner, and
        # NULL OR FALSE is NULL, which would read as "not annotated" and cost a query per row.
        visible = Case(When(condition, then=Value(True)), default=Value(False), output_field=models.BooleanField())
        return self.annotate(investor_visible=visible)


def plain_number(value) -> str:
    """1200.0000 as '1200', 0.5 as '0.5': numbers as people write them."""
    return f"{Decimal(value).normalize():f}"


def commitment_label(description: str, kind_label: str, target_value, unit_label: str) -> str:
    """A commitment as people read it (``Commitment.__str__``): its description, or its kind's label, and its
    target with its unit; from plain values, for pages that read commitments as columns (reports.page_rows)."""
    label = description or kind_label
    if target_value is not None:
        return f"{label}: {plain_number(target_value)} {unit_label}".strip()
    return label


def _sees_every_confidential(user) -> bool:
    return scope_of(user) == Scope.EVERYTHING


class Project(PrimaryModel):
    """An investment project in the pipeline, from first lead to operation (or lost)."""

    class Source(models.TextChoices):
        REFERRAL = "referral", _("Referral")
        GOVERNMENT = "government", _("Government recommendation")
        EXHIBITION = "exhibition", _("Exhibition or forum")
        INTERMEDIARY = "intermediary", _("Intermediary or agency")
        DIRECT = "direct", _("Direct approach")
        EXISTING_TENANT = "existing_tenant", _("Existing tenant expanding")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    codename = models.CharField(
        _("codename"),
        max_length=100,
        blank=True,
        help_text=_("Shown instead of the name and investor to everyone outside the project's team when confidential."),
    )
    is_confidential = models.BooleanField(_("confidential"), default=False)
    investor = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("investor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="investment_projects",
    )
    industry = models.ForeignKey(
        "directory.Industry",
        verbose_name=_("industry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="investment_projects",
    )
    park = models.ForeignKey(
        "parks.Park", verbose_name=_("target park"), on_delete=models.PROTECT, related_name="investment_projects"
    )
    parcel = models.ForeignKey(
        "parks.LandParcel",
        verbose_name=_("parcel"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="investment_projects",
    )
    building = models.ForeignKey(
        "parks.Building",
        verbose_name=_("building"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="investment_projects",
    )
    planned_investment_amount = MoneyAmountField(_("planned investment"), null=True, blank=True)
    planned_investment_currency = CurrencyField(_("planned investment currency"), blank=True)
    planned_floor_area = AreaField(_("planned floor area"), null=True, blank=True)
    planned_jobs = models.PositiveIntegerField(_("planned jobs"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_projects",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team"),
        blank=True,
        related_name="project_teams",
        help_text=_("With the owner, the people who see a confidential project's name and investor."),
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.LEAD, db_index=True)
    stage_since = models.DateField(_("in stage since"), default=timezone.localdate)
    lost_reason = models.CharField(_("reason lost"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)

    planned_investment = MoneyProperty("planned_investment_amount", "planned_investment_currency")

    park_path = "park"
    search_fields = ("name", "codename", "investor__name")
    #: fields only the team (and admins) may read when the project is confidential
    confidential_fields = ("name", "investor", "description")

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-stage_since", "pk"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        # the list's order: PostgreSQL reads its first page from this index and joins 25 investors, where it
        # joined every organization to every project to sort them (13 ms at demo scale 1, growing with the
        # organizations; issue 16)
        indexes = [models.Index(fields=["-stage_since", "id"], name="project_list")]

    def __str__(self) -> str:
        # Never the real name of a confidential project: str() reaches pages, logs and exports.
        if self.is_confidential:
            return self.codename or _("Confidential project %(pk)s") % {"pk": self.pk}
        return self.name

    def hidden_fields_for(self, user) -> frozenset[str]:
        if not self.is_confidential or self.investor_visible_to(user):
            return frozenset()
        return frozenset(self.confidential_fields)

    def investor_visible_to(self, user) -> bool:
        if not self.is_confidential:
            return True
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        if _sees_every_confidential(user) or self.owner_id == user.pk:
            return True
        annotated = getattr(self, "investor_visible", None)  # from ProjectQuerySet.for_user
        if annotated is not None:
            return bool(annotated)
        return self.pk is not None and self.team.filter(pk=user.pk).exists()

    def changelog_redacted(self) -> tuple[str, ...]:
        return self.confidential_fields if self.is_confidential else ()

    @classmethod
    def search_filter(cls, text: str, user, fields=None) -> Q:
        """The codename is searchable by all; the name and investor only where the user may read them."""
        from parkos.core.filtersets import search_q

        fields = cls.search_fields if fields is None else fields
        open_fields = [f for f in fields if f.split("__")[0] not in cls.confidential_fields]
        closed_fields = [f for f in fields if f.split("__")[0] in cls.confidential_fields]
        query = search_q(cls, text, open_fields) if open_fields else Q(pk__in=[])
        if closed_fields:
            query |= search_q(cls, text, closed_fields) & investor_visible_q(user)
        return query

    def save(self, *args, **kwargs) -> None:
        was_confidential = (
            self.pk is not None and Project._base_manager.filter(pk=self.pk, is_confidential=True).exists()
        )
        super().save(*args, **kwargs)
        if self.is_confidential and not was_confidential:
            redact_history(self)  # what was logged before it became confidential

    def clean(self) -> None:
        errors = {}
        if self.is_confidential and not self.codename:
            errors["codename"] = _("A confidential project needs a codename to show outside its team.")
        if self.stage == Stage.LOST and not self.lost_reason:
            errors["lost_reason"] = _("Say why the project was lost.")
        if self.planned_investment_amount is not None and not self.planned_investment_currency:
            errors["planned_investment_currency"] = _("Give the currency of the planned investment.")
        if self.parcel_id and self.park_id and self.parcel.park_id != self.park_id:
            errors["parcel"] = _("This parcel is not in the target park.")
        if self.building_id and self.park_id and self.building.parcel.park_id != self.park_id:
            errors["building"] = _("This building is not in the target park.")
        if errors:
            raise ValidationError(errors)


class StageChange(models.Model):
    """A dated move of a project into a stage: the history that time-in-stage and conversion are computed from."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    previous_stage = models.CharField(_("previous stage"), max_length=20, choices=Stage.choices, blank=True)
    date = models.DateField(_("date"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["project", "date", "pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [models.Index(fields=["stage", "date"], name="stagechange_stage_date")]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.previous_stage or '-'} → {self.stage} ({self.date})"


class Event(PrimaryModel):
    """A signing ceremony, delegation visit, plenary meeting or celebration, and who attended."""

    class Kind(models.TextChoices):
        SIGNING = "signing", _("Signing ceremony")
        VISIT = "visit", _("Delegation visit")
        MEETING = "meeting", _("Plenary meeting")
        CELEBRATION = "celebration", _("Celebration")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SIGNING)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    park = models.ForeignKey(
        "parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="investment_events"
    )
    attendees = models.ManyToManyField(
        "directory.Person", verbose_name=_("attendees"), blank=True, related_name="investment_events"
    )
    organizations = models.ManyToManyField(
        "directory.Organization",
        verbose_name=_("organizations present"),
        blank=True,
        related_name="investment_events",
    )
    description = models.TextField(_("description"), blank=True)

    park_path = "park"
    organization_path = "agreements__parties__organization"
    search_fields = ("title", "place")

    class Meta:
        ordering = ["-date", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title


class AgreementQuerySet(RestrictedQuerySet):
    def with_implementation(self, today: datetime.date | None = None) -> AgreementQuerySet:
        """Annotate commitment counts per status and the rolled-up ``implementation`` (all in SQL)."""
        today = today or timezone.localdate()
        counts = {
            f"n_{status}": models.Count("commitments", filter=commitment_status_q(status, today, "commitments__"))
            for status in CommitmentStatus.values
        }
        annotated = self.annotate(n_commitments=models.Count("commitments"), **counts).annotate(
            implementation=implementation_case()
        )
        # Django leaves Meta.ordering out of GROUP BY queries: without this, lists would come back in any order.
        return annotated if self.query.order_by else annotated.order_by(*self.model._meta.ordering)


class Agreement(PrimaryModel):
    """A signed (or drafted) agreement between two or more organizations, with its commitments."""

    class Kind(models.TextChoices):
        STRATEGIC = "strategic", _("Strategic cooperation agreement")
        FRAMEWORK = "framework", _("Framework agreement")
        INVESTMENT = "investment", _("Investment agreement")
        LEASE = "lease", _("Lease agreement")
        MEMORANDUM = "memorandum", _("Memorandum of understanding")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")
        IN_FORCE = "in_force", _("In force")
        COMPLETED = "completed", _("Completed")
        TERMINATED = "terminated", _("Terminated")

    class Cadence(models.IntegerChoices):
        MONTHLY = 31, _("Every month")
        QUARTERLY = 92, _("Every quarter")
        HALF_YEARLY = 183, _("Every half year")
        YEARLY = 366, _("Every year")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    reference = models.CharField(_("reference number"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    park = models.ForeignKey("parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="agreements")
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("signed at"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
    )
    signed_on = models.DateField(_("signing date"), null=True, blank=True, db_index=True)
    start_date = models.DateField(_("in force from"), null=True, blank=True)
    end_date = models.DateField(_("in force until"), null=True, blank=True)
    fields_of_cooperation = models.TextField(
        _("fields of cooperation"), blank=True, help_text=_("One field per line, e.g. integrated circuits.")
    )
    contact_cadence = models.PositiveIntegerField(
        _("regular contact"),
        choices=Cadence.choices,
        null=True,
        blank=True,
        help_text=_("How often the parties should meet; the agreement is flagged when the last contact is older."),
    )
    summary = models.TextField(_("summary"), blank=True)

    park_path = "park"
    organization_path = "parties__organization"
    search_fields = ("title", "reference", "parties__organization__name")

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.title

    @property
    def cooperation_fields(self) -> list[str]:
        return [line.strip() for line in self.fields_of_cooperation.splitlines() if line.strip()]

    def clean(self) -> None:
        errors = {}
        if self.status != self.Status.DRAFT and not self.signed_on:
            errors["signed_on"] = _("A signed agreement needs its signing date.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end of the term is before its start.")
        if self.status != self.Status.DRAFT and self.pk and self.parties.count() < 2:
            errors["status"] = _("Add at least two parties before marking the agreement signed.")
        if self.event_id and self.park_id and self.event.park_id != self.park_id:
            errors["event"] = _("This event took place in another park.")
        if errors:
            raise ValidationError(errors)

    def implementation_status(self, today: datetime.date | None = None) -> str:
        statuses = [c.status(today) for c in self.commitments.all()]
        return rolled_up_status(statuses)


class Party(PrimaryModel):
    """An organization that is party to an agreement, in a role."""

    class Role(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        INVESTOR = "investor", _("Investor")
        OPERATOR = "operator", _("Park operator")
        PARTNER = "partner", _("Partner")
        FINANCIER = "financier", _("Financier")
        WITNESS = "witness", _("Witness")
        OTHER = "other", _("Other")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="parties"
    )
    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="agreement_parties",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)

    changelog_parent = "agreement"
    park_path = "agreement__park"
    organization_path = "agreement__parties__organization"
    search_fields = ("organization__name", "agreement__title")
    in_global_search = False

    class Meta:
        ordering = ["agreement", "pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(
                "agreement",
                "organization",
                name="party_unique_per_agreement",
                violation_error_message=_("This organization is already a party to this agreement."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class Signatory(PrimaryModel):
    """A person who signed on behalf of a party, with the title they held then."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="signatories"
    )
    party = models.ForeignKey(
        Party, verbose_name=_("on behalf of"), on_delete=models.CASCADE, related_name="signatories"
    )
    person = models.ForeignKey(
        "directory.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="signatures"
    )
    title = models.CharField(_("title at signing"), max_length=200, blank=True)

    changelog_parent = "agreement"
    park_path = "agreement__park"
    organization_path = "agreement__parties__organization"
    search_fields = ("title", "person__name", "agreement__title")
    in_global_search = False

    class Meta:
        ordering = ["agreement", "pk"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self) -> str:
        return f"{self.person} · {self.title}" if self.title else str(self.person)

    def clean(self) -> None:
        if self.party_id and self.agreement_id and self.party.agreement_id != self.agreement_id:
            raise ValidationError({"party": _("This party belongs to another agreement.")})


class CommitmentStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OVERDUE = "overdue", _("Overdue")
    MET = "met", _("Met")


class ImplementationStatus(models.TextChoices):
    """An agreement's status rolled up from its commitments: the worst of them, or fulfilled when all are met."""

    NO_COMMITMENTS = "none", _("No commitments")
    FULFILLED = "fulfilled", _("Fulfilled")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OVERDUE = "overdue", _("Behind: overdue commitments")


def commitment_status(
    *,
    met_on: datetime.date | None,
    due_date: datetime.date | None,
    midpoint: datetime.date | None,
    latest_value: Decimal | None,
    target_value: Decimal | None,
    today: datetime.date,
) -> str:
    """The status rules, in one place (``commitment_status_q`` is the same rules as SQL).

    - met: the latest progress reached the target (a milestone: progress recorded). Met late is still met.
    - overdue: not met and the due date has passed (due today is not yet overdue).
    - at risk: not met, and due within 30 days; or past the middle of its term with under half the target.
    - on track: anything else, including no due date.
    """
    if met_on is not None:
        return CommitmentStatus.MET
    if due_date is not None and due_date < today:
        return CommitmentStatus.OVERDUE
    if due_date is not None and due_date <= today + AT_RISK_WINDOW:
        return CommitmentStatus.AT_RISK
    past_midpoint = midpoint is not None and midpoint < today and target_value is not None
    if past_midpoint and (latest_value is None or latest_value * 2 < target_value):
        return CommitmentStatus.AT_RISK
    return CommitmentStatus.ON_TRACK


def commitment_status_q(status: str, today: datetime.date, prefix: str = "") -> Q:
    """The commitments (reached through ``prefix``) that ``commitment_status`` gives ``status`` on ``today``."""

    def q(**kwargs) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in kwargs.items()})

    met = q(met_on__isnull=False)
    overdue = ~met & q(due_date__lt=today)
    behind_half = q(midpoint__lt=today, target_value__isnull=False) & (
        # target > 2 × latest, not latest < target / 2: SQLite divides whole numbers as integers (5 / 2 = 2).
        q(latest_value__isnull=True) | Q(**{f"{prefix}target_value__gt": models.F(f"{prefix}latest_value") * 2})
    )
    at_risk = ~met & ~q(due_date__lt=today) & (q(due_date__lte=today + AT_RISK_WINDOW) | behind_half)
    if status == CommitmentStatus.MET:
        return met
    if status == CommitmentStatus.OVERDUE:
        return overdue
    if status == CommitmentStatus.AT_RISK:
        return at_risk
    return ~met & ~overdue & ~at_risk


def rolled_up_status(statuses: list[str]) -> str:
    if not statuses:
        return ImplementationStatus.NO_COMMITMENTS
    for worst in (CommitmentStatus.OVERDUE, CommitmentStatus.AT_RISK):
        if worst in statuses:
            return worst
    if all(s == CommitmentStatus.MET for s in statuses):
        return ImplementationStatus.FULFILLED
    return ImplementationStatus.ON_TRACK


def implementation_case() -> Case:
    """``rolled_up_status`` over the ``n_<status>`` counts that ``with_implementation`` annotates."""
    return Case(
        When(n_commitments=0, then=Value(ImplementationStatus.NO_COMMITMENTS)),
        When(n_overdue__gt=0, then=Value(ImplementationStatus.OVERDUE)),
        When(n_at_risk__gt=0, then=Value(ImplementationStatus.AT_RISK)),
        When(n_met=models.F("n_commitments"), then=Value(ImplementationStatus.FULFILLED)),
        default=Value(ImplementationStatus.ON_TRACK),
        output_field=models.CharField(),
    )


class CommitmentQuerySet(RestrictedQuerySet):
    def with_status(self, today: datetime.date | None = None) -> CommitmentQuerySet:
        today = today or timezone.localdate()
        return self.annotate(
            current_status=Case(
                *(When(commitment_status_q(s, today), then=Value(s)) for s in CommitmentStatus.values),
                output_field=models.CharField(),
            )
        )

    def in_status(self, status: str, today: datetime.date | None = None) -> CommitmentQuerySet:
        return self.filter(commitment_status_q(status, today or timezone.localdate()))


class Commitment(PrimaryModel):
    """What one party promised in an agreement: a target value (or a milestone) by a due date."""

    class Kind(models.TextChoices):
        INVESTMENT = "investment", _("Investment amount")
        FLOOR_AREA_LEASED = "floor_area_leased", _("Floor area leased")
        FLOOR_AREA_PURCHASED = "floor_area_purchased", _("Floor area purchased")
        FLOOR_AREA_BUILT = "floor_area_built", _("Floor area built")
        JOBS = "jobs", _("Jobs")
        ANNUAL_OUTPUT = "annual_output", _("Annual output")
        ANNUAL_TAX = "annual_tax", _("Annual tax")
        TAX_PER_MU = "tax_per_mu", _("Tax per mu")
        RD_SHARE = "rd_share", _("R&D share of revenue")
        VALUE_ADDED = "value_added", _("Value added")
        CONSTRUCTION_STARTED = "construction_started", _("Construction started")
        IN_OPERATION = "in_operation", _("In operation")
        MILESTONE = "milestone", _("Milestone")
        OTHER = "other", _("Other")

    class Basis(models.TextChoices):
        YEAR = "year", _("The year's value")
        CUMULATIVE = "cumulative", _("Total to date")
        PER_MU = "per_mu", _("Per mu of land, a year's value")

    class Source(models.TextChoices):
        """Where a measure's actual value comes from."""

        FILING = "filing", _("Indicator filings")
        LEASING = "leasing", _("Leases and sales")
        STAGE = "stage", _("Project stages")
        MANUAL = "manual", _("Entered by hand")

    #: the unit a kind is measured in, when it is fixed; money kinds take a currency code
    FIXED_UNITS = {
        Kind.FLOOR_AREA_LEASED: "m²",
        Kind.FLOOR_AREA_PURCHASED: "m²",
        Kind.FLOOR_AREA_BUILT: "m²",
        Kind.JOBS: "jobs",
        Kind.RD_SHARE: "%",
    }
    MONEY_KINDS = (Kind.INVESTMENT, Kind.ANNUAL_OUTPUT, Kind.ANNUAL_TAX, Kind.TAX_PER_MU, Kind.VALUE_ADDED)
    #: kinds promised as a date reached, not a value
    MILESTONE_KINDS = (Kind.MILESTONE, Kind.CONSTRUCTION_STARTED, Kind.IN_OPERATION)
    #: the measure each kind names: where its actual comes from (kinds not listed are entered by hand)
    MEASURE_SOURCES: ClassVar[dict[str, str]] = {
        Kind.ANNUAL_OUTPUT: Source.FILING,
        Kind.ANNUAL_TAX: Source.FILING,
        Kind.TAX_PER_MU: Source.FILING,
        Kind.JOBS: Source.FILING,
        Kind.RD_SHARE: Source.FILING,
        Kind.VALUE_ADDED: Source.FILING,
        Kind.FLOOR_AREA_LEASED: Source.LEASING,
        Kind.FLOOR_AREA_PURCHASED: Source.LEASING,
        Kind.CONSTRUCTION_STARTED: Source.STAGE,
        Kind.IN_OPERATION: Source.STAGE,
    }
    #: the bases a kind may be counted on, the first its default
    BASES: ClassVar[dict[str, tuple[str, ...]]] = {
        Kind.ANNUAL_OUTPUT: (Basis.YEAR, Basis.CUMULATIVE, Basis.PER_MU),
        Kind.ANNUAL_TAX: (Basis.YEAR, Basis.CUMULATIVE, Basis.PER_MU),
        Kind.VALUE_ADDED: (Basis.YEAR, Basis.CUMULATIVE, Basis.PER_MU),
        Kind.TAX_PER_MU: (Basis.PER_MU,),
        Kind.JOBS: (Basis.YEAR,),
        Kind.RD_SHARE: (Basis.YEAR, Basis.CUMULATIVE),
        Kind.FLOOR_AREA_LEASED: (Basis.CUMULATIVE,),
        Kind.FLOOR_AREA_PURCHASED: (Basis.CUMULATIVE,),
        Kind.CONSTRUCTION_STARTED: (Basis.CUMULATIVE,),
        Kind.IN_OPERATION: (Basis.CUMULATIVE,),
    }
    #: stored units that are words, as people read them in their language (a stored unit stays a code)
    UNIT_LABELS: ClassVar[dict[str, Any]] = {"jobs": _("jobs")}

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="commitments"
    )
    party = models.ForeignKey(
        Party, verbose_name=_("promised by"), on_delete=models.CASCADE, related_name="commitments"
    )
    kind = models.CharField(
        _("kind"),
        max_length=30,
        choices=Kind.choices,
        help_text=_(
            "The measure promised. Output, tax, jobs, R&D and value added come from the indicator filings, floor"
            " area from leases and sales, construction start and operation from the project's stages; the rest"
            " is entered by hand."
        ),
    )
    basis = models.CharField(
        _("basis"),
        max_length=20,
        choices=Basis.choices,
        blank=True,
        help_text=_("A year's value, the total to date or per mu of land; empty: the measure's usual basis."),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    target_value = models.DecimalField(
        _("target"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Leave empty for a milestone: it is met when its progress is recorded."),
    )
    unit = models.CharField(
        _("unit"),
        max_length=20,
        blank=True,
        # xgettext:no-python-format
        help_text=_("A currency code for money (CNY, USD), m² for areas, % for shares; filled in for fixed kinds."),
    )
    start_date = models.DateField(
        _("counted from"), null=True, blank=True, help_text=_("Defaults to the agreement's signing date.")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    # Kept by services.progress_record so statuses are a plain SQL filter over thousands of commitments.
    midpoint = models.DateField(_("middle of term"), null=True, blank=True, editable=False)
    latest_value = models.DecimalField(
        _("latest value"), max_digits=20, decimal_places=4, null=True, blank=True, editable=False
    )
    latest_on = models.DateField(_("latest progress on"), null=True, blank=True, editable=False)
    met_on = models.DateField(_("met on"), null=True, blank=True, editable=False)

    changelog_parent = "agreement"
    park_path = "agreement__park"
    organization_path = "agreement__parties__organization"
    search_fields = ("description", "agreement__title", "party__organization__name")
    in_global_search = False

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "due_date", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        indexes = [models.Index(fields=["agreement", "met_on", "due_date"], name="commitment_status")]

    def __str__(self) -> str:
        return commitment_label(
            self.description,
            self.get_kind_display() if not self.description else "",
            self.target_value,
            self.unit_label,
        )

    @property
    def unit_label(self) -> str:
        """The unit as people read it: "jobs" in the user's language; currency codes and symbols as stored."""
        return str(self.UNIT_LABELS.get(self.unit, self.unit))

    @property
    def is_milestone(self) -> bool:
        return self.target_value is None

    @property
    def measure_source(self) -> str:
        """Where the actual comes from: a ``Commitment.Source`` value."""
        return self.MEASURE_SOURCES.get(self.kind, self.Source.MANUAL)

    @property
    def is_computed(self) -> bool:
        return self.measure_source != self.Source.MANUAL

    def get_measure_source_display(self) -> str:
        return str(self.Source(self.measure_source).label)

    @property
    def counted_basis(self) -> str:
        """The basis, or the measure's usual one when none was given."""
        return self.basis or self.BASES.get(self.kind, (self.Basis.CUMULATIVE,))[0]

    @property
    def currency(self) -> str | None:
        """The currency of a money measure (USD for 'USD/mu'), None for other measures."""
        return (self.unit or "").split("/")[0] or None if self.kind in self.MONEY_KINDS else None

    def status(self, today: datetime.date | None = None) -> str:
        return commitment_status(
            met_on=self.met_on,
            due_date=self.due_date,
            midpoint=self.midpoint,
            latest_value=self.latest_value,
            target_value=self.target_value,
            today=today or timezone.localdate(),
        )

    def get_status_display(self) -> str:
        return CommitmentStatus(self.status()).label

    @property
    def met_late(self) -> bool:
        return bool(self.met_on and self.due_date and self.met_on > self.due_date)

    @property
    def progress_share(self) -> Decimal | None:
        """The latest value as a share of the target (0..1+), None for milestones or no progress."""
        if self.target_value in (None, 0) or self.latest_value is None:
            return None
        return self.latest_value / self.target_value

    def clean(self) -> None:
        errors = {}
        fixed = self.FIXED_UNITS.get(self.kind)
        if fixed and not self.unit:
            self.unit = fixed
        elif fixed and self.unit != fixed:
            errors["unit"] = _("%(kind)s is measured in %(unit)s.") % {"kind": self.get_kind_display(), "unit": fixed}
        if self.kind in self.MONEY_KINDS:
            from parkos.core.units import CURRENCIES

            currency = (self.unit or "").split("/")[0]
            if currency not in CURRENCIES:  # an empty unit too: an amount without its currency means nothing
                errors["unit"] = _("Give a currency code such as CNY or USD (or CNY/mu for tax per mu).")
        if self.kind in self.MILESTONE_KINDS and self.target_value is not None:
            errors["target_value"] = _("A milestone has no target value; it is met when reached.")
        if self.kind not in self.MILESTONE_KINDS and self.target_value is None:
            errors["target_value"] = _("Give the promised value.")
        if self.target_value is not None and self.target_value <= 0:
            errors["target_value"] = _("The target is greater than zero.")
        allowed = self.BASES.get(self.kind)
        if self.basis and allowed and self.basis not in allowed:
            errors["basis"] = _("%(kind)s is counted as: %(bases)s.") % {
                "kind": self.get_kind_display(),
                "bases": ", ".join(str(self.Basis(b).label) for b in allowed),
            }
        if self.party_id and self.agreement_id and self.party.agreement_id != self.agreement_id:
            errors["party"] = _("This party belongs to another agreement.")
        start = self.start_date or (self.agreement.signed_on if self.agreement_id else None)
        if start and self.due_date and self.due_date < start:
            errors["due_date"] = _("The due date is before the commitment is counted from.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        start = self.start_date or (self.agreement.signed_on if self.agreement_id else None)
        self.midpoint = start + (self.due_date - start) / 2 if start and self.due_date else None
        if self.kind in self.FIXED_UNITS and not self.unit:
            self.unit = self.FIXED_UNITS[self.kind]
        self.basis = self.counted_basis
        if self.pk is not None:
            checks = (
                list(self.checks.filter(source__in=CommitmentCheck.FACT_SOURCES).order_by("year"))
                if self.is_computed
                else []
            )
            if checks:  # the facts decide; hand entries count only where no source had a figure
                self.latest_value, self.latest_on, self.met_on = progress_from_checks(self, checks)
            else:
                self._derive_progress(list(self.progress.order_by("date", "pk").values_list("date", "value")))
        super().save(*args, **kwargs)

    def _derive_progress(self, records: list[tuple[datetime.date, Decimal | None]]) -> None:
        """latest_value, latest_on and met_on from the progress records, oldest first.

        Met on: a milestone, the first record; a target, the first record of the run of records
        that ends with the latest one and stays at or above the target (a value that fell back
        below the target is not met any more).
        """
        self.latest_on = records[-1][0] if records else None
        self.latest_value = records[-1][1] if records else None
        self.met_on = None
        if not records:
            return
        if self.is_milestone:
            self.met_on = records[0][0]
            return
        for on, value in reversed(records):
            if value is None or value < self.target_value:
                break
            self.met_on = on

    def refresh_progress(self) -> None:
        """Recompute the derived progress fields after a progress record was added, changed or removed."""
        self.save()


class Progress(PrimaryModel):
    """A dated record of the actual value of a commitment (cumulative, as of the date), with its source."""

    class Source(models.TextChoices):
        PARTY_REPORT = "party_report", _("Report by the party")
        STATISTICS = "statistics", _("Statistics bureau")
        TAX = "tax", _("Tax bureau")
        SITE_VISIT = "site_visit", _("Site visit")
        DOCUMENT = "document", _("Document (contract, certificate, permit)")
        STAFF = "staff", _("Staff entry")

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="progress"
    )
    date = models.DateField(_("as of"))
    value = models.DecimalField(
        _("actual value"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("The value reached by this date, not the increase. Leave empty for a milestone reached."),
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.STAFF)
    note = models.CharField(_("note"), max_length=500, blank=True)

    changelog_parent = "commitment"
    park_path = "commitment__agreement__park"
    organization_path = "commitment__agreement__parties__organization"
    search_fields = ("note", "commitment__agreement__title")
    in_global_search = False

    class Meta:
        ordering = ["commitment", "-date", "-pk"]
        verbose_name = _("progress record")
        verbose_name_plural = _("progress records")
        indexes = [models.Index(fields=["commitment", "date"], name="progress_commitment_date")]

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.date:%Y-%m-%d}: {_('reached')}"
        return f"{self.date:%Y-%m-%d}: {plain_number(self.value)}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        Commitment.objects.get(pk=self.commitment_id).refresh_progress()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        commitment = Commitment.objects.filter(pk=self.commitment_id).first()
        if commitment is not None:  # not when the commitment itself is being deleted
            commitment.refresh_progress()
        return result

    def clean(self) -> None:
        if not self.commitment_id:
            return
        if self.commitment.is_milestone and self.value is not None:
            raise ValidationError({"value": _("A milestone is reached or not; leave the value empty.")})
        if not self.commitment.is_milestone and self.value is None:
            raise ValidationError({"value": _("Give the value reached by this date.")})
        if self.value is not None and self.value < 0:
            raise ValidationError({"value": _("The value cannot be negative.")})
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": _("Progress is recorded as of today or an earlier date.")})


class CheckOutcome(models.TextChoices):
    MET = "met", _("Met")
    BEHIND = "behind", _("Behind")
    MISSED = "missed", _("Missed")
    OPEN = "open", _("Not yet due, no figure")


class CommitmentCheck(models.Model):
    """One commitment compared with the facts for one year by the yearly reconciliation.

    Derived, not edited: ``services.reconcile_commitments`` writes one row per commitment and year and
    rewrites it when run again. Target, path, actual and gap are in the commitment's unit (a USD
    commitment's CNY filings are converted at ``rate``). Read through ``Commitment.objects.restrict``
    (``selectors.visible_checks``): whoever sees the commitment sees its checks.
    """

    class Source(models.TextChoices):
        FILING = "filing", _("Indicator filing")
        LEASING = "leasing", _("Leases and sales")
        STAGE = "stage", _("Stage change")
        ENTERED = "entered", _("Entered by hand")
        NONE = "none", _("No figure")

    #: sources that are facts ParkOS holds (computed), not hand entries
    FACT_SOURCES = (Source.FILING, Source.LEASING, Source.STAGE)

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="checks"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    as_of = models.DateField(_("as of"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=20, decimal_places=4, null=True, blank=True)
    path = models.DecimalField(
        _("expected by then"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("The target pro-rated to the end of the year (and to the months in production)."),
    )
    actual = models.DecimalField(_("actual"), max_digits=20, decimal_places=4, null=True, blank=True)
    actual_on = models.DateField(_("reached on"), null=True, blank=True)
    gap = models.DecimalField(_("gap"), max_digits=20, decimal_places=4, null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=CheckOutcome.choices, db_index=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    source_field = models.CharField(_("from"), max_length=60, blank=True)
    source_date = models.DateField(_("source dated"), null=True, blank=True)
    rate = models.DecimalField(_("exchange rate"), max_digits=18, decimal_places=8, null=True, blank=True)
    production_share = models.DecimalField(
        _("share of the year in production"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    checked_at = models.DateTimeField(_("checked at"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked by"), on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["commitment", "-year"]
        verbose_name = _("commitment check")
        verbose_name_plural = _("commitment checks")
        constraints = [models.UniqueConstraint("commitment", "year", name="commitmentcheck_unique_per_year")]
        indexes = [models.Index(fields=["year", "outcome"], name="commitmentcheck_year_outcome")]

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.year}: {self.outcome}"

    @property
    def is_computed(self) -> bool:
        return self.source in self.FACT_SOURCES

    @property
    def source_text(self) -> str:
        """Where the actual came from, as people read it: "Indicator filing 2025 (tax)"."""
        from parkos.investment.facts import describe_source

        return describe_source(self)


def progress_from_checks(
    commitment: Commitment, checks: list[CommitmentCheck]
) -> tuple[Decimal | None, datetime.date | None, datetime.date | None]:
    """latest_value, latest_on and met_on of a computed commitment from its fact checks, oldest year first.

    The same rule as hand-entered progress: met from the first check of the final run that reached the
    target (a milestone: the date it was reached).
    """
    last = checks[-1]
    if commitment.is_milestone:
        reached = [c.actual_on for c in checks if c.actual_on]
        return None, last.actual_on, (reached[0] if reached else None)
    met_on = None
    for check in reversed(checks):
        if check.actual is None or commitment.target_value is None or check.actual < commitment.target_value:
            break
        met_on = check.actual_on or check.as_of
    return last.actual, last.actual_on or last.as_of, met_on


class Contact(PrimaryModel):
    """A visit, call, meeting or delegation: the regular contact that keeps partnerships and agreements alive."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        CALL = "call", _("Call")
        MEETING = "meeting", _("Meeting")
        DELEGATION = "delegation", _("Delegation")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.VISIT)
    date = models.DateField(_("date"), db_index=True)
    subject = models.CharField(_("subject"), max_length=300)
    park = models.ForeignKey(
        "parks.Park",
        verbose_name=_("park"),
        on_delete=models.PROTECT,
        related_name="investment_contacts",
        help_text=_("Taken from the project or agreement when left empty."),
        blank=True,
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
    )
    people = models.ManyToManyField(
        "directory.Person", verbose_name=_("participants"), blank=True, related_name="investment_contacts"
    )
    organizations = models.ManyToManyField(
        "directory.Organization", verbose_name=_("organizations"), blank=True, related_name="investment_contacts"
    )
    notes = models.TextField(_("notes"), blank=True)
    next_steps = models.TextField(_("agreed next steps"), blank=True)

    park_path = "park"
    search_fields = ("subject", "notes")

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["agreement", "date"], name="contact_agreement_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} · {self.subject}"

    def clean(self) -> None:
        if not self.park_id:
            source = self.project if self.project_id else self.agreement if self.agreement_id else None
            if source is None:
                raise ValidationError({"park": _("Choose the park, a project or an agreement.")})
            self.park_id = source.park_id
        errors = {}
        if self.project_id and self.project.park_id != self.park_id:
            errors["project"] = _("This project is aimed at another park.")
        if self.agreement_id and self.agreement.park_id != self.park_id:
            errors["agreement"] = _("This agreement belongs to another park.")
        if errors:
            raise ValidationError(errors)


class FollowUpTask(PrimaryModel):
    """A follow-up agreed at a contact, with an owner and a due date."""

    contact = models.ForeignKey(Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="tasks")
    description = models.CharField(_("task"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="follow_up_tasks"
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    changelog_parent = "contact"
    park_path = "contact__park"
    search_fields = ("description", "contact__subject")
    in_global_search = False

    class Meta:
        ordering = ["done_on", "due_date", "pk"]
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")

    def __str__(self) -> str:
        return self.description

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_date is not None and self.due_date < timezone.localdate()


class AgreementDocument(PrimaryModel):
    """A file attached to an agreement: the signed text, an annex, a supplement."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="agreements/%Y/")

    changelog_parent = "agreement"
    park_path = "agreement__park"
    organization_path = "agreement__parties__organization"
    search_fields = ("title", "agreement__title")
    in_global_search = False

    class Meta:
        ordering = ["agreement", "title"]
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")

    def __str__(self) -> str:
        return self.title
