"""Routing never drops work: every open appeal, service request and proposal of the demo has someone to act on it.

"Someone" is a user below the operator admin (who reads everything anyway): the park's own staff, or the
role's fallback group when no one covers the park (parkos.core.permissions).
"""

import pytest
from django.contrib.auth import get_user_model

from parkos.core.permissions import Action, Scope, scope_of
from parkos.core.testing import made_once_per_module
from parkos.demo.generator import load_demo
from parkos.evaluation.models import Appeal, EvaluationResult
from parkos.evaluation.services import may_decide_appeals
from parkos.portal.models import ProfileChangeRequest
from parkos.portal.services import may_review
from parkos.services.models import OPEN_STATUSES, Service, ServiceRequest
from parkos.services.services import is_staff_for, request_file

SCALE = 0.02

#: model -> (its open rows, who may act on rows of it at all)
ROUTED = {
    Appeal: (lambda: Appeal.objects.filter(status=Appeal.Status.OPEN), may_decide_appeals),
    ServiceRequest: (
        lambda: ServiceRequest.objects.filter(status__in=OPEN_STATUSES),
        lambda user: scope_of(user) == Scope.PARKS,
    ),
    ProfileChangeRequest: (
        lambda: ProfileChangeRequest.objects.filter(status=ProfileChangeRequest.Status.PENDING),
        lambda user: may_review(user=user),
    ),
}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_with_appeals() -> set[int]:
    load_demo(scale=SCALE)
    # the demo files no appeal: one against a result in every park, as enterprises would
    for park_id in EvaluationResult.objects.values_list("park", flat=True).distinct():
        result = EvaluationResult.objects.filter(park_id=park_id).order_by("pk").first()
        Appeal.objects.create(result=result, reason="The tax paid is missing a quarter.")
    users = get_user_model().objects.filter(is_active=True, is_superuser=False)
    return {u.pk for u in users if scope_of(u) == Scope.PARKS}


@pytest.fixture(scope="module")
def demo_staff(django_db_setup, django_db_blocker):  # noqa: ARG001
    """The demo, loaded once for the module (about 5 s a load); what a test changes rolls back after it."""
    yield from made_once_per_module(django_db_blocker, load_with_appeals)


@pytest.fixture
def demo(demo_staff, db):
    # the users read afresh for each test: a test that changes their groups leaves no cached permissions behind
    users = get_user_model().objects.filter(is_active=True, is_superuser=False)
    return {"staff": [u for u in users if u.pk in demo_staff]}


def actionable_by_staff(model, staff) -> set[int]:
    rows, may_act = ROUTED[model]
    reach: set[int] = set()
    for user in staff:
        if may_act(user):
            reach |= set(model.objects.restrict(user, Action.CHANGE).values_list("pk", flat=True))
    return reach


def test_every_open_routed_object_has_staff_who_may_act_on_it(demo):
    for model, (rows, _may_act) in ROUTED.items():
        open_rows = set(rows().values_list("pk", flat=True))
        assert open_rows, model  # the demo holds some, or the test proves nothing
        dropped = open_rows - actionable_by_staff(model, demo["staff"])
        assert not dropped, f"{model.__name__}: {len(dropped)} of {len(open_rows)} reach only the operator admin"


def test_the_demo_enterprises_appeal_reaches_the_named_officer_and_manager(demo):
    User = get_user_model()
    enterprise = User.objects.get(username="enterprise").organizations.get()
    result = EvaluationResult.objects.filter(organization=enterprise).order_by("pk").first()
    assert result is not None
    appeal = Appeal.objects.create(result=result, reason="Our land area is counted twice.")
    officer, manager = User.objects.get(username="evaluation"), User.objects.get(username="manager")
    assert Appeal.objects.restrict(officer, Action.CHANGE).filter(pk=appeal.pk).exists()
    assert Appeal.objects.restrict(manager, Action.VIEW).filter(pk=appeal.pk).exists()


def test_a_request_filed_in_an_uncovered_park_goes_to_the_fallback_desk(demo):
    User = get_user_model()
    service_staff = User.objects.filter(groups__name="service_staff")
    covered = set(service_staff.exclude(username="service-desk").values_list("parks", flat=True))
    request = ServiceRequest.objects.exclude(park__in=covered).select_related("enterprise", "park").first()
    assert request is not None
    admin = User.objects.get(username="admin")
    filed = request_file(
        user=admin,
        enterprise=request.enterprise,
        park=request.park,
        service=Service.objects.filter(aspect=request.aspect).first(),
        title="Help with a grant application",
    )
    filed.refresh_from_db()
    desk = User.objects.get(username="service-desk")
    assert filed.assigned_to == desk
    assert is_staff_for(user=desk, request=filed)
    # the named service account does not cover the park and neither sees it nor is given it
    assert not ServiceRequest.objects.restrict(User.objects.get(username="service")).filter(pk=filed.pk).exists()


def test_without_the_fallback_groups_work_would_reach_only_the_admin(demo):
    from django.contrib.auth.models import Group

    from parkos.core.permissions import fallback_group_name

    for role in ("service_staff", "evaluation_officer", "park_manager"):
        Group.objects.get(name=fallback_group_name(role)).user_set.clear()
    staff = [u for u in get_user_model().objects.filter(is_active=True) if scope_of(u) == Scope.PARKS]
    for model in (Appeal, ServiceRequest):
        rows, _may_act = ROUTED[model]
        assert set(rows().values_list("pk", flat=True)) - actionable_by_staff(model, staff), model


def test_the_demo_enterprises_request_from_the_catalogue_is_assigned(demo):
    User = get_user_model()
    account = User.objects.get(username="enterprise")
    enterprise = account.organizations.get()
    park = ServiceRequest.objects.filter(enterprise=enterprise).values_list("park", flat=True).first()
    assert park is not None
    filed = request_file(
        user=account,
        enterprise=enterprise,
        park=ServiceRequest.objects.filter(park=park).first().park,
        service=Service.objects.order_by("pk").first(),
        title="想了解绿色工厂认证",
    )
    filed.refresh_from_db()
    assert filed.assigned_to is not None
    assert is_staff_for(user=filed.assigned_to, request=filed)
