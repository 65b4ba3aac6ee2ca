"""The standard suite (pages, import, export, API, permissions per role) of the five policy models.

Policies are a published catalogue: every role that may view policies reads them all; the policy office
(service staff) and the operator edit them. Certifications are one shared registry for staff; an
organization's own users see its own. Applications, their documents and payments are seen by the
applicant, the issuer and the staff of the applicant's park.
"""

import datetime
import json

from django.core.files.uploadedfile import SimpleUploadedFile

from parkos.core.testing import StandardModelTests, World, csv_text
from parkos.policies.models import Application, ApplicationDocument, Certification, Disbursement, Policy

EVERYONE = {
    role: "all"
    for role in (
        "operator_admin",
        "investment_staff",
        "park_manager",
        "service_staff",
        "evaluation_officer",
        "government_partner",
        "enterprise_user",
    )
}
POLICY_OFFICE = {"operator_admin": "all", "service_staff": "all"}
STAFF_ALL_ORGANIZATIONS_OWN = {
    "operator_admin": "all",
    "investment_staff": "all",
    "park_manager": "all",
    "service_staff": "all",
    "evaluation_officer": "all",
    "government_partner": "in",
    "enterprise_user": "in",
}
IN_THEIR_PARKS_AND_OWN = {
    "operator_admin": "all",
    "investment_staff": "in",
    "park_manager": "in",
    "service_staff": "in",
    "evaluation_officer": "in",
    "government_partner": "in",
    "enterprise_user": "in",
}
RULES = {"all": [{"field": "rd_ratio", "at_least": 3}, {"field": "major_incident", "is": False}]}


def pdf_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("license.pdf", b"%PDF-1.4 test", content_type="application/pdf")


def open_policy(world: World, side: str = "in") -> Policy:
    return Policy.objects.create(
        issuer=world.org[side], name=f"研发补贴 {world.seq():04d}", aspect="technology", status=Policy.Status.OPEN
    )


def application_for(world: World, side: str, **extra) -> Application:
    return Application.objects.create(
        policy=open_policy(world, side), applicant=world.org[side], park=world.park[side], **extra
    )


