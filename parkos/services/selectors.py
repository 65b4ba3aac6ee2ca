"""Reads with rules for enterprise services: the parks an enterprise may file in, the catalogue, the figures.

The figures are set-based: grouped counts and one windowed query for the durations (means and medians in SQL),
over ``ServiceRequest.objects.restrict(user)``, so they never count what their reader may not see.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from parkos.core.actors import Actor
from parkos.leasing.models import Lease, Sale
from parkos.parks.models import Park
from parkos.services.models import (
    OPEN_STATUSES,
    Aspect,
    Scenario,
    Service,
    ServiceRequest,
    Status,
    overdue_q,
    within_target_q,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def enterprise_parks(organization_ids: Iterable[int] | QuerySet[Any, Any]) -> QuerySet[Park]:
    """The parks an enterprise is in: where it holds land, leases or bought space, or has filed requests before."""
    held = Park.objects.filter(parcels__holder__in=organization_ids).values("pk")
    leased = Lease.objects.filter(tenant__in=organization_ids).values("park")
    bought = Sale.objects.filter(buyer__in=organization_ids).values("park")
    filed = ServiceRequest.objects.filter(enterprise__in=organization_ids).values("park")
    return Park.objects.filter(Q(pk__in=held) | Q(pk__in=leased) | Q(pk__in=bought) | Q(pk__in=filed)).order_by("name")


class CatalogueGroup(TypedDict):
    """One aspect of the catalogue (the page reads it by key)."""

    aspect: str
    label: StrOrPromise
    services: list[Service]
    scenarios: list[Scenario]


def catalogue(user: Actor, *, aspect: str | None = None, q: str = "") -> list[CatalogueGroup]:
    """The active services the user may see, grouped by aspect in the aspects' order, with their scenarios."""
    services = Service.objects.restrict(user).filter(is_active=True).select_related("provider").order_by("name")
    scenarios = Scenario.objects.restrict(user).select_related("provider").order_by("name")
    if aspect:
        services, scenarios = services.filter(aspect=aspect), scenarios.filter(aspect=aspect)
    if q.strip():
        services = services.filter(Service.search_filter(q, user))
        scenarios = scenarios.filter(Scenario.search_filter(q, user))
    by_aspect: dict[str, CatalogueGroup] = {
        value: {"aspect": value, "label": label, "services": [], "scenarios": []} for value, label in Aspect.choices
    }
    for service in services:
        by_aspect[service.aspect]["services"].append(service)
    for scenario in scenarios:
        by_aspect[scenario.aspect]["scenarios"].append(scenario)
    return [group for group in by_aspect.values() if group["services"] or group["scenarios"] or not (aspect or q)]


# --- figures ---------------------------------------------------------------------------------------


def _hours_between(later: str, earlier: str) -> str:
    if connection.vendor == "sqlite":
        return f"((julianday({later}) - julianday({earlier})) * 24.0)"
    return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 3600.0)"


#: the ratings an enterprise gives a request done
RATINGS = range(1, 6)

#: per group value (None for all): count, mean hours, median hours
DurationStats = dict[Any, tuple[int, float | None, float | None]]


def all_duration_stats(requests: QuerySet[ServiceRequest]) -> dict[str, DurationStats]:
    """Count, mean and median hours from filing to response and to resolution, per aspect and in all.

    One query. Response: every request responded to; resolution: the requests done with a closing time.
    Returns {"response" / "resolution": {aspect or None: (count, mean hours, median hours)}} (a request always
    has an aspect: ``None`` is all of them). On PostgreSQL the medians are ``percentile_cont(0.5)``, each group
    sorted once in C; SQLite, which has no ordered-set aggregate, ranks the durations with window functions
    (``_ranked_duration_stats``). Both give the mean of the two middle values of an even count.
    """
    columns = ("aspect", "requested_at", "responded_at", "resolved_at", "status")
    try:  # the requests' own query reads the columns (no second pass over the table by id)
        measured_sql, params = requests.order_by().values(*columns).query.sql_with_params()
    except EmptyResultSet:  # a user who may see no request at all
        return {"response": {}, "resolution": {}}
    if connection.vendor == "postgresql":
        return _percentile_duration_stats(measured_sql, params, columns)
    return _ranked_duration_stats(measured_sql, params, columns)


