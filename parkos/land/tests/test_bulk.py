"""Bulk "change status" on the disposal case list: through case_start / case_close, all cases or none."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from parkos.core.testing import World
from parkos.land.models import DisposalCase
from parkos.land.tests.test_views import case_for
from parkos.parks.models import LandParcel

BULK = reverse("land:disposalcase_bulk")


class CaseStatusBulkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.cases = [case_for(cls.world, "in") for _ in range(2)]
        cls.out = case_for(cls.world, "out")

    def setUp(self):
        self.client.force_login(self.world.users["evaluation_officer"])

    def post(self, rows, **data):
        ids = ",".join(str(r.pk) for r in rows)
        return self.client.post(BULK, {"action": "change_status", "ids": ids, "confirmed": "1", **data})

    def test_start_moves_open_cases_in_progress(self):
        response = self.post(self.cases, status="in_progress")
        self.assertEqual(response.status_code, 302)
        statuses = set(DisposalCase.objects.filter(pk__in=[c.pk for c in self.cases]).values_list("status", flat=True))
        self.assertEqual(statuses, {DisposalCase.Status.IN_PROGRESS})

    def test_close_runs_the_closing_service_so_the_parcels_follow(self):
        response = self.post(self.cases, status="closed", outcome="returned", closed_on="2026-05-01")
        self.assertEqual(response.status_code, 302)
        for case in DisposalCase.objects.filter(pk__in=[c.pk for c in self.cases]).select_related("parcel"):
            self.assertEqual(case.status, DisposalCase.Status.CLOSED)
            self.assertEqual(case.parcel.status, LandParcel.Status.IDLE)

    def test_a_closed_case_refuses_the_batch(self):
        closed = case_for(self.world, "in", status=DisposalCase.Status.CLOSED, outcome="in_use")
        response = self.post([*self.cases, closed], status="in_progress")
        self.assertContains(response, str(closed), status_code=400)
        self.assertFalse(DisposalCase.objects.filter(status=DisposalCase.Status.IN_PROGRESS).exists())

    def test_a_case_outside_the_scope_is_refused(self):
        response = self.post([*self.cases, self.out], status="in_progress")
        self.assertContains(response, f"#{self.out.pk}", status_code=400)
        self.assertFalse(DisposalCase.objects.filter(status=DisposalCase.Status.IN_PROGRESS).exists())

    def test_a_reader_may_not_change_cases_in_bulk(self):
        self.client.force_login(self.world.users["park_manager"])
        self.assertEqual(self.post(self.cases, status="in_progress").status_code, 403)
