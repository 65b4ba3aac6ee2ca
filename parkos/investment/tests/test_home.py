"""The home page's "needs attention" items for investment: what is behind, due, or late."""

import datetime

from django.apps import apps
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from parkos.core.testing import World
from parkos.investment.models import Agreement, Commitment, Contact, FollowUpTask
from parkos.investment.tests.test_views import agreement_for


class AttentionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        today = timezone.localdate()
        cls.behind = agreement_for(cls.world, "in")
        Commitment.objects.create(
            agreement=cls.behind,
            party=cls.behind.parties.first(),
            kind=Commitment.Kind.MILESTONE,
            description="Start of construction",
            due_date=today - datetime.timedelta(days=3),
        )
        cls.quiet = agreement_for(cls.world, "in", contact_cadence=Agreement.Cadence.QUARTERLY)
        cls.outside = agreement_for(cls.world, "out")
        Commitment.objects.create(
            agreement=cls.outside,
            party=cls.outside.parties.first(),
            kind=Commitment.Kind.MILESTONE,
            due_date=today - datetime.timedelta(days=3),
        )
        contact = Contact.objects.create(date=today, subject="Kick-off", park=cls.world.park["in"])
        cls.staff = cls.world.users["investment_staff"]
        FollowUpTask.objects.create(
            contact=contact, description="Send draft", owner=cls.staff, due_date=today - datetime.timedelta(days=1)
        )

    def attention(self, user) -> dict:
        """The items the home page lists; for a role whose home is another page (the cockpit), those the app
        hands it all the same."""
        self.client.force_login(user)
        response = self.client.get(reverse("home"))
        if response.status_code == 302:
            items = [item for item in apps.get_app_config("investment").attention(user) if item["count"]]
        else:
            self.assertEqual(response.status_code, 200)
            items = response.context["attention"]
        found = {str(item["label"]): item for item in items}
        # a count whose list a home panel opens is shown by the panel (core.home), under the same words
        for panel in response.context["panels"] if response.status_code == 200 else []:
            if panel.count:
                found.setdefault(str(panel.title), {"label": panel.title, "count": panel.count, "url": panel.url})
        return found

    def test_staff_see_what_is_behind_in_their_parks_only(self):
        items = self.attention(self.staff)
        self.assertEqual(items["Agreements with overdue commitments"]["count"], 1)
        self.assertEqual(items["Agreements due for their regular contact"]["count"], 1)
        self.assertEqual(items["My follow-up tasks past their due date"]["count"], 1)

    def test_each_item_links_to_a_list_showing_the_same_rows(self):
        items = self.attention(self.staff)
        for label in ("Agreements with overdue commitments", "Agreements due for their regular contact"):
            response = self.client.get(items[label]["url"])
            self.assertEqual(response.status_code, 200, label)
            self.assertEqual(response.context["table"].paginator.count, items[label]["count"], label)

    def test_government_partner_sees_agreements_items_but_no_pipeline_tasks(self):
        items = self.attention(self.world.users["government_partner"])
        self.assertEqual(items["Agreements with overdue commitments"]["count"], 1)
        self.assertNotIn("My follow-up tasks past their due date", items)

    def test_admin_sees_both_sides(self):
        items = self.attention(self.world.users["operator_admin"])
        self.assertEqual(items["Agreements with overdue commitments"]["count"], 2)
