"""Appeals: the standard suite, and an officer's decision with a re-run."""

from django.test import Client

from parkos.core.testing import StandardModelTests, csv_text
from parkos.evaluation.models import Appeal, EvaluationResult, EvaluationRun
from parkos.evaluation.tests.helpers import load_scheme

APPEALS_VISIBLE = {
    "operator_admin": "all",
    "evaluation_officer": "in",
    "park_manager": "in",
    "investment_staff": "in",
    "enterprise_user": "in",
}


def result_for(world, side) -> EvaluationResult:
    from parkos.evaluation.models import EvaluationScheme

    scheme = EvaluationScheme.objects.first() or load_scheme()
    run = EvaluationRun.objects.create(scheme=scheme, scheme_version=1, year=2024, status="done")
    return EvaluationResult.objects.create(
        run=run,
        organization=world.org[side],
        park=world.park[side],
        cohort="above_threshold",
        status="graded",
        total=80.0,
        rank=3,
        cohort_size=4,
        grade="C",
    )


class AppealTests(StandardModelTests):
    model = Appeal
    visible_to = APPEALS_VISIBLE
    editable_by = {"operator_admin": "all", "evaluation_officer": "in", "enterprise_user": "in"}
    update_data = {"reason": "The tax bureau's figure misses the December payment."}
    invalid_data = [("reason", ""), ("result", "999999")]

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.result_in = result_for(cls.world, "in")

    @classmethod
    def make(cls, world, side):
        return Appeal.objects.create(result=result_for(world, side), reason=f"Reason {world.seq():04d} {side}")

    @classmethod
    def form_data(cls, world):
        return {"result": EvaluationResult.objects.filter(organization=world.org["in"]).first().pk, "reason": "Wrong"}

    @staticmethod
    def csv_rows(world):
        pk = EvaluationResult.objects.filter(organization=world.org["in"]).first().pk
        return csv_text(
            [
                {"id": "", "result": pk, "reason": "Land too large", "status": "open", "decision": ""},
                {"id": "", "result": pk, "reason": "Tax missing", "status": "open", "decision": ""},
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return ",999999,Nothing,open,", "result"

    @staticmethod
    def api_data(world):
        return {"result": EvaluationResult.objects.filter(organization=world.org["in"]).first().pk, "reason": "API"}

    def test_appeal_takes_its_enterprise_and_park_from_the_result(self):
        self.assertEqual(self.obj_in.organization, self.world.org["in"])
        self.assertEqual(self.obj_in.park, self.world.park["in"])

    def test_enterprise_user_cannot_appeal_another_enterprises_result(self):
        client = Client()
        client.force_login(self.world.users["enterprise_user"])
        other = EvaluationResult.objects.filter(organization=self.world.org["out"]).first()
        response = client.post(self.url("add"), {"result": other.pk, "reason": "Not mine"})
        self.assertEqual(response.status_code, 400)

    def test_officer_accepts_and_reruns(self):
        from django.urls import reverse

        client = Client()
        client.force_login(self.world.users["evaluation_officer"])
        appeal = Appeal.objects.create(result=self.result_in, reason="Figures wrong")
        with self.captureOnCommitCallbacks(execute=True):
            response = client.post(
                reverse("evaluation:appeal_decide", args=[appeal.pk]),
                {"accept": "1", "decision": "Tax corrected from the bureau's amended file.", "rerun": "on"},
            )
        self.assertEqual(response.status_code, 302)
        appeal.refresh_from_db()
        self.assertEqual(appeal.status, Appeal.Status.ACCEPTED)
        self.assertEqual(appeal.decided_by, self.world.users["evaluation_officer"])
        self.assertIsNotNone(appeal.rerun)
        self.assertEqual(appeal.rerun.status, EvaluationRun.Status.DONE)  # ImmediateBackend
        self.assertTrue(self.changes(appeal, "update").exists())  # the decision is in the change log

    def test_officer_rejects_and_a_decided_appeal_stays_decided(self):
        from django.urls import reverse

        client = Client()
        client.force_login(self.world.users["evaluation_officer"])
        appeal = Appeal.objects.create(result=self.result_in, reason="Figures wrong")
        url = reverse("evaluation:appeal_decide", args=[appeal.pk])
        client.post(url, {"accept": "0", "decision": "The figures are the bureau's."})
        appeal.refresh_from_db()
        self.assertEqual(appeal.status, Appeal.Status.REJECTED)
        client.post(url, {"accept": "1", "decision": "Changed my mind."})
        appeal.refresh_from_db()
        self.assertEqual(appeal.status, Appeal.Status.REJECTED)

    def test_enterprise_user_cannot_decide(self):
        from django.urls import reverse

        client = Client()
        client.force_login(self.world.users["enterprise_user"])
        response = client.post(reverse("evaluation:appeal_decide", args=[self.obj_in.pk]), {"accept": "1"})
        self.assertEqual(response.status_code, 403)

    # Deciding is one service (appeal_decide) that the page and the API call alike; no channel sets a decision.

    def test_officer_decides_through_the_api_and_an_enterprise_may_not(self):
        from django.urls import reverse
        from rest_framework.test import APIClient

        appeal = Appeal.objects.create(result=self.result_in, reason="Figures wrong")
        url = reverse("evaluation-api:appeal-decide", args=[appeal.pk])
        enterprise = APIClient()
        enterprise.force_authenticate(self.world.users["enterprise_user"])
        self.assertEqual(enterprise.post(url, {"accept": True, "decision": "Mine"}, format="json").status_code, 403)
        officer = APIClient()
        officer.force_authenticate(self.world.users["evaluation_officer"])
        response = officer.post(url, {"accept": False, "decision": ""}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("decision", response.json())
        response = officer.post(url, {"accept": False, "decision": "The bureau's figures stand."}, format="json")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], Appeal.Status.REJECTED)
        again = officer.post(url, {"accept": True, "decision": "Changed my mind."}, format="json")
        self.assertEqual(again.status_code, 400)
        self.assertEqual(again.json()["non_field_errors"], ["This appeal has been decided already."])

    def test_an_enterprise_cannot_import_or_post_a_decided_appeal(self):
        from rest_framework.test import APIClient

        from parkos.core.resources import resource_for
        from parkos.core.testing import tablib_row

        user = self.world.users["enterprise_user"]
        resource = resource_for("evaluation.appeal")(user=user)
        report = resource.import_dataset(
            tablib_row({"id": "", "result": self.result_in.pk, "reason": "x", "status": "accepted", "decision": "yes"}),
            dry_run=True,
        )
        self.assertIn("status", {e.field for e in report.errors})
        api = APIClient()
        api.force_authenticate(user)
        response = api.post(
            self.api_url(), {"result": self.result_in.pk, "reason": "x", "status": "accepted"}, format="json"
        )
        if response.status_code == 201:  # status is read-only in the API: ignored
            self.assertEqual(response.json()["status"], Appeal.Status.OPEN)
