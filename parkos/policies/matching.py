"""Which enterprises qualify for which open policies, and which nearly do (the one rule they miss, by how much).

Every enterprise's attributes (``rules.ATTRIBUTES``) are read as one Polars table in a fixed number of
queries (organizations, latest filings, first arrival through leases and land, certifications, latest
grades), never one query per enterprise. Each rule of each policy (``rules.rules_of``) becomes one
boolean column (``parkos.evaluation.engine.condition``), so all policies are matched in one pass.

- qualifies: every rule holds;
- near miss: exactly ``NEAR_MISSES`` (one) rule fails, whatever the gap; the miss says which rule, what it
  asks, the enterprise's value ("no value" when it has none: a rule on a missing value fails) and, for a
  numeric threshold, by how much it falls short (``short_by``). Near misses sort by relative gap, those
  with no value last.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl
from django.db import connections
from django.db.models import FloatField, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from parkos.core.permissions import Scope, scope_of
from parkos.core.units import M2_PER_MU
from parkos.directory.models import Organization
from parkos.evaluation.engine import condition
from parkos.evaluation.models import EvaluationResult, EvaluationRun, IndicatorFiling
from parkos.leasing.models import Lease
from parkos.parks.models import LandParcel
from parkos.policies import rules
from parkos.policies.models import Certification, Policy

#: how many failed rules still make a near miss
NEAR_MISSES = 1

_FILING_NUMBERS = ("revenue", "tax", "rd_expenditure", "value_added", "industrial_output")
SCHEMA: dict[str, Any] = {
    "organization_id": pl.Int64,
    "industry": pl.String,
    "industry_code": pl.String,
    "ownership": pl.String,
    "district": pl.String,
    "established": pl.Date,
    "is_listed": pl.Boolean,
    "flag_high_tech": pl.Boolean,
    "flag_srdi": pl.Boolean,
}


@dataclass
class Miss:
    """One rule an enterprise does not meet, as a reader sees it."""

    rule: str  # the rule as a sentence ("R&D ratio at least 3.00%")
    field: str  # the attribute it reads (the first, for a compound rule)
    needed: str  # what it asks ("at least 3.00%")
    actual: str  # the enterprise's value ("2.50%", "no value")
    short_by: Decimal | None = None  # for a numeric threshold: how far the value is from it
    short_by_text: str = ""  # the same in the attribute's unit, as a reader sees it ("0.50%", "12.00 万元")


@dataclass
class Match:
    """An enterprise against a policy: whether it qualifies, and the rules it misses."""

    policy: Policy
    organization_id: int
    qualifies: bool
    misses: list[Miss] = field(default_factory=list)

    @property
    def is_near_miss(self) -> bool:
        return not self.qualifies and 0 < len(self.misses) <= NEAR_MISSES


# -- the attribute table -----------------------------------------------------------------------


def open_policies(day: datetime.date | None = None) -> QuerySet[Policy]:
    """Policies open for applications on ``day`` (status open, within its dates)."""
    day = day or timezone.localdate()
    return Policy.objects.filter(status=Policy.Status.OPEN).filter(
        Q(opens_on__isnull=True) | Q(opens_on__lte=day), Q(closes_on__isnull=True) | Q(closes_on__gte=day)
    )


def in_scope(user: Any | None, path: str = "pk") -> Q | None:
    """The condition on ``path`` (an organization) of the enterprises ``user`` may see the matches of: None for
    all (the operator, or no user), else those in the user's parks for park staff (a filing, lease or land
    there), its own organizations for a government or enterprise user, none for anyone else."""
    if user is None:
        return None
    scope = scope_of(user)
    if scope == Scope.EVERYTHING:
        return None
    if scope == Scope.PARKS:
        parks = user.scope_park_ids()
        return (
            Q(**{f"{path}__in": IndicatorFiling.objects.filter(park__in=parks).values("organization_id")})
            | Q(**{f"{path}__in": Lease.objects.filter(park__in=parks).values("tenant_id")})
            | Q(**{f"{path}__in": LandParcel.objects.filter(park__in=parks, holder__isnull=False).values("holder_id")})
        )
    if scope == Scope.ORGANIZATION:
        return Q(**{f"{path}__in": user.scope_organization_ids()})
    return Q(**{f"{path}__in": []})


def visible_enterprises(user: Any | None) -> QuerySet[Organization]:
    """The enterprises whose matches ``user`` may see (``in_scope``)."""
    enterprises = Organization.objects.filter(kind=Organization.Kind.ENTERPRISE)
    condition = in_scope(user)
    return enterprises if condition is None else enterprises.filter(condition)


def _read(queryset: QuerySet[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """A values_list queryset as a frame of ``schema``, read through the cursor: no per-value converters (on
    SQLite, dates come as text and flags as 0 / 1; Polars parses them by the column)."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    raw = pl.DataFrame(rows, schema=list(schema), orient="row", infer_schema_length=None)
    columns = []
    for name, dtype in schema.items():
        column = pl.col(name)
        if dtype == pl.Date and raw.schema[name] == pl.String:
            column = column.str.slice(0, 10).str.to_date("%Y-%m-%d")
        columns.append(column.cast(dtype).alias(name))
    return raw.select(columns)


