"""Government partners and enterprise users read the agreements their organization is party to, and no pipeline."""

import datetime

from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from parkos.core.testing import World
from parkos.directory.models import Organization, Person
from parkos.investment.models import (
    Agreement,
    AgreementDocument,
    Commitment,
    Contact,
    Event,
    FollowUpTask,
    Party,
    Progress,
    Project,
    Signatory,
)
from parkos.investment.tests.test_views import SIGNED, agreement_for, pdf_upload


def titled(agreement: Agreement, title: str) -> Agreement:
    agreement.title = title
    agreement.save()
    return agreement


def api_url(model, obj=None) -> str:
    name = f"investment-api:{model._meta.model_name}-{'detail' if obj else 'list'}"
    return reverse(name, kwargs={"pk": obj.pk} if obj else None)


class PartyReaderTests(TestCase):
    """What a user scoped to organization "in" sees of agreements; subclasses name the role."""

    __test__ = False
    role: str

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.__test__ = "role" in cls.__dict__

    @classmethod
    def setUpTestData(cls):
        world = cls.world = World.build()
        park_in = world.park["in"]
        cls.event = Event.objects.create(title="Signing ceremony Alpha", date=SIGNED, park=park_in)
        # Organization "in" is party to this one.
        cls.ours = titled(agreement_for(world, "in", event=cls.event), "Alpha cooperation agreement")
        cls.our_party, cls.partner_party = cls.ours.parties.order_by("pk")
        cls.signatory = Signatory.objects.create(
            agreement=cls.ours,
            party=cls.our_party,
            person=Person.objects.create(name="Wang Alpha"),
            title="Deputy District Governor",
        )
        cls.met = Commitment.objects.create(
            agreement=cls.ours,
            party=cls.partner_party,
            kind=Commitment.Kind.JOBS,
            description="Alpha jobs",
            target_value=500,
            due_date=datetime.date(2027, 12, 31),
        )
        cls.progress = Progress.objects.create(
            commitment=cls.met, date=datetime.date(2026, 2, 1), value=520, note="Alpha statistics"
        )
        cls.overdue = Commitment.objects.create(
            agreement=cls.ours,
            party=cls.our_party,
            kind=Commitment.Kind.MILESTONE,
            description="Alpha road opened",
            due_date=datetime.date(2026, 3, 1),
        )
        cls.document = AgreementDocument.objects.create(
            agreement=cls.ours, title="Alpha signed text", file=pdf_upload()
        )

        # Same park, but organization "in" is not a party: invisible to it.
        cls.other_event = Event.objects.create(title="Signing ceremony Beta", date=SIGNED, park=park_in)
        cls.theirs = Agreement.objects.create(
            kind=Agreement.Kind.INVESTMENT,
            title="Beta investment agreement",
            park=park_in,
            status=Agreement.Status.SIGNED,
            signed_on=SIGNED,
            event=cls.other_event,
        )
        for name, role in (("Beta Holdings", Party.Role.INVESTOR), ("Beta District", Party.Role.GOVERNMENT)):
            Party.objects.create(agreement=cls.theirs, organization=Organization.objects.create(name=name), role=role)
        cls.their_party = cls.theirs.parties.first()
        cls.their_signatory = Signatory.objects.create(
            agreement=cls.theirs, party=cls.their_party, person=Person.objects.create(name="Li Beta"), title="Chair"
        )
        cls.their_commitment = Commitment.objects.create(
            agreement=cls.theirs,
            party=cls.their_party,
            kind=Commitment.Kind.JOBS,
            description="Beta jobs",
            target_value=100,
            due_date=datetime.date(2027, 12, 31),
        )
        cls.their_progress = Progress.objects.create(
            commitment=cls.their_commitment, date=datetime.date(2026, 2, 1), value=10, note="Beta statistics"
        )
        cls.their_document = AgreementDocument.objects.create(
            agreement=cls.theirs, title="Beta signed text", file=pdf_upload()
        )
        # The other side's agreement, park and organization: invisible too.
        cls.elsewhere = titled(agreement_for(world, "out"), "Gamma agreement elsewhere")

        # The pipeline of park "in": never shown to parties.
        cls.project = Project.objects.create(name="Delta project", park=park_in, investor=world.org["in"])
        cls.contact = Contact.objects.create(date=SIGNED, subject="Delta visit", park=park_in, agreement=cls.ours)
        cls.task = FollowUpTask.objects.create(
            contact=cls.contact, description="Delta follow-up", owner=world.users["investment_staff"]
        )

    def setUp(self):
        self.user = self.world.users[self.role]
        self.client.force_login(self.user)
        self.api = APIClient()
        self.api.force_authenticate(self.user)

    @property
    def visible(self):
        return {
            Agreement: [self.ours],
            Party: [self.our_party, self.partner_party],
            Signatory: [self.signatory],
            Commitment: [self.met, self.overdue],
            Progress: [self.progress],
            AgreementDocument: [self.document],
            Event: [self.event],
        }

    @property
    def invisible(self):
        return {
            Agreement: [self.theirs, self.elsewhere],
            Party: [*self.theirs.parties.all(), *self.elsewhere.parties.all()],
            Signatory: [self.their_signatory],
            Commitment: [self.their_commitment],
            Progress: [self.their_progress],
            AgreementDocument: [self.their_document],
            Event: [self.other_event],
        }

    # --- what it sees ----------------------------------------------------------------------------------------

    def test_list_detail_and_api_show_exactly_what_its_organization_is_party_to(self):
        for model, objects in self.visible.items():
            list_page = self.client.get(reverse(model.url_name("list"))).content.decode()
            api_ids = {row["id"] for row in self.api.get(api_url(model), {"page_size": 1000}).json()["results"]}
            with self.subTest(model=model.__name__):
                for obj in objects:
                    self.assertIn(obj.get_absolute_url(), list_page, obj)
                    self.assertEqual(self.client.get(obj.get_absolute_url()).status_code, 200, obj)
                    self.assertEqual(self.api.get(api_url(model, obj)).status_code, 200, obj)
                    self.assertIn(obj.pk, api_ids, obj)
                for obj in self.invisible[model]:
                    self.assertNotIn(obj.get_absolute_url(), list_page, obj)
                    self.assertEqual(self.client.get(obj.get_absolute_url()).status_code, 404, obj)
                    self.assertEqual(self.api.get(api_url(model, obj)).status_code, 404, obj)
                    self.assertNotIn(obj.pk, api_ids, obj)

    def test_export_holds_only_its_agreements(self):
        for fmt in ("csv", "xlsx"):
            response = self.client.get(reverse("investment:agreement_list"), {"export": fmt})
            self.assertEqual(response.status_code, 200, fmt)
        text = self.client.get(reverse("investment:agreement_list"), {"export": "csv"}).content.decode("utf-8-sig")
        self.assertIn("Alpha cooperation agreement", text)
        self.assertNotIn("Beta investment agreement", text)
        self.assertNotIn("Gamma agreement", text)
        text = self.client.get(reverse("investment:commitment_list"), {"export": "csv"}).content.decode("utf-8-sig")
        self.assertIn("Alpha jobs", text)
        self.assertNotIn("Beta jobs", text)

    def test_search_finds_only_its_agreements(self):
        found = self.client.get(reverse("search"), {"q": "agreement"})
        self.assertContains(found, self.ours.get_absolute_url())
        self.assertNotContains(found, self.theirs.get_absolute_url())
        self.assertNotContains(found, self.elsewhere.get_absolute_url())
        found = self.client.get(reverse("search"), {"q": "Beta"})
        self.assertNotContains(found, self.theirs.get_absolute_url())
        self.assertNotContains(found, self.other_event.get_absolute_url())
        self.assertNotContains(found, "Delta project")
        listed = self.client.get(reverse("investment:agreement_list"), {"q": "Beta"})
        self.assertNotContains(listed, self.theirs.get_absolute_url())

    def test_agreement_page_shows_parties_signatories_commitments_statuses_and_event(self):
        response = self.client.get(self.ours.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        for obj in (self.our_party, self.partner_party, self.signatory, self.met, self.overdue, self.document):
            self.assertContains(response, obj.get_absolute_url())
        self.assertContains(response, "Deputy District Governor")
        self.assertContains(response, "Signing ceremony Alpha")
        self.assertContains(response, 'data-status="met"')
        self.assertContains(response, 'data-status="overdue"')
        self.assertNotContains(response, "Delta visit")  # contacts are the operator's pipeline

    def test_commitment_statuses_and_progress_reach_it_through_the_api(self):
        rows = {r["id"]: r for r in self.api.get(api_url(Commitment), {"page_size": 1000}).json()["results"]}
        self.assertEqual(rows[self.met.pk]["status"], "met")
        self.assertEqual(rows[self.met.pk]["latest_value"], "520.0000")
        self.assertEqual(rows[self.overdue.pk]["status"], "overdue")
        progress = self.api.get(api_url(Progress, self.progress)).json()
        self.assertEqual(progress["note"], "Alpha statistics")
        agreement = self.api.get(api_url(Agreement, self.ours)).json()
        self.assertEqual(agreement["implementation"], "overdue")
        self.assertEqual(agreement["commitment_counts"]["met"], 1)
        self.assertEqual(agreement["event"], self.event.pk)
        commitment_page = self.client.get(self.met.get_absolute_url())
        self.assertContains(commitment_page, self.progress.get_absolute_url())

    def test_its_event_shows_only_its_agreements(self):
        shared = Agreement.objects.create(
            kind=Agreement.Kind.MEMORANDUM,
            title="Epsilon memorandum",
            park=self.world.park["in"],
            event=self.event,
        )
        response = self.client.get(self.event.get_absolute_url())
        self.assertContains(response, self.ours.get_absolute_url())
        self.assertNotContains(response, shared.get_absolute_url())

    def test_document_download_only_for_its_agreements(self):
        ok = self.client.get(reverse("investment:agreementdocument_download", kwargs={"pk": self.document.pk}))
        self.assertEqual(ok.status_code, 200)
        hidden = self.client.get(
            reverse("investment:agreementdocument_download", kwargs={"pk": self.their_document.pk})
        )
        self.assertEqual(hidden.status_code, 404)

    # --- what it may not see or do ----------------------------------------------------------------------------

    def test_pipeline_pages_and_api_are_forbidden(self):
        for name in ("investment:project_list", "investment:contact_list", "investment:followuptask_list"):
            with self.subTest(page=name):
                self.assertEqual(self.client.get(reverse(name)).status_code, 403)
        self.assertEqual(self.client.get(reverse("investment:project_board")).status_code, 403)
        for model in (Project, Contact, FollowUpTask):
            with self.subTest(api=model.__name__):
                self.assertEqual(self.api.get(api_url(model)).status_code, 403)
        for obj in (self.project, self.contact, self.task):
            with self.subTest(obj=obj):
                self.assertIn(self.client.get(obj.get_absolute_url()).status_code, (403, 404))
                self.assertIn(self.api.get(api_url(type(obj), obj)).status_code, (403, 404))

    def test_pipeline_is_not_in_its_search(self):
        response = self.client.get(reverse("search"), {"q": "Delta"})
        for obj in (self.project, self.contact, self.task):
            self.assertNotContains(response, obj.get_absolute_url())

    def test_cannot_add_edit_or_delete_anything(self):
        for model, objects in self.visible.items():
            obj = objects[0]
            with self.subTest(model=model.__name__):
                self.assertEqual(self.client.get(reverse(model.url_name("add"))).status_code, 403)
                self.assertIn(
                    self.client.get(reverse(model.url_name("edit"), kwargs={"pk": obj.pk})).status_code, (403, 404)
                )
                self.assertIn(
                    self.client.post(reverse(model.url_name("delete"), kwargs={"pk": obj.pk})).status_code, (403, 404)
                )
                self.assertTrue(model.objects.filter(pk=obj.pk).exists())
                self.assertEqual(self.api.patch(api_url(model, obj), {}, format="json").status_code, 403)
                self.assertEqual(self.api.delete(api_url(model, obj)).status_code, 403)
                self.assertEqual(self.api.post(api_url(model), {}, format="json").status_code, 403)
        self.assertIn(
            self.client.post(
                reverse("investment:agreement_edit", kwargs={"pk": self.ours.pk}), {"title": "Hacked"}
            ).status_code,
            (403, 404),
        )
        self.ours.refresh_from_db()
        self.assertEqual(self.ours.title, "Alpha cooperation agreement")
        self.assertEqual(
            self.api.post(
                api_url(Progress), {"commitment": self.met.pk, "date": "2026-03-01", "value": "600"}, format="json"
            ).status_code,
            403,
        )
        self.assertEqual(Progress.objects.filter(commitment=self.met).count(), 1)

    def test_becoming_a_party_makes_the_agreement_visible(self):
        self.assertEqual(self.client.get(self.theirs.get_absolute_url()).status_code, 404)
        Party.objects.create(agreement=self.theirs, organization=self.world.org["in"], role=Party.Role.WITNESS)
        self.assertEqual(self.client.get(self.theirs.get_absolute_url()).status_code, 200)
        self.assertEqual(self.client.get(self.their_commitment.get_absolute_url()).status_code, 200)

    def test_agreements_with_several_parties_are_listed_once(self):
        Party.objects.create(
            agreement=self.ours, organization=Organization.objects.create(name="Witness"), role="witness"
        )
        ids = [row["id"] for row in self.api.get(api_url(Agreement), {"page_size": 1000}).json()["results"]]
        self.assertEqual(ids, [self.ours.pk])
        self.assertEqual(
            self.client.get(reverse("investment:agreement_list"))
            .content.decode()
            .count(f'href="{self.ours.get_absolute_url()}"'),
            1,
        )


class GovernmentPartnerTests(PartyReaderTests):
    role = "government_partner"


class EnterpriseUserTests(PartyReaderTests):
    role = "enterprise_user"
