"""Reads with rules for leasing: occupancy and vacancy, the rent roll, expiry alerts, the vacancy board, figures.

Set-based: each report is a few aggregate queries whatever the number of units and leases, each
starting from ``Model.objects.restrict(user)``. Whether a contract holds a unit on a date is one pair
of expressions (``lease_holds_q`` / ``sale_holds_q``) built from the same statuses and effective end
as the overlap rule in services.unit_clashes.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import decimal
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypedDict, cast

from django.db import connections
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from parkos.core.actors import Actor
from parkos.directory.models import Industry, Organization
from parkos.leasing import stored
from parkos.leasing.models import DAYS_PER_MONTH, Lease, RentBasis, RentTerm, Sale
from parkos.parks.models import Building, LandParcel, Park, ParkBrand, SpaceUnit

ZERO = Decimal(0)
CENT = Decimal("0.01")
#: how Django's SQLite backend reads a decimal computed in SQL (a float, to 15 digits)
SQLITE_DECIMAL = decimal.Context(prec=15)
MONEY = DecimalField(max_digits=24, decimal_places=4)


def _pk(value: Park | ParkBrand | Building | Organization | int) -> int:
    return cast(int, getattr(value, "pk", value))


def add_months(date: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (or earlier), clamped to the month's last day."""
    month = date.month - 1 + months
    year = date.year + month // 12
    month = month % 12 + 1
    return datetime.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def month_end(date: datetime.date) -> datetime.date:
    return date.replace(day=calendar.monthrange(date.year, date.month)[1])


# --- who holds a unit on a date ------------------------------------------------------------------------


def lease_holds_q(date: datetime.date, prefix: str = "") -> Q:
    """Leases (reached through ``prefix``) that hold their units on ``date``."""
    return Q(**{f"{prefix}status__in": Lease.HOLDING, f"{prefix}start_date__lte": date}) & (
        Q(**{f"{prefix}effective_end__isnull": True}) | Q(**{f"{prefix}effective_end__gte": date})
    )


