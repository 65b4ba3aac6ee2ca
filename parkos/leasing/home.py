"""The park manager's home: its parks' occupancy, the leases expiring soon, and where space stands vacant."""

from __future__ import annotations

import datetime

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, DateField, F, QuerySet, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkos.core.home import QUEUE_LENGTH, HomePanel, QueueItem
from parkos.core.permissions import Action, can
from parkos.core.reversing import reverse_pk
from parkos.core.units import AreaUnit, format_area, format_decimal
from parkos.directory.models import Organization
from parkos.leasing.models import Lease
from parkos.leasing.selectors import EXPIRY_WINDOWS, add_months, occupancy
from parkos.parks.models import Park

_DATE = DateField()


def first_expiring(expiring: QuerySet[Lease]) -> list[tuple[int, datetime.date, str, str, int]]:
    """The first QUEUE_LENGTH of ``expiring`` by end date (key, end, tenant's name, park's name) and how many there
    are in all (the last value of each row), in one query.

    The count is over the whole window (before the LIMIT), the names by subqueries run for the shown rows only. The
    counted rows are a subquery of their own: with ``COUNT(*) OVER ()`` and the LIMIT in one SELECT, PostgreSQL
    costed the window as if it stopped after five rows, and walked every park's leases in end date order (3,333
    at demo scale 6.25, 17-29 ms) instead of probing the manager's parks in ``lease_park_expiring`` (1.1 ms).
    """
    counted = expiring.order_by().values(
        e_pk=F("pk"), e_end=F("effective_end"), e_tenant=F("tenant_id"), e_park=F("park_id"), e_total=Window(Count("*"))
    )
    try:
        sql, params = counted.query.sql_with_params()
    except EmptyResultSet:  # a scope that is nothing: no query
        return []
    organizations = connection.ops.quote_name(Organization._meta.db_table)
    parks = connection.ops.quote_name(Park._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT x.e_pk, x.e_end, (SELECT o.name FROM {organizations} o WHERE o.id = x.e_tenant), "
            f"(SELECT p.name FROM {parks} p WHERE p.id = x.e_park), x.e_total "
            f"FROM ({sql}) x ORDER BY x.e_end, x.e_pk LIMIT %s",  # noqa: S608 (compiled queryset SQL, table names)
            [*params, QUEUE_LENGTH],
        )
        # a raw cursor gives SQLite's dates as text
        return [(pk, _DATE.to_python(end), tenant, park, total) for pk, end, tenant, park, total in cursor.fetchall()]


def home_panels(user) -> list[HomePanel]:
    """For those who run leases (the park manager)."""
    if not can(user, Lease, Action.CHANGE):
        return []
    today = timezone.localdate()
    unit = getattr(user, "area_unit", AreaUnit.SQUARE_METRE)
    # the parks and the total, no row per building: the stored rows when they are current (one query), else counted
    # from the units of the manager's parks (a home recomputes nothing and writes nothing: the query after a write
    # is 3 queries, not a recomputation; at demo scale 6.25 the count from the units took 72 ms, issue 16)
    figures = occupancy(user, today, buildings=False, refresh_stale=False)
    occupancy_url, board_url = reverse("leasing:occupancy"), reverse("leasing:vacancy_board")
    parks = [
        QueueItem(
            label=row.name,
            url=f"{occupancy_url}?park={row.key}",
            detail=_("Vacant %(area)s") % {"area": format_area(row.vacant, unit)},
            figure=f"{format_decimal(row.percent, 1)} %" if row.percent is not None else "—",
            tone="orange" if row.rate is not None and row.rate < 0.7 else "",
        )
        for row in figures.parks
    ]
    vacant = sorted((row for row in figures.parks if row.vacant > 0), key=lambda row: -row.vacant)
    horizon = add_months(today, EXPIRY_WINDOWS[-1])
    expiring = Lease.objects.restrict(user).filter(
        status__in=Lease.ACTIVE, effective_end__gte=today, effective_end__lte=horizon
    )
    expiring_rows = first_expiring(expiring)
    expiring_count = expiring_rows[0][4] if expiring_rows else 0
    lease_url = Lease.url_name()
    soon, near = add_months(today, EXPIRY_WINDOWS[0]), add_months(today, EXPIRY_WINDOWS[1])
    return [
        HomePanel(
            key="leasing.parks",
            title=_("My parks"),
            count=len(parks),
            url=occupancy_url,
            items=parks,
            empty=_("No space to let in your parks yet."),
            order=10,
            rows=False,
        ),
        HomePanel(
            key="leasing.expiring",
            title=_("Leases expiring within %(months)s months") % {"months": EXPIRY_WINDOWS[-1]},
            count=expiring_count,
            url=reverse("leasing:expiry_alerts"),
            items=[
                QueueItem(
                    label=tenant,
                    url=reverse_pk(lease_url, pk),
                    detail=park,
                    when=end,
                    tone="red" if end <= soon else "orange" if end <= near else "",
                )
                for pk, end, tenant, park, _total in expiring_rows
            ],
            empty=_("No lease expires within six months."),
            order=20,
        ),
        HomePanel(
            key="leasing.vacancies",
            title=_("Vacant space units"),
            count=figures.total.units - figures.total.units_occupied,
            url=board_url,
            items=[
                QueueItem(
                    label=row.name,
                    url=f"{board_url}?park={row.key}",
                    detail=_("Vacant %(area)s") % {"area": format_area(row.vacant, unit)},
                    figure=format_decimal(row.units - row.units_occupied),
                )
                for row in vacant[:QUEUE_LENGTH]
            ],
            empty=_("Every space unit is let or sold."),
            order=30,
            rows=False,
        ),
    ]
