"""Evaluation models: indicator filings, schemes, runs and their results."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from parkos.core.fields import AreaField
from parkos.core.models import PrimaryModel, RestrictedQuerySet
from parkos.core.reversing import reverse_pk
from parkos.evaluation.outcomes import ResultStatus

#: square metres in one mu
M2_PER_MU = Decimal(10000) / Decimal(15)


class Source(models.TextChoices):
    """Where one value of a filing came from."""

    ENTERPRISE = "enterprise", _("enterprise filing")
    TAX = "tax", _("tax bureau")
    POWER = "power", _("power company")
    STATISTICS = "statistics", _("statistics bureau")
    LAND = "land", _("land bureau")
    STAFF = "staff", _("staff entry")


class LandRule(models.TextChoices):
    """How a filing's land area was determined."""

    OWN = "own", _("own land")
    LEASED_FLOOR_AREA = "leased_floor_area", _("apportioned from leased floor area")
    FILED_FLOOR_AREA = "filed_floor_area", _("apportioned from the filed floor area")
    FILED = "filed", _("as filed")


def _money(verbose_name):
    return models.DecimalField(verbose_name, max_digits=20, decimal_places=2, null=True, blank=True)


def _quantity(verbose_name, help_text=""):
    return models.DecimalField(
        verbose_name,
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=help_text,
    )


class IndicatorFilingQuerySet(RestrictedQuerySet["IndicatorFiling"]):
    def bulk_create(self, objs, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        """Filings written in bulk (the demo, benches) get their enterprise's sort name as ``save`` gives it."""
        objs = list(objs)
        missing = {f.organization_id for f in objs if not f.organization_name}
        if missing:
            from parkos.directory.models import Organization

            names = dict(Organization._base_manager.filter(pk__in=missing).values_list("pk", "name"))
            for filing in objs:
                if not filing.organization_name:
                    filing.organization_name = names.get(filing.organization_id, "")
        return super().bulk_create(objs, *args, **kwargs)


class IndicatorFiling(PrimaryModel):
    """One enterprise's figures for one year; every value may be missing and keeps its source in ``sources``."""

    #: the numeric fields the scoring engine reads, in the order forms and imports show them
    VALUE_FIELDS: ClassVar[tuple[str, ...]] = (
        "revenue",
        "industrial_output",
        "value_added",
        "tax",
        "rd_expenditure",
        "employees",
        "energy_tce",
        "electricity_kwh",
        "emissions_t",
        "land_area",
        "floor_area",
    )
    #: what an enterprise user may not set on its own filing: where it sits, how its land was found, incidents
    #: (and when production started: it can take an enterprise out of the evaluation)
    STAFF_ONLY: ClassVar[tuple[str, ...]] = ("park", "parcel", "land_rule", "major_incident", "production_start")

    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="indicator_filings",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    park = models.ForeignKey(
        "parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="indicator_filings"
    )
    parcel = models.ForeignKey(
        "parks.LandParcel",
        verbose_name=_("parcel"),
        on_delete=models.PROTECT,
        related_name="indicator_filings",
        null=True,
        blank=True,
        help_text=_("The parcel the enterprise uses (its own, or the one its leased building stands on)."),
    )
    revenue = _money(_("revenue (CNY)"))
    industrial_output = _money(_("industrial output (CNY)"))
    value_added = _money(_("value added (CNY)"))
    tax = _money(_("tax paid (CNY)"))
    rd_expenditure = _money(_("R&D spending (CNY)"))
    employees = models.PositiveIntegerField(_("average employees"), null=True, blank=True)
    energy_tce = _quantity(_("energy use (tce)"), _("Tonnes of standard coal equivalent."))
    electricity_kwh = _quantity(_("electricity use (kWh)"))
    emissions_t = _quantity(_("main pollutant emissions (t)"))
    land_area = AreaField(_("land area used"), null=True, blank=True)
    floor_area = AreaField(_("floor area used"), null=True, blank=True)
    sources = models.JSONField(
        _("sources"), default=dict, blank=True, help_text=_("Field name -> where its value came from.")
    )
    above_size_threshold = models.BooleanField(_("above the statistical size threshold"), default=False)
    major_incident = models.BooleanField(_("major safety or environmental incident"), default=False)
    is_tenant = models.BooleanField(_("tenant without land of its own"), default=False)
    land_rule = models.CharField(
        _("land rule"), max_length=20, choices=LandRule.choices, default=LandRule.FILED, blank=True
    )
    production_start = models.DateField(
        _("production started"),
        null=True,
        blank=True,
        help_text=_(
            "The date production started (or the land was granted, as the district counts it). Schemes that"
            " count years in production use the enterprise's founding date when this is empty, and say so."
        ),
    )
    note = models.TextField(_("note"), blank=True)
    #: the enterprise's name, copied so that the list's default order (year, enterprise) is served by an index
    #: rather than by sorting every filing joined to its enterprise; kept by ``save``, ``bulk_create`` and the
    #: enterprise's own save (evaluation.signals)
    organization_name = models.CharField(_("enterprise name"), max_length=200, blank=True, editable=False)

    objects = IndicatorFilingQuerySet.as_manager()

    park_path = "park"
    organization_path = "organization"
    search_fields = ("organization__credit_code", "organization__name", "park__name")
    #: a copy of the enterprise's name, not a value of the filing
    changelog_exclude = (*PrimaryModel.changelog_exclude, "organization_name")
    #: the global search indexes names and codes; a filing has none of its own: it is found through its enterprise
    in_global_search = False
    #: a filter matching many filings (an evaluation officer's parks: 194,139 of 608,946, counted in 1,281 ms) is
    #: estimated, not counted (core.pagination); one year's filings are counted exactly (tables.FilingCountPaginator)
    estimate_filtered_count = True

    class Meta:
        # the enterprise's name as copied on the filing: the same order as the enterprise's own name, from the index
        ordering = ["-year", "organization_name", "pk"]
        verbose_name = _("indicator filing")
        verbose_name_plural = _("indicator filings")
        constraints = [models.UniqueConstraint("organization", "year", name="indicatorfiling_one_per_year")]
        indexes = [models.Index(fields=["-year", "organization_name", "id"], name="indicatorfiling_list")]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        """Copy the enterprise's name (the list's order) whenever the filing is written."""
        if self.organization_id is not None:
            field = type(self).organization.field
            if field.is_cached(self) and self.organization.pk == self.organization_id:
                self.organization_name = self.organization.name
            else:
                from parkos.directory.models import Organization

                self.organization_name = (
                    Organization._base_manager.filter(pk=self.organization_id).values_list("name", flat=True).first()
                    or ""
                )
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "organization_name" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "organization_name"]
        super().save(*args, **kwargs)

    @property
    def land_mu(self) -> Decimal | None:
        return None if self.land_area is None else self.land_area / M2_PER_MU

    def clean(self) -> None:
        super().clean()
        if self.parcel_id and self.park_id and self.parcel.park_id != self.park_id:
            raise ValidationError(
                {"parcel": _("This parcel is in another park; choose a parcel of the filing's park.")}
            )
        unknown = {
            name: source
            for name, source in (self.sources or {}).items()
            if name not in self.VALUE_FIELDS or source not in Source.values
        }
        if not isinstance(self.sources, dict) or unknown:
            raise ValidationError(
                {
                    "sources": _("Give a map of field name to source (%(sources)s); not understood: %(bad)s.")
                    % {"sources": ", ".join(Source.values), "bad": ", ".join(map(str, unknown)) or self.sources}
                }
            )


