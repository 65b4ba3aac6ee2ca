"""The directory: organizations (with their aliases), people, their positions, and the industry tree."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from parkos.core.actors import Actor
from parkos.core.fields import CurrencyField, MoneyAmountField
from parkos.core.models import PrimaryModel
from parkos.core.units import MoneyProperty
from parkos.directory.validators import validate_credit_code


class Industry(PrimaryModel):
    """A node of the industry taxonomy; ``tree_path`` ('IC/IC-DES/') makes subtree filters one LIKE."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    national_code = models.CharField(
        _("national classification code"),
        max_length=20,
        blank=True,
        help_text=_("Code in GB/T 4754 (Industrial classification for national economic activities)."),
    )
    tree_path = models.CharField(_("tree path"), max_length=500, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(_("level"), editable=False, default=0)

    shared_with_staff = True
    few_rows = True
    search_fields = ("code", "name", "name_en", "national_code")

    class Meta:
        ordering = ["tree_path"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        node = self.parent
        while node is not None:
            if node.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("An industry cannot sit under itself or its own sub-industry.")})
            node = node.parent

    def save(self, *args, **kwargs) -> None:
        old_path = self.tree_path
        self.tree_path = (self.parent.tree_path if self.parent else "") + f"{self.code}/"
        self.depth = self.parent.depth + 1 if self.parent else 0
        super().save(*args, **kwargs)
        if old_path and old_path != self.tree_path:
            for child in self.children.all():
                child.save()  # each child recomputes its own path, recursively

    def subtree(self):
        return Industry.objects.filter(tree_path__startswith=self.tree_path)


class Organization(PrimaryModel):
    """Any legal body: an enterprise, a government body, a park operator, a university, ..."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        GOVERNMENT = "government", _("Government body")
        PARK_OPERATOR = "park_operator", _("Park operator")
        UNIVERSITY = "university", _("University / research institute")
        HOSPITAL = "hospital", _("Hospital")
        FINANCIAL = "financial", _("Financial institution")
        ASSOCIATION = "association", _("Association")
        OTHER = "other", _("Other")

    class Ownership(models.TextChoices):
        STATE_OWNED = "state_owned", _("State-owned")
        PRIVATE = "private", _("Private")
        FOREIGN_INVESTED = "foreign_invested", _("Foreign-invested")
        JOINT = "joint", _("Joint venture")

    name = models.CharField(_("name"), max_length=200, db_index=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ENTERPRISE, db_index=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_credit_code],
        help_text=_("18 characters, the last a check character (GB 32100-2015)."),
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
    )
    ownership = models.CharField(_("ownership"), max_length=20, choices=Ownership.choices, blank=True)
    district = models.CharField(_("district"), max_length=50, blank=True, db_index=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    established = models.DateField(_("established"), null=True, blank=True)
    registered_capital_amount = MoneyAmountField(_("registered capital"), null=True, blank=True)
    registered_capital_currency = CurrencyField(_("registered capital currency"), blank=True)
    is_listed = models.BooleanField(_("listed"), default=False)
    is_fortune_global_500 = models.BooleanField(_("Fortune Global 500"), default=False)
    is_unicorn = models.BooleanField(_("unicorn"), default=False)
    is_high_tech = models.BooleanField(_("high-tech enterprise"), default=False)
    is_srdi = models.BooleanField(
        _("SRDI"),
        default=False,
        help_text=_("Specialized, sophisticated, distinctive and innovative (专精特新)."),
    )
    description = models.TextField(_("description"), blank=True)

    registered_capital = MoneyProperty("registered_capital_amount", "registered_capital_currency")

    shared_with_staff = True
    organization_path = ""
    search_fields = ("name", "name_en", "credit_code", "aliases__name")
    #: a search or filter matching many of a million organizations is estimated, not counted (core.pagination)
    estimate_filtered_count = True

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        indexes = [
            models.Index(fields=["industry", "name"], name="organization_industry_name"),
            # The enterprise list and API (kind filter, sorted by name) read this index in order and check
            # the industry without touching the table; bench/RESULTS.md has the query plans.
            models.Index(fields=["kind", "name", "industry"], name="organization_kind_name"),
            # Counting an industry subtree's enterprises (the paginator's COUNT) reads only this index.
            models.Index(fields=["industry", "kind"], name="organization_industry_kind"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def search_filter(cls, text: str, user: Actor | None, fields: Sequence[str] | None = None) -> models.Q:
        """The list's search through the global search index: at 1,000,000 organizations an ``icontains`` of
        four columns read the whole table (2.6 s); the index answers in milliseconds (bench/RESULTS.md,
        "bigdata-1m"). A query the index cannot answer (one character) falls back to ``icontains``."""
        if fields is None:
            from parkos.core.search import indexed_filter

            indexed = indexed_filter(cls, text, user)
            if indexed is not None:
                return indexed
        return super().search_filter(text, user, fields)

    def clean(self) -> None:
        if self.credit_code:
            self.credit_code = self.credit_code.strip().upper()
        if self.kind != self.Kind.ENTERPRISE:
            flags = [
                f
                for f in ("is_listed", "is_fortune_global_500", "is_unicorn", "is_high_tech", "is_srdi")
                if getattr(self, f)
            ]
            if flags:
                raise ValidationError({f: _("Only enterprises carry this flag.") for f in flags})
        if self.registered_capital_amount is not None and not self.registered_capital_currency:
            raise ValidationError({"registered_capital_currency": _("Give the currency of the registered capital.")})


class OrganizationAlias(PrimaryModel):
    """Another way the organization is written: a short name, a former name, an English name."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("alias"), max_length=200, db_index=True)

    changelog_parent = "organization"
    shared_with_staff = True
    organization_path = "organization"
    search_fields = ("name", "organization__name")
    in_global_search = False  # the organization's own search looks through its aliases

    class Meta:
        ordering = ["organization", "name"]
        verbose_name = _("organization alias")
        verbose_name_plural = _("organization aliases")
        constraints = [
            models.UniqueConstraint(
                "organization",
                Upper("name"),
                name="organizationalias_unique_per_organization",
                violation_error_message=_("This organization already has this alias."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Person(PrimaryModel):
    """A person; two people may share a name, so positions tell them apart."""

    name = models.CharField(_("name"), max_length=100, db_index=True)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    shared_with_staff = True
    organization_path = "positions__organization"
    search_fields = ("name", "name_en", "email")

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name


class Position(PrimaryModel):
    """A title a person holds (or held) at an organization, e.g. 'Deputy District Governor'."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="positions")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="positions"
    )
    title = models.CharField(pgettext_lazy("position held", "title"), max_length=200)  # 职务, not a heading
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    changelog_parent = "person"
    shared_with_staff = True
    organization_path = "organization"
    in_global_search = False  # found through the person and the organization
    search_fields = ("title", "title_en", "person__name", "organization__name")

    class Meta:
        ordering = ["person", "-start_date", "pk"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return f"{self.person} · {self.title} · {self.organization}"

    @property
    def is_current(self) -> bool:
        from django.utils import timezone

        return self.end_date is None or self.end_date >= timezone.localdate()

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