def sale_holds_q(date: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": Sale.HOLDING, f"{prefix}contract_date__lte": date})


def unit_sold(date: datetime.date) -> Q:
    """Per space unit: a sale of the unit, or of its whole building, holds it on ``date``."""
    by_unit = Exists(Sale.units.through.objects.filter(sale_holds_q(date, "sale__"), spaceunit_id=OuterRef("pk")))
    by_building = Exists(Sale.objects.filter(sale_holds_q(date), building_id=OuterRef("building_id")))
    return Q(by_unit) | Q(by_building)


def visible_units(
    user: Actor,
    *,
    park: Park | int | None = None,
    brand: ParkBrand | int | None = None,
    building: Building | int | None = None,
) -> QuerySet[SpaceUnit]:
    units = SpaceUnit.objects.restrict(user)
    if building:
        units = units.filter(building=_pk(building))
    if park:
        units = units.filter(building__parcel__park=_pk(park))
    if brand:
        units = units.filter(building__parcel__park__brand=_pk(brand))
    return units


# --- occupancy ----------------------------------------------------------------------------------------


@dataclass
class OccupancyRow:
    """Lettable, leased and sold area and unit counts of one building, park or brand on a date."""

    key: int | None
    name: str
    lettable: Decimal = ZERO
    leased: Decimal = ZERO
    sold: Decimal = ZERO
    units: int = 0
    units_occupied: int = 0
    url: str = ""
    park: str = ""

    @property
    def occupied(self) -> Decimal:
        return self.leased + self.sold

    @property
    def vacant(self) -> Decimal:
        return self.lettable - self.occupied

    @property
    def rate(self) -> float | None:
        """Occupied area over lettable area (None when there is nothing to let)."""
        return float(self.occupied / self.lettable) if self.lettable else None

    @property
    def percent(self) -> float | None:
        return None if self.rate is None else round(self.rate * 100, 1)

    def add(self, lettable: Decimal, leased: Decimal, sold: Decimal, units: int, occupied: int) -> None:
        self.lettable += lettable
        self.leased += leased
        self.sold += sold
        self.units += units
        self.units_occupied += occupied


@dataclass
class Occupancy:
    date: datetime.date
    total: OccupancyRow
    buildings: list[OccupancyRow] = field(default_factory=list)
    parks: list[OccupancyRow] = field(default_factory=list)
    brands: list[OccupancyRow] = field(default_factory=list)
    #: buildings with units counted (with ``buildings``, or ``count_buildings``: the occupancy page's pager)
    building_count: int = 0


def _holding_links(
    date: datetime.date, *, park: Park | int | None = None, brand: ParkBrand | int | None = None
) -> QuerySet[Any, Any]:
    """The lease-unit links of leases holding on ``date`` (of a park's, or a brand's, leases)."""
    links = Lease.units.through.objects.filter(lease_holds_q(date, "lease__"))
    if park:
        links = links.filter(lease__park=_pk(park))
    if brand:
        links = links.filter(lease__park__brand=_pk(brand))
    return links


def held_unit_ids(
    date: datetime.date,
    *,
    park: Park | int | None = None,
    brand: ParkBrand | int | None = None,
    building: Building | int | None = None,
    building_ids: Collection[int] | None = None,
) -> tuple[QuerySet[Any, Any], Q]:
    """The IDs of units a lease holds on ``date`` (a subquery), and a Q for units a sale holds then.

    Both are uncorrelated subqueries, so the database computes each set once per query, not per unit.
    With ``building_ids`` (the occupancy page's buildings), only those buildings' holds: the sets were every hold of
    the date, 21,000 units at demo scale 6.25, for a page of 50 buildings.
    """
    links = _holding_links(date, park=park, brand=brand)
    sold_units = Sale.units.through.objects.filter(sale_holds_q(date, "sale__"))
    sold_buildings = Sale.objects.filter(sale_holds_q(date), building__isnull=False)
    if building:
        links = links.filter(spaceunit__building=_pk(building))
    if building_ids is not None:
        ids = list(building_ids)
        links = links.filter(spaceunit__building_id__in=ids)
        sold_units = sold_units.filter(spaceunit__building_id__in=ids)
        sold_buildings = sold_buildings.filter(building_id__in=ids)
    leased = links.values("spaceunit_id")
    return leased, Q(pk__in=sold_units.values("spaceunit_id")) | Q(building_id__in=sold_buildings.values("building_id"))


#: a unit's state in ``occupancy``: a lease holds it, else a sale does, else it is vacant
VACANT, LEASED, SOLD = 0, 1, 2

BUILDING_FIELDS = (
    "building_id",
    "building__code",
    "building__name",
    "building__parcel__park_id",
    "building__parcel__park__name",
    "building__parcel__park__brand_id",
    "building__parcel__park__brand__name",
)


PARK_FIELDS = (
    "building__parcel__park_id",
    "building__parcel__park__name",
    "building__parcel__park__brand_id",
    "building__parcel__park__brand__name",
)


def occupancy(
    user: Actor,
    date: datetime.date,
    *,
    park: Park | int | None = None,
    brand: ParkBrand | int | None = None,
    building: Building | int | None = None,
    buildings: bool = True,
    building_ids: Collection[int] | None = None,
    count_buildings: bool = False,
    from_units: bool = False,
    refresh_stale: bool = True,
) -> Occupancy:
    """Occupancy and vacancy on ``date`` per building, park and brand, and in total, of the units ``user`` sees.

    Lettable area is the sum of the units' areas; a unit is occupied when a lease or a sale holds it on
    the date (rules above). One grouped query: per building and state of the unit (vacant, leased, or only sold),
    its area and units; parks, brands and the total are sums of its rows.
    ``buildings=False``: one row per park instead, and no building rows (the occupancy page's totals at demo
    scale 6.25 grouped 18,750 buildings in Python, issue 16), with ``count_buildings`` one more query for
    ``building_count``; ``building_ids``: only those buildings' units.
    Each unit is read once, its state decided against the held sets (each hashed once per query): there were three
    grouped queries, all units, leased units and sold units, each over every unit (issue 16).
    Per park (``buildings=False``, no building asked for) the figures are the stored ones (``stored``: a row per park,
    where the units' query grew with the data); ``from_units`` computes them from the units all the same, and so
    does ``refresh_stale=False`` when a park's stored rows are not current (instead of computing them again).
    """
    if not buildings and building is None and building_ids is None and not from_units:
        scope = stored.park_scope(user)
        if scope is not None:
            result = _stored_occupancy(scope, date, park=park, brand=brand, refresh_stale=refresh_stale)
            if result is not None:
                return result
    units = visible_units(user, park=park, brand=brand, building=building)
    if building_ids is not None:
        # a page of buildings: each unit's holding lease looked up by the unit (a scalar subquery, which PostgreSQL
        # runs per unit; an EXISTS it hashed over every lease holding on the date, 18,600 at demo scale 6.25)
        holding = _holding_links(date, park=park, brand=brand).filter(spaceunit_id=OuterRef("pk")).values("pk")[:1]
        units = units.filter(building_id__in=list(building_ids)).alias(holding_link=Subquery(holding))
        leased = Q(holding_link__isnull=False)
        sold_q = unit_sold(date)
    else:  # every unit in scope: the held sets computed once each
        leased_ids, sold_q = held_unit_ids(date, park=park, brand=brand, building=building)
        leased = Q(pk__in=leased_ids)
    key = "building_id" if buildings else "building__parcel__park_id"
    state = Case(
        When(leased, then=Value(LEASED)),
        When(sold_q, then=Value(SOLD)),
        default=Value(VACANT),
        output_field=IntegerField(),
    )
    rows = list(
        units.annotate(state=state)
        .values(*(BUILDING_FIELDS if buildings else PARK_FIELDS[:1]), "state")
        .annotate(area=Sum("area"), n=Count("pk"))
        .order_by()
    )
    if not buildings:  # the parks' names apart: grouped by numbers only, the sort (if any) stays in memory
        names = {
            park["building__parcel__park_id"]: park
            for park in Park.objects.filter(pk__in={row[key] for row in rows}).values(
                building__parcel__park_id=F("pk"),
                building__parcel__park__name=F("name"),
                building__parcel__park__brand_id=F("brand_id"),
                building__parcel__park__brand__name=F("brand__name"),
            )
        }
        rows = [{**row, **names[row[key]]} for row in rows]
    building_rows: dict[int, OccupancyRow] = {}
    parks: dict[int, OccupancyRow] = {}
    brands: dict[int | None, OccupancyRow] = {}
    total = OccupancyRow(None, "")
    for row in rows:
        area, n = row["area"] or ZERO, row["n"]
        figures = (
            area,
            area if row["state"] == LEASED else ZERO,
            area if row["state"] == SOLD else ZERO,
            n,
            0 if row["state"] == VACANT else n,
        )
        targets = [
            parks.setdefault(
                row["building__parcel__park_id"],
                OccupancyRow(row["building__parcel__park_id"], row["building__parcel__park__name"]),
            ),
            brands.setdefault(
                row["building__parcel__park__brand_id"],
                OccupancyRow(row["building__parcel__park__brand_id"], row["building__parcel__park__brand__name"] or ""),
            ),
            total,
        ]
        if buildings:
            building_name = f"{row['building__code']} {row['building__name']}".strip()
            targets.append(
                building_rows.setdefault(
                    row["building_id"],
                    OccupancyRow(row["building_id"], building_name, park=row["building__parcel__park__name"]),
                )
            )
        for target in targets:
            target.add(*figures)
    building_count = len(building_rows)
    if not buildings and count_buildings and total.units:
        building_count = units.aggregate(n=Count("building_id", distinct=True))["n"]
    return Occupancy(
        date=date,
        total=total,
        buildings=sorted(building_rows.values(), key=lambda r: (r.park, r.name)),
        parks=sorted(parks.values(), key=lambda r: r.name),
        brands=sorted(brands.values(), key=lambda r: r.name),
        building_count=building_count,
    )


def _scoped(parks: QuerySet[Park], park: Park | int | None, brand: ParkBrand | int | None) -> QuerySet[Park]:
    if park:
        parks = parks.filter(pk=_pk(park))
    if brand:
        parks = parks.filter(brand=_pk(brand))
    return parks


def _stored_occupancy(
    parks: QuerySet[Park],
    date: datetime.date,
    *,
    park: Park | int | None,
    brand: ParkBrand | int | None,
    refresh_stale: bool = True,
) -> Occupancy | None:
    """``occupancy`` per park from the stored rows (``stored.park_rows_on``): one query, a row per park; None when a
    park's rows are not current and ``refresh_stale`` is off."""
    found = stored.park_rows_on(_scoped(parks, park, brand), date, refresh_stale=refresh_stale)
    if found is None:
        return None
    park_rows: list[OccupancyRow] = []
    brands: dict[int | None, OccupancyRow] = {}
    total = OccupancyRow(None, "")
    building_count = 0
    for row in found:
        figures = (
            row["lettable"],
            row["leased"],
            row["sold"],
            row["units"],
            row["leased_units"] + row["sold_units"],
        )
        park_row = OccupancyRow(row["park_id"], row["park__name"])
        brand_id = row["park__brand_id"]
        for target in (
            park_row,
            brands.setdefault(brand_id, OccupancyRow(brand_id, row["park__brand__name"] or "")),
            total,
        ):
            target.add(*figures)
        park_rows.append(park_row)
        building_count += row["buildings"]
    return Occupancy(
        date=date,
        total=total,
        parks=sorted(park_rows, key=lambda r: r.name),
        brands=sorted(brands.values(), key=lambda r: r.name),
        building_count=building_count,
    )


def occupied_buildings(
    user: Actor,
    *,
    park: Park | int | None = None,
    brand: ParkBrand | int | None = None,
    building: Building | int | None = None,
) -> QuerySet[Building]:
    """The buildings with units ``user`` sees, in the order of the occupancy page (park, code, name): page it,
    then ``occupancy(..., building_ids=page)`` for the figures of that page's buildings only."""
    order = ("parcel__park__name", "code", "name", "pk")
    parks = stored.park_scope(user)
    if parks is not None:  # the user's units are their parks' units: the buildings of those parks that have units
        buildings = Building.objects.filter(
            parcel__park__in=_scoped(parks, park, brand), pk__in=SpaceUnit.objects.values("building_id")
        )
        if building:
            buildings = buildings.filter(pk=_pk(building))
        return buildings.order_by(*order)
    units = visible_units(user, park=park, brand=brand, building=building)
    return Building.objects.filter(pk__in=units.values("building_id")).order_by(*order)


def occupancy_total(
    user: Actor,
    date: datetime.date,
    *,
    park: Park | int | None = None,
    brand: ParkBrand | int | None = None,
    every: Mapping[str, Any] | None = None,
) -> OccupancyRow:
    """Only the total on ``date`` (three aggregate rows; two with ``every``, the units' totals, which do not
    depend on the date): the occupancy trend uses it per month end."""
    units = visible_units(user, park=park, brand=brand)
    leased_ids, sold_q = held_unit_ids(date, park=park, brand=brand)
    every = every or units.aggregate(area=Sum("area"), n=Count("pk"))
    held = units.filter(pk__in=leased_ids).aggregate(area=Sum("area"), n=Count("pk"))
    bought = units.filter(sold_q).exclude(pk__in=leased_ids).aggregate(area=Sum("area"), n=Count("pk"))
    total = OccupancyRow(None, "")
    total.add(every["area"] or ZERO, held["area"] or ZERO, bought["area"] or ZERO, every["n"], held["n"] + bought["n"])
    return total


def occupancy_trend(
    user: Actor,
    days: Sequence[datetime.date],
    *,
    park: Park | int | None = None,
    brand: ParkBrand | int | None = None,
) -> list[OccupancyRow]:
    """The total on each of ``days`` (sorted), as ``occupancy_total``: the stored rows of each park on each day summed
    (``stored.totals_on``, two queries), where ``occupancy_trend_by_units`` passed over the
    year's lease links and held units in Python (issue 16)."""
    parks = stored.park_scope(user)
    if parks is None:
        return occupancy_trend_by_units(user, days, park=park, brand=brand)
    days = sorted(days)
    if not days:
        return []
    rows = []
    for lettable, leased, sold, units, occupied in stored.totals_on(_scoped(parks, park, brand), days):
        row = OccupancyRow(None, "")
        row.add(lettable, leased, sold, units, occupied)
        rows.append(row)
    return rows


def occupancy_trend_by_units(
    user: Actor,
    days: Sequence[datetime.date],
    *,
    park: Park | int | None = None,
    brand: ParkBrand | int | None = None,
    every: Mapping[str, Any] | None = None,
) -> list[OccupancyRow]:
    """The total on each of ``days`` (sorted), by the same rules as ``occupancy_total``, in five queries whatever
    the number of days (four with ``every``, the units' totals).

    The holds that touch the span of the days come back once, each as the set of days it covers (a bit mask);
    per unit, leased days are the union of its leases' and sold days its sales' and its building's, less the
    leased ones; areas are summed per distinct pair of masks, so the Python work is per unit, not per unit and day.
    Twelve month ends were 24 aggregate queries over every unit (about 2.9 s at demo scale 6.25, issue 16).
    """
    days = sorted(days)
    if not days:
        return []
    first, last = days[0], days[-1]
    units = visible_units(user, park=park, brand=brand)
    every = every or units.aggregate(area=Sum("area"), n=Count("pk"))
    links = Lease.units.through.objects.filter(
        Q(lease__effective_end__isnull=True) | Q(lease__effective_end__gte=first),
        lease__status__in=Lease.HOLDING,
        lease__start_date__lte=last,
    )
    if park:
        links = links.filter(lease__park=_pk(park))
    if brand:
        links = links.filter(lease__park__brand=_pk(brand))
    sold_units = Sale.units.through.objects.filter(sale__status__in=Sale.HOLDING, sale__contract_date__lte=last)
    sold_buildings = Sale.objects.filter(status__in=Sale.HOLDING, contract_date__lte=last, building__isnull=False)

    def span(start: datetime.date, end: datetime.date | None) -> int:
        """The days within [start, end] (end None: open), as a bit mask over ``days``."""
        low = bisect.bisect_left(days, start)
        high = len(days) if end is None else bisect.bisect_right(days, end)
        return (1 << high) - (1 << low) if high > low else 0

    leased_days: dict[int, int] = defaultdict(int)
    for unit_id, start, end in links.values_list("spaceunit_id", "lease__start_date", "lease__effective_end"):
        leased_days[unit_id] |= span(start, end)
    sold_days: dict[int, int] = defaultdict(int)
    for unit_id, contracted in sold_units.values_list("spaceunit_id", "sale__contract_date"):
        sold_days[unit_id] |= span(contracted, None)
    building_days: dict[int, int] = defaultdict(int)
    for building_id, contracted in sold_buildings.values_list("building_id", "contract_date"):
        building_days[building_id] |= span(contracted, None)

    held = units.filter(
        Q(pk__in=links.values("spaceunit_id"))
        | Q(pk__in=sold_units.values("spaceunit_id"))
        | Q(building_id__in=sold_buildings.values("building_id"))
    )
    by_masks: dict[tuple[int, int], list[Any]] = {}
    for pk, building_id, area in held.values_list("pk", "building_id", "area").order_by():
        leased = leased_days.get(pk, 0)
        sold = (sold_days.get(pk, 0) | building_days.get(building_id, 0)) & ~leased
        figures = by_masks.setdefault((leased, sold), [ZERO, 0])
        figures[0] += area or ZERO
        figures[1] += 1
    rows = []
    for index in range(len(days)):
        bit = 1 << index
        leased_area, sold_area, occupied = ZERO, ZERO, 0
        for (leased, sold), (area, n) in by_masks.items():
            if leased & bit:
                leased_area += area
                occupied += n
            elif sold & bit:
                sold_area += area
                occupied += n
        row = OccupancyRow(None, "")
        row.add(every["area"] or ZERO, leased_area, sold_area, every["n"], occupied)
        rows.append(row)
    return rows


# --- rent roll ----------------------------------------------------------------------------------------


def leases_held_on(
    user: Actor,
    date: datetime.date,
    *,
    park: Park | int | None = None,
    brand: ParkBrand | int | None = None,
    tenant: Organization | int | None = None,
) -> QuerySet[Lease]:
    leases = Lease.objects.restrict(user).filter(lease_holds_q(date))
    if park:
        leases = leases.filter(park=_pk(park))
    if brand:
        leases = leases.filter(park__brand=_pk(brand))
    if tenant:
        leases = leases.filter(tenant=_pk(tenant))
    return leases


def current_rent(date: datetime.date) -> Coalesce:
    """Per lease: the rent of the rent term covering ``date``, else the lease's base rent."""
    term = (
        RentTerm.objects.filter(lease_id=OuterRef("pk"), start_date__lte=date)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=date))
        .order_by("-start_date")
        .values("rent_amount")[:1]
    )
    return Coalesce(Subquery(term, output_field=MONEY), F("rent_amount"), output_field=MONEY)


