"""Wrong words fixed (issue 13): the regular-contact line, the contact-due list, a commitment's unit."""

import datetime

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

from parkos.core.testing import World
from parkos.investment.models import Agreement, Commitment, Contact, Party

TODAY = timezone.localdate()


class ContactWordsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        park = cls.world.park["in"]
        cls.agreement = Agreement.objects.create(
            kind=Agreement.Kind.STRATEGIC,
            title="Agreement due for contact",
            status=Agreement.Status.IN_FORCE,
            park=park,
            signed_on=TODAY - datetime.timedelta(days=400),
            contact_cadence=Agreement.Cadence.QUARTERLY,
        )
        cls.last = TODAY - datetime.timedelta(days=100)
        Contact.objects.create(date=cls.last, subject="Quarterly meeting", park=park, agreement=cls.agreement)
        cls.due = cls.last + datetime.timedelta(days=int(Agreement.Cadence.QUARTERLY))

    def setUp(self):
        self.client.force_login(self.world.users["operator_admin"])

    def test_the_agreement_says_when_the_next_contact_is_due(self):
        page = self.client.get(self.agreement.get_absolute_url()).content.decode()
        line = page.split('id="contact-status"')[1].split("</div>")[0]
        self.assertIn(self.last.isoformat(), line)
        self.assertIn(f'data-field="contact-due">{self.due.isoformat()}<', line)
        self.assertIn("overdue by", line)

    def test_the_contact_due_list_shows_the_last_and_next_contact(self):
        url = reverse("investment:agreement_list") + "?contact_due=true"
        page = self.client.get(url).content.decode()
        self.assertIn("Agreement due for contact", page)
        self.assertIn(self.last.isoformat(), page)
        self.assertIn(self.due.isoformat(), page)
        plain = self.client.get(reverse("investment:agreement_list")).content.decode()
        self.assertNotIn("next contact due", plain.lower())

    def test_a_commitment_in_jobs_reads_in_the_users_language(self):
        party = Party.objects.create(agreement=self.agreement, organization=self.world.org["in"], role="investor")
        commitment = Commitment(agreement=self.agreement, party=party, kind=Commitment.Kind.JOBS, target_value=500)
        commitment.unit = Commitment.FIXED_UNITS[Commitment.Kind.JOBS]
        with translation.override("zh-hans"):
            self.assertNotIn("jobs", str(commitment))
            self.assertIn("500", str(commitment))
        with translation.override("en"):
            self.assertEqual(str(commitment), "Jobs: 500 jobs")
