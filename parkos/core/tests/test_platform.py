"""Platform behaviour: sign-in, throttling, anonymous access, language, search scope, settings."""

import re
import secrets
import subprocess
import sys

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings

from parkos.directory.models import Organization
from parkos.parks.models import Park
from parkos.users.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    user = User.objects.create_user("manager", password="correct-horse-battery")
    user.groups.add(Group.objects.get(name="park_manager"))
    return user


@pytest.mark.parametrize(
    "url", ["/", "/directory/organizations/", "/parks/parks/", "/search/?q=x", "/changelog/", "/profile/"]
)
def test_anonymous_users_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("url", ["/api/", "/api/directory/organizations/", "/api/schema/", "/api/docs/"])
def test_anonymous_api_callers_get_nothing(client, url):
    assert client.get(url).status_code in (401, 403)


def test_sign_in_and_out(client, manager):
    response = client.post("/login/", {"username": "manager", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout/")
    assert client.get("/").status_code == 302


@override_settings(AXES_ENABLED=True)
def test_repeated_failed_sign_ins_are_throttled(client, manager):
    for _ in range(4):
        response = client.post("/login/", {"username": "manager", "password": "wrong"})
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    assert client.post("/login/", {"username": "manager", "password": "wrong"}).status_code == 429
    response = client.post("/login/", {"username": "manager", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert 'id="locked-out"' in response.content.decode()


def test_password_change(client, manager):
    client.force_login(manager)
    response = client.post(
        "/password/",
        {
            "old_password": "correct-horse-battery",
            "new_password1": "a-new-longer-secret",
            "new_password2": "a-new-longer-secret",
        },
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.check_password("a-new-longer-secret")


def test_language_switch_to_simplified_chinese(client, manager):
    client.force_login(manager)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    response = client.get("/")
    assert re.search(r'<html lang="zh-hans"[ >]', response.content.decode())


def test_area_preference_changes_how_areas_are_shown(client, manager):
    park = Park.objects.create(code="p", name="园", district="嘉定区", land_area=10000)
    manager.parks.add(park)
    client.force_login(manager)
    assert "10,000.00 m²" in client.get(f"/parks/parks/{park.pk}/").content.decode()
    client.post("/profile/", {"area_unit": "mu", "language": "en"})
    assert "15.00 mu" in client.get(f"/parks/parks/{park.pk}/").content.decode()


def test_global_search_only_finds_what_the_user_may_see(client, manager):
    mine = Park.objects.create(code="mine", name="星河园", district="闵行区")
    Park.objects.create(code="theirs", name="星河二园", district="闵行区")
    manager.parks.add(mine)
    Organization.objects.create(name="星河科技有限公司")
    client.force_login(manager)
    page = client.get("/search/", {"q": "星河"}).content.decode()
    assert "星河园" in page and "星河二园" not in page and "星河科技有限公司" in page


def test_api_token_from_profile_page(client, manager):
    client.force_login(manager)
    client.post("/profile/", {"token": "1"})
    key = manager.auth_token.key
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/parks/parks/").status_code == 200


def test_openapi_schema_documents_every_endpoint(client, manager):
    client.force_login(manager)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/directory/organizations/", "/api/parks/parcels/{id}/"):
        assert path in schema["paths"]


def test_deploy_check_is_clean_with_debug_off(tmp_path):
    env = {
        "PARKOS_SECRET_KEY": secrets.token_urlsafe(64),
        "PARKOS_ALLOWED_HOSTS": "parkos.example.cn",
        "PARKOS_VAR_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-m", "parkos.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_api_docs_load_their_assets_locally(client, manager):
    client.force_login(manager)
    page = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn" not in page.lower()


def test_pages_load_no_third_party_hosts(client, manager):
    client.force_login(manager)
    page = client.get("/").content.decode()
    assert "https://" not in page and "http://" not in page.replace("http://www.w3.org", "")
