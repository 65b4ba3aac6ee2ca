"""A paginator that does not count a huge table on every page view.

On PostgreSQL, ``SELECT count(*)`` of a whole table reads all of it: 2,000,000 evaluation results take a
second or more, on every view of an unfiltered list. ``EstimatedCountPaginator`` takes the planner's row
estimate of the table (``pg_class.reltuples``, kept by ANALYZE and autovacuum) instead when the list is the
whole table (no WHERE clause: an unfiltered list of a user who sees everything) and the estimate is at least
``ESTIMATE_ABOVE`` rows. The page then says "about N" (``estimated`` is True). Filtered lists, smaller tables,
and SQLite are counted exactly, as before.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

#: below this many rows a table is counted exactly (a count of 50,000 narrow rows takes a few ms)
ESTIMATE_ABOVE = 50_000


def whole_table(object_list: Any) -> QuerySet[Any] | None:
    """The queryset behind ``object_list`` (a queryset, or django-tables2's rows of one) when it selects every
    row of its model's table; None otherwise."""
    queryset = getattr(getattr(object_list, "data", None), "data", object_list)  # django-tables2's BoundRows
    if not isinstance(queryset, QuerySet):
        return None
    query = queryset.query
    if query.where or query.distinct or query.combinator or query.is_sliced or query.group_by is not None:
        return None
    if len(query.alias_map) > 1:  # a join made by a filter or an annotation may drop or repeat rows
        return None
    return queryset


def estimated_count(queryset: QuerySet[Any]) -> int | None:
    """The planner's estimate of the rows of ``queryset``'s table on PostgreSQL; None elsewhere or if unknown."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)", [queryset.model._meta.db_table])
        row = cursor.fetchone()
    if row is None or row[0] is None or row[0] < 0:  # -1: never analysed
        return None
    return int(row[0])


class EstimatedCountPaginator(Paginator[Any]):
    """A Paginator whose count is the table's estimate for an unfiltered list of a big table (see above)."""

    estimated = False

    @cached_property
    def count(self) -> int:
        queryset = whole_table(self.object_list)
        if queryset is not None:
            estimate = estimated_count(queryset)
            if estimate is not None and estimate >= ESTIMATE_ABOVE:
                self.estimated = True
                return estimate
        return super().count
