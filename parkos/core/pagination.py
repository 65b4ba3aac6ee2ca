"""A paginator that does not count a huge table on every page view.

On PostgreSQL, ``SELECT count(*)`` of a whole table reads all of it: 2,000,000 evaluation results take a
second or more, on every view of an unfiltered list. ``EstimatedCountPaginator`` takes the planner's row
estimate of the table (``pg_class.reltuples``, kept by ANALYZE and autovacuum) instead when the list is the
whole table (no WHERE clause: an unfiltered list of a user who sees everything) and the estimate is at least
``ESTIMATE_ABOVE`` rows. The page then says "about N" (``estimated`` is True). Filtered lists, smaller tables,
and SQLite are counted exactly, as before.

A model that sets ``estimate_filtered_count = True`` (the organizations: a search for "科技" matches 450,000 of
1,000,000) also has its filtered lists estimated on PostgreSQL when the filter matches at least ``SAMPLE`` rows:
the ``SAMPLE``-th matching id, read in id order (the query stops there), tells what share of the id range holds
``SAMPLE`` matches, and the count is that share scaled to the whole range. Fewer matches are counted exactly. A page
shown checks its estimate with one row after it and counts exactly, once, when the estimate was wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Max, Min, QuerySet
from django.utils.functional import cached_property

#: below this many rows a table is counted exactly (a count of 50,000 narrow rows takes a few ms)
ESTIMATE_ABOVE = 50_000
#: a filter of a model with ``estimate_filtered_count`` matching this many rows or more is estimated
SAMPLE = 1000


#: exact counts an app above core keeps, by model: ``count(queryset)`` is the number of rows of ``queryset`` read from
#: stored figures, or None when it has none for that query (the list is then counted or estimated as below); the
#: leasing app keeps the space units per park (``parkos.leasing.stored.unit_count``)
stored_counts: dict[type, Callable[[QuerySet[Any]], int | None]] = {}


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


def sampled_count(queryset: QuerySet[Any], sample: int = SAMPLE) -> int | None:
    """An estimate of the rows of ``queryset`` (a filter) from where its ``sample``-th row falls in the table's id
    range, on PostgreSQL; None elsewhere, or when it has fewer rows than ``sample`` (count those exactly).

    Matches spread over the table are estimated closely (a search for 科技: 443,656 for 449,357). Matches that lie
    together are not: early ones give a high estimate, late ones (a recent import) a low one; the paginator checks
    an estimate where a page shows it (``EstimatedCountPaginator.page``). Scaling from the first match
    instead trades one error for the other, and the last match's id, which would bound both, can take a walk of the
    whole table backwards."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    nth = list(queryset.order_by("pk").values_list("pk", flat=True)[sample - 1 : sample])
    if not nth:
        return None
    bounds = queryset.model._base_manager.using(queryset.db).aggregate(low=Min("pk"), high=Max("pk"))
    low, high, place = bounds["low"], bounds["high"], nth[0]
    if not (isinstance(place, int) and isinstance(low, int) and isinstance(high, int)):
        return None  # not an integer id: count exactly
    return max(sample, round(sample * (high - low + 1) / (place - low + 1)))


def filtered_queryset(object_list: Any) -> QuerySet[Any] | None:
    """The queryset behind ``object_list`` (a queryset, or django-tables2's rows of one), or None."""
    queryset = getattr(getattr(object_list, "data", None), "data", object_list)
    return queryset if isinstance(queryset, QuerySet) else None


class EstimatedCountPaginator(Paginator[Any]):
    """A Paginator whose count is the table's estimate for an unfiltered list of a big table (see above)."""

    estimated = False

    @cached_property
    def count(self) -> int:
        # A table a view configures again after giving it the request is paginated twice (its own RequestConfig,
        # then the view's with the page size): the rows object is the same, so its count is kept on it and not
        # asked of the database again.
        kept = getattr(self.object_list, "_parkos_count", None)
        if kept is not None:
            count, self.estimated = kept
            return int(count)
        count = self._count()
        if hasattr(self.object_list, "data"):  # django-tables2's rows (a queryset or a list is left alone)
            self.object_list._parkos_count = (count, self.estimated)  # type: ignore[attr-defined]
        return count

    def page(self, number: Any) -> Any:
        """The page, with an estimate checked where it shows: one row after the page tells whether more pages
        follow. If the estimate promised more pages and none follow (it was high), or promised none and rows follow
        (it was low), the list is counted exactly, once, and a page past the real end is the last real one."""
        valid = self.validate_number(number)
        if self.estimated:
            valid = self._checked(valid)
        return super().page(valid)

    def _checked(self, valid: int) -> int:
        checked = getattr(self.object_list, "_parkos_checked", None)  # the table's second pagination: asked already
        if checked is not None and checked[0] == (valid, self.per_page):
            return int(checked[1])
        queryset = filtered_queryset(self.object_list)
        if queryset is None:
            return valid
        bottom, top = (valid - 1) * self.per_page, valid * self.per_page
        followed = queryset[top : top + 1].exists()
        if followed:
            right = valid < self.num_pages
        else:
            right = valid == self.num_pages and (valid == 1 or queryset[bottom : bottom + 1].exists())
        if not right:
            self.estimated = False
            exact = Paginator.count.func(self)  # type: ignore[attr-defined]
            self.__dict__["count"] = exact
            self.__dict__.pop("num_pages", None)
            if hasattr(self.object_list, "data"):
                self.object_list._parkos_count = (exact, False)  # type: ignore[attr-defined]
        shown = min(valid, self.num_pages)
        if hasattr(self.object_list, "data"):
            self.object_list._parkos_checked = ((valid, self.per_page), shown)  # type: ignore[attr-defined]
        return shown

    def _count(self) -> int:
        listed = filtered_queryset(self.object_list)
        stored = stored_counts.get(listed.model) if listed is not None else None
        if stored is not None and (count := stored(listed)) is not None:  # type: ignore[arg-type]
            return count
        queryset = whole_table(self.object_list)
        if queryset is not None:
            estimate = estimated_count(queryset)
            if estimate is not None and estimate >= ESTIMATE_ABOVE:
                self.estimated = True
                return estimate
        else:
            filtered = filtered_queryset(self.object_list)
            if filtered is not None and getattr(filtered.model, "estimate_filtered_count", False):
                estimate = sampled_count(filtered, SAMPLE)
                if estimate is not None:
                    self.estimated = True
                    return estimate
        return super().count
