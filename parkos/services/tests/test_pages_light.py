"""The service pages made lighter (issue 16): the figures in fewer queries, equal to the computation they
replace on a hand-built example (every status, ratings, two aspects and parks, scopes, filters); the pages'
queries pinned (SQLite and PostgreSQL) and flat as requests are added."""

# ruff: noqa: E501, S608 (the old computation, as it was)

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Avg, Count, Q, QuerySet
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parkos.core import kept
from parkos.core.actors import Actor
from parkos.core.testing import World
from parkos.parks.models import Park
from parkos.services import selectors
from parkos.services.models import OPEN_STATUSES, Aspect, ServiceRequest, Status, overdue_q, within_target_q
from parkos.services.selectors import DurationStats, request_figures
from parkos.services.tests.test_views import request_for, service_for

T0 = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)
NOW = datetime.datetime(2025, 6, 30, 12, 0, tzinfo=datetime.UTC)
PERIOD = {"date_from": datetime.date(2025, 1, 1), "date_to": datetime.date(2025, 6, 30)}


def hours(n: float) -> datetime.datetime:
    return T0 + datetime.timedelta(hours=n)


# --- the figures as they were computed before (ten queries), the oracle of the tests below ------------------


def old_duration_stats(requests: QuerySet[ServiceRequest], *, end: str, group_by: str | None = None) -> DurationStats:
    """Count, mean and median hours from filing to ``end`` ("responded_at" or "resolved_at"), per group.

    One query: window functions rank the durations for the median, on SQLite and PostgreSQL alike.
    Returns {group value (or None for all): (count, mean hours, median hours)}.
    """
    assert end in ("responded_at", "resolved_at")
    assert group_by in (None, "aspect", "park_id")
    try:
        ids_sql, params = requests.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a user who may see no request at all
        return {}
    table = ServiceRequest._meta.db_table
    group = f"r.{group_by}" if group_by else "NULL"
    sql = f"""
        WITH durations AS (
            SELECT {group} AS grp, {selectors._hours_between(f"r.{end}", "r.requested_at")} AS hours
            FROM {table} r
            WHERE r.id IN ({ids_sql}) AND r.{end} IS NOT NULL
        ), ranked AS (
            SELECT grp, hours,
                   ROW_NUMBER() OVER (PARTITION BY grp ORDER BY hours) AS n,
                   COUNT(*) OVER (PARTITION BY grp) AS total
            FROM durations
        )
        SELECT grp, COUNT(*), AVG(hours), AVG(CASE WHEN n IN ((total + 1) / 2, (total + 2) / 2) THEN hours END)
        FROM ranked GROUP BY grp
    """  # noqa: S608 (only our own table and column names and compiled queryset SQL are interpolated)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            grp: (n, float(mean) if mean is not None else None, float(median) if median is not None else None)
            for grp, n, mean, median in cursor.fetchall()
        }


