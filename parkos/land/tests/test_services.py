"""Inefficient land and disposal: the flag rules, opening and closing cases, available land, the map, permissions."""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from parkos.core.changelog import change_context
from parkos.core.models import ObjectChange
from parkos.core.testing import World
from parkos.evaluation.models import AreaResult, EvaluationResult, EvaluationRun
from parkos.evaluation.tests.helpers import load_scheme
from parkos.land import selectors, services
from parkos.land.models import DisposalCase, ParcelFlag
from parkos.land.services import FlagRules
from parkos.parks.models import Building, LandParcel

Status = LandParcel.Status
OFF = {"grades": None, "min_tax_per_mu": None, "idle_years": None, "min_plot_ratio": None}
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[121.0, 31.0], [121.01, 31.0], [121.01, 31.01], [121.0, 31.01], [121.0, 31.0]]],
}


def rules(**on) -> FlagRules:
    """Every rule off except those given."""
    return FlagRules(**{**OFF, **on})


class DisposalTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.officer = cls.world.users["evaluation_officer"]
        cls.scheme = load_scheme()
        cls.evaluation_run = EvaluationRun.objects.create(
            scheme=cls.scheme, year=2025, status=EvaluationRun.Status.DONE
        )

    def parcel(self, side="in", **extra) -> LandParcel:
        n = self.world.seq()
        extra.setdefault("holder", self.world.org[side])
        return LandParcel.objects.create(park=self.world.park[side], code=f"T-{n:04d}{side}", area=6667, **extra)

    def result(self, side="in", grade="D", **extra) -> EvaluationResult:
        return EvaluationResult.objects.create(
            run=self.evaluation_run,
            organization=self.world.org[side],
            park=self.world.park[side],
            cohort="above",
            status=EvaluationResult.Status.GRADED,
            total=42.0,
            grade=grade,
            **extra,
        )

    def parcel_changes(self, parcel):
        return ObjectChange.objects.filter(
            changed_object_type=ContentType.objects.get_for_model(LandParcel), changed_object_id=parcel.pk
        )

    def flag(self, run=None):
        return services.flag_from_run(run=run or self.evaluation_run, user=self.officer, rules=self.rules)


class FlagFromRunTests(DisposalTestCase):
    rules = rules(grades=("D",))

    def test_holder_in_the_bottom_grade_flags_its_parcels_in_that_park(self):
        self.result("in", grade="D")
        other_park = self.parcel("out", holder=self.world.org["in"])  # same holder, park where it was not graded D
        flags = self.flag()
        self.assertEqual([(f.parcel_id, f.reason) for f in flags], [(self.world.parcel["in"].pk, "grade")])
        self.assertIn("Org in Ltd", flags[0].detail)
        self.assertEqual(flags[0].run, self.evaluation_run)
        self.assertEqual(flags[0].flagged_by, self.officer)
        self.world.parcel["in"].refresh_from_db()
        self.assertEqual(self.world.parcel["in"].status, Status.INEFFICIENT)
        other_park.refresh_from_db()
        self.assertEqual(other_park.status, Status.IN_USE)

    def test_a_better_grade_flags_nothing(self):
        self.result("in", grade="C")
        self.assertEqual(self.flag(), [])

    def test_flags_and_status_changes_are_in_the_change_log(self):
        self.result("in", grade="D")
        with change_context(user=self.officer, source="web"):
            flags = self.flag()
        created = ObjectChange.objects.get(
            changed_object_type=ContentType.objects.get_for_model(ParcelFlag), changed_object_id=flags[0].pk
        )
        self.assertEqual((created.action, created.user), ("create", self.officer))
        update = self.parcel_changes(self.world.parcel["in"]).filter(action="update").latest("pk")
        self.assertEqual(update.prechange_data["status"], Status.IN_USE)
        self.assertEqual(update.postchange_data["status"], Status.INEFFICIENT)
        self.assertEqual(update.user, self.officer)

    def test_flagging_again_from_the_same_run_adds_nothing(self):
        self.result("in", grade="D")
        self.assertEqual(len(self.flag()), 1)
        self.assertEqual(self.flag(), [])
        self.assertEqual(ParcelFlag.objects.count(), 1)

    def test_parcels_under_disposal_or_redeveloped_are_left_alone(self):
        self.result("in", grade="D")
        busy = self.parcel(status=Status.UNDER_DISPOSAL)
        done = self.parcel(status=Status.REDEVELOPED)
        flagged = {f.parcel_id for f in self.flag()}
        self.assertNotIn(busy.pk, flagged)
        self.assertNotIn(done.pk, flagged)

    def test_only_a_finished_run_flags(self):
        running = EvaluationRun.objects.create(scheme=self.scheme, year=2025, status=EvaluationRun.Status.RUNNING)
        with self.assertRaises(ValidationError):
            self.flag(running)