def monthly_equivalent() -> Case:
    """Per lease annotated with ``current_rent``: one month's rent in the lease currency (a day is 1/365 year)."""
    area = Coalesce(F("leased_area"), Value(ZERO), output_field=MONEY)
    return Case(
        When(rent_basis=RentBasis.PER_MONTH, then=F("current_rent")),
        When(
            rent_basis=RentBasis.PER_M2_DAY,
            then=ExpressionWrapper(
                F("current_rent") * area * Value(DAYS_PER_MONTH.quantize(Decimal("0.000001"))), output_field=MONEY
            ),
        ),
        default=ExpressionWrapper(F("current_rent") * area, output_field=MONEY),
        output_field=MONEY,
    )


@dataclass
class RentRoll:
    date: datetime.date
    leases: QuerySet[Lease]  # annotated with current_rent, monthly_rent; ordered
    count: int
    area: Decimal
    monthly_by_currency: list[tuple[str, Decimal]]


def rent_roll(
    user: Actor,
    date: datetime.date,
    *,
    park: Park | int | None = None,
    brand: ParkBrand | int | None = None,
    tenant: Organization | int | None = None,
) -> RentRoll:
    """The leases holding their units on ``date``: tenant, units, area, the rent then, its monthly equivalent.

    ``leases`` is lazy (paginate it, then ``prefetch_units``); the count, area and monthly totals per
    currency are one aggregate query over every row.
    """
    leases = leases_held_on(user, date, park=park, brand=brand, tenant=tenant)
    annotated = leases.annotate(current_rent=current_rent(date)).annotate(monthly_rent=monthly_equivalent())
    totals = annotated.values("currency").annotate(n=Count("pk"), area=Sum("leased_area"), monthly=Sum("monthly_rent"))
    count, area, by_currency = 0, ZERO, list[tuple[str, Decimal]]()
    for row in totals.order_by("currency"):
        count += row["n"]
        area += row["area"] or ZERO
        by_currency.append((row["currency"], (row["monthly"] or ZERO).quantize(Decimal("0.01"))))
    ordered = annotated.select_related("tenant", "park").order_by("tenant__name", "pk")
    return RentRoll(date=date, leases=ordered, count=count, area=area, monthly_by_currency=by_currency)


