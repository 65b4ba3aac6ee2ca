"""Stored matches and stored outcome tables: equal to a fresh computation, refreshed when what they read changes,
read in the reader's scope on the pages and the API, in a number of queries that does not grow."""

import datetime
from io import StringIO

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from parkos.core.testing import World
from parkos.directory.models import Organization
from parkos.evaluation.models import IndicatorFiling
from parkos.policies import matching, outcomes, snapshot
from parkos.policies.models import Application, Certification, MatchSnapshot, Policy, PolicyMatch, StoredOutcome

DAY = datetime.date(2026, 6, 30)


def _said(matches):
    return [
        (m.organization_id, m.qualifies, [(x.rule, x.field, x.needed, x.actual, x.short_by) for x in m.misses])
        for m in matches
    ]


class SnapshotWorld:
    @staticmethod
    def build(test) -> None:
        test.world = w = World.build()
        test.issuer = Organization.objects.create(name="区科技局", kind=Organization.Kind.GOVERNMENT)
        test.admin = w.users["operator_admin"]
        test.manager = w.users["park_manager"]
        # R&D ratios from 1% to 6% in both parks, one enterprise with no filing
        test.enterprises = {}
        for side in ("in", "out"):
            for i in range(1, 7):
                org = Organization.objects.create(name=f"{side}-{i} Ltd", industry=w.industry)
                IndicatorFiling.objects.create(
                    organization=org,
                    year=2025,
                    park=w.park[side],
                    revenue=10_000_000,
                    rd_expenditure=100_000 * i,
                    employees=10 * i,
                )
                test.enterprises[(side, i)] = org
        Organization.objects.create(name="No filing Ltd", industry=w.industry)
        Certification.objects.create(
            organization=test.enterprises[("in", 4)], kind="high_tech", valid_from=datetime.date(2025, 1, 1)
        )
        test.rd = Policy.objects.create(
            issuer=test.issuer,
            name="研发费用补贴",
            aspect="technology",
            status=Policy.Status.OPEN,
            eligibility={"all": [{"field": "rd_ratio", "at_least": 3}, {"field": "employees", "at_least": 20}]},
        )
        test.tech = Policy.objects.create(
            issuer=test.issuer,
            name="高新技术企业奖励",
            aspect="technology",
            status=Policy.Status.OPEN,
            eligibility={"all": [{"field": "high_tech", "is": True}, {"field": "rd_ratio", "at_least": 2}]},
        )


class StoredEqualsFreshTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        SnapshotWorld.build(cls)
        snapshot.refresh(day=DAY)

    def test_stored_matches_equal_a_fresh_match_for_every_policy_and_scope(self) -> None:
        for policy in (self.rd, self.tech):
            for user in (None, self.admin, self.manager, self.world.users["enterprise_user"]):
                with self.subTest(policy=policy.name, user=getattr(user, "username", None)):
                    fresh = matching.enterprises_for_policy(policy, user=user, day=DAY)
                    stored = snapshot.enterprises_for_policy(policy, user=user)
                    self.assertEqual(_said(stored[0]), _said(fresh[0]))
                    self.assertEqual(_said(stored[1]), _said(fresh[1]))  # near misses in the same order
        self.assertTrue(snapshot.enterprises_for_policy(self.rd)[1])  # there are near misses to compare

    def test_stored_policies_of_an_enterprise_equal_a_fresh_match(self) -> None:
        for org in Organization.objects.filter(kind=Organization.Kind.ENTERPRISE):
            with self.subTest(org=org.name):
                stored, as_of = snapshot.policies_for_enterprise(org, day=DAY)
                fresh = matching.policies_for_enterprise(org, day=DAY)
                self.assertEqual(
                    [(m.policy.pk, *_said([m])) for m in stored], [(m.policy.pk, *_said([m])) for m in fresh]
                )
                self.assertIsNotNone(as_of)

    def test_the_enterprise_summary_equals_its_policies_in_one_query(self) -> None:
        """What the enterprise page's section shows: the first qualifying policies in the same order, how many
        qualify and how many nearly do, as of the same time; one query, however many policies are open."""
        for org in Organization.objects.filter(kind=Organization.Kind.ENTERPRISE):
            with self.subTest(org=org.name):
                matches, as_of = snapshot.policies_for_enterprise(org, day=DAY)
                qualifying = [m.policy.pk for m in matches if m.qualifies]
                with self.assertNumQueries(1):
                    first, total, near, summary_as_of = snapshot.qualifying_for_enterprise(org, limit=1, day=DAY)
                    names = [(p.name, p.issuer.name) for p in first]  # read with the policies
                self.assertEqual([p.pk for p in first], qualifying[:1])
                self.assertEqual(names, [(Policy.objects.get(pk=pk).name, self.issuer.name) for pk in qualifying[:1]])
                self.assertEqual((total, near), (len(qualifying), len(matches) - len(qualifying)))
                self.assertEqual(summary_as_of, as_of)
        found = {
            org.pk: snapshot.qualifying_for_enterprise(org, limit=5, day=DAY)[1:3]
            for org in Organization.objects.filter(kind=Organization.Kind.ENTERPRISE)
        }
        self.assertIn((2, 0), found.values())  # there are enterprises qualifying for both,
        self.assertTrue(any(near for _total, near in found.values()))  # and near misses to count

    def test_the_enterprise_summary_matches_a_policy_whose_rules_changed_first(self) -> None:
        org = self.enterprises[("in", 4)]
        self.assertEqual(snapshot.qualifying_for_enterprise(org, limit=5, day=DAY)[1], 2)
        self.tech.eligibility = {"all": [{"field": "rd_ratio", "at_least": 5}]}
        self.tech.save()
        first, total, near, _as_of = snapshot.qualifying_for_enterprise(org, limit=5, day=DAY)
        self.assertEqual(([p.pk for p in first], total, near), ([self.rd.pk], 1, 1))
        self.assertEqual(MatchSnapshot.objects.get(policy=self.tech).eligibility, self.tech.eligibility)

    def test_the_snapshot_counts_and_dates_its_rows(self) -> None:
        stored = MatchSnapshot.objects.get(policy=self.rd)
        self.assertEqual(stored.day, DAY)
        self.assertEqual(stored.qualifying, PolicyMatch.objects.filter(policy=self.rd, failed=0).count())
        self.assertEqual(stored.near, PolicyMatch.objects.filter(policy=self.rd, failed=1).count())
        self.assertEqual(stored.eligibility, self.rd.eligibility)


class RefreshTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        SnapshotWorld.build(cls)
        snapshot.refresh()

    def _qualifying(self, policy):
        return set(PolicyMatch.objects.filter(policy=policy, failed=0).values_list("organization_id", flat=True))

    def test_new_rules_are_matched_by_the_worker_when_the_policy_is_saved(self) -> None:
        self.rd.eligibility = {"all": [{"field": "rd_ratio", "at_least": 5}]}
        with self.captureOnCommitCallbacks(execute=True):  # the immediate task backend runs the task here
            self.rd.save()
        qualifying, _near = matching.enterprises_for_policy(self.rd)
        self.assertEqual(self._qualifying(self.rd), {m.organization_id for m in qualifying})
        self.assertEqual(len(self._qualifying(self.rd)), 4)  # 5% and 6%, in both parks
        self.assertEqual(MatchSnapshot.objects.get(policy=self.rd).eligibility, self.rd.eligibility)

    def test_a_reader_never_sees_matches_of_rules_the_policy_no_longer_has(self) -> None:
        Policy.objects.filter(pk=self.rd.pk).update(eligibility={"all": [{"field": "rd_ratio", "at_least": 6}]})
        policy = Policy.objects.get(pk=self.rd.pk)  # saved around the signals: no worker was told
        found = snapshot.StoredMatches(policy)
        self.assertEqual(len(found.qualifying), 2)
        self.assertEqual(MatchSnapshot.objects.get(policy=policy).eligibility, policy.eligibility)

    def test_a_rename_does_not_match_again(self) -> None:
        before = MatchSnapshot.objects.get(policy=self.rd).computed_at
        self.rd.name = "研发费用补贴（2026年）"
        with self.captureOnCommitCallbacks(execute=True):
            self.rd.save()
        self.assertEqual(MatchSnapshot.objects.get(policy=self.rd).computed_at, before)

    def test_a_certificate_saved_matches_its_enterprise_again(self) -> None:
        org = self.enterprises[("out", 3)]
        self.assertNotIn(org.pk, self._qualifying(self.tech))
        with self.captureOnCommitCallbacks(execute=True):
            Certification.objects.create(organization=org, kind="high_tech", valid_from=datetime.date(2025, 1, 1))
        self.assertIn(org.pk, self._qualifying(self.tech))
        self.assertEqual(
            self._qualifying(self.tech), {m.organization_id for m in matching.enterprises_for_policy(self.tech)[0]}
        )

    def test_the_command_matches_every_policy_or_those_named(self) -> None:
        PolicyMatch.objects.all().delete()
        out = StringIO()
        call_command("policy_matches", stdout=out)
        self.assertIn("2 policies", out.getvalue())
        self.assertEqual(
            self._qualifying(self.rd), {m.organization_id for m in matching.enterprises_for_policy(self.rd)[0]}
        )
        call_command("policy_matches", "--policy", str(self.tech.pk), stdout=out)
        with self.assertRaisesMessage(CommandError, "--policy: no policy 999999"):
            call_command("policy_matches", "--policy", "999999", stdout=out)


