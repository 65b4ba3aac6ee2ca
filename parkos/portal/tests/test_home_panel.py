"""The reviewer's home panel: the proposals waiting, counted as a column of the first rows (one query, issue 16:
a COUNT, then whole rows); the same count and items as before for every reviewer."""

from django.test import TestCase

from parkos.core.home import QUEUE_LENGTH
from parkos.core.testing import World
from parkos.directory.models import Organization
from parkos.portal.home import home_panels
from parkos.portal.models import ProfileChangeRequest
from parkos.portal.selectors import pending_proposals
from parkos.portal.tests.test_views import tenant_of


def old_panel(user) -> tuple:
    """(count, items) as the panel read them: a COUNT, then the first rows whole."""
    rows = pending_proposals(user).order_by("created", "pk")
    count = rows.count()
    items = [(str(p.organization), p.get_absolute_url(), p.created) for p in (rows[:QUEUE_LENGTH] if count else [])]
    return count, items


def new_panel(user) -> tuple:
    (panel,) = home_panels(user)
    return panel.count, [(item.label, item.url, item.when) for item in panel.items]


class ProposalsPanelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = w = World.build()
        for side in ("in", "out"):
            tenant_of(w, side)
        w.org["in"].name = "Org <in> & Co"
        w.org["in"].save()
        statuses = ProfileChangeRequest.Status
        for n in range(9):  # more than the panel lists, and some already decided
            side = "in" if n % 3 else "out"
            status = statuses.APPROVED if n % 4 == 0 else statuses.PENDING
            ProfileChangeRequest.objects.create(
                organization=w.org[side], changes={"website": f"https://example.com/{n}"}, status=status
            )

    def test_same_count_and_items_for_every_reviewer(self):
        for role in ("operator_admin", "park_manager", "service_staff"):
            user = self.world.users[role]
            with self.subTest(role=role):
                self.assertEqual(new_panel(user), old_panel(user))
        count, items = new_panel(self.world.users["operator_admin"])
        self.assertGreater(count, QUEUE_LENGTH)
        self.assertEqual(len(items), QUEUE_LENGTH)
        self.assertEqual(home_panels(self.world.users["enterprise_user"]), [])

    def test_one_query_with_rows_or_without(self):
        user = self.world.users["park_manager"]
        home_panels(user)  # the user's permissions, read once
        with self.assertNumQueries(1):
            self.assertGreater(home_panels(user)[0].count, 0)
        ProfileChangeRequest.objects.update(status=ProfileChangeRequest.Status.REJECTED)
        with self.assertNumQueries(1):
            (panel,) = home_panels(user)
        self.assertEqual((panel.count, panel.items), (0, []))
        self.assertEqual(new_panel(user), old_panel(user))
        self.assertTrue(Organization.objects.exists())
