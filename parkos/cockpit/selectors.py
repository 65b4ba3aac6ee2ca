"""Reads for the cockpit, the big screen and the park benchmarking: every figure for a period and a scope.

Each figure is an aggregate query (a handful per tile, never one per park or enterprise), built on the
apps' own rules: ``restrict(user)`` for what the user may see, ``Lease.HOLDING`` / ``Sale.HOLDING``, the
signed stage change of the pipeline, ``investment_by_currency`` and its FX table, ``commitment_status_q``,
``within_target_q``, and the evaluation engine's totals over totals for economic density. Each tile carries
the URL of the list that adds up to it and how (``measure``), so a test can follow the link and re-add it.

A government partner sees its district only: the agreements it is party to and their commitments (rows it
may read), and aggregates over the parks of its district (investment landed, land efficiency), nothing else.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple
from urllib.parse import urlencode

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncYear
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from parkos.core.actors import Actor
from parkos.core.permissions import ROLES_BY_NAME, Action, Scope, can, roles_of, scope_of
from parkos.core.units import AreaUnit, format_area, format_area_with_mu, format_money, money_unit_for
from parkos.directory.models import Organization
from parkos.evaluation.models import EvaluationResult, EvaluationRun
from parkos.investment.models import (
    Agreement,
    CheckOutcome,
    Commitment,
    CommitmentCheck,
    CommitmentStatus,
    ExchangeRate,
    Project,
    Stage,
    StageChange,
)
from parkos.investment.models import commitment_status_q as _commitment_q
from parkos.investment.selectors import investment_by_currency
from parkos.land.models import DisposalCase, ParcelFlag
from parkos.leasing.models import Lease, Sale
from parkos.leasing.selectors import held_unit_ids
from parkos.parks.models import Building, LandParcel, Park, ParkBrand, SpaceUnit
from parkos.services.models import Aspect, Scenario, ServiceRequest, Status, within_target_q

PARTNER_ROLE = ROLES_BY_NAME["government_partner"]
#: the stages of a project whose investment has landed in the park
LANDED_STAGES = (Stage.LANDED, Stage.UNDER_CONSTRUCTION, Stage.IN_OPERATION)
ZERO = Decimal(0)


# --- periods --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    date_from: datetime.date
    date_to: datetime.date

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def previous(self) -> Period:
        """The period just before, of the same shape: the year, quarter or month before, else as many days."""
        start, end = self.date_from, self.date_to
        if start.day == 1 and (end + datetime.timedelta(days=1)).day == 1:
            months = (end.year - start.year) * 12 + end.month - start.month + 1
            first = _add_months(start, -months)
            return Period(first, start - datetime.timedelta(days=1))
        if start.day == 1 and start.month == 1 and end.year == start.year:  # this year so far: the same days last year
            return Period(start.replace(year=start.year - 1), _same_day(end, start.year - 1))
        return Period(start - datetime.timedelta(days=self.days), start - datetime.timedelta(days=1))

    @property
    def by_year(self) -> bool:
        """Trends run by month over a year or less, by year over longer periods."""
        return self.days > 366

    def buckets(self) -> list[datetime.date]:
        """The first day of each month (or year) of the trend."""
        if self.by_year:
            return [datetime.date(year, 1, 1) for year in range(self.date_from.year, self.date_to.year + 1)]
        out, day = [], self.date_from.replace(day=1)
        while day <= self.date_to:
            out.append(day)
            day = _add_months(day, 1)
        return out

    def bucket_label(self, day: datetime.date) -> str:
        """Short enough for a small chart's axis: '2026', '3月' / 'Mar' (with the year when the period spans two)."""
        if self.by_year:
            return f"{day.year}"
        from parkos.core.units import is_chinese

        month = f"{day.month}月" if is_chinese() else calendar.month_abbr[day.month]
        return month if self.date_from.year == self.date_to.year else f"{day.year % 100:02d}/{month}"


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _same_day(day: datetime.date, year: int) -> datetime.date:
    return day.replace(year=year) if (day.month, day.day) != (2, 29) else day.replace(year=year, day=28)


# --- scopes ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CockpitScope:
    """What the cockpit adds up: every park the user sees (group), a brand, a park or a district."""

    kind: str
    key: str
    label: str
    #: the parks added up; None: every park the user may see (the lists need no park filter then)
    park_ids: tuple[int, ...] | None
    #: a government partner's district: aggregates over its parks, rows only where it is a party
    partner: bool = False

    @property
    def token(self) -> str:
        return self.kind if self.kind == "group" else f"{self.kind}:{self.key}"

    def park_query(self) -> list[tuple[str, int]]:
        """The list pages' park filter for this scope (none for the whole group)."""
        return [] if self.park_ids is None else [("park", pk) for pk in self.park_ids]


def is_partner(user: Actor | None) -> bool:
    """A government partner's account (and not also an operator's: staff roles see the operator's cockpit)."""
    return scope_of(user) == Scope.ORGANIZATION and PARTNER_ROLE in roles_of(user)


def partner_districts(user: Actor) -> list[str]:
    """The districts of the government bodies the partner belongs to."""
    if not is_partner(user) or not hasattr(user, "scope_organization_ids"):
        return []
    rows = (
        Organization.objects.filter(pk__in=user.scope_organization_ids(), kind=Organization.Kind.GOVERNMENT)
        .exclude(district="")
        .values_list("district", flat=True)
        .distinct()
    )
    return sorted(rows)


def visible_parks(user: Actor) -> QuerySet[Park]:
    """The parks the cockpit may add up for ``user``: those it sees, or a partner's district's parks."""
    if is_partner(user):
        return Park.objects.filter(district__in=partner_districts(user))
    return Park.objects.restrict(user)


def may_use_cockpit(user: Actor | None) -> bool:
    """Operator staff (parks-wide or wider) and government partners with a district."""
    if user is None or not user.is_authenticated:
        return False
    return scope_of(user) >= Scope.PARKS or bool(partner_districts(user))


def scope_choices(user: Actor) -> list[tuple[str, str]]:
    """(token, label) of the scopes ``user`` may pick: the group, its brands, districts and parks (two queries)."""
    parks = list(visible_parks(user).values_list("pk", "name", "district", "brand_id", "brand__name").order_by("name"))
    if is_partner(user):
        return [(f"district:{name}", name) for name in sorted({row[2] for row in parks})]
    brands = sorted({(row[3], row[4]) for row in parks if row[3] is not None}, key=lambda item: item[1])
    districts = sorted({row[2] for row in parks if row[2]})
    return [
        ("group", _("All parks")),
        *((f"brand:{pk}", _("Brand: %(name)s") % {"name": name}) for pk, name in brands),
        *((f"district:{name}", _("District: %(name)s") % {"name": name}) for name in districts),
        *((f"park:{pk}", name) for pk, name, *_rest in parks),
    ]