def prefetch_units(leases: Iterable[Lease]) -> list[Lease]:
    """One query for the units of a page of leases."""
    from django.db.models import prefetch_related_objects

    leases = list(leases)
    prefetch_related_objects(leases, "units")
    return leases


# --- expiry alerts ------------------------------------------------------------------------------------

#: alert windows in months, nearest first
EXPIRY_WINDOWS = (1, 3, 6)


def expiring_leases(
    user: Actor, date: datetime.date, *, park: Park | int | None = None, brand: ParkBrand | int | None = None
) -> dict[int, QuerySet[Lease]]:
    """Running leases ending within 1, 3 and 6 months of ``date``, bucketed by the nearest window they fall in."""
    limits = {months: add_months(date, months) for months in EXPIRY_WINDOWS}
    leases = Lease.objects.restrict(user).filter(status__in=Lease.ACTIVE, effective_end__gte=date)
    if park:
        leases = leases.filter(park=_pk(park))
    if brand:
        leases = leases.filter(park__brand=_pk(brand))
    buckets: dict[int, QuerySet[Lease]] = {}
    previous: int | None = None
    for months in EXPIRY_WINDOWS:
        window = leases.filter(effective_end__lte=limits[months])
        if previous is not None:
            window = window.filter(effective_end__gt=limits[previous])
        buckets[months] = window.select_related("tenant", "park").order_by("effective_end", "pk")
        previous = months
    return buckets