class LowTaxRuleTests(DisposalTestCase):
    rules = rules(min_tax_per_mu=Decimal("50000"))

    def area(self, parcel, tax_per_mu):
        return AreaResult.objects.create(
            run=self.evaluation_run,
            level=AreaResult.Level.PARCEL,
            key=str(parcel.pk),
            label=str(parcel),
            park=parcel.park,
            enterprises=1,
            tax_per_mu=tax_per_mu,
        )

    def test_tax_per_mu_under_the_floor_flags_the_parcel(self):
        low, high, edge = self.parcel(), self.parcel(), self.parcel()
        self.area(low, 12000.0)
        self.area(high, 80000.0)
        self.area(edge, 50000.0)  # at the floor is not under it
        flags = self.flag()
        self.assertEqual([(f.parcel_id, f.reason) for f in flags], [(low.pk, "low_tax")])
        self.assertIn("12,000", flags[0].detail)
        self.assertIn("50,000", flags[0].detail)

    def test_park_level_rows_are_not_parcels(self):
        park_row = AreaResult.objects.create(
            run=self.evaluation_run,
            level=AreaResult.Level.PARK,
            key=str(self.world.parcel["in"].pk),
            label="x",
            enterprises=1,
        )
        park_row.tax_per_mu = 1.0
        park_row.save()
        self.assertEqual(self.flag(), [])


class IdleRuleTests(DisposalTestCase):
    rules = rules(idle_years=2)

    def idle_since(self, parcel, day: datetime.date):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        self.parcel_changes(parcel).update(time=moment)

    def test_held_land_idle_for_the_years_is_flagged(self):
        today = timezone.localdate()
        old = self.parcel(status=Status.IDLE)
        self.idle_since(old, today - datetime.timedelta(days=365 * 3))
        recent = self.parcel(status=Status.IDLE)
        self.idle_since(recent, today - datetime.timedelta(days=200))
        unheld = self.parcel(status=Status.IDLE, holder=None)  # the operator's own land awaiting promotion
        self.idle_since(unheld, today - datetime.timedelta(days=365 * 5))
        flags = self.flag()
        self.assertEqual([(f.parcel_id, f.reason) for f in flags], [(old.pk, "idle")])

    def test_idle_since_reads_when_the_status_last_became_idle(self):
        parcel = self.parcel()
        parcel.status = Status.IDLE
        parcel.save()
        since = services.idle_since(parcel_ids=[parcel.pk])
        self.assertEqual(since[parcel.pk], timezone.localdate())


class PlotRatioRuleTests(DisposalTestCase):
    rules = rules(min_plot_ratio=Decimal("0.6"))

    def test_industrial_parcel_built_below_the_ratio_is_flagged(self):
        sparse = self.parcel()
        Building.objects.create(parcel=sparse, code="B1", floor_area=2000)  # ratio 0.30
        dense = self.parcel()
        Building.objects.create(parcel=dense, code="B1", floor_area=5000)  # ratio 0.75
        flags = {f.parcel_id: f for f in self.flag()}
        self.assertIn(sparse.pk, flags)
        self.assertNotIn(dense.pk, flags)
        self.assertIn("0.30", flags[sparse.pk].detail)