def resolve_scope(user: Actor, token: str) -> CockpitScope:
    """The scope a token names, among those ``user`` may pick; ValueError for any other."""
    parks = visible_parks(user)
    if is_partner(user):
        districts = partner_districts(user)
        if not token or token == "group":
            token = f"district:{districts[0]}" if districts else ""
        if not token.startswith("district:") or token.split(":", 1)[1] not in districts:
            raise ValueError(token)
    kind, _sep, key = (token or "group").partition(":")
    if kind == "group" and not key:
        return CockpitScope("group", "", _("All parks"), None, partner=False)
    if kind == "brand" and key.isdigit():
        ids = tuple(parks.filter(brand=int(key)).order_by("pk").values_list("pk", flat=True))
        brand = ParkBrand.objects.filter(pk=int(key)).values_list("name", flat=True).first()
        if ids and brand is not None:
            return CockpitScope("brand", key, brand, ids)
    elif kind == "park" and key.isdigit():
        row = parks.filter(pk=int(key)).values_list("pk", "name").first()
        if row is not None:
            return CockpitScope("park", key, row[1], (row[0],))
    elif kind == "district" and key:
        ids = tuple(parks.filter(district=key).order_by("pk").values_list("pk", flat=True))
        if ids:
            return CockpitScope("district", key, key, ids, partner=is_partner(user))
    raise ValueError(token)


def _in(queryset: QuerySet[Any], scope: CockpitScope, path: str = "park") -> QuerySet[Any]:
    return queryset if scope.park_ids is None else queryset.filter(**{f"{path}__in": scope.park_ids})


# --- tiles ----------------------------------------------------------------------------------------------


def _link(name: str, *params: tuple[str, Any]) -> str:
    query = urlencode([(key, str(value)) for key, value in params if value not in (None, "")])
    return f"{reverse(name)}?{query}" if query else reverse(name)


def _between(name: str, field: str, dates: tuple[str, str], *params: tuple[str, Any]) -> str:
    """The list ``name`` filtered to ``<field>_from``/``<field>_to`` = the period's dates (and ``params``)."""
    return _link(name, (f"{field}_from", dates[0]), (f"{field}_to", dates[1]), *params)


def _change(current: float | Decimal | None, previous: float | Decimal | None) -> float | None:
    """The change against the period before, as a share (0.12 = +12 %); None without a base."""
    if current is None or previous is None or not previous:
        return None
    return round(float(current) / float(previous) - 1, 4)


def _number(value: Decimal | float | int | None) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    return round(float(value), 2)


@dataclass
class Figure:
    """One number of a tile: its value, how it reads, and the list that adds up to it."""

    key: str
    label: str
    value: float | int | None
    display: str
    url: str = ""
    #: how the list at ``url`` adds up to ``value``: "count", "sum:<field>", "distinct:<field>", "density:<field>"
    measure: str = ""
    previous: float | int | None = None

    def as_dict(self) -> dict[str, Any]:
        change = _change(self.value, self.previous)
        return {
            "key": self.key,
            "label": self.label,
            "value": self.value,
            "display": self.display,
            "url": self.url,
            "measure": self.measure,
            "previous": self.previous,
            "change": change,
            "change_display": "" if change is None else f"{change * 100:+.1f} %",
        }


@dataclass
class Tile:
    key: str
    title: str
    figures: list[Figure]
    #: (bucket label, value) per month or year, or a breakdown (aspect, grade) for a chart
    trend: list[tuple[str, float | int | None]] | None = None
    chart: str = "line"
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "figures": [figure.as_dict() for figure in self.figures],
            "chart": self.chart,
            "labels": [label for label, _value in self.trend] if self.trend is not None else [],
            "values": [value for _label, value in self.trend] if self.trend is not None else [],
            "note": self.note,
        }


_UNIT_SPACE = re.compile(r" (?=[^\d(\s·])")


def _unbroken(text: str) -> str:
    """A number keeps its unit on its line in a narrow tile ('183.63\u00a0万\u2060㎡'): a no-break space before the
    unit, and a word joiner inside 万㎡ (browsers may break between CJK characters)."""
    return _UNIT_SPACE.sub("\u00a0", text).replace("万㎡", "万\u2060㎡")  # a word joiner: 万 and ㎡ stay together


class Formats:
    """Numbers for people in the reader's units (core.units): money in 元 / 万元 / 亿元, land with 亩."""

    def __init__(self, user: Actor) -> None:
        self.money_unit = money_unit_for(user)
        self.area_unit = getattr(user, "area_unit", AreaUnit.SQUARE_METRE) or AreaUnit.SQUARE_METRE

    def money(self, amount: Decimal | float | None, currency: str = "CNY") -> str:
        if amount is None:
            return "—"
        return format_money(Decimal(str(amount)), currency, self.money_unit)

    def per_mu(self, amount: float | None) -> str:
        """Money per mu of land: '12.30 万元/亩'."""
        return "—" if amount is None else _("%(money)s/mu") % {"money": self.money(amount)}

    def area(self, m2: Decimal | float | None) -> str:
        """Floor space: '175.49 万㎡' in zh-Hans from 10,000 m² on, '1,754,897.25 m²' in English."""
        return "—" if m2 is None else _unbroken(format_area(Decimal(str(m2)), self.area_unit, compact=True))

    def land(self, m2: Decimal | float | None) -> str:
        """Land is counted in mu: '2,632.35 亩 (175.49 万㎡)', mu first whatever the reader's area unit."""
        if m2 is None:
            return "—"
        return _unbroken(format_area_with_mu(Decimal(str(m2)), AreaUnit.MU, compact=True))

    @staticmethod
    def count(n: int | None) -> str:
        return "—" if n is None else f"{n:,}"

    @staticmethod
    def share(value: float | None) -> str:
        return "—" if value is None else f"{value * 100:.1f} %"

    @staticmethod
    def plain(value: float | None, digits: int = 2) -> str:
        return "—" if value is None else f"{value:,.{digits}f}"


def _count(
    fmt: Formats, key: str, label: str, n: int, url: str = "", previous: int | None = None, display: str = ""
) -> Figure:
    """A count, linked to the list that counts it (measure "count") when there is one."""
    return Figure(key, label, n, display or fmt.count(n), url, "count" if url else "", previous)


def _counts(fmt: Formats, prefix: str, rows: Iterable[tuple[str, Any, int]], link: Any = None) -> list[Figure]:
    """One count per (value, label, n) row, keyed ``<prefix>_<value>``, linked to ``link(value)`` if given."""
    return [_count(fmt, f"{prefix}_{value}", str(label), n, link(value) if link else "") for value, label, n in rows]


