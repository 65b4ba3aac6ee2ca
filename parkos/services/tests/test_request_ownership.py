"""Service staff cannot move a request to another enterprise, give it to an enterprise user or backdate it (#10)."""

from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from parkos.core.testing import World
from parkos.services.tests.test_views import request_for


class RequestOwnershipTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.request = request_for(cls.world, "in")
        cls.other = cls.world.org["out"]

    def patch(self, user, payload):
        api = APIClient()
        api.force_authenticate(user)
        return api.patch(
            reverse("services-api:servicerequest-detail", kwargs={"pk": self.request.pk}), payload, format="json"
        )

    def test_service_staff_cannot_move_assign_to_an_enterprise_user_or_backdate(self):
        staff = self.world.users["service_staff"]
        for payload, field in (
            ({"enterprise": self.other.pk}, "enterprise"),
            ({"assigned_to": self.world.users["enterprise_user"].pk}, "assigned_to"),
            ({"requested_at": "2000-01-01T00:00:00Z"}, "requested_at"),
        ):
            response = self.patch(staff, payload)
            self.assertEqual(response.status_code, 400, payload)
            self.assertIn(field, response.json())
        self.request.refresh_from_db()
        self.assertEqual(self.request.enterprise_id, self.world.org["in"].pk)
        self.assertIsNone(self.request.assigned_to_id)
        self.assertGreater(self.request.requested_at.year, 2000)

    def test_the_other_enterprise_still_cannot_read_it(self):
        api = APIClient()
        api.force_authenticate(self.world.users["enterprise_user"])
        self.patch(self.world.users["service_staff"], {"enterprise": self.other.pk})
        self.world.users["enterprise_user"].organizations.set([self.other])
        response = api.get(reverse("services-api:servicerequest-detail", kwargs={"pk": self.request.pk}))
        self.assertEqual(response.status_code, 404)
