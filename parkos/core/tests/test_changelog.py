"""The change log records every create, update and delete, whatever the channel, with who and what."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from parkos.core.changelog import change_context
from parkos.core.models import ObjectChange
from parkos.directory.models import Organization, OrganizationAlias
from parkos.parks.models import Park
from parkos.users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    user = User.objects.create_user("opadmin", password="x-long-password")
    user.groups.add(Group.objects.get(name="operator_admin"))
    return user


def changes_of(obj):
    return ObjectChange.objects.filter(changed_object_id=obj.pk, changed_object_type__model=obj._meta.model_name)


def test_create_update_delete_are_recorded_with_before_and_after(admin_user):
    with change_context(user=admin_user, source="cli"):
        org = Organization.objects.create(name="上海甲公司")
        org.district = "浦东新区"
        org.save()
        org.save()  # no change: nothing recorded
        pk = org.pk
        org.delete()
    records = ObjectChange.objects.filter(changed_object_id=pk, changed_object_type__model="organization")
    created, updated, deleted = records.order_by("pk")
    assert (created.action, updated.action, deleted.action) == ("create", "update", "delete")
    assert created.prechange_data is None and created.postchange_data["name"] == "上海甲公司"
    assert updated.diff() == [("district", "", "浦东新区")]
    assert deleted.postchange_data is None and deleted.prechange_data["district"] == "浦东新区"
    assert {c.user for c in (created, updated, deleted)} == {admin_user}


def test_a_child_change_shows_in_its_parent_history(admin_user):
    org = Organization.objects.create(name="上海乙公司")
    alias = OrganizationAlias.objects.create(organization=org, name="乙公司")
    change = changes_of(alias).get()
    assert change.related_object_id == org.pk


def test_api_token_user_is_recorded(admin_user):
    token = Token.objects.create(user=admin_user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.post("/api/directory/organizations/", {"name": "接口公司", "kind": "enterprise"}, format="json")
    assert response.status_code == 201, response.content
    change = changes_of(Organization.objects.get(pk=response.json()["id"])).get()
    assert (change.user, change.source) == (admin_user, "api")


def test_assigning_parks_to_a_user_is_recorded(admin_user):
    park = Park.objects.create(code="p1", name="园一", district="闵行区")
    with change_context(user=admin_user):
        admin_user.parks.add(park)
    change = changes_of(admin_user).filter(action="update").latest("pk")
    assert change.prechange_data["parks"] == [] and change.postchange_data["parks"] == [park.pk]
    assert "password" not in change.postchange_data


def test_admin_site_changes_are_recorded(client):
    root = User.objects.create_superuser("root", "root@example.cn", "x-long-password")
    client.force_login(root)
    response = client.post("/admin/parks/park/add/", {"code": "adm", "name": "后台园", "district": "嘉定区"})
    assert response.status_code == 302
    change = changes_of(Park.objects.get(code="adm")).get()
    assert (change.user, change.source) == (root, "web")


def test_cli_import_is_recorded_and_reports_bad_rows(tmp_path, admin_user, capsys):
    good = tmp_path / "parks.csv"
    good.write_text("code,name,district,land_area\nc1,导入园,松江区,100 mu\n", encoding="utf-8")
    call_command("import", "park", str(good), "--user", "opadmin", verbosity=0)
    park = Park.objects.get(code="c1")
    assert changes_of(park).get().source == "import"
    assert park.land_area == Decimal("66666.67")

    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,district,land_area\nc2,好园,松江区,10\nc3,坏园,松江区,lots\n", encoding="utf-8")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import", "parks.park", str(bad), "--user", "opadmin", verbosity=0)
    assert "row 2 (line 3), column 'land_area'" in capsys.readouterr().err
    assert not Park.objects.filter(code__in=["c2", "c3"]).exists()


def test_cli_export_writes_what_the_user_may_see(tmp_path, admin_user):
    Park.objects.create(code="e1", name="导出园", district="青浦区")
    out = tmp_path / "parks.xlsx"
    call_command("export", "park", "--format", "xlsx", "-o", str(out), "--user", "opadmin")
    assert out.read_bytes().startswith(b"PK")


def test_global_change_log_is_for_those_allowed_to_read_it(client, admin_user):
    Organization.objects.create(name="日志公司")
    client.force_login(admin_user)
    response = client.get("/changelog/", {"q": "日志"})
    assert response.status_code == 200 and "日志公司" in response.content.decode()
    manager = User.objects.create_user("pm", password="x-long-password")
    manager.groups.add(Group.objects.get(name="park_manager"))
    client.force_login(manager)
    assert client.get("/changelog/").status_code == 403


def test_history_shows_before_and_after_and_staff_may_open_changes_of_their_objects(client, admin_user):
    from parkos.parks.models import LandParcel

    mine = Park.objects.create(code="mine", name="我的园", district="闵行区", land_area=100000)
    other = Park.objects.create(code="other", name="别人的园", district="闵行区")
    parcel = LandParcel.objects.create(park=mine, code="A-1", area=1000)
    with change_context(user=admin_user):
        parcel.status = LandParcel.Status.IDLE
        parcel.save()
        other.district = "嘉定区"
        other.save()
    manager = User.objects.create_user("pm2", password="x-long-password")
    manager.groups.add(Group.objects.get(name="park_manager"))
    manager.parks.add(mine)
    client.force_login(manager)
    page = client.get(f"/parks/parcels/{parcel.pk}/history/").content.decode()
    assert "In use → Idle" in page
    assert client.get(f"/changelog/{changes_of(parcel).latest('pk').pk}/").status_code == 200
    assert client.get(f"/changelog/{changes_of(other).latest('pk').pk}/").status_code == 404


def test_diff_of_a_json_field_is_shown_as_is(admin_user):
    park = Park.objects.create(code="j", name="几何园", district="闵行区")
    park.boundary = {"type": "Polygon", "coordinates": [[[121.5, 31.2], [121.6, 31.2], [121.6, 31.3], [121.5, 31.2]]]}
    park.save()
    ((label, old, new),) = changes_of(park).get(action="update").diff()
    assert old is None and new["type"] == "Polygon"


def test_diff_names_foreign_keys(admin_user):
    from parkos.parks.models import LandParcel

    first = Park.objects.create(code="f1", name="第一园", district="闵行区")
    second = Park.objects.create(code="f2", name="第二园", district="闵行区")
    parcel = LandParcel.objects.create(park=first, code="M-1", area=100)
    parcel.park = second
    parcel.save()
    assert ("park", "第一园", "第二园") in changes_of(parcel).get(action="update").diff()
