"""``User.scope_organization_ids``: built once per user object, and still the user's organizations of the moment."""

from django.test import TestCase

from parkos.core.testing import World
from parkos.directory.models import Organization


class ScopeOrganizationIdsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()

    def test_kept_subquery_follows_organizations_added_later_and_is_never_evaluated(self):
        user = self.world.users["enterprise_user"]
        before = set(user.scope_organization_ids().values_list("pk", flat=True))
        new = Organization.objects.create(name="Joined later Ltd")
        user.organizations.add(new)
        after = user.scope_organization_ids()
        self.assertEqual(set(after.values_list("pk", flat=True)), before | {new.pk})
        self.assertIsNot(after, user.scope_organization_ids())  # each caller gets its own clone
        self.assertIsNone(user.__dict__["_scope_organization_ids"]._result_cache)