def expiring_counts(
    user: Actor, date: datetime.date, *, park: Park | int | None = None, brand: ParkBrand | int | None = None
) -> dict[int, int]:
    """How many leases ``expiring_leases`` puts in each window: one query (an index range on the end date) instead of
    a count per window."""
    limits = {months: add_months(date, months) for months in EXPIRY_WINDOWS}
    leases = Lease.objects.restrict(user).filter(
        status__in=Lease.ACTIVE, effective_end__gte=date, effective_end__lte=limits[EXPIRY_WINDOWS[-1]]
    )
    if park:
        leases = leases.filter(park=_pk(park))
    if brand:
        leases = leases.filter(park__brand=_pk(brand))
    counts, previous = {}, None
    for months in EXPIRY_WINDOWS:
        window = Q(effective_end__lte=limits[months])
        if previous is not None:
            window &= Q(effective_end__gt=limits[previous])
        counts[f"m{months}"] = Count("pk", filter=window)
        previous = months
    totals = leases.aggregate(**counts)
    return {months: totals[f"m{months}"] for months in EXPIRY_WINDOWS}


#: what a row of a lease list shows besides its units: the lease's own fields, its tenant's and park's names
LEASE_ROW_FIELDS = (
    "reference",
    "leased_area",
    "start_date",
    "end_date",
    "effective_end",
    "status",
    "rent_amount",
    "rent_basis",
    "currency",
    "tenant__name",
    "park__name",
)