def old_request_figures(
    user: Actor,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    park: Park | int | None = None,
    aspect: str | None = None,
    now: datetime.datetime | None = None,
) -> dict:
    """Requests by aspect, park and status; time to respond and resolve against target; satisfaction;
    enterprises served. Durations are in hours (resolution also in days); shares are 0..1."""
    now = now or timezone.now()
    requests = selectors.filtered_requests(user, date_from=date_from, date_to=date_to, park=park, aspect=aspect)
    plain = requests.order_by()
    totals = plain.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        done=Count("pk", filter=Q(status=Status.DONE)),
        declined=Count("pk", filter=Q(status=Status.DECLINED)),
        responded=Count("pk", filter=Q(responded_at__isnull=False)),
        responded_in_time=Count("pk", filter=within_target_q("response")),
        resolved=Count("pk", filter=Q(status=Status.DONE, resolved_at__isnull=False)),
        resolved_in_time=Count("pk", filter=Q(status=Status.DONE) & within_target_q("resolution")),
        overdue_response=Count("pk", filter=Q(status__in=OPEN_STATUSES) & overdue_q("response", now)),
        overdue_resolution=Count("pk", filter=Q(status__in=OPEN_STATUSES) & overdue_q("resolution", now)),
        rated=Count("pk", filter=Q(rating__isnull=False)),
        mean_rating=Avg("rating"),
        enterprises=Count("enterprise", distinct=True),
        enterprises_served=Count("enterprise", filter=Q(status=Status.DONE), distinct=True),
    )
    by_status = dict(plain.values_list("status").annotate(n=Count("pk")))
    ratings = dict(plain.filter(rating__isnull=False).values_list("rating").annotate(n=Count("pk")))
    per_aspect = {
        row["aspect"]: row
        for row in plain.values("aspect").annotate(
            requests=Count("pk"),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            done=Count("pk", filter=Q(status=Status.DONE)),
            responded=Count("pk", filter=Q(responded_at__isnull=False)),
            responded_in_time=Count("pk", filter=within_target_q("response")),
            resolved=Count("pk", filter=Q(status=Status.DONE, resolved_at__isnull=False)),
            resolved_in_time=Count("pk", filter=Q(status=Status.DONE) & within_target_q("resolution")),
            rated=Count("pk", filter=Q(rating__isnull=False)),
            mean_rating=Avg("rating"),
            enterprises=Count("enterprise", distinct=True),
        )
    }
    done_requests = plain.filter(status=Status.DONE)
    response = old_duration_stats(plain, end="responded_at")
    resolution = old_duration_stats(done_requests, end="resolved_at")
    response_by_aspect = old_duration_stats(plain, end="responded_at", group_by="aspect")
    resolution_by_aspect = old_duration_stats(done_requests, end="resolved_at", group_by="aspect")
    # the mean targets of the requests measured, to set the times against
    targets = plain.aggregate(
        response_hours=Avg("service__response_target_hours"), resolution_days=Avg("service__resolution_target_days")
    )
    aspects: list[dict] = []
    for value, label in Aspect.choices:
        row = per_aspect.get(value)
        if row is None:
            continue
        _n, response_mean, response_median = response_by_aspect.get(value, (0, None, None))
        _n, resolution_mean, resolution_median = resolution_by_aspect.get(value, (0, None, None))
        aspects.append(
            {
                "aspect": value,
                "label": str(label),
                "requests": row["requests"],
                "open": row["open"],
                "done": row["done"],
                "response_mean_hours": selectors._round(response_mean),
                "response_median_hours": selectors._round(response_median),
                "response_within_target": selectors._share(row["responded_in_time"], row["responded"]),
                "resolution_mean_days": selectors._round(resolution_mean / 24 if resolution_mean is not None else None),
                "resolution_median_days": selectors._round(
                    resolution_median / 24 if resolution_median is not None else None
                ),
                "resolution_within_target": selectors._share(row["resolved_in_time"], row["resolved"]),
                "rated": row["rated"],
                "mean_rating": selectors._round(row["mean_rating"], 2),
                "enterprises": row["enterprises"],
            }
        )
    park_rows = (
        plain.values("park", "park__name")
        .annotate(
            requests=Count("pk"),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            done=Count("pk", filter=Q(status=Status.DONE)),
            mean_rating=Avg("rating"),
            enterprises=Count("enterprise", distinct=True),
        )
        .order_by("-requests", "park__name")
    )
    _n, response_mean, response_median = response.get(None, (0, None, None))
    _n, resolution_mean, resolution_median = resolution.get(None, (0, None, None))
    return {
        "date_from": date_from,
        "date_to": date_to,
        "requests": totals["total"],
        "open": totals["open"],
        "done": totals["done"],
        "declined": totals["declined"],
        "overdue_response": totals["overdue_response"],
        "overdue_resolution": totals["overdue_resolution"],
        "by_status": [
            {"status": value, "label": str(label), "requests": by_status.get(value, 0)}
            for value, label in Status.choices
        ],
        "by_aspect": aspects,
        "by_park": [
            {
                "park": row["park"],
                "name": row["park__name"],
                "requests": row["requests"],
                "open": row["open"],
                "done": row["done"],
                "mean_rating": selectors._round(row["mean_rating"], 2),
                "enterprises": row["enterprises"],
            }
            for row in park_rows
        ],
        "response": {
            "measured": totals["responded"],
            "mean_hours": selectors._round(response_mean),
            "median_hours": selectors._round(response_median),
            "target_hours": selectors._round(targets["response_hours"]),
            "within_target": totals["responded_in_time"],
            "within_target_share": selectors._share(totals["responded_in_time"], totals["responded"]),
        },
        "resolution": {
            "measured": totals["resolved"],
            "mean_days": selectors._round(resolution_mean / 24 if resolution_mean is not None else None),
            "median_days": selectors._round(resolution_median / 24 if resolution_median is not None else None),
            "target_days": selectors._round(targets["resolution_days"]),
            "within_target": totals["resolved_in_time"],
            "within_target_share": selectors._share(totals["resolved_in_time"], totals["resolved"]),
        },
        "satisfaction": {
            "rated": totals["rated"],
            "mean_rating": selectors._round(totals["mean_rating"], 2),
            "distribution": [{"rating": n, "requests": ratings.get(n, 0)} for n in range(1, 6)],
        },
        "enterprises": totals["enterprises"],
        "enterprises_served": totals["enterprises_served"],
    }


