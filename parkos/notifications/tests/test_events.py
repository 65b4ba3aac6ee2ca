"""Each event where it happens: appeals, evaluation runs, and the scheduled checks of leases, commitments,
contacts and disposal milestones, each reaching its park's people and nobody of the other park."""

from __future__ import annotations

import datetime
from unittest import mock

from django.contrib.auth.models import Group
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from parkos.core import writes
from parkos.core.testing import PASSWORD, World
from parkos.evaluation import services as evaluation
from parkos.evaluation.models import Appeal, EvaluationRun
from parkos.evaluation.tests.test_appeals import result_for
from parkos.investment.models import Agreement, Commitment
from parkos.investment.tests.test_views import agreement_for, commitment_for
from parkos.land.models import DisposalMilestone
from parkos.land.tests.test_views import case_for
from parkos.leasing.models import Lease
from parkos.notifications import checks, services
from parkos.notifications.models import Event, EventKind, Notification
from parkos.users.models import User


def twin(world, role: str) -> User:
    """A user of ``role`` on the other side (its park or its organization)."""
    user = User.objects.create_user(f"{role}_out", password=PASSWORD)
    user.groups.add(Group.objects.get(name=role))
    if role == "enterprise_user":
        user.organizations.add(world.org["out"])
    else:
        user.parks.add(world.park["out"])
    return user