class RulesFromSettingsTests(TestCase):
    @override_settings(PARKOS_INEFFICIENT_LAND_RULES={"*": {"idle_years": 3}, "small": {"grades": ["C", "D"]}})
    def test_scheme_rules_override_the_general_ones(self):
        self.assertEqual(services.rules_for(scheme_name="small"), FlagRules(grades=("C", "D"), idle_years=3))
        self.assertEqual(services.rules_for(scheme_name="other").idle_years, 3)

    def test_a_bad_rule_is_named(self):
        with self.assertRaisesMessage(ValueError, "min_tax"):
            FlagRules.from_dict({"min_tax": 5})
        with self.assertRaisesMessage(ValueError, "idle_years"):
            FlagRules.from_dict({"idle_years": "two"})
        with self.assertRaisesMessage(ValueError, "min_plot_ratio"):
            FlagRules.from_dict({"min_plot_ratio": -1})


class CaseTests(DisposalTestCase):
    rules = rules()

    def open_case(self, path=DisposalCase.Path.BUY_BACK, parcel=None):
        parcel = parcel or self.parcel(status=Status.INEFFICIENT)
        return services.case_open(parcel=parcel, path=path, user=self.officer, opened_on=datetime.date(2026, 1, 5))

    def test_flag_by_hand_needs_a_reason_and_makes_the_parcel_inefficient(self):
        parcel = self.parcel()
        with self.assertRaises(ValidationError):
            services.parcel_flag(parcel=parcel, user=self.officer, detail=" ")
        flag = services.parcel_flag(parcel=parcel, user=self.officer, detail="Plant empty, machinery removed")
        parcel.refresh_from_db()
        self.assertEqual((flag.reason, parcel.status), ("manual", Status.INEFFICIENT))

    def test_a_flag_by_hand_stays_in_the_officers_parks(self):
        outside = self.parcel("out")
        with self.assertRaises(ValidationError):
            services.parcel_flag(parcel=outside, user=self.officer, detail="Not my park")
        self.assertFalse(ParcelFlag.objects.filter(parcel=outside).exists())
        outside.refresh_from_db()
        self.assertEqual(outside.status, Status.IN_USE)

    def test_opening_a_case_puts_the_parcel_under_disposal(self):
        case = self.open_case()
        self.assertEqual(case.owner, self.officer)
        self.assertEqual(case.parcel.status, Status.UNDER_DISPOSAL)
        with self.assertRaises(ValidationError):
            self.open_case(parcel=case.parcel)

    def test_closing_with_land_returned_makes_it_available_for_promotion(self):
        case = self.open_case(DisposalCase.Path.BUY_BACK)
        services.parcel_flag(parcel=case.parcel, user=self.officer, detail="by hand")
        case = services.case_close(case=case, user=self.officer, closed_on=datetime.date(2026, 9, 30))
        parcel = LandParcel.objects.get(pk=case.parcel_id)
        self.assertEqual((case.status, case.outcome), ("closed", "returned"))  # a buy-back usually returns the land
        self.assertEqual(parcel.status, Status.IDLE)
        self.assertIsNone(parcel.holder)
        self.assertFalse(parcel.flags.filter(cleared_on__isnull=True).exists())
        self.assertIn(parcel, list(selectors.available_land(self.officer)))
        available = selectors.available_land(self.officer).get(pk=parcel.pk)
        self.assertEqual((available.returned_on, available.returned_by_case), (case.closed_on, case.pk))

    def test_re_leasing_returns_the_space_but_keeps_the_holder(self):
        case = self.open_case(DisposalCase.Path.RE_LEASING)
        case = services.case_close(case=case, user=self.officer)
        parcel = LandParcel.objects.get(pk=case.parcel_id)
        self.assertEqual((parcel.status, parcel.holder), (Status.IDLE, self.world.org["in"]))

    def test_outcome_sets_the_status(self):
        for path, outcome, status in (
            (DisposalCase.Path.UPGRADE, None, Status.IN_USE),
            (DisposalCase.Path.REDEVELOPMENT, None, Status.REDEVELOPED),
            (DisposalCase.Path.TRANSFER, DisposalCase.Outcome.WITHDRAWN, Status.IN_USE),
            (DisposalCase.Path.UPGRADE, DisposalCase.Outcome.RETURNED, Status.IDLE),
        ):
            with self.subTest(path=path, outcome=outcome):
                case = services.case_close(case=self.open_case(path), user=self.officer, outcome=outcome)
                self.assertEqual(LandParcel.objects.get(pk=case.parcel_id).status, status)

    def test_a_case_closes_once_and_not_before_it_opened(self):
        case = self.open_case()
        with self.assertRaises(ValidationError) as caught:
            services.case_close(case=case, user=self.officer, closed_on=datetime.date(2025, 12, 31))
        self.assertIn("closed_on", caught.exception.message_dict)
        services.case_close(case=case, user=self.officer)
        with self.assertRaises(ValidationError):
            services.case_close(case=case, user=self.officer)

    def test_after_closing_a_new_case_may_open_on_the_parcel(self):
        case = services.case_close(case=self.open_case(DisposalCase.Path.UPGRADE), user=self.officer)
        again = self.open_case(parcel=LandParcel.objects.get(pk=case.parcel_id))
        self.assertEqual(again.parcel.status, Status.UNDER_DISPOSAL)


