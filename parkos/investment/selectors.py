"""Reads with rules for the investment app: the pipeline figures and the agreement implementation report.

Everything here is set-based: a handful of aggregate queries whatever the number of projects or
agreements, each starting from ``Model.objects.restrict(user)`` so a report never counts what its
reader may not see. Confidential projects are counted (figures are aggregates) but never named.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkos.core.actors import Actor
from parkos.core.units import DEFAULT_CURRENCY
from parkos.directory.models import Industry, Organization
from parkos.investment.models import (
    STAGE_ORDER,
    Agreement,
    AgreementQuerySet,
    CheckOutcome,
    Commitment,
    CommitmentCheck,
    CommitmentStatus,
    ExchangeRate,
    ImplementationStatus,
    Party,
    Project,
    ProjectQuerySet,
    Stage,
    StageChange,
    commitment_status_q,
)
from parkos.parks.models import Park, ParkBrand
from parkos.users.models import User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: the commitment kinds whose targets are the floor area leased and sold under agreements
AREA_KINDS = {
    "leased": Commitment.Kind.FLOOR_AREA_LEASED,
    "purchased": Commitment.Kind.FLOOR_AREA_PURCHASED,
}


def rate_base_currency() -> str:
    """The currency ExchangeRate.rate is expressed in (one unit of a currency is worth ``rate`` of this)."""
    return cast(str, getattr(settings, "PARKOS_REPORT_CURRENCY", DEFAULT_CURRENCY))


# --- pipeline figures ---------------------------------------------------------------------------


def _pk(value: Park | ParkBrand | Organization | int) -> int:
    return cast(int, getattr(value, "pk", value))


def filtered_projects(
    user: Actor,
    *,
    park: Park | int | None = None,
    brand: ParkBrand | int | None = None,
    industry: Industry | int | None = None,
    stage: str | None = None,
) -> ProjectQuerySet:
    """The projects ``user`` may see, narrowed by the figure filters (industry includes its sub-industries)."""
    projects = Project.objects.restrict(user)
    if park:
        projects = projects.filter(park=_pk(park))
    if brand:
        projects = projects.filter(park__brand=_pk(brand))
    if industry:
        if not isinstance(industry, Industry):
            industry = Industry.objects.get(pk=industry)
        # A subquery, not a join: the planner then uses the project's industry index.
        subtree = Industry.objects.filter(tree_path__startswith=industry.tree_path).values("pk")
        projects = projects.filter(industry__in=subtree)
    if stage:
        projects = projects.filter(stage=stage)
    return projects


def latest_rates(currencies: Iterable[str], on: datetime.date) -> dict[str, Decimal]:
    """The latest rate valid on ``on`` for each of ``currencies`` (in the rate base currency); one query."""
    base = rate_base_currency()
    rates = {base: Decimal(1)}
    wanted = set(currencies) - {base}
    if wanted:
        rows = (
            ExchangeRate.objects.filter(currency__in=wanted, valid_from__lte=on)
            .order_by("currency", "-valid_from")
            .values_list("currency", "rate")
        )
        for code, rate in rows:  # at most a few rows per currency (rates are few_rows)
            rates.setdefault(code, rate)
    return rates


class CurrencyInvestment(TypedDict):
    currency: str
    amount: Decimal
    projects: int
    rate: Decimal | None
    converted: Decimal | None


class Investment(TypedDict):
    currency: str
    by_currency: list[CurrencyInvestment]
    total: Decimal
    missing_rates: list[str]


class AgreementArea(TypedDict):
    leased: Decimal
    purchased: Decimal
    total: Decimal
    agreements: int


class StageReached(TypedDict):
    stage: str
    label: StrOrPromise
    reached: int
    next_share: float | None


class StageTime(TypedDict):
    stage: str
    label: StrOrPromise
    stays: int
    mean_days: float | None
    median_days: float | None


class StageCount(TypedDict):
    stage: str
    label: StrOrPromise
    projects: int


class PipelineFigures(TypedDict):
    """``pipeline_figures``: a mapping, as the figures page, its XLSX and the API read it by key."""

    date_from: datetime.date
    date_to: datetime.date
    currency: str
    projects: int
    signed: int
    investment: Investment
    area: AgreementArea
    stages: list[StageCount]
    conversion: list[StageReached]
    time_in_stage: list[StageTime]


def investment_by_currency(signed: QuerySet[Project], *, currency: str, on: datetime.date) -> Investment:
    """Planned investment of ``signed`` projects per currency and converted to ``currency`` at the rates of ``on``.

    A currency without a rate is listed in ``missing_rates`` and left out of ``total``, never silently
    dropped: its own total is still shown.
    """
    rows = list(
        signed.filter(planned_investment_amount__isnull=False)
        .values("planned_investment_currency")
        .annotate(amount=Sum("planned_investment_amount"), projects=Count("pk"))
        .order_by()
    )
    per_currency: dict[str, CurrencyInvestment] = {}
    for row in rows:  # one row per currency
        code = row["planned_investment_currency"] or DEFAULT_CURRENCY
        entry = per_currency.setdefault(
            code, {"currency": code, "amount": Decimal(0), "projects": 0, "rate": None, "converted": None}
        )
        entry["amount"] += row["amount"]
        entry["projects"] += row["projects"]
    rates = latest_rates([*per_currency, currency], on)
    target_rate = rates.get(currency)
    total, missing = Decimal(0), list[str]()
    for code, entry in sorted(per_currency.items()):
        if code == currency:
            entry["rate"] = Decimal(1)
        elif code in rates and target_rate:
            entry["rate"] = rates[code] / target_rate
        else:
            entry["rate"] = None
        rate = entry["rate"]
        if rate is None:
            entry["converted"] = None
            missing.append(code)
        else:
            converted = (entry["amount"] * rate).quantize(Decimal("0.01"))
            entry["converted"] = converted
            total += converted
    return {
        "currency": currency,
        "by_currency": [per_currency[code] for code in sorted(per_currency)],
        "total": total,
        "missing_rates": missing,
    }


def agreement_area(
    user: Actor,
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    park: Park | int | None = None,
    brand: ParkBrand | int | None = None,
) -> AgreementArea:
    """Floor area (m²) leased and sold under agreements signed in the period: targets of area commitments."""
    agreements = (
        Agreement.objects.restrict(user)
        .exclude(status=Agreement.Status.DRAFT)
        .filter(signed_on__gte=date_from, signed_on__lte=date_to)
    )
    if park:
        agreements = agreements.filter(park=_pk(park))
    if brand:
        agreements = agreements.filter(park__brand=_pk(brand))
    sums = Commitment.objects.filter(agreement__in=agreements.values("pk"), kind__in=AREA_KINDS.values()).aggregate(
        **{name: Sum("target_value", filter=Q(kind=kind)) for name, kind in AREA_KINDS.items()},
        agreements=Count("agreement", distinct=True),
    )
    leased, purchased = sums["leased"] or Decimal(0), sums["purchased"] or Decimal(0)
    return {"leased": leased, "purchased": purchased, "total": leased + purchased, "agreements": sums["agreements"]}


def stage_conversion(
    projects: QuerySet[Project], *, date_from: datetime.date, date_to: datetime.date
) -> list[StageReached]:
    """Per pipeline stage: how many projects active in the period reached it, and the share that went on.

    Active: a stage change dated in the period. A project reached a stage when its history up to
    ``date_to`` moved it into that stage or a later one (a project recorded straight into
    negotiations has passed the earlier stages), so the funnel never widens. One query: each
    project's furthest stage, counted per stage.
    """
    # Written as SQL around the projects' compiled query (issue 16): the ORM's Case of five Whens, the subqueries
    # and the grouping cost more Python to build than the page's other figures.
    try:
        project_sql, project_params = projects.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a scope that is nothing: no project reached any stage
        project_sql, project_params = "", ()
    at: dict[int, int] = {}
    if project_sql:
        table = StageChange._meta.db_table
        rank = " ".join(f"WHEN sc.stage = %s THEN {i}" for i in range(len(STAGE_ORDER)))
        sql = (
            f"SELECT furthest, COUNT(*) FROM (SELECT MAX(CASE {rank} ELSE NULL END) AS furthest FROM {table} sc "
            f"WHERE sc.project_id IN ({project_sql}) "
            f"AND sc.project_id IN (SELECT project_id FROM {table} WHERE date >= %s AND date <= %s) "
            "AND sc.date <= %s GROUP BY sc.project_id) per_project GROUP BY furthest"
        )  # noqa: S608 (only our own table name and compiled queryset SQL are interpolated)
        params = [*(str(stage) for stage in STAGE_ORDER), *project_params, date_from, date_to, date_to]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            at = {rank: n for rank, n in cursor.fetchall() if rank is not None}  # at most one row per stage
    reached: list[int] = [sum(n for r, n in at.items() if r >= i) for i in range(len(STAGE_ORDER))]
    rows: list[StageReached] = []
    for i, stage in enumerate(STAGE_ORDER):
        following = reached[i + 1] if i + 1 < len(STAGE_ORDER) else None
        share = following / reached[i] if following is not None and reached[i] else None
        rows.append({"stage": stage, "label": Stage(stage).label, "reached": reached[i], "next_share": share})
    return rows


def _days_between(later: str, earlier: str) -> str:
    if connection.vendor == "sqlite":
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"
    return f"({later} - {earlier})"  # PostgreSQL: date - date is a number of days


def time_in_stage(projects: QuerySet[Project], *, date_from: datetime.date, date_to: datetime.date) -> list[StageTime]:
    """Mean and median days per stage, over the stays that ended in the period.

    A stay runs from a project's move into a stage to its next move (consecutive StageChange rows
    of the project). Window functions do the pairing and the median in SQL: one query. A stay that
    ended in the period ends with a change in the period, so only those projects' rows are read.
    """
    try:
        project_sql, project_params = projects.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a scope that is nothing (restrict's .none()): no stay
        project_sql, project_params = "SELECT 0 WHERE 1 = 0", ()
    table = StageChange._meta.db_table
    sql = f"""
        WITH stays AS (
            SELECT sc.stage AS stage, sc.date AS started,
                   LEAD(sc.date) OVER (PARTITION BY sc.project_id ORDER BY sc.date, sc.id) AS ended
            FROM {table} sc
            WHERE sc.project_id IN ({project_sql}) AND sc.date <= %s
              AND sc.project_id IN (SELECT project_id FROM {table} WHERE date >= %s AND date <= %s)
        ), ended AS (
            SELECT stage, {_days_between("ended", "started")} AS days
            FROM stays WHERE ended >= %s AND ended <= %s
        ), ranked AS (
            SELECT stage, days,
                   ROW_NUMBER() OVER (PARTITION BY stage ORDER BY days) AS n,
                   COUNT(*) OVER (PARTITION BY stage) AS total
            FROM ended
        )
        SELECT stage, COUNT(*), AVG(days),
               AVG(CASE WHEN n IN ((total + 1) / 2, (total + 2) / 2) THEN days END)
        FROM ranked GROUP BY stage
    """  # noqa: S608 (only our own table name and compiled queryset SQL are interpolated)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*project_params, date_to, date_from, date_to, date_from, date_to])
        found = {stage: (n, mean, median) for stage, n, mean, median in cursor.fetchall()}
    rows: list[StageTime] = []
    for stage in [*STAGE_ORDER, Stage.LOST]:
        n, mean, median = found.get(stage, (0, None, None))
        if stage == Stage.LOST and not n:
            continue  # lost is where projects end; it shows only if a project was revived
        rows.append(
            {
                "stage": stage,
                "label": Stage(stage).label,
                "stays": n,
                "mean_days": round(float(mean), 1) if mean is not None else None,
                "median_days": float(median) if median is not None else None,
            }
        )
    return rows


def pipeline_figures(
    user: Actor,
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    park: Park | int | None = None,
    brand: ParkBrand | int | None = None,
    industry: Industry | int | None = None,
    stage: str | None = None,
    currency: str = DEFAULT_CURRENCY,
) -> PipelineFigures:
    """The figures people ask for about the pipeline, for projects ``user`` may see.

    ``park``, ``brand`` and ``industry`` are objects or primary keys; the industry includes its subtree.
    """
    projects = filtered_projects(user, park=park, brand=brand, industry=industry, stage=stage)
    signed_in_period = StageChange.objects.filter(stage=Stage.SIGNED, date__gte=date_from, date__lte=date_to)
    signed = projects.filter(pk__in=signed_in_period.values("project"))
    # the projects per stage and those signed in the period in one grouping (issue 16: was a COUNT query more)
    by_stage: dict[str, int] = {}
    signed_count = 0
    grouped = projects.values_list("stage").annotate(
        n=Count("pk"), signed=Count("pk", filter=Q(pk__in=signed_in_period.values("project")))
    )
    for stage, n, signed_n in grouped.order_by():
        by_stage[stage] = n
        signed_count += signed_n
    return {
        "date_from": date_from,
        "date_to": date_to,
        "currency": currency,
        "projects": sum(by_stage.values()),
        "signed": signed_count,
        "investment": investment_by_currency(signed, currency=currency, on=date_to),
        "area": agreement_area(user, date_from=date_from, date_to=date_to, park=park, brand=brand),
        "stages": [
            {"stage": value, "label": label, "projects": by_stage.get(value, 0)} for value, label in Stage.choices
        ],
        "conversion": stage_conversion(projects, date_from=date_from, date_to=date_to),
        "time_in_stage": time_in_stage(projects, date_from=date_from, date_to=date_to),
    }


# --- agreement implementation report -------------------------------------------------------------


def implementation_q(status: str, today: datetime.date) -> Q:
    """Agreements whose rolled-up implementation status is ``status``: ``implementation_case`` as EXISTS tests.

    Used to filter and count without grouping every agreement's commitments first.
    """

    def having(condition: Q | None = None) -> Exists:
        commitments = Commitment.objects.filter(agreement=OuterRef("pk"))
        return Exists(commitments.filter(condition) if condition is not None else commitments)

    def has(commitment_status: str) -> Exists:
        return having(commitment_status_q(commitment_status, today))

    if status == ImplementationStatus.NO_COMMITMENTS:
        return ~Q(having())
    if status == ImplementationStatus.OVERDUE:
        return Q(has(CommitmentStatus.OVERDUE))
    if status == ImplementationStatus.AT_RISK:
        return ~Q(has(CommitmentStatus.OVERDUE)) & Q(has(CommitmentStatus.AT_RISK))
    if status == ImplementationStatus.FULFILLED:
        return Q(having()) & ~Q(having(~Q(met_on__isnull=False)))
    if status == ImplementationStatus.ON_TRACK:
        return ~Q(has(CommitmentStatus.OVERDUE)) & ~Q(has(CommitmentStatus.AT_RISK)) & Q(has(CommitmentStatus.ON_TRACK))
    raise ValueError(f"unknown implementation status {status!r}")


@dataclass
class ImplementationReport:
    """The filtered agreements (annotated with ``with_implementation``) and the totals over all of them."""

    #: the agreements without annotations or prefetches, for subqueries (exports, totals)
    filtered: AgreementQuerySet
    by_implementation: dict[str, int]
    commitments_by_status: dict[str, int]
    agreements_by_kind: dict[str, int]
    commitments_by_kind: dict[str, int]
    today: datetime.date

    @cached_property
    def agreements(self) -> AgreementQuerySet:
        """The filtered agreements with the ``with_implementation`` counts, their parties (with organizations) and
        their commitments (with ``current_status``) prefetched, in report order: exports and the API read it;
        built when first read (the web page reads fewer columns, reports.page_agreements)."""
        return (
            self.filtered.with_implementation(self.today)
            .select_related("park")
            .prefetch_related(
                Prefetch("parties", queryset=Party.objects.select_related("organization").order_by("pk")),
                Prefetch(
                    "commitments",
                    queryset=Commitment.objects.with_status(self.today).select_related("party__organization"),
                ),
            )
            .order_by("-signed_on", "-pk")
        )

    def ordered_ids(self) -> QuerySet[Agreement, int]:
        """The filtered agreements' IDs in report order: what to paginate (no grouping over every agreement)."""
        return self.filtered.order_by("-signed_on", "-pk").values_list("pk", flat=True)

    def rows(self, ids: Iterable[int], agreements: AgreementQuerySet | None = None) -> list[Agreement]:
        """The annotated, prefetched agreements with ``ids`` (a page of ``ordered_ids``), in that order.

        ``agreements``: ``self.agreements`` narrowed to what a page shows (the web page reads fewer columns).
        """
        ids = list(ids)
        agreements = self.agreements if agreements is None else agreements
        found = {agreement.pk: agreement for agreement in agreements.filter(pk__in=ids)} if ids else {}
        return [found[pk] for pk in ids if pk in found]

    @property
    def total_agreements(self) -> int:
        return sum(self.by_implementation.values())

    @property
    def total_commitments(self) -> int:
        return sum(self.commitments_by_status.values())


