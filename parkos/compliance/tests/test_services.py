"""Default handling as specified: the signal opens one case per commitment and year, the steps follow each
other with their rules, a land settlement opens a disposal case, the owner hears of a passed deadline."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from parkos.compliance import selectors, services
from parkos.compliance.models import DefaultCase
from parkos.compliance.tests.test_views import case_for
from parkos.core.models import ObjectChange
from parkos.core.testing import World
from parkos.investment.models import Commitment
from parkos.investment.signals import commitment_missed
from parkos.investment.tests.test_views import commitment_for
from parkos.land.models import DisposalCase
from parkos.parks.models import LandParcel

Stage = DefaultCase.Stage
Kind = DefaultCase.SettlementKind
TODAY = timezone.localdate()
LATER = TODAY + datetime.timedelta(days=90)


def changes_of(case):
    from django.contrib.contenttypes.models import ContentType

    return ObjectChange.objects.filter(
        changed_object_type=ContentType.objects.get_for_model(DefaultCase), changed_object_id=case.pk
    )


class SignalTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.commitment = commitment_for(cls.world, "in")
        cls.staff = cls.world.users["investment_staff"]

    def send(self, **extra):
        values = {"year": 2027, "target": Decimal(500), "actual": Decimal(180), "gap": Decimal(320), "source": "filing"}
        commitment_missed.send(sender=Commitment, commitment=self.commitment, user=None, **{**values, **extra})

    def test_a_missed_commitment_opens_one_case_with_its_figures(self):
        self.send()
        case = DefaultCase.objects.get(commitment=self.commitment, year=2027)
        self.assertEqual(
            (case.stage, case.target, case.actual, case.gap, case.source, case.agreement_id),
            (Stage.OPEN, 500, 180, 320, "filing", self.commitment.agreement_id),
        )
        self.assertEqual(changes_of(case).get().source, "system")

    def test_the_same_commitment_and_year_again_updates_the_gap_and_opens_nothing(self):
        self.send()
        self.send(actual=Decimal(300), gap=Decimal(200))
        case = DefaultCase.objects.get(commitment=self.commitment)
        self.assertEqual((case.actual, case.gap), (300, 200))
        self.assertEqual(DefaultCase.objects.filter(commitment=self.commitment).count(), 1)

    def test_another_year_is_another_case(self):
        self.send()
        self.send(year=2028)
        self.assertEqual(DefaultCase.objects.filter(commitment=self.commitment).count(), 2)

    def test_no_figure_reached_parkos(self):
        self.send(actual=None, gap=None, source="")
        case = DefaultCase.objects.get(commitment=self.commitment)
        self.assertIsNone(case.actual)
        self.assertIsNone(case.gap)

    def test_a_closed_case_keeps_its_figures(self):
        self.send()
        case = DefaultCase.objects.get(commitment=self.commitment)
        services.case_close(case=case, user=self.staff, outcome="cured", note="达产")
        self.send(actual=Decimal(400), gap=Decimal(100))
        case.refresh_from_db()
        self.assertEqual((case.stage, case.actual), (Stage.CLOSED, 180))

    def test_a_run_by_someone_who_may_not_handle_cases_still_opens_the_case(self):
        officer = self.world.users["evaluation_officer"]
        commitment_missed.send(
            sender=Commitment, commitment=self.commitment, year=2030, target=Decimal(5), actual=None,
            gap=None, source="", user=officer,
        )  # fmt: skip
        case = DefaultCase.objects.get(year=2030)
        self.assertIsNone(case.owner)  # the agreement has no project: nobody to default to
        self.assertEqual(changes_of(case).get(action="create").user, officer)

    def test_a_run_by_a_user_makes_them_the_owner(self):
        commitment_missed.send(
            sender=Commitment, commitment=self.commitment, year=2029, target=Decimal(5), actual=Decimal(1),
            gap=Decimal(4), source="manual", user=self.staff,
        )  # fmt: skip
        case = DefaultCase.objects.get(year=2029)
        self.assertEqual(case.owner, self.staff)
        self.assertEqual(changes_of(case).get(action="create").user, self.staff)


class WorkflowTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.staff = cls.world.users["investment_staff"]
        cls.officer = cls.world.users["evaluation_officer"]

    def setUp(self):
        self.case = case_for(self.world, "in", owner=self.staff)

    def rectifying(self):
        services.case_warn(case=self.case, user=self.staff, note="已发预警函")
        return services.case_start_rectification(case=self.case, user=self.staff, deadline=LATER)

    def test_the_steps_in_order_record_their_dates_and_end_closed(self):
        services.case_warn(case=self.case, user=self.staff)
        services.case_start_rectification(case=self.case, user=self.staff, deadline=LATER, note="限期整改")
        services.case_settle(case=self.case, user=self.staff, kind=Kind.PENALTY, amount=Decimal("1500000"))
        services.case_close(case=self.case, user=self.staff)
        case = DefaultCase.objects.get(pk=self.case.pk)
        self.assertEqual((case.stage, case.outcome, case.settlement_kind), (Stage.CLOSED, "settled", Kind.PENALTY))
        self.assertEqual(case.settlement_amount, Decimal("1500000"))
        self.assertEqual([case.warned_on, case.rectification_started_on, case.settled_on, case.closed_on], [TODAY] * 4)
        self.assertEqual(case.rectification_deadline, LATER)
        self.assertIn("限期整改", case.notes)
        stages = [
            c.postchange_data["stage"]
            for c in ObjectChange.objects.filter(
                changed_object_id=case.pk, changed_object_type__model="defaultcase"
            ).order_by("pk")
        ]
        self.assertEqual(stages, ["open", "warning", "rectification", "settlement", "closed"])

    def test_no_step_may_be_skipped(self):
        with self.assertRaises(ValidationError) as caught:
            services.case_start_rectification(case=self.case, user=self.staff, deadline=LATER)
        self.assertIn("stage", caught.exception.message_dict)
        with self.assertRaises(ValidationError):
            services.case_settle(case=self.case, user=self.staff, kind=Kind.PENALTY, amount=Decimal(1))
        with self.assertRaises(ValidationError) as caught:
            services.case_close(case=self.case, user=self.staff, outcome="settled")
        self.assertIn("stage", caught.exception.message_dict)
        services.case_warn(case=self.case, user=self.staff)
        with self.assertRaises(ValidationError):
            services.case_warn(case=self.case, user=self.staff)  # nor taken twice
        self.assertEqual(DefaultCase.objects.get(pk=self.case.pk).stage, Stage.WARNING)

    def test_the_deadline_must_be_after_today(self):
        services.case_warn(case=self.case, user=self.staff)
        for deadline in (TODAY, TODAY - datetime.timedelta(days=1), None):
            with self.subTest(deadline=deadline), self.assertRaises(ValidationError) as caught:
                services.case_start_rectification(case=self.case, user=self.staff, deadline=deadline)
            self.assertIn("deadline", caught.exception.message_dict)

    def test_a_repayment_or_penalty_needs_an_amount_over_zero_and_land_none(self):
        self.rectifying()
        for kind, amount in ((Kind.REPAYMENT, None), (Kind.REPAYMENT, Decimal(0)), (Kind.PENALTY, Decimal(-5)),
                             (Kind.LAND_BUY_BACK, Decimal(10))):  # fmt: skip
            with self.subTest(kind=kind, amount=amount), self.assertRaises(ValidationError) as caught:
                services.case_settle(case=self.case, user=self.staff, kind=kind, amount=amount)
            self.assertIn("amount", caught.exception.message_dict)
        self.assertEqual(DefaultCase.objects.get(pk=self.case.pk).stage, Stage.RECTIFICATION)

    def test_cured_closes_at_any_stage_but_says_how_unless_the_commitment_is_met(self):
        with self.assertRaises(ValidationError) as caught:
            services.case_close(case=self.case, user=self.staff, outcome="cured")
        self.assertIn("note", caught.exception.message_dict)
        Commitment.objects.filter(pk=self.case.commitment_id).update(met_on=TODAY)
        self.case.commitment.refresh_from_db()
        case = services.case_close(case=self.case, user=self.staff, outcome="cured")
        self.assertEqual((case.stage, case.outcome), (Stage.CLOSED, "cured"))
        with self.assertRaises(ValidationError):
            services.case_close(case=self.case, user=self.staff, outcome="cured", note="again")

    def test_a_land_buy_back_opens_a_disposal_case_on_the_partys_parcel(self):
        self.rectifying()
        party = self.case.commitment.party.organization
        parcel = LandParcel.objects.create(park=self.world.park["in"], code="DC-P1", area=6000, holder=party)
        elsewhere = LandParcel.objects.create(park=self.world.park["out"], code="DC-P2", area=6000, holder=party)
        with self.assertRaises(ValidationError) as caught:
            services.case_settle(case=self.case, user=self.staff, kind=Kind.LAND_BUY_BACK, parcel=elsewhere)
        self.assertIn("parcel", caught.exception.message_dict)
        with self.assertRaises(PermissionDenied):  # investment staff read land but may not open its cases
            services.case_settle(case=self.case, user=self.staff, kind=Kind.LAND_BUY_BACK, parcel=parcel)
        self.assertEqual(DefaultCase.objects.get(pk=self.case.pk).stage, Stage.RECTIFICATION, "nothing half-done")
        admin = self.world.users["operator_admin"]
        case = services.case_settle(case=self.case, user=admin, kind=Kind.LAND_BUY_BACK, parcel=parcel)
        disposal = DisposalCase.objects.get(parcel=parcel)
        self.assertEqual((case.disposal_case, disposal.path), (disposal, DisposalCase.Path.BUY_BACK))
        parcel.refresh_from_db()
        self.assertEqual(parcel.status, LandParcel.Status.UNDER_DISPOSAL)
        partner = Client()
        partner.force_login(self.world.users["government_partner"])
        page = partner.get(case.get_absolute_url())
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, disposal.get_absolute_url())  # the disposal case is land's, not the partner's
        self.assertContains(page, "you may not see it")
        officer = Client()
        officer.force_login(self.officer)
        self.assertContains(officer.get(case.get_absolute_url()), disposal.get_absolute_url())
        self.assertContains(officer.get(disposal.get_absolute_url()), case.get_absolute_url())  # and back

    def test_an_evaluation_officer_opens_the_disposal_case_of_a_land_settlement_from_the_case(self):
        self.rectifying()
        parcel = LandParcel.objects.create(
            park=self.world.park["in"], code="DC-P3", area=6000, holder=self.case.commitment.party.organization
        )
        services.case_settle(case=self.case, user=self.staff, kind=Kind.LAND_TRANSFER)
        staff = Client()
        staff.force_login(self.staff)
        self.assertNotContains(staff.get(self.case.get_absolute_url()), 'data-step="disposal"')
        officer = Client()
        officer.force_login(self.officer)
        self.assertContains(officer.get(self.case.get_absolute_url()), 'data-step="disposal"')
        url = reverse("compliance:defaultcase_step", kwargs={"pk": self.case.pk, "step": "disposal"})
        self.assertEqual(staff.post(url, {"parcel": parcel.pk}).status_code, 403)
        self.assertEqual(officer.post(url, {"parcel": parcel.pk}).status_code, 302)
        case = DefaultCase.objects.get(pk=self.case.pk)
        self.assertEqual(case.disposal_case.path, DisposalCase.Path.TRANSFER)
        self.assertEqual(changes_of(case).latest("pk").user, self.officer)
        api = APIClient()
        api.force_authenticate(self.officer)
        again = api.post(reverse("compliance-api:defaultcase-open-disposal", kwargs={"pk": case.pk}),
                         {"parcel": parcel.pk}, format="json")  # fmt: skip
        self.assertEqual(again.status_code, 400)
        self.assertIn("parcel", again.json())

    def test_the_settle_form_says_when_the_party_holds_no_parcel(self):
        self.rectifying()
        client = Client()
        client.force_login(self.staff)
        response = client.get(reverse("compliance:defaultcase_step", kwargs={"pk": self.case.pk, "step": "settle"}))
        self.assertContains(response, "no parcel in the agreement")
        self.assertTrue(response.context["form"].fields["parcel"].disabled)

    def test_the_pages_take_the_steps_and_show_the_services_errors_at_the_field(self):
        client = Client()
        client.force_login(self.staff)

        def url(step):
            return reverse("compliance:defaultcase_step", kwargs={"pk": self.case.pk, "step": step})

        self.assertEqual(client.post(url("warn"), {"note": "预警"}).status_code, 302)
        response = client.post(url("rectify"), {"deadline": TODAY.isoformat()})
        self.assertEqual(response.status_code, 400)
        self.assertIn("deadline", response.context["form"].errors)
        self.assertEqual(client.post(url("rectify"), {"deadline": LATER.isoformat()}).status_code, 302)
        response = client.post(url("settle"), {"kind": "repayment", "amount": "", "currency": "CNY"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("amount", response.context["form"].errors)
        detail = client.get(self.case.get_absolute_url())
        self.assertContains(detail, 'data-step="settle"')
        self.assertEqual(DefaultCase.objects.get(pk=self.case.pk).stage, Stage.RECTIFICATION)

    def test_the_api_actions_take_the_steps_and_refuse_a_skip_with_the_field(self):
        api = APIClient()
        api.force_authenticate(self.staff)

        def url(step):
            return reverse(f"compliance-api:defaultcase-{step}", kwargs={"pk": self.case.pk})

        response = api.post(url("settle"), {"kind": "penalty", "amount": "10"}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("stage", response.json())
        self.assertEqual(api.post(url("warn"), {}, format="json").json()["stage"], "warning")
        response = api.post(url("rectify"), {"deadline": LATER.isoformat()}, format="json")
        self.assertEqual(response.json()["rectification_deadline"], LATER.isoformat())
        response = api.post(url("settle"), {"kind": "repayment", "amount": "2000000"}, format="json")
        self.assertEqual(response.json()["settlement_kind"], "repayment")
        self.assertEqual(api.post(url("close"), {}, format="json").json()["outcome"], "settled")

    def test_a_user_of_another_park_cannot_reach_the_steps(self):
        other = case_for(self.world, "out")
        api = APIClient()
        api.force_authenticate(self.staff)
        response = api.post(reverse("compliance-api:defaultcase-warn", kwargs={"pk": other.pk}), {}, format="json")
        self.assertEqual(response.status_code, 404)


class OverdueNotificationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.staff = cls.world.users["investment_staff"]

    def test_the_owner_hears_once_when_the_rectification_deadline_passes_without_closure(self):
        from parkos.notifications import checks
        from parkos.notifications.models import EventKind, Notification

        late = case_for(self.world, "in", owner=self.staff)
        services.case_warn(case=late, user=self.staff)
        services.case_start_rectification(case=late, user=self.staff, deadline=LATER)
        on_time = case_for(self.world, "in", owner=self.staff)
        services.case_warn(case=on_time, user=self.staff)
        services.case_start_rectification(case=on_time, user=self.staff, deadline=LATER + datetime.timedelta(days=30))
        closed = case_for(self.world, "in", owner=self.staff)
        services.case_close(case=closed, user=self.staff, outcome="cured", note="已达标")
        DefaultCase.objects.filter(pk=closed.pk).update(rectification_deadline=TODAY - datetime.timedelta(days=5))
        after = timezone.now() + datetime.timedelta(days=100)
        counts = checks.run_checks(now=after)
        self.assertEqual(counts[EventKind.RECTIFICATION_OVERDUE], 1)
        told = Notification.objects.filter(event__kind=EventKind.RECTIFICATION_OVERDUE)
        self.assertEqual([(n.recipient, n.event.object_id) for n in told], [(self.staff, late.pk)])
        self.assertEqual(checks.run_checks(now=after)[EventKind.RECTIFICATION_OVERDUE], 0, "told once")
        self.assertEqual(list(selectors.rectification_overdue(TODAY)), [])

    def test_open_cases_by_stage_counts_what_the_user_sees(self):
        case_for(self.world, "in")
        warned = case_for(self.world, "in")
        services.case_warn(case=warned, user=self.staff)
        case_for(self.world, "out")
        counts = selectors.open_cases_by_stage(self.staff)
        self.assertEqual(counts, {"open": 1, "warning": 1, "rectification": 0, "settlement": 0})
        self.assertEqual(selectors.open_cases_by_stage(self.world.users["operator_admin"])["open"], 2)
        self.assertEqual(selectors.open_cases_by_stage(self.world.users["enterprise_user"])["open"], 0)