def attribute_table(
    organizations: QuerySet[Organization] | None = None, *, day: datetime.date | None = None
) -> pl.DataFrame:
    """One row per enterprise with every attribute of ``rules.ATTRIBUTES`` (null where it has no value).

    Seven queries whatever the number of enterprises.
    """
    day = day or timezone.localdate()
    if organizations is None:
        organizations = Organization.objects.filter(kind=Organization.Kind.ENTERPRISE)
    org_ids = organizations.values("pk")
    frame = _read(
        organizations.values_list(
            "pk",
            "industry__national_code",
            "industry__code",
            "ownership",
            "district",
            "established",
            "is_listed",
            "is_high_tech",
            "is_srdi",
        ),
        SCHEMA,
    ).with_columns(
        pl.when(pl.col("industry") == "").then(pl.col("industry_code")).otherwise(pl.col("industry")).alias("industry"),
        *[pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in ("ownership", "district")],
    )

    latest_year = (
        IndicatorFiling.objects.filter(organization_id=OuterRef("organization_id")).order_by("-year").values("year")[:1]
    )
    filings = (
        IndicatorFiling.objects.filter(organization_id__in=org_ids, year=Subquery(latest_year))
        .annotate(**{f"f_{n}": Cast(n, FloatField()) for n in _FILING_NUMBERS}, f_land=Cast("land_area", FloatField()))
        .values_list(
            "organization_id",
            "year",
            *[f"f_{n}" for n in _FILING_NUMBERS],
            "employees",
            "f_land",
            "major_incident",
            "above_size_threshold",
        )
    )
    filing_frame = _read(
        filings,
        {
            "organization_id": pl.Int64,
            "filing_year": pl.Int64,
            **{n: pl.Float64 for n in _FILING_NUMBERS},
            "employees": pl.Float64,
            "land_area": pl.Float64,
            "major_incident": pl.Boolean,
            "above_size_threshold": pl.Boolean,
        },
    ).with_columns(land_mu=pl.col("land_area") / float(M2_PER_MU))

    # first arrival: the earliest of first filing (1 January of its year), first lease, first land grant
    first_filings = _read(
        IndicatorFiling.objects.filter(organization_id__in=org_ids)
        .values("organization_id")
        .annotate(first=Min("year"))
        .values_list("organization_id", "first"),
        {"organization_id": pl.Int64, "year": pl.Int32},
    ).select("organization_id", pl.date(pl.col("year"), 1, 1).alias("arrived"))
    first_leases = _read(
        Lease.objects.filter(tenant_id__in=org_ids)
        .values("tenant_id")
        .annotate(first=Min("start_date"))
        .values_list("tenant_id", "first"),
        {"organization_id": pl.Int64, "arrived": pl.Date},
    )
    first_grants = _read(
        LandParcel.objects.filter(holder_id__in=org_ids, granted__isnull=False)
        .values("holder_id")
        .annotate(first=Min("granted"))
        .values_list("holder_id", "first"),
        {"organization_id": pl.Int64, "arrived": pl.Date},
    )
    arrival_frame = (
        pl.concat([first_filings, first_leases, first_grants]).group_by("organization_id").agg(pl.col("arrived").min())
    )

    certificates = _read(
        Certification.objects.filter(organization_id__in=org_ids).values_list(
            "organization_id", "kind", "valid_from", "valid_until"
        ),
        {"organization_id": pl.Int64, "kind": pl.String, "valid_from": pl.Date, "valid_until": pl.Date},
    )
    valid = (pl.col("valid_from") <= day) & (pl.col("valid_until").is_null() | (pl.col("valid_until") >= day))
    certificate_frame = certificates.group_by("organization_id").agg(
        *[((pl.col("kind") == kind) & valid).any().alias(kind) for kind in rules.CERTIFICATION_FLAGS],
        *[(pl.col("kind") == kind).any().alias(f"recorded_{kind}") for kind in ("high_tech", "srdi")],
    )

    done = EvaluationRun.objects.filter(status=EvaluationRun.Status.DONE)
    grades = _read(
        EvaluationResult.objects.filter(run__in=done.values("pk"), organization_id__in=org_ids)
        .exclude(grade="")
        .values_list("organization_id", "run__year", "run_id", "grade"),
        {"organization_id": pl.Int64, "run_year": pl.Int64, "run_id": pl.Int64, "grade": pl.String},
    )
    grade_frame = (
        grades.sort("run_year", "run_id").group_by("organization_id").agg(pl.col("grade").last())
        if grades.height
        else grades.select("organization_id", "grade")
    )

    table = (
        frame.join(filing_frame, on="organization_id", how="left")
        .join(arrival_frame, on="organization_id", how="left")
        .join(certificate_frame, on="organization_id", how="left")
        .join(grade_frame, on="organization_id", how="left")
    )
    return table.with_columns(
        rd_ratio=pl.when(pl.col("revenue") > 0).then(pl.col("rd_expenditure") / pl.col("revenue") * 100),
        tax_per_mu=pl.when(pl.col("land_mu") > 0).then(pl.col("tax") / pl.col("land_mu")),
        years_since_founding=_whole_years(pl.col("established"), day),
        years_in_park=_whole_years(pl.col("arrived"), day),
        # a certificate recorded decides; without one the organization's flag stands (data from before certificates)
        high_tech=pl.when(pl.col("recorded_high_tech").fill_null(False))
        .then(pl.col("high_tech"))
        .otherwise(pl.col("flag_high_tech")),
        srdi=pl.when(pl.col("recorded_srdi").fill_null(False))
        .then(pl.col("srdi") | pl.col("little_giant").fill_null(False))
        .otherwise(pl.col("flag_srdi") | pl.col("little_giant").fill_null(False)),
        **{
            kind: pl.col(kind).fill_null(False) for kind in ("little_giant", "tech_sme", "tech_center", "green_factory")
        },
    )