def _ranked_duration_stats(measured_sql: str, params: Any, columns: tuple[str, ...]) -> dict[str, DurationStats]:
    """Without an ordered-set aggregate (SQLite): each duration ranked twice by window functions, in its aspect
    and among all, and the middle one or two averaged (the query PostgreSQL ran before percentile_cont)."""
    sql = f"""
        WITH measured ({", ".join(columns)}) AS ({measured_sql}), durations AS (
            SELECT 'response' AS kind, aspect AS grp, {_hours_between("responded_at", "requested_at")} AS hours
            FROM measured WHERE responded_at IS NOT NULL
            UNION ALL
            SELECT 'resolution', aspect, {_hours_between("resolved_at", "requested_at")}
            FROM measured WHERE status = %s AND resolved_at IS NOT NULL
        ), ranked AS (
            SELECT kind, grp, hours,
                   ROW_NUMBER() OVER (PARTITION BY kind, grp ORDER BY hours) AS n,
                   COUNT(*) OVER (PARTITION BY kind, grp) AS total,
                   ROW_NUMBER() OVER (PARTITION BY kind ORDER BY hours) AS n_all,
                   COUNT(*) OVER (PARTITION BY kind) AS total_all
            FROM durations
        )
        SELECT kind, grp, COUNT(*), AVG(hours), AVG(CASE WHEN n IN ((total + 1) / 2, (total + 2) / 2) THEN hours END)
        FROM ranked GROUP BY kind, grp
        UNION ALL
        SELECT kind, NULL, COUNT(*), AVG(hours),
               AVG(CASE WHEN n_all IN ((total_all + 1) / 2, (total_all + 2) / 2) THEN hours END)
        FROM ranked GROUP BY kind
    """  # noqa: S608 (only our own table and column names and compiled queryset SQL are interpolated)
    stats: dict[str, DurationStats] = {"response": {}, "resolution": {}}
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, Status.DONE.value))
        for kind, grp, n, mean, median in cursor.fetchall():
            stats[kind][grp] = (
                n,
                float(mean) if mean is not None else None,
                float(median) if median is not None else None,
            )
    return stats


def _percentile_duration_stats(measured_sql: str, params: Any, columns: tuple[str, ...]) -> dict[str, DurationStats]:
    """PostgreSQL: one pass over the requests, both durations as columns (NULL where not measured, which
    COUNT, AVG and percentile_cont leave out), grouped by aspect and in all (GROUPING SETS). The hours are
    floats (``date_part``), not ``EXTRACT``'s numeric: its division cost more than the sorting."""
    hours = "(date_part('epoch', {later} - requested_at) / 3600.0)"
    response = f"CASE WHEN responded_at IS NOT NULL THEN {hours.format(later='responded_at')} END"
    resolution = f"CASE WHEN status = %s AND resolved_at IS NOT NULL THEN {hours.format(later='resolved_at')} END"
    sql = f"""
        SELECT aspect, GROUPING(aspect),
               COUNT(response), AVG(response), percentile_cont(0.5) WITHIN GROUP (ORDER BY response),
               COUNT(resolution), AVG(resolution), percentile_cont(0.5) WITHIN GROUP (ORDER BY resolution)
        FROM (
            SELECT aspect, {response} AS response, {resolution} AS resolution
            FROM ({measured_sql}) AS measured ({", ".join(columns)})
        ) AS durations
        GROUP BY GROUPING SETS ((aspect), ())
    """  # noqa: S608 (only our own table and column names and compiled queryset SQL are interpolated)
    stats: dict[str, DurationStats] = {"response": {}, "resolution": {}}
    with connection.cursor() as cursor:
        cursor.execute(sql, (Status.DONE.value, *params))
        for aspect, in_all, *figures in cursor.fetchall():
            group = None if in_all else aspect
            for kind, (n, mean, median) in zip(("response", "resolution"), (figures[:3], figures[3:]), strict=True):
                if n:
                    stats[kind][group] = (n, float(mean), float(median))
    return stats


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def filtered_requests(
    user: Actor,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    park: Park | int | None = None,
    aspect: str | None = None,
) -> QuerySet[ServiceRequest]:
    """Requests the user may see, filed in the period (dates inclusive, local time) in the park and aspect."""
    requests = ServiceRequest.objects.restrict(user)
    tz = timezone.get_current_timezone()
    if date_from:
        requests = requests.filter(requested_at__gte=datetime.datetime.combine(date_from, datetime.time.min, tz))
    if date_to:
        end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tz)
        requests = requests.filter(requested_at__lt=end)
    if park:
        requests = requests.filter(park=park)
    if aspect:
        requests = requests.filter(aspect=aspect)
    return requests


