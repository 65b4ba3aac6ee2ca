"""Issue 12 #5: a change's page lists the other changes of its request only where the viewer may see the object."""

from django.contrib.contenttypes.models import ContentType
from django.test import TestCase

from parkos.core.changelog import change_context
from parkos.core.models import ObjectChange
from parkos.core.testing import World
from parkos.portal.models import ProfileChangeRequest
from parkos.portal.tests.test_views import tenant_of


def change_of(obj) -> ObjectChange:
    return ObjectChange.objects.get(
        changed_object_type=ContentType.objects.get_for_model(obj), changed_object_id=obj.pk, action="create"
    )


class ChangeDetailSiblingsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        tenant_of(cls.world, "in")
        tenant_of(cls.world, "out")
        # One admin request (an import, say) touches both enterprises.
        with change_context(user=cls.world.users["operator_admin"], source="import"):
            cls.own = ProfileChangeRequest.objects.create(
                organization=cls.world.org["in"], changes={"address": "1 Own Road"}, note="own filing"
            )
            cls.own_second = ProfileChangeRequest.objects.create(
                organization=cls.world.org["in"], changes={"address": "2 Own Road"}, note="own second"
            )
            cls.theirs = ProfileChangeRequest.objects.create(
                organization=cls.world.org["out"], changes={"address": "9 Secret Road"}, note="their filing"
            )
            other = cls.world.org["out"]
            other.name = "Secret Rival Holdings"
            other.save()

    def test_an_enterprise_user_sees_only_its_own_changes_of_the_request(self):
        self.client.force_login(self.world.users["enterprise_user"])
        response = self.client.get(change_of(self.own).get_absolute_url())
        self.assertEqual(response.status_code, 200)
        siblings = list(response.context["siblings"])
        self.assertIn(change_of(self.own_second), siblings)
        self.assertNotIn(change_of(self.theirs), siblings)
        self.assertEqual(
            [
                s
                for s in siblings
                if s.changed_object_id == self.world.org["out"].pk and s.changed_object_type.model == "organization"
            ],
            [],
        )
        self.assertNotContains(response, "Secret Rival Holdings")
        self.assertNotContains(response, str(self.theirs))

    def test_readers_of_the_whole_change_log_see_every_change_of_the_request(self):
        self.client.force_login(self.world.users["operator_admin"])
        response = self.client.get(change_of(self.own).get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn(change_of(self.theirs), list(response.context["siblings"]))
        self.assertContains(response, "Secret Rival Holdings")