def _breakdown(figures: Sequence[Figure]) -> list[tuple[str, float | int | None]]:
    """A chart of the figures themselves (a breakdown by aspect, grade or status)."""
    return [(figure.label, figure.value) for figure in figures]


def _trend(
    queryset: QuerySet[Any], date_field: str, period: Period, value: Any
) -> list[tuple[str, float | int | None]]:
    """``value`` (an aggregate) per month or year of the period: one grouped query."""
    trunc = TruncYear(date_field) if period.by_year else TruncMonth(date_field)
    rows = queryset.annotate(bucket=trunc).values("bucket").annotate(v=value).order_by()
    found: dict[datetime.date, Any] = {}
    for row in rows:
        bucket = row["bucket"]
        if isinstance(bucket, datetime.datetime):
            bucket = timezone.localtime(bucket).date() if timezone.is_aware(bucket) else bucket.date()
        found[bucket] = row["v"]
    return [(period.bucket_label(day), _number(found.get(day) or 0)) for day in period.buckets()]


# --- the figures ----------------------------------------------------------------------------------------


def _signed_projects(user: Actor, scope: CockpitScope, period: Period) -> QuerySet[Project]:
    signings = StageChange.objects.filter(stage=Stage.SIGNED, date__gte=period.date_from, date__lte=period.date_to)
    return _in(Project.objects.restrict(user), scope).filter(pk__in=signings.values("project"))


def _agreements(user: Actor, scope: CockpitScope, period: Period) -> QuerySet[Agreement]:
    agreements = Agreement.objects.restrict(user).filter(signed_on__gte=period.date_from, signed_on__lte=period.date_to)
    return agreements if scope.partner else _in(agreements, scope)


def _leases(user: Actor, scope: CockpitScope) -> QuerySet[Lease]:
    return _in(Lease.objects.restrict(user), scope).filter(status__in=Lease.HOLDING)


def _new_tenant_leases(leases: QuerySet[Lease], period: Period) -> QuerySet[Lease]:
    earlier = Lease.objects.filter(
        tenant=OuterRef("tenant"), status__in=Lease.HOLDING, start_date__lt=OuterRef("start_date")
    )
    return leases.filter(start_date__gte=period.date_from, start_date__lte=period.date_to).filter(~Q(Exists(earlier)))


def _requests(user: Actor, scope: CockpitScope, period: Period) -> QuerySet[ServiceRequest]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.date_from, datetime.time.min, tz)
    end = datetime.datetime.combine(period.date_to + datetime.timedelta(days=1), datetime.time.min, tz)
    requests = ServiceRequest.objects.restrict(user).filter(requested_at__gte=start, requested_at__lt=end)
    return _in(requests, scope)


def latest_run(user: Actor) -> EvaluationRun | None:
    """The latest finished evaluation run (the published economic density); a partner reads the municipal one."""
    runs = EvaluationRun.objects.all() if is_partner(user) else EvaluationRun.objects.restrict(user)
    done = runs.filter(status=EvaluationRun.Status.DONE).select_related("scheme")
    return done.order_by("-year", "-finished", "-pk").first()


def scheme_label(run: EvaluationRun) -> str:
    """The run's scheme as the reader's language names it ('规上工业企业亩均效益评价 v1' in zh-Hans)."""
    from parkos.evaluation.scheme import SchemeError

    scheme = run.scheme
    try:
        name = scheme.scheme().display_name
    except (SchemeError, TypeError, ValueError):
        return str(scheme)
    if (translation.get_language() or "").lower().startswith("zh") and name:
        return f"{name} v{scheme.version}"
    return str(scheme)


def density_q() -> Q:
    """The enterprises a density adds up: land above zero (the engine's rule: totals over totals)."""
    return Q(land_mu__gt=0)


def _results(user: Actor, scope: CockpitScope, run: EvaluationRun) -> QuerySet[EvaluationResult]:
    results = EvaluationResult.objects.filter(run=run) if scope.partner else EvaluationResult.objects.restrict(user)
    return _in(results.filter(run=run), scope)


def density_totals(results: QuerySet[EvaluationResult]) -> dict[str, float | None]:
    """Tax and value added per mu over ``results``, totals over totals (the engine's rollup rule)."""
    sums = results.aggregate(
        tax_sum=Sum("tax", filter=density_q() & Q(tax__isnull=False)),
        tax_land=Sum("land_mu", filter=density_q() & Q(tax__isnull=False)),
        va_sum=Sum("value_added", filter=density_q() & Q(value_added__isnull=False)),
        va_land=Sum("land_mu", filter=density_q() & Q(value_added__isnull=False)),
        land_sum=Sum("land_mu", filter=density_q()),
        enterprises=Count("pk"),
    )
    tax, va = sums["tax_sum"], sums["va_sum"]
    return {
        "tax_per_mu": tax / sums["tax_land"] if tax is not None and sums["tax_land"] else None,
        "value_added_per_mu": va / sums["va_land"] if va is not None and sums["va_land"] else None,
        "land_mu": sums["land_sum"],
        "enterprises": sums["enterprises"],
    }


def grade_counts(results: QuerySet[EvaluationResult]) -> dict[str, int]:
    """Graded enterprises per grade (an empty grade is left out)."""
    rows = results.exclude(grade="").values_list("grade").annotate(n=Count("pk")).order_by("grade")
    return {grade: n for grade, n in rows}


def occupancy_on(user: Actor, scope: CockpitScope, day: datetime.date) -> dict[str, Decimal | float | None]:
    """Lettable and occupied area on ``day`` of the units in scope (the leasing app's holding rules)."""
    units = _in(SpaceUnit.objects.restrict(user), scope, "building__parcel__park")
    leased_ids, sold_q = held_unit_ids(day)
    every = units.aggregate(area=Sum("area"))["area"] or ZERO
    # leased, then sold and not leased: two plain IN lookups (an OR of the subqueries scans every unit)
    held = (units.filter(pk__in=leased_ids).aggregate(area=Sum("area"))["area"] or ZERO) + (
        units.filter(sold_q).exclude(pk__in=leased_ids).aggregate(area=Sum("area"))["area"] or ZERO
    )
    return {"lettable": every, "occupied": held, "rate": float(held / every) if every else None}


class Ask(NamedTuple):
    """What a part of the cockpit is computed for: the reader, the scope, the period and the one before, the
    reader's formats, the lists' park filter and the period's dates as the lists' filters write them."""

    user: Actor
    scope: CockpitScope
    period: Period
    before: Period
    fmt: Formats
    where: list[tuple[str, int]]
    dates: tuple[str, str]


