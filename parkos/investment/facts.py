"""The facts a commitment's actual value comes from, read in bulk for many commitments at once.

Each measure (``Commitment.MEASURE_SOURCES``) maps to one source:

- indicator filings (``evaluation.IndicatorFiling``) of the party's organization in the agreement's park:
  annual output (industrial output, else revenue), tax, tax per mu (tax / land area in mu), jobs (average
  employees), R&D share (R&D spending / revenue, in %), value added; per year, summed over the years
  for a cumulative basis, divided by the filing's land in mu for a per-mu basis;
- leases and sales (``leasing``): the floor area the party's organization holds under leases in the
  agreement's park on the date, and the floor area it bought there (signed or completed sales) by the date;
- the project's stage history (``StageChange`` of the agreement's project): the first date it reached
  construction (or any later stage) and operation;
- hand-entered progress records for everything else, and for a computed measure only where its source
  has no figure.

Every reader here takes the whole batch and runs a fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _t

from parkos.core.units import M2_PER_MU
from parkos.investment.models import STAGE_ORDER, Commitment, CommitmentCheck, Progress, Stage, StageChange

K = Commitment.Kind
#: the filing fields a filing measure reads: the value, and the divisor of a share (R&D / revenue)
FILING_FIELDS: dict[str, tuple[str, ...]] = {
    K.ANNUAL_OUTPUT: ("industrial_output", "revenue"),  # output, else revenue when no output was filed
    K.ANNUAL_TAX: ("tax",),
    K.TAX_PER_MU: ("tax",),
    K.JOBS: ("employees",),
    K.RD_SHARE: ("rd_expenditure",),
    K.VALUE_ADDED: ("value_added",),
}
#: measures that are a flow over the year: a partial year in production pro-rates their target
FLOW_KINDS = (K.ANNUAL_OUTPUT, K.ANNUAL_TAX, K.TAX_PER_MU, K.VALUE_ADDED)
#: the stage a stage measure waits for; any later stage of the pipeline counts as having reached it
STAGE_OF = {K.CONSTRUCTION_STARTED: Stage.UNDER_CONSTRUCTION, K.IN_OPERATION: Stage.IN_OPERATION}
FILING_COLUMNS = (
    "pk",
    "organization_id",
    "park_id",
    "year",
    "industrial_output",
    "revenue",
    "tax",
    "employees",
    "rd_expenditure",
    "value_added",
    "land_area",
    "production_start",
)


@dataclass
class Fact:
    """One figure for one commitment: its value (None: no figure), where it came from, and as of when."""

    value: Decimal | None
    source: str
    field: str = ""
    date: datetime.date | None = None
    reached_on: datetime.date | None = None
    #: the share of the year the enterprise produced (a filing whose production started that year)
    production_share: Decimal | None = None


NO_FIGURE = Fact(None, CommitmentCheck.Source.NONE)


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


class Facts:
    """The facts for a batch of commitments up to ``as_of`` in ``year``: read once, looked up per commitment."""

    def __init__(self, commitments: list[Commitment], *, year: int, as_of: datetime.date) -> None:
        self.year, self.as_of = year, as_of
        by_source: dict[str, list[Commitment]] = defaultdict(list)
        for c in commitments:
            by_source[c.measure_source].append(c)
        self.filings = self._filings(by_source[Commitment.Source.FILING])
        self.leased, self.bought = self._areas(by_source[Commitment.Source.LEASING])
        self.stages = self._stages(by_source[Commitment.Source.STAGE])
        self.progress = self._progress(commitments)

    # -- reads (one or two queries each, whatever the number of commitments) -------------------------

    def _filings(self, commitments: list[Commitment]) -> dict[tuple[int, int], list[dict]]:
        """(organization, year) -> its filings (the agreement's park first), for the years counted."""
        if not commitments:
            return {}
        from parkos.evaluation.models import IndicatorFiling

        orgs = {c.party.organization_id for c in commitments}
        first = min(_counted_from(c).year for c in commitments)
        rows: dict[tuple[int, int], list[dict]] = defaultdict(list)
        filings = IndicatorFiling.objects.filter(organization__in=orgs, year__gte=first, year__lte=self.year)
        for row in filings.order_by("pk").values(*FILING_COLUMNS):
            rows[(row["organization_id"], row["year"])].append(row)
        return rows

    def _areas(self, commitments: list[Commitment]) -> tuple[dict[tuple[int, int], Decimal], dict]:
        """(organization, park) -> floor area held under leases on ``as_of``, and bought by ``as_of``."""
        if not commitments:
            return {}, {}
        from parkos.leasing.models import Lease, Sale

        orgs = {c.party.organization_id for c in commitments}
        parks = {c.agreement.park_id for c in commitments}
        on = self.as_of
        leases = Lease.objects.filter(
            tenant__in=orgs, park__in=parks, status__in=Lease.HOLDING, start_date__lte=on
        ).exclude(effective_end__lt=on)
        leased: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        without_area = {}
        for pk, tenant, park, area in leases.values_list("pk", "tenant_id", "park_id", "leased_area"):
            if area is None:
                without_area[pk] = (tenant, park)
            else:
                leased[(tenant, park)] += area
        if without_area:  # "left empty: the total area of the units"
            unit_areas = Lease.units.through.objects.filter(lease__in=list(without_area))
            for lease_id, area in (
                unit_areas.values("lease_id").annotate(a=Sum("spaceunit__area")).values_list("lease_id", "a")
            ):
                leased[without_area[lease_id]] += area or 0
        sales = Sale.objects.filter(buyer__in=orgs, park__in=parks, status__in=Sale.HOLDING, contract_date__lte=on)
        bought: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        sold_without = {}
        for pk, buyer, park, area, building_area in sales.values_list(
            "pk", "buyer_id", "park_id", "area", "building__floor_area"
        ):
            if area is None and building_area is None:
                sold_without[pk] = (buyer, park)
            else:
                bought[(buyer, park)] += area if area is not None else building_area
        if sold_without:
            unit_areas = Sale.units.through.objects.filter(sale__in=list(sold_without))
            for sale_id, area in (
                unit_areas.values("sale_id").annotate(a=Sum("spaceunit__area")).values_list("sale_id", "a")
            ):
                bought[sold_without[sale_id]] += area or 0
        return leased, bought

    def _stages(self, commitments: list[Commitment]) -> dict[tuple[int, str], datetime.date]:
        """(project, stage) -> the first date the project reached the stage or a later one, by ``as_of``."""
        projects = {c.agreement.project_id for c in commitments if c.agreement.project_id}
        reached: dict[tuple[int, str], datetime.date] = {}
        if not projects:
            return reached
        rows = StageChange.objects.filter(project__in=projects, date__lte=self.as_of).exclude(stage=Stage.LOST)
        for project, stage, on in rows.order_by("date", "pk").values_list("project_id", "stage", "date"):
            index = STAGE_ORDER.index(stage)
            for earlier in STAGE_ORDER[: index + 1]:
                reached.setdefault((project, earlier), on)
        return reached

    def _progress(self, commitments: list[Commitment]) -> dict[int, tuple[int, datetime.date, Decimal | None]]:
        """commitment -> its latest hand-entered progress record by ``as_of`` (pk, date, value)."""
        latest: dict[int, tuple[int, datetime.date, Decimal | None]] = {}
        ids = [c.pk for c in commitments]
        if not ids:
            return latest
        rows = Progress.objects.filter(commitment__in=ids, date__lte=self.as_of).order_by("date", "pk")
        for pk, commitment, on, value in rows.values_list("pk", "commitment_id", "date", "value"):
            latest[commitment] = (pk, on, value)
        return latest

    # -- lookups (no query) ------------------------------------------------------------------------

    def for_commitment(self, c: Commitment) -> Fact:
        """The commitment's actual for the year: from its source, else a hand entry, else no figure."""
        source = c.measure_source
        fact = NO_FIGURE
        if source == Commitment.Source.FILING:
            fact = self._filing_fact(c)
        elif source == Commitment.Source.LEASING:
            fact = self._area_fact(c)
        elif source == Commitment.Source.STAGE:
            fact = self._stage_fact(c)
        if fact.value is None and fact.reached_on is None:
            entered = self.progress.get(c.pk)
            if entered is not None:
                _pk, on, value = entered
                reached = on if value is None else None
                return Fact(value, CommitmentCheck.Source.ENTERED, "progress", on, reached_on=reached)
        return fact

    def _filing(self, c: Commitment, year: int) -> dict | None:
        rows = self.filings.get((c.party.organization_id, year), [])
        for row in rows:
            if row["park_id"] == c.agreement.park_id:
                return row
        return rows[0] if rows else None

    def _filing_fact(self, c: Commitment) -> Fact:
        basis = c.counted_basis
        years = range(_counted_from(c).year, self.year + 1) if basis == Commitment.Basis.CUMULATIVE else [self.year]
        total, divisor, fields, found = Decimal(0), Decimal(0), [], False
        production_share = None
        for year in years:
            row = self._filing(c, year)
            if row is None:
                continue
            value, field = _filing_value(c, row)
            if value is None:
                continue
            if c.kind == K.RD_SHARE:
                if not row["revenue"]:
                    continue
                divisor += row["revenue"]
            found = True
            total += value
            fields.append(field)
            if year == self.year:
                production_share = _production_share(row["production_start"], year)
        if not found:
            return Fact(None, CommitmentCheck.Source.NONE, "")
        if c.kind == K.RD_SHARE:
            total = total / divisor * 100
        if basis == Commitment.Basis.PER_MU:
            row = self._filing(c, self.year)
            land = row["land_area"] if row else None
            if not land:
                return Fact(None, CommitmentCheck.Source.NONE, "land_area")
            total = total / (Decimal(land) / M2_PER_MU)
            fields.append("land_area")
        if c.kind not in FLOW_KINDS or basis == Commitment.Basis.CUMULATIVE:
            production_share = None
        field = ",".join(dict.fromkeys(fields))
        return Fact(total, CommitmentCheck.Source.FILING, field, year_end(self.year), production_share=production_share)

    def _area_fact(self, c: Commitment) -> Fact:
        key = (c.party.organization_id, c.agreement.park_id)
        held = self.leased if c.kind == K.FLOOR_AREA_LEASED else self.bought
        field = "leases" if c.kind == K.FLOOR_AREA_LEASED else "sales"
        return Fact(held.get(key, Decimal(0)), CommitmentCheck.Source.LEASING, field, self.as_of)

    def _stage_fact(self, c: Commitment) -> Fact:
        project = c.agreement.project_id
        if project is None:
            return NO_FIGURE
        stage = STAGE_OF[c.kind]
        on = self.stages.get((project, stage))
        if on is None:
            return Fact(None, CommitmentCheck.Source.NONE, stage)
        return Fact(None, CommitmentCheck.Source.STAGE, stage, on, reached_on=on)


def _counted_from(c: Commitment) -> datetime.date:
    start = c.start_date or c.agreement.signed_on
    assert start is not None, "commitments without a start are not reconciled"
    return start


def _filing_value(c: Commitment, row: dict) -> tuple[Decimal | None, str]:
    for field in FILING_FIELDS[c.kind]:
        if row[field] is not None:
            return Decimal(row[field]), field
    return None, ""


def _production_share(started: datetime.date | None, year: int) -> Decimal | None:
    """The share of ``year`` from the day production started to its end, when it started that year."""
    if started is None or started.year != year:
        return None
    days = (year_end(year) - datetime.date(year, 1, 1)).days + 1
    return (Decimal((year_end(year) - started).days + 1) / Decimal(days)).quantize(Decimal("0.0001"))


def describe_source(check: CommitmentCheck) -> str:
    """Where a check's actual came from, as a reader reads it (in the active language)."""
    from parkos.evaluation.models import IndicatorFiling

    Source = CommitmentCheck.Source
    if check.source == Source.FILING:
        names = []
        for field in check.source_field.split(","):
            if field:
                names.append(str(IndicatorFiling._meta.get_field(field).verbose_name))
        if check.commitment.counted_basis == Commitment.Basis.CUMULATIVE:
            return _t("Indicator filings up to %(year)s: %(fields)s") % {"year": check.year, "fields": ", ".join(names)}
        return _t("Indicator filing %(year)s: %(fields)s") % {"year": check.year, "fields": ", ".join(names)}
    if check.source == Source.LEASING:
        on = check.source_date.isoformat() if check.source_date else ""
        if check.source_field == "sales":
            return _t("Sales signed by %(date)s") % {"date": on}
        return _t("Leases held on %(date)s") % {"date": on}
    if check.source == Source.STAGE:
        return _t("Stage change to “%(stage)s” on %(date)s") % {
            "stage": Stage(check.source_field).label,
            "date": check.source_date.isoformat() if check.source_date else "",
        }
    if check.source == Source.ENTERED:
        on = check.source_date.isoformat() if check.source_date else ""
        return _t("Progress record of %(date)s") % {"date": on}
    return _t("No figure")


def first_year(commitments: Iterable[Commitment]) -> int | None:
    years = [_counted_from(c).year for c in commitments]
    return min(years) if years else None