def _whole_years(since: pl.Expr, day: datetime.date) -> pl.Expr:
    """Whole years from ``since`` to ``day`` (a birthday not yet reached this year does not count)."""
    before_anniversary = (since.dt.month() > day.month) | ((since.dt.month() == day.month) & (since.dt.day() > day.day))
    return (pl.lit(day.year) - since.dt.year() - before_anniversary.cast(pl.Int32)).cast(pl.Float64)


# -- matching ----------------------------------------------------------------------------------


def _rule_columns(policy: Policy) -> list[pl.Expr]:
    return [condition(rule).alias(f"r{i}") for i, rule in enumerate(_rules_of(policy))]


def match_table(table: pl.DataFrame, policies: Sequence[Policy], *, near: bool = True) -> pl.DataFrame:
    """Every (policy, enterprise) that qualifies or nearly does: policy_id, organization_id, failed (the number
    of rules missed) and missed (the index of the first rule missed, null when it qualifies)."""
    parts = []
    limit = NEAR_MISSES if near else 0
    for policy in policies:
        columns = _rule_columns(policy)
        if not columns:
            parts.append(
                table.select(
                    pl.lit(policy.pk, pl.Int64).alias("policy_id"),
                    "organization_id",
                    pl.lit(0, pl.Int32).alias("failed"),
                    pl.lit(None, pl.Int32).alias("missed"),
                )
            )
            continue
        tests = table.select("organization_id", *columns)
        names = [f"r{i}" for i in range(len(columns))]
        failed = pl.sum_horizontal([(~pl.col(n)).cast(pl.Int32) for n in names]).cast(pl.Int32)
        first_missed = pl.coalesce([pl.when(~pl.col(n)).then(pl.lit(i, pl.Int32)) for i, n in enumerate(names)]).cast(
            pl.Int32
        )
        parts.append(
            tests.select(
                pl.lit(policy.pk, pl.Int64).alias("policy_id"),
                "organization_id",
                failed.alias("failed"),
                first_missed.alias("missed"),
            ).filter(pl.col("failed") <= limit)
        )
    if not parts:
        return pl.DataFrame(
            schema={"policy_id": pl.Int64, "organization_id": pl.Int64, "failed": pl.Int32, "missed": pl.Int32}
        )
    return pl.concat(parts)