def cockpit_figures(user: Actor, scope: CockpitScope, period: Period) -> dict[str, Any]:
    """Every tile of the cockpit (or of a government partner's) for ``scope`` and ``period``."""
    if scope.partner:
        return partner_figures(user, scope, period)
    fmt = Formats(user)
    before = period.previous()
    dates = (period.date_from.isoformat(), period.date_to.isoformat())
    where = scope.park_query()
    ask = Ask(user, scope, period, before, fmt, where, dates)
    parts: list[tuple[str, type[Any], Any]] = [
        ("projects", Project, lambda: _project_tiles(ask)),
        ("agreements", Agreement, lambda: [_agreements_tile(user, scope, period, fmt, where)]),
        ("leasing", Lease, lambda: _leasing_tiles(ask)),
        ("evaluation", EvaluationResult, lambda: _evaluation_tiles(user, scope, fmt, links=True)),
        ("land", DisposalCase, lambda: _land_tiles(user, scope, period, fmt, where)),
        ("services", ServiceRequest, lambda: _service_tiles(ask)),
        (
            "commitments",
            Commitment,
            lambda: [
                _commitment_tile(user, scope, fmt, where, partner=False),
                *_some(_check_tile(user, scope, fmt, partner=False)),
            ],
        ),
    ]
    tiles: list[Tile | dict[str, Any]] = []
    oldest = None
    for topic, model, build in parts:
        if can(user, model, Action.VIEW):
            # each part kept on its own: a write recomputes the parts that read it, not every tile
            part = cached_part(user, topic, scope, period, build)
            tiles.extend(part["tiles"])
            oldest = part["computed_at"] if oldest is None else min(oldest, part["computed_at"])
    return _result(user, scope, period, tiles, computed_at=oldest)


def _project_tiles(ask: Ask) -> list[Tile]:
    """Projects signed and their planned investment (CNY, USD at the FX table's rates)."""
    user, scope, period, before, fmt, where, dates = ask
    tiles: list[Tile] = []
    # investment: projects signed and their planned investment (CNY, USD at the FX table's rates)
    signed, signed_before = _signed_projects(user, scope, period), _signed_projects(user, scope, before)
    cny = investment_by_currency(signed, currency="CNY", on=period.date_to)
    usd = investment_by_currency(signed, currency="USD", on=period.date_to)
    cny_before = investment_by_currency(signed_before, currency="CNY", on=before.date_to)
    n_signed, n_before = signed.count(), signed_before.count()
    projects_url = _between("investment:project_list", "signed", dates, *where)
    signings = StageChange.objects.filter(
        stage=Stage.SIGNED, project__in=_in(Project.objects.restrict(user), scope).values("pk")
    ).filter(date__gte=period.date_from, date__lte=period.date_to)
    tiles.append(
        Tile(
            "projects",
            _("Projects signed"),
            [
                _count(fmt, "projects_signed", _("Projects signed"), n_signed, projects_url, n_before),
                Figure(
                    "investment_cny",
                    _("Planned investment"),
                    _number(cny["total"]),
                    fmt.money(cny["total"]),
                    projects_url,
                    # the list re-adds it in yuan when every project is planned in yuan
                    "sum:planned_investment_amount" if {r["currency"] for r in cny["by_currency"]} <= {"CNY"} else "",
                    _number(cny_before["total"]),
                ),
                Figure(
                    "investment_usd",
                    _("Planned investment in USD"),
                    _number(usd["total"]),
                    fmt.money(usd["total"], "USD") if "CNY" not in usd["missing_rates"] else _("no USD rate"),
                ),
            ],
            _trend(signings, "date", period, Count("project", distinct=True)),
            "bar",
        )
    )
    return tiles


def _leasing_tiles(ask: Ask) -> list[Tile]:
    """Enterprises hosted and new, area leased and sold, occupancy at the period's end."""
    user, scope, period, before, fmt, where, dates = ask
    tiles: list[Tile] = []
    # enterprises hosted (tenants holding a lease at the period's end) and new ones (their first lease)
    leases = _leases(user, scope)
    held = leases.filter(start_date__lte=period.date_to).filter(
        Q(effective_end__isnull=True) | Q(effective_end__gte=period.date_to)
    )
    held_before = leases.filter(start_date__lte=before.date_to).filter(
        Q(effective_end__isnull=True) | Q(effective_end__gte=before.date_to)
    )
    hosted = held.aggregate(n=Count("tenant", distinct=True))["n"]
    hosted_before = held_before.aggregate(n=Count("tenant", distinct=True))["n"]
    new = _new_tenant_leases(leases, period)
    n_new = new.aggregate(n=Count("tenant", distinct=True))["n"]
    n_new_before = _new_tenant_leases(leases, before).aggregate(n=Count("tenant", distinct=True))["n"]
    tiles.append(
        Tile(
            "enterprises",
            _("Enterprises hosted"),
            [
                Figure(
                    "enterprises_hosted",
                    _("Enterprises hosted"),
                    hosted,
                    fmt.count(hosted),
                    _link("leasing:lease_list", ("held_on", dates[1]), *where),
                    "distinct:tenant",
                    hosted_before,
                ),
                Figure(
                    "enterprises_new",
                    _("New this period"),
                    n_new,
                    fmt.count(n_new),
                    _between("leasing:lease_list", "start", dates, ("first_lease", "true"), *where),
                    "distinct:tenant",
                    n_new_before,
                ),
            ],
            _trend(new, "start_date", period, Count("tenant", distinct=True)),
            "bar",
        )
    )

    # area leased and sold in the period; occupancy at its end
    leased = leases.filter(start_date__gte=period.date_from, start_date__lte=period.date_to)
    leased_before = leases.filter(start_date__gte=before.date_from, start_date__lte=before.date_to)
    sales = _in(Sale.objects.restrict(user), scope).filter(status__in=Sale.HOLDING)
    sold = sales.filter(contract_date__gte=period.date_from, contract_date__lte=period.date_to)
    sold_before = sales.filter(contract_date__gte=before.date_from, contract_date__lte=before.date_to)
    leased_area = leased.aggregate(a=Sum("leased_area"))["a"] or ZERO
    leased_area_before = leased_before.aggregate(a=Sum("leased_area"))["a"] or ZERO
    sold_area = sold.aggregate(a=Sum("area"))["a"] or ZERO
    sold_area_before = sold_before.aggregate(a=Sum("area"))["a"] or ZERO
    tiles.append(
        Tile(
            "area",
            _("Area leased and sold"),
            [
                Figure(
                    "area_leased",
                    _("Area leased"),
                    _number(leased_area),
                    fmt.area(leased_area),
                    _between("leasing:lease_list", "start", dates, ("holding", "true"), *where),
                    "sum:leased_area",
                    _number(leased_area_before),
                ),
                Figure(
                    "area_sold",
                    _("Area sold"),
                    _number(sold_area),
                    fmt.area(sold_area),
                    _between("leasing:sale_list", "contract", dates, ("holding", "true"), *where),
                    "sum:area",
                    _number(sold_area_before),
                ),
            ],
            _trend(leased, "start_date", period, Sum("leased_area")),
            "bar",
        )
    )
    occupancy = occupancy_on(user, scope, period.date_to)
    occupancy_before = occupancy_on(user, scope, before.date_to)
    occupancy_params: list[tuple[str, Any]] = [("date", dates[1])]
    if scope.kind in ("park", "brand"):
        occupancy_params.append((scope.kind, scope.key))
    tiles.append(
        Tile(
            "occupancy",
            _("Occupancy"),
            [
                Figure(
                    "occupancy",
                    _("Occupancy"),
                    _number(occupancy["rate"]),
                    fmt.share(occupancy["rate"]),  # type: ignore[arg-type]
                    _link("leasing:occupancy", *occupancy_params) if scope.kind != "district" else "",
                    "occupancy" if scope.kind != "district" else "",
                    _number(occupancy_before["rate"]),
                ),
                Figure("lettable", _("Lettable area"), _number(occupancy["lettable"]), fmt.area(occupancy["lettable"])),
            ],
        )
    )
    return tiles