def lease_rows(leases: QuerySet[Lease]) -> QuerySet[Lease]:
    """``leases`` with their tenant and park for a list, reading only the fields a row shows (an organization row
    is wide)."""
    return leases.select_related("tenant", "park").only(*LEASE_ROW_FIELDS)


@dataclass(eq=False)
class LeaseRow:
    """A lease as the expiry alerts list it, read as plain values: no model instance, no tenant or park row (150 of
    them with their tenant and park were 20,000 Python calls of the page, issue 16). Written as ``Lease`` is:
    ``str()`` its contract number or "Lease #pk", ``tenant`` and ``park`` their names."""

    pk: int
    reference: str
    tenant: str
    park: str
    leased_area: Decimal | None
    effective_end: datetime.date | None
    tenant_id: int
    url: str = ""
    unit_codes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return self.reference or gettext("Lease #%(pk)s") % {"pk": self.pk}


def lease_list_rows(leases: QuerySet[Lease]) -> list[LeaseRow]:
    """``leases`` (sliced, ordered) as ``LeaseRow``: one query of the fields a row shows."""
    return [
        LeaseRow(*values)
        for values in leases.values_list(
            "pk", "reference", "tenant__name", "park__name", "leased_area", "effective_end", "tenant_id"
        )
    ]


def with_unit_codes(leases: Iterable[Any]) -> list[Any]:
    """Each lease (or ``LeaseRow``) with ``unit_codes``, its units' codes (in the units' order: building, floor,
    code): one query of codes for the whole list, where the units' prefetch read every unit's row once per list."""
    leases = list(leases)
    codes: dict[int, list[str]] = defaultdict(list)
    links = Lease.units.through.objects.filter(lease_id__in=[lease.pk for lease in leases])
    links = links.order_by("spaceunit__building_id", "spaceunit__floor", "spaceunit__code")
    for lease_id, code in links.values_list("lease_id", "spaceunit__code"):
        codes[lease_id].append(code)
    for lease in leases:
        lease.unit_codes = codes.get(lease.pk, [])
    return leases


# --- vacancy board ------------------------------------------------------------------------------------

EXPIRING_MONTHS = 3


@dataclass
class BoardUnit:
    unit: SpaceUnit
    status: str  # leased, expiring, sold, vacant
    lease_id: int | None
    tenant: str
    until: datetime.date | None
    idle_days: int | None


@dataclass
class BoardBuilding:
    building: Building
    floors: list[tuple[int, list[BoardUnit]]]
    counts: dict[str, int]


def vacancy_board(
    user: Actor, date: datetime.date, *, building: Building | int | None = None, park: Park | int | None = None
) -> list[BoardBuilding]:
    """Every unit of a building (or of a park's buildings) on ``date``: leased, expiring within 3 months,
    sold or vacant, with idle days for vacant units (since the last lease ended there, else since 1 January
    of the building's completion year; None when neither is known).

    One query: each unit carries the holding lease, its tenant and end, a sold flag and the last end.
    """
    holding = Lease.objects.filter(lease_holds_q(date), units=OuterRef("pk")).order_by("-start_date")
    ended = Lease.objects.filter(status__in=Lease.HOLDING, units=OuterRef("pk"), effective_end__lt=date)
    units = (
        visible_units(user, park=park, building=building)
        .select_related("building")
        .annotate(
            lease_id=Subquery(holding.values("pk")[:1]),
            lease_end=Subquery(holding.values("effective_end")[:1]),
            tenant_name=Subquery(holding.values("tenant__name")[:1]),
            sold=Case(When(unit_sold(date), then=Value(1)), default=Value(0), output_field=IntegerField()),
            last_end=Subquery(ended.order_by("-effective_end").values("effective_end")[:1]),
        )
        .order_by("building__code", "building_id", "-floor", "code")
    )
    expiring_by = add_months(date, EXPIRING_MONTHS)
    boards: dict[int, BoardBuilding] = {}
    floors: dict[int, dict[int, list[BoardUnit]]] = defaultdict(lambda: defaultdict(list))
    for unit in units:
        if unit.lease_id:
            status = "expiring" if unit.lease_end and unit.lease_end <= expiring_by else "leased"
        elif unit.sold:
            status = "sold"
        else:
            status = "vacant"
        idle = None
        if status == "vacant":
            if unit.last_end:
                idle = (date - unit.last_end).days
            elif unit.building.completed:
                idle = max((date - datetime.date(unit.building.completed, 1, 1)).days, 0)
        board = boards.setdefault(
            unit.building_id,
            BoardBuilding(unit.building, [], {"leased": 0, "expiring": 0, "sold": 0, "vacant": 0}),
        )
        board.counts[status] += 1
        floors[unit.building_id][unit.floor].append(
            BoardUnit(unit, status, unit.lease_id, unit.tenant_name or "", unit.lease_end, idle)
        )
    for building_id, board in boards.items():
        board.floors = sorted(floors[building_id].items(), key=lambda item: -item[0])
    return list(boards.values())


# --- figures for a period -----------------------------------------------------------------------------


#: new tenants listed on the figures page (the count covers all)
NEW_TENANT_ROWS = 200


class GroupRow(TypedDict):
    """Area and contracts of one park, brand or industry (``key_id`` and ``name`` None when there is none)."""

    key_id: int | None
    name: str | None
    area: Decimal
    contracts: int


class NewTenantRow(TypedDict):
    key_id: int
    name: str
    first: datetime.date
    area: Decimal | None