class StatusRow(TypedDict):
    status: str
    label: str
    requests: int


class AspectRow(TypedDict):
    aspect: str
    label: str
    requests: int
    open: int
    done: int
    response_mean_hours: float | None
    response_median_hours: float | None
    response_within_target: float | None
    resolution_mean_days: float | None
    resolution_median_days: float | None
    resolution_within_target: float | None
    rated: int
    mean_rating: float | None
    enterprises: int


class ParkRow(TypedDict):
    park: int
    name: str
    requests: int
    open: int
    done: int
    mean_rating: float | None
    enterprises: int


class ResponseFigures(TypedDict):
    measured: int
    mean_hours: float | None
    median_hours: float | None
    target_hours: float | None
    within_target: int
    within_target_share: float | None


class ResolutionFigures(TypedDict):
    measured: int
    mean_days: float | None
    median_days: float | None
    target_days: float | None
    within_target: int
    within_target_share: float | None


class RatingRow(TypedDict):
    rating: int
    requests: int


class Satisfaction(TypedDict):
    rated: int
    mean_rating: float | None
    distribution: list[RatingRow]


class RequestFigures(TypedDict):
    """``request_figures``: a mapping, as the figures page, its charts, its XLSX and the API read it by key."""

    date_from: datetime.date | None
    date_to: datetime.date | None
    requests: int
    open: int
    done: int
    declined: int
    overdue_response: int
    overdue_resolution: int
    by_status: list[StatusRow]
    by_aspect: list[AspectRow]
    by_park: list[ParkRow]
    response: ResponseFigures
    resolution: ResolutionFigures
    satisfaction: Satisfaction
    enterprises: int
    enterprises_served: int


#: what is counted of the requests of an aspect, park and enterprise (first pass, ``_figure_rows``), each added up
#: in the groups (second pass): (name, SQL); ``%s`` are the statuses of ``_COUNT_PARAMS``
_COUNTS: tuple[tuple[str, str], ...] = (
    ("requests", "COUNT(*)"),
    ("open", "COUNT(f_open)"),
    ("done", "COUNT(f_done)"),
    ("declined", "COUNT(f_declined)"),
    ("responded", "COUNT(responded_at)"),
    ("responded_in_time", "COUNT(f_responded_in_time)"),
    ("resolved", "COUNT(f_resolved)"),
    ("resolved_in_time", "COUNT(f_resolved_in_time)"),
    ("overdue_response", "COUNT(f_overdue_response)"),
    ("overdue_resolution", "COUNT(f_overdue_resolution)"),
    ("rated", "COUNT(rating)"),
    ("rating_sum", "SUM(rating)"),
    # the targets of the requests, whose means the times are set against
    ("response_hours_sum", "SUM(t_response)"),
    ("resolution_days_sum", "SUM(t_resolution)"),
    *((f"status_{value}", "COUNT(CASE WHEN status = %s THEN 1 END)") for value in Status.values),
    *((f"rating_{n}", f"COUNT(CASE WHEN rating = {n:d} THEN 1 END)") for n in RATINGS),
)
_COUNT_PARAMS: tuple[str, ...] = tuple(Status.values)
#: GROUPING(aspect, park_id): the group a row of ``grouped_figures`` adds up
_ALL, _ASPECT, _PARK = 3, 1, 2