def report_agreements(
    user: Actor,
    *,
    party: Organization | int | None = None,
    kind: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    status: str | None = None,
    today: datetime.date | None = None,
) -> AgreementQuerySet:
    """The agreements of the report, unannotated: restricted to ``user`` and filtered."""
    today = today or timezone.localdate()
    agreements = Agreement.objects.restrict(user)
    if party:
        agreements = agreements.filter(pk__in=Party.objects.filter(organization=_pk(party)).values("agreement"))
    if kind:
        agreements = agreements.filter(kind=kind)
    if date_from:
        agreements = agreements.filter(signed_on__gte=date_from)
    if date_to:
        agreements = agreements.filter(signed_on__lte=date_to)
    if status:
        agreements = agreements.filter(implementation_q(status, today))
    return agreements


def implementation_report(
    user: Actor,
    *,
    party: Organization | int | None = None,
    kind: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    status: str | None = None,
    today: datetime.date | None = None,
) -> ImplementationReport:
    """Agreements ``user`` may see, filtered by a party organization, kind, signing period and implementation status.

    ``agreements`` carries the ``with_implementation`` counts, its parties (with organizations) and its
    commitments (with ``current_status``) prefetched: a page of it costs the same queries at any size.
    The totals are one statement over all filtered agreements (``implementation_totals``); pages read
    ``ordered_ids`` and ``rows`` so that only one page of agreements is grouped with its commitments.
    """
    today = today or timezone.localdate()
    base = report_agreements(
        user, party=party, kind=kind, date_from=date_from, date_to=date_to, status=status, today=today
    )
    by_implementation, agreements_by_kind, commitments_by_status, commitments_by_kind = implementation_totals(
        base, today
    )
    return ImplementationReport(
        filtered=base,
        by_implementation=by_implementation,
        commitments_by_status=commitments_by_status,
        agreements_by_kind=agreements_by_kind,
        commitments_by_kind=commitments_by_kind,
        today=today,
    )


