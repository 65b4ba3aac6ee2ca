"""The service figures on a hand-built example: counts, times against target, satisfaction, scope; page, XLSX, API."""

import datetime
import io

from django.test import Client, TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from parkos.core.testing import World
from parkos.services.models import Aspect, Status
from parkos.services.selectors import request_figures
from parkos.services.tests.test_views import request_for, service_for

T0 = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)
NOW = datetime.datetime(2025, 6, 30, 12, 0, tzinfo=datetime.UTC)
PERIOD = {"date_from": datetime.date(2025, 1, 1), "date_to": datetime.date(2025, 6, 30)}


def hours(n):
    return T0 + datetime.timedelta(hours=n)


class FiguresTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = World.build()
        finance = service_for(w, "in", aspect=Aspect.FINANCE, response_target_hours=24, resolution_target_days=10)
        green = service_for(w, "in", aspect=Aspect.GREEN, response_target_hours=8, resolution_target_days=5)
        done = {"status": Status.DONE, "requested_at": T0}
        # finance: on time (2 h, 4 days, rated 5) and late (30 h, 12 days, rated 3)
        request_for(w, "in", service=finance, responded_at=hours(2), resolved_at=hours(96), rating=5, **done)
        request_for(w, "in", service=finance, responded_at=hours(30), resolved_at=hours(288), rating=3, **done)
        # green: declined after 4 h; and one never answered (open, overdue now)
        request_for(
            w, "in", service=green, status=Status.DECLINED, requested_at=T0, responded_at=hours(4), resolved_at=hours(4)
        )
        request_for(w, "in", service=green, requested_at=T0)
        # outside the staff's parks, and outside the period
        request_for(w, "out", service=finance, requested_at=T0)
        request_for(w, "in", service=finance, requested_at=datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC))

    def test_counts_times_and_satisfaction_for_service_staff(self):
        figures = request_figures(self.world.users["service_staff"], now=NOW, **PERIOD)
        self.assertEqual((figures["requests"], figures["open"], figures["done"], figures["declined"]), (4, 1, 2, 1))
        self.assertEqual((figures["overdue_response"], figures["overdue_resolution"]), (1, 1))
        by_status = {row["status"]: row["requests"] for row in figures["by_status"]}
        self.assertEqual(by_status, {"new": 1, "accepted": 0, "in_progress": 0, "waiting": 0, "done": 2, "declined": 1})
        response = figures["response"]
        self.assertEqual((response["measured"], response["mean_hours"], response["median_hours"]), (3, 12.0, 4.0))
        self.assertEqual((response["within_target"], response["within_target_share"]), (2, 0.6667))
        resolution = figures["resolution"]
        self.assertEqual((resolution["measured"], resolution["mean_days"], resolution["median_days"]), (2, 8.0, 8.0))
        self.assertEqual(resolution["within_target_share"], 0.5)
        self.assertEqual(figures["satisfaction"]["mean_rating"], 4.0)
        self.assertEqual([row["requests"] for row in figures["satisfaction"]["distribution"]], [0, 0, 1, 0, 1])
        self.assertEqual((figures["enterprises"], figures["enterprises_served"]), (1, 1))
        aspects = {row["aspect"]: row for row in figures["by_aspect"]}
        self.assertEqual(set(aspects), {"finance", "green"})
        self.assertEqual(
            (aspects["finance"]["response_mean_hours"], aspects["finance"]["response_within_target"]), (16.0, 0.5)
        )
        self.assertEqual(aspects["finance"]["resolution_mean_days"], 8.0)
        self.assertEqual(
            (aspects["green"]["response_mean_hours"], aspects["green"]["resolution_mean_days"]), (4.0, None)
        )
        self.assertEqual([row["name"] for row in figures["by_park"]], ["Park in"])

    def test_admin_counts_every_park_and_filters_apply(self):
        admin = self.world.users["operator_admin"]
        self.assertEqual(request_figures(admin, now=NOW, **PERIOD)["requests"], 5)
        self.assertEqual(request_figures(admin, now=NOW, park=self.world.park["out"], **PERIOD)["requests"], 1)
        self.assertEqual(request_figures(admin, now=NOW, aspect=Aspect.GREEN, **PERIOD)["requests"], 2)
        self.assertEqual(request_figures(admin, now=NOW)["requests"], 6)

    def test_enterprise_user_counts_only_its_own(self):
        figures = request_figures(self.world.users["enterprise_user"], now=NOW, **PERIOD)
        self.assertEqual(figures["requests"], 4)
        self.assertEqual(request_figures(self.world.users["government_partner"], now=NOW, **PERIOD)["requests"], 0)

    def test_page_xlsx_and_api(self):
        client = Client()
        client.force_login(self.world.users["service_staff"])
        query = {"date_from": "2025-01-01", "date_to": "2025-06-30"}
        page = client.get(reverse("services:figures"), query)
        self.assertContains(page, 'id="figure-requests">4<')
        self.assertContains(page, "vendor/echarts/echarts.min.js")
        self.assertEqual(
            client.get(reverse("services:figures"), {"date_from": "2025-07-01", "date_to": "2025-01-01"}).status_code,
            400,
        )
        export = client.get(reverse("services:figures"), {**query, "format": "xlsx"})
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(export.content))
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        self.assertEqual(rows[-1][:4], ("Total", 4, 1, 2))
        api = APIClient()
        api.force_authenticate(self.world.users["service_staff"])
        data = api.get("/api/services/figures/", query).json()
        self.assertEqual((data["requests"], data["response"]["median_hours"]), (4, 4.0))
        self.assertEqual(api.get("/api/services/figures/", {"aspect": "space"}).status_code, 400)
        denied = APIClient()
        denied.force_authenticate(self.world.users["evaluation_officer"])
        self.assertEqual(denied.get("/api/services/figures/").status_code, 403)