class EventWorld(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.users = cls.world.users
        cls.out = {role: twin(cls.world, role) for role in ("evaluation_officer", "park_manager", "investment_staff",
                                                           "enterprise_user")}  # fmt: skip

    def kinds(self, user):
        return sorted(Notification.objects.filter(recipient=user).values_list("event__kind", flat=True))

    def assert_only(self, kind, users):
        """``kind`` reached exactly ``users``."""
        got = set(Notification.objects.filter(event__kind=kind).values_list("recipient__username", flat=True))
        self.assertEqual(got, {u.username for u in users})


class AppealAndRunTests(EventWorld):
    def test_an_appeal_filed_reaches_the_parks_officers_and_its_decision_the_enterprise(self):
        result = result_for(self.world, "in")
        with self.captureOnCommitCallbacks(execute=True):
            appeal = writes.save(
                Appeal(result=result, reason="税额漏计了十二月"), user=self.users["enterprise_user"], created=True
            )
        self.assert_only(EventKind.APPEAL_FILED, [self.users["evaluation_officer"]])
        self.assertEqual(Event.objects.get(kind=EventKind.APPEAL_FILED).title, f"{self.world.org['in']} · 2024")
        with self.captureOnCommitCallbacks(execute=True):
            evaluation.appeal_decide(
                appeal=appeal, user=self.users["evaluation_officer"], accept=False, decision="数据无误"
            )
        self.assert_only(EventKind.APPEAL_DECIDED, [self.users["enterprise_user"]])

    def test_a_run_tells_whoever_started_it_when_it_finished_or_failed(self):
        officer = self.users["evaluation_officer"]
        scheme = result_for(self.world, "in").run.scheme
        with self.captureOnCommitCallbacks(execute=True):
            run = evaluation.evaluation_run_create(scheme=scheme, year=2024, user=officer)
            broken = mock.patch.object(evaluation, "filings_frame", side_effect=RuntimeError("文件损坏"))
            with broken, self.assertRaises(RuntimeError):
                evaluation.evaluation_run_execute(run=run)
        self.assert_only(EventKind.RUN_FAILED, [officer])
        self.assertEqual(Event.objects.get(kind=EventKind.RUN_FAILED).detail, "文件损坏")
        self.assertEqual(EvaluationRun.objects.get(pk=run.pk).status, "failed")


class ScheduledCheckTests(EventWorld):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        today = timezone.localdate()
        for side in ("in", "out"):
            Lease.objects.create(
                tenant=cls.world.org[side],
                park=cls.world.park[side],
                start_date=today - datetime.timedelta(days=300),
                end_date=today + datetime.timedelta(days=20),
                rent_amount=1,
                status=Lease.Status.IN_FORCE,
                leased_area=100,
            )
            commitment = commitment_for(cls.world, side)
            Commitment.objects.filter(pk=commitment.pk).update(due_date=today - datetime.timedelta(days=3))
            soon = commitment_for(cls.world, side)
            Commitment.objects.filter(pk=soon.pk).update(due_date=today + datetime.timedelta(days=10))
            agreement = agreement_for(cls.world, side, contact_cadence=Agreement.Cadence.values[0])
            Agreement.objects.filter(pk=agreement.pk).update(signed_on=today - datetime.timedelta(days=400))
            DisposalMilestone.objects.create(
                case=case_for(cls.world, side), title="评估完成", due_date=today + datetime.timedelta(days=2)
            )

    def test_each_check_reaches_the_parks_people_once_and_no_one_of_the_other_park(self):
        counts = checks.run_checks()
        for kind in (EventKind.LEASE_EXPIRING, EventKind.COMMITMENT_OVERDUE, EventKind.COMMITMENT_DUE,
                     EventKind.CONTACT_DUE, EventKind.MILESTONE_DUE):  # fmt: skip
            self.assertEqual(counts[kind], 2, kind)  # one per park
        self.assertEqual(self.kinds(self.users["park_manager"]), [EventKind.LEASE_EXPIRING])
        self.assertEqual(self.kinds(self.out["park_manager"]), [EventKind.LEASE_EXPIRING])
        self.assertEqual(
            self.kinds(self.users["investment_staff"]),
            [EventKind.COMMITMENT_DUE, EventKind.COMMITMENT_OVERDUE, EventKind.CONTACT_DUE],
        )
        self.assertEqual(self.kinds(self.users["evaluation_officer"]), [EventKind.MILESTONE_DUE])
        for user in (self.users["enterprise_user"], self.out["enterprise_user"], self.users["service_staff"]):
            self.assertEqual(self.kinds(user), [], user.username)
        in_park = Notification.objects.filter(recipient__in=self.users.values()).values_list("event_id", flat=True)
        out_park = Notification.objects.filter(recipient__in=self.out.values()).values_list("event_id", flat=True)
        self.assertFalse(set(in_park) & set(out_park))  # each park's people, each park's events
        self.assertEqual(sum(n for k, n in checks.run_checks().items() if k != "retried deliveries"), 0)

    def test_the_checks_cost_the_same_queries_for_two_objects_of_a_kind_as_for_twenty(self):
        """Each kind reads its rows, the events already made, the parks and candidates, and the scope once per
        group of users alike, and writes events, inbox rows and deliveries with one INSERT each."""
        with CaptureQueriesContext(connection) as few:
            first = checks.run_checks()
        self.assertEqual(first[EventKind.LEASE_EXPIRING], 2)
        Event.objects.all().delete()
        today = timezone.localdate()
        for side in ("in", "out"):
            for n in range(9):
                Lease.objects.create(
                    tenant=self.world.org[side],
                    park=self.world.park[side],
                    start_date=today - datetime.timedelta(days=300),
                    end_date=today + datetime.timedelta(days=20 + n),
                    rent_amount=1,
                    status=Lease.Status.IN_FORCE,
                    leased_area=100,
                )
                commitment = commitment_for(self.world, side)
                Commitment.objects.filter(pk=commitment.pk).update(due_date=today - datetime.timedelta(days=3))
                DisposalMilestone.objects.create(
                    case=case_for(self.world, side), title="现场核查", due_date=today + datetime.timedelta(days=1)
                )
        with CaptureQueriesContext(connection) as many:
            second = checks.run_checks()
        self.assertEqual(second[EventKind.LEASE_EXPIRING], 20)
        self.assertEqual(second[EventKind.COMMITMENT_OVERDUE], 20)
        self.assertEqual(second[EventKind.MILESTONE_DUE], 20)
        self.assertEqual(len(many.captured_queries), len(few.captured_queries))
        self.assertLessEqual(len(many.captured_queries), 120)
        # the same people as an event made on its own (services.recipients) would reach
        for event in Event.objects.select_related("content_type"):
            obj = event.content_type.get_object_for_this_type(pk=event.object_id)
            told = set(event.notifications.values_list("recipient_id", flat=True))
            self.assertEqual(told, {u.pk for u in services.recipients(event.kind, obj)}, event.kind)