class ContractTotals(TypedDict):
    area: Decimal
    contracts: int


class TrendPoint(TypedDict):
    date: datetime.date
    rate: float | None
    occupied: Decimal
    lettable: Decimal


class LeasingFigures(TypedDict):
    """``leasing_figures``: a mapping, as the figures page and its XLSX read it by key."""

    date_from: datetime.date
    date_to: datetime.date
    leased: ContractTotals
    sold: ContractTotals
    leased_by_park: list[GroupRow]
    leased_by_brand: list[GroupRow]
    leased_by_industry: list[GroupRow]
    sold_by_park: list[GroupRow]
    sold_by_brand: list[GroupRow]
    sold_by_industry: list[GroupRow]
    new_tenants: list[NewTenantRow]
    new_tenant_count: int
    trend: list[TrendPoint]


#: ``_groups``: what a contract is grouped by, in the order of its result rows
BY_PARK, BY_BRAND, BY_INDUSTRY = 0, 1, 2


def _groups(parts: Sequence[tuple[QuerySet[Any], str, str]]) -> list[dict[int, list[GroupRow]]]:
    """For each (contracts, party, area field) of ``parts``: area and contracts per park, per brand and per industry of
    the tenant or buyer (``party``), each group's name, largest area first, then by name (no name last): one query
    for all the parts.

    Each part's contracts are read once (a common table expression, the industry read per contract through the
    organization's primary key: a join let PostgreSQL hash all 100,000 organizations at demo scale 6.25) and grouped
    three ways in SQL, names joined to the groups. Was a grouping per park and industry (3,715 rows for the
    5,246 leases of 2026 at demo scale 6.25) summed again in Python, and the industries' names in a query of their
    own (issue 16).
    """
    if not parts:
        return []
    using = parts[0][0].db
    quote = connections[using].ops.quote_name
    park, brand, industry = (quote(model._meta.db_table) for model in (Park, ParkBrand, Industry))
    tables, selects, params = [], [], []
    for index, (queryset, party, area) in enumerate(parts):
        industry_of = Organization.objects.filter(pk=OuterRef(f"{party}_id")).order_by().values("industry_id")[:1]
        contracts = (
            queryset.order_by()
            .annotate(group_park=F("park_id"), group_industry=Subquery(industry_of), group_area=F(area))
            .values_list("group_park", "group_industry", "group_area")
        )
        sql, contract_params = contracts.query.sql_with_params()
        tables.append(f"contracts{index} (park_id, industry_id, area) AS ({sql})")
        params.extend(contract_params)
        source = f"FROM contracts{index} c LEFT JOIN {park} p ON p.id = c.park_id"
        selects += [
            f"SELECT {index}, {BY_PARK}, c.park_id, p.name, SUM(c.area), COUNT(*) {source} GROUP BY c.park_id, p.name",
            f"SELECT {index}, {BY_BRAND}, p.brand_id, b.name, SUM(c.area), COUNT(*) {source} "
            f"LEFT JOIN {brand} b ON b.id = p.brand_id GROUP BY p.brand_id, b.name",
            f"SELECT {index}, {BY_INDUSTRY}, c.industry_id, i.name, SUM(c.area), COUNT(*) FROM contracts{index} c "
            f"LEFT JOIN {industry} i ON i.id = c.industry_id GROUP BY c.industry_id, i.name",
        ]
    result: list[dict[int, list[GroupRow]]] = [{BY_PARK: [], BY_BRAND: [], BY_INDUSTRY: []} for _part in parts]
    with connections[using].cursor() as cursor:
        cursor.execute(f"WITH {', '.join(tables)} {' UNION ALL '.join(selects)}", params)  # noqa: S608 (no input)
        for part, by, key, name, area, contracts in cursor.fetchall():
            result[part][by].append({"key_id": key, "name": name, "area": _sum(area), "contracts": contracts})
    for groups in result:
        for rows in groups.values():
            rows.sort(key=lambda g: (-g["area"], g["name"] is None, g["name"] or ""))
    return result


def _sum(value: Decimal | float | int | None) -> Decimal:
    """A SQL sum of areas as the ORM reads it (SQLite sums decimals as floats: to the cent), no area counting 0."""
    if value is None:
        return ZERO
    if isinstance(value, Decimal):
        return value
    return SQLITE_DECIMAL.create_decimal_from_float(value).quantize(CENT)


