"""Profile change proposals: who may propose, what is refused, and what approval and rejection do."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from parkos.core.errors import NotFound
from parkos.core.models import ObjectChange
from parkos.core.testing import World
from parkos.directory.models import Industry, Organization
from parkos.portal.models import ProfileChangeRequest
from parkos.portal.services import profile_change_approve, profile_change_propose, profile_change_reject
from parkos.portal.tests.test_views import tenant_of


def organization_changes(organization):
    return ObjectChange.objects.filter(
        changed_object_type=ContentType.objects.get_for_model(Organization),
        changed_object_id=organization.pk,
        action="update",
    )


class ProposeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        tenant_of(cls.world, "in")
        tenant_of(cls.world, "out")
        cls.enterprise = cls.world.users["enterprise_user"]
        cls.org = cls.world.org["in"]

    def test_proposal_keeps_only_the_fields_that_change(self):
        proposal = profile_change_propose(
            organization=self.org,
            user=self.enterprise,
            changes={"name": self.org.name, "website": "https://org-in.example.cn", "address": ""},
            note="new site",
        )
        self.assertEqual(proposal.changes, {"website": "https://org-in.example.cn"})
        self.assertEqual(proposal.status, ProfileChangeRequest.Status.PENDING)
        self.assertEqual(proposal.proposed_by, self.enterprise)

    def test_dates_and_industries_are_kept_as_text_and_ids(self):
        other = Industry.objects.create(code="T-AI", name="Test AI")
        proposal = profile_change_propose(
            organization=self.org,
            user=self.enterprise,
            changes={"established": datetime.date(2015, 6, 1), "industry": other},
            note="",
        )
        self.assertEqual(proposal.changes, {"established": "2015-06-01", "industry": other.pk})

    def test_invalid_value_is_refused_at_its_field(self):
        with self.assertRaises(ValidationError) as caught:
            profile_change_propose(
                organization=self.org, user=self.enterprise, changes={"website": "not a url"}, note=""
            )
        self.assertIn("website", caught.exception.message_dict)
        self.assertFalse(ProfileChangeRequest.objects.exists())

    def test_fields_outside_the_profile_are_refused(self):
        with self.assertRaises(ValidationError) as caught:
            profile_change_propose(organization=self.org, user=self.enterprise, changes={"is_high_tech": True}, note="")
        self.assertIn("is_high_tech", " ".join(caught.exception.messages))

    def test_a_proposal_that_changes_nothing_is_refused(self):
        with self.assertRaises(ValidationError):
            profile_change_propose(organization=self.org, user=self.enterprise, changes={"name": self.org.name})

    def test_enterprise_user_cannot_propose_for_another_enterprise(self):
        with self.assertRaises(NotFound):
            profile_change_propose(
                organization=self.world.org["out"], user=self.enterprise, changes={"name_en": "Not mine"}
            )
        self.assertFalse(ProfileChangeRequest.objects.exists())

    def test_roles_without_the_portal_cannot_propose(self):
        with self.assertRaises(PermissionDenied):
            profile_change_propose(
                organization=self.org, user=self.world.users["government_partner"], changes={"name_en": "X"}
            )


class ReviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        tenant_of(cls.world, "in")
        tenant_of(cls.world, "out")
        cls.enterprise = cls.world.users["enterprise_user"]
        cls.manager = cls.world.users["park_manager"]
        cls.org = cls.world.org["in"]

    def propose(self, **changes):
        return profile_change_propose(organization=self.org, user=self.enterprise, changes=changes, note="please")

    def test_approval_applies_the_changes_and_the_history_shows_the_approver(self):
        proposal = self.propose(website="https://org-in.example.cn", name_en="Org In Holdings")
        profile_change_approve(request=proposal, user=self.manager, note="checked")
        self.org.refresh_from_db()
        self.assertEqual(self.org.website, "https://org-in.example.cn")
        self.assertEqual(self.org.name_en, "Org In Holdings")
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, ProfileChangeRequest.Status.APPROVED)
        self.assertEqual(proposal.reviewed_by, self.manager)
        self.assertIsNotNone(proposal.reviewed_at)
        change = organization_changes(self.org).get()
        self.assertEqual(change.user, self.manager)
        self.assertEqual(change.prechange_data["website"], "")
        self.assertEqual(change.postchange_data["website"], "https://org-in.example.cn")

    def test_rejection_leaves_the_organization_unchanged(self):
        proposal = self.propose(address="1 Somewhere Else")
        profile_change_reject(request=proposal, user=self.manager, note="That is not your registered address.")
        self.org.refresh_from_db()
        self.assertEqual(self.org.address, "")
        self.assertFalse(organization_changes(self.org).exists())
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, ProfileChangeRequest.Status.REJECTED)
        self.assertEqual(proposal.review_note, "That is not your registered address.")

    def test_rejection_needs_a_reason(self):
        proposal = self.propose(address="1 Somewhere Else")
        with self.assertRaises(ValidationError) as caught:
            profile_change_reject(request=proposal, user=self.manager, note=" ")
        self.assertIn("review_note", caught.exception.message_dict)

    def test_a_decided_proposal_cannot_be_decided_again(self):
        proposal = self.propose(address="1 Somewhere Else")
        profile_change_reject(request=proposal, user=self.manager, note="no")
        with self.assertRaises(ValidationError):
            profile_change_approve(request=proposal, user=self.manager)

    def test_the_enterprise_cannot_approve_its_own_proposal(self):
        proposal = self.propose(address="1 Somewhere Else")
        with self.assertRaises(PermissionDenied):
            profile_change_approve(request=proposal, user=self.enterprise)
        self.org.refresh_from_db()
        self.assertEqual(self.org.address, "")

    def test_staff_of_other_parks_do_not_find_the_proposal(self):
        proposal = profile_change_propose(
            organization=self.world.org["out"], user=self.world.users["operator_admin"], changes={"name_en": "Out"}
        )
        with self.assertRaises(NotFound):
            profile_change_approve(request=proposal, user=self.manager)

    def test_a_value_that_no_longer_validates_refuses_the_approval(self):
        proposal = self.propose(name="Org in Holdings Ltd")
        ProfileChangeRequest.objects.filter(pk=proposal.pk).update(changes={"website": "not a url"})
        proposal.refresh_from_db()
        with self.assertRaises(ValidationError) as caught:
            profile_change_approve(request=proposal, user=self.manager)
        self.assertIn("website", caught.exception.message_dict)
        proposal.refresh_from_db()
        self.assertTrue(proposal.is_pending)
