"""Leases and sales of space units: the contracts that occupancy, vacancy and "area leased and sold" come from.

Which contracts hold a unit, and when, is decided in one place: ``Lease.HOLDING`` / ``Sale.HOLDING`` and
``Lease.effective_end`` here, read by ``services.unit_clashes`` (the overlap rule) and by the selectors
(occupancy, rent roll, vacancy board).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from parkos.core.fields import AreaField, CurrencyField, MoneyAmountField
from parkos.core.models import PrimaryModel
from parkos.core.units import Money, MoneyProperty

#: average days per month, for the monthly equivalent of a daily rent (365 / 12)
DAYS_PER_MONTH = Decimal(365) / Decimal(12)


class RentBasis(models.TextChoices):
    PER_M2_DAY = "m2_day", _("per m² per day")
    PER_M2_MONTH = "m2_month", _("per m² per month")
    PER_MONTH = "month", _("per month in total")


def monthly_rent(amount: Decimal | None, basis: str, area: Decimal | None) -> Decimal | None:
    """The rent for one month of ``area`` at ``amount`` on ``basis`` (a day is 1/365 of a year)."""
    if amount is None:
        return None
    if basis == RentBasis.PER_MONTH:
        return Decimal(amount)
    area = Decimal(area or 0)
    if basis == RentBasis.PER_M2_DAY:
        return (Decimal(amount) * area * DAYS_PER_MONTH).quantize(Decimal("0.01"))
    return (Decimal(amount) * area).quantize(Decimal("0.01"))


class Lease(PrimaryModel):
    """A lease of one or more space units of one park to a tenant.

    A lease holds its units (for the overlap rule and for occupancy) from ``start_date`` to
    ``effective_end`` while its status is in ``HOLDING``: signed, in force, expired, renewed, and
    terminated early (until the termination date). An intent holds nothing. Expired and renewed
    leases keep holding their past dates, so occupancy at a past date counts them.
    """

    class Status(models.TextChoices):
        INTENT = "intent", _("Intent")
        SIGNED = "signed", _("Signed")
        IN_FORCE = "in_force", _("In force")
        EXPIRED = "expired", _("Expired")
        TERMINATED = "terminated", _("Terminated early")
        RENEWED = "renewed", _("Renewed")

    HOLDING = (Status.SIGNED, Status.IN_FORCE, Status.EXPIRED, Status.TERMINATED, Status.RENEWED)
    #: the statuses of a lease that is still running (expiry alerts, renew and terminate actions)
    ACTIVE = (Status.SIGNED, Status.IN_FORCE)

    reference = models.CharField(_("contract number"), max_length=60, blank=True, db_index=True)
    tenant = models.ForeignKey(
        "directory.Organization", verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="leases"
    )
    units = models.ManyToManyField(
        "parks.SpaceUnit",
        verbose_name=_("space units"),
        related_name="leases",
        help_text=_("One or more units, all in the same park."),
    )
    park = models.ForeignKey(
        "parks.Park",
        verbose_name=_("park"),
        on_delete=models.PROTECT,
        related_name="leases",
        editable=False,
        help_text=_("The park of the units (set from them)."),
    )
    leased_area = AreaField(
        _("leased area"), null=True, blank=True, help_text=_("Left empty: the total area of the units.")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Empty: open-ended."))
    rent_amount = MoneyAmountField(_("rent"), validators=[MinValueValidator(Decimal(0))])
    rent_basis = models.CharField(
        _("rent basis"), max_length=10, choices=RentBasis.choices, default=RentBasis.PER_M2_DAY
    )
    currency = CurrencyField(_("currency"))
    deposit_amount = MoneyAmountField(_("deposit"), null=True, blank=True, validators=[MinValueValidator(Decimal(0))])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SIGNED)
    terminated_on = models.DateField(
        _("terminated on"), null=True, blank=True, help_text=_("The last day the tenant held the units.")
    )
    termination_reason = models.TextField(_("termination reason"), blank=True)
    renewal_of = models.ForeignKey(
        "self",
        verbose_name=_("renewal of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewals",
    )
    #: the last day the lease holds its units (terminated_on when terminated early, else end_date; None: open-ended)
    effective_end = models.DateField(_("holds units until"), null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    park_path = "park"
    organization_path = "tenant"
    search_fields = ("reference", "tenant__name", "units__code")

    rent = MoneyProperty("rent_amount", "currency")
    deposit = MoneyProperty("deposit_amount", "currency")

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("lease")
        verbose_name_plural = _("leases")
        indexes = [
            # occupancy, rent roll and expiry alerts: holding leases of a park around a date
            models.Index(fields=["park", "status", "start_date", "effective_end"], name="lease_park_dates"),
            models.Index(fields=["effective_end"], name="lease_effective_end"),
            # the lease list's default order (Meta.ordering): its first page without sorting every lease (issue 16)
            models.Index(fields=["-start_date", "-id"], name="lease_list"),
            # the figures' new tenants: whether a tenant has a holding lease before a day, one probe per lease
            # (issue 16); the condition is HOLDING (tests/test_pages_flat.py checks it)
            models.Index(
                fields=["tenant", "start_date"],
                condition=models.Q(status__in=["signed", "in_force", "expired", "terminated", "renewed"]),
                name="lease_tenant_first",
            ),
            # the park manager's home: its parks' active leases ending within six months, counted from the index
            # alone (issue 16); the condition is ACTIVE (tests/test_unit_count.py checks it)
            models.Index(
                fields=["park", "effective_end", "id"],
                condition=models.Q(status__in=["signed", "in_force"]),
                name="lease_park_expiring",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or _("Lease #%(pk)s") % {"pk": self.pk}

    def save(self, *args, **kwargs):
        self.effective_end = self.compute_effective_end()
        super().save(*args, **kwargs)

    def compute_effective_end(self) -> datetime.date | None:
        if self.status == self.Status.TERMINATED and self.terminated_on:
            return self.terminated_on
        return self.end_date

    @property
    def holds_units(self) -> bool:
        return self.status in self.HOLDING

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    def rent_on(self, date: datetime.date) -> Money:
        """The rent on ``date``: the rent term covering it, else the lease's base rent."""
        term = (
            self.rent_terms.filter(start_date__lte=date)
            .filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=date))
            .order_by("-start_date", "-pk")
            .first()
        )
        return Money(term.rent_amount if term else self.rent_amount, self.currency)

    def monthly_rent_on(self, date: datetime.date) -> Decimal | None:
        return monthly_rent(self.rent_on(date).amount, self.rent_basis, self.leased_area)

    def clean(self) -> None:
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("The lease ends before it starts: make the end date on or after the start date.")
        if self.status == self.Status.TERMINATED:
            if not self.terminated_on:
                errors["terminated_on"] = _("A lease terminated early needs the date it was terminated on.")
            if not self.termination_reason.strip():
                errors["termination_reason"] = _("Say why the lease was terminated early.")
        if self.terminated_on and self.start_date and self.terminated_on < self.start_date:
            errors["terminated_on"] = _("The termination date is before the lease starts.")
        if self.terminated_on and self.end_date and self.terminated_on > self.end_date:
            errors["terminated_on"] = _("The termination date is after the lease's end date.")
        if self.terminated_on and self.status != self.Status.TERMINATED:
            errors["status"] = _("A lease with a termination date has the status 'Terminated early'.")
        if self.renewal_of_id and self.pk and self.renewal_of_id == self.pk:
            errors["renewal_of"] = _("A lease cannot renew itself.")
        if errors:
            raise ValidationError(errors)


