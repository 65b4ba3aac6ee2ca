"""The demo's applications: every status on the demo policies, documents and payments within the rules, a past
edition whose cohort the next year's filings measure; deterministic and a fixed number of queries."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db.models import Sum
from django.test import TestCase

from parkos.demo.generator import no_progress
from parkos.demo.policies import POLICIES, load_policies
from parkos.demo.policy_applications import load_policy_applications
from parkos.directory.models import Organization
from parkos.evaluation.models import IndicatorFiling
from parkos.parks.models import Park, ParkBrand
from parkos.policies import outcomes
from parkos.policies.models import Application, ApplicationDocument, Disbursement, Policy
from parkos.users.models import User

TODAY = datetime.date(2026, 12, 7)
S = Application.Status


class DemoApplicationsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        names = {issuer for issuer, *_ in POLICIES if issuer != "operator"}
        governments = {n: Organization.objects.create(name=f"{n}人民政府", kind="government") for n in names}
        operator = Organization.objects.create(name="园区运营公司", kind="park_operator")
        park = Park.objects.create(code="demo", name="演示园区", brand=ParkBrand.objects.create(code="b", name="b"))
        cls.enterprises = [
            Organization.objects.create(name=f"企业{i}", is_high_tech=i % 3 == 0, is_srdi=i % 4 == 0) for i in range(80)
        ]
        IndicatorFiling.objects.bulk_create(
            IndicatorFiling(
                organization=o,
                park=park,
                year=year,
                revenue=Decimal(50_000_000 + i * 1_000_000),
                rd_expenditure=Decimal(2_500_000 + i * 10_000),
                tax=Decimal(1_000_000 + i * 20_000),
                value_added=Decimal(8_000_000),
                employees=50 + i,
                land_area=Decimal(20_000),
            )
            for i, o in enumerate(cls.enterprises)
            for year in (2024, 2025)
        )
        staff = User.objects.create_user(username="officer")
        staff.groups.add(Group.objects.get(name="service_staff"))
        cls.counts = {"policies": 0, "certifications": 0}
        cls.policies = load_policies(
            random.Random(1),
            enterprises=cls.enterprises,
            governments=governments,
            operators=[operator],
            today=TODAY,
            counts=cls.counts,
            progress=no_progress,
        )
        cls.applications = load_policy_applications(
            random.Random(2), policies=cls.policies, today=TODAY, counts=cls.counts, progress=no_progress
        )

    def test_every_status_is_there(self):
        statuses = set(Application.objects.values_list("status", flat=True))
        self.assertEqual(statuses, set(S.values))

    def test_documents_past_the_draft_and_none_missing(self):
        for application in Application.objects.exclude(status=S.DRAFT).select_related("policy")[:50]:
            titles = set(application.documents.values_list("title", flat=True))
            self.assertEqual(titles, set(application.policy.required_documents))
        self.assertFalse(ApplicationDocument.objects.filter(application__status=S.DRAFT).exists())
        document = ApplicationDocument.objects.first()
        with document.file.open("rb") as handle:
            self.assertTrue(handle.read().startswith(b"%PDF"))

    def test_amounts_within_caps_budgets_and_approvals(self):
        for policy in Policy.objects.all():
            approved = Application.objects.filter(policy=policy, status=S.APPROVED)
            total = approved.aggregate(t=Sum("amount_approved"))["t"] or 0
            if policy.budget_amount is not None:
                self.assertLessEqual(total, policy.budget_amount)
            for application in approved:
                self.assertGreater(application.amount_approved, 0)
                if policy.amount_cap:
                    self.assertLessEqual(application.amount_approved, policy.amount_cap)
                self.assertTrue(application.decision_note)
        for application in Application.objects.filter(disbursements__isnull=False).distinct():
            paid = application.disbursements.aggregate(t=Sum("amount"))["t"]
            self.assertEqual(application.status, S.APPROVED)
            self.assertLessEqual(paid, application.amount_approved)
        self.assertTrue(Disbursement.objects.exists())

    def test_closed_policies_hold_only_decided_or_withdrawn(self):
        closed = Application.objects.filter(policy__status=Policy.Status.CLOSED, submitted_at__isnull=False)
        self.assertTrue(closed.exists())
        self.assertFalse(closed.filter(status__in=(S.DRAFT, S.UNDER_REVIEW)).exists())

    def test_the_past_edition_has_an_outcome_to_show(self):
        past = Policy.objects.get(opens_on=datetime.date(2024, 3, 1))
        admin = User.objects.create_superuser(username="root", password="x-long-password-1")
        outcome = outcomes.policy_outcomes(past, user=admin)
        self.assertEqual(outcome.next_year, 2025)
        self.assertFalse(outcome.supported.too_small)
        self.assertEqual(outcome.supported.tax_per_mu.state, "ok")