def _evaluation_tiles(user: Actor, scope: CockpitScope, fmt: Formats, *, links: bool) -> list[Tile]:
    run = latest_run(user)
    if run is None:
        return [Tile("density", _("Economic density"), [], note=_("No evaluation has been run yet."))]
    results = _results(user, scope, run)
    totals = density_totals(results)
    where = [("run", run.pk), *scope.park_query()]
    results_url = _link("evaluation:evaluationresult_list", *where) if links else ""
    grades = grade_counts(results)
    note = _("Evaluation of %(year)s (%(scheme)s)") % {"year": run.year, "scheme": scheme_label(run)}
    density = Tile(
        "density",
        _("Economic density"),
        [
            Figure(
                f"{field}_per_mu",
                label,
                _number(totals[f"{field}_per_mu"]),
                fmt.per_mu(totals[f"{field}_per_mu"]),
                results_url,
                f"density:{field}" if links else "",
            )
            for field, label in (("tax", _("Tax per mu")), ("value_added", _("Value added per mu")))
        ],
        note=note,
    )
    grade_figures = _counts(
        fmt,
        "grade",
        [(grade, _("Grade %(grade)s") % {"grade": grade}, n) for grade, n in grades.items()],
        (lambda grade: _link("evaluation:evaluationresult_list", ("grade", grade), *where)) if links else None,
    )
    grade_tile = Tile(
        "grades",
        _("Grade mix"),
        grade_figures,
        [(grade, n) for grade, n in grades.items()],
        "pie",
        note=note,
    )
    return [density, grade_tile]


def _land_tiles(
    user: Actor, scope: CockpitScope, period: Period, fmt: Formats, where: list[tuple[str, int]]
) -> list[Tile]:
    flags = _in(ParcelFlag.objects.restrict(user), scope, "parcel__park").filter(cleared_on__isnull=True)
    cases = _in(DisposalCase.objects.restrict(user), scope, "parcel__park")
    listed = flags.aggregate(n=Count("parcel", distinct=True), area=Sum("parcel__area"))
    by_status = {
        row["status"]: row
        for row in cases.values("status", "outcome").annotate(n=Count("pk"), area=Sum("parcel__area")).order_by()
        if row["status"] != DisposalCase.Status.CLOSED
    }
    freed = cases.filter(status=DisposalCase.Status.CLOSED, outcome=DisposalCase.Outcome.RETURNED).aggregate(
        n=Count("pk"), area=Sum("parcel__area")
    )

    def parcels(row: dict[str, Any]) -> str:
        """'2 · 4.50 亩 (3,000.00 m²)'; no parcel reads '0' (no land to name), parcels without an area '2 · —'."""
        if not row["n"]:
            return fmt.count(0)
        return f"{fmt.count(row['n'])} · {fmt.land(row['area'])}"

    open_, in_progress = (
        by_status.get(status, {"n": 0, "area": None})
        for status in (DisposalCase.Status.OPEN, DisposalCase.Status.IN_PROGRESS)
    )
    cases_url = "land:disposalcase_list"
    figures = [
        Figure(
            "land_listed",
            _("Inefficient parcels listed"),
            listed["n"],
            parcels(listed),
            _link("land:parcelflag_list", ("open", "true"), *where),
            "distinct:parcel",
        ),
        *(
            _count(fmt, f"land_{key}", label, row["n"], _link(cases_url, *params, *where), display=parcels(row))
            for key, label, row, params in (
                (DisposalCase.Status.OPEN, _("Cases open"), open_, [("status", DisposalCase.Status.OPEN)]),
                (
                    DisposalCase.Status.IN_PROGRESS,
                    _("Under disposal"),
                    in_progress,
                    [("status", DisposalCase.Status.IN_PROGRESS)],
                ),
                ("freed", _("Land freed"), freed, [("status", "closed"), ("outcome", DisposalCase.Outcome.RETURNED)]),
            )
        ),
    ]
    return [Tile("land", _("Inefficient land"), figures)]


