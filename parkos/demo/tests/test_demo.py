"""The demo data set: deterministic, valid against every model rule, and one account per role."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.models import F, Sum

from parkos.core.geometry import polygon_area_m2, validate_polygon
from parkos.core.models import ChangeLoggedModel, ObjectChange
from parkos.core.permissions import ROLES, fallback_group_name
from parkos.core.testing import made_once_per_module
from parkos.demo.generator import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    FALLBACK_ACCOUNTS,
    account_rows,
    delete_domain_data,
    domain_models,
    domain_row_count,
    load_demo,
    volumes,
)
from parkos.directory.models import Industry, Organization, OrganizationAlias, Person, Position
from parkos.directory.validators import validate_credit_code
from parkos.leasing.models import ParkOccupancyState
from parkos.parks.models import Building, LandParcel, Park, ParkBrand, SpaceUnit
from parkos.policies.models import MatchSnapshot, Policy

SCALE = 0.02
DOMAIN_MODELS = (
    Industry,
    Organization,
    OrganizationAlias,
    Person,
    Position,
    ParkBrand,
    Park,
    LandParcel,
    Building,
    SpaceUnit,
)


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


def snapshot() -> dict:
    return {
        "organizations": list(
            Organization.objects.order_by("credit_code").values_list(
                "name",
                "name_en",
                "credit_code",
                "kind",
                "industry__code",
                "district",
                "registered_capital_amount",
                "is_high_tech",
                "is_srdi",
                "is_listed",
            )
        ),
        "aliases": sorted(OrganizationAlias.objects.values_list("organization__credit_code", "name")),
        "parks": list(
            Park.objects.order_by("code").values_list("code", "name", "brand__code", "land_area", "boundary")
        ),
        "parcels": list(
            LandParcel.objects.order_by("park__code", "code").values_list(
                "park__code", "code", "area", "status", "holder__credit_code", "plot_ratio_cap"
            )
        ),
        "units": list(
            SpaceUnit.objects.order_by(
                "building__parcel__park__code", "building__parcel__code", "building__code", "code"
            ).values_list("code", "area")
        ),
        "people": sorted(
            Position.objects.values_list("person__name", "title", "organization__credit_code", "start_date")
        ),
    }


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data():
    load_demo(scale=SCALE, seed=7)
    first = snapshot()
    delete_domain_data()
    assert domain_row_count() == 0
    load_demo(scale=SCALE, seed=7)
    assert snapshot() == first


@pytest.mark.django_db
def test_another_seed_gives_other_data():
    load_demo(scale=SCALE, seed=1)
    first = snapshot()
    delete_domain_data()
    load_demo(scale=SCALE, seed=2)
    assert snapshot()["organizations"] != first["organizations"]


def planner_rows(table: str) -> int:
    """The rows the query planner believes ``table`` holds (its last ANALYZE; -1 / 0 when never analyzed)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            return int(cursor.fetchone()[0])
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s AND idx IS NULL", [table])
        row = cursor.fetchone()
        if row is None:  # a table with indexes has its rows on each index's line
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
            row = cursor.fetchone()
        return int(row[0].split()[0]) if row else 0


# before the first test that asks for the demo, which is then loaded for the rest of the module
@pytest.mark.django_db
def test_the_command_loads_once_and_reports_existing_data():
    out = io.StringIO()
    call_command("demo", "--scale", str(SCALE), "--no-serve", stdout=out)
    assert "Loaded in" in out.getvalue() and "investment" in out.getvalue()
    # every policy's matches are stored at load, so no visitor waits for the matching
    assert "policy_matches:" in out.getvalue()
    assert MatchSnapshot.objects.count() == Policy.objects.count() > 0
    # and every park's occupancy, so no visitor of the leasing figures computes them all
    assert "parks' occupancy stored" in out.getvalue()
    assert not ParkOccupancyState.objects.exclude(computed=F("version")).exists()
    assert ParkOccupancyState.objects.count() == Park.objects.count()
    # ... and the planner knows their sizes (they were written after the load's ANALYZE)
    assert planner_rows(ParkOccupancyState._meta.db_table) == Park.objects.count()
    organizations = Organization.objects.count()
    out = io.StringIO()
    call_command("demo", "--scale", str(SCALE), "--no-serve", stdout=out)
    assert f"{organizations:,} organizations" in out.getvalue() and "not loaded" in out.getvalue()
    assert "enterprise" in out.getvalue()  # the accounts table is printed all the same
    assert Organization.objects.count() == organizations
    out = io.StringIO()
    call_command("demo", "--scale", str(SCALE), "--no-serve", "--reset", "--seed", "5", stdout=out)
    assert "Deleted" in out.getvalue() and "Loaded in" in out.getvalue()