def implementation_totals(
    agreements: QuerySet[Agreement], today: datetime.date
) -> tuple[dict[str, int], dict[str, int], dict[str, int], dict[str, int]]:
    """The report's totals over ``agreements``: agreements per implementation status and per kind, commitments per
    status and per kind (only the kinds that have commitments), in one statement.

    Was two grouped queries: the agreements counted per kind five times over with ``implementation_q``'s EXISTS
    trees (nine correlated subqueries to build in Python and to plan, issue 16), and the commitments per kind and
    status. Here each commitment's status is ``with_status``'s CASE, computed once; each agreement's roll-up is
    ``implementation_case`` over its commitments' statuses, grouped once.
    """
    by_implementation = dict.fromkeys(ImplementationStatus.values, 0)
    agreements_by_kind = dict.fromkeys(Agreement.Kind.values, 0)
    commitments_by_status = dict.fromkeys(CommitmentStatus.values, 0)
    found_kinds: dict[str, int] = {}
    try:
        agreements_sql, agreements_params = agreements.order_by().values("pk", "kind").query.sql_with_params()
    except EmptyResultSet:  # a scope that is nothing (restrict's .none()): no query at all
        return by_implementation, agreements_by_kind, commitments_by_status, {}
    commitments = Commitment.objects.with_status(today).order_by().values("agreement_id", "kind", "current_status")
    commitments_sql, commitments_params = commitments.query.sql_with_params()
    met, overdue, at_risk = CommitmentStatus.MET, CommitmentStatus.OVERDUE, CommitmentStatus.AT_RISK
    rolled_up = (
        ImplementationStatus.NO_COMMITMENTS,
        ImplementationStatus.OVERDUE,
        ImplementationStatus.AT_RISK,
        ImplementationStatus.FULFILLED,
        ImplementationStatus.ON_TRACK,
    )
    # every agreement (an operator admin's, unfiltered): every commitment, without a semi join (12.7 -> 7.0 ms at demo
    # scale 6.25, issue 16)
    in_scope = "" if unfiltered(agreements) else " WHERE agreement_id IN (SELECT id FROM a)"
    sql = (
        f"WITH a(id, kind) AS ({agreements_sql}), "
        f"statuses(agreement_id, kind, current_status) AS ({commitments_sql}), "
        f"c AS (SELECT agreement_id, kind, current_status FROM statuses{in_scope}), "
        "per AS (SELECT agreement_id, COUNT(*) AS n, "
        "SUM(CASE WHEN current_status = %s THEN 1 ELSE 0 END) AS n_met, "
        "SUM(CASE WHEN current_status = %s THEN 1 ELSE 0 END) AS n_overdue, "
        "SUM(CASE WHEN current_status = %s THEN 1 ELSE 0 END) AS n_at_risk "
        "FROM c GROUP BY agreement_id) "
        "SELECT 1, kind, current_status, COUNT(*) FROM c GROUP BY kind, current_status "
        "UNION ALL "
        "SELECT 0, kind, status, COUNT(*) FROM (SELECT a.kind AS kind, CASE WHEN per.n IS NULL THEN %s "
        "WHEN per.n_overdue > 0 THEN %s WHEN per.n_at_risk > 0 THEN %s WHEN per.n_met = per.n THEN %s ELSE %s END "
        "AS status FROM a LEFT JOIN per ON per.agreement_id = a.id) rolled GROUP BY kind, status"
    )  # noqa: S608 (only compiled queryset SQL is interpolated)
    params = [*agreements_params, *commitments_params, met, overdue, at_risk, *rolled_up]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for is_commitment, kind, status, n in cursor.fetchall():
            if is_commitment:
                found_kinds[kind] = found_kinds.get(kind, 0) + n
                if status in commitments_by_status:
                    commitments_by_status[status] += n
            else:
                if kind in agreements_by_kind:
                    agreements_by_kind[kind] += n
                by_implementation[status] += n
    commitments_by_kind = {value: found_kinds[value] for value in Commitment.Kind.values if value in found_kinds}
    return by_implementation, agreements_by_kind, commitments_by_status, commitments_by_kind


