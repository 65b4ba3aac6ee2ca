"""The article API beyond the standard suite, and POST /api/intake/extract/ (text or file in, drafts out)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from parkos.core.testing import World
from parkos.intake.models import Article
from parkos.intake.tests.helpers import ARTICLE, make_article, staff_user, stand_in, stand_in_extract
from parkos.intake.tests.test_review import docx_bytes

EXTRACT = "/api/intake/extract/"


@pytest.fixture
def world(db):
    return World.build()


@pytest.fixture(autouse=True)
def extractor():
    with stand_in() as patched:
        yield patched


@pytest.fixture
def api(world):
    client = APIClient()
    client.force_authenticate(staff_user(world))
    return client


def test_extract_answers_the_extraction_json_as_is(api, extractor):
    response = api.post(EXTRACT, {"text": ARTICLE, "source": "xinwu.txt"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == stand_in_extract(ARTICLE.strip(), source="xinwu.txt")
    extractor.assert_called_once()
    assert not Article.objects.exists()  # nothing stored


@pytest.mark.parametrize(
    ("name", "content"),
    [("a.docx", docx_bytes(ARTICLE)), ("a.html", f"<html><body><p>{ARTICLE}</p></body></html>".encode())],
)
def test_extract_reads_an_uploaded_file(api, name, content):
    response = api.post(EXTRACT, {"file": SimpleUploadedFile(name, content)}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["source"] == name
    assert [o["name"] for o in response.json()["organizations"]][:2] == [
        "Xinwu District Government",
        "Blue Harbour Semiconductor Co., Ltd.",
    ]


def test_extract_refuses_unreadable_input_with_a_clear_message(api):
    response = api.post(EXTRACT, {"file": SimpleUploadedFile("scan.pdf", b"%PDF-1.4")}, format="multipart")
    assert response.status_code == 400
    assert ".pdf" in response.json()["detail"]
    response = api.post(EXTRACT, {"file": SimpleUploadedFile("a.docx", b"PK\x03\x04 broken")}, format="multipart")
    assert response.status_code == 400 and "Word" in response.json()["detail"]
    response = api.post(EXTRACT, {"text": "   "}, format="json")
    assert response.status_code == 400 and "text" in response.json()["detail"]


@pytest.mark.parametrize("role", ["government_partner", "enterprise_user", "park_manager"])
def test_roles_without_intake_are_refused(world, role):
    client = APIClient()
    client.force_authenticate(world.users[role])
    assert client.post(EXTRACT, {"text": ARTICLE}, format="json").status_code == 403
    assert client.get("/api/intake/articles/").status_code == 403


def test_anonymous_is_refused(db):
    assert APIClient().post(EXTRACT, {"text": ARTICLE}, format="json").status_code in (401, 403)


def test_creating_an_article_runs_the_extractor_and_refuses_a_duplicate(world, api):
    body = {"park": world.park["in"].pk, "text": ARTICLE}
    response = api.post("/api/intake/articles/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["title"] == ARTICLE.splitlines()[0]
    assert data["extraction"]["agreements"][0]["kind"] == "strategic"
    assert data["review_url"].endswith(f"/intake/articles/{data['id']}/review/")
    again = api.post("/api/intake/articles/", body, format="json")
    assert again.status_code == 400 and "text" in again.json()


def test_another_parks_articles_are_404(world, api):
    article = make_article(world, "out")
    assert api.get(f"/api/intake/articles/{article.pk}/").status_code == 404


def test_the_extract_endpoint_is_in_the_schema(world, api):
    api.force_authenticate(world.users["operator_admin"])
    schema = api.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    operation = schema.json()["paths"]["/api/intake/extract/"]["post"]
    assert operation["operationId"] == "intake_extract"
    assert set(operation["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert {"200", "400", "403"} <= set(operation["responses"])