def _short_by(rule: dict[str, Any], value: Any) -> Decimal | None:
    if "field" not in rule or value is None or isinstance(value, bool):
        return None
    if "at_least" in rule and value < rule["at_least"]:
        return Decimal(str(round(rule["at_least"] - value, 4))).normalize()
    if "below" in rule and value >= rule["below"]:
        return Decimal(str(round(value - rule["below"], 4))).normalize()
    return None


def _relative_gap(rule: dict[str, Any], value: Any) -> float:
    """How far a value is from the rule, relative to the threshold (for ordering; no value is farthest)."""
    if value is None or "field" not in rule or isinstance(value, bool) or not isinstance(value, int | float):
        return float("inf")
    threshold = rule.get("at_least", rule.get("below"))
    if threshold is None:
        return 1.0
    return float(abs(value - threshold) / (abs(threshold) or 1.0))


def miss_of(rule: dict[str, Any], row: dict[str, Any], *, said: tuple[str, str] | None = None) -> Miss:
    """A failed rule as a Miss, read from the enterprise's attribute row (``said``: the rule's sentence and what it
    asks, when the caller has them already)."""
    fields = rules.fields_of(rule)
    key = fields[0] if fields else ""
    if "field" in rule:
        actual = rules.format_value(key, row.get(key))
    else:
        actual = "; ".join(f"{rules.ATTRIBUTES_BY_KEY[f].label}: {rules.format_value(f, row.get(f))}" for f in fields)
    short_by = _short_by(rule, row.get(key))
    sentence, needed = said or (rules.describe(rule), rules.needed(rule))
    return Miss(
        rule=sentence,
        field=key,
        needed=needed,
        actual=actual,
        short_by=short_by,
        short_by_text=rules.format_value(key, short_by) if short_by is not None else "",
    )


def matches_from(
    found: pl.DataFrame, table: pl.DataFrame, policies: Iterable[Policy]
) -> tuple[list[Match], list[Match]]:
    """Build the Match objects of ``match_table`` rows: (qualifying, near misses), near misses closest first."""
    by_id = {p.pk: p for p in policies}
    prepared = {
        pk: [(rule, (rules.describe(rule), rules.needed(rule)), rules.fields_of(rule)) for rule in _rules_of(policy)]
        for pk, policy in by_id.items()
    }
    qualifying = [
        Match(by_id[policy_id], organization_id, True, [])
        for policy_id, organization_id in found.filter(pl.col("failed") == 0)
        .select("policy_id", "organization_id")
        .iter_rows()
    ]
    near = []
    for row in found.filter(pl.col("failed") > 0).join(table, on="organization_id", how="left").iter_rows(named=True):
        rule, said, fields = prepared[row["policy_id"]][row["missed"]]
        gap = _relative_gap(rule, row.get(fields[0]) if fields else None)
        match = Match(by_id[row["policy_id"]], row["organization_id"], False, [miss_of(rule, row, said=said)])
        near.append((gap, match))
    near.sort(key=lambda pair: (pair[0], pair[1].policy.pk, pair[1].organization_id))
    return qualifying, [match for _, match in near]


