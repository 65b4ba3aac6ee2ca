"""Issue 12 #14: a decided proposal is a record of the decision; no channel takes a new note or change for it."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from parkos.core.testing import World, csv_text
from parkos.portal.models import ProfileChangeRequest
from parkos.portal.services import profile_change_approve, profile_change_propose, profile_change_reject
from parkos.portal.tests.test_views import tenant_of


class DecidedProposalTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        tenant_of(cls.world, "in")
        cls.enterprise = cls.world.users["enterprise_user"]
        cls.manager = cls.world.users["park_manager"]
        org = cls.world.org["in"]
        cls.approved = profile_change_propose(
            organization=org, user=cls.enterprise, changes={"name_en": "Org In Holdings"}, note="first"
        )
        profile_change_approve(request=cls.approved, user=cls.manager, note="fine")
        cls.rejected = profile_change_propose(
            organization=org, user=cls.enterprise, changes={"address": "1 Elsewhere"}, note="second"
        )
        profile_change_reject(request=cls.rejected, user=cls.manager, note="not your address")
        cls.pending = profile_change_propose(
            organization=org, user=cls.enterprise, changes={"address": "2 Elsewhere"}, note="third"
        )

    def assert_unchanged(self, proposal, note):
        proposal.refresh_from_db()
        self.assertEqual(proposal.note, note)

    def test_the_model_refuses_a_new_note_on_a_decided_proposal(self):
        for proposal in (self.approved, self.rejected):
            with self.subTest(status=proposal.status):
                proposal.note = "one more thing"
                with self.assertRaises(ValidationError) as caught:
                    proposal.full_clean()
                self.assertIn("note", caught.exception.message_dict)

    def test_the_api_refuses_a_new_note_or_change_on_a_decided_proposal(self):
        api = APIClient()
        api.force_authenticate(self.enterprise)
        for proposal, note in ((self.approved, "first"), (self.rejected, "second")):
            url = reverse("portal-api:profilechangerequest-detail", kwargs={"pk": proposal.pk})
            for body in ({"note": "one more thing"}, {"changes": {"address": "3 Elsewhere"}}):
                with self.subTest(status=proposal.status, body=body):
                    response = api.patch(url, body, format="json")
                    self.assertEqual(response.status_code, 400, response.content)
                    self.assert_unchanged(proposal, note)
        pending = reverse("portal-api:profilechangerequest-detail", kwargs={"pk": self.pending.pk})
        self.assertEqual(api.patch(pending, {"note": "still open"}, format="json").status_code, 200)

    def test_the_edit_form_keeps_a_decided_proposal_as_it_was(self):
        self.client.force_login(self.enterprise)
        url = reverse("portal:profilechangerequest_edit", kwargs={"pk": self.rejected.pk})
        self.client.post(
            url, {"organization": self.world.org["in"].pk, "changes": '{"address": "3 Elsewhere"}', "note": "again"}
        )
        self.assert_unchanged(self.rejected, "second")

    def test_an_import_row_cannot_add_a_note_to_a_decided_proposal(self):
        self.client.force_login(self.world.users["operator_admin"])
        text = csv_text(
            [{"id": self.approved.pk, "organization": "Org in Ltd", "changes": '{"name_en": "X"}', "note": "late"}]
        )
        url = reverse("portal:profilechangerequest_import")
        preview = self.client.post(url, {"file": SimpleUploadedFile("rows.csv", text.encode())})
        self.assertEqual(preview.status_code, 400)
        self.assertIn("note", {error.field for error in preview.context["report"].errors})
        self.assert_unchanged(self.approved, "first")
        self.assertEqual(self.approved.status, ProfileChangeRequest.Status.APPROVED)