class RentTerm(PrimaryModel):
    """A period of a lease with its own rent: a stepped increase, or a free-rent period (rent 0)."""

    lease = models.ForeignKey(Lease, verbose_name=_("lease"), on_delete=models.CASCADE, related_name="rent_terms")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty: to the end of the lease."))
    rent_amount = MoneyAmountField(
        _("rent"),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("On the lease's rent basis and currency; 0 for a free-rent period."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    park_path = "lease__park"
    organization_path = "lease__tenant"
    changelog_parent = "lease"
    search_fields = ("note", "lease__reference", "lease__tenant__name")

    class Meta:
        ordering = ["lease", "start_date"]
        verbose_name = _("rent term")
        verbose_name_plural = _("rent terms")
        indexes = [models.Index(fields=["lease", "start_date"], name="rentterm_lease_start")]

    def __str__(self) -> str:
        end = self.end_date.isoformat() if self.end_date else "…"
        return f"{self.lease} {self.start_date:%Y-%m-%d}–{end}"

    def clean(self) -> None:
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("The term ends before it starts.")
        if self.lease_id and self.start_date:
            lease = self.lease
            if self.start_date < lease.start_date or (lease.end_date and self.start_date > lease.end_date):
                errors["start_date"] = _("The term must start within the lease (%(start)s to %(end)s).") % {
                    "start": lease.start_date,
                    "end": lease.end_date or "…",
                }
            elif self.start_date and not errors:
                end = self.end_date or datetime.date.max
                overlapping = (
                    RentTerm.objects.filter(lease_id=self.lease_id, start_date__lte=end)
                    .filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=self.start_date))
                    .exclude(pk=self.pk)
                    .first()
                )
                if overlapping is not None:
                    errors["start_date"] = _("This term overlaps the term %(term)s of the same lease.") % {
                        "term": overlapping
                    }
        if errors:
            raise ValidationError(errors)


