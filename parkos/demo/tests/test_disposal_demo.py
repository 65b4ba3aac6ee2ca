"""The demo's inefficient land: every inefficient parcel flagged, every parcel under disposal in a case, valid rows."""

import pytest

from parkos.core.testing import made_once_per_module
from parkos.demo.generator import load_demo
from parkos.land.models import DisposalCase, DisposalDocument, DisposalMilestone, ParcelFlag
from parkos.parks.models import LandParcel

SCALE = 0.02
Status = LandParcel.Status


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


def test_parcel_statuses_have_their_flags_and_cases(demo):
    inefficient = LandParcel.objects.filter(status=Status.INEFFICIENT)
    assert inefficient.exists()
    assert not inefficient.exclude(flags__cleared_on__isnull=True).exists()
    under = LandParcel.objects.filter(status=Status.UNDER_DISPOSAL)
    active = DisposalCase.objects.exclude(status=DisposalCase.Status.CLOSED)
    assert sorted(active.values_list("parcel_id", flat=True)) == sorted(under.values_list("pk", flat=True))
    for case in DisposalCase.objects.filter(status=DisposalCase.Status.CLOSED).select_related("parcel"):
        expected = Status.IDLE if case.outcome == DisposalCase.Outcome.RETURNED else Status.REDEVELOPED
        assert case.parcel.status == expected
        assert not case.parcel.flags.filter(cleared_on__isnull=True).exists()


def test_rows_pass_full_clean(demo):
    for model in (ParcelFlag, DisposalCase, DisposalMilestone, DisposalDocument):
        rows = list(model.objects.all()[:50])
        assert rows, model
        for row in rows:
            row.full_clean()