def agreements_behind(agreements: QuerySet[Agreement], today: datetime.date) -> tuple[int, int]:
    """How many of ``agreements`` are overdue and at risk (``rolled_up_status``: an overdue commitment; an at risk
    one and none overdue), in one statement: what ``implementation_totals`` gives the home pages, reading only the
    unmet commitments that are overdue or at risk, grouped once, instead of every commitment's status
    materialized and rolled up for every agreement (at demo scale 6.25 as admin, 12.8 -> 2.1 ms; issue 16)."""
    overdue = commitment_status_q(CommitmentStatus.OVERDUE, today)
    behind = Commitment.objects.filter(overdue | commitment_status_q(CommitmentStatus.AT_RISK, today))
    if not unfiltered(agreements):
        behind = behind.filter(agreement__in=agreements.values("pk"))
    per_agreement = behind.order_by().values("agreement").annotate(n_overdue=Count("pk", filter=overdue))
    try:
        sql, params = per_agreement.values("n_overdue").query.sql_with_params()
    except EmptyResultSet:  # a scope that is nothing: no query
        return 0, 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(CASE WHEN n_overdue > 0 THEN 1 END), COUNT(CASE WHEN n_overdue = 0 THEN 1 END) "
            f"FROM ({sql}) per_agreement",  # noqa: S608 (compiled queryset SQL only)
            params,
        )
        n_overdue, n_at_risk = cursor.fetchone()
    return int(n_overdue), int(n_at_risk)


