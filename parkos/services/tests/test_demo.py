"""The demo's services: the six-aspect catalogue, desks for the demo staff, requests in every status, valid rows."""

import pytest
from django.contrib.auth import get_user_model

from parkos.core.testing import made_once_per_module
from parkos.demo.generator import load_demo
from parkos.services.models import Aspect, RequestMessage, Scenario, Service, ServiceDesk, ServiceRequest, Status

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


def test_catalogue_scenarios_and_desks(demo):
    assert set(Service.objects.values_list("aspect", flat=True)) == set(Aspect.values)
    assert Service.objects.filter(provider__kind="financial").exists()
    assert Service.objects.filter(provider__kind="university").exists()
    assert Scenario.objects.filter(participants__isnull=False).exists()
    staff = get_user_model().objects.get(username="service")
    assert ServiceDesk.objects.filter(members=staff).count() == len(Aspect.values)


def test_requests_cover_the_statuses_and_are_valid(demo):
    assert set(ServiceRequest.objects.values_list("status", flat=True)) >= {
        Status.DONE,
        Status.DECLINED,
        Status.IN_PROGRESS,
    }
    assert ServiceRequest.objects.filter(rating__isnull=False).exists()
    assert RequestMessage.objects.exists()
    for request in ServiceRequest.objects.select_related("service")[:200]:
        request.full_clean()
        assert request.aspect == request.service.aspect
        assert request.responded_at is None or request.responded_at >= request.requested_at


def test_demo_accounts_have_requests(demo):
    User = get_user_model()
    enterprise = User.objects.get(username="enterprise")
    assert ServiceRequest.objects.restrict(enterprise).count() >= 12
    staff = User.objects.get(username="service")
    assert ServiceRequest.objects.restrict(staff).filter(assigned_to=staff).exists()
