"""Commitments checked against the facts: each measure's source, the yearly reconciliation and its edges."""

import datetime
from decimal import Decimal
from unittest import mock

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from parkos.core.testing import World
from parkos.directory.models import Organization
from parkos.evaluation.models import IndicatorFiling
from parkos.investment.models import (
    Agreement,
    CheckOutcome,
    Commitment,
    CommitmentCheck,
    ExchangeRate,
    Party,
    Progress,
    Project,
    Stage,
    StageChange,
)
from parkos.investment.selectors import CHECK_GROUPS, check_summaries, check_summary, latest_check_year, visible_checks
from parkos.investment.services import reconcile_commitments
from parkos.investment.signals import commitment_missed
from parkos.leasing.models import Lease, Sale
from parkos.parks.models import SpaceUnit

D = datetime.date
K = Commitment.Kind
TODAY = D(2026, 3, 1)  # the filings of 2025 are in
SIGNED = D(2024, 1, 1)
END_2025 = D(2025, 12, 31)

#: a row of the checks' tables as commitment_checks.html's loop wrote it before reports.check_rows_html
OLD_CHECK_ROW = (
    '\n        <tr data-key="{{ row.key }}"><td>{% if group.by == "agreement" and not '
    "pdf %}<a href=\"{% url 'investment:agreement' row.key %}\">{{ row.label }}</a>{% e"
    'lse %}{{ row.label }}{% endif %}</td><td class="text-end">{{ row.met|intcomma }}'
    '</td><td class="text-end">{{ row.behind|intcomma }}</td><td class="text-end">{{ '
    'row.missed|intcomma }}</td><td class="text-end">{{ row.open|intcomma }}</td></tr'
    ">\n        "
)


class Receiver:
    def __init__(self):
        self.calls: list[dict] = []

    def __call__(self, sender, **kwargs):
        kwargs.pop("signal", None)
        self.calls.append({"sender": sender, **kwargs})


class ReconcileTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        w = cls.world = World.build()
        cls.park = w.park["in"]
        cls.project = Project.objects.create(name="Alpha plant", park=cls.park, stage=Stage.SIGNED, stage_since=SIGNED)
        StageChange.objects.create(project=cls.project, stage=Stage.SIGNED, date=SIGNED)
        StageChange.objects.create(
            project=cls.project, stage=Stage.IN_OPERATION, previous_stage=Stage.SIGNED, date=D(2025, 5, 1)
        )
        cls.investor = Organization.objects.create(name="Alpha Investor Co")
        # Organization "in" (the users' organization) is the government party; the investor promises.
        cls.agreement = cls.make_agreement(w.org["in"], cls.investor, project=cls.project)
        cls.inv_party = cls.agreement.parties.get(organization=cls.investor)
        cls.gov_party = cls.agreement.parties.get(organization=w.org["in"])
        IndicatorFiling.objects.create(
            organization=cls.investor, year=2024, park=cls.park, tax=Decimal(1_000_000), revenue=Decimal(4e7)
        )
        IndicatorFiling.objects.create(
            organization=cls.investor,
            year=2025,
            park=cls.park,
            revenue=Decimal(50_000_000),
            tax=Decimal(2_000_000),
            employees=120,
            rd_expenditure=Decimal(5_000_000),
            value_added=Decimal(10_000_000),
            land_area=Decimal(20_000),  # 30 mu
        )
        unit = SpaceUnit.objects.create(building=w.building["in"], code="U-1", area=Decimal(200))
        rent = {"rent_amount": Decimal(1), "currency": "CNY"}
        Lease.objects.create(
            tenant=cls.investor, park=cls.park, leased_area=800, start_date=D(2024, 6, 1), status="in_force", **rent
        )
        lease = Lease.objects.create(
            tenant=cls.investor, park=cls.park, start_date=D(2025, 1, 1), status="signed", **rent
        )
        lease.units.add(unit)
        Lease.objects.create(  # ended before the date: not counted
            tenant=cls.investor,
            park=cls.park,
            leased_area=Decimal(999),
            start_date=D(2024, 1, 1),
            end_date=D(2024, 12, 31),
            status="expired",
            **rent,
        )
        Sale.objects.create(
            buyer=cls.investor,
            park=cls.park,
            area=Decimal(300),
            contract_date=D(2025, 3, 1),
            price_amount=Decimal(1),
            price_currency="CNY",
        )

    @classmethod
    def make_agreement(cls, government, investor, **extra) -> Agreement:
        n = cls.world.seq()
        agreement = Agreement.objects.create(
            kind=Agreement.Kind.INVESTMENT,
            title=f"Agreement {n}",
            park=extra.pop("park", cls.world.park["in"]),
            status=Agreement.Status.SIGNED,
            signed_on=SIGNED,
            **extra,
        )
        Party.objects.create(agreement=agreement, organization=government, role=Party.Role.GOVERNMENT)
        Party.objects.create(agreement=agreement, organization=investor, role=Party.Role.INVESTOR)
        return agreement

    def commit(self, kind, target=None, due=END_2025, unit="", party=None, **extra) -> Commitment:
        return Commitment.objects.create(
            agreement=extra.pop("agreement", self.agreement),
            party=party or self.inv_party,
            kind=kind,
            target_value=None if target is None else Decimal(target),
            unit=unit,
            due_date=due,
            **extra,
        )

    def reconcile(self, year=2025, today=TODAY, user=None, **kwargs):
        return reconcile_commitments(year=year, user=user, today=today, **kwargs)

    def check(self, commitment, year=2025) -> CommitmentCheck:
        return CommitmentCheck.objects.get(commitment=commitment, year=year)