# --- commitments checked against the facts ----------------------------------------------------------


def unfiltered(queryset: QuerySet[Any]) -> bool:
    """Whether ``queryset`` is every row of its table (no condition at all): filtering by its keys is then a no-op
    that PostgreSQL still runs as a semi join over the whole table (``restrict`` gives an operator admin that)."""
    return not queryset.query.where and not queryset.query.is_sliced and not queryset.query.combinator


def visible_commitments(user: Actor | None) -> QuerySet[Commitment]:
    """The commitments ``user`` reads with their checks: staff in their scope, a government partner those of
    the agreements its organization is party to, an enterprise user only those its own organization made."""
    commitments = Commitment.objects.restrict(user)
    if isinstance(user, User) and _own_commitments_only(user):
        commitments = commitments.filter(party__organization__in=user.scope_organization_ids())
    return commitments


def _own_commitments_only(user: User) -> bool:
    """Whether ``user`` reads only the commitments its own organization made (an enterprise user)."""
    from parkos.core.permissions import Scope, roles_of, scope_of

    # the roles read with the user's grants (no query of its groups, issue 16)
    return scope_of(user) == Scope.ORGANIZATION and {role.name for role in roles_of(user)} == {"enterprise_user"}


def report_checks(user: Actor | None, agreements: QuerySet[Agreement]) -> QuerySet[CommitmentCheck]:
    """``visible_checks(user)`` of the commitments of ``agreements``, which are ``Agreement.objects.restrict(user)``
    narrowed (the implementation report's): the user's scope applied once.

    A commitment is in a user's scope exactly when its agreement is (its park and organization paths are the
    agreement's behind ``agreement__``, tests/test_reconcile.py checks it), so the checks of the scoped
    agreements' commitments need no second semi join of the scope through the commitments (a park manager's
    statement read every commitment of its parks twice, issue 16). An enterprise user still reads only its own."""
    from parkos.core.permissions import Action, can

    if not can(user, Commitment, Action.VIEW):
        return CommitmentCheck.objects.none()
    checks = CommitmentCheck.objects.all()
    if not unfiltered(agreements):
        checks = checks.filter(commitment__agreement__in=agreements.values("pk"))
    if isinstance(user, User) and _own_commitments_only(user):
        checks = checks.filter(commitment__party__organization__in=user.scope_organization_ids())
    return checks


