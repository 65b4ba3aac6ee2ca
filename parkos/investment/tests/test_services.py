"""The pipeline move rules and the regular-contact flag on agreements."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from parkos.core.errors import NotFound
from parkos.core.testing import World
from parkos.investment.models import Agreement, Contact, Project, Stage, StageChange
from parkos.investment.services import (
    agreements_due_for_contact,
    contact_status,
    ensure_stage_history,
    project_move,
    with_last_contact,
)

TODAY = timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


class ProjectMoveTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.staff = cls.world.users["investment_staff"]

    def project(self, side="in", **fields) -> Project:
        fields = {"name": "晶圆封测项目", "park": self.world.park[side], "stage_since": days_ago(30), **fields}
        project = Project.objects.create(**fields)
        ensure_stage_history(project, self.staff)
        return project

    def test_a_move_saves_the_stage_and_writes_a_stage_change(self):
        project = self.project()
        moved = project_move(project=project, stage=Stage.CONTACTED, user=self.staff)
        moved.refresh_from_db()
        self.assertEqual((moved.stage, moved.stage_since), (Stage.CONTACTED, TODAY))
        self.assertEqual(project.stage, Stage.CONTACTED)  # the caller's object follows
        history = list(StageChange.objects.filter(project=project).values_list("previous_stage", "stage", "user"))
        self.assertEqual(history, [("", Stage.LEAD, self.staff.pk), (Stage.LEAD, Stage.CONTACTED, self.staff.pk)])

    def test_a_move_can_be_dated_back_to_the_day_the_stage_began(self):
        project = self.project()
        project_move(project=project, stage=Stage.NEGOTIATING, user=self.staff, date=days_ago(30))
        change = StageChange.objects.filter(project=project).latest("pk")
        self.assertEqual(
            (change.stage, change.previous_stage, change.date), (Stage.NEGOTIATING, Stage.LEAD, days_ago(30))
        )

    def test_a_date_before_the_current_stage_began_is_refused(self):
        project = self.project()
        with self.assertRaises(ValidationError) as caught:
            project_move(project=project, stage=Stage.CONTACTED, user=self.staff, date=days_ago(31))
        self.assertIn("date", caught.exception.message_dict)
        self.assertEqual(StageChange.objects.filter(project=project).count(), 1)

    def test_a_future_date_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            project_move(
                project=self.project(), stage=Stage.CONTACTED, user=self.staff, date=TODAY + datetime.timedelta(days=1)
            )
        self.assertIn("date", caught.exception.message_dict)

    def test_lost_needs_a_reason(self):
        project = self.project()
        for reason in ("", "   "):
            with self.assertRaises(ValidationError) as caught:
                project_move(project=project, stage=Stage.LOST, user=self.staff, lost_reason=reason)
            self.assertIn("lost_reason", caught.exception.message_dict)
        project.refresh_from_db()
        self.assertEqual(project.stage, Stage.LEAD)
        project_move(project=project, stage=Stage.LOST, user=self.staff, lost_reason="Chose Suzhou")
        project.refresh_from_db()
        self.assertEqual((project.stage, project.lost_reason), (Stage.LOST, "Chose Suzhou"))

    def test_reopening_a_lost_project_clears_the_reason(self):
        project = self.project(stage=Stage.LOST, lost_reason="Budget cut")
        project_move(project=project, stage=Stage.CONTACTED, user=self.staff)
        project.refresh_from_db()
        self.assertEqual((project.stage, project.lost_reason), (Stage.CONTACTED, ""))

    def test_a_move_to_the_same_stage_or_an_unknown_one_is_refused(self):
        project = self.project(stage=Stage.SIGNED)
        for stage in (Stage.SIGNED, "finished"):
            with self.assertRaises(ValidationError) as caught:
                project_move(project=project, stage=stage, user=self.staff)
            self.assertIn("stage", caught.exception.message_dict)

    def test_a_project_outside_the_users_parks_is_not_found(self):
        project = self.project(side="out")
        with self.assertRaises(NotFound):
            project_move(project=project, stage=Stage.CONTACTED, user=self.staff)
        for role in ("government_partner", "park_manager", "enterprise_user"):
            with self.subTest(role=role), self.assertRaises((NotFound, PermissionDenied)):
                project_move(project=self.project(), stage=Stage.CONTACTED, user=self.world.users[role])
        self.assertEqual(StageChange.objects.filter(previous_stage=Stage.LEAD).count(), 0)

    def test_the_first_move_of_a_project_without_history_writes_its_start_too(self):
        project = Project.objects.create(name="X", park=self.world.park["in"], stage_since=days_ago(5))
        project_move(project=project, stage=Stage.CONTACTED, user=self.staff)
        stages = list(StageChange.objects.filter(project=project).values_list("stage", "date"))
        self.assertEqual(stages, [(Stage.LEAD, days_ago(5)), (Stage.CONTACTED, TODAY)])

    def test_ensure_stage_history_writes_once(self):
        project = Project.objects.create(name="Y", park=self.world.park["in"])
        self.assertIsNotNone(ensure_stage_history(project, self.staff))
        self.assertIsNone(ensure_stage_history(project, self.staff))
        self.assertEqual(StageChange.objects.filter(project=project).count(), 1)


class ContactCadenceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.park = cls.world.park["in"]

    def agreement(self, *, cadence=Agreement.Cadence.QUARTERLY, signed_days_ago=400, contacts=(), **fields):
        fields = {
            "kind": Agreement.Kind.STRATEGIC,
            "title": f"Agreement {Agreement.objects.count() + 1}",
            "status": Agreement.Status.IN_FORCE,
            "park": self.park,
            "signed_on": days_ago(signed_days_ago) if signed_days_ago is not None else None,
            "contact_cadence": cadence,
            **fields,
        }
        agreement = Agreement.objects.create(**fields)
        for n in contacts:
            Contact.objects.create(date=days_ago(n), subject="Quarterly meeting", park=self.park, agreement=agreement)
        return agreement

    def due(self) -> set[int]:
        return set(agreements_due_for_contact(Agreement.objects.all(), today=TODAY).values_list("pk", flat=True))

    def test_contact_exactly_one_cadence_ago_is_due_today_not_overdue(self):
        on_time = self.agreement(contacts=[200, 92])
        late = self.agreement(contacts=[93])
        self.assertEqual(self.due(), {late.pk})
        self.assertEqual(contact_status(on_time, TODAY)["overdue"], False)
        self.assertEqual(contact_status(on_time, TODAY)["due_on"], TODAY)
        status = contact_status(late, TODAY)
        self.assertEqual((status["overdue"], status["overdue_days"], status["last_contact"]), (True, 1, days_ago(93)))

    def test_never_contacted_counts_from_the_signing(self):
        recent = self.agreement(cadence=Agreement.Cadence.MONTHLY, signed_days_ago=31)
        old = self.agreement(cadence=Agreement.Cadence.MONTHLY, signed_days_ago=32)
        unsigned = self.agreement(cadence=Agreement.Cadence.MONTHLY, signed_days_ago=None, status="draft")
        self.assertEqual(self.due(), {old.pk})
        self.assertEqual(contact_status(old, TODAY)["last_contact"], None)
        self.assertEqual(contact_status(old, TODAY)["due_on"], days_ago(1))
        self.assertFalse(contact_status(recent, TODAY)["overdue"])
        self.assertIsNone(contact_status(unsigned, TODAY))

    def test_each_cadence_has_its_own_cutoff(self):
        expected = set()
        for cadence in Agreement.Cadence:
            self.agreement(cadence=cadence, contacts=[cadence.value])
            expected.add(self.agreement(cadence=cadence, contacts=[cadence.value + 1]).pk)
        self.assertEqual(self.due(), expected)

    def test_no_cadence_or_finished_agreements_are_never_due(self):
        none = self.agreement(cadence=None, contacts=[1000])
        finished = self.agreement(status=Agreement.Status.COMPLETED, contacts=[1000])
        self.assertEqual(self.due(), set())
        self.assertIsNone(contact_status(none, TODAY))
        self.assertIsNone(contact_status(finished, TODAY))

    def test_the_flag_combines_with_commitment_counts_without_multiplying_them(self):
        agreement = self.agreement(contacts=[300, 200, 100])
        rows = agreements_due_for_contact(Agreement.objects.with_implementation(TODAY), today=TODAY)
        row = rows.get(pk=agreement.pk)
        self.assertEqual((row.n_commitments, row.last_contact_on), (0, days_ago(100)))

    def test_contact_status_uses_the_annotation_without_a_query(self):
        self.agreement(contacts=[10])
        agreement = with_last_contact(Agreement.objects.all()).get()
        with self.assertNumQueries(0):
            status = contact_status(agreement, TODAY)
        self.assertEqual(status["last_contact"], days_ago(10))