class MeasureSourceTests(ReconcileTests):
    """Each measure reads its actual from its source."""

    def test_each_measure_maps_to_its_source(self):
        cases = [
            # kind, basis, unit, expected actual, source, field
            (K.ANNUAL_OUTPUT, "", "CNY", Decimal(50_000_000), "filing", "revenue"),  # no output filed: revenue
            (K.ANNUAL_TAX, "", "CNY", Decimal(2_000_000), "filing", "tax"),
            (K.ANNUAL_TAX, "cumulative", "CNY", Decimal(3_000_000), "filing", "tax"),
            (K.TAX_PER_MU, "", "CNY/mu", Decimal("66666.6667"), "filing", "tax,land_area"),
            (K.JOBS, "", "", Decimal(120), "filing", "employees"),
            (K.RD_SHARE, "", "", Decimal(10), "filing", "rd_expenditure"),
            (K.VALUE_ADDED, "", "CNY", Decimal(10_000_000), "filing", "value_added"),
            (K.FLOOR_AREA_LEASED, "", "", Decimal(1000), "leasing", "leases"),  # 800 + a unit of 200
            (K.FLOOR_AREA_PURCHASED, "", "", Decimal(300), "leasing", "sales"),
        ]
        made = [(self.commit(kind, 1, unit=unit, basis=basis), *rest) for kind, basis, unit, *rest in cases]
        construction = self.commit(K.CONSTRUCTION_STARTED)
        operation = self.commit(K.IN_OPERATION)
        investment = self.commit(K.INVESTMENT, 1000, unit="CNY")
        Progress.objects.create(commitment=investment, date=D(2025, 9, 1), value=Decimal(700))
        self.reconcile()
        for commitment, actual, source, field in made:
            check = self.check(commitment)
            self.assertEqual((check.actual, check.source, check.source_field), (actual, source, field), commitment.kind)
        for milestone in (construction, operation):  # in operation on 1 May: construction had started too
            check = self.check(milestone)
            self.assertEqual((check.source, check.actual_on, check.outcome), ("stage", D(2025, 5, 1), "met"))
        check = self.check(investment)
        self.assertEqual((check.source, check.actual, check.outcome), ("entered", Decimal(700), "missed"))
        self.assertEqual(check.gap, Decimal(300))
        self.assertFalse(investment.is_computed)
        self.assertIn("2025", self.check(made[1][0]).source_text)

    def test_the_facts_decide_a_computed_commitment_status(self):
        jobs = self.commit(K.JOBS, 100, due=D(2026, 12, 31))
        Progress.objects.create(commitment=jobs, date=D(2025, 6, 1), value=Decimal(10))  # a hand entry, outvoted
        self.reconcile()
        jobs.refresh_from_db()
        self.assertEqual((jobs.latest_value, jobs.met_on), (Decimal(120), D(2025, 12, 31)))
        self.assertEqual(jobs.status(TODAY), "met")
        jobs.save()  # a later save keeps the facts
        jobs.refresh_from_db()
        self.assertEqual(jobs.latest_value, Decimal(120))

    def test_a_wrong_basis_is_refused(self):
        commitment = Commitment(
            agreement=self.agreement, party=self.inv_party, kind=K.JOBS, target_value=5, basis="per_mu"
        )
        with self.assertRaises(ValidationError) as raised:
            commitment.full_clean()
        self.assertIn("basis", raised.exception.message_dict)


