"""Each role's home shows the queues of its own work, in its own parks, and no other role's; a fixed number of
queries whatever the number of rows."""

import datetime

from django.contrib.auth.models import Group
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from parkos.core.permissions import fallback_group_name
from parkos.core.testing import World
from parkos.directory.models import Organization
from parkos.evaluation.models import Appeal, IndicatorFiling
from parkos.evaluation.tests.test_appeals import result_for
from parkos.investment.models import Commitment, Project
from parkos.investment.tests.test_views import agreement_for
from parkos.leasing.tests.test_views import lease_for
from parkos.portal.services import profile_change_propose
from parkos.services.tests.test_views import request_for
from parkos.users.models import User

#: role -> the panels its home shows (and no other)
PANELS = {
    "park_manager": {"leasing.parks", "leasing.expiring", "leasing.vacancies", "portal.proposals"},
    "service_staff": {"services.mine", "services.unassigned", "services.overdue", "portal.proposals"},
    "evaluation_officer": {"evaluation.appeals", "evaluation.runs", "evaluation.missing"},
    "investment_staff": {"investment.pipeline", "investment.contacts", "investment.commitments"},
}
#: the most queries a home may take, whatever its role and the rows behind it
MAX_QUERIES = 20


class HomeQueueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.users = cls.world.users
        for side in ("in", "out"):
            cls.add_work(side)

    @classmethod
    def add_work(cls, side):
        """One of each queue's rows in ``side``'s park."""
        world, today = cls.world, timezone.localdate()
        now = timezone.now()
        late = now - datetime.timedelta(days=40)
        request_for(world, side, title=f"Mine {side}", assigned_to=cls.users["service_staff"] if side == "in" else None)
        request_for(world, side, title=f"Unassigned late {side}", requested_at=late)
        lease_for(
            world,
            side,
            tenant=world.org[side],
            start_date=today.replace(day=1) - datetime.timedelta(days=400),
            end_date=today + datetime.timedelta(days=20),
        )
        Appeal.objects.create(result=result_for(world, side), reason=f"Appeal {side}")
        filer = world.org[side] if not IndicatorFiling.objects.filter(organization=world.org[side]).exists() else None
        filer = filer or Organization.objects.create(name=f"Filer {side} {world.seq()}", industry=world.industry)
        IndicatorFiling.objects.create(organization=filer, park=world.park[side], year=today.year - 2)
        Project.objects.create(name=f"Project {side} {world.seq()}", park=world.park[side], stage="negotiating")
        agreement = agreement_for(world, side)
        Commitment.objects.create(
            agreement=agreement,
            party=agreement.parties.first(),
            kind=Commitment.Kind.MILESTONE,
            description=f"Ground-breaking {side}",
            due_date=today + datetime.timedelta(days=10),
        )
        enterprise = User.objects.create_user(username=f"ent-{side}-{world.seq()}")
        enterprise.groups.add(Group.objects.get(name="enterprise_user"))
        enterprise.organizations.add(world.org[side])
        profile_change_propose(organization=world.org[side], user=enterprise, changes={"website": f"https://{side}.cn"})

    def home(self, role):
        self.client.force_login(self.users[role] if isinstance(role, str) else role)
        response = self.client.get(reverse("home"))
        self.assertEqual(response.status_code, 200)
        return response, {panel.key: panel for panel in response.context["panels"]}

    def test_each_role_sees_its_queues_and_no_other_roles(self):
        for role, expected in PANELS.items():
            with self.subTest(role):
                _response, panels = self.home(role)
                self.assertEqual(set(panels), expected)

    def test_the_wall_of_record_counts_is_gone(self):
        response, _panels = self.home("park_manager")
        self.assertNotIn("tiles", response.context)
        self.assertNotContains(response, 'class="h1 mb-0"')  # a record-count tile

    def test_queues_hold_only_the_users_parks(self):
        _r, panels = self.home("park_manager")
        self.assertEqual([item.label for item in panels["leasing.parks"].items], ["Park in"])
        self.assertEqual(panels["leasing.expiring"].count, 1)
        self.assertEqual([item.label for item in panels["leasing.expiring"].items], ["Org in Ltd"])
        self.assertEqual(panels["portal.proposals"].count, 1)
        _r, panels = self.home("service_staff")
        self.assertEqual([i.label for i in panels["services.mine"].items], ["Mine in"])
        self.assertEqual([i.label for i in panels["services.unassigned"].items], ["Unassigned late in"])
        self.assertEqual([i.label for i in panels["services.overdue"].items], ["Unassigned late in"])
        self.assertEqual(panels["services.overdue"].items[0].tone, "red")
        _r, panels = self.home("evaluation_officer")
        self.assertEqual([i.label for i in panels["evaluation.appeals"].items], ["Org in Ltd"])
        self.assertEqual([i.label for i in panels["evaluation.missing"].items], ["Org in Ltd"])
        _r, panels = self.home("investment_staff")
        self.assertEqual(panels["investment.pipeline"].count, 1)
        self.assertEqual([i.label for i in panels["investment.commitments"].items], ["Ground-breaking in"])

    def test_an_enterprise_that_filed_this_year_is_not_missing(self):
        """The missing filings (an anti join since issue 16) are last year's filers with no filing this year."""
        year = timezone.localdate().year - 1  # evaluation.home.filing_year
        world = self.world
        filed = Organization.objects.create(name=f"Filed both {world.seq()}", industry=world.industry)
        late = Organization.objects.create(name=f"A late filer {world.seq()}", industry=world.industry)
        for organization in (filed, late):
            IndicatorFiling.objects.create(organization=organization, park=world.park["in"], year=year - 1)
        IndicatorFiling.objects.create(organization=filed, park=world.park["out"], year=year)  # another park counts
        _r, panels = self.home("evaluation_officer")
        labels = [i.label for i in panels["evaluation.missing"].items]
        self.assertIn(late.name, labels)
        self.assertNotIn(filed.name, labels)
        expected = (
            IndicatorFiling.objects.restrict(self.users["evaluation_officer"])
            .filter(year=year - 1)
            .exclude(organization__in=IndicatorFiling.objects.filter(year=year).values("organization"))
            .count()
        )
        self.assertEqual(panels["evaluation.missing"].count, expected)  # as NOT IN counted them

    def test_each_panel_links_to_the_list_that_adds_up_to_it(self):
        lists = {
            "services.mine",
            "services.unassigned",
            "services.overdue",
            "portal.proposals",
            "evaluation.appeals",
            "evaluation.missing",
            "investment.contacts",
            "investment.commitments",
        }
        for role in PANELS:
            _r, panels = self.home(role)
            for key in lists & set(panels):
                with self.subTest(key):
                    page = self.client.get(panels[key].url)
                    self.assertEqual(page.status_code, 200)
                    self.assertEqual(page.context["table"].paginator.count, panels[key].count)
                    for item in panels[key].items:
                        self.assertEqual(self.client.get(item.url).status_code, 200, item.url)

    def test_the_leasing_panels_add_up_to_their_reports(self):
        _r, panels = self.home("park_manager")
        alerts = self.client.get(panels["leasing.expiring"].url)
        self.assertEqual(alerts.status_code, 200)
        self.assertEqual(
            sum(count for _months, _rows, count in alerts.context["buckets"]), panels["leasing.expiring"].count
        )
        for key in ("leasing.parks", "leasing.vacancies"):
            self.assertEqual(self.client.get(panels[key].url).status_code, 200, key)
            for item in panels[key].items:
                self.assertEqual(self.client.get(item.url).status_code, 200, item.url)

    def test_a_fallback_sees_the_uncovered_parks_work_on_its_home(self):
        officer = User.objects.create_user(username="evaluation-office")
        officer.groups.add(Group.objects.get(name="evaluation_officer"))
        officer.groups.add(Group.objects.get(name=fallback_group_name("evaluation_officer")))
        _r, panels = self.home(officer)
        # "Park in" is the assigned officer's; "Park out" has no officer: its appeal is the fallback's
        self.assertEqual([i.detail for i in panels["evaluation.appeals"].items], ["Park out"])
        page = self.client.get(panels["evaluation.appeals"].items[0].url)
        self.assertEqual(page.status_code, 200)

    def test_the_home_reads_in_chinese(self):
        self.client.force_login(self.users["service_staff"])
        with translation.override("zh-hans"):
            response = self.client.get(reverse("home"), headers={"accept-language": "zh-hans"})
        self.assertContains(response, "我负责的诉求（按期限）")
        self.assertNotContains(response, "My requests by deadline")

    def test_the_query_count_is_fixed_whatever_the_rows(self):
        def count(role):
            self.client.force_login(self.users[role])
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(reverse("home")).status_code, 200)
            return len(queries)

        before = {role: count(role) for role in PANELS}
        for _ in range(3):
            self.add_work("in")
        for role, n in before.items():
            with self.subTest(role):
                self.assertEqual(count(role), n)
                self.assertLessEqual(n, MAX_QUERIES)