def _rules_of(policy: Policy) -> list[dict[str, Any]]:
    """The policy's rules; a tree that does not validate (written around the forms) is one rule nobody meets."""
    try:
        rules.validate(policy.eligibility)
    except rules.RuleError:
        return [{"field": "organization_id", "below": 0}]
    return rules.rules_of(policy.eligibility)


def _gap_expression(policy_rules: list[dict[str, Any]]) -> pl.Expr:
    """The relative gap of the rule each near-miss row missed (``_relative_gap`` as a column): closest first."""
    far = float("inf")
    gap: pl.Expr = pl.lit(far)
    for i, rule in enumerate(policy_rules):
        attribute = rules.ATTRIBUTES_BY_KEY.get(rule.get("field", ""))
        if attribute is None or attribute.kind != rules.NUMBER:
            this = pl.lit(far)
        else:
            value = pl.col(attribute.key).cast(pl.Float64)
            threshold = rule.get("at_least", rule.get("below"))
            if threshold is None:
                this = pl.when(value.is_null()).then(pl.lit(far)).otherwise(pl.lit(1.0))
            else:
                this = ((value - threshold).abs() / (abs(threshold) or 1.0)).fill_null(far)
        gap = pl.when(pl.col("missed") == i).then(this).otherwise(gap)
    return gap


class PolicyMatches:
    """A policy's qualifying and near-miss enterprises as tables, with Match objects built only for the rows read:
    ``qualifying`` and ``near`` are sequences (len, slicing) a Paginator pages through."""

    def __init__(
        self, policy: Policy, *, user: Any | None = None, day: datetime.date | None = None, near: bool = True
    ) -> None:
        self.policy = policy
        self.table = attribute_table(visible_enterprises(user), day=day)
        found = match_table(self.table, [policy], near=near)
        self.qualifying = _Rows(self, found.filter(pl.col("failed") == 0))
        misses = found.filter(pl.col("failed") > 0).join(self.table, on="organization_id", how="left")
        ranked = misses.with_columns(_gap_expression(_rules_of(policy)).alias("_gap")).sort("_gap", "organization_id")
        self.near = _Rows(self, ranked.select(found.columns))


class _Rows(Sequence[Match]):
    def __init__(self, matches: PolicyMatches, rows: pl.DataFrame) -> None:
        self.matches, self.rows = matches, rows

    def __len__(self) -> int:
        return self.rows.height

    def __getitem__(self, index):  # type: ignore[no-untyped-def]  # an int or a slice, as a list
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            part = self.rows.slice(start, max(0, stop - start))
            qualifying, near = matches_from(part, self.matches.table, [self.matches.policy])
            found = {(m.organization_id): m for m in qualifying + near}
            return [found[o] for o in part["organization_id"].to_list()][::step]
        return self[index : index + 1][0] if index >= 0 else self[len(self) + index]


def policies_for_enterprise(
    organization: Organization, *, policies: Iterable[Policy] | None = None, day: datetime.date | None = None
) -> list[Match]:
    """The open policies ``organization`` qualifies for, then those it nearly qualifies for (closest first)."""
    chosen = list(open_policies(day).select_related("issuer") if policies is None else policies)
    if not chosen:
        return []
    table = attribute_table(Organization.objects.filter(pk=organization.pk), day=day)
    if not table.height:
        return []
    found = match_table(table, chosen)
    qualifying, near = matches_from(found, table, chosen)
    return qualifying + near


def enterprises_for_policy(
    policy: Policy, *, user: Any | None = None, near: bool = True, day: datetime.date | None = None
) -> tuple[list[Match], list[Match]]:
    """The enterprises that qualify for ``policy`` and those that nearly do (limited to what ``user`` may see)."""
    table = attribute_table(visible_enterprises(user), day=day)
    found = match_table(table, [policy], near=near)
    return matches_from(found, table, [policy])


def match_all(*, day: datetime.date | None = None) -> pl.DataFrame:
    """Every open policy against every enterprise: the ``match_table`` of all of them (the bench's subject)."""
    policies = list(open_policies(day))
    return match_table(attribute_table(day=day), policies)