class EdgeTests(ReconcileTests):
    def test_due_today_is_not_yet_missed(self):
        jobs = self.commit(K.JOBS, 500, due=D(2026, 6, 30))
        self.reconcile(year=2026, today=D(2026, 6, 30))
        check = self.check(jobs, 2026)
        self.assertEqual(check.outcome, CheckOutcome.OPEN)  # no 2026 filing yet, and not due: open
        Progress.objects.create(commitment=jobs, date=D(2026, 6, 1), value=Decimal(100))
        self.reconcile(year=2026, today=D(2026, 6, 30))
        self.assertEqual(self.check(jobs, 2026).outcome, CheckOutcome.BEHIND)
        self.reconcile(year=2026, today=D(2026, 7, 1))
        check = self.check(jobs, 2026)
        self.assertEqual((check.outcome, check.gap), (CheckOutcome.MISSED, Decimal(400)))

    def test_no_filing_for_the_year(self):
        other = Organization.objects.create(name="No Filing Co")
        agreement = self.make_agreement(self.world.org["in"], other)
        party = agreement.parties.get(organization=other)
        due = self.commit(K.ANNUAL_TAX, 100, unit="CNY", agreement=agreement, party=party, due=D(2025, 6, 30))
        later = self.commit(K.ANNUAL_TAX, 100, unit="CNY", agreement=agreement, party=party, due=D(2027, 6, 30))
        self.reconcile()
        check = self.check(due)
        self.assertEqual((check.outcome, check.source, check.actual), ("missed", "none", None))
        self.assertEqual(check.source_text, "No figure")
        self.assertEqual((self.check(later).outcome, self.check(later).actual), ("open", None))

    def test_partial_year_prorates_the_target(self):
        IndicatorFiling.objects.filter(organization=self.investor, year=2025).update(
            production_start=D(2025, 7, 1), industrial_output=Decimal(60_000_000)
        )
        output = self.commit(K.ANNUAL_OUTPUT, 100_000_000, unit="CNY", due=D(2025, 6, 30))
        self.reconcile()
        check = self.check(output)
        # 184 of 365 days in production: 100 million × 0.5041 = 50.41 million expected, 60 million made
        self.assertEqual((check.production_share, check.path), (Decimal("0.5041"), Decimal("50410000.0000")))
        self.assertEqual((check.outcome, check.source_field), ("met", "industrial_output"))

    def test_behind_the_pro_rated_path(self):
        # counted from 2024-01-01, due 2027-12-31: by the end of 2025 half the term has passed
        jobs = self.commit(K.JOBS, 400, due=D(2027, 12, 31))
        self.reconcile()
        check = self.check(jobs)
        self.assertEqual(check.outcome, "behind")
        self.assertEqual(check.gap, check.path - 120)
        self.assertAlmostEqual(float(check.path), 200.0, delta=0.5)

    def test_currency_converted_at_the_years_rate(self):
        tax = self.commit(K.ANNUAL_TAX, 300_000, unit="USD")
        with self.assertRaises(ValidationError) as raised:
            self.reconcile()
        message = " ".join(raised.exception.message_dict["year"])
        self.assertIn("USD", message)
        self.assertIn("2025-12-31", message)
        self.assertFalse(CommitmentCheck.objects.exists())  # nothing half-written
        ExchangeRate.objects.create(currency="USD", rate=Decimal("7.1"), valid_from=D(2025, 1, 1))
        ExchangeRate.objects.create(currency="USD", rate=Decimal("1"), valid_from=D(2026, 1, 1))  # not yet
        self.reconcile()
        check = self.check(tax)
        self.assertEqual((check.rate, check.actual), (Decimal("7.1"), Decimal("281690.1408")))
        self.assertEqual(check.outcome, "missed")


