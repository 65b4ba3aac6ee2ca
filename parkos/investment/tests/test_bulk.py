"""Bulk "mark contacted" on the agreement list: one contact per agreement, all or none, within scope."""

from __future__ import annotations

import datetime

from django.test import TestCase
from django.urls import reverse

from parkos.core.testing import World
from parkos.investment.models import Agreement, Contact
from parkos.investment.services import agreements_due_for_contact
from parkos.investment.tests.test_views import agreement_for

BULK = reverse("investment:agreement_bulk")
DAY = datetime.date(2026, 6, 1)


class MarkContactedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.due = [agreement_for(cls.world, "in", contact_cadence=Agreement.Cadence.MONTHLY) for _ in range(2)]
        cls.out = agreement_for(cls.world, "out", contact_cadence=Agreement.Cadence.MONTHLY)

    def setUp(self):
        self.client.force_login(self.world.users["investment_staff"])

    def post(self, rows, **data):
        ids = ",".join(str(r.pk) for r in rows)
        form = {"date": DAY.isoformat(), "kind": Contact.Kind.CALL, "subject": ""}
        return self.client.post(BULK, {"action": "mark_contacted", "ids": ids, "confirmed": "1", **form, **data})

    def test_the_agreement_list_offers_mark_contacted(self):
        page = self.client.get(reverse("investment:agreement_list")).content.decode()
        self.assertIn('value="mark_contacted"', page)

    def test_marks_each_agreement_contacted_so_it_is_no_longer_due(self):
        rows = Agreement.objects.filter(pk__in=[a.pk for a in self.due])
        self.assertEqual(agreements_due_for_contact(rows, today=DAY).count(), 2)
        response = self.post(self.due)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Contact.objects.filter(agreement__in=self.due, date=DAY, kind=Contact.Kind.CALL).count(), 2)
        self.assertEqual(agreements_due_for_contact(rows, today=DAY).count(), 0)

    def test_a_completed_agreement_refuses_the_batch(self):
        done = agreement_for(self.world, "in")
        Agreement.objects.filter(pk=done.pk).update(status=Agreement.Status.COMPLETED)
        done.refresh_from_db()
        response = self.post([*self.due, done])
        self.assertContains(response, str(done), status_code=400)
        self.assertContains(response, "needs no regular contact", status_code=400)
        self.assertFalse(Contact.objects.exists())

    def test_an_agreement_outside_the_scope_is_refused_by_number(self):
        response = self.post([*self.due, self.out])
        self.assertContains(response, f"#{self.out.pk}", status_code=400)
        self.assertFalse(Contact.objects.exists())

    def test_a_park_manager_who_records_no_contacts_is_not_offered_it(self):
        self.client.force_login(self.world.users["park_manager"])
        page = self.client.get(reverse("investment:agreement_list")).content.decode()
        self.assertNotIn('value="mark_contacted"', page)
        self.assertEqual(self.post(self.due[:1]).status_code, 403)