def test_the_volumes_follow_the_scale(demo):
    planned = volumes(SCALE)
    assert Organization.objects.filter(kind=Organization.Kind.ENTERPRISE).count() == planned["enterprises"]
    assert Park.objects.count() == planned["parks"]
    assert LandParcel.objects.count() == planned["parcels"]
    assert Person.objects.count() >= planned["people"]
    assert volumes(1)["enterprises"] == 16_000
    assert volumes(6.25)["enterprises"] == 100_000
    assert 4 <= ParkBrand.objects.count() <= 6
    assert demo["organizations"] == Organization.objects.count()


def test_every_credit_code_validates(demo):
    codes = list(Organization.objects.values_list("kind", "credit_code"))
    assert all(code for _kind, code in codes)
    for kind, code in codes:
        validate_credit_code(code)
        if kind == Organization.Kind.ENTERPRISE:
            assert code.startswith("913101"), code  # an enterprise registered in a Shanghai district


def test_enterprise_flags_come_in_sensible_proportions(demo):
    enterprises = Organization.objects.filter(kind=Organization.Kind.ENTERPRISE)
    total = enterprises.count()
    assert 0.15 <= enterprises.filter(is_high_tech=True).count() / total <= 0.35
    assert 0.04 <= enterprises.filter(is_srdi=True).count() / total <= 0.18
    assert 0.005 <= enterprises.filter(is_listed=True).count() / total <= 0.07
    assert enterprises.filter(is_unicorn=True).count() / total <= 0.02
    others = Organization.objects.exclude(kind=Organization.Kind.ENTERPRISE)
    assert not others.filter(is_high_tech=True).exists()
    assert enterprises.filter(registered_capital_currency="USD").exists()
    assert enterprises.filter(industry__isnull=True).count() == 0


def test_the_industry_tree_has_the_nine_fields_with_sub_industries(demo):
    tops = Industry.objects.filter(parent__isnull=True)
    assert set(tops.values_list("code", flat=True)) == {"IC", "AI", "BIO", "EQP", "NE", "MAT", "DIG", "FIN", "TRADE"}
    for top in tops:
        children = top.children.all()
        assert 3 <= len(children) <= 6
        for child in children:
            assert child.tree_path == f"{top.code}/{child.code}/" and child.depth == 1
    # the subtree filter the list pages use finds the enterprises of every sub-industry
    ic = Industry.objects.get(code="IC")
    assert (
        Organization.objects.filter(industry__tree_path__startswith=ic.tree_path).count()
        > Organization.objects.filter(industry=ic).count()
    )


def test_parks_lie_in_shanghai_with_boundaries_that_match_their_land_area(demo):
    for park in Park.objects.all():
        validate_polygon(park.boundary)
        ring = park.boundary["coordinates"][0]
        assert ring[0] == ring[-1]
        assert all(120.8 < lon < 122.2 and 30.6 < lat < 31.9 for lon, lat in ring), park.code
        assert abs(float(park.land_area) - polygon_area_m2(park.boundary)) < 1
        assert 300_000 < park.land_area < 6_500_000  # a few km²


def test_parcels_fit_in_their_park(demo):
    for park in Park.objects.annotate(parcels_area=Sum("parcels__area")):
        assert park.parcels_area <= park.land_area, park.code
        assert park.parcels_area > park.land_area * Decimal("0.4"), park.code  # roads and green, not waste
    for parcel in LandParcel.objects.all()[:50]:
        assert abs(float(parcel.area) - polygon_area_m2(parcel.geometry)) < 1


def test_units_fit_in_their_building(demo):
    for building in Building.objects.annotate(units_area=Sum("space_units__area")):
        assert building.units_area is not None, building.pk
        assert building.units_area <= building.floor_area, building.pk


def test_buildings_are_plausible_for_their_parcel(demo):
    for parcel in LandParcel.objects.annotate(floor_area=Sum("buildings__floor_area")):
        if parcel.status == LandParcel.Status.IDLE:
            assert parcel.floor_area is None  # idle land: nothing built
        elif parcel.floor_area is not None:
            assert parcel.floor_area <= parcel.area * parcel.plot_ratio_cap, parcel.code