class EvaluationScheme(PrimaryModel):
    """One version of an evaluation method, as data: its ``definition`` is a scheme.Scheme in JSON."""

    #: read from the definition's key and version on every save
    name = models.CharField(
        _("name"),
        max_length=60,
        blank=True,
        help_text=_("A short key, e.g. zhejiang_above_threshold; versions share it."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    definition = models.JSONField(
        _("definition"), help_text=_("The scheme in JSON (see the exported default schemes).")
    )

    shared_with_staff = True
    search_fields = ("name", "title")
    few_rows = True

    class Meta:
        ordering = ["name", "-version"]
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")
        constraints = [models.UniqueConstraint("name", "version", name="evaluationscheme_unique_version")]

    def __str__(self) -> str:
        return f"{self.title or self.name} v{self.version}"

    def scheme(self):
        """The definition as a validated scheme.Scheme (SchemeError names the part at fault)."""
        from parkos.evaluation.scheme import Scheme

        return Scheme.from_dict(dict(self.definition))

    def clean(self) -> None:
        super().clean()
        from parkos.evaluation.scheme import SchemeError

        if not isinstance(self.definition, dict):
            raise ValidationError({"definition": _("The definition must be a JSON object.")})
        try:
            scheme = self.scheme()
        except (SchemeError, TypeError) as exc:
            raise ValidationError({"definition": str(exc)}) from exc
        self.name, self.version = scheme.key, scheme.version
        self.title = self.title or scheme.name[:200]
        self.description = self.description or scheme.description


class ScopedModel(models.Model):
    """A computed record (runs and their results): scoped like a PrimaryModel, but not edited by people.

    Results are bulk-inserted by the hundred thousand, so they carry no change log; the run that
    wrote them is the record of who computed what from which inputs.
    """

    park_path: ClassVar[str | None] = None
    organization_path: ClassVar[str | None] = None
    shared_with_staff: ClassVar[bool] = False
    shared_with_all: ClassVar[bool] = False

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True


class EvaluationRun(ScopedModel):
    """One scheme version applied to one year's filings; its results never change once it is done."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    scheme = models.ForeignKey(
        EvaluationScheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="runs"
    )
    scheme_version = models.PositiveIntegerField(_("scheme version"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, validators=[MaxValueValidator(100)])
    filings = models.PositiveIntegerField(_("filings read"), default=0)
    evaluated = models.PositiveIntegerField(_("enterprises evaluated"), default=0)
    graded = models.PositiveIntegerField(_("enterprises graded"), default=0)
    grade_counts = models.JSONField(_("grade counts"), default=dict, blank=True)
    fingerprint = models.CharField(_("input fingerprint"), max_length=64, blank=True)
    #: where previous-year benchmarks came from: {"year": 2023, "filings": 812} and/or {"run": 41, ...}
    benchmark_sources = models.JSONField(_("benchmark sources"), default=dict, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    #: stamped by the process computing the run while it lives (core.heartbeat)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True, editable=False)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.SET_NULL, null=True, blank=True
    )

    shared_with_staff = True

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("evaluation run")
        verbose_name_plural = _("evaluation runs")

    def __str__(self) -> str:
        return f"{self.scheme} · {self.year} · #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse_pk("evaluation:evaluationrun", self.pk)  # reversed once per URL name (core.reversing)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class EvaluationResult(ScopedModel):
    """One enterprise's outcome in one run: every indicator's value, benchmark and score, the total, rank and grade."""

    Status = ResultStatus

    # run: no index of its own, evalresult_run_org starts with it. cohort and grade: none either, a few values
    # each over millions of rows (run_id comes first in every read); each index cost a run of 700,000 results
    # about 1 s of PostgreSQL's CPU to keep up (bench/RESULTS.md, "Evaluation end to end on PostgreSQL")
    run = models.ForeignKey(
        EvaluationRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="results", db_index=False
    )
    organization = models.ForeignKey(
        "directory.Organization", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    park = models.ForeignKey("parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="+")
    filing = models.ForeignKey(
        IndicatorFiling, verbose_name=_("filing"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cohort = models.CharField(_("cohort"), max_length=60)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    #: why not graded / vetoed: the category or veto key of the scheme
    reason = models.CharField(_("reason"), max_length=60, blank=True)
    #: indicator key -> {"value", "benchmark" (or "floor", "ceiling"), "score"}
    indicators = models.JSONField(_("indicators"), default=dict)
    adjustments = models.JSONField(_("bonus and penalty points"), default=dict)
    #: empty when not evaluated (a not-evaluated category gets no score)
    total = models.FloatField(_("total score"), null=True)
    rank = models.PositiveIntegerField(_("rank in cohort"), null=True)
    cohort_size = models.PositiveIntegerField(_("cohort size"), null=True)
    grade = models.CharField(_("grade"), max_length=10, blank=True)
    #: the area the enterprise was ranked within (schemes that rank within a county, district or park)
    area = models.CharField(_("ranked within"), max_length=100, blank=True)
    #: how a rule reached the outcome: {"graded_with": {"cohort", "rank", "size"}, "production_start": date,
    #: "production_start_fallback": true} (only what applies)
    details = models.JSONField(_("details"), default=dict, blank=True)
    land_mu = models.FloatField(_("land (mu)"), null=True)
    tax = models.FloatField(_("tax"), null=True)
    value_added = models.FloatField(_("value added"), null=True)
    industrial_output = models.FloatField(_("industrial output"), null=True)

    park_path = "park"
    organization_path = "organization"
    #: a filter matching many of 2,000,000 results (a manager's parks: 901,680) is estimated, not counted
    #: (core.pagination; within 10 % for each role's list at 2,000,000 results); one run's results are counted
    #: exactly (tables.ResultCountPaginator)
    estimate_filtered_count = True

    class Meta:
        # the newest run first (by its id: ordering by "run" would sort by the run's own ordering, a join that
        # sorts the whole results table on every view); evalresult_list serves this order
        ordering = ["-run_id", "cohort", "rank", "organization_id"]
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        indexes = [
            models.Index(fields=["run", "organization"], name="evalresult_run_org"),
            models.Index(fields=["-run", "cohort", "rank", "organization"], name="evalresult_list"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.run.year} · {self.grade or self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse_pk("evaluation:evaluationresult", self.pk)


class RunBenchmark(ScopedModel):
    """One benchmark a run compared its enterprises with: per cohort (and area) and indicator, and whence it came."""

    #: the columns the API and the spreadsheet read out, in order
    READ_OUT_FIELDS: ClassVar[tuple[str, ...]] = (
        "cohort",
        "area",
        "indicator",
        "role",
        "kind",
        "basis",
        "value",
        "year",
        "source_run",
        "fallback",
    )

    class Role(models.TextChoices):
        BENCHMARK = "benchmark", _("benchmark")
        FLOOR = "floor", _("floor")
        CEILING = "ceiling", _("ceiling")

    run = models.ForeignKey(EvaluationRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="benchmarks")
    cohort = models.CharField(_("cohort"), max_length=60)
    area = models.CharField(_("ranked within"), max_length=100, blank=True)
    indicator = models.CharField(_("indicator"), max_length=60)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.BENCHMARK)
    kind = models.CharField(_("statistic"), max_length=12)
    basis = models.CharField(_("basis"), max_length=24)
    value = models.FloatField(_("value"), null=True)
    #: the year whose figures gave the value, and the run when they came from a previous run
    year = models.PositiveSmallIntegerField(_("figures of year"), null=True)
    source_run = models.ForeignKey(
        EvaluationRun,
        verbose_name=_("from run"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    fallback = models.BooleanField(_("this year's figures used instead"), default=False)

    shared_with_staff = True

    class Meta:
        ordering = ["run", "cohort", "area", "indicator", "role"]
        verbose_name = _("run benchmark")
        verbose_name_plural = _("run benchmarks")

    def __str__(self) -> str:
        return f"{self.run_id} {self.cohort} {self.indicator} {self.role}"


class AreaResult(ScopedModel):
    """Economic density and grade mix of one parcel, park, brand or district in one run (totals over totals)."""

    class Level(models.TextChoices):
        PARCEL = "parcel", _("parcel")
        PARK = "park", _("park")
        BRAND = "brand", _("brand")
        DISTRICT = "district", _("district")

    run = models.ForeignKey(EvaluationRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="areas")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    key = models.CharField(_("key"), max_length=100)
    label = models.CharField(_("name"), max_length=200)
    #: the park of a parcel or park row, for scoping; brand and district rows span parks
    park = models.ForeignKey(
        "parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="+", null=True
    )
    enterprises = models.PositiveIntegerField(_("enterprises"))
    land_mu = models.FloatField(_("land (mu)"), null=True)
    tax = models.FloatField(_("tax"), null=True)
    value_added = models.FloatField(_("value added"), null=True)
    industrial_output = models.FloatField(_("industrial output"), null=True)
    tax_per_mu = models.FloatField(_("tax per mu"), null=True)
    value_added_per_mu = models.FloatField(_("value added per mu"), null=True)
    industrial_output_per_mu = models.FloatField(_("output per mu"), null=True)
    grade_mix = models.JSONField(_("grade mix"), default=dict)

    park_path = "park"

    class Meta:
        ordering = ["run", "level", "label"]
        verbose_name = _("area result")
        verbose_name_plural = _("area results")
        constraints = [models.UniqueConstraint("run", "level", "key", name="arearesult_unique_key")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.label}"


class Appeal(PrimaryModel):
    """An enterprise's objection to its result; an officer accepts it (fixes the filing, re-runs) or rejects it."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    result = models.ForeignKey(
        EvaluationResult, verbose_name=_("result"), on_delete=models.PROTECT, related_name="appeals"
    )
    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    park = models.ForeignKey(
        "parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    reason = models.TextField(_("reason"), help_text=_("Which figure or rule is wrong, and why."))
    evidence = models.FileField(_("evidence"), upload_to="appeals/%Y/", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    decision = models.TextField(_("decision"), blank=True, help_text=_("What the officer decided, and why."))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    decided_on = models.DateTimeField(_("decided on"), null=True, blank=True, editable=False)
    rerun = models.ForeignKey(
        EvaluationRun,
        verbose_name=_("re-run"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    park_path = "park"
    organization_path = "organization"
    search_fields = ("reason", "organization__name", "organization__credit_code")
    in_global_search = False  # no name or code of its own: found through its enterprise and its list

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"{self.organization} · {self.result.run.year} · {self.get_status_display()}"

    def save(self, *args, **kwargs):
        # the appeal belongs where its result does: the enterprise and park that see it
        if self.result_id:
            self.organization_id, self.park_id = self.result.organization_id, self.result.park_id
        super().save(*args, **kwargs)
