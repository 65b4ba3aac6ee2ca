"""A role's fallback group covers exactly the parks no holder of the role is assigned to (parkos.core.permissions)."""

from django.contrib.auth.models import Group
from django.test import TestCase

from parkos.core.permissions import Action, fallback_group_name
from parkos.core.testing import World
from parkos.evaluation.models import Appeal
from parkos.evaluation.tests.test_appeals import result_for
from parkos.services.models import ServiceDesk
from parkos.services.services import route_request
from parkos.services.tests.test_views import request_for
from parkos.users.models import User


def fallback_of(role: str, username: str) -> User:
    user = User.objects.create_user(username=username)
    user.groups.add(Group.objects.get(name=role), Group.objects.get(name=fallback_group_name(role)))
    return user


class FallbackScopeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.appeal = {
            side: Appeal.objects.create(result=result_for(cls.world, side), reason=side) for side in ("in", "out")
        }

    def appeals(self, user) -> set[str]:
        return set(
            Appeal.objects.restrict(User.objects.get(pk=user.pk), Action.CHANGE).values_list("reason", flat=True)
        )

    def test_the_fallback_takes_the_uncovered_park_only(self):
        office = fallback_of("evaluation_officer", "office")
        self.assertEqual(self.appeals(office), {"out"})  # "in" is the assigned officer's
        self.assertEqual(self.appeals(self.world.users["evaluation_officer"]), {"in"})

    def test_a_park_given_to_a_holder_leaves_the_fallback(self):
        office = fallback_of("evaluation_officer", "office")
        self.world.users["evaluation_officer"].parks.add(self.world.park["out"])
        self.assertEqual(self.appeals(office), set())

    def test_an_inactive_holder_covers_nothing(self):
        office = fallback_of("evaluation_officer", "office")
        User.objects.filter(pk=self.world.users["evaluation_officer"].pk).update(is_active=False)
        self.assertEqual(self.appeals(office), {"in", "out"})

    def test_the_group_alone_grants_nothing(self):
        bystander = User.objects.create_user(username="bystander")
        bystander.groups.add(Group.objects.get(name=fallback_group_name("evaluation_officer")))
        self.assertEqual(self.appeals(bystander), set())

    def test_another_roles_fallback_does_not_widen_this_role(self):
        desk = fallback_of("service_staff", "desk")
        self.assertEqual(self.appeals(desk), set())  # service staff read no appeal at all

    def test_a_request_in_an_uncovered_park_routes_to_the_fallback_desk(self):
        desk = fallback_of("service_staff", "desk")
        staff = self.world.users["service_staff"]
        service_desk = ServiceDesk.objects.create(aspect="finance")
        service_desk.members.add(staff)
        self.assertEqual(route_request(request=request_for(self.world, "in")), staff)
        self.assertEqual(route_request(request=request_for(self.world, "out")), desk)

    def test_only_rows_that_can_miss_a_park_are_looked_for_without_one(self):
        from parkos.core.permissions import may_reach_no_park
        from parkos.portal.models import ProfileChangeRequest
        from parkos.services.models import ServiceRequest

        self.assertFalse(may_reach_no_park(ServiceRequest, ServiceRequest.park_path))  # no NOT IN over every row
        self.assertFalse(may_reach_no_park(Appeal, Appeal.park_path))
        self.assertTrue(may_reach_no_park(ProfileChangeRequest, ProfileChangeRequest.park_path))  # through leases
