"""The standard suite (pages, import, export, API, permissions per role) for every investment model."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from parkos.core.testing import StandardModelTests, World, csv_text
from parkos.directory.models import Organization, Person
from parkos.investment.models import (
    Agreement,
    AgreementDocument,
    Commitment,
    Contact,
    Event,
    ExchangeRate,
    FollowUpTask,
    Party,
    Progress,
    Project,
    Signatory,
)

SIGNED = datetime.date(2026, 1, 10)
#: the pipeline (projects, contacts, tasks): investment staff in their parks, and admins
PIPELINE = {"operator_admin": "all", "investment_staff": "in"}
#: agreements and what hangs off them: also park managers (their parks), government partners and enterprises
#: (agreements their organization is party to)
AGREEMENT_READERS = {**PIPELINE, "park_manager": "in", "government_partner": "in", "enterprise_user": "in"}


def agreement_for(world, side: str, **extra) -> Agreement:
    """A signed agreement in ``side``'s park between ``side``'s organization and a partner of its own."""
    n = world.seq()
    agreement = Agreement.objects.create(
        kind=extra.pop("kind", Agreement.Kind.INVESTMENT),
        title=f"Agreement {n:04d}{side}",
        park=world.park[side],
        status=Agreement.Status.SIGNED,
        signed_on=SIGNED,
        **extra,
    )
    Party.objects.create(agreement=agreement, organization=world.org[side], role=Party.Role.GOVERNMENT)
    partner = Organization.objects.create(name=f"Partner {n:04d}{side} Co")
    Party.objects.create(agreement=agreement, organization=partner, role=Party.Role.INVESTOR)
    return agreement


def commitment_for(world, side: str) -> Commitment:
    agreement = agreement_for(world, side)
    return Commitment.objects.create(
        agreement=agreement,
        party=agreement.parties.last(),
        kind=Commitment.Kind.JOBS,
        description=f"Jobs {world.seq():04d}{side}",
        target_value=500,
        due_date=datetime.date(2028, 12, 31),
    )


def pdf_upload():
    return SimpleUploadedFile("signed.pdf", b"%PDF-1.4 test", content_type="application/pdf")


class ProjectTests(StandardModelTests):
    model = Project
    visible_to = PIPELINE
    editable_by = PIPELINE
    update_data = {"planned_jobs": "800"}
    invalid_data = [("name", ""), ("planned_investment_currency", "XYZ"), ("planned_floor_area", "12 acres")]

    @staticmethod
    def form_data(world):
        return {
            "name": "新能源电池项目",
            "park": world.park["in"].pk,
            "investor": world.org["in"].pk,
            "stage": "lead",
            "planned_investment_amount": "1500000000",
            "planned_investment_currency": "CNY",
            "planned_floor_area": "30 mu",
        }

    @classmethod
    def make(cls, world, side):
        n = world.seq()
        return Project.objects.create(name=f"Project {n:04d}{side}", park=world.park[side], investor=world.org[side])

    @staticmethod
    def csv_rows(world):
        base = {
            "id": "",
            "codename": "",
            "is_confidential": "0",
            "investor": "Org in Ltd",
            "industry": "T-IC",
            "park": "park-in",
            "planned_investment_amount": "200000000",
            "planned_investment_currency": "CNY",
            "planned_floor_area": "12 mu",
            "planned_jobs": "120",
            "owner": "investment_staff",
            "source": "referral",
            "stage": "negotiating",
            "lost_reason": "",
            "description": "",
        }
        return csv_text([{**base, "name": "导入项目甲"}, {**base, "name": "Imported project B", "stage": "lead"}])

    @staticmethod
    def csv_bad_row(world):
        return ",,0,Org in Ltd,T-IC,no-such-park,1,CNY,,,,,lead,,,坏项目", "park"

    @staticmethod
    def api_data(world):
        return {"name": "API project", "park": world.park["in"].pk, "stage": "lead"}


class EventTests(StandardModelTests):
    model = Event
    visible_to = AGREEMENT_READERS
    editable_by = PIPELINE
    update_data = {"place": "国际会议中心"}
    invalid_data = [("title", ""), ("date", "not a date"), ("kind", "party")]

    @staticmethod
    def form_data(world):
        return {"kind": "signing", "title": "重点项目集中签约仪式", "date": "2026-03-18", "park": world.park["in"].pk}

    @classmethod
    def make(cls, world, side):
        event = Event.objects.create(
            kind=Event.Kind.SIGNING,
            title=f"Signing ceremony {world.seq():04d}{side}",
            date=SIGNED,
            park=world.park[side],
        )
        agreement_for(world, side, event=event)
        return event

    @staticmethod
    def csv_rows(world):
        return csv_text(
            [
                {
                    "id": "",
                    "kind": "visit",
                    "title": "Delegation visit",
                    "date": "2026-04-01",
                    "place": "",
                    "park": "park-in",
                    "description": "",
                },
                {
                    "id": "",
                    "kind": "celebration",
                    "title": "十周年庆典",
                    "date": "2026-05-01",
                    "place": "园区",
                    "park": "park-in",
                    "description": "",
                },
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return ",meeting,Plenary,2026-13-45,,park-in,", "date"

    @staticmethod
    def api_data(world):
        return {"kind": "meeting", "title": "Plenary meeting", "date": "2026-06-01", "park": world.park["in"].pk}


class AgreementTests(StandardModelTests):
    model = Agreement
    visible_to = AGREEMENT_READERS
    editable_by = PIPELINE
    update_data = {"reference": "SH-2026-001"}
    invalid_data = [("title", ""), ("kind", "contract"), ("end_date", "2025-01-01")]

    @staticmethod
    def form_data(world):
        return {
            "kind": "strategic",
            "title": "战略合作框架协议",
            "status": "draft",
            "park": world.park["in"].pk,
            "start_date": "2026-01-01",
            "fields_of_cooperation": "集成电路\n人工智能",
        }

    @classmethod
    def make(cls, world, side):
        return agreement_for(world, side)

    @staticmethod
    def csv_rows(world):
        base = {
            "id": "",
            "kind": "memorandum",
            "reference": "",
            "status": "draft",
            "park": "park-in",
            "project": "",
            "event": "",
            "signed_on": "",
            "start_date": "",
            "end_date": "",
            "fields_of_cooperation": "",
            "contact_cadence": "92",
            "summary": "",
        }
        return csv_text([{**base, "title": "合作备忘录"}, {**base, "title": "MoU on green finance"}])

    @staticmethod
    def csv_bad_row(world):
        return ",lease,,draft,park-in,,,,2026-02-01,2025-01-01,,,,Bad lease", "end_date"

    @staticmethod
    def api_data(world):
        return {
            "kind": "framework",
            "title": "API framework agreement",
            "park": world.park["in"].pk,
            "start_date": "2026-01-01",
        }

    def test_marking_signed_needs_two_parties_and_a_date(self):
        agreement = Agreement.objects.create(kind="investment", title="Lonely", park=self.world.park["in"])
        data = {**self.form_data_for(agreement), "status": "signed"}
        response = self.client.post(self.url("edit", agreement), data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("signed_on", response.context["form"].errors)
        response = self.client.post(self.url("edit", agreement), {**data, "signed_on": "2026-02-02"})
        self.assertIn("status", response.context["form"].errors)


class PartyTests(StandardModelTests):
    model = Party
    visible_to = AGREEMENT_READERS
    editable_by = PIPELINE
    update_data = {"role": "witness"}
    invalid_data = [("organization", ""), ("role", "boss")]

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.agreement = agreement_for(cls.world, "in")

    @staticmethod
    def form_data(world):
        org = Organization.objects.create(name=f"Joining {world.seq():04d} Co")
        agreement = Agreement.objects.filter(park=world.park["in"]).latest("pk")
        return {"agreement": agreement.pk, "organization": org.pk, "role": "partner"}

    @classmethod
    def make(cls, world, side):
        agreement = agreement_for(world, side)
        org = Organization.objects.create(name=f"Third party {world.seq():04d}{side}")
        return Party.objects.create(agreement=agreement, organization=org, role=Party.Role.FINANCIER)

    @staticmethod
    def csv_rows(world):
        agreement = Agreement.objects.filter(park=world.park["in"]).latest("pk")
        Organization.objects.get_or_create(name="CSV Bank")
        Organization.objects.get_or_create(name="CSV University")
        return csv_text(
            [
                {"id": "", "agreement": agreement.pk, "organization": "CSV Bank", "role": "financier"},
                {"id": "", "agreement": agreement.pk, "organization": "CSV University", "role": "partner"},
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        agreement = Agreement.objects.filter(park=world.park["in"]).latest("pk")
        return f",{agreement.pk},Nobody Ltd,partner", "organization"

    @staticmethod
    def api_data(world):
        org = Organization.objects.create(name=f"API party {world.seq():04d}")
        agreement = Agreement.objects.filter(park=world.park["in"]).latest("pk")
        return {"agreement": agreement.pk, "organization": org.pk, "role": "partner"}


class SignatoryTests(StandardModelTests):
    model = Signatory
    visible_to = AGREEMENT_READERS
    editable_by = PIPELINE
    update_data = {"title": "区长"}
    invalid_data = [("person", ""), ("party", "999999")]

    @staticmethod
    def _party(world):
        return Party.objects.filter(agreement__park=world.park["in"]).latest("pk")

    @classmethod
    def form_data(cls, world):
        party = cls._party(world)
        person = Person.objects.create(name=f"Signer {world.seq():04d}")
        return {"agreement": party.agreement_id, "party": party.pk, "person": person.pk, "title": "副区长"}

    @classmethod
    def make(cls, world, side):
        agreement = agreement_for(world, side)
        person = Person.objects.create(name=f"Signatory {world.seq():04d}{side}")
        return Signatory.objects.create(
            agreement=agreement,
            party=agreement.parties.first(),
            person=person,
            title=f"Deputy Governor {person.pk}{side}",
        )

    @classmethod
    def csv_rows(cls, world):
        party = cls._party(world)
        a, b = Person.objects.create(name="CSV signer A"), Person.objects.create(name="CSV signer B")
        return csv_text(
            [
                {"id": "", "agreement": party.agreement_id, "party": party.pk, "person": a.pk, "title": "董事长"},
                {"id": "", "agreement": party.agreement_id, "party": party.pk, "person": b.pk, "title": "总经理"},
            ]
        )

    @classmethod
    def csv_bad_row(cls, world):
        party = cls._party(world)
        return f",{party.agreement_id},{party.pk},99999999,Chair", "person"

    @classmethod
    def api_data(cls, world):
        party = cls._party(world)
        person = Person.objects.create(name=f"API signer {world.seq():04d}")
        return {"agreement": party.agreement_id, "party": party.pk, "person": person.pk, "title": "Chair"}

    def test_title_defaults_to_the_persons_position_at_the_party(self):
        from parkos.directory.models import Position

        party = self._party(self.world)
        person = Person.objects.create(name="带职务的人")
        Position.objects.create(person=person, organization=party.organization, title="党工委书记")
        data = {"agreement": party.agreement_id, "party": party.pk, "person": person.pk}
        self.assertEqual(self.client.post(self.url("add"), data).status_code, 302)
        self.assertEqual(Signatory.objects.get(person=person).title, "党工委书记")


class CommitmentTests(StandardModelTests):
    model = Commitment
    visible_to = AGREEMENT_READERS
    editable_by = PIPELINE
    update_data = {"target_value": "650"}
    invalid_data = [("target_value", "-5"), ("unit", "kg"), ("due_date", "2020-01-01"), ("kind", "")]

    @staticmethod
    def _party(world):
        return Party.objects.filter(agreement__park=world.park["in"]).latest("pk")

    @classmethod
    def form_data(cls, world):
        party = cls._party(world)
        return {
            "agreement": party.agreement_id,
            "party": party.pk,
            "kind": "jobs",
            "description": "新增就业岗位",
            "target_value": "300",
            "due_date": "2028-06-30",
        }

    @classmethod
    def make(cls, world, side):
        return commitment_for(world, side)

    @classmethod
    def csv_rows(cls, world):
        party = cls._party(world)
        base = {
            "id": "",
            "agreement": party.agreement_id,
            "party": party.pk,
            "start_date": "",
            "latest_value": "",
            "latest_on": "",
            "met_on": "",
        }
        return csv_text(
            [
                {
                    **base,
                    "kind": "investment",
                    "description": "固定资产投资",
                    "target_value": "2000000000",
                    "unit": "CNY",
                    "due_date": "2029-12-31",
                },
                {
                    **base,
                    "kind": "milestone",
                    "description": "Start of construction",
                    "target_value": "",
                    "unit": "",
                    "due_date": "2027-03-31",
                },
            ]
        )

    @classmethod
    def csv_bad_row(cls, world):
        party = cls._party(world)
        return f",{party.agreement_id},{party.pk},,,,,jobs,Jobs,100,kg,2028-01-01", "unit"

    @classmethod
    def api_data(cls, world):
        party = cls._party(world)
        return {
            "agreement": party.agreement_id,
            "party": party.pk,
            "kind": "annual_tax",
            "target_value": "50000000",
            "unit": "CNY",
            "due_date": "2029-12-31",
        }


class ProgressTests(StandardModelTests):
    model = Progress
    visible_to = AGREEMENT_READERS
    editable_by = PIPELINE
    update_data = {"value": "260"}
    invalid_data = [("value", "-1"), ("date", "2999-01-01"), ("source", "rumour")]

    @staticmethod
    def _commitment(world):
        return Commitment.objects.filter(agreement__park=world.park["in"], kind="jobs").latest("pk")

    @classmethod
    def form_data(cls, world):
        return {"commitment": cls._commitment(world).pk, "date": "2026-06-30", "value": "120", "source": "statistics"}

    @classmethod
    def make(cls, world, side):
        commitment = commitment_for(world, side)
        return Progress.objects.create(
            commitment=commitment, date=datetime.date(2026, 6, 30), value=100, note=f"Report {world.seq():04d}{side}"
        )

    @classmethod
    def csv_rows(cls, world):
        pk = cls._commitment(world).pk
        return csv_text(
            [
                {"id": "", "commitment": pk, "date": "2026-03-31", "value": "80", "source": "party_report", "note": ""},
                {"id": "", "commitment": pk, "date": "2026-09-30", "value": "210", "source": "tax", "note": "Q3"},
            ]
        )

    @classmethod
    def csv_bad_row(cls, world):
        return f",{cls._commitment(world).pk},2026-05-01,-3,staff,", "value"

    @classmethod
    def api_data(cls, world):
        return {"commitment": cls._commitment(world).pk, "date": "2026-07-31", "value": "150", "source": "site_visit"}


class ContactTests(StandardModelTests):
    model = Contact
    visible_to = PIPELINE
    editable_by = PIPELINE
    update_data = {"next_steps": "Send the draft agreement"}
    invalid_data = [("subject", ""), ("date", "yesterday"), ("kind", "email")]

    @staticmethod
    def form_data(world):
        return {"kind": "visit", "date": "2026-09-01", "subject": "走访企业", "park": world.park["in"].pk}

    @classmethod
    def make(cls, world, side):
        return Contact.objects.create(
            date=datetime.date(2026, 8, 1), subject=f"Visit {world.seq():04d}{side}", park=world.park[side]
        )

    @staticmethod
    def csv_rows(world):
        base = {"id": "", "park": "park-in", "project": "", "agreement": "", "notes": "", "next_steps": ""}
        return csv_text(
            [
                {**base, "kind": "call", "date": "2026-09-02", "subject": "Follow-up call"},
                {**base, "kind": "meeting", "date": "2026-09-03", "subject": "季度例会"},
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return ",visit,2026-09-04,Visit,nowhere,,,,", "park"

    @staticmethod
    def api_data(world):
        return {"kind": "call", "date": "2026-09-05", "subject": "API call", "park": world.park["in"].pk}

    def test_park_is_taken_from_the_agreement(self):
        agreement = agreement_for(self.world, "in")
        data = {"kind": "meeting", "date": "2026-09-06", "subject": "例会", "agreement": agreement.pk}
        self.assertEqual(self.client.post(self.url("add"), data).status_code, 302)
        self.assertEqual(Contact.objects.get(subject="例会").park, self.world.park["in"])


class FollowUpTaskTests(StandardModelTests):
    model = FollowUpTask
    visible_to = PIPELINE
    editable_by = PIPELINE
    update_data = {"done_on": "2026-10-01"}
    invalid_data = [("description", ""), ("owner", ""), ("due_date", "soon")]

    @staticmethod
    def _contact(world):
        return Contact.objects.filter(park=world.park["in"]).latest("pk")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.contact = Contact.objects.create(date=SIGNED, subject="Kick-off", park=cls.world.park["in"])

    @classmethod
    def form_data(cls, world):
        return {
            "contact": cls._contact(world).pk,
            "description": "发送协议草案",
            "owner": world.users["investment_staff"].pk,
            "due_date": "2026-12-01",
        }

    @classmethod
    def make(cls, world, side):
        contact = Contact.objects.create(date=SIGNED, subject=f"Contact {world.seq():04d}{side}", park=world.park[side])
        return FollowUpTask.objects.create(
            contact=contact, description=f"Task {world.seq():04d}{side}", owner=world.users["investment_staff"]
        )

    @classmethod
    def csv_rows(cls, world):
        pk = cls._contact(world).pk
        base = {"id": "", "contact": pk, "owner": "investment_staff", "done_on": ""}
        return csv_text(
            [
                {**base, "description": "Call back", "due_date": "2026-12-10"},
                {**base, "description": "准备材料", "due_date": ""},
            ]
        )

    @classmethod
    def csv_bad_row(cls, world):
        return f",{cls._contact(world).pk},nobody,,Task,", "owner"

    @classmethod
    def api_data(cls, world):
        return {
            "contact": cls._contact(world).pk,
            "description": "API task",
            "owner": world.users["investment_staff"].pk,
        }


class AgreementDocumentTests(StandardModelTests):
    model = AgreementDocument
    visible_to = AGREEMENT_READERS
    editable_by = PIPELINE
    update_data = {"title": "签约文本（盖章版）"}
    invalid_data = [("title", "")]

    @staticmethod
    def _agreement(world):
        return Agreement.objects.filter(park=world.park["in"]).latest("pk")

    @classmethod
    def form_data(cls, world):
        return {"agreement": cls._agreement(world).pk, "title": "签约文本", "file": pdf_upload()}

    @classmethod
    def make(cls, world, side):
        return AgreementDocument.objects.create(
            agreement=agreement_for(world, side), title=f"Annex {world.seq():04d}{side}", file=pdf_upload()
        )

    @classmethod
    def csv_rows(cls, world):
        pk = cls._agreement(world).pk
        return csv_text(
            [
                {"id": "", "agreement": pk, "title": "Annex 1", "file": "agreements/2026/annex-1.pdf"},
                {"id": "", "agreement": pk, "title": "附件二", "file": "agreements/2026/annex-2.pdf"},
            ]
        )

    @classmethod
    def csv_bad_row(cls, world):
        return ",999999,Annex,agreements/x.pdf", "agreement"

    @classmethod
    def api_data(cls, world):
        return {"agreement": cls._agreement(world).pk, "title": "API annex", "file": "agreements/api.pdf"}

    def test_api_crud(self):
        """Files are uploaded as multipart through the API."""
        response = self.api.post(
            self.api_url(),
            {"agreement": self._agreement(self.world).pk, "title": "Uploaded", "file": pdf_upload()},
            format="multipart",
        )
        self.assertEqual(response.status_code, 201, response.content)

    def test_api_refuses_bad_input_with_field_messages(self):
        response = self.api.post(self.api_url(), {"agreement": self._agreement(self.world).pk}, format="multipart")
        self.assertEqual(response.status_code, 400)
        self.assertIn("file", response.json())

    def test_download_goes_through_the_permission_rule(self):
        from django.test import Client
        from django.urls import reverse

        document = AgreementDocument.objects.create(
            agreement=self._agreement(self.world), title="Signed", file=pdf_upload()
        )
        url = reverse("investment:agreementdocument_download", kwargs={"pk": document.pk})
        self.assertEqual(self.client.get(url).status_code, 200)
        outsider = Client()
        outsider.force_login(self.world.users["service_staff"])
        self.assertEqual(outsider.get(url).status_code, 404)


class ExchangeRateTests(StandardModelTests):
    model = ExchangeRate
    visible_to = {"operator_admin": "all", "investment_staff": "all"}
    editable_by = {"operator_admin": "all", "investment_staff": "all"}
    update_data = {"source": "PBOC central parity"}
    invalid_data = [("rate", "-1"), ("currency", "XXX"), ("valid_from", "")]
    CODES = ("USD", "EUR", "HKD", "JPY", "GBP", "SGD", "KRW", "CHF", "AUD", "CAD", "TWD", "MOP", "AED", "SAR")

    @staticmethod
    def form_data(world):
        return {"currency": "USD", "rate": "7.1", "valid_from": "2026-11-01"}

    @classmethod
    def make(cls, world, side):
        n = world.seq()
        return ExchangeRate.objects.create(
            currency=cls.CODES[n % len(cls.CODES)],
            rate="1.5",
            valid_from=datetime.date(2020, 1, 1) + datetime.timedelta(n),
        )

    @staticmethod
    def csv_rows(world):
        return csv_text(
            [
                {"currency": "EUR", "rate": "7.7", "valid_from": "2026-10-01", "source": "demo"},
                {"currency": "HKD", "rate": "0.91", "valid_from": "2026-10-01", "source": "demo"},
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return "GBP,-2,2026-10-01,demo", "rate"

    @staticmethod
    def api_data(world):
        return {"currency": "JPY", "rate": "0.047", "valid_from": "2026-10-01"}


class AgreementDocumentUploadPageTests(TestCase):
    """The add page of a model with a file field posts as multipart, or a browser would send no file."""

    def test_add_form_is_multipart(self):
        world = World.build()
        self.client.force_login(world.users["operator_admin"])
        response = self.client.get(reverse(AgreementDocument.url_name("add")))
        self.assertContains(response, 'enctype="multipart/form-data"')
