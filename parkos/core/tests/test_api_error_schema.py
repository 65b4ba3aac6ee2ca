"""The API's errors are documented in its schema and answered in JSON, so a client can rely on both."""

import pytest
from django.contrib.auth import get_user_model
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_every_operation_documents_authentication_and_permission_errors(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert {"401", "403"} <= set(operation["responses"]), f"{method.upper()} {path}"


def test_detail_operations_document_404_updates_412_and_deletes_409(schema):
    item = schema["paths"]["/api/parks/parks/{id}/"]
    assert "404" in item["get"]["responses"]
    assert {"400", "404", "412"} <= set(item["patch"]["responses"])
    assert {"404", "409"} <= set(item["delete"]["responses"])
    assert item["delete"]["responses"]["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }


def test_writes_document_400_even_without_a_body_and_415_with_one(schema):
    assert "400" in schema["paths"]["/api/services/requests/{id}/done/"]["post"]["responses"]
    assert {"400", "415"} <= set(schema["paths"]["/api/parks/parks/"]["post"]["responses"])
    assert "400" not in schema["paths"]["/api/parks/parks/{id}/"]["get"]["responses"]


def test_list_operations_document_400_for_bad_filters_and_404_past_the_last_page(schema):
    responses = schema["paths"]["/api/parks/parks/"]["get"]["responses"]
    assert responses["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ValidationError"}
    assert "404" in responses


@pytest.mark.django_db
def test_an_api_path_no_route_matches_answers_a_json_404():
    client = APIClient()
    client.force_authenticate(get_user_model().objects.create_user("someone"))
    response = client.get("/api/parks/parks/abc/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
def test_a_page_path_no_route_matches_keeps_the_html_404(client):
    client.force_login(get_user_model().objects.create_user("someone"))
    response = client.get("/parks/parks/abc/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_detail_actions_list_is_documented_whole_not_as_a_page(schema):
    response = schema["paths"]["/api/evaluation/runs/{id}/benchmarks/"]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"]["type"] == "array"