def _figure_rows(requests: QuerySet[ServiceRequest], now: datetime.datetime) -> QuerySet[ServiceRequest, Any]:
    """A row per request with what the figures count: its columns, and 1 or NULL for each condition (the same
    ``Q`` rules as the lists' filters), so ``COUNT(flag)`` counts the requests that meet it."""

    def flag(condition: Q) -> Case:
        return Case(When(condition, then=Value(1)), output_field=IntegerField())

    done = Q(status=Status.DONE)
    is_open = Q(status__in=OPEN_STATUSES)
    return requests.values(
        "aspect",
        "park_id",
        "enterprise_id",
        "status",
        "rating",
        "responded_at",
        f_open=flag(is_open),
        f_done=flag(done),
        f_declined=flag(Q(status=Status.DECLINED)),
        f_responded_in_time=flag(within_target_q("response")),
        f_resolved=flag(done & Q(resolved_at__isnull=False)),
        f_resolved_in_time=flag(done & within_target_q("resolution")),
        f_overdue_response=flag(is_open & overdue_q("response", now)),
        f_overdue_resolution=flag(is_open & overdue_q("resolution", now)),
        t_response=F("service__response_target_hours"),
        t_resolution=F("service__resolution_target_days"),
    )


class GroupedFigures(TypedDict):
    """``grouped_figures``: the counts of all the requests, of each aspect and of each park (with its name)."""

    totals: dict[str, Any]
    aspects: dict[str, dict[str, Any]]
    parks: list[dict[str, Any]]


def _mean(total: str, count: str) -> str:
    """``AVG`` of the rows added up: the same value as AVG over the requests (PostgreSQL divides the integer sum
    as numeric, as its AVG of integers does; SQLite as a double, as its AVG does)."""
    if connection.vendor == "postgresql":
        return f"SUM({total})::numeric / NULLIF(SUM({count}), 0)"
    return f"CAST(SUM({total}) AS REAL) / NULLIF(SUM({count}), 0)"