def _service_tiles(ask: Ask) -> list[Tile]:
    """Services delivered by aspect, satisfaction and resolution within target; scenario projects by aspect."""
    user, scope, period, before, fmt, where, dates = ask
    requests = _requests(user, scope, period)
    done = Q(status=Status.DONE)
    rows = {
        row["aspect"]: row
        for row in requests.values("aspect")
        .annotate(
            done=Count("pk", filter=done),
            resolved=Count("pk", filter=done & Q(resolved_at__isnull=False)),
            in_time=Count("pk", filter=done & within_target_q("resolution")),
            rated=Count("pk", filter=Q(rating__isnull=False)),
            rating_sum=Sum("rating"),
        )
        .order_by()
    }
    total_done = sum(row["done"] for row in rows.values())
    done_before = _requests(user, scope, before).filter(done).count()
    resolved = sum(row["resolved"] for row in rows.values())
    in_time = sum(row["in_time"] for row in rows.values())
    rated = sum(row["rated"] for row in rows.values())
    rating_sum = sum(row["rating_sum"] or 0 for row in rows.values())
    mean_rating = rating_sum / rated if rated else None
    share = in_time / resolved if resolved else None
    base = [("requested_from", dates[0]), ("requested_to", dates[1]), ("status", Status.DONE), *where]
    by_aspect = _counts(
        fmt,
        "services",
        [(value, label, rows[value]["done"] if value in rows else 0) for value, label in Aspect.choices],
        lambda value: _link("services:servicerequest_list", *base, ("aspect", value)),
    )
    figures = [
        _count(
            fmt,
            "services_done",
            _("Services delivered"),
            total_done,
            _link("services:servicerequest_list", *base),
            done_before,
        ),
        Figure("satisfaction", _("Satisfaction"), _number(mean_rating), f"{fmt.plain(mean_rating)} ★"),
        Figure("within_target", _("Resolved within target"), _number(share), fmt.share(share)),
        *by_aspect,
    ]
    services = Tile("services", _("Services delivered by aspect"), figures, _breakdown(by_aspect), "bar")
    scenarios = dict(Scenario.objects.restrict(user).values_list("aspect").annotate(n=Count("pk")).order_by())
    by_scenario = _counts(
        fmt,
        "scenarios",
        [(value, label, scenarios.get(value, 0)) for value, label in Aspect.choices],
        lambda value: _link("services:scenario_list", ("aspect", value)),
    )
    scenario_tile = Tile("scenarios", _("Scenario projects by aspect"), by_scenario, _breakdown(by_scenario), "bar")
    return [services, scenario_tile]


def _commitment_tile(
    user: Actor, scope: CockpitScope, fmt: Formats, where: list[tuple[str, int]], *, partner: bool
) -> Tile:
    today = timezone.localdate()
    commitments: QuerySet[Commitment] = Commitment.objects.restrict(user)
    if not partner:
        commitments = _in(commitments, scope, "agreement__park")
    counts = commitments.aggregate(
        **{value: Count("pk", filter=_commitment_q(value, today)) for value in CommitmentStatus.values}
    )
    shown = (CommitmentStatus.MET, CommitmentStatus.ON_TRACK, CommitmentStatus.AT_RISK, CommitmentStatus.OVERDUE)
    labels = {
        CommitmentStatus.MET: _("Commitments kept"),
        CommitmentStatus.ON_TRACK: _("On track"),
        CommitmentStatus.AT_RISK: _("At risk"),
        CommitmentStatus.OVERDUE: _("Overdue"),
    }
    figures = _counts(
        fmt,
        "commitments",
        [(value, labels[value], counts[value]) for value in shown],
        lambda value: _link("investment:commitment_list", ("status", value), *([] if partner else where)),
    )
    return Tile(
        "commitments", _("Commitments"), figures, _breakdown(figures), "pie", note=_("Now, whatever the period")
    )


def _check_tile(user: Actor, scope: CockpitScope, fmt: Formats, *, partner: bool) -> Tile | None:
    """The latest yearly reconciliation: commitments met, behind and missed, and how many were computed from
    ParkOS records rather than entered (two queries; None before any reconciliation)."""
    from parkos.investment.selectors import visible_checks

    checks = visible_checks(user)
    if not partner:
        checks = _in(checks, scope, "commitment__agreement__park")
    year = checks.aggregate(y=Max("year"))["y"]
    if year is None:
        return None
    counts = checks.filter(year=year).aggregate(
        **{value: Count("pk", filter=Q(outcome=value)) for value in CheckOutcome.values},
        computed=Count("pk", filter=Q(source__in=CommitmentCheck.FACT_SOURCES)),
    )
    shown = (CheckOutcome.MET, CheckOutcome.BEHIND, CheckOutcome.MISSED)
    url = f"{reverse('investment:implementation_report')}?check_year={year}#commitment-checks"
    figures = [_count(fmt, f"checks_{value}", str(CheckOutcome(value).label), counts[value], url) for value in shown]
    figures.append(_count(fmt, "checks_computed", _("Computed from ParkOS records"), counts["computed"]))
    return Tile(
        "commitment_checks",
        _("Commitments checked against the facts, %(year)s") % {"year": year},
        figures,
        _breakdown(figures[:3]),
        "pie",
        note=_("The latest yearly reconciliation, whatever the period"),
    )


def _some(tile: Tile | None) -> list[Tile]:
    return [tile] if tile is not None else []


def _agreements_tile(
    user: Actor, scope: CockpitScope, period: Period, fmt: Formats, where: list[tuple[str, int]]
) -> Tile:
    """Agreements signed in the period (a partner's: those it is party to, ``where`` empty)."""
    agreements = _agreements(user, scope, period)
    n, n_before = agreements.count(), _agreements(user, scope, period.previous()).count()
    dates = (period.date_from.isoformat(), period.date_to.isoformat())
    url = _between("investment:agreement_list", "signed", dates, *where)
    return Tile(
        "agreements",
        _("Agreements signed"),
        [_count(fmt, "agreements_signed", _("Agreements signed"), n, url, n_before)],
        _trend(agreements, "signed_on", period, Count("pk")),
        "bar",
    )


def partner_figures(user: Actor, scope: CockpitScope, period: Period) -> dict[str, Any]:
    """A government partner's cockpit: its agreements and commitments, investment landed and land efficiency
    of its district's parks; no other figure (nothing of the pipeline, the tenants or the services)."""
    fmt = Formats(user)
    before = period.previous()
    tiles = [
        _agreements_tile(user, scope, period, fmt, []),
        _commitment_tile(user, scope, fmt, [], partner=True),
        *_some(_check_tile(user, scope, fmt, partner=True)),
    ]
    # investment landed in the district's parks: an aggregate (the projects themselves are the operator's)
    landings = StageChange.objects.filter(
        stage=Stage.LANDED, date__gte=period.date_from, date__lte=period.date_to, project__park__in=scope.park_ids or ()
    )
    landings_before = StageChange.objects.filter(
        stage=Stage.LANDED, date__gte=before.date_from, date__lte=before.date_to, project__park__in=scope.park_ids or ()
    )
    landed = Project.objects.filter(pk__in=landings.values("project"))
    landed_before = Project.objects.filter(pk__in=landings_before.values("project"))
    money = investment_by_currency(landed, currency="CNY", on=period.date_to)
    money_before = investment_by_currency(landed_before, currency="CNY", on=before.date_to)
    n_landed, n_landed_before = landed.count(), landed_before.count()
    tiles.append(
        Tile(
            "landed",
            _("Investment landed"),
            [
                _count(fmt, "projects_landed", _("Projects landed"), n_landed, previous=n_landed_before),
                Figure(
                    "investment_landed",
                    _("Investment landed"),
                    _number(money["total"]),
                    fmt.money(money["total"]),
                    previous=_number(money_before["total"]),
                ),
            ],
            _trend(landings, "date", period, Count("project", distinct=True)),
            "bar",
        )
    )
    tiles.extend(_evaluation_tiles(user, scope, fmt, links=False))
    return _result(user, scope, period, tiles)