class PolicyTests(StandardModelTests):
    model = Policy
    visible_to = EVERYONE
    editable_by = POLICY_OFFICE
    update_data = {"summary": "研发投入后补助"}
    invalid_data = [
        ("name", ""),
        ("eligibility", {"all": [{"field": "shoe_size", "at_least": 42}]}),
        ("budget_amount", "-1"),
    ]

    @staticmethod
    def form_data(world):
        return {
            "name": "研发费用补贴",
            "issuer": world.org["in"].pk,
            "aspect": "technology",
            "status": "open",
            "opens_on": "2026-01-01",
            "budget_amount": "5000000",
            "budget_currency": "CNY",
            "eligibility": json.dumps(RULES),
        }

    @classmethod
    def make(cls, world, side):
        return Policy.objects.create(
            issuer=world.org[side], name=f"Policy {world.seq():04d}{side}", aspect="green", eligibility=RULES
        )

    @staticmethod
    def csv_rows(world):
        return csv_text(
            [
                {
                    "issuer": "Org in Ltd",
                    "name": "绿色工厂奖励",
                    "aspect": "green",
                    "status": "draft",
                    "eligibility": "{}",
                },
                {
                    "issuer": "Org in Ltd",
                    "name": "企业出海补贴",
                    "aspect": "overseas",
                    "status": "open",
                    "eligibility": json.dumps(RULES),
                },
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return "Nowhere Ltd,人才安居补贴,service,draft,", "issuer"

    @staticmethod
    def api_data(world):
        return {"issuer": world.org["in"].pk, "name": "API policy", "aspect": "finance", "eligibility": RULES}

    def test_a_rule_on_an_unknown_attribute_is_refused_naming_the_rule(self):
        data = {**self.resolve(self.form_data), "eligibility": json.dumps({"all": [RULES["all"][0], {"field": "x"}]})}
        response = self.client.post(self.url("add"), data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("2", str(response.context["form"].errors["eligibility"]))

    def test_the_form_lists_the_attributes_a_rule_may_read(self):
        response = self.client.get(self.url("add"))
        for key in ("rd_ratio", "years_in_park", "high_tech", "grade", "tax_per_mu"):
            self.assertContains(response, f"<code>{key}</code>")

    def test_the_page_shows_the_rules_as_sentences(self):
        response = self.client.get(self.url("", self.obj_in))
        self.assertContains(response, 'id="eligibility"')
        self.assertContains(response, 'id="near-misses"')


class CertificationTests(StandardModelTests):
    model = Certification
    visible_to = STAFF_ALL_ORGANIZATIONS_OWN
    editable_by = POLICY_OFFICE
    update_data = {"number": "GR202533000123"}
    invalid_data = [("valid_from", ""), ("valid_until", "2020-01-01"), ("kind", "nobel_prize")]

    @staticmethod
    def form_data(world):
        return {"organization": world.org["in"].pk, "kind": "srdi", "valid_from": "2025-01-01"}

    @classmethod
    def make(cls, world, side):
        return Certification.objects.create(
            organization=world.org[side],
            kind="high_tech",
            number=f"GR{world.seq():06d}",
            valid_from=datetime.date(2025, 1, 1),
            valid_until=datetime.date(2027, 12, 31),
        )

    @staticmethod
    def csv_rows(world):
        return csv_text(
            [
                {
                    "id": "",
                    "organization": "Org in Ltd",
                    "kind": "green_factory",
                    "title": "",
                    "number": "G-1",
                    "issued_by": "工信部",
                    "valid_from": "2024-06-01",
                    "valid_until": "",
                },
                {
                    "id": "",
                    "organization": "Org in Ltd",
                    "kind": "tech_sme",
                    "title": "",
                    "number": "T-1",
                    "issued_by": "",
                    "valid_from": "2025-03-01",
                    "valid_until": "2026-02-28",
                },
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return ",Nowhere Ltd,srdi,,,,2025-01-01,", "organization"

    @staticmethod
    def api_data(world):
        return {"organization": world.org["in"].pk, "kind": "little_giant", "valid_from": "2025-07-01"}

    def test_certificates_valid_today_set_the_organization_flags(self):
        org = self.world.org["in"]
        org.refresh_from_db()
        self.assertTrue(org.is_high_tech)
        self.assertFalse(org.is_srdi)
        little_giant = Certification.objects.create(
            organization=org, kind="little_giant", valid_from=datetime.date(2025, 1, 1)
        )
        org.refresh_from_db()
        self.assertTrue(org.is_srdi, "a little giant counts as SRDI")
        little_giant.delete()
        org.refresh_from_db()
        self.assertFalse(org.is_srdi)

    def test_an_expired_certificate_clears_the_flag(self):
        org = self.world.org["out"]
        Certification.objects.filter(organization=org).update(valid_until=datetime.date(2024, 12, 31))
        Certification.objects.filter(organization=org).first().save()
        org.refresh_from_db()
        self.assertFalse(org.is_high_tech)

    def test_the_organization_page_lists_certifications_and_policies(self):
        response = self.client.get(self.world.org["in"].get_absolute_url())
        self.assertContains(response, self.obj_in.get_absolute_url())
        self.assertContains(response, 'id="policies-qualified"')


class ApplicationTests(StandardModelTests):
    model = Application
    visible_to = IN_THEIR_PARKS_AND_OWN
    editable_by = {"operator_admin": "all", "service_staff": "in", "enterprise_user": "in"}
    update_data = {"statement": "申请研发费用补贴 50 万元"}
    invalid_data = [("amount_requested", "-5"), ("applicant", "")]

    @staticmethod
    def form_data(world):
        return {
            "policy": open_policy(world).pk,
            "applicant": world.org["in"].pk,
            "park": world.park["in"].pk,
            "status": "draft",
            "amount_requested": "500000",
            "currency": "CNY",
        }

    @classmethod
    def make(cls, world, side):
        return application_for(world, side)

    @staticmethod
    def csv_rows(world):
        rows = []
        for _ in range(2):
            rows.append(
                {
                    "id": "",
                    "policy": open_policy(world).pk,
                    "applicant": "Org in Ltd",
                    "park": "park-in",
                    "status": "draft",
                    "amount_requested": "300000",
                    "amount_approved": "",
                    "currency": "CNY",
                    "statement": "",
                    "decision_note": "",
                }
            )
        return csv_text(rows)

    @staticmethod
    def csv_bad_row(world):
        return ",999999,Org in Ltd,park-in,draft,,,CNY,,", "policy"

    @staticmethod
    def api_data(world):
        return {
            "policy": open_policy(world).pk,
            "applicant": world.org["in"].pk,
            "park": world.park["in"].pk,
            "currency": "CNY",
        }


class ApplicationDocumentTests(StandardModelTests):
    model = ApplicationDocument
    visible_to = IN_THEIR_PARKS_AND_OWN
    editable_by = {"operator_admin": "all", "service_staff": "in", "enterprise_user": "in"}
    update_data = {"title": "营业执照（副本）"}
    invalid_data = [("title", "")]

    @staticmethod
    def _application(world):
        return Application.objects.filter(park=world.park["in"]).latest("pk")

    @classmethod
    def form_data(cls, world):
        return {"application": cls._application(world).pk, "title": "营业执照", "file": pdf_upload()}

    @classmethod
    def make(cls, world, side):
        return ApplicationDocument.objects.create(
            application=application_for(world, side), title=f"附件 {world.seq():04d}", file=pdf_upload()
        )

    @classmethod
    def csv_rows(cls, world):
        pk = cls._application(world).pk
        return csv_text(
            [
                {"id": "", "application": pk, "title": "审计报告", "file": "policies/2026/audit.pdf"},
                {"id": "", "application": pk, "title": "研发费用专项审计", "file": "policies/2026/rd.pdf"},
            ]
        )

    @classmethod
    def csv_bad_row(cls, world):
        return ",999999,附件,policies/x.pdf", "application"

    @classmethod
    def api_data(cls, world):
        return {"application": cls._application(world).pk, "title": "API 附件", "file": "policies/api.pdf"}

    def test_api_crud(self):
        """Files are uploaded as multipart through the API."""
        response = self.api.post(
            self.api_url(),
            {"application": self._application(self.world).pk, "title": "上传", "file": pdf_upload()},
            format="multipart",
        )
        self.assertEqual(response.status_code, 201, response.content)

    def test_api_refuses_bad_input_with_field_messages(self):
        response = self.api.post(self.api_url(), {"application": self._application(self.world).pk}, format="multipart")
        self.assertEqual(response.status_code, 400)
        self.assertIn("file", response.json())


class DisbursementTests(StandardModelTests):
    model = Disbursement
    visible_to = IN_THEIR_PARKS_AND_OWN
    editable_by = {"operator_admin": "all", "service_staff": "in"}
    update_data = {"reference": "付款凭证 2026-118"}
    invalid_data = [("amount", "-1"), ("paid_on", "")]

    @staticmethod
    def _approved(world, side="in"):
        return application_for(world, side, status=Application.Status.APPROVED, amount_approved=1_000_000)

    @classmethod
    def form_data(cls, world):
        return {"application": cls._approved(world).pk, "paid_on": "2026-10-01", "amount": "200000"}

    @classmethod
    def make(cls, world, side):
        n = world.seq()
        return Disbursement.objects.create(
            application=cls._approved(world, side),
            paid_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
            amount=1_000 * n,
            reference=f"PAY-{n:05d}{side}",
        )

    @classmethod
    def csv_rows(cls, world):
        pk = cls._approved(world).pk
        return csv_text(
            [
                {"id": "", "application": pk, "paid_on": "2026-10-01", "amount": "100000", "reference": "", "note": ""},
                {"id": "", "application": pk, "paid_on": "2026-11-01", "amount": "50000", "reference": "R", "note": ""},
            ]
        )

    @classmethod
    def csv_bad_row(cls, world):
        return ",999999,2026-10-01,100,,", "application"

    @classmethod
    def api_data(cls, world):
        return {"application": cls._approved(world).pk, "paid_on": "2026-10-02", "amount": "1000"}