def grouped_figures(requests: QuerySet[ServiceRequest], now: datetime.datetime) -> GroupedFigures:
    """The counts of ``request_figures`` in all, by aspect and by park (with the park's name; parks by requests,
    most first, and name), in one query with one pass over the requests.

    Three queries read the period's requests (issue 16: each grew with them); now the requests are counted once
    by aspect, park and enterprise (a hash table of at most as many rows as those triples, however many requests
    there are), and the groups add those rows up: counts by ``SUM``, means as the sum over the count, enterprises
    as ``COUNT(DISTINCT)`` of the triples' (served: of those with a request done). PostgreSQL adds the groups up
    as GROUPING SETS, SQLite, which has none, as a UNION of three GROUP BYs of the same rows.
    """
    names = [name for name, _sql in _COUNTS]
    result: GroupedFigures = {"totals": {}, "aspects": {}, "parks": []}
    try:
        rows_sql, rows_params = _figure_rows(requests, now).query.sql_with_params()
    except EmptyResultSet:  # a user who may see no request at all: the counts of no rows
        result["totals"] = {
            **dict.fromkeys(names, 0),
            **dict.fromkeys(("mean_rating", "response_hours", "resolution_days"), None),
            "enterprises": 0,
            "enterprises_served": 0,
        }
        return result
    counted = ", ".join(f"{sql} AS {name}" for name, sql in _COUNTS)
    added = ", ".join(
        [
            *(f"SUM({name}) AS {name}" for name in names),
            "COUNT(DISTINCT enterprise_id) AS enterprises",
            "COUNT(DISTINCT CASE WHEN done > 0 THEN enterprise_id END) AS enterprises_served",
            f"{_mean('rating_sum', 'rated')} AS mean_rating",
            f"{_mean('response_hours_sum', 'requests')} AS response_hours",
            f"{_mean('resolution_days_sum', 'requests')} AS resolution_days",
        ]
    )
    triples = f"""
        SELECT aspect, park_id, enterprise_id, {counted} FROM ({rows_sql}) AS request_rows
        GROUP BY aspect, park_id, enterprise_id
    """  # noqa: S608 (only our own column names and compiled queryset SQL are interpolated)
    if connection.vendor == "postgresql":
        grouped = f"""
            SELECT GROUPING(aspect, park_id) AS grp, aspect, park_id, {added} FROM ({triples}) AS triples
            GROUP BY GROUPING SETS ((), (aspect), (park_id))
        """  # noqa: S608 (only our own column names and compiled queryset SQL are interpolated)
        prefix = ""
    else:
        grouped = f"""
            SELECT {_ALL} AS grp, NULL AS aspect, NULL AS park_id, {added} FROM triples
            UNION ALL SELECT {_ASPECT}, aspect, NULL, {added} FROM triples GROUP BY aspect
            UNION ALL SELECT {_PARK}, NULL, park_id, {added} FROM triples GROUP BY park_id
        """  # noqa: S608 (only our own column names are interpolated)
        prefix = f"WITH triples AS ({triples})"
    park_table = connection.ops.quote_name(Park._meta.db_table)
    sql = f"""
        {prefix}
        SELECT grouped.*, park.name FROM ({grouped}) AS grouped
        LEFT JOIN {park_table} AS park ON park.id = grouped.park_id
        ORDER BY grouped.requests DESC, park.name
    """  # noqa: S608 (only our own table and column names and compiled queryset SQL are interpolated)
    # the sums and counts as int (PostgreSQL's SUM of bigint is numeric; a sum of no rows is NULL), then the means
    names += ["enterprises", "enterprises_served"]
    means = ("mean_rating", "response_hours", "resolution_days")
    with connection.cursor() as cursor:
        cursor.execute(sql, (*_COUNT_PARAMS, *rows_params))
        for grp, aspect, park_id, *values, park_name in cursor.fetchall():
            row: dict[str, Any] = {
                name: int(value or 0) for name, value in zip(names, values[: len(names)], strict=True)
            }
            for name, value in zip(means, values[len(names) :], strict=True):
                row[name] = float(value) if value is not None else None  # numeric on PostgreSQL
            if grp == _ALL:
                result["totals"] = row
            elif grp == _ASPECT:
                result["aspects"][aspect] = row
            else:
                result["parks"].append({"park": park_id, "name": park_name, **row})
    return result


