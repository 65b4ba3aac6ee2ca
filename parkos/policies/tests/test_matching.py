"""Matching: who qualifies for a policy, who nearly does (the rule missed, by how much), and who may see it."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from parkos.core.testing import World
from parkos.directory.models import Organization
from parkos.evaluation.models import IndicatorFiling
from parkos.policies import matching
from parkos.policies.models import Certification, Policy

DAY = datetime.date(2026, 6, 30)


def _policy(issuer: Organization, name: str, rules: list[dict], **kwargs) -> Policy:
    kwargs.setdefault("status", Policy.Status.OPEN)
    return Policy.objects.create(issuer=issuer, name=name, aspect="technology", eligibility={"all": rules}, **kwargs)


class MatchingTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = w = World.build()
        cls.issuer = Organization.objects.create(name="区科技局", kind=Organization.Kind.GOVERNMENT)
        # three enterprises in the "in" park: R&D ratio exactly 3%, 2.5%, and no filing at all
        cls.at = w.org["in"]
        cls.below = Organization.objects.create(name="Below Ltd", industry=w.industry)
        cls.missing = Organization.objects.create(name="Missing Ltd", industry=w.industry)
        cls.out = w.org["out"]
        for org, park, rd in ((cls.at, w.park["in"], 300_000), (cls.below, w.park["in"], 250_000)):
            IndicatorFiling.objects.create(
                organization=org, year=2025, park=park, revenue=10_000_000, rd_expenditure=rd, employees=50
            )
        IndicatorFiling.objects.create(
            organization=cls.out, year=2025, park=w.park["out"], revenue=10_000_000, rd_expenditure=900_000
        )
        IndicatorFiling.objects.create(organization=cls.missing, year=2024, park=w.park["in"], employees=12)
        Certification.objects.create(organization=cls.at, kind="high_tech", valid_from=datetime.date(2025, 1, 1))
        Certification.objects.create(
            organization=cls.below,
            kind="high_tech",
            valid_from=datetime.date(2022, 1, 1),
            valid_until=datetime.date(2024, 12, 31),  # expired before the day
        )
        cls.rd = _policy(cls.issuer, "研发费用补贴", [{"field": "rd_ratio", "at_least": 3}])
        cls.two = _policy(
            cls.issuer,
            "高新技术企业奖励",
            [{"field": "high_tech", "is": True}, {"field": "employees", "at_least": 20}],
        )

    def test_exactly_at_the_threshold_qualifies_just_below_is_a_near_miss_by_the_gap(self) -> None:
        qualifying, near = matching.enterprises_for_policy(self.rd, day=DAY)
        self.assertEqual({m.organization_id for m in qualifying}, {self.at.pk, self.out.pk})
        by_org = {m.organization_id: m for m in near}
        miss = by_org[self.below.pk].misses[0]
        self.assertFalse(by_org[self.below.pk].qualifies)
        self.assertEqual(miss.field, "rd_ratio")
        self.assertEqual(miss.short_by, Decimal("0.5"))
        self.assertIn("2.50", miss.actual)

    def test_a_rule_on_a_value_the_enterprise_lacks_fails_with_no_value(self) -> None:
        _, near = matching.enterprises_for_policy(self.rd, day=DAY)
        miss = {m.organization_id: m for m in near}[self.missing.pk].misses[0]
        self.assertEqual(miss.actual, "no value")
        self.assertIsNone(miss.short_by)
        self.assertEqual([m.organization_id for m in near][-1], self.missing.pk, "no value sorts last")

    def test_two_rules_missed_is_no_near_miss(self) -> None:
        qualifying, near = matching.enterprises_for_policy(self.two, day=DAY)
        self.assertEqual({m.organization_id for m in qualifying}, {self.at.pk})
        # below: certificate expired (one miss); missing: no certificate and 12 employees (two misses)
        self.assertEqual({m.organization_id for m in near}, {self.below.pk})  # out: no certificate, no headcount
        self.assertNotIn(self.missing.pk, {m.organization_id for m in near})
        self.assertEqual({m.organization_id: m for m in near}[self.below.pk].misses[0].actual, "no")

    def test_the_paged_matches_agree_with_the_full_lists(self) -> None:
        for policy in (self.rd, self.two):
            qualifying, near = matching.enterprises_for_policy(policy, day=DAY)
            paged = matching.PolicyMatches(policy, day=DAY)
            self.assertEqual([m.organization_id for m in paged.near[:]], [m.organization_id for m in near])
            self.assertEqual([m.misses for m in paged.near[0:1]], [m.misses for m in near[:1]])
            self.assertEqual(len(paged.qualifying), len(qualifying))
            self.assertEqual({m.organization_id for m in paged.qualifying[:]}, {m.organization_id for m in qualifying})

    def test_near_misses_can_be_left_out(self) -> None:
        _, near = matching.enterprises_for_policy(self.rd, day=DAY, near=False)
        self.assertEqual(near, [])

    def test_park_staff_see_only_the_enterprises_of_their_parks(self) -> None:
        staff = self.world.users["park_manager"]
        qualifying, near = matching.enterprises_for_policy(self.rd, user=staff, day=DAY)
        seen = {m.organization_id for m in qualifying + near}
        self.assertEqual(seen, {self.at.pk, self.below.pk, self.missing.pk})
        qualifying, _ = matching.enterprises_for_policy(self.rd, user=self.world.users["operator_admin"], day=DAY)
        self.assertIn(self.out.pk, {m.organization_id for m in qualifying})

    def test_an_enterprise_user_sees_only_its_own_organization(self) -> None:
        qualifying, near = matching.enterprises_for_policy(self.rd, user=self.world.users["enterprise_user"], day=DAY)
        self.assertEqual({m.organization_id for m in qualifying + near}, {self.at.pk})

    def test_policies_for_an_enterprise_qualifying_first_then_near(self) -> None:
        found = matching.policies_for_enterprise(self.below, day=DAY)
        self.assertEqual({(m.policy, m.qualifies) for m in found}, {(self.rd, False), (self.two, False)})
        self.assertTrue(all(len(m.misses) == 1 for m in found))
        found = matching.policies_for_enterprise(self.at, day=DAY)
        self.assertEqual({m.policy for m in found if m.qualifies}, {self.rd, self.two})

    def test_closed_and_draft_policies_are_not_matched(self) -> None:
        _policy(self.issuer, "草稿", [], status=Policy.Status.DRAFT)
        _policy(self.issuer, "已截止", [], closes_on=datetime.date(2026, 1, 1))
        names = {m.policy.name for m in matching.policies_for_enterprise(self.at, day=DAY)}
        self.assertEqual(names, {"研发费用补贴", "高新技术企业奖励"})

    def test_the_attribute_table_takes_a_fixed_number_of_queries(self) -> None:
        with CaptureQueriesContext(connection) as few:
            matching.attribute_table(day=DAY)
        for i in range(5):
            org = Organization.objects.create(name=f"More {i}")
            IndicatorFiling.objects.create(organization=org, year=2025, park=self.world.park["in"], revenue=1)
            Certification.objects.create(organization=org, kind="srdi", valid_from=datetime.date(2025, 1, 1))
        with CaptureQueriesContext(connection) as more:
            table = matching.attribute_table(day=DAY)
        self.assertEqual(len(more), len(few))
        self.assertLessEqual(len(more), 8)
        self.assertGreaterEqual(table.height, 9)

    def test_years_count_whole_years_to_the_day(self) -> None:
        self.at.established = datetime.date(2023, 7, 1)
        self.at.save()
        table = matching.attribute_table(Organization.objects.filter(pk=self.at.pk), day=DAY)
        self.assertEqual(table["years_since_founding"][0], 2.0)  # three years on 1 July, not on 30 June
        self.assertEqual(table["years_in_park"][0], 1.0)  # first filing for 2025: since 1 January 2025


class PageTests(TestCase):
    """The policy's page, its matches page and an enterprise's page: who is shown, and queries that do not grow."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = w = World.build()
        issuer = Organization.objects.create(name="区科技局", kind=Organization.Kind.GOVERNMENT)
        cls.policy = _policy(issuer, "研发费用补贴", [{"field": "rd_ratio", "at_least": 3}])
        for side in ("in", "out"):
            IndicatorFiling.objects.create(
                organization=w.org[side], year=2025, park=w.park[side], revenue=10_000_000, rd_expenditure=200_000
            )
        leader = Organization.objects.create(name="Leader Ltd", industry=w.industry)
        IndicatorFiling.objects.create(
            organization=leader, year=2025, park=w.park["in"], revenue=10_000_000, rd_expenditure=500_000
        )

    def _more_enterprises(self, n: int) -> None:
        for i in range(n):
            org = Organization.objects.create(name=f"Extra {i} Ltd", industry=self.world.industry)
            IndicatorFiling.objects.create(
                organization=org, year=2025, park=self.world.park["in"], revenue=1_000_000, rd_expenditure=40_000 * i
            )
            Certification.objects.create(organization=org, kind="tech_sme", valid_from=datetime.date(2025, 1, 1))

    def _queries(self, client, url: str) -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(ctx.captured_queries)

    def test_the_matches_page_shows_the_miss_and_the_gap_in_the_viewers_parks(self) -> None:
        self.client.force_login(self.world.users["park_manager"])
        response = self.client.get(f"/policies/policies/{self.policy.pk}/matches/")
        self.assertContains(response, self.world.org["in"].name)
        self.assertNotContains(response, self.world.org["out"].name)
        self.assertContains(response, "2.00%")  # the enterprise's R&D ratio
        self.assertContains(response, "1.00%")  # short by

    def test_page_queries_do_not_grow_with_enterprises(self) -> None:
        self.client.force_login(self.world.users["operator_admin"])
        pages = [
            f"/policies/policies/{self.policy.pk}/matches/",
            self.policy.get_absolute_url(),
            self.world.org["in"].get_absolute_url(),
        ]
        before = [self._queries(self.client, url) for url in pages]
        self._more_enterprises(6)
        after = [self._queries(self.client, url) for url in pages]
        self.assertEqual(after, before)

    def test_an_enterprise_page_shows_the_policies_it_nearly_qualifies_for(self) -> None:
        self.client.force_login(self.world.users["service_staff"])
        response = self.client.get(self.world.org["in"].get_absolute_url())
        self.assertContains(response, 'id="policies-qualified"')
        self.assertContains(response, "研发费用补贴")

    def test_an_enterprise_user_reads_the_matches_of_its_own_organization_only(self) -> None:
        self.client.force_login(self.world.users["enterprise_user"])
        response = self.client.get(f"/policies/policies/{self.policy.pk}/matches/")
        self.assertContains(response, self.world.org["in"].name)
        self.assertNotContains(response, self.world.org["out"].name)

    def test_the_api_lists_matches_with_the_miss_in_the_users_scope(self) -> None:
        from rest_framework.test import APIClient

        api = APIClient()
        api.force_authenticate(self.world.users["park_manager"])
        response = api.get(f"/api/policies/policies/{self.policy.pk}/matches/")
        self.assertEqual(response.status_code, 200, response.content)
        body = response.json()
        near = {m["organization"]: m for m in body["near_misses"]}
        self.assertEqual(set(near), {self.world.org["in"].pk})
        self.assertEqual(near[self.world.org["in"].pk]["misses"][0]["field"], "rd_ratio")
        self.assertEqual(Decimal(near[self.world.org["in"].pk]["misses"][0]["short_by"]), Decimal(1))
        self.assertEqual(len(body["qualifying"]), 1)  # Leader Ltd