class PagesAndPermissionTests(DisposalTestCase):
    rules = rules(grades=("D",))

    def client_for(self, role: str) -> Client:
        client = Client()
        client.force_login(self.world.users[role])
        return client

    def test_officer_flags_from_a_run_page_action(self):
        self.result("in", grade="D")
        url = reverse("land:evaluationrun_flag_parcels", kwargs={"pk": self.evaluation_run.pk})
        self.assertEqual(self.client_for("investment_staff").post(url).status_code, 403)
        response = self.client_for("evaluation_officer").post(url)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(ParcelFlag.objects.filter(run=self.evaluation_run, parcel=self.world.parcel["in"]).exists())

    def test_run_page_offers_flagging_to_officers_only(self):
        url = self.evaluation_run.get_absolute_url()
        self.assertContains(self.client_for("evaluation_officer").get(url), 'id="flag-parcels"')
        self.assertNotContains(self.client_for("investment_staff").get(url), 'id="flag-parcels"')

    def test_investment_staff_see_returned_land_read_only(self):
        parcel = self.parcel(status=Status.INEFFICIENT)
        case = services.case_open(parcel=parcel, path=DisposalCase.Path.LAND_RESERVE, user=self.officer)
        services.case_close(case=case, user=self.officer)
        staff = self.client_for("investment_staff")
        page = staff.get(reverse("land:available_land"))
        self.assertContains(page, parcel.get_absolute_url())
        self.assertContains(page, case.get_absolute_url())
        listed = staff.get(reverse("parks:landparcel_list"), {"status": "idle"})
        self.assertContains(listed, parcel.get_absolute_url())
        self.assertEqual(staff.get(case.get_absolute_url()).status_code, 200)
        self.assertEqual(staff.get(reverse("land:disposalcase_edit", kwargs={"pk": case.pk})).status_code, 404)
        close = reverse("land:disposalcase_close", kwargs={"pk": case.pk})
        self.assertEqual(staff.post(close, {"outcome": "returned", "closed_on": "2026-01-01"}).status_code, 404)

    def test_available_land_shows_only_idle_parcels_in_scope(self):
        inside = self.parcel("in", status=Status.IDLE)
        outside = self.parcel("out", status=Status.IDLE)
        busy = self.parcel("in", status=Status.UNDER_DISPOSAL)
        page = self.client_for("investment_staff").get(reverse("land:available_land"))
        self.assertContains(page, inside.get_absolute_url())
        self.assertNotContains(page, outside.get_absolute_url())
        self.assertNotContains(page, busy.get_absolute_url())

    def map_data(self, client) -> dict:
        """The map's data as the page's script reads it: fetched from the address the page gives it."""
        response = client.get(reverse("land:inefficient_land"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "vendor/leaflet/leaflet.js")
        self.assertNotContains(response, 'id="map-parcels"')  # no inline data: the page's script fetches it
        address = response.context["map_words"]["data"]
        self.assertEqual(address, reverse("land:inefficient_land_map"))
        data = client.get(address).json()
        return {"parcels": data["parcels"], "parks": data["parks"], "without_geometry": data["withoutGeometry"]}

    def test_map_shows_flagged_parcels_and_cases_in_the_users_scope_only(self):
        self.world.park["in"].boundary = SQUARE
        self.world.park["in"].save()
        flagged_in = self.parcel("in", geometry=SQUARE)
        services.parcel_flag(parcel=flagged_in, user=self.officer, detail="in")
        flagged_out = self.parcel("out", geometry=SQUARE)
        services.parcel_flag(parcel=flagged_out, user=self.world.users["operator_admin"], detail="out")
        case_in = services.case_open(parcel=self.parcel("in", geometry=SQUARE), path="upgrade", user=self.officer)
        not_flagged = self.parcel("in", geometry=SQUARE)
        no_outline = self.parcel("in")
        services.parcel_flag(parcel=no_outline, user=self.officer, detail="no outline")

        data = self.map_data(self.client_for("evaluation_officer"))
        features = {f["properties"]["id"]: f["properties"] for f in data["parcels"]["features"]}
        self.assertEqual(set(features), {flagged_in.pk, case_in.parcel_id})
        self.assertEqual(features[flagged_in.pk]["reasons"], ["manual"])
        self.assertEqual(features[case_in.parcel_id]["case"], [case_in.pk, "open", "upgrade"])
        self.assertEqual(selectors.map_words()["reasonColours"]["manual"], selectors.REASON_COLOURS["manual"])
        self.assertNotIn(not_flagged.pk, features)
        self.assertEqual([p["url"] for p in data["without_geometry"]], [no_outline.get_absolute_url()])
        self.assertEqual([f["properties"]["name"] for f in data["parks"]["features"]], ["Park in"])

        admin = self.map_data(self.client_for("operator_admin"))
        self.assertIn(flagged_out.pk, {f["properties"]["id"] for f in admin["parcels"]["features"]})

    def test_map_page_html_carries_only_scoped_geojson(self):
        outside = self.parcel("out", geometry=SQUARE)
        services.parcel_flag(parcel=outside, user=self.world.users["operator_admin"], detail="out")
        data = self.map_data(self.client_for("evaluation_officer"))
        self.assertNotIn(outside.pk, {f["properties"]["id"] for f in data["parcels"]["features"]})
        response = self.client_for("evaluation_officer").get(reverse("land:inefficient_land"))
        self.assertNotContains(response, outside.get_absolute_url())
        self.assertNotContains(response, outside.code)

    def test_roles_without_evaluation_see_no_map(self):
        for role in ("service_staff", "enterprise_user", "government_partner"):
            with self.subTest(role=role):
                response = self.client_for(role).get(reverse("land:inefficient_land"))
                self.assertEqual(response.status_code, 403)

    def test_parcel_page_lists_its_flags_and_cases(self):
        parcel = self.parcel(status=Status.INEFFICIENT)
        services.parcel_flag(parcel=parcel, user=self.officer, detail="Workshop empty")
        case = services.case_open(parcel=parcel, path="upgrade", user=self.officer)
        response = self.client_for("evaluation_officer").get(parcel.get_absolute_url())
        self.assertContains(response, case.get_absolute_url())
        self.assertContains(response, "Workshop empty")
