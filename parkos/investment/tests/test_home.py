"""The home page's "needs attention" items for investment: what is behind, due, or late."""

import datetime

from django.apps import apps
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from parkos.core.testing import World
from parkos.investment.models import Agreement, Commitment, CommitmentStatus, Contact, FollowUpTask
from parkos.investment.tests.test_views import agreement_for


class AttentionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        today = timezone.localdate()
        cls.behind = agreement_for(cls.world, "in")
        Commitment.objects.create(
            agreement=cls.behind,
            party=cls.behind.parties.first(),
            kind=Commitment.Kind.MILESTONE,
            description="Start of construction",
            due_date=today - datetime.timedelta(days=3),
        )
        cls.quiet = agreement_for(cls.world, "in", contact_cadence=Agreement.Cadence.QUARTERLY)
        cls.outside = agreement_for(cls.world, "out")
        Commitment.objects.create(
            agreement=cls.outside,
            party=cls.outside.parties.first(),
            kind=Commitment.Kind.MILESTONE,
            due_date=today - datetime.timedelta(days=3),
        )
        contact = Contact.objects.create(date=today, subject="Kick-off", park=cls.world.park["in"])
        cls.staff = cls.world.users["investment_staff"]
        FollowUpTask.objects.create(
            contact=contact, description="Send draft", owner=cls.staff, due_date=today - datetime.timedelta(days=1)
        )

    def attention(self, user) -> dict:
        """The items the home page lists; for a role whose home is another page (the cockpit), those the app
        hands it all the same."""
        self.client.force_login(user)
        response = self.client.get(reverse("home"))
        if response.status_code == 302:
            items = [item for item in apps.get_app_config("investment").attention(user) if item["count"]]
        else:
            self.assertEqual(response.status_code, 200)
            items = response.context["attention"]
        found = {str(item["label"]): item for item in items}
        # a count whose list a home panel opens is shown by the panel (core.home), under the same words
        for panel in response.context["panels"] if response.status_code == 200 else []:
            if panel.count:
                found.setdefault(str(panel.title), {"label": panel.title, "count": panel.count, "url": panel.url})
        return found

    def test_staff_see_what_is_behind_in_their_parks_only(self):
        items = self.attention(self.staff)
        self.assertEqual(items["Agreements with overdue commitments"]["count"], 1)
        self.assertEqual(items["Agreements due for their regular contact"]["count"], 1)
        self.assertEqual(items["My follow-up tasks past their due date"]["count"], 1)

    def test_each_item_links_to_a_list_showing_the_same_rows(self):
        items = self.attention(self.staff)
        for label in ("Agreements with overdue commitments", "Agreements due for their regular contact"):
            response = self.client.get(items[label]["url"])
            self.assertEqual(response.status_code, 200, label)
            self.assertEqual(response.context["table"].paginator.count, items[label]["count"], label)

    def test_government_partner_sees_agreements_items_but_no_pipeline_tasks(self):
        items = self.attention(self.world.users["government_partner"])
        self.assertEqual(items["Agreements with overdue commitments"]["count"], 1)
        self.assertNotIn("My follow-up tasks past their due date", items)

    def test_admin_sees_both_sides(self):
        items = self.attention(self.world.users["operator_admin"])
        self.assertEqual(items["Agreements with overdue commitments"]["count"], 2)


