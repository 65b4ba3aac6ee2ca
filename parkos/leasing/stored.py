"""Stored occupancy per park (issue 16): the occupancy page's totals and the figures' 12-month trend read a few rows
per park instead of passing over every unit and lease link.

``ParkOccupancy`` holds, per park, one row for each day its figures change (a lease starting, a lease's day after
its effective end, a sale's contract date) with the figures from that day on, computed by the same rules as
``selectors.occupancy``: a unit is leased on a day when a holding lease covers it, else sold when a holding sale of
it or of its building is contracted by then; lettable area and units are the units as they are now. Occupancy on a
date is each park's last row on or before it: one index probe per park and date, whatever the number of leases.

Freshness: every write that can change a park's figures (a lease, a sale, their units, a unit, a building, a
parcel; signals below) bumps the park's ``ParkOccupancyState.version`` in the same transaction, after the write.
A reader finding a park whose rows were computed at another version (or never) recomputes that park before reading
(``refresh``), and stores the rows only if the version did not move meanwhile. Writes that send no signals
(``bulk_create``, ``update``) mark every park out of date when they are logged (``bulk_written``); parks loaded in
bulk have no state row, which reads as not computed. ``parkos refresh_occupancy`` computes every park ahead of the
readers (after a demo load or a bulk import, so the first reader does not pay for it).
"""

from __future__ import annotations

import datetime
import decimal
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, connections, transaction
from django.db.models import F, QuerySet
from django.db.models.lookups import In
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

from parkos.core.actors import Actor
from parkos.core.permissions import Action, Scope, can, fallback_roles_of, may_reach_no_park, scope_of
from parkos.leasing.models import Lease, ParkOccupancy, ParkOccupancyState, Sale
from parkos.parks.models import Building, LandParcel, Park, ParkBrand, SpaceUnit

ZERO = Decimal(0)
CENT = Decimal("0.01")
#: how Django's SQLite backend reads a decimal computed in SQL (a float, to 15 digits)
SQLITE_DECIMAL = decimal.Context(prec=15)
#: an open end, as a day number past any date
OPEN = datetime.date.max.toordinal() + 1
FIRST = datetime.date.min


# --- who sees which parks ----------------------------------------------------------------------------------


def park_scope(user: Actor) -> QuerySet[Park] | None:
    """The parks whose units ``user`` sees, when ``SpaceUnit.objects.restrict(user)`` is exactly "the units of these
    parks" (the operator, park-scoped staff); None otherwise (the caller then reads the units themselves)."""
    if not can(user, SpaceUnit, Action.VIEW):
        return None
    scope = scope_of(user)
    if scope == Scope.EVERYTHING or getattr(SpaceUnit, "shared_with_all", False):
        return Park.objects.all()
    if scope == Scope.PARKS:
        if getattr(SpaceUnit, "shared_with_staff", False):
            return Park.objects.all()
        if SpaceUnit.park_path != "building__parcel__park":
            return None
        if may_reach_no_park(SpaceUnit, SpaceUnit.park_path) and fallback_roles_of(user):
            return None
        return Park.objects.filter(pk__in=user.scope_park_ids())  # type: ignore[union-attr]
    return None


# --- computing a park's rows -------------------------------------------------------------------------------


