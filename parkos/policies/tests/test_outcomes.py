"""Policy outcomes: the cohort's supported and unsupported enterprises compared the year after; small groups and
missing next-year data shown as such, never as figures; retention; the page and its caveat."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parkos.core.units import M2_PER_MU
from parkos.directory.models import Organization
from parkos.evaluation.models import EvaluationResult, EvaluationRun, EvaluationScheme, IndicatorFiling
from parkos.evaluation.tests.helpers import load_scheme
from parkos.parks.models import LandParcel
from parkos.policies import outcomes, snapshot
from parkos.policies.models import Application, MatchSnapshot
from parkos.policies.tests.test_workflow import WorkflowWorld, make_policy

S = Application.Status
NOBODY = {"all": [{"field": "employees", "at_least": 1_000_000}]}  # nobody qualifies without applying


def enterprises(prefix, n):
    return [Organization.objects.create(name=f"{prefix}{i}") for i in range(n)]


def apply_all(policy, members, status):
    Application.objects.bulk_create(
        Application(policy=policy, applicant=o, status=status, submitted_at=timezone.now()) for o in members
    )


def file_2025(members, tax_per_mu, park, *, mu=10):
    IndicatorFiling.objects.bulk_create(
        IndicatorFiling(
            organization=o,
            park=park,
            year=2025,
            tax=Decimal(tax_per_mu * mu),
            value_added=Decimal(tax_per_mu * mu * 4),
            land_area=Decimal(mu) * M2_PER_MU,
        )
        for o in members
    )


class OutcomeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        WorkflowWorld.build_policies(cls)
        cls.admin = cls.world.users["operator_admin"]
        cls.policy2024 = make_policy(
            cls.district, eligibility=NOBODY, opens_on=datetime.date(2024, 3, 1), closes_on=datetime.date(2024, 9, 30)
        )
        cls.supported = enterprises("获支持", 6)
        cls.unsupported = enterprises("未获支持", 5)
        apply_all(cls.policy2024, cls.supported, S.APPROVED)
        apply_all(cls.policy2024, cls.unsupported[:4], S.REJECTED)
        apply_all(cls.policy2024, cls.unsupported[4:], S.WITHDRAWN)
        apply_all(cls.policy2024, enterprises("待审", 2), S.SUBMITTED)
        file_2025(cls.supported, 30_000, cls.world.park["in"])
        file_2025(cls.unsupported, 10_000, cls.world.park["in"])
        for o in cls.supported[:3]:
            LandParcel.objects.create(park=cls.world.park["in"], code=f"L-{o.pk}", area=6667, holder=o)
        scheme = EvaluationScheme.objects.first() or load_scheme()
        run = EvaluationRun.objects.create(scheme=scheme, scheme_version=1, year=2025, status="done")
        EvaluationResult.objects.bulk_create(
            EvaluationResult(
                run=run,
                organization=o,
                park=cls.world.park["in"],
                cohort="c",
                status="graded",
                grade="A" if o in cls.supported else "C",
            )
            for o in cls.supported + cls.unsupported
        )

    def test_year_and_groups(self):
        outcome = outcomes.policy_outcomes(self.policy2024, user=self.admin)
        self.assertEqual((outcome.year, outcome.next_year), (2024, 2025))
        self.assertEqual((outcome.supported.size, outcome.unsupported.size, outcome.waiting), (6, 5, 2))

    def test_measures_the_year_after(self):
        outcome = outcomes.policy_outcomes(self.policy2024, user=self.admin)
        self.assertAlmostEqual(outcome.supported.tax_per_mu.value, 30_000, delta=1)
        self.assertAlmostEqual(outcome.unsupported.tax_per_mu.value, 10_000, delta=1)
        self.assertAlmostEqual(outcome.supported.value_added_per_mu.value, 120_000, delta=1)
        self.assertEqual(outcome.supported.grades, {"A": 6})
        self.assertEqual(outcome.unsupported.grades, {"C": 5})
        self.assertAlmostEqual(outcome.supported.retained.value, 0.5)  # three of six hold land
        self.assertEqual(outcome.unsupported.retained.value, 0)

    def test_a_group_under_five_is_too_small(self):
        policy = make_policy(self.district, eligibility=NOBODY, opens_on=datetime.date(2024, 1, 1))
        apply_all(policy, self.supported[:4], S.APPROVED)
        apply_all(policy, self.unsupported, S.REJECTED)
        outcome = outcomes.policy_outcomes(policy, user=self.admin)
        self.assertTrue(outcome.supported.too_small)
        self.assertIsNone(outcome.supported.tax_per_mu.value)
        self.assertEqual(outcome.supported.grades, {})
        self.assertFalse(outcome.unsupported.too_small)

    def test_missing_next_year_data_is_no_data(self):
        policy = make_policy(self.district, eligibility=NOBODY, opens_on=datetime.date(2025, 2, 1))  # 2026 not filed
        apply_all(policy, self.supported, S.APPROVED)
        outcome = outcomes.policy_outcomes(policy, user=self.admin)
        self.assertEqual(outcome.supported.tax_per_mu.state, "no_data")
        self.assertEqual(outcome.supported.grades_state, "no_data")
        self.assertEqual(outcome.supported.retained.count, 3)  # retention is today's, always known

    def test_few_filings_in_a_large_group_are_too_small_to_show(self):
        policy = make_policy(self.district, eligibility=NOBODY, opens_on=datetime.date(2024, 5, 1))
        late = enterprises("迟报", 3)
        apply_all(policy, self.supported[:3] + late, S.APPROVED)  # six, of which three filed 2025
        outcome = outcomes.policy_outcomes(policy, user=self.admin)
        self.assertFalse(outcome.supported.too_small)
        self.assertEqual(outcome.supported.tax_per_mu.state, "too_small")

    def test_qualified_without_applying_counts_as_unsupported(self):
        policy = make_policy(self.district, eligibility={}, opens_on=datetime.date(2024, 1, 1))  # everyone qualifies
        apply_all(policy, self.supported, S.APPROVED)
        outcome = outcomes.policy_outcomes(policy, user=self.admin)
        self.assertGreaterEqual(outcome.unsupported.size, len(self.unsupported))
        self.assertEqual(outcome.supported.size, 6)

    def test_pages_show_the_caveat_and_too_small(self):
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(self.admin)
        response = client.get(reverse("policies:policy_outcomes", args=[self.policy2024.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "这不是因果估计")
        self.assertContains(response, "3.00 万元")  # 30,000 yuan per mu
        small = make_policy(self.district, eligibility=NOBODY, opens_on=datetime.date(2024, 1, 1))
        apply_all(small, self.supported[:2], S.APPROVED)
        response = client.get(reverse("policies:policy_outcomes", args=[small.pk]))
        self.assertContains(response, "数量过少")
        response = client.get(reverse("policies:outcomes"))
        self.assertEqual(response.status_code, 200)

    def test_enterprise_users_do_not_see_outcomes(self):
        client = Client()
        client.force_login(self.enterprise)
        self.assertEqual(client.get(reverse("policies:outcomes")).status_code, 403)


class OutcomeQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        WorkflowWorld.build_policies(cls)
        cls.admin = cls.world.users["operator_admin"]

    def _page_queries(self, client):
        url = reverse("policies:outcomes")
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(ctx.captured_queries)

    def test_overview_queries_do_not_grow_with_policies_years_or_enterprises(self):
        client = Client()
        client.force_login(self.admin)
        members = enterprises("企业", 6)
        make_policy(self.district, eligibility=NOBODY, opens_on=datetime.date(2024, 2, 1))
        apply_all(
            make_policy(self.district, eligibility=NOBODY, opens_on=datetime.date(2024, 2, 1)), members, S.APPROVED
        )
        snapshot.refresh()  # what the worker does when a policy is saved
        client.get(reverse("policies:outcomes"))
        before = self._page_queries(client)
        for year in (2022, 2023, 2024, 2025):
            apply_all(
                make_policy(self.district, eligibility={}, opens_on=datetime.date(year, 5, 1)), members, S.REJECTED
            )
        more = enterprises("新企业", 8)  # they qualify for the policies without rules: in every cohort
        file_2025(more, 20_000, self.world.park["in"])
        snapshot.refresh()  # nightly, or the worker once the policies were saved
        outcomes.refresh_stored()
        after = self._page_queries(client)
        self.assertEqual(after, before)
        self.assertGreater(outcomes.overview(self.admin)[0].unsupported.size, 8)

    def test_a_policy_not_matched_yet_is_matched_on_first_view_then_read(self):
        policy = make_policy(self.district, eligibility={}, opens_on=datetime.date(2024, 2, 1))
        self.assertFalse(MatchSnapshot.objects.filter(policy=policy).exists())
        outcomes.overview(self.admin)
        self.assertTrue(MatchSnapshot.objects.filter(policy=policy).exists())
        with CaptureQueriesContext(connection) as ctx:
            outcomes.overview(self.admin)
        self.assertFalse([q for q in ctx.captured_queries if "INSERT" in q["sql"] or "DELETE" in q["sql"]])