def _new_tenants(
    leases: QuerySet[Lease], date_from: datetime.date, date_to: datetime.date
) -> tuple[list[NewTenantRow], int]:
    """The first ``NEW_TENANT_ROWS`` tenants whose first of ``leases`` starts in the period (by that date, then
    name), with the area of all their leases, and how many there are.

    The leases from the period's first day on of tenants with no earlier lease (a probe per lease of the index on
    tenant and start date), grouped per tenant, give every new tenant's first date and area (and so the count); only
    the tenants that can be among the first rows are named (one query by primary key). A tenant's first lease is in
    the period exactly when it has none before and one in it; its area is then that of its leases from the period on.
    Grouping every lease per tenant spilled to disk at demo scale 6.25 (37,579 leases, 80-130 ms); a ``NOT EXISTS``
    became a hash anti join over every lease (issue 16).
    """
    earlier = leases.filter(tenant_id=OuterRef("tenant_id"), start_date__lt=date_from).order_by().values("pk")[:1]
    found = sorted(
        leases.filter(start_date__gte=date_from)
        .alias(earlier=Subquery(earlier))
        .filter(earlier__isnull=True)
        .values("tenant_id")
        .annotate(first=Min("start_date"), area=Sum("leased_area"))
        .filter(first__lte=date_to)
        .order_by()
        .values_list("first", "tenant_id", "area")
    )
    if not found:
        return [], 0
    last_shown = found[min(NEW_TENANT_ROWS, len(found)) - 1][0]  # ties on that day are ordered by name
    candidates = [row for row in found if row[0] <= last_shown]
    names = dict(
        Organization.objects.filter(pk__in=[tenant for _first, tenant, _area in candidates])
        .order_by()
        .values_list("pk", "name")
    )
    rows: list[NewTenantRow] = [
        {"key_id": tenant, "name": names[tenant], "first": first, "area": area} for first, tenant, area in candidates
    ]
    rows.sort(key=lambda row: (row["first"], row["name"]))
    return rows[:NEW_TENANT_ROWS], len(found)


def leasing_figures(
    user: Actor,
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    park: Park | int | None = None,
    brand: ParkBrand | int | None = None,
) -> LeasingFigures:
    """Area leased and sold in a period, by park, brand and tenant industry; new tenants; the occupancy trend.

    Area leased: leases (any holding status) starting in the period. Area sold: signed or completed
    sales contracted in the period. New tenants: tenants whose first lease starts in the period. The
    trend is the occupancy rate at each of the 12 month ends up to ``date_to``.

    The totals and the groups by park, brand and industry of both kinds of contract are one query over the period's
    contracts (``_groups``; the start and contract date indexes; was eight queries, then three); new tenants,
    ``_new_tenants``.
    """
    leases = Lease.objects.restrict(user).filter(status__in=Lease.HOLDING)
    sales = Sale.objects.restrict(user).filter(status__in=Sale.HOLDING)
    if park:
        leases, sales = leases.filter(park=_pk(park)), sales.filter(park=_pk(park))
    if brand:
        leases, sales = leases.filter(park__brand=_pk(brand)), sales.filter(park__brand=_pk(brand))
    leased = leases.filter(start_date__range=(date_from, date_to))
    sold = sales.filter(contract_date__range=(date_from, date_to))
    leased_groups, sold_groups = _groups([(leased, "tenant", "leased_area"), (sold, "buyer", "area")])
    new_tenants = _new_tenants(leases, date_from, date_to)
    end = month_end(date_to)
    days = [month_end(add_months(end.replace(day=1), -back)) for back in range(11, -1, -1)]
    trend: list[TrendPoint] = [
        {"date": day, "rate": row.rate, "occupied": row.occupied, "lettable": row.lettable}
        for day, row in zip(days, occupancy_trend(user, days, park=park, brand=brand), strict=True)
    ]
    return {
        "date_from": date_from,
        "date_to": date_to,
        "leased": {
            "area": sum((row["area"] for row in leased_groups[BY_PARK]), ZERO),
            "contracts": sum(row["contracts"] for row in leased_groups[BY_PARK]),
        },
        "sold": {
            "area": sum((row["area"] for row in sold_groups[BY_PARK]), ZERO),
            "contracts": sum(row["contracts"] for row in sold_groups[BY_PARK]),
        },
        "leased_by_park": leased_groups[BY_PARK],
        "leased_by_brand": leased_groups[BY_BRAND],
        "leased_by_industry": leased_groups[BY_INDUSTRY],
        "sold_by_park": sold_groups[BY_PARK],
        "sold_by_brand": sold_groups[BY_BRAND],
        "sold_by_industry": sold_groups[BY_INDUSTRY],
        "new_tenants": new_tenants[0],
        "new_tenant_count": new_tenants[1],
        "trend": trend,
    }


#: what ``leasing_figures`` reads: a write to any of these makes its kept figures stale (LeasingConfig.ready); the
#: stored occupancy per park it reads follows the same writes (parkos.leasing.stored)
FIGURES_READ: tuple[type[Any], ...] = (
    Lease,
    Sale,
    Lease.units.through,
    Sale.units.through,
    SpaceUnit,
    Building,
    LandParcel,
    Park,
    ParkBrand,
    Organization,
    Industry,
)
#: the models ``leasing_figures`` reads through ``restrict(user)`` (directly or through the stored occupancy's scope)
FIGURES_RESTRICTED: tuple[type[Any], ...] = (Lease, Sale, SpaceUnit)


def kept_leasing_figures(
    user: Actor,
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    park: Park | int | None = None,
    brand: ParkBrand | int | None = None,
) -> LeasingFigures:
    """``leasing_figures``, kept per audience, period, park and brand until a write to what they read
    (parkos.core.kept): the figures page and its XLSX group the period's contracts once, not at every view (issue 16).
    The figures are names, numbers and dates, the same in every language."""
    from parkos.core.kept import audience, kept

    parts = (
        audience(user, FIGURES_RESTRICTED),
        date_from.isoformat(),
        date_to.isoformat(),
        _pk(park) if park else None,
        _pk(brand) if brand else None,
    )
    return kept(
        "leasing_figures",
        ("leasing_figures",),
        parts,
        lambda: leasing_figures(user, date_from=date_from, date_to=date_to, park=park, brand=brand),
    )