def compute(park_ids: Collection[int]) -> dict[int, list[ParkOccupancy]]:
    """The rows of each of ``park_ids`` from the units, leases and sales as stored (four queries for all)."""
    units = list(
        SpaceUnit.objects.filter(building__parcel__park__in=park_ids)
        .order_by()
        .values_list("pk", "building_id", "building__parcel__park_id", "area")
    )
    leased: dict[int, list[tuple[int, int]]] = defaultdict(list)
    links = Lease.units.through.objects.filter(
        spaceunit__building__parcel__park__in=park_ids, lease__status__in=Lease.HOLDING
    )
    for unit_id, start, end in links.order_by().values_list(
        "spaceunit_id", "lease__start_date", "lease__effective_end"
    ):
        leased[unit_id].append((start.toordinal(), OPEN if end is None else end.toordinal() + 1))
    sold_from: dict[int, int] = {}
    sold_units = Sale.units.through.objects.filter(
        spaceunit__building__parcel__park__in=park_ids, sale__status__in=Sale.HOLDING
    )
    for unit_id, day in sold_units.order_by().values_list("spaceunit_id", "sale__contract_date"):
        sold_from[unit_id] = min(sold_from.get(unit_id, OPEN), day.toordinal())
    building_sold: dict[int, int] = {}
    sold_buildings = Sale.objects.filter(status__in=Sale.HOLDING, building__parcel__park__in=park_ids)
    for building_id, day in sold_buildings.order_by().values_list("building_id", "contract_date"):
        building_sold[building_id] = min(building_sold.get(building_id, OPEN), day.toordinal())

    totals: dict[int, list[Any]] = {pk: [ZERO, 0, set()] for pk in park_ids}
    # per park and day: the change of leased area, leased units, sold area, sold units
    deltas: dict[int, dict[int, list[Any]]] = {pk: defaultdict(lambda: [ZERO, 0, ZERO, 0]) for pk in park_ids}
    for unit_id, building_id, park_id, area in units:
        area = area or ZERO
        total = totals[park_id]
        total[0] += area
        total[1] += 1
        total[2].add(building_id)
        changes = deltas[park_id]
        segments = _merged(leased.get(unit_id, ()))
        for low, high in segments:
            _add(changes, low, high, 0, area)
        sold = min(sold_from.get(unit_id, OPEN), building_sold.get(building_id, OPEN))
        for low, high in _gaps(sold, segments):
            _add(changes, low, high, 2, area)

    result: dict[int, list[ParkOccupancy]] = {}
    for park_id in park_ids:
        lettable, count, buildings = totals[park_id]
        base: dict[str, Any] = {"park_id": park_id, "lettable": lettable, "units": count, "buildings": len(buildings)}
        figures: list[Any] = [ZERO, 0, ZERO, 0]
        rows = {FIRST: figures}
        for ordinal in sorted(deltas[park_id]):
            change = deltas[park_id][ordinal]
            if ordinal >= OPEN or not any(change):
                continue
            figures = [figures[i] + change[i] for i in range(4)]
            rows[max(FIRST, datetime.date.fromordinal(ordinal))] = figures
        result[park_id] = [
            ParkOccupancy(since=since, leased=held[0], leased_units=held[1], sold=held[2], sold_units=held[3], **base)
            for since, held in rows.items()
        ]
    return result


