"""The enterprise page, the "propose a change" form, the staff review buttons, landing and navigation."""

import re

from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from django.urls import reverse

from parkos.core.models import ObjectChange
from parkos.core.testing import PASSWORD, World
from parkos.directory.models import Organization
from parkos.portal.models import ProfileChangeRequest
from parkos.portal.services import profile_change_propose
from parkos.portal.tests.test_views import tenant_of


def proposal_form(organization, **changes):
    """The propose form as posted: every profile field at its current value, then the changes."""
    data = {
        "organization": organization.pk,
        "name": organization.name,
        "name_en": organization.name_en,
        "industry": organization.industry_id or "",
        "ownership": organization.ownership,
        "address": organization.address,
        "website": organization.website,
        "established": "",
        "description": organization.description,
        "note": "",
    }
    data.update(changes)
    return data


class EnterprisePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        tenant_of(cls.world, "in")
        tenant_of(cls.world, "out")
        cls.enterprise = cls.world.users["enterprise_user"]
        cls.org_in, cls.org_out = cls.world.org["in"], cls.world.org["out"]

    def setUp(self):
        self.client.force_login(self.enterprise)

    def test_enterprise_user_lands_on_its_enterprise_page_after_signing_in(self):
        self.client.logout()
        response = self.client.post(
            reverse("login"), {"username": "enterprise_user", "password": PASSWORD}, follow=True
        )
        self.assertEqual(response.redirect_chain[-1][0], reverse("portal:home"))
        self.assertContains(response, "Org in Ltd")

    def test_staff_still_land_on_the_home_page(self):
        self.client.force_login(self.world.users["park_manager"])
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)

    def test_navigation_offers_my_enterprise(self):
        response = self.client.get(reverse("portal:home"))
        self.assertContains(response, f'href="{reverse("portal:home")}">My enterprise</a>', html=False)

    def test_page_shows_the_own_profile_and_proposals_and_nothing_of_another_enterprise(self):
        profile_change_propose(organization=self.org_in, user=self.enterprise, changes={"name_en": "Org In Co"})
        profile_change_propose(
            organization=self.org_out, user=self.world.users["operator_admin"], changes={"name_en": "Org Out Co"}
        )
        response = self.client.get(reverse("portal:home"))
        self.assertContains(response, "Org in Ltd")
        self.assertContains(response, "English name")  # the proposal lists the field it changes
        self.assertNotContains(response, "Org out Ltd")
        self.assertNotContains(response, "Org Out Co")
        self.assertEqual(self.client.get(reverse("portal:home"), {"organization": self.org_out.pk}).status_code, 404)
        self.assertEqual(self.client.get(reverse("portal:propose"), {"organization": self.org_out.pk}).status_code, 404)

    def test_page_queries_do_not_grow_with_its_rows(self):
        """One query per section whatever the rows (issue 16: counts, sums and rents were one query each)."""
        import datetime

        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from parkos.leasing.models import Lease, RentTerm

        url = reverse("portal:home")
        self.client.get(url)  # warm the per-user caches
        with CaptureQueriesContext(connection) as before:
            self.assertEqual(self.client.get(url).status_code, 200)
        for day in range(3):
            lease = Lease.objects.create(
                tenant=self.org_in,
                park=self.world.park["in"],
                start_date=datetime.date(2025, 2, 1 + day),
                rent_amount=1,
            )
            RentTerm.objects.create(lease=lease, start_date=datetime.date(2025, 3, 1), rent_amount=2)
        with CaptureQueriesContext(connection) as after:
            response = self.client.get(url)
        self.assertEqual(len(response.context["sections"]["leases"].rows), 4)
        self.assertEqual(len(after), len(before), [q["sql"][:120] for q in after])
        # the page's own: its enterprise, proposals, one per section (leases and their units), the policies' two;
        # the session, the user and its permissions are read by every page (and cached differently over time)
        own = [
            q
            for q in after
            if not re.search(r'FROM "(django_session|users_user|auth_group|auth_permission)"', q["sql"])
        ]
        self.assertLessEqual(len(own), 11, [q["sql"][:120] for q in own])

    def test_page_shows_its_own_filings_and_none_of_another_enterprise(self):
        from parkos.evaluation.models import IndicatorFiling

        IndicatorFiling.objects.create(organization=self.org_in, year=2025, park=self.world.park["in"], tax=1)
        other = IndicatorFiling.objects.create(organization=self.org_out, year=2025, park=self.world.park["out"], tax=2)
        response = self.client.get(reverse("portal:home"))
        self.assertContains(response, 'id="filings"')
        self.assertContains(response, "2025")
        self.assertNotContains(response, other.get_absolute_url())
        self.assertNotContains(response, 'id="results"')  # no done run yet: no empty results card

    def test_propose_form_is_prefilled_and_sends_only_the_changed_fields(self):
        self.org_in.address = "1 Old Road"
        self.org_in.save()
        response = self.client.get(reverse("portal:propose"))
        self.assertContains(response, 'value="1 Old Road"')
        response = self.client.post(
            reverse("portal:propose"), proposal_form(self.org_in, website="https://org-in.example.cn", note="new site")
        )
        self.assertRedirects(response, f"{reverse('portal:home')}?organization={self.org_in.pk}")
        proposal = ProfileChangeRequest.objects.get()
        self.assertEqual(proposal.changes, {"website": "https://org-in.example.cn"})
        self.assertEqual(proposal.note, "new site")
        self.org_in.refresh_from_db()
        self.assertEqual(self.org_in.website, "", "nothing changes before staff approve")

    def test_propose_form_refuses_a_bad_website_at_the_field(self):
        response = self.client.post(reverse("portal:propose"), proposal_form(self.org_in, website="not a url"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("website", response.context["form"].errors)
        self.assertFalse(ProfileChangeRequest.objects.exists())

    def test_propose_form_refuses_a_proposal_without_changes(self):
        response = self.client.post(reverse("portal:propose"), proposal_form(self.org_in))
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.context["form"].non_field_errors())

    def test_staff_have_no_propose_form(self):
        self.client.force_login(self.world.users["park_manager"])
        self.assertEqual(self.client.get(reverse("portal:propose")).status_code, 403)


class ReviewPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        tenant_of(cls.world, "in")
        tenant_of(cls.world, "out")
        cls.enterprise = cls.world.users["enterprise_user"]
        cls.manager = cls.world.users["park_manager"]
        cls.org = cls.world.org["in"]

    def setUp(self):
        self.proposal = profile_change_propose(
            organization=self.org, user=self.enterprise, changes={"website": "https://org-in.example.cn"}
        )

    def test_staff_portal_is_the_queue_of_pending_proposals(self):
        self.client.force_login(self.manager)
        response = self.client.get(reverse("portal:home"), follow=True)
        self.assertEqual(
            response.redirect_chain[-1][0], f"{reverse('portal:profilechangerequest_list')}?status=pending"
        )
        self.assertContains(response, self.proposal.get_absolute_url())

    def test_home_page_counts_proposals_waiting_for_review(self):
        self.client.force_login(self.manager)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "Profile change proposals waiting for review")

    def test_approve_button_applies_the_change_under_the_reviewer_name(self):
        self.client.force_login(self.manager)
        page = self.client.get(self.proposal.get_absolute_url())
        self.assertContains(page, "Approve and apply")
        self.assertContains(page, "https://org-in.example.cn")
        response = self.client.post(
            reverse("portal:profilechangerequest_approve", args=[self.proposal.pk]), {"review_note": "ok"}
        )
        self.assertRedirects(response, self.proposal.get_absolute_url())
        self.org.refresh_from_db()
        self.assertEqual(self.org.website, "https://org-in.example.cn")
        change = ObjectChange.objects.get(
            changed_object_type=ContentType.objects.get_for_model(Organization),
            changed_object_id=self.org.pk,
            action="update",
        )
        self.assertEqual((change.user, change.source), (self.manager, "web"))
        history = self.client.get(reverse("directory:organization_history", args=[self.org.pk]))
        self.assertContains(history, "https://org-in.example.cn")
        self.assertContains(history, "park_manager")

    def test_reject_button_keeps_the_organization(self):
        self.client.force_login(self.manager)
        self.client.post(
            reverse("portal:profilechangerequest_reject", args=[self.proposal.pk]), {"review_note": "Wrong domain."}
        )
        self.proposal.refresh_from_db()
        self.assertEqual(self.proposal.status, "rejected")
        self.org.refresh_from_db()
        self.assertEqual(self.org.website, "")

    def test_the_enterprise_sees_its_proposal_but_no_review_buttons(self):
        self.client.force_login(self.enterprise)
        page = self.client.get(self.proposal.get_absolute_url())
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "Approve and apply")
        self.client.post(reverse("portal:profilechangerequest_approve", args=[self.proposal.pk]))
        self.org.refresh_from_db()
        self.assertEqual(self.org.website, "")

    def test_api_approve_and_reject(self):
        from rest_framework.test import APIClient

        api = APIClient()
        api.force_authenticate(self.enterprise)
        url = reverse("portal-api:profilechangerequest-approve", args=[self.proposal.pk])
        self.assertEqual(api.post(url, {}, format="json").status_code, 403)
        api.force_authenticate(self.manager)
        response = api.post(url, {"review_note": "ok"}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "approved")
        again = api.post(
            reverse("portal-api:profilechangerequest-reject", args=[self.proposal.pk]), {"review_note": "no"}
        )
        self.assertEqual(again.status_code, 400)