class OneStatementCountsTests(AttentionTests):
    """issue 16: the home's investment counts in fewer statements, the same figures."""

    ROLES = (
        "operator_admin",
        "investment_staff",
        "park_manager",
        "government_partner",
        "enterprise_user",
        "service_staff",
    )

    def test_counts_are_each_querysets_count_in_one_statement(self):
        from parkos.investment.home import counts
        from parkos.investment.services import agreements_due_for_contact

        today = timezone.localdate()
        for role in self.ROLES:
            user = self.world.users[role]
            with self.subTest(role=role):
                querysets = [
                    Agreement.objects.restrict(user),
                    agreements_due_for_contact(Agreement.objects.restrict(user), today),
                    Commitment.objects.restrict(user).filter(due_date__lt=today),
                    FollowUpTask.objects.restrict(user).filter(done_on__isnull=True),
                ]
                expected = [queryset.count() for queryset in querysets]
                # a scope that is nothing (restrict's .none()) counts 0 without SQL
                with self.assertNumQueries(0 if all(q.query.is_empty() for q in querysets) else 1):
                    self.assertEqual(counts(*querysets), expected)
        with self.assertNumQueries(0):
            self.assertEqual(counts(Agreement.objects.none(), Commitment.objects.none()), [0, 0])

    def test_first_rows_count_what_count_gives(self):
        from parkos.investment.home import first_rows

        for queryset in (
            Agreement.objects.order_by("pk"),
            Agreement.objects.filter(title__startswith="nothing").order_by("pk"),
            Commitment.objects.order_by("due_date", "pk"),
        ):
            with self.subTest(model=queryset.model.__name__), self.assertNumQueries(1):
                n, rows = first_rows(queryset, "pk")
            self.assertEqual(n, queryset.count())
            self.assertEqual([row[0] for row in rows], list(queryset.values_list("pk", flat=True)[:5]))

    def test_panels_list_the_rows_of_their_lists_in_three_queries(self):
        from parkos.investment.home import home_panels

        today = timezone.localdate()
        Commitment.objects.create(
            agreement=self.behind,
            party=self.behind.parties.first(),
            kind=Commitment.Kind.JOBS,
            target_value=40,
            unit="jobs",
            due_date=today + datetime.timedelta(days=10),
        )
        home_panels(self.staff)  # the permission caches
        with self.assertNumQueries(3):  # the pipeline by stage; each queue's rows with its count
            panels = {panel.key: panel for panel in home_panels(self.staff)}
        contacts, commitments = panels["investment.contacts"], panels["investment.commitments"]
        self.assertEqual([item.label for item in contacts.items], [str(self.quiet)])
        self.assertEqual(contacts.items[0].url, self.quiet.get_absolute_url())
        self.assertEqual(contacts.count, 1)
        due = (
            Commitment.objects.restrict(self.staff)
            .in_status(CommitmentStatus.AT_RISK, today)
            .filter(due_date__lte=today + datetime.timedelta(days=30))
            .order_by("due_date", "pk")
            .select_related("agreement")
        )
        self.assertEqual(commitments.count, due.count())
        self.assertEqual(commitments.count, 1)
        self.assertEqual(
            [(item.label, item.url, item.detail, item.when, item.tone) for item in commitments.items],
            [(c.description or str(c), c.get_absolute_url(), str(c.agreement), c.due_date, "orange") for c in due],
        )
        self.assertEqual(commitments.items[0].label, "Jobs: 40 jobs")

    def test_attention_counts_equal_the_implementation_filters(self):
        """The agreements overdue and at risk counted by one grouping equal ``implementation_q``'s counts; the
        items whose lists the investment panels open are left to the panels (core leaves them out anyway)."""
        from parkos.investment.selectors import implementation_q

        config = apps.get_app_config("investment")
        today = timezone.localdate()
        for role in self.ROLES:
            user = self.world.users[role]
            with self.subTest(role=role):
                items = {item["url"]: item for item in config.attention(user)}
                for status in ("overdue", "at_risk"):
                    url = f"{reverse('investment:agreement_list')}?implementation={status}"
                    if url in items:
                        expected = Agreement.objects.restrict(user).filter(implementation_q(status, today)).count()
                        self.assertEqual(items[url]["count"], expected)
                panels = {panel.url for panel in config.home_panels(user)}
                self.assertFalse(panels & set(items), "an item a panel opens is the panel's")

    def test_attention_is_two_statements(self):
        config = apps.get_app_config("investment")
        manager = self.world.users["park_manager"]
        config.attention(manager)  # the permission caches
        with self.assertNumQueries(2):
            items = config.attention(manager)
        self.assertIn("Agreements due for their regular contact", {str(item["label"]) for item in items})


class AgreementsBehindTests(TestCase):
    """selectors.agreements_behind (issue 16): the agreements overdue and at risk counted from their unmet
    commitments overdue or at risk, equal to implementation_q's counts and implementation_totals' for each role,
    whatever mix of statuses an agreement's commitments have."""

    @classmethod
    def setUpTestData(cls):
        from decimal import Decimal

        cls.world = World.build()
        today = timezone.localdate()
        day = datetime.timedelta(days=1)
        mixes = {
            # each agreement's commitments: (due date, midpoint (save computes it), target, latest, met on)
            "overdue and at risk": [
                (today - 3 * day, None, None, None, None),
                (today + 5 * day, None, None, None, None),
            ],
            "at risk by date": [
                (today + 10 * day, None, None, None, None),
                (today + 400 * day, None, None, None, None),
            ],
            "behind half way": [(today + 400 * day, None, Decimal(100), Decimal(10), None)],
            "half way, on track": [(today + 400 * day, today - day, Decimal(100), Decimal(60), None)],
            "met late": [(today - 30 * day, None, None, None, today - day)],
            "due today": [(today, None, None, None, None)],
            "nothing": [],
        }
        for i, commitments in enumerate(mixes.values()):
            agreement = agreement_for(cls.world, "in" if i % 2 else "out")
            for due_date, midpoint, target, latest, met_on in commitments:
                Commitment.objects.create(
                    agreement=agreement,
                    party=agreement.parties.first(),
                    kind=Commitment.Kind.JOBS,
                    due_date=due_date,
                    midpoint=midpoint,
                    target_value=target,
                    latest_value=latest,
                    met_on=met_on,
                )

    def test_equal_to_the_implementation_filters_and_totals(self):
        from parkos.investment.selectors import agreements_behind, implementation_q, implementation_totals

        today = timezone.localdate()
        for role in ("operator_admin", "investment_staff", "park_manager", "government_partner", "enterprise_user"):
            with self.subTest(role=role):
                agreements = Agreement.objects.restrict(self.world.users[role])
                expected = tuple(
                    agreements.filter(implementation_q(status, today)).count() for status in ("overdue", "at_risk")
                )
                self.assertEqual(agreements_behind(agreements, today), expected)
                totals = implementation_totals(agreements, today)[0]
                self.assertEqual(expected, (totals["overdue"], totals["at_risk"]))
        everything = Agreement.objects.all()
        self.assertEqual(
            agreements_behind(everything, today),
            tuple(everything.filter(implementation_q(status, today)).count() for status in ("overdue", "at_risk")),
        )
        self.assertEqual(agreements_behind(everything, today)[0], 1)
        self.assertGreaterEqual(
            agreements_behind(everything, today)[1], 2
        )  # by date, due today (and behind half way once past its midpoint)
        self.assertEqual(agreements_behind(Agreement.objects.none(), today), (0, 0))
        with self.assertNumQueries(1):
            agreements_behind(everything.filter(kind=Agreement.Kind.INVESTMENT), today)