ROLE_NAMES = (
    "operator_admin",
    "investment_staff",
    "park_manager",
    "service_staff",
    "evaluation_officer",
    "government_partner",
    "enterprise_user",
)


class FiguresInFewerQueriesTests(TestCase):
    """``request_figures`` equals the ten-query computation it replaces."""

    @classmethod
    def setUpTestData(cls):
        cls.world = w = World.build()
        finance = service_for(w, "in", aspect=Aspect.FINANCE, response_target_hours=24, resolution_target_days=10)
        green = service_for(w, "in", aspect=Aspect.GREEN, response_target_hours=8, resolution_target_days=5)
        talent = service_for(w, "out", aspect=Aspect.DIGITAL, response_target_hours=48, resolution_target_days=3)
        # every status, ratings 1 to 5 (two of 4), response and resolution times spread, ties and odd counts
        specs = [
            (finance, "in", Status.DONE, 2, 96, 5),
            (finance, "in", Status.DONE, 30, 288, 3),
            (finance, "in", Status.DONE, 30, 100, 4),
            (finance, "out", Status.DONE, 1, 20, 4),
            (green, "in", Status.DONE, 6, 50, 1),
            (green, "in", Status.DONE, 9, 200, 2),
            (green, "in", Status.DECLINED, 4, 4, None),
            (green, "in", Status.NEW, None, None, None),
            (green, "out", Status.ACCEPTED, 3, None, None),
            (talent, "out", Status.IN_PROGRESS, 70, None, None),
            (talent, "out", Status.WAITING, 12, None, None),
            (talent, "in", Status.DONE, 5, None, None),  # done without a closing time: not measured
        ]
        for i, (service, side, status, responded, resolved, rating) in enumerate(specs):
            request_for(
                w,
                side,
                service=service,
                status=status,
                requested_at=T0 + datetime.timedelta(days=i),
                responded_at=hours(responded + 24 * i) if responded is not None else None,
                resolved_at=hours(resolved + 24 * i) if resolved is not None else None,
                rating=rating,
            )
        request_for(w, "in", service=finance, requested_at=datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC))

    def test_equal_to_the_old_computation_for_every_role_and_filter(self):
        filters: list[dict[str, Any]] = [
            {},
            PERIOD,
            {**PERIOD, "park": self.world.park["out"]},
            {**PERIOD, "park": self.world.park["in"].pk, "aspect": Aspect.GREEN},
            {"aspect": Aspect.DIGITAL},
            {"date_from": datetime.date(2030, 1, 1)},  # nothing in the period
        ]
        for role in ROLE_NAMES:
            for kwargs in filters:
                with self.subTest(role=role, filters=kwargs):
                    user = self.world.users[role]
                    new = request_figures(user, now=NOW, **kwargs)
                    self.assertEqual(new, old_request_figures(user, now=NOW, **kwargs))
        admin = request_figures(self.world.users["operator_admin"], now=NOW, **PERIOD)
        self.assertEqual(admin["requests"], 12)
        self.assertEqual([row["requests"] for row in admin["satisfaction"]["distribution"]], [1, 1, 1, 2, 1])
        self.assertEqual({row["status"]: row["requests"] for row in admin["by_status"]}["done"], 7)

    def test_figures_of_a_user_who_sees_no_request(self):
        self.assertEqual(
            selectors.all_duration_stats(ServiceRequest.objects.none()), {"response": {}, "resolution": {}}
        )
        figures = request_figures(self.world.users["government_partner"], now=NOW)
        self.assertEqual(figures, old_request_figures(self.world.users["government_partner"], now=NOW))
        self.assertEqual(figures["requests"], 0)

    def test_latest_request_day_equals_the_max_for_every_role(self):
        """The default period ends at the latest request's day: read as the list's first row, not MAX (which
        PostgreSQL reads from an index only without a join, and a park-scoped user's scope joins its parks)."""
        from django.db.models import Max

        from parkos.services.figures import latest_request_day

        tz = timezone.get_current_timezone()
        for role in ROLE_NAMES:
            user = self.world.users[role]
            for today in (datetime.date(2025, 3, 5), datetime.date(2025, 3, 20), datetime.date(2030, 1, 1)):
                with self.subTest(role=role, today=today):
                    end = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min, tz)
                    last = (
                        ServiceRequest.objects.restrict(user)
                        .filter(requested_at__lt=end)
                        .aggregate(last=Max("requested_at"))["last"]
                    )
                    expected = timezone.localdate(last) if last is not None else None
                    self.assertEqual(latest_request_day(user, today), expected)
        self.assertEqual(
            latest_request_day(self.world.users["operator_admin"], datetime.date(2025, 3, 5)),
            T0.date() + datetime.timedelta(days=2),
        )
        self.assertIsNone(latest_request_day(self.world.users["operator_admin"], datetime.date(2024, 1, 1)))

    def test_figures_page_queries_pinned_and_flat(self):
        from unittest import mock

        self.client.force_login(self.world.users["operator_admin"])
        url = reverse("services:figures")

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(url).status_code, 200)
            return len(ctx.captured_queries)

        # the figures are kept for the minute (parkos.core.kept): a fixed clock, so none is computed again
        with mock.patch("django.utils.timezone.now", return_value=timezone.now()):
            self.client.get(url)
            kept.bump("service_figures")
            few, warm = count(), count()
            # session, user, its permissions (2), groups; latest day, the counts in all, by aspect and by park (one
            # query, three before), durations, the parks' select: 9 (17, then 11 before); PostgreSQL reads the
            # session once more. Kept: the counts and the durations are not read again
            self.assertLessEqual(few, 10 if connection.vendor == "postgresql" else 9)
            self.assertEqual(warm, few - 2)
            extra = service_for(self.world, "out", aspect=Aspect.OVERSEAS)
            for i in range(4):
                request_for(
                    self.world, "out", service=extra, status=Status.DONE, requested_at=timezone.now(), rating=i + 1
                )
            Park.objects.create(code="park-3", name="Park 3", district="District", land_area=1)
            self.assertEqual((count(), count()), (few, warm))


