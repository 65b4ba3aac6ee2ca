"""The standard suite (pages, import, export, API, permissions per role) for default cases and their documents,
and every channel of a case's scope: its agreement's government parties and the staff of its park, nobody else."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from parkos.compliance.models import DefaultCase, DefaultCaseDocument
from parkos.core.testing import PASSWORD, StandardModelTests, World, csv_text
from parkos.investment.models import Commitment
from parkos.investment.tests.test_views import commitment_for

#: investment staff handle the cases of their parks; park managers and evaluation officers read them there;
#: government partners read the cases of the agreements their organization is party to
READERS = {
    "operator_admin": "all",
    "investment_staff": "in",
    "park_manager": "in",
    "evaluation_officer": "in",
    "government_partner": "in",
}
HANDLERS = {"operator_admin": "all", "investment_staff": "in"}
#: a month ago: the steps of a case come after it opened
OPENED = timezone.localdate() - datetime.timedelta(days=30)


def case_for(world, side: str, **extra) -> DefaultCase:
    commitment = commitment_for(world, side)
    return DefaultCase.objects.create(
        commitment=commitment,
        year=extra.pop("year", 2026),
        target=commitment.target_value,
        actual=200,
        opened_on=OPENED,
        **extra,
    )


def latest_commitment(world) -> Commitment:
    return Commitment.objects.filter(agreement__park=world.park["in"]).latest("pk")


def latest_case(world) -> DefaultCase:
    return DefaultCase.objects.filter(agreement__park=world.park["in"]).latest("pk")


def pdf_upload():
    return SimpleUploadedFile("notice.pdf", b"%PDF-1.4 test", content_type="application/pdf")


class DefaultCaseTests(StandardModelTests):
    model = DefaultCase
    visible_to = READERS
    editable_by = HANDLERS
    update_data = {"notes": "企业已提交整改说明"}
    invalid_data = [("year", "1800"), ("commitment", "")]

    @staticmethod
    def form_data(world):
        return {
            "commitment": latest_commitment(world).pk,
            "year": "2030",
            "target": "500",
            "actual": "120",
            "opened_on": "2030-02-01",
        }

    @classmethod
    def make(cls, world, side):
        return case_for(world, side)

    @staticmethod
    def csv_rows(world):
        pk = latest_commitment(world).pk
        base = {"id": "", "reference": "", "commitment": pk, "target": "500", "actual": "100", "notes": ""}
        return csv_text([{**base, "year": "2031"}, {**base, "year": "2032", "notes": "补录"}])

    @staticmethod
    def csv_bad_row(world):
        return f",,{latest_commitment(world).pk},500,100,,1800", "year"

    @staticmethod
    def api_data(world):
        return {"commitment": latest_commitment(world).pk, "year": 2033, "target": "500", "actual": "50"}

    def test_gap_and_agreement_follow_the_commitment(self):
        case = DefaultCase.objects.get(pk=self.obj_in.pk)
        self.assertEqual(case.agreement_id, case.commitment.agreement_id)
        self.assertEqual(case.gap, 300)
        self.assertTrue(case.reference.startswith("DC2026-"))

    def test_stage_cannot_be_set_through_the_api(self):
        response = self.api.patch(self.api_url(self.obj_in), {"stage": "closed"}, format="json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(DefaultCase.objects.get(pk=self.obj_in.pk).stage, DefaultCase.Stage.OPEN)

    def test_one_case_per_commitment_and_year(self):
        data = {"commitment": self.obj_in.commitment_id, "year": "2026", "target": "1", "actual": "0"}
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("already has a default case", str(response.context["form"].errors))

    def test_agreement_page_lists_its_cases(self):
        response = self.client.get(self.obj_in.agreement.get_absolute_url())
        self.assertContains(response, self.obj_in.get_absolute_url())


class DefaultCaseDocumentTests(StandardModelTests):
    model = DefaultCaseDocument
    visible_to = READERS
    editable_by = HANDLERS
    update_data = {"title": "整改通知书（终稿）"}
    invalid_data = [("title", "")]

    @staticmethod
    def form_data(world):
        return {"case": latest_case(world).pk, "title": "预警通知书", "file": pdf_upload()}

    @classmethod
    def make(cls, world, side):
        return DefaultCaseDocument.objects.create(
            case=case_for(world, side), title=f"Notice {world.seq():04d}{side}", file=pdf_upload()
        )

    @staticmethod
    def csv_rows(world):
        pk = latest_case(world).pk
        return csv_text(
            [
                {"id": "", "case": pk, "title": "Notice 1", "file": "compliance/2027/notice-1.pdf"},
                {"id": "", "case": pk, "title": "整改方案", "file": "compliance/2027/plan.pdf"},
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return ",999999,Notice,compliance/x.pdf", "case"

    @staticmethod
    def api_data(world):
        return {"case": latest_case(world).pk, "title": "API notice", "file": "compliance/api.pdf"}

    def test_api_crud(self):
        """Files are uploaded as multipart through the API."""
        response = self.api.post(
            self.api_url(),
            {"case": latest_case(self.world).pk, "title": "Uploaded", "file": pdf_upload()},
            format="multipart",
        )
        self.assertEqual(response.status_code, 201, response.content)
        created = DefaultCaseDocument.objects.get(pk=response.json()["id"])
        self.assertEqual(self.changes(created, "create").get().source, "api")

    def test_api_refuses_bad_input_with_field_messages(self):
        response = self.api.post(self.api_url(), {"case": latest_case(self.world).pk}, format="multipart")
        self.assertEqual(response.status_code, 400)
        self.assertIn("file", response.json())


class CaseScopeTests(TestCase):
    """Every channel of a case, for: a government party of its agreement, another district's government partner,
    the enterprise user of the promising party, and a park manager of another park."""

    @classmethod
    def setUpTestData(cls):
        from django.contrib.auth.models import Group

        from parkos.directory.models import Organization
        from parkos.users.models import User

        cls.world = World.build()
        cls.case = case_for(cls.world, "in")
        cls.document = DefaultCaseDocument.objects.create(case=cls.case, title="预警通知书 A", file=pdf_upload())
        # the party that promised is an enterprise with its own user
        enterprise = cls.case.commitment.party.organization
        cls.enterprise_user = User.objects.create_user(username="promiser", password=PASSWORD)
        cls.enterprise_user.groups.add(Group.objects.get(name="enterprise_user"))
        cls.enterprise_user.organizations.add(enterprise)
        other_district = Organization.objects.create(name="Other district government")
        cls.other_partner = User.objects.create_user(username="other-partner", password=PASSWORD)
        cls.other_partner.groups.add(Group.objects.get(name="government_partner"))
        cls.other_partner.organizations.add(other_district)
        cls.other_manager = User.objects.create_user(username="other-manager", password=PASSWORD)
        cls.other_manager.groups.add(Group.objects.get(name="park_manager"))
        cls.other_manager.parks.add(cls.world.park["out"])

    def _channels(self, user) -> dict[str, bool]:
        client = Client()
        client.force_login(user)
        api = APIClient()
        api.force_authenticate(user)
        case, document = self.case, self.document
        listing = client.get(reverse("compliance:defaultcase_list"))
        api_list = api.get(reverse("compliance-api:defaultcase-list"))
        export = client.get(reverse("compliance:defaultcase_list"), {"export": "csv"})
        search = client.get(reverse("search"), {"q": case.reference})
        change = case.pk and self._create_change()
        return {
            "list": listing.status_code == 200 and case.get_absolute_url() in listing.content.decode(),
            "detail": client.get(case.get_absolute_url()).status_code == 200,
            "api list": api_list.status_code == 200 and case.pk in {r["id"] for r in api_list.json()["results"]},
            "api detail": api.get(reverse("compliance-api:defaultcase-detail", kwargs={"pk": case.pk})).status_code
            == 200,
            "export": export.status_code == 200 and case.reference in export.content.decode("utf-8-sig"),
            "search": case.get_absolute_url() in search.content.decode(),
            "history": client.get(reverse("compliance:defaultcase_history", kwargs={"pk": case.pk})).status_code == 200,
            "change page": client.get(reverse("objectchange", kwargs={"pk": change})).status_code == 200,
            "document": client.get(document.get_absolute_url()).status_code == 200,
            "download": client.get(
                reverse("compliance:defaultcasedocument_download", kwargs={"pk": document.pk})
            ).status_code
            == 200,
        }

    def _create_change(self) -> int:
        from django.contrib.contenttypes.models import ContentType

        from parkos.core.models import ObjectChange

        return (
            ObjectChange.objects.filter(
                changed_object_type=ContentType.objects.get_for_model(DefaultCase), changed_object_id=self.case.pk
            )
            .values_list("pk", flat=True)
            .first()
        )

    def test_a_government_party_of_the_agreement_sees_the_case_in_every_channel(self):
        seen = self._channels(self.world.users["government_partner"])
        self.assertEqual(seen, dict.fromkeys(seen, True))

    def test_staff_of_the_park_see_the_case_in_every_channel(self):
        seen = self._channels(self.world.users["park_manager"])
        self.assertEqual(seen, dict.fromkeys(seen, True))

    def test_another_districts_partner_sees_it_in_no_channel(self):
        seen = self._channels(self.other_partner)
        self.assertEqual(seen, dict.fromkeys(seen, False))

    def test_the_enterprise_user_sees_it_in_no_channel(self):
        seen = self._channels(self.enterprise_user)
        self.assertEqual(seen, dict.fromkeys(seen, False))

    def test_a_park_manager_of_another_park_sees_it_in_no_channel(self):
        seen = self._channels(self.other_manager)
        self.assertEqual(seen, dict.fromkeys(seen, False))

    def test_a_government_party_may_not_take_a_step(self):
        client = Client()
        client.force_login(self.world.users["government_partner"])
        url = reverse("compliance:defaultcase_step", kwargs={"pk": self.case.pk, "step": "warn"})
        self.assertEqual(client.post(url, {}).status_code, 403)
        api = APIClient()
        api.force_authenticate(self.world.users["government_partner"])
        response = api.post(reverse("compliance-api:defaultcase-warn", kwargs={"pk": self.case.pk}), {}, format="json")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(DefaultCase.objects.get(pk=self.case.pk).stage, DefaultCase.Stage.OPEN)