class RunTests(ReconcileTests):
    def setUp(self):
        self.receiver = Receiver()
        commitment_missed.connect(self.receiver)
        self.addCleanup(commitment_missed.disconnect, self.receiver)

    def test_idempotent_and_the_signal_once_with_its_arguments(self):
        missed = self.commit(K.JOBS, 500, due=D(2025, 6, 30))
        self.commit(K.JOBS, 100, due=D(2025, 6, 30))  # met
        result = self.reconcile(user=self.world.users["investment_staff"])
        self.assertEqual((result.checked, result.counts["missed"], result.counts["met"]), (2, 1, 1))
        self.assertEqual(len(self.receiver.calls), 1)
        self.assertEqual(
            self.receiver.calls[0],
            {
                "sender": Commitment,
                "commitment": missed,
                "year": 2025,
                "target": Decimal(500),
                "actual": Decimal(120),
                "gap": Decimal(380),
                "source": "filing",
                "user": self.world.users["investment_staff"],
            },
        )
        self.reconcile()
        self.assertEqual(CommitmentCheck.objects.count(), 2)  # rewritten, not duplicated
        self.assertEqual(len(self.receiver.calls), 1)  # already missed for 2025: not sent again
        self.assertIsNone(self.check(missed).checked_by)

    def test_queries_do_not_grow_with_the_commitments(self):
        def queries(n):
            for _i in range(n):
                self.commit(K.JOBS, 500, due=D(2025, 6, 30))
                self.commit(K.FLOOR_AREA_LEASED, 500)
                self.commit(K.IN_OPERATION)
                self.commit(K.INVESTMENT, 5, unit="USD")
            ExchangeRate.objects.get_or_create(currency="USD", valid_from=D(2025, 1, 1), defaults={"rate": 7})
            # the receivers (compliance opens its cases) are theirs to count: this counts the reconciliation's own
            with mock.patch.object(commitment_missed, "send"), CaptureQueriesContext(connection) as captured:
                self.reconcile()
            return len(captured)

        few = queries(2)
        CommitmentCheck.objects.all().delete()
        self.assertEqual(queries(6), few)  # 8 more commitments each source: the same queries
        self.assertLessEqual(few, 16)

    def test_only_staff_reconcile(self):
        with self.assertRaises(PermissionDenied):
            self.reconcile(user=self.world.users["government_partner"])

    def test_scope_of_a_park_user(self):
        other = self.make_agreement(self.world.org["out"], self.investor, park=self.world.park["out"])
        theirs = self.commit(K.JOBS, 5, agreement=other, party=other.parties.get(organization=self.investor))
        ours = self.commit(K.JOBS, 5)
        self.reconcile(user=self.world.users["investment_staff"])  # assigned to park "in" only
        self.assertTrue(CommitmentCheck.objects.filter(commitment=ours).exists())
        self.assertFalse(CommitmentCheck.objects.filter(commitment=theirs).exists())

    def test_command(self):
        self.commit(K.JOBS, 500, due=D(2025, 6, 30))
        from io import StringIO

        out = StringIO()
        call_command("reconcile_commitments", "--year", "2025", stdout=out)
        self.assertIn("1 commitments checked", out.getvalue())
        self.assertEqual(len(self.receiver.calls), 1)


