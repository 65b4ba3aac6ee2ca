"""Policy figures: counts and amounts per policy and per aspect, the budget left, scope, query counts, the pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parkos.core.testing import World
from parkos.directory.models import Organization
from parkos.policies import figures
from parkos.policies.models import Application, Disbursement
from parkos.policies.tests.test_workflow import WorkflowWorld, make_policy

S = Application.Status


def application(policy, applicant, status, *, approved=None, park=None, submitted=True):
    return Application.objects.create(
        policy=policy,
        applicant=applicant,
        park=park,
        status=status,
        amount_approved=approved,
        submitted_at=timezone.now() if submitted else None,
    )


class FiguresTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        WorkflowWorld.build_policies(cls)
        park = cls.world.park["in"]
        cls.green = make_policy(cls.district, aspect="green", budget_amount=Decimal("1000000"))
        enterprises = [Organization.objects.create(name=f"企业{i}") for i in range(6)]
        approved = application(cls.policy, enterprises[0], S.APPROVED, approved=Decimal("200000"), park=park)
        application(cls.policy, enterprises[1], S.APPROVED, approved=Decimal("100000"), park=park)
        application(cls.policy, enterprises[2], S.REJECTED, park=park)
        application(cls.policy, enterprises[3], S.SUBMITTED, park=park)
        application(cls.policy, enterprises[4], S.DRAFT, park=park, submitted=False)
        application(cls.green, enterprises[5], S.APPROVED, approved=Decimal("50000"), park=park)
        Disbursement.objects.create(application=approved, paid_on=datetime.date(2026, 1, 5), amount=Decimal("80000"))
        Disbursement.objects.create(application=approved, paid_on=datetime.date(2026, 3, 5), amount=Decimal("20000"))

    def row(self, user, policy):
        return next(r for r in figures.per_policy(user) if r.policy == policy)

    def test_per_policy_counts_and_amounts(self):
        row = self.row(self.world.users["operator_admin"], self.policy)
        self.assertEqual((row.applications, row.approved, row.rejected, row.waiting), (4, 2, 1, 1))
        self.assertEqual(row.amount_approved, Decimal("300000"))
        self.assertEqual(row.amount_paid, Decimal("100000"))
        self.assertEqual(row.budget_left, Decimal("700000"))
        self.assertAlmostEqual(row.approval_rate, 2 / 3)

    def test_per_aspect_sums_the_policies(self):
        rows = figures.per_aspect(figures.per_policy(self.world.users["operator_admin"]))
        by_aspect = {r.aspect: r for r in rows}
        self.assertEqual(by_aspect["technology"].approved, 2)
        self.assertEqual(by_aspect["green"].amount_approved, Decimal("50000"))
        self.assertEqual(by_aspect["green"].budget_left, Decimal("950000"))
        self.assertEqual([r.aspect for r in rows], ["technology", "green"])  # the aspects' order

    def test_the_issuer_sees_its_policies_applications_another_district_none(self):
        self.assertEqual(self.row(self.partner, self.policy).approved, 2)
        other = self.row(self.other_partner, self.policy)  # the policy is public; its applications are not
        self.assertEqual((other.applications, other.amount_approved, other.amount_paid), (0, 0, 0))

    def test_query_count_does_not_grow_with_policies(self):
        admin = self.world.users["operator_admin"]
        figures.per_policy(admin)  # the user's roles and scope, read once and cached
        with CaptureQueriesContext(connection) as before:
            figures.per_policy(admin)
        for _i in range(5):
            application(make_policy(self.district), Organization.objects.create(name="x"), S.SUBMITTED)
        with CaptureQueriesContext(connection) as after:
            figures.per_policy(admin)
        self.assertEqual(
            len(after.captured_queries), len(before.captured_queries), [q["sql"][:150] for q in after.captured_queries]
        )

    def test_figures_page_in_chinese_reads_wan_yuan(self):
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(self.world.users["operator_admin"])
        response = client.get(reverse("policies:figures"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "万元")
        self.assertContains(response, "30.00")  # 300,000 yuan approved = 30.00 万元
        response = client.get(reverse("policies:policy_figures", args=[self.policy.pk]))
        self.assertContains(response, "70.00")  # budget left 700,000 yuan


class EnterpriseSeesNoFiguresTests(TestCase):
    """The figures pages show what other enterprises were granted (budget left): not for enterprise users."""

    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()

    def test_enterprise_user_is_refused_the_figures_pages(self):
        self.client.force_login(self.world.users["enterprise_user"])
        self.assertEqual(self.client.get(reverse("policies:figures")).status_code, 403)