class ScopeAndQueryTests(TestCase):
    """Each role reads only the enterprises of its scope, on the pages and the API, as stored."""

    @classmethod
    def setUpTestData(cls) -> None:
        SnapshotWorld.build(cls)
        snapshot.refresh()

    def test_pages_and_api_show_only_the_readers_enterprises_with_the_date(self) -> None:
        inside, outside = self.enterprises[("in", 5)].name, self.enterprises[("out", 5)].name
        api = APIClient()
        for role, sees_out in (("operator_admin", True), ("park_manager", False), ("service_staff", False)):
            user = self.world.users[role]
            client = Client()
            client.force_login(user)
            for url in (self.rd.get_absolute_url(), reverse("policies:policy_matches", args=[self.rd.pk])):
                with self.subTest(role=role, url=url):
                    response = client.get(url)
                    self.assertContains(response, inside)
                    (self.assertContains if sees_out else self.assertNotContains)(response, outside)
                    self.assertContains(response, 'class="small text-secondary as-of"')
            api.force_authenticate(user)
            body = api.get(f"/api/policies/policies/{self.rd.pk}/matches/").json()
            ids = {m["organization"] for m in body["qualifying"]}
            self.assertIn(self.enterprises[("in", 5)].pk, ids)
            self.assertEqual(self.enterprises[("out", 5)].pk in ids, sees_out)
            self.assertIsNotNone(body["as_of"])

    def test_the_as_of_date_reads_in_chinese(self) -> None:
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(self.admin)
        response = client.get(reverse("policies:policy_matches", args=[self.rd.pk]))
        when = timezone.localtime(MatchSnapshot.objects.get(policy=self.rd).computed_at).strftime("%Y-%m-%d %H:%M")
        self.assertContains(response, f"按 {when} 的企业数据匹配")

    def test_the_enterprise_reads_its_policies_as_stored(self) -> None:
        client = Client()
        client.force_login(self.world.users["enterprise_user"])
        response = client.get(reverse("policies:for_you"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'class="small text-secondary as-of"')

    def test_outcome_tables_per_scope_equal_the_live_computation(self) -> None:
        for org in (self.enterprises[("in", 6)], self.enterprises[("out", 6)]):
            Application.objects.create(
                policy=self.rd, applicant=org, status="approved", submitted_at=timezone.now(), park=None
            )
        for role in ("operator_admin", "park_manager", "government_partner"):
            user = self.world.users[role]
            with self.subTest(role=role):
                outcomes.stored_outcomes([self.rd, self.tech], user)  # computed and stored
                with CaptureQueriesContext(connection) as ctx:
                    stored = outcomes.stored_outcomes([self.rd, self.tech], user)  # read as stored
                self.assertLessEqual(len(ctx.captured_queries), 6)
                live = outcomes.outcomes_for([self.rd, self.tech], user)
                for a, b in zip(stored, live, strict=True):
                    self.assertEqual(outcomes._to_json(a), outcomes._to_json(b))
        admin = outcomes.policy_outcomes(self.rd, user=self.admin)
        manager = outcomes.policy_outcomes(self.rd, user=self.manager)
        self.assertGreater(admin.unsupported.size, manager.unsupported.size)  # the other park's enterprises

    def test_a_decision_marks_the_table_stale_and_the_worker_recomputes_it(self) -> None:
        org = self.enterprises[("in", 6)]
        # made before the table is computed (bulk: no signal; the decision below is the change under test)
        (application,) = Application.objects.bulk_create(
            [Application(policy=self.rd, applicant=org, status="submitted", submitted_at=timezone.now())]
        )
        before = outcomes.policy_outcomes(self.rd, user=self.admin)
        self.assertEqual((before.supported.size, before.waiting), (0, 1))
        application.status = "approved"
        with self.captureOnCommitCallbacks(execute=True):
            application.save()
        row = StoredOutcome.objects.get(policy=self.rd, audience=outcomes.audience(self.admin))
        self.assertIsNotNone(row.computed_at)  # recomputed by the worker, not left for the reader
        after = outcomes.policy_outcomes(self.rd, user=self.admin)
        self.assertEqual((after.supported.size, after.waiting), (1, 0))
        self.assertEqual(outcomes._to_json(after), outcomes._to_json(outcomes.outcomes_for([self.rd], self.admin)[0]))

    def test_pages_do_not_grow_with_enterprises_or_policies(self) -> None:
        client = Client()
        client.force_login(self.manager)
        urls = [
            reverse("policies:outcomes"),
            reverse("policies:policy_outcomes", args=[self.rd.pk]),
            self.rd.get_absolute_url(),
            reverse("policies:policy_matches", args=[self.rd.pk]),
            f"{reverse('policies:for_you')}?organization={self.enterprises[('in', 5)].pk}",
        ]

        def queries():
            counts = []
            for url in urls:
                client.get(url)
                with CaptureQueriesContext(connection) as ctx:
                    self.assertEqual(client.get(url).status_code, 200)
                counts.append(len(ctx.captured_queries))
            return counts

        before = queries()
        for i in range(5):
            org = Organization.objects.create(name=f"more-{i} Ltd", industry=self.world.industry)
            IndicatorFiling.objects.create(
                organization=org, year=2025, park=self.world.park["in"], revenue=1_000_000, rd_expenditure=90_000
            )
            Policy.objects.create(
                issuer=self.issuer, name=f"政策{i}", aspect="technology", status=Policy.Status.OPEN, eligibility={}
            )
        snapshot.refresh()
        outcomes.refresh_stored()
        self.assertEqual(queries(), before)