class ScopeTests(ReconcileTests):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        w = cls.world
        # org "in" as the investor in another agreement: its own commitment and the government's
        cls.gov = Organization.objects.create(name="District Government")
        cls.as_investor = cls.make_agreement(cls.gov, w.org["in"])
        cls.own = Commitment.objects.create(
            agreement=cls.as_investor,
            party=cls.as_investor.parties.get(organization=w.org["in"]),
            kind=K.JOBS,
            target_value=10,
            due_date=D(2025, 6, 30),
        )
        cls.governments = Commitment.objects.create(
            agreement=cls.as_investor,
            party=cls.as_investor.parties.get(organization=cls.gov),
            kind=K.MILESTONE,
            due_date=D(2025, 6, 30),
        )
        cls.investors = Commitment.objects.create(
            agreement=cls.agreement, party=cls.inv_party, kind=K.JOBS, target_value=10, due_date=D(2025, 6, 30)
        )
        stranger = Organization.objects.create(name="Stranger Co")
        elsewhere = cls.make_agreement(cls.gov, stranger)
        cls.strangers = Commitment.objects.create(
            agreement=elsewhere,
            party=elsewhere.parties.get(organization=stranger),
            kind=K.JOBS,
            target_value=10,
            due_date=D(2025, 6, 30),
        )
        reconcile_commitments(year=2025, user=None, today=TODAY)

    def seen(self, role):
        return set(visible_checks(self.world.users[role], 2025).values_list("commitment", flat=True))

    def test_government_partner_sees_its_agreements_checks(self):
        self.assertEqual(self.seen("government_partner"), {self.own.pk, self.governments.pk, self.investors.pk})

    def test_enterprise_sees_only_its_own_commitments(self):
        self.assertEqual(self.seen("enterprise_user"), {self.own.pk})

    def test_the_reports_checks_apply_the_scope_once(self):
        """Issue 16: the report's checks (selectors.report_checks) are the visible checks of the filtered
        agreements' commitments with the scope applied once: an operator admin's, unfiltered, are the checks table
        (no semi join of every commitment and agreement), a park manager's a semi join of its agreements only. The
        same checks as visible_checks narrowed to the agreements, for every role and filter; it holds because a
        commitment's scope paths are its agreement's behind ``agreement__``."""
        from parkos.core.permissions import organization_paths
        from parkos.investment.selectors import implementation_report, report_checks, unfiltered

        self.assertEqual(Commitment.park_path, f"agreement__{Agreement.park_path}")
        self.assertEqual(
            organization_paths(Commitment), tuple(f"agreement__{path}" for path in organization_paths(Agreement))
        )
        admin = self.world.users["operator_admin"]
        self.assertTrue(unfiltered(implementation_report(admin).filtered))
        self.assertNotIn("IN (SELECT", str(report_checks(admin, implementation_report(admin).filtered).query))
        self.assertNotIn("IN (SELECT", str(visible_checks(admin).query))
        self.assertFalse(unfiltered(implementation_report(admin, kind=Agreement.Kind.INVESTMENT).filtered))
        manager = self.world.users["park_manager"]
        self.assertEqual(
            str(report_checks(manager, implementation_report(manager).filtered).query).count("IN (SELECT"), 2
        )
        roles = ("operator_admin", "investment_staff", "park_manager", "government_partner", "enterprise_user")
        for role in (*roles, "service_staff", "evaluation_officer"):
            user = self.world.users[role]
            for filters in ({}, {"kind": Agreement.Kind.INVESTMENT}, {"status": "overdue"}):
                with self.subTest(role=role, filters=filters):
                    report = implementation_report(user, **filters)
                    expected = visible_checks(user).filter(commitment__agreement__in=report.filtered.values("pk"))
                    self.assertEqual(set(report_checks(user, report.filtered)), set(expected))
        self.assertTrue(any(visible_checks(self.world.users[role]).exists() for role in roles))

    def test_summaries_in_one_statement_equal_the_summary_of_each_grouping(self):
        """check_summaries (the report's one statement, issue 16) gives check_summary's rows, in its order, for
        every grouping and reader (a government partner and an enterprise see their scope only), and the year
        shown: the latest checked, the one asked for, or none."""
        CommitmentCheck.objects.filter(commitment=self.strangers).update(year=2024)  # another year, other counts
        for role in ("operator_admin", "investment_staff", "government_partner", "enterprise_user"):
            checks = visible_checks(self.world.users[role])
            for year in (None, 2024, 2025, 2019):
                with self.subTest(role=role, year=year):
                    shown, groups = check_summaries(checks, year, agreement_limit=2)
                    self.assertEqual(shown, year or latest_check_year(checks))
                    picked = checks.filter(year=shown)
                    for by in CHECK_GROUPS:
                        expected = check_summary(picked, by, limit=2 if by == "agreement" else None)
                        self.assertEqual(groups[by], expected, by)
        self.assertEqual(
            check_summaries(visible_checks(self.world.users["enterprise_user"]).none()),
            (None, {by: [] for by in CHECK_GROUPS}),
        )
        checks = visible_checks(self.world.users["government_partner"])  # reads the user's roles
        with CaptureQueriesContext(connection) as one:
            check_summaries(checks, agreement_limit=20)
        self.assertEqual(len(one), 1)

    def test_summary_by_source_and_agreement(self):
        checks = visible_checks(self.world.users["operator_admin"], 2025)
        by_source = {row["key"]: row for row in check_summary(checks, "source")}
        self.assertEqual((by_source[1]["met"], by_source[0]["missed"]), (1, 3))  # the investor's 120 jobs
        by_agreement = check_summary(checks, "agreement")
        self.assertEqual(by_agreement[0]["missed"], 2)  # worst first