def _result(
    user: Actor,
    scope: CockpitScope,
    period: Period,
    tiles: Sequence[Tile | dict[str, Any]],
    computed_at: datetime.datetime | None = None,
) -> dict[str, Any]:
    """The page's figures; ``computed_at``: when the oldest of its kept parts was computed (now by default)."""
    before = period.previous()
    return {
        "scope": {"token": scope.token, "kind": scope.kind, "label": scope.label, "partner": scope.partner},
        "date_from": period.date_from,
        "date_to": period.date_to,
        "previous_from": before.date_from,
        "previous_to": before.date_to,
        "computed_at": computed_at or timezone.now(),
        "tiles": [tile if isinstance(tile, dict) else tile.as_dict() for tile in tiles],
    }


# --- pre-computed figures ------------------------------------------------------------------------------

#: the models the figures read: a role's permissions on them are part of what it is shown
FIGURE_MODELS: tuple[type[Any], ...] = (
    Project,
    Agreement,
    Commitment,
    Lease,
    Sale,
    SpaceUnit,
    EvaluationResult,
    DisposalCase,
    ParcelFlag,
    ServiceRequest,
    Scenario,
)

#: the parts of the cockpit kept on their own, and the models each reads: a write to one of them makes the
#: part stale (and the pages that hold it), not the other parts
TOPIC_MODELS: dict[str, tuple[type[Any], ...]] = {
    "projects": (Project, StageChange, ExchangeRate),
    "agreements": (Agreement,),
    "leasing": (Lease, Sale, SpaceUnit, Building, LandParcel),
    "evaluation": (EvaluationRun, EvaluationResult),
    "land": (ParcelFlag, DisposalCase, LandParcel),
    "services": (ServiceRequest, Scenario),
    "commitments": (Commitment, Agreement, CommitmentCheck),
}
#: models every part reads through (the parks of a scope, their brands, a partner's district)
EVERY_TOPIC_MODELS: tuple[type[Any], ...] = (Park, ParkBrand, Organization)
TOPICS: tuple[str, ...] = tuple(TOPIC_MODELS)


def cached(user: Actor, name: str, scope: CockpitScope, period: Period, compute: Any) -> dict[str, Any]:
    """``compute()``, kept per audience, language, units, period and scope (parkos.cockpit.freshness): the big
    screen and a room of readers ask for the same figures every minute. They refresh on every change they
    read and on a schedule (``parkos cockpit_warm``); they carry ``computed_at`` and the pages show it."""
    from parkos.cockpit.freshness import kept

    dates = (period.date_from.isoformat(), period.date_to.isoformat())
    return kept(user, name, scope.token, *dates, compute)


def cached_part(user: Actor, topic: str, scope: CockpitScope, period: Period, build: Any) -> dict[str, Any]:
    """The tiles ``build()`` makes and when, kept under the version of ``topic`` alone (cockpit.freshness)."""
    from parkos.cockpit.freshness import kept_part

    dates = (period.date_from.isoformat(), period.date_to.isoformat())
    return kept_part(user, topic, scope.token, *dates, lambda: [tile.as_dict() for tile in build()])


def scope_park_names(park_ids: Iterable[int]) -> dict[int, str]:
    return dict(Park.objects.filter(pk__in=list(park_ids)).values_list("pk", "name"))


# --- benchmarking across parks --------------------------------------------------------------------------

#: the benchmark's measures: (key, label, higher is better); the table, its export, its chart and its
#: percentiles read them in this order
BENCHMARK_MEASURES: tuple[tuple[str, str, bool], ...] = (
    ("projects_signed", "Projects signed", True),
    ("investment", "Planned investment", True),
    ("agreements", "Agreements signed", True),
    ("enterprises", "Enterprises hosted", True),
    ("area_leased", "Area leased", True),
    ("area_sold", "Area sold", True),
    ("occupancy", "Occupancy", True),
    ("rent", "Rent level", True),
    ("tax_per_mu", "Tax per mu", True),
    ("value_added_per_mu", "Value added per mu", True),
    ("grade_a_share", "Share graded A", True),
    ("within_target", "Resolved within target", True),
    ("satisfaction", "Satisfaction", True),
)


#: the model each measure is read from: a measure shows only to a role that may view it
MEASURE_MODELS: dict[str, type[Any]] = {
    "projects_signed": Project,
    "investment": Project,
    "agreements": Agreement,
    "enterprises": Lease,
    "area_leased": Lease,
    "area_sold": Sale,
    "occupancy": SpaceUnit,
    "rent": Lease,
    "tax_per_mu": EvaluationResult,
    "value_added_per_mu": EvaluationResult,
    "grade_a_share": EvaluationResult,
    "within_target": ServiceRequest,
    "satisfaction": ServiceRequest,
}


def percentile_ranks(values: dict[int, float | None]) -> dict[int, float | None]:
    """Each park's percentile among the parks with a value (0 = lowest, 100 = highest; ties share a rank)."""
    known = sorted(v for v in values.values() if v is not None)
    if not known:
        return dict.fromkeys(values)
    n = len(known)
    out: dict[int, float | None] = {}
    for key, value in values.items():
        if value is None:
            out[key] = None
            continue
        below = sum(1 for v in known if v < value)
        equal = sum(1 for v in known if v == value)
        out[key] = round(100 * (below + (equal - 1) / 2) / (n - 1), 1) if n > 1 else 100.0
    return out