def old_render_deadline(record, value) -> str:
    """ServiceRequestTable.render_deadline as it was (a badge and the clock read per row)."""
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy as _

    flags = []
    if record.is_response_overdue():
        flags.append(format_html('<span class="badge bg-red-lt" data-overdue="response">{}</span>', _("no response")))
    if record.is_resolution_overdue():
        flags.append(format_html('<span class="badge bg-red-lt" data-overdue="resolution">{}</span>', _("overdue")))
    when = timezone.localtime(value).strftime("%Y-%m-%d") if value else "—"
    return format_html("{} {}", when, mark_safe(" ".join(flags)))


class RequestListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = World.build()
        service = service_for(w, "in", response_target_hours=8, resolution_target_days=2)
        now = timezone.now()
        cls.requests = [
            request_for(w, "in", service=service, requested_at=now),  # nothing due yet
            request_for(w, "in", service=service, requested_at=now - datetime.timedelta(days=1)),  # no response
            request_for(w, "in", service=service, requested_at=now - datetime.timedelta(days=5)),  # both late
            request_for(  # responded, resolution late
                w, "out", service=service, requested_at=now - datetime.timedelta(days=5), responded_at=now
            ),
            request_for(  # done in time
                w,
                "out",
                service=service,
                status=Status.DONE,
                requested_at=now - datetime.timedelta(days=5),
                responded_at=now - datetime.timedelta(days=5),
                resolved_at=now - datetime.timedelta(days=4),
            ),
        ]

    def test_deadline_cell_equals_the_old_rendering(self):
        from django.utils import translation

        from parkos.services.tables import ServiceRequestTable

        for language in ("en", "zh-hans"):
            with translation.override(language):
                table = ServiceRequestTable(ServiceRequest.objects.order_by("pk"))
                flags = set()
                for record in ServiceRequest.objects.order_by("pk"):
                    new = table.render_deadline(record, record.resolution_due)
                    self.assertEqual(new, old_render_deadline(record, record.resolution_due))
                    flags.add(new.count("data-overdue"))
                self.assertEqual(flags, {0, 1, 2})
                self.assertEqual(table.render_deadline(self.requests[0], None), "— ")

    def test_deadline_is_the_local_day(self):
        """A deadline at 20:00 UTC falls on the next day in Shanghai (TIME_ZONE): the list shows that day."""
        from parkos.services.tables import ServiceRequestTable

        due = datetime.datetime(2026, 3, 1, 20, 0, tzinfo=datetime.UTC)
        table = ServiceRequestTable(ServiceRequest.objects.none())
        self.assertTrue(table.render_deadline(self.requests[4], due).startswith("2026-03-02 "))

    def test_park_select_reads_names_only_and_still_filters(self):
        from parkos.policies.filtersets import ApplicationFilterSet
        from parkos.services.filtersets import ServiceRequestFilterSet

        manager = self.world.users["park_manager"]
        request = type("Request", (), {"user": manager})()
        for filterset_class in (ServiceRequestFilterSet, ApplicationFilterSet):
            filterset = filterset_class({}, queryset=filterset_class._meta.model.objects.all(), request=request)
            parks = filterset.form.fields["park"].queryset
            self.assertEqual(parks.query.deferred_loading, ({"id", "name"}, False))  # only these
            self.assertEqual(list(parks), list(Park.objects.restrict(manager, "view")))  # the manager's park only
        self.client.force_login(self.world.users["operator_admin"])
        response = self.client.get(reverse("services:servicerequest_list"), {"park": self.world.park["out"].pk})
        self.assertEqual(response.content.decode().count('type="checkbox" name="pk"'), 2)
        self.assertContains(response, f'<option value="{self.world.park["out"].pk}" selected>Park out</option>')

    def test_request_list_queries_pinned_and_flat(self):
        self.client.force_login(self.world.users["operator_admin"])
        url = reverse("services:servicerequest_list")

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(url).status_code, 200)
            return len(ctx.captured_queries)

        self.client.get(url)
        few = count()
        # session, user, permissions (2), groups; the count (on PostgreSQL after the table's estimate, twice), the
        # page's rows, the parks' select, the assignees' select
        self.assertLessEqual(few, 12 if connection.vendor == "postgresql" else 9)
        for i in range(30):
            request_for(self.world, "out" if i % 2 else "in", requested_at=timezone.now())
        Park.objects.create(code="park-3", name="Park 3", district="District", land_area=1)
        self.assertEqual(count(), few)