def test_every_role_has_a_demo_account(demo):
    users = {u.username: u for u in get_user_model().objects.prefetch_related("groups", "parks", "organizations")}
    assert {a.role for a in DEMO_ACCOUNTS} == {role.name for role in ROLES}
    for account in DEMO_ACCOUNTS:
        user = users[account.username]
        assert [g.name for g in user.groups.all()] == [account.role]
        assert user.check_password(DEMO_PASSWORD)
        assert not user.is_superuser
        assert user.is_staff == (account.username == "admin")
    enterprise = users["enterprise"].organizations.get()
    assert enterprise.kind == Organization.Kind.ENTERPRISE
    assert Building.objects.filter(parcel__holder=enterprise).exists()
    # the roles its work goes to cover the enterprise's park besides their own slice
    home = {p.park_id for p in LandParcel.objects.filter(holder=enterprise)}
    assert users["investment"].parks.count() == 3
    assert 2 <= users["service"].parks.count() <= 3
    assert 5 <= users["evaluation"].parks.count() <= 6
    for name in ("service", "evaluation", "manager"):
        assert home & {p.pk for p in users[name].parks.all()}, name
    manager_parks = list(users["manager"].parks.all())
    brand = manager_parks[0].brand
    assert set(brand.parks.all()) <= set(manager_parks)
    government = users["government"].organizations.get()
    assert government.kind == Organization.Kind.GOVERNMENT and government.name.endswith("人民政府")
    for account in FALLBACK_ACCOUNTS:  # no park of their own: the parks no one else of their role covers
        user = users[account.username]
        assert sorted(g.name for g in user.groups.all()) == [account.role, fallback_group_name(account.role)]
        assert not user.parks.exists()
    assert [row["username"] for row in account_rows()] == [a.username for a in DEMO_ACCOUNTS + FALLBACK_ACCOUNTS]


@pytest.mark.django_db
def test_sample_rows_pass_full_clean(demo):
    for model in DOMAIN_MODELS:
        rows = list(model.objects.order_by("?")[:25])
        assert rows, model
        for row in rows:
            row.full_clean()


def test_people_hold_positions_and_some_share_a_name(demo):
    assert not Person.objects.filter(positions__isnull=True).exists()
    assert demo["people_sharing_a_name"] > 0
    assert (
        Position.objects.filter(
            title="区长", title_en="District Governor", organization__name="上海市浦东新区人民政府"
        ).count()
        == 1
    )
    assert Position.objects.filter(title="副区长", title_en="Deputy District Governor").exists()


def test_every_creation_is_in_the_change_log(demo):
    created = ObjectChange.objects.filter(
        source="demo",
        action=ObjectChange.ChangeAction.CREATE,
        changed_object_type__app_label__in=["directory", "parks"],
    )
    assert created.count() == sum(model.objects.count() for model in DOMAIN_MODELS)
    parcel = LandParcel.objects.first()
    assert created.filter(changed_object_id=parcel.pk, object_repr=str(parcel)).exists()


def test_reset_logs_each_deletion(demo):
    rows = domain_row_count()
    # every row of a change-logged model (the stage history of projects is itself a log, not logged again)
    logged = sum(m._base_manager.count() for m in domain_models() if issubclass(m, ChangeLoggedModel))
    assert delete_domain_data() == rows
    deleted = ObjectChange.objects.filter(source="demo", action=ObjectChange.ChangeAction.DELETE)
    assert deleted.count() == logged
    assert not get_user_model().objects.get(username="investment").parks.exists()


def test_demo_accounts_sign_in_and_see_their_slice(demo, client):
    for account in DEMO_ACCOUNTS:
        client.logout()
        response = client.post("/login/", {"username": account.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, account.username
        assert client.get("/", follow=True).status_code == 200  # an enterprise user lands on /portal/
    # the last one signed in is the enterprise user: its own enterprise, nothing else
    enterprise = get_user_model().objects.get(username="enterprise").organizations.get()
    assert client.get(enterprise.get_absolute_url()).status_code == 200
    other = Organization.objects.exclude(pk=enterprise.pk).filter(kind=Organization.Kind.ENTERPRISE).first()
    assert client.get(other.get_absolute_url()).status_code == 404