def park_benchmarks(user: Actor, scope: CockpitScope, period: Period) -> dict[str, Any]:
    """Per park of the scope: the cockpit's measures and the municipal evaluation's, with percentiles.

    One grouped query per measure (never one per park); a government partner gets the land efficiency of
    its district's parks only.
    """
    from parkos.leasing.selectors import current_rent, monthly_equivalent

    parks = visible_parks(user)
    if scope.park_ids is not None:
        parks = parks.filter(pk__in=scope.park_ids)
    park_rows = list(parks.values("pk", "code", "name", "district", "brand__name").order_by("name"))
    ids = [row["pk"] for row in park_rows]
    measures: dict[str, dict[int, float | None]] = {}

    def grouped(queryset: QuerySet[Any], key: str, **aggregates: Any) -> dict[int, dict[str, Any]]:
        return {
            row[key]: row
            for row in queryset.filter(**{f"{key}__in": ids}).values(key).annotate(**aggregates).order_by()
        }

    run = latest_run(user)
    if run is not None:
        results = EvaluationResult.objects.filter(run=run) if scope.partner else EvaluationResult.objects.restrict(user)
        density = grouped(
            results.filter(run=run),
            "park",
            tax_sum=Sum("tax", filter=density_q() & Q(tax__isnull=False)),
            tax_land=Sum("land_mu", filter=density_q() & Q(tax__isnull=False)),
            va_sum=Sum("value_added", filter=density_q() & Q(value_added__isnull=False)),
            va_land=Sum("land_mu", filter=density_q() & Q(value_added__isnull=False)),
            graded=Count("pk", filter=~Q(grade="")),
            grade_a=Count("pk", filter=Q(grade="A")),
        )
        measures["tax_per_mu"] = {
            pk: (row["tax_sum"] / row["tax_land"]) if row["tax_sum"] is not None and row["tax_land"] else None
            for pk, row in density.items()
        }
        measures["value_added_per_mu"] = {
            pk: (row["va_sum"] / row["va_land"]) if row["va_sum"] is not None and row["va_land"] else None
            for pk, row in density.items()
        }
        measures["grade_a_share"] = {
            pk: row["grade_a"] / row["graded"] if row["graded"] else None for pk, row in density.items()
        }
        mix_rows = results.filter(run=run, park__in=ids).exclude(grade="").values_list("park", "grade")
        mixes: dict[int, dict[str, int]] = {}
        for park, grade, n in mix_rows.annotate(n=Count("pk")).order_by("park", "grade"):
            mixes.setdefault(park, {})[grade] = n
    else:
        mixes = {}
    if not scope.partner:
        signings = StageChange.objects.filter(stage=Stage.SIGNED, date__gte=period.date_from, date__lte=period.date_to)
        signed = grouped(
            Project.objects.restrict(user).filter(pk__in=signings.values("project")),
            "park",
            n=Count("pk"),
            money=Sum("planned_investment_amount", filter=Q(planned_investment_currency__in=("CNY", ""))),
        )
        measures["projects_signed"] = {pk: row["n"] for pk, row in signed.items()}
        measures["investment"] = {pk: _number(row["money"]) for pk, row in signed.items()}
        agreements = grouped(
            Agreement.objects.restrict(user).filter(signed_on__gte=period.date_from, signed_on__lte=period.date_to),
            "park",
            n=Count("pk"),
        )
        measures["agreements"] = {pk: row["n"] for pk, row in agreements.items()}
        leases = Lease.objects.restrict(user).filter(status__in=Lease.HOLDING)
        held = leases.filter(start_date__lte=period.date_to).filter(
            Q(effective_end__isnull=True) | Q(effective_end__gte=period.date_to)
        )
        hosted = grouped(held, "park", n=Count("tenant", distinct=True))
        measures["enterprises"] = {pk: row["n"] for pk, row in hosted.items()}
        leased = grouped(
            leases.filter(start_date__gte=period.date_from, start_date__lte=period.date_to),
            "park",
            a=Sum("leased_area"),
        )
        measures["area_leased"] = {pk: _number(row["a"]) for pk, row in leased.items()}
        sold = grouped(
            Sale.objects.restrict(user).filter(
                status__in=Sale.HOLDING, contract_date__gte=period.date_from, contract_date__lte=period.date_to
            ),
            "park",
            a=Sum("area"),
        )
        measures["area_sold"] = {pk: _number(row["a"]) for pk, row in sold.items()}
        # rent level: a month's rent per m² of the yuan leases held at the period's end
        rents = (
            held.filter(currency="CNY", park__in=ids, leased_area__gt=0)
            .annotate(current_rent=current_rent(period.date_to))
            .annotate(monthly_rent=monthly_equivalent())
            .values("park")
            .annotate(rent_sum=Sum("monthly_rent"), area_sum=Sum("leased_area"))
            .order_by()
        )
        measures["rent"] = {
            row["park"]: _number(row["rent_sum"] / row["area_sum"]) if row["area_sum"] else None for row in rents
        }
        units = SpaceUnit.objects.restrict(user).filter(building__parcel__park__in=ids)
        leased_ids, sold_q = held_unit_ids(period.date_to)
        lettable = dict(units.values_list("building__parcel__park").annotate(a=Sum("area")).order_by())
        occupied: dict[int, Decimal] = {}
        for held_units in (units.filter(pk__in=leased_ids), units.filter(sold_q).exclude(pk__in=leased_ids)):
            for park, area in held_units.values_list("building__parcel__park").annotate(a=Sum("area")).order_by():
                occupied[park] = occupied.get(park, ZERO) + (area or ZERO)
        measures["occupancy"] = {
            pk: float((occupied.get(pk) or ZERO) / area) if area else None for pk, area in lettable.items()
        }
        requests = _requests(user, CockpitScope("group", "", "", None), period)
        done = Q(status=Status.DONE)
        service = grouped(
            requests,
            "park",
            resolved=Count("pk", filter=done & Q(resolved_at__isnull=False)),
            in_time=Count("pk", filter=done & within_target_q("resolution")),
            rated=Count("pk", filter=Q(rating__isnull=False)),
            rating=Sum("rating"),
        )
        measures["within_target"] = {
            pk: row["in_time"] / row["resolved"] if row["resolved"] else None for pk, row in service.items()
        }
        measures["satisfaction"] = {
            pk: row["rating"] / row["rated"] if row["rated"] else None for pk, row in service.items()
        }
    for key, model in MEASURE_MODELS.items():
        if not can(user, model, Action.VIEW) and not (scope.partner and model is EvaluationResult):
            measures.pop(key, None)  # a role that reads no leases sees no leasing columns (not columns of zeros)
    shown = [m for m in BENCHMARK_MEASURES if m[0] in measures]
    percentiles = {key: percentile_ranks({pk: measures[key].get(pk) for pk in ids}) for key, _l, _h in shown}
    rows = []
    for park in park_rows:
        pk = park["pk"]
        row: dict[str, Any] = {
            "park": pk,
            "code": park["code"],
            "name": park["name"],
            "district": park["district"],
            "brand": park["brand__name"] or "",
            "grade_mix": mixes.get(pk, {}),
        }
        for key, _label, _higher in shown:
            value = measures[key].get(pk)
            if value is None and key in ("projects_signed", "agreements", "enterprises"):
                value = 0
            row[key] = _number(value)
            row[f"{key}_pct"] = percentiles[key].get(pk)
        rows.append(row)
    return {
        "measures": [{"key": key, "label": _(label)} for key, label, _h in shown],
        "rows": rows,
        "run": {"pk": run.pk, "year": run.year, "scheme": scheme_label(run)} if run is not None else None,
        "grades": sorted({grade for mix in mixes.values() for grade in mix}),
        "date_from": period.date_from,
        "date_to": period.date_to,
        "computed_at": timezone.now(),
    }