class LocalDateTimeColumnTests(TestCase):
    def test_cells_equal_django_tables2_datetime_column(self):
        import django_tables2 as tables
        from django.utils import translation

        from parkos.core.tables import LocalDateTimeColumn

        class Old(tables.Table):
            short = tables.DateTimeColumn()
            minutes = tables.DateTimeColumn(format="Y-m-d H:i")

        class New(tables.Table):
            short = LocalDateTimeColumn()
            minutes = LocalDateTimeColumn(format="Y-m-d H:i")

        moments = [
            datetime.datetime(2026, 12, 31, 16, 30, tzinfo=datetime.UTC),  # 1 January in Shanghai
            datetime.datetime(2026, 3, 1, 2, 5, tzinfo=datetime.UTC),
            None,
        ]
        rows = [{"short": moment, "minutes": moment} for moment in moments]
        for language in ("en", "zh-hans"):
            with translation.override(language):
                old = [[str(cell) for cell in row] for row in Old(rows).rows]
                new = [[str(cell) for cell in row] for row in New(rows).rows]
                self.assertEqual(new, old)
        self.assertEqual(new[0][1], "2027-01-01 00:30")


class ParkRowsTests(TestCase):
    OLD_LOOP = (
        "{% load humanize %}{% for row in rows %}<tr><td>{{ row.name }}</td>"
        '<td class="text-end">{{ row.requests|intcomma }}</td><td class="text-end">{{ row.open|intcomma }}</td>'
        '<td class="text-end">{{ row.done|intcomma }}</td><td class="text-end">{{ row.mean_rating|default_if_none:"—" }}</td>'
        '<td class="text-end">{{ row.enterprises|intcomma }}</td></tr>{% endfor %}'
    )

    def test_rows_equal_the_old_template_loop(self):
        from django.template import engines
        from django.utils import translation

        from parkos.services.figures import park_rows_html

        rows = [
            {
                "park": 1,
                "name": "<b>园区</b> & Co",
                "requests": 1234567,
                "open": 0,
                "done": 1000,
                "mean_rating": 4.25,
                "enterprises": 12,
            },
            {"park": 2, "name": "Park 2", "requests": 3, "open": 3, "done": 0, "mean_rating": None, "enterprises": 1},
            {"park": 3, "name": "Park 3", "requests": 1, "open": 0, "done": 1, "mean_rating": 5.0, "enterprises": 1},
        ]
        template = engines["django"].from_string(self.OLD_LOOP)
        for language in ("en", "zh-hans"):
            with translation.override(language):
                self.assertEqual(str(park_rows_html(rows)), template.render({"rows": rows}))
        self.assertEqual(str(park_rows_html([])), "")
        self.assertIn("1,234,567", str(park_rows_html(rows)))
