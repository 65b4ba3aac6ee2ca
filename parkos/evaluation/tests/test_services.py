"""Filings import, tenants' land, evaluation runs end to end, the CLI, the background task and the result pages."""

import io
import math
from decimal import Decimal

import tablib
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client, TestCase
from django.urls import reverse

from parkos.core.models import ObjectChange
from parkos.core.testing import World
from parkos.directory.models import Industry, Organization
from parkos.evaluation import engine
from parkos.evaluation.models import (
    AreaResult,
    EvaluationResult,
    EvaluationRun,
    IndicatorFiling,
    LandRule,
)
from parkos.evaluation.services import (
    filing_apportion_land,
    filings_frame,
    filings_import,
    run_evaluation,
)
from parkos.evaluation.tests.helpers import credit_code, give_credit_codes, load_scheme
from parkos.parks.models import Building, LandParcel


def dataset(rows: list[list], headers: list[str]) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=headers)


def filing_changes(filing) -> int:
    return ObjectChange.objects.filter(
        changed_object_type=ContentType.objects.get_for_model(IndicatorFiling), changed_object_id=filing.pk
    ).count()


class FilingsImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        give_credit_codes(cls.world)
        cls.officer = cls.world.users["evaluation_officer"]
        cls.code = credit_code(1)

    def tax_file(self, amount="1200000.50"):
        return dataset([[self.code, "2024", amount]], ["统一社会信用代码", "年度", "税收合计"])

    def test_tax_bureau_file_creates_the_filing_with_its_source(self):
        report = filings_import(layout="tax", dataset=self.tax_file(), user=self.officer)
        self.assertTrue(report.ok, report.errors)
        filing = IndicatorFiling.objects.get(organization=self.world.org["in"], year=2024)
        self.assertEqual(filing.tax, Decimal("1200000.50"))
        self.assertEqual(filing.sources, {"tax": "tax"})
        self.assertEqual(filing.park, self.world.park["in"])  # the park of the parcel it holds
        self.assertEqual(filing.parcel, self.world.parcel["in"])

    def test_two_sources_merge_into_one_filing(self):
        filings_import(layout="tax", dataset=self.tax_file(), user=self.officer)
        power = dataset([[self.code, 2024, "350000"]], ["纳税人识别号", "年度", "用电量(千瓦时)"])
        land = dataset([[self.code, 2024, "15"]], ["统一社会信用代码", "年度", "用地面积（亩）"])
        self.assertTrue(filings_import(layout="power", dataset=power, user=self.officer).ok)
        self.assertTrue(filings_import(layout="land", dataset=land, user=self.officer).ok)
        filing = IndicatorFiling.objects.get()
        self.assertEqual(filing.electricity_kwh, Decimal("350000"))
        self.assertEqual(filing.land_area, Decimal("10000.00"))  # 15 mu
        self.assertEqual(filing.land_rule, LandRule.OWN)
        self.assertEqual(filing.sources, {"tax": "tax", "electricity_kwh": "power", "land_area": "land"})

    def test_reimporting_the_same_file_changes_nothing(self):
        filings_import(layout="tax", dataset=self.tax_file(), user=self.officer)
        filing = IndicatorFiling.objects.get()
        before = filing_changes(filing)
        report = filings_import(layout="tax", dataset=self.tax_file(), user=self.officer)
        self.assertEqual((report.new, report.updated, report.unchanged), (0, 0, 1))
        self.assertEqual(filing_changes(filing), before)

    def test_bad_row_names_row_and_column_and_nothing_is_written(self):
        rows = [[self.code, 2024, "100"], [credit_code(2), 2024, "lots"], ["91330100MA9999999X", 2024, "5"]]
        report = filings_import(
            layout="tax", dataset=dataset(rows, ["统一社会信用代码", "年度", "税收合计"]), user=self.officer
        )
        self.assertFalse(report.ok)
        where = {(e.row, e.field) for e in report.errors}
        self.assertIn((2, "税收合计"), where)
        self.assertIn((3, "统一社会信用代码"), where)  # unknown, or outside the officer's parks
        self.assertFalse(IndicatorFiling.objects.exists())

    def test_a_file_without_the_layouts_columns_is_refused(self):
        report = filings_import(layout="power", dataset=self.tax_file(), user=self.officer)
        self.assertFalse(report.ok)
        self.assertIn("用电量", report.errors[0].message)

    def test_officer_cannot_import_for_an_enterprise_outside_their_parks(self):
        rows = [[credit_code(2), 2024, "100"]]
        report = filings_import(
            layout="tax", dataset=dataset(rows, ["统一社会信用代码", "年度", "税收合计"]), user=self.officer
        )
        # the directory is shared, so the enterprise is found; but its filing would lie in another park
        self.assertFalse(IndicatorFiling.objects.exists())
        self.assertEqual([(e.row, e.field) for e in report.errors], [(1, "统一社会信用代码")])

    def test_import_page_previews_then_writes(self):
        client = Client()
        client.force_login(self.officer)
        url = reverse("evaluation:filings_import")
        text = f"统一社会信用代码,年度,税收合计\n{self.code},2024,88\n"
        upload = SimpleUploadedFile("tax.csv", text.encode("utf-8"))
        preview = client.post(url, {"layout": "tax", "file": upload})
        self.assertEqual(preview.status_code, 200, preview.content[:2000])
        self.assertFalse(IndicatorFiling.objects.exists())
        response = client.post(url, {"token": preview.context["token"], "layout": "tax"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(IndicatorFiling.objects.get().tax, Decimal("88.00"))

    def test_cli_import_filings(self):
        import tempfile
        from pathlib import Path

        path = Path(tempfile.mkdtemp()) / "tax.csv"
        path.write_text(f"统一社会信用代码,年度,税收合计\n{self.code},2024,88\n", encoding="utf-8")
        out = io.StringIO()
        call_command("import-filings", "tax", str(path), "--dry-run", "--user", "operator_admin", stdout=out)
        self.assertIn("Would import 1 rows: 1 new", out.getvalue())
        self.assertFalse(IndicatorFiling.objects.exists())
        call_command("import-filings", "tax", str(path), "--user", "operator_admin", stdout=out, verbosity=0)
        self.assertTrue(IndicatorFiling.objects.exists())
        path.write_text(f"统一社会信用代码,年度,税收合计\n{self.code},2024,x\n", encoding="utf-8")
        with self.assertRaises(CommandError):
            call_command(
                "import-filings", "tax", str(path), "--user", "operator_admin", stdout=out, stderr=io.StringIO()
            )


class ApportionmentTests(TestCase):
    """A 12,000 m² parcel with two buildings of 3,000 and 1,000 m² (4,000 m² built): a tenant using 1,000 m² gets
    a quarter of the parcel, 3,000 m² = 4.5 mu."""

    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        park = cls.world.park["in"]
        cls.parcel = LandParcel.objects.create(park=park, code="P-T", area=12_000, holder=cls.world.org["in"])
        cls.building = Building.objects.create(parcel=cls.parcel, code="B-T1", floor_area=3_000)
        Building.objects.create(parcel=cls.parcel, code="B-T2", floor_area=1_000)
        cls.tenant = Organization.objects.create(name="Tenant Ltd", industry=cls.world.industry)

    def filing(self, **kwargs):
        return IndicatorFiling.objects.create(
            organization=self.tenant, year=2024, park=self.world.park["in"], is_tenant=True, **kwargs
        )

    def test_filed_floor_area_over_the_parcels_built_floor_area(self):
        filing = self.filing(parcel=self.parcel, floor_area=1_000)
        self.assertEqual(filing_apportion_land(filing=filing), LandRule.FILED_FLOOR_AREA)
        filing.refresh_from_db()
        self.assertEqual(filing.land_area, Decimal("3000.00"))
        self.assertEqual(filing.land_rule, LandRule.FILED_FLOOR_AREA)

    def test_leased_units_win_over_the_filed_floor_area(self):
        import datetime

        try:
            from parkos.leasing.models import Lease
        except ImportError:
            self.skipTest("leasing is not installed")
        from parkos.parks.models import SpaceUnit

        unit = SpaceUnit.objects.create(building=self.building, code="U1", area=2_000)
        lease = Lease.objects.create(
            tenant=self.tenant,
            park=self.world.park["in"],
            start_date=datetime.date(2023, 1, 1),
            status="in_force",
            rent_amount=Decimal(1),
        )
        lease.units.add(unit)
        filing = self.filing(floor_area=1_000)
        self.assertEqual(filing_apportion_land(filing=filing), LandRule.LEASED_FLOOR_AREA)
        filing.refresh_from_db()
        self.assertEqual(filing.parcel, self.parcel)
        self.assertEqual(filing.land_area, Decimal("6000.00"))  # 2,000 / 4,000 of 12,000 m²

    def test_own_land_is_never_apportioned(self):
        filing = self.filing(parcel=self.parcel, floor_area=1_000, land_area=500, land_rule=LandRule.OWN)
        self.assertIsNone(filing_apportion_land(filing=filing))
        filing.refresh_from_db()
        self.assertEqual(filing.land_area, Decimal("500.00"))

    def test_without_floor_area_or_parcel_nothing_is_apportioned(self):
        self.assertIsNone(filing_apportion_land(filing=self.filing()))


def expected_scores(rows, benchmarks, weights):
    """Hand computation for the above-threshold scheme: weight × value / benchmark, summed (no cap)."""
    totals = {}
    for code, figures in rows.items():
        total = 0.0
        for key, value in figures.items():
            total += weights[key] * value / benchmarks[key]
        totals[code] = total
    return totals


class RunTests(TestCase):
    """Six enterprises above the size threshold in two parks, with every figure the scheme reads."""

    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.scheme = load_scheme("zhejiang_above_threshold")
        industry = Industry.objects.create(code="T-MFG", name="Manufacturing", national_code="C3")
        cls.orgs = []
        for i in range(6):
            side = "in" if i < 4 else "out"
            org = Organization.objects.create(name=f"Maker {i}", credit_code=credit_code(100 + i), industry=industry)
            cls.orgs.append(org)
            for year, growth in ((2023, 1.0), (2024, 1.1)):
                IndicatorFiling.objects.create(
                    organization=org,
                    year=year,
                    park=cls.world.park[side],
                    parcel=cls.world.parcel[side],
                    above_size_threshold=True,
                    revenue=Decimal(50_000_000 + i * 7_000_000),
                    value_added=Decimal(int((10_000_000 + i * 2_500_000) * growth)),
                    industrial_output=Decimal(40_000_000 + i * 5_000_000),
                    tax=Decimal(int((2_000_000 + i * 450_000) * growth)),
                    rd_expenditure=Decimal(1_000_000 + i * 100_000),
                    employees=100 + 10 * i,
                    energy_tce=Decimal(2000 + 100 * i),
                    emissions_t=Decimal(5 + i),
                    land_area=Decimal(20_000 + 2_000 * i),
                    major_incident=(i == 5 and year == 2024),
                )
        cls.user = cls.world.users["evaluation_officer"]

    def test_run_stores_results_that_match_the_hand_computation(self):
        run = run_evaluation(scheme=self.scheme, year=2023, user=self.user)
        self.assertEqual(run.status, EvaluationRun.Status.DONE)
        self.assertEqual((run.filings, run.evaluated, run.scheme_version), (6, 6, 1))
        scheme = self.scheme.scheme()
        weights = {i.key: float(i.weight) for i in scheme.indicators}
        benchmarks = {i.key: float(i.benchmark.value) for i in scheme.indicators}
        expressions = {}
        for f in IndicatorFiling.objects.filter(year=2023).select_related("organization"):
            mu = float(f.land_area) * 15 / 10000
            va = float(f.value_added)
            expressions[f.organization.credit_code] = {
                "tax_per_mu": float(f.tax) / 10000 / mu,
                "value_added_per_mu": va / 10000 / mu,
                "value_added_per_energy": va / 10000 / float(f.energy_tce),
                "value_added_per_emissions": va / 10000 / float(f.emissions_t),
                "labour_productivity": va / 10000 / f.employees,
                "rd_share": float(f.rd_expenditure) / float(f.revenue),
            }
        keys = {i.key for i in scheme.indicators}
        for figures in expressions.values():
            for k in list(figures):
                if k not in keys:
                    raise AssertionError(f"the test's indicator {k} is not in the scheme: {sorted(keys)}")
        totals = expected_scores(expressions, benchmarks, weights)
        stored = {
            r.organization.credit_code: r
            for r in EvaluationResult.objects.filter(run=run).select_related("organization")
        }
        self.assertEqual(set(stored), set(totals))
        for code, total in totals.items():
            self.assertEqual(round(stored[code].total, 9), round(total, 9), code)
        # ranks follow the totals; shares A 25 %, B to 70 %, C to 95 % of 6: ranks 1 / 2-4 / 5 / 6
        order = sorted(totals, key=lambda c: -totals[c])
        self.assertEqual([stored[c].rank for c in order], [1, 2, 3, 4, 5, 6])
        self.assertEqual([stored[c].grade for c in order], ["A", "B", "B", "B", "C", "D"])
        self.assertEqual(run.grade_counts, {"A": 1, "B": 3, "C": 1, "D": 1})

    def test_area_roll_ups_are_totals_over_totals(self):
        run = run_evaluation(scheme=self.scheme, year=2023, user=self.user)
        park = AreaResult.objects.get(run=run, level="park", key=str(self.world.park["in"].pk))
        filings = IndicatorFiling.objects.filter(year=2023, park=self.world.park["in"])
        tax = sum(float(f.tax) for f in filings)
        mu = sum(float(f.land_area) * 15 / 10000 for f in filings)
        self.assertEqual(park.enterprises, 4)
        self.assertAlmostEqual(park.tax_per_mu, tax / mu, places=6)
        self.assertEqual(sum(park.grade_mix.values()), 4)
        district = AreaResult.objects.get(run=run, level="district")
        self.assertEqual(district.enterprises, 6)
        self.assertIsNone(district.park_id)

    def test_second_run_on_the_same_inputs_is_identical(self):
        first = run_evaluation(scheme=self.scheme, year=2023, user=self.user)
        second = run_evaluation(scheme=self.scheme, year=2023, user=self.user)
        self.assertNotEqual(first.pk, second.pk)
        self.assertEqual(first.fingerprint, second.fingerprint)
        self.assertEqual(first.fingerprint, engine.fingerprint(filings_frame(2023), self.scheme.scheme()))

        def rows(run):
            return list(
                EvaluationResult.objects.filter(run=run)
                .order_by("organization_id")
                .values_list("organization_id", "cohort", "status", "indicators", "total", "rank", "grade")
            )

        self.assertEqual(rows(first), rows(second))
        self.assertEqual(EvaluationResult.objects.filter(run=first).count(), 6)  # the first run keeps its results

    def test_changed_input_changes_the_fingerprint(self):
        first = run_evaluation(scheme=self.scheme, year=2023, user=self.user)
        IndicatorFiling.objects.filter(year=2023, organization=self.orgs[0]).update(tax=1)
        second = run_evaluation(scheme=self.scheme, year=2023, user=self.user)
        self.assertNotEqual(first.fingerprint, second.fingerprint)

    def test_veto_item_makes_the_grade_d(self):
        run = run_evaluation(scheme=self.scheme, year=2024, user=self.user)
        vetoed = EvaluationResult.objects.get(run=run, organization=self.orgs[5])
        self.assertEqual((vetoed.status, vetoed.grade), (EvaluationResult.Status.VETOED, "D"))

    def test_cli_evaluate(self):
        out = io.StringIO()
        call_command(
            "evaluate",
            "--scheme",
            "zhejiang_above_threshold",
            "--year",
            "2023",
            "--user",
            "operator_admin",
            stdout=out,
            verbosity=0,
        )
        self.assertIn("6 enterprises evaluated", out.getvalue())
        with self.assertRaises(CommandError):
            call_command("evaluate", "--scheme", "nope", "--year", "2023", "--user", "operator_admin", verbosity=0)

    def test_run_form_queues_the_task_which_runs(self):
        client = Client()
        client.force_login(self.user)
        with self.captureOnCommitCallbacks(execute=True):
            response = client.post(reverse("evaluation:evaluationrun_add"), {"scheme": self.scheme.pk, "year": 2023})
        self.assertEqual(response.status_code, 302)
        run = EvaluationRun.objects.get()
        self.assertEqual(run.status, EvaluationRun.Status.DONE)  # ImmediateBackend in tests
        page = client.get(run.get_absolute_url())
        self.assertContains(page, run.fingerprint)
        self.assertContains(page, "grade-counts")
        progress = client.get(reverse("evaluation:evaluationrun_progress", args=[run.pk]))
        self.assertNotContains(progress, "hx-trigger")  # done: the page stops polling

    def test_progress_panel_polls_while_queued(self):
        from parkos.evaluation.services import evaluation_run_create

        run = evaluation_run_create(scheme=self.scheme, year=2023, user=self.user)
        client = Client()
        client.force_login(self.user)
        self.assertContains(
            client.get(reverse("evaluation:evaluationrun_progress", args=[run.pk])), 'hx-trigger="every 2s"'
        )

    def test_results_list_filters_and_scopes(self):
        run = run_evaluation(scheme=self.scheme, year=2023, user=self.user)
        client = Client()
        client.force_login(self.world.users["park_manager"])
        response = client.get(reverse("evaluation:evaluationresult_list"), {"run": run.pk})
        self.assertContains(response, "Maker 0")
        self.assertNotContains(response, "Maker 5")  # another park
        response = client.get(reverse("evaluation:evaluationresult_list"), {"run": run.pk, "grade": "Z"})
        self.assertNotContains(response, "Maker 0")

    def test_explanation_shows_each_indicator_and_the_year_before(self):
        run_evaluation(scheme=self.scheme, year=2023, user=self.user)
        run = run_evaluation(scheme=self.scheme, year=2024, user=self.user)
        result = EvaluationResult.objects.get(run=run, organization=self.orgs[0])
        client = Client()
        client.force_login(self.user)
        response = client.get(result.get_absolute_url())
        self.assertContains(response, 'data-indicator="tax_per_mu"')
        self.assertContains(response, 'id="previous-year"')
        self.assertContains(response, 'id="grade-boundaries"')

    def test_enterprise_user_sees_only_its_own_results(self):
        run = run_evaluation(scheme=self.scheme, year=2023, user=self.user)
        enterprise = self.world.users["enterprise_user"]
        enterprise.organizations.set([self.orgs[0]])
        own = EvaluationResult.objects.get(run=run, organization=self.orgs[0])
        other = EvaluationResult.objects.get(run=run, organization=self.orgs[1])
        client = Client()
        client.force_login(enterprise)
        self.assertEqual(client.get(own.get_absolute_url()).status_code, 200)
        self.assertEqual(client.get(other.get_absolute_url()).status_code, 404)

    def test_stored_floats_round_trip_exactly(self):
        """What is stored is what the engine computed, to the last bit, on SQLite and PostgreSQL alike."""
        run = run_evaluation(scheme=self.scheme, year=2023, user=self.user)
        scored = engine.score(filings_frame(2023), self.scheme.scheme(), keep=("organization_id",))
        computed = dict(zip(scored["organization_id"].to_list(), scored["total"].to_list(), strict=True))
        stored = dict(EvaluationResult.objects.filter(run=run).values_list("organization_id", "total"))
        self.assertEqual(stored, computed)
        for result in EvaluationResult.objects.filter(run=run):
            row = scored.filter(scored["organization_id"] == result.organization_id)
            self.assertTrue(math.isclose(result.indicators["tax_per_mu"]["value"], row["tax_per_mu_value"][0]))


class SchemeCommandTests(TestCase):
    def test_export_then_import_a_scheme_file(self):
        import tempfile
        from pathlib import Path

        from parkos.evaluation.models import EvaluationScheme

        World.build()
        call_command("scheme", "load-defaults", "--user", "operator_admin", stdout=io.StringIO())
        self.assertEqual(EvaluationScheme.objects.count(), 2)
        path = Path(tempfile.mkdtemp()) / "s.json"
        call_command("scheme", "export", "zhejiang_below_threshold", str(path))
        text = path.read_text(encoding="utf-8").replace('"version": 1', '"version": 2')
        path.write_text(text, encoding="utf-8")
        call_command("scheme", "import", str(path), "--user", "operator_admin", stdout=io.StringIO())
        self.assertTrue(EvaluationScheme.objects.filter(name="zhejiang_below_threshold", version=2).exists())
        path.write_text('{"key": "broken"}', encoding="utf-8")
        with self.assertRaises(CommandError) as raised:
            call_command("scheme", "import", str(path), "--user", "operator_admin")
        self.assertIn("missing keys", str(raised.exception))
