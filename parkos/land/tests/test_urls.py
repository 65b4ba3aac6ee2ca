"""The land pages kept their old paths; the API moved to /api/land/ and its old paths redirect there."""

from django.test import SimpleTestCase
from django.urls import reverse


class AddressTests(SimpleTestCase):
    def test_pages_keep_the_paths_they_had_under_evaluation(self):
        self.assertEqual(reverse("land:parcelflag_list"), "/evaluation/parcel-flags/")
        self.assertEqual(reverse("land:disposalcase_close", kwargs={"pk": 3}), "/evaluation/disposal-cases/3/close/")
        self.assertEqual(reverse("land:available_land"), "/evaluation/available-land/")
        flag_run = reverse("land:evaluationrun_flag_parcels", kwargs={"pk": 2})
        self.assertEqual(flag_run, "/evaluation/runs/2/flag-parcels/")

    def test_api_lives_under_land_and_old_paths_redirect_keeping_the_method(self):
        self.assertEqual(reverse("land-api:disposalcase-list"), "/api/land/disposal-cases/")
        for method in ("get", "post"):
            response = getattr(self.client, method)("/api/evaluation/disposal-cases/7/close/?x=1")
            self.assertEqual(response.status_code, 308)
            self.assertEqual(response["Location"], "/api/land/disposal-cases/7/close/?x=1")
        self.assertEqual(self.client.get("/api/evaluation/parcel-flags/")["Location"], "/api/land/parcel-flags/")