def request_figures(
    user: Actor,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    park: Park | int | None = None,
    aspect: str | None = None,
    now: datetime.datetime | None = None,
) -> RequestFigures:
    """Requests by aspect, park and status; time to respond and resolve against target; satisfaction;
    enterprises served. Durations are in hours (resolution also in days); shares are 0..1."""
    now = now or timezone.now()
    requests = filtered_requests(user, date_from=date_from, date_to=date_to, park=park, aspect=aspect)
    grouped = grouped_figures(requests.order_by(), now)
    totals, per_aspect, park_rows = grouped["totals"], grouped["aspects"], grouped["parks"]
    durations = all_duration_stats(requests.order_by())
    response, resolution = durations["response"], durations["resolution"]
    aspects: list[AspectRow] = []
    for value, label in Aspect.choices:
        row = per_aspect.get(value)
        if row is None:
            continue
        _n, response_mean, response_median = response.get(value, (0, None, None))
        _n, resolution_mean, resolution_median = resolution.get(value, (0, None, None))
        aspects.append(
            {
                "aspect": value,
                "label": str(label),
                "requests": row["requests"],
                "open": row["open"],
                "done": row["done"],
                "response_mean_hours": _round(response_mean),
                "response_median_hours": _round(response_median),
                "response_within_target": _share(row["responded_in_time"], row["responded"]),
                "resolution_mean_days": _round(resolution_mean / 24 if resolution_mean is not None else None),
                "resolution_median_days": _round(resolution_median / 24 if resolution_median is not None else None),
                "resolution_within_target": _share(row["resolved_in_time"], row["resolved"]),
                "rated": row["rated"],
                "mean_rating": _round(row["mean_rating"], 2),
                "enterprises": row["enterprises"],
            }
        )
    _n, response_mean, response_median = response.get(None, (0, None, None))
    _n, resolution_mean, resolution_median = resolution.get(None, (0, None, None))
    return {
        "date_from": date_from,
        "date_to": date_to,
        "requests": totals["requests"],
        "open": totals["open"],
        "done": totals["done"],
        "declined": totals["declined"],
        "overdue_response": totals["overdue_response"],
        "overdue_resolution": totals["overdue_resolution"],
        "by_status": [
            {"status": value, "label": str(label), "requests": totals[f"status_{value}"]}
            for value, label in Status.choices
        ],
        "by_aspect": aspects,
        "by_park": [
            {
                "park": row["park"],
                "name": row["name"],
                "requests": row["requests"],
                "open": row["open"],
                "done": row["done"],
                "mean_rating": _round(row["mean_rating"], 2),
                "enterprises": row["enterprises"],
            }
            for row in park_rows
        ],
        "response": {
            "measured": totals["responded"],
            "mean_hours": _round(response_mean),
            "median_hours": _round(response_median),
            "target_hours": _round(totals["response_hours"]),
            "within_target": totals["responded_in_time"],
            "within_target_share": _share(totals["responded_in_time"], totals["responded"]),
        },
        "resolution": {
            "measured": totals["resolved"],
            "mean_days": _round(resolution_mean / 24 if resolution_mean is not None else None),
            "median_days": _round(resolution_median / 24 if resolution_median is not None else None),
            "target_days": _round(totals["resolution_days"]),
            "within_target": totals["resolved_in_time"],
            "within_target_share": _share(totals["resolved_in_time"], totals["resolved"]),
        },
        "satisfaction": {
            "rated": totals["rated"],
            "mean_rating": _round(totals["mean_rating"], 2),
            "distribution": [{"rating": n, "requests": totals[f"rating_{n}"]} for n in RATINGS],
        },
        "enterprises": totals["enterprises"],
        "enterprises_served": totals["enterprises_served"],
    }


#: what ``request_figures`` reads: a write to any of these makes its kept figures stale (ServicesConfig.ready)
FIGURES_READ: tuple[type[Any], ...] = (ServiceRequest, Service, Park)


def kept_request_figures(
    user: Actor,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    park: Park | int | None = None,
    aspect: str | None = None,
) -> RequestFigures:
    """``request_figures``, kept per audience, period, park, aspect and time zone until a write to what they read
    (parkos.core.kept): the figures page, its XLSX and the API count the period's requests once, not at every view
    (issue 16).

    The overdue counts depend on the clock: the figures are computed at the start of the current minute and kept
    under it, so they are never more than a minute behind it. Their labels are those of the reader's language
    (``labelled``): one computation serves both languages."""
    from parkos.core.kept import audience, kept

    now = timezone.now().replace(second=0, microsecond=0)
    parts = (
        audience(user, (ServiceRequest,)),
        date_from.isoformat() if date_from else None,
        date_to.isoformat() if date_to else None,
        getattr(park, "pk", park),
        aspect or None,
        timezone.get_current_timezone_name(),
        now.isoformat(),
    )
    figures = kept(
        "service_figures",
        ("service_figures",),
        parts,
        lambda: request_figures(user, date_from=date_from, date_to=date_to, park=park, aspect=aspect, now=now),
    )
    return labelled(figures)


def labelled(figures: RequestFigures) -> RequestFigures:
    """``figures`` with the labels of statuses and aspects in the current language."""
    for status in figures["by_status"]:
        status["label"] = str(Status(status["status"]).label)
    for row in figures["by_aspect"]:
        row["label"] = str(Aspect(row["aspect"]).label)
    return figures