def _merged(segments: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Half-open day ranges joined where they overlap or touch."""
    merged: list[list[int]] = []
    for start, end in sorted(segments):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _gaps(start: int, segments: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The days from ``start`` on (to the open end) outside ``segments`` (merged, sorted)."""
    gaps, current = [], start
    for low, high in segments:
        if current >= OPEN:
            break
        if high <= current:
            continue
        if low > current:
            gaps.append((current, low))
        current = max(current, high)
    if current < OPEN:
        gaps.append((current, OPEN))
    return gaps


def _add(changes: dict[int, list[Any]], start: int, end: int, index: int, area: Decimal) -> None:
    changes[start][index] += area
    changes[start][index + 1] += 1
    if end < OPEN:
        changes[end][index] -= area
        changes[end][index + 1] -= 1


def refresh(park_ids: Collection[int] | None = None) -> int:
    """Recompute the rows of ``park_ids`` (every park: None) and store those whose version did not move while they
    were computed; returns how many parks were stored."""
    if park_ids is None:
        park_ids = list(Park.objects.values_list("pk", flat=True))
    ids = list(park_ids)
    if not ids:
        return 0
    ParkOccupancyState.objects.bulk_create(
        [ParkOccupancyState(park_id=pk) for pk in ids], ignore_conflicts=True
    )  # a park never computed, or loaded in bulk: version 0, computed -1
    versions = dict(ParkOccupancyState.objects.filter(park__in=ids).values_list("park_id", "version"))
    rows = compute(ids)
    stored = 0
    with transaction.atomic():
        states = ParkOccupancyState.objects.select_for_update().filter(park__in=ids).order_by("park_id")
        current = {state.park_id: state for state in states}
        fresh = [pk for pk in ids if pk in current and current[pk].version == versions.get(pk)]
        ParkOccupancy.objects.filter(park__in=fresh).delete()
        ParkOccupancy.objects.bulk_create([row for pk in fresh for row in rows[pk]], batch_size=2000)
        for pk in fresh:
            current[pk].computed = current[pk].version
        ParkOccupancyState.objects.bulk_update([current[pk] for pk in fresh], ["computed"])
        stored = len(fresh)
    return stored


# --- reading -------------------------------------------------------------------------------------------------


#: a park's stored figures as ``park_rows_on`` reads them
PARK_ROW_FIELDS = (
    "park_id",
    "park__name",
    "park__brand_id",
    "park__brand__name",
    "lettable",
    "units",
    "buildings",
    "leased",
    "leased_units",
    "sold",
    "sold_units",
)


def park_rows_on(
    parks: QuerySet[Park], day: datetime.date, *, refresh_stale: bool = True
) -> list[dict[str, Any]] | None:
    """Each park of ``parks`` with units: its stored row on ``day`` with its name, brand and brand's name (the keys of
    ``PARK_ROW_FIELDS``). One query when every park is current; stale parks are recomputed first and the rows read
    again, or with ``refresh_stale=False`` the answer is None (the caller computes the figures from the units: the
    park manager's home reads no more queries after a write than before it, and writes nothing).

    Each park's row is one index probe (PostgreSQL: a lateral join; SQLite: the row by the probe's primary key); the
    parks' states, names and rows were two queries, the rows read by a list of their keys (issue 16).
    """
    using = parks.db
    connection = connections[using]
    quote = connection.ops.quote_name
    rows, state = quote(ParkOccupancy._meta.db_table), quote(ParkOccupancyState._meta.db_table)
    park, brand = quote(Park._meta.db_table), quote(ParkBrand._meta.db_table)
    scope, scope_params = parks.order_by().values_list("pk").query.sql_with_params()
    last_row = f"SELECT {{}} FROM {rows} r WHERE r.park_id = p.id AND r.since <= %s ORDER BY r.since DESC LIMIT 1"
    if connection.vendor == "postgresql":
        held = f"LEFT JOIN LATERAL ({last_row.format('*')}) o ON TRUE"
    else:
        held = f"LEFT JOIN {rows} o ON o.id = ({last_row.format('r.id')})"
    sql = (
        f"WITH scope (id) AS ({scope}) "
        "SELECT p.id, p.name, p.brand_id, b.name, o.lettable, o.units, o.buildings, o.leased, o.leased_units, "
        "o.sold, o.sold_units, s.version IS NULL OR s.version <> s.computed "
        f"FROM scope JOIN {park} p ON p.id = scope.id LEFT JOIN {brand} b ON b.id = p.brand_id "
        f"LEFT JOIN {state} s ON s.park_id = p.id {held}"
    )
    params = [*scope_params, day]
    found: list[tuple[Any, ...]] = []
    for _attempt in range(3):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        stale = [row[0] for row in found if row[-1]]
        if not stale:
            break
        if not refresh_stale:
            return None
        refresh(stale)
    return [
        dict(
            zip(
                PARK_ROW_FIELDS,
                (*row[:4], _decimal(row[4]), row[5], row[6], _decimal(row[7]), row[8], _decimal(row[9]), row[10]),
                strict=True,
            )
        )
        for row in found
        if row[5]  # a park with units (no row: none yet)
    ]


def totals_on(parks: QuerySet[Park], days: Sequence[datetime.date]) -> list[tuple[Decimal, Decimal, Decimal, int, int]]:
    """Per day of ``days``: the lettable, leased and sold area, the units and the units occupied of ``parks`` together
    (each park's stored row on that day, summed in SQL). One query when every park is current (its last rows name
    the stale parks, recomputed before asking again).

    Each park's row on a day is one index probe, as in ``park_rows_on``: the figures' trend read 188 parks x 12 month
    ends at demo scale 6.25 as 2,256 dicts, the rows by a list of 2,256 primary keys (issue 16).
    """
    if not days:
        return []
    using = parks.db
    connection = connections[using]
    quote = connection.ops.quote_name
    rows, state = quote(ParkOccupancy._meta.db_table), quote(ParkOccupancyState._meta.db_table)
    scope, scope_params = parks.order_by().values_list("pk").query.sql_with_params()
    last_row = f"SELECT {{}} FROM {rows} r WHERE r.park_id = p.id AND r.since <= d.day ORDER BY r.since DESC LIMIT 1"
    if connection.vendor == "postgresql":
        held = f"CROSS JOIN LATERAL ({last_row.format('*')}) o"
    else:
        held = f"JOIN {rows} o ON o.id = ({last_row.format('r.id')})"
    sql = (
        f"WITH days (i, day) AS (VALUES {', '.join(['(%s, %s)'] * len(days))}), scope (id) AS ({scope}) "
        "SELECT d.i, SUM(o.lettable), SUM(o.leased), SUM(o.sold), SUM(o.units), SUM(o.leased_units + o.sold_units) "
        f"FROM days d CROSS JOIN scope p {held} WHERE o.units > 0 GROUP BY d.i "
        # the parks whose rows are not current (no state row: never computed), one row each with its primary key
        f"UNION ALL SELECT -1, NULL, NULL, NULL, p.id, NULL FROM scope p LEFT JOIN {state} s ON s.park_id = p.id "
        "WHERE s.version IS NULL OR s.version <> s.computed"
    )
    params = [value for index, day in enumerate(days) for value in (index, day)] + list(scope_params)
    found: list[tuple[Any, ...]] = []
    for _attempt in range(3):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        stale = [row[4] for row in found if row[0] == -1]
        if not stale:
            break
        refresh(stale)
    by_day = {row[0]: row[1:] for row in found if row[0] != -1}
    totals = []
    for index in range(len(days)):
        lettable, leased, sold, units, occupied = by_day.get(index, (None, None, None, 0, 0))
        totals.append((_decimal(lettable), _decimal(leased), _decimal(sold), int(units), int(occupied)))
    return totals


def _decimal(value: Decimal | float | int | None) -> Decimal:
    """A SQL sum of stored areas as a Decimal (SQLite sums them as floats: back to the cent); none is 0."""
    if value is None:
        return ZERO
    if isinstance(value, Decimal):
        return value
    return SQLITE_DECIMAL.create_decimal_from_float(value).quantize(CENT)


def unit_count(queryset: QuerySet[SpaceUnit]) -> int | None:
    """How many space units ``queryset`` selects, from the stored rows, when it is every unit (an unfiltered list
    of a user who sees every park) or the units of a list of parks (a park-scoped user's list, as
    ``parks.views.SpaceUnitViews.queryset`` writes it) and nothing else; None for any other query (a filter, another
    scope: the list is counted from the units as before). Registered as the units' count with core's paginator
    (``core.pagination.stored_counts``, LeasingConfig.ready).

    One query whatever the number of units: per park of the list its stored ``units`` (the park's first row), or,
    for a park whose rows are not current, its units counted (an index probe per building); nothing is recomputed or
    written. The units list's COUNT was a hash join of every unit to the buildings of the manager's parks (issue 16).
    Which query is which is told by its SQL: the same SQL and parameters as the units of those parks (or of every
    park; every unit is in one park, its building's parcel's), or no stored count.
    """
    query = queryset.query
    if query.distinct or query.combinator or query.is_sliced or query.group_by is not None:
        return None
    children = query.where.children
    using = queryset.db
    units = SpaceUnit._default_manager.using(using)
    parks = Park._default_manager.using(using)
    if not children:
        expected, scope = units.all(), parks.all()
    elif len(children) == 1 and isinstance(children[0], In) and not query.where.negated:
        ids = children[0].rhs
        if not isinstance(ids, list | tuple | set | frozenset) or not all(type(pk) is int for pk in ids):
            return None
        ids = list(ids)
        expected, scope = units.filter(building__parcel__park__in=ids), parks.filter(pk__in=ids)
    else:
        return None
    try:
        same = _shape(queryset) == _shape(expected)
    except Exception:  # noqa: BLE001 (a query that does not compile as a plain list: counted as before)
        return None
    if not same:
        return None
    connection = connections[using]
    quote = connection.ops.quote_name
    rows, state = quote(ParkOccupancy._meta.db_table), quote(ParkOccupancyState._meta.db_table)
    unit, building, parcel = (quote(model._meta.db_table) for model in (SpaceUnit, Building, LandParcel))
    scope_sql, scope_params = scope.order_by().values_list("pk").query.sql_with_params()
    sql = (
        f"WITH scope (id) AS ({scope_sql}) "
        "SELECT COALESCE(SUM(CASE WHEN s.version = s.computed AND o.units IS NOT NULL THEN o.units ELSE "
        f"(SELECT COUNT(*) FROM {unit} u JOIN {building} b ON b.id = u.building_id "
        f"JOIN {parcel} l ON l.id = b.parcel_id WHERE l.park_id = p.id) END), 0) "
        f"FROM scope p LEFT JOIN {state} s ON s.park_id = p.id "
        f"LEFT JOIN {rows} o ON o.park_id = p.id AND o.since = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*scope_params, FIRST])
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _shape(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    """The SQL and parameters of ``queryset``'s rows, whatever it orders by or reads beside them."""
    query = queryset.order_by().values("pk").query
    sql, params = query.get_compiler(using=queryset.db).as_sql()
    return sql, tuple(params)


# --- keeping it current --------------------------------------------------------------------------------------


def bump(park_ids: Iterable[int | None]) -> None:
    """Mark the parks' stored rows out of date (one statement, in the writer's transaction)."""
    ids = sorted({pk for pk in park_ids if pk is not None})
    if not ids:
        return
    table = connection.ops.quote_name(ParkOccupancyState._meta.db_table)
    values = ", ".join(["(%s, 1, -1)"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (park_id, version, computed) VALUES {values} "  # noqa: S608 (names, not input)
            f"ON CONFLICT (park_id) DO UPDATE SET version = {table}.version + 1",
            ids,
        )


def _unit_parks(unit_ids: Iterable[int]) -> list[int]:
    return list(
        SpaceUnit.objects.filter(pk__in=list(unit_ids)).values_list("building__parcel__park_id", flat=True).distinct()
    )


def _contract_parks(contract: Lease | Sale) -> list[int | None]:
    """The contract's park, and its units' (and for a building sale, the building's): one query."""
    parks: list[int | None] = [contract.park_id]
    if contract.pk is not None:
        parks += SpaceUnit.objects.filter(**{f"{type(contract).__name__.lower()}s": contract.pk}).values_list(
            "building__parcel__park_id", flat=True
        )
    if isinstance(contract, Sale) and contract.building_id:
        parks += Building.objects.filter(pk=contract.building_id).values_list("parcel__park_id", flat=True)
    return parks


def _contract_written(sender: type[Lease | Sale], instance: Lease | Sale, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        bump(_contract_parks(instance))


def _contract_units_changed(sender: Any, instance: Any, action: str, pk_set: set[int] | None, **kwargs: Any) -> None:
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if isinstance(instance, SpaceUnit):  # from the unit's side: pk_set are contracts, all in the unit's park
        contracts = kwargs["model"].objects.filter(pk__in=pk_set or ()).values_list("park_id", flat=True)
        bump([*_unit_parks([instance.pk]), *contracts])
    else:
        bump([*_contract_parks(instance), *_unit_parks(pk_set or ())])


#: where each place model's park is, from the model
PARK_OF = {SpaceUnit: "building__parcel__park_id", Building: "parcel__park_id", LandParcel: "park_id"}


def _place_before(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """Remember the park a unit, building or parcel was in before it is saved (it may move)."""
    if raw or instance.pk is None:
        return
    instance._occupancy_park_before = (
        sender._base_manager.filter(pk=instance.pk).values_list(PARK_OF[sender], flat=True).first()
    )


def _place_written(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    now = sender._base_manager.filter(pk=instance.pk).values_list(PARK_OF[sender], flat=True).first()
    bump([getattr(instance, "_occupancy_park_before", None), now])


def _place_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    bump(sender._base_manager.filter(pk=instance.pk).values_list(PARK_OF[sender], flat=True))


def _bulk_written(sender: Any, **kwargs: Any) -> None:
    """A bulk path of the change log (``log_bulk_create``, ``update_logged``) names the model only: every park is
    marked out of date (parks never computed have no state row and are so already)."""
    ParkOccupancyState.objects.update(version=F("version") + 1)


def connect() -> None:
    """Connect the signals that keep the stored occupancy current (LeasingConfig.ready)."""
    from parkos.core.changelog import bulk_written

    for model in (Lease, Sale):
        post_save.connect(_contract_written, sender=model, dispatch_uid=f"occupancy-{model.__name__}-save")
        pre_delete.connect(_contract_written, sender=model, dispatch_uid=f"occupancy-{model.__name__}-delete")
        m2m_changed.connect(
            _contract_units_changed, sender=model.units.through, dispatch_uid=f"occupancy-{model.__name__}-units"
        )
    for written in (Lease, Sale, *PARK_OF):
        bulk_written.connect(_bulk_written, sender=written, dispatch_uid=f"occupancy-{written.__name__}-bulk")
    for place in PARK_OF:
        pre_save.connect(_place_before, sender=place, dispatch_uid=f"occupancy-{place.__name__}-before")
        post_save.connect(_place_written, sender=place, dispatch_uid=f"occupancy-{place.__name__}-save")
        pre_delete.connect(_place_deleted, sender=place, dispatch_uid=f"occupancy-{place.__name__}-delete")
