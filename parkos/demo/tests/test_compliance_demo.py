"""The demo's default cases: a few at every stage, each a valid row the pages and the overdue check read."""

import pytest

from parkos.compliance.models import DefaultCase
from parkos.compliance.selectors import rectification_overdue
from parkos.core.testing import made_once_per_module
from parkos.demo.generator import demo_today, load_demo

SCALE = 0.02


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_rows(django_db_setup, django_db_blocker):  # noqa: ARG001
    yield from made_once_per_module(django_db_blocker, lambda: load_demo(scale=SCALE))


@pytest.fixture
def demo(demo_rows, db):
    return dict(demo_rows)


def test_cases_at_every_stage_with_an_owner_and_a_passed_deadline(demo):
    stages = set(DefaultCase.objects.values_list("stage", flat=True))
    assert stages == set(DefaultCase.Stage.values)
    assert demo["default cases"] == DefaultCase.objects.count() >= 6
    assert not DefaultCase.objects.filter(owner__isnull=True).exists()
    assert rectification_overdue(demo_today()).exists()
    assert {"cured", "settled"} <= set(DefaultCase.objects.values_list("outcome", flat=True))


def test_rows_pass_full_clean_and_are_in_the_change_log(demo):
    from parkos.core.models import ObjectChange

    for case in DefaultCase.objects.all():
        case.full_clean()
        assert case.agreement_id == case.commitment.agreement_id
    logged = ObjectChange.objects.filter(changed_object_type__model="defaultcase", action="create").count()
    assert logged == DefaultCase.objects.count()