def visible_checks(user: Actor | None, year: int | None = None) -> QuerySet[CommitmentCheck]:
    commitments = visible_commitments(user)
    # every commitment (an operator admin's scope): no semi join of every check with every commitment (issue 16)
    checks = (
        CommitmentCheck.objects.all()
        if unfiltered(commitments)
        else CommitmentCheck.objects.filter(commitment__in=commitments)
    )
    return checks.filter(year=year) if year is not None else checks


class CheckCount(TypedDict):
    key: object
    label: str
    met: int
    behind: int
    missed: int
    open: int
    total: int


#: the groupings of the check summary: name -> (lookup, lookup of its label)
CHECK_GROUPS: dict[str, tuple[str, str]] = {
    "source": ("computed", "computed"),
    "agreement": ("commitment__agreement", "commitment__agreement__title"),
    "park": ("commitment__agreement__park", "commitment__agreement__park__name"),
    "district": ("commitment__agreement__park__district", "commitment__agreement__park__district"),
    "kind": ("commitment__kind", "commitment__kind"),
}


def check_summary(checks: QuerySet[CommitmentCheck], by: str, limit: int | None = None) -> list[CheckCount]:
    """Checks met, behind, missed and open per source (computed or entered), agreement, park, district or kind.

    One grouped query. Agreements come worst first (most missed), the rest in label order (ties by key).
    """
    key, label = CHECK_GROUPS[by]
    if by == "source":
        checks = checks.annotate(
            computed=Case(
                When(source__in=CommitmentCheck.FACT_SOURCES, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    counts = {outcome: Count("pk", filter=Q(outcome=outcome)) for outcome in CheckOutcome.values}
    rows = checks.order_by().values(key, label).annotate(total=Count("pk"), **counts)
    # the key last: agreements of one title (a partner signs the same strategic agreement yearly) in one order
    rows = rows.order_by("-missed", "-behind", label, key) if by == "agreement" else rows.order_by(label, key)
    if limit is not None:
        rows = rows[:limit]
    kinds = dict(Commitment.Kind.choices)
    out: list[CheckCount] = []
    for row in rows:
        text = row[label]
        if by == "source":
            text = _("Computed from ParkOS records") if row[key] else _("Entered by hand, or no figure")
        elif by == "kind":
            text = kinds.get(text, text)
        out.append(
            {
                "key": row[key],
                "label": str(text or "—"),
                "met": row["met"],
                "behind": row["behind"],
                "missed": row["missed"],
                "open": row["open"],
                "total": row["total"],
            }
        )
    return out


def latest_check_year(checks: QuerySet[CommitmentCheck]) -> int | None:
    year: int | None = checks.aggregate(y=Max("year"))["y"]
    return year


#: check_summaries' groupings whose keys are text (the others are numbers: PostgreSQL wants one type per column of a
#: UNION, so each kind of key has a column of its own)
_TEXT_KEYS = frozenset({"district", "kind"})


def check_summaries(
    checks: QuerySet[CommitmentCheck], year: int | None = None, *, agreement_limit: int | None = None
) -> tuple[int | None, dict[str, list[CheckCount]]]:
    """``check_summary`` for every grouping of CHECK_GROUPS, and the year shown (``year``, or the latest checked),
    in one statement.

    The report asked for the latest year and then each grouping: six queries, each evaluating the reader's scope
    again (for a government partner two nested subqueries of parties and user organizations, about 10 ms each on
    PostgreSQL, issue 16). Here the scoped checks are a common table expression read once and grouped five ways
    (UNION ALL); each grouping's rows are numbered in SQL in check_summary's order (the database's collation), so
    the rows are the same, in the same order. The scoped rows carry keys only (numbers and short codes): the
    agreements' titles and the parks' names and districts are joined to the grouped rows (a thousand agreements
    at demo scale 6.25), not to every check (3,344), and the districts are summed from the parks' rows.
    """
    scoped = checks.annotate(
        s_computed=Case(
            When(source__in=CommitmentCheck.FACT_SOURCES, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    ).values(
        "s_computed",
        s_year=F("year"),
        s_outcome=F("outcome"),
        s_agreement=F("commitment__agreement"),
        s_park=F("commitment__agreement__park"),
        s_kind=F("commitment__kind"),
    )
    groups: dict[str, list[tuple[int, CheckCount]]] = {by: [] for by in CHECK_GROUPS}
    try:
        scoped_sql, scoped_params = scoped.order_by().query.sql_with_params()
    except EmptyResultSet:  # a scope that is nothing (restrict's .none()): no query at all
        return year, {by: [] for by in CHECK_GROUPS}
    params = list(scoped_params)
    outcomes = CheckOutcome.values
    flags = ", ".join(f"CASE WHEN s_outcome = %s THEN 1 ELSE 0 END AS n_{value}" for value in outcomes)
    params += outcomes
    if year is None:
        picked_year = "(SELECT MAX(s_year) FROM scoped)"
    else:
        picked_year = "%s"
        params.append(year)
    sums = ", ".join(f"SUM(n_{value}) AS {value}" for value in outcomes)
    copied = ", ".join(f"g.{value}" for value in outcomes)
    # PostgreSQL's SUM of bigints is numeric: back to integers, as the other groupings' counts
    summed = ", ".join(f"CAST(SUM(g.{value}) AS INTEGER)" for value in outcomes)
    agreements, parks = (
        connection.ops.quote_name(Agreement._meta.db_table),
        connection.ops.quote_name(Park._meta.db_table),
    )
    missed, behind = CheckOutcome.MISSED, CheckOutcome.BEHIND
    # grp, key_number, key_text, label, total, the outcomes, rn (check_summary's order)
    branches = [
        f"SELECT 'source' AS grp, s_computed AS key_number, NULL AS key_text, NULL AS label, COUNT(*) AS total, "
        f"{sums}, ROW_NUMBER() OVER (ORDER BY s_computed) AS rn FROM picked GROUP BY s_computed",
        f"SELECT 'agreement', g.k, NULL, a.title, g.total, {copied}, "
        f"ROW_NUMBER() OVER (ORDER BY g.{missed} DESC, g.{behind} DESC, a.title, g.k) "
        f"FROM (SELECT s_agreement AS k, COUNT(*) AS total, {sums} FROM picked GROUP BY s_agreement) g "
        f"JOIN {agreements} a ON a.id = g.k",
        f"SELECT 'park', g.k, NULL, p.name, g.total, {copied}, ROW_NUMBER() OVER (ORDER BY p.name, g.k) "
        f"FROM by_park g JOIN {parks} p ON p.id = g.k",
        f"SELECT 'district', NULL, p.district, p.district, CAST(SUM(g.total) AS INTEGER), {summed}, "
        f"ROW_NUMBER() OVER (ORDER BY p.district) FROM by_park g JOIN {parks} p ON p.id = g.k GROUP BY p.district",
        f"SELECT 'kind', NULL, s_kind, NULL, COUNT(*), {sums}, ROW_NUMBER() OVER (ORDER BY s_kind) "
        "FROM picked GROUP BY s_kind",
    ]
    limit = ""
    if agreement_limit is not None:
        limit = " WHERE grp <> 'agreement' OR rn <= %s"
        params.append(agreement_limit)
    sql = (
        f"WITH scoped AS ({scoped_sql}), "
        f"picked AS (SELECT *, {flags} FROM scoped WHERE s_year = {picked_year}), "
        f"by_park AS (SELECT s_park AS k, COUNT(*) AS total, {sums} FROM picked GROUP BY s_park) "
        f"SELECT grp, key_number, key_text, label, total, {', '.join(outcomes)}, rn, "
        "(SELECT MAX(s_year) FROM picked) "
        f"FROM ({' UNION ALL '.join(branches)}) grouped{limit}"
    )  # noqa: S608 (only compiled queryset SQL, table names and our own constants are interpolated)
    shown_year = year
    kinds = dict(Commitment.Kind.choices)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for by, key_number, key_text, text, total, *counts, rn, picked in cursor.fetchall():
            shown_year = picked if year is None else year
            key_value = key_text if by in _TEXT_KEYS else key_number
            if by == "source":
                text = _("Computed from ParkOS records") if key_value else _("Entered by hand, or no figure")
            elif by == "kind":
                text = kinds.get(key_value, key_value)
            outcome_counts = dict(zip(outcomes, counts, strict=True))
            groups[by].append(
                (
                    rn,
                    {
                        "key": key_value,
                        "label": str(text or "—"),
                        "met": outcome_counts["met"],
                        "behind": outcome_counts["behind"],
                        "missed": outcome_counts["missed"],
                        "open": outcome_counts["open"],
                        "total": total,
                    },
                )
            )
    return shown_year, {by: [row for _rn, row in sorted(rows, key=lambda pair: pair[0])] for by, rows in groups.items()}
