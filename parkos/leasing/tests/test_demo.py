"""The demo's leases: the demo enterprise has one in force, the manager sees occupancy, no contract clashes."""

import pytest
from django.contrib.auth import get_user_model

from parkos.demo.generator import demo_today, load_demo
from parkos.leasing.models import Lease, RentTerm, Sale
from parkos.leasing.selectors import lease_holds_q, occupancy
from parkos.leasing.services import unit_clashes

SCALE = 0.02


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    return load_demo(scale=SCALE)


def test_demo_leases_follow_the_rules_and_reach_the_demo_accounts(demo):
    users = get_user_model().objects
    enterprise = users.get(username="enterprise")
    own = Lease.objects.restrict(enterprise).filter(lease_holds_q(demo_today()))
    assert own.exists(), "the demo enterprise has a lease in force"
    result = occupancy(users.get(username="manager"), demo_today())
    assert result.total.lettable > 0 and 0 < result.total.rate < 1
    assert Lease.objects.filter(status=Lease.Status.RENEWED, renewals__isnull=False).exists()
    assert Lease.objects.filter(status=Lease.Status.TERMINATED).exists()
    assert RentTerm.objects.filter(rent_amount=0).exists() and Sale.objects.exists()
    for lease in Lease.objects.filter(status__in=Lease.HOLDING).prefetch_related("units")[:300]:
        clashes = unit_clashes(
            units=lease.units.all(), start=lease.start_date, end=lease.effective_end, exclude=[lease]
        )
        assert clashes == [], clashes[0].message