class Sale(PrimaryModel):
    """A sale of space units, or of a whole building, to a buyer.

    A signed or completed sale holds its units (all units of the building, for a building sale) from the
    contract date on, for good.
    """

    class Status(models.TextChoices):
        INTENT = "intent", _("Intent")
        SIGNED = "signed", _("Signed")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    HOLDING = (Status.SIGNED, Status.COMPLETED)

    reference = models.CharField(_("contract number"), max_length=60, blank=True, db_index=True)
    buyer = models.ForeignKey(
        "directory.Organization", verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="purchases"
    )
    units = models.ManyToManyField(
        "parks.SpaceUnit",
        verbose_name=_("space units"),
        related_name="sales",
        blank=True,
        help_text=_("The units sold; leave empty when the whole building is sold."),
    )
    building = models.ForeignKey(
        "parks.Building",
        verbose_name=_("building"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sales",
        help_text=_("Set when the whole building is sold."),
    )
    park = models.ForeignKey(
        "parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="sales", editable=False
    )
    area = AreaField(_("area"), null=True, blank=True, help_text=_("Left empty: the area of the units or building."))
    price_amount = MoneyAmountField(_("price"), validators=[MinValueValidator(Decimal(0))])
    price_currency = CurrencyField(_("currency"))
    contract_date = models.DateField(_("contract date"))
    transfer_date = models.DateField(_("transfer date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SIGNED)
    notes = models.TextField(_("notes"), blank=True)

    park_path = "park"
    organization_path = "buyer"
    search_fields = ("reference", "buyer__name", "units__code", "building__code")

    price = MoneyProperty("price_amount", "price_currency")

    class Meta:
        ordering = ["-contract_date", "-pk"]
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        indexes = [models.Index(fields=["park", "status", "contract_date"], name="sale_park_dates")]

    def __str__(self) -> str:
        return self.reference or _("Sale #%(pk)s") % {"pk": self.pk}

    @property
    def holds_units(self) -> bool:
        return self.status in self.HOLDING

    def clean(self) -> None:
        if self.transfer_date and self.contract_date and self.transfer_date < self.contract_date:
            raise ValidationError({"transfer_date": _("The transfer date is before the contract date.")})


class ParkOccupancyState(models.Model):
    """Whether a park's stored occupancy (``ParkOccupancy``) is current: every write that can change it bumps
    ``version`` (parkos.leasing.stored); the rows were computed from the data as of version ``computed``."""

    park = models.OneToOneField(
        "parks.Park", primary_key=True, on_delete=models.CASCADE, related_name="leasing_occupancy_state"
    )
    version = models.PositiveIntegerField(default=0)
    computed = models.IntegerField(default=-1)

    class Meta:
        verbose_name = _("stored occupancy state")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.park_id} v{self.version} ({self.computed})"


class ParkOccupancy(models.Model):
    """A park's occupancy from ``since`` until the park's next row: the units' lettable area (as they are now),
    and the area and units a lease holds or (not leased) a sale holds. One row per day the figures change, from
    ``date.min``; occupancy on a date is the park's last row on or before it (parkos.leasing.stored)."""

    park = models.ForeignKey("parks.Park", on_delete=models.CASCADE, related_name="+")
    since = models.DateField()
    lettable = models.DecimalField(max_digits=20, decimal_places=2)
    units = models.PositiveIntegerField()
    buildings = models.PositiveIntegerField()
    leased = models.DecimalField(max_digits=20, decimal_places=2)
    leased_units = models.PositiveIntegerField()
    sold = models.DecimalField(max_digits=20, decimal_places=2)
    sold_units = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("stored occupancy")
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["park", "since"], name="parkoccupancy_park_since")]

    def __str__(self) -> str:
        return f"{self.park_id} {self.since}"
