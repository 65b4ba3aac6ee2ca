"""The demo's investment pipeline: stage histories, agreements with mixed commitment statuses, valid rows."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count

from parkos.core.models import ObjectChange
from parkos.core.testing import made_once_per_module
from parkos.demo.generator import demo_today, load_demo
from parkos.investment.models import (
    Agreement,
    Commitment,
    CommitmentStatus,
    Contact,
    Event,
    ExchangeRate,
    Party,
    Progress,
    Project,
    Signatory,
    Stage,
    StageChange,
)

SCALE = 0.02


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_rows(django_db_setup, django_db_blocker):  # noqa: ARG001
    """The demo, loaded once for the module (about 5 s a load); what a test changes rolls back after it."""
    yield from made_once_per_module(django_db_blocker, lambda: load_demo(scale=SCALE))


@pytest.fixture
def demo(demo_rows, db):
    return dict(demo_rows)


def test_agreements_have_commitments_in_several_statuses(demo):
    statuses = set(Commitment.objects.with_status(demo_today()).values_list("current_status", flat=True))
    assert CommitmentStatus.MET in statuses
    assert len(statuses) >= 3, statuses
    assert Agreement.objects.annotate(n=Count("parties")).filter(n__lt=2).count() == 0
    assert Agreement.objects.exclude(status=Agreement.Status.DRAFT).filter(signatories__isnull=False).exists()
    assert Progress.objects.exists() and Contact.objects.exists() and Event.objects.exists()
    assert set(ExchangeRate.objects.values_list("currency", flat=True)) == {"USD", "EUR", "HKD", "JPY"}


def test_derived_commitment_fields_match_what_save_would_compute(demo):
    for commitment in Commitment.objects.order_by("?")[:40]:
        stored = (commitment.midpoint, commitment.latest_value, commitment.latest_on, commitment.met_on)
        commitment.refresh_progress()  # save() derives them from the progress records
        commitment.refresh_from_db()
        assert (commitment.midpoint, commitment.latest_value, commitment.latest_on, commitment.met_on) == stored


def test_every_project_has_a_stage_history_ending_in_its_stage(demo):
    assert Project.objects.filter(stage_changes__isnull=True).count() == 0
    for project in Project.objects.prefetch_related("stage_changes")[:50]:
        history = list(project.stage_changes.all())
        assert history[0].previous_stage == ""
        assert history[-1].stage == project.stage and history[-1].date == project.stage_since
        assert [h.date for h in history] == sorted(h.date for h in history)
    assert Project.objects.filter(stage=Stage.LOST).exclude(lost_reason="").count() == (
        Project.objects.filter(stage=Stage.LOST).count()
    )
    assert StageChange.objects.count() > Project.objects.count()


def test_the_demo_government_partner_is_party_to_agreements(demo):
    government = get_user_model().objects.get(username="government")
    visible = Agreement.objects.restrict(government)
    assert visible.count() >= 2
    assert visible.count() < Agreement.objects.count()
    investment = get_user_model().objects.get(username="investment")
    assert Project.objects.restrict(investment).filter(owner=investment).exists()


def test_sample_investment_rows_pass_full_clean(demo):
    for model in (Project, Event, Agreement, Party, Signatory, Commitment, Progress, Contact, ExchangeRate):
        rows = list(model.objects.order_by("?")[:20])
        assert rows, model
        for row in rows:
            row.full_clean()


def test_investment_creations_are_in_the_change_log(demo):
    created = ObjectChange.objects.filter(source="demo", changed_object_type__app_label="investment")
    assert created.filter(changed_object_type__model="agreement").count() == Agreement.objects.count()
    secret = Project.objects.filter(is_confidential=True).first()
    if secret is not None:
        change = created.get(changed_object_type__model="project", changed_object_id=secret.pk)
        assert secret.name not in change.object_repr and change.postchange_data["name"] != secret.name