class PageTests(ReconcileTests):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.jobs = Commitment.objects.create(
            agreement=cls.agreement, party=cls.inv_party, kind=K.JOBS, target_value=500, due_date=D(2025, 6, 30)
        )
        cls.tax = Commitment.objects.create(
            agreement=cls.agreement, party=cls.inv_party, kind=K.ANNUAL_TAX, target_value=1, unit="CNY"
        )
        reconcile_commitments(year=2025, user=None, today=TODAY, notify=False)

    def test_report_shows_the_checks_by_source_agreement_park_district_and_kind(self):
        from django.urls import reverse

        self.client.force_login(self.world.users["operator_admin"])
        url = reverse("investment:implementation_report")
        self.client.get(url)  # what a signed-in user's first page reads once (permissions) counts in neither
        with CaptureQueriesContext(connection) as few:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        for by in ("source", "agreement", "park", "district", "kind"):
            self.assertIn(f'data-by="{by}"', html)
        self.assertIn('data-outcome="missed">Missed: 1', html)
        self.assertIn('id="reconcile-form"', html)
        for _i in range(5):  # more commitments checked: the same queries
            Commitment.objects.create(
                agreement=self.agreement, party=self.inv_party, kind=K.JOBS, target_value=5, due_date=D(2025, 6, 30)
            )
        reconcile_commitments(year=2025, user=None, today=TODAY, notify=False)
        with CaptureQueriesContext(connection) as more:
            self.client.get(url)
        self.assertEqual(len(more), len(few))

    def test_check_rows_are_the_template_loop_they_replace(self):
        """reports.check_rows_html (issue 16) writes each grouping's rows as the include's loop did, in English and
        Chinese, with a thousand checks (intcomma) and a district of no name."""
        from django.template import Context, Template
        from django.urls import reverse
        from django.utils import translation

        from parkos.investment.reports import check_rows_html

        old_loop = Template("{% load humanize %}{% for row in group.rows %}" + OLD_CHECK_ROW + "{% endfor %}")
        self.client.force_login(self.world.users["operator_admin"])
        for language in ("en", "zh-hans"):
            with self.subTest(language=language), translation.override(language):
                response = self.client.get(reverse("investment:implementation_report"), HTTP_ACCEPT_LANGUAGE=language)
                groups = response.context["check_groups"]
                self.assertEqual([group["by"] for group in groups], ["source", "agreement", "park", "district", "kind"])
                for group in groups:
                    self.assertTrue(group["rows"])
                    self.assertEqual(group["rows_html"], old_loop.render(Context({"group": group})))
                    self.assertIn(group["rows_html"], response.content.decode())
                rows = [{"key": None, "label": "—", "met": 1234, "behind": 0, "missed": 56789, "open": 2}]
                self.assertEqual(
                    check_rows_html("district", rows),
                    old_loop.render(Context({"group": {"by": "district", "rows": rows}})),
                )

    def test_xlsx_lists_each_check_with_its_source(self):
        import io

        from django.urls import reverse
        from openpyxl import load_workbook

        self.client.force_login(self.world.users["government_partner"])
        response = self.client.get(reverse("investment:implementation_report"), {"format": "xlsx"})
        checks = load_workbook(io.BytesIO(response.content)).worksheets[2]
        rows = {row[3 - 1]: row for row in checks.iter_rows(min_row=2, values_only=True)}
        self.assertEqual(len(list(checks.iter_rows(min_row=2))), 2)
        row = next(r for r in checks.iter_rows(min_row=2, values_only=True) if r[4] == "Jobs")
        self.assertEqual(
            (row[0], row[8], row[10], row[11]), (2025, 120, "Indicator filing 2025: average employees", "Missed")
        )
        self.assertTrue(rows)

    def test_reconcile_button(self):
        from django.urls import reverse

        url = reverse("investment:reconcile_commitments")
        self.client.force_login(self.world.users["government_partner"])
        self.assertEqual(self.client.post(url, {"year": 2025}).status_code, 403)
        self.client.force_login(self.world.users["investment_staff"])
        with mock.patch.object(commitment_missed, "send"):
            response = self.client.post(url, {"year": 2025}, follow=True)
        self.assertContains(response, "2025 reconciled")
        self.assertEqual(self.check(self.jobs).checked_by, self.world.users["investment_staff"])
        response = self.client.post(url, {"year": "next"}, follow=True)
        self.assertContains(response, "Give the year to reconcile")

    def test_commitment_page_shows_each_figure_and_its_source(self):
        self.client.force_login(self.world.users["government_partner"])
        response = self.client.get(self.jobs.get_absolute_url())
        self.assertContains(response, 'data-outcome="missed"')
        self.assertContains(response, "Indicator filing 2025")
