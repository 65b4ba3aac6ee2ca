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


class ChildHistoryScopeTests(TestCase):
    """The probe of the demo (bench/probe.py): a parcel's history showed service staff, who may not read land
    records, the evaluation's flags on the parcel and their text, and each flag's change page answered them
    through the parcel. A child's changes show through its parent only to roles that may read the child's model."""

    @classmethod
    def setUpTestData(cls):
        import datetime

        from parkos.land.models import ParcelFlag

        cls.world = World.build()
        with change_context(user=cls.world.users["operator_admin"], source="web"):
            cls.flag = ParcelFlag.objects.create(
                parcel=cls.world.parcel["in"],
                reason=ParcelFlag.Reason.LOW_TAX,
                detail="Tax per mu low",
                flagged_on=datetime.date(2026, 3, 1),
            )
            cls.flag.detail = "Holder graded D this year"
            cls.flag.save()

    def test_a_parent_history_shows_a_child_only_to_readers_of_its_model(self):
        parcel = self.world.parcel["in"]
        change = ObjectChange.objects.get(
            changed_object_type=ContentType.objects.get_for_model(self.flag),
            changed_object_id=self.flag.pk,
            action="update",
        )
        for role, reads_flags in (("service_staff", False), ("park_manager", True), ("evaluation_officer", True)):
            with self.subTest(role=role):
                self.client.force_login(self.world.users[role])
                history = self.client.get(f"/parks/parcels/{parcel.pk}/history/")
                self.assertEqual(history.status_code, 200)
                self.assertEqual("Holder graded D" in history.content.decode(), reads_flags)
                self.assertEqual(self.flag.get_absolute_url() in history.content.decode(), reads_flags)
                self.assertEqual(self.client.get(change.get_absolute_url()).status_code, 200 if reads_flags else 404)
