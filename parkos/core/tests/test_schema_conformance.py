"""Issue 12 #15: responses match the OpenAPI schema the API publishes at /api/schema/.

The schema (OpenAPI 3.0, ``nullable``) is turned into JSON Schema and each response is validated against
its operation's 200 response: a disposal case without an outcome, the rent roll, a message with an attachment.
"""

from __future__ import annotations

import datetime

import jsonschema
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from rest_framework.test import APIClient

from parkos.core.testing import World
from parkos.land.models import DisposalCase
from parkos.leasing.models import Lease
from parkos.services.models import RequestMessage
from parkos.services.tests.test_views import request_for


def _json_schema(node):
    """OpenAPI 3.0 to JSON Schema: ``nullable`` becomes a null type (and a null in an enum)."""
    if isinstance(node, list):
        return [_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _json_schema(v) for k, v in node.items()}
    if node.pop("nullable", False):
        if "type" in node:
            node["type"] = [node["type"], "null"]
        if "enum" in node:
            node["enum"] = [*node["enum"], None]
        if "type" not in node and "enum" not in node:
            node = {"anyOf": [node, {"type": "null"}]}
    node["$ref"] = node["$ref"].replace("#/components/schemas/", "#/$defs/") if "$ref" in node else None
    if node["$ref"] is None:
        del node["$ref"]
    return node


class SchemaConformanceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.case = DisposalCase.objects.create(
            parcel=cls.world.parcel["in"], path=DisposalCase.Path.choices[0][0], opened_on=datetime.date(2026, 1, 5)
        )
        Lease.objects.create(
            tenant=cls.world.org["in"],
            park=cls.world.park["in"],
            start_date=datetime.date(2024, 1, 1),
            rent_amount="3.50",
            status=Lease.Status.IN_FORCE,
        )
        cls.message = RequestMessage.objects.create(
            request=request_for(cls.world),
            author=cls.world.users["operator_admin"],
            body="Minutes attached",
            attachment=SimpleUploadedFile("minutes.txt", b"minutes"),
        )

    def setUp(self):
        self.api = APIClient()
        self.api.force_authenticate(self.world.users["operator_admin"])
        schema = self.api.get("/api/schema/", {"format": "json"}).json()
        self.paths = schema["paths"]
        self.defs = _json_schema(schema["components"]["schemas"])

    def assert_matches(self, path: str, route: str):
        response = self.api.get(path)
        self.assertEqual(response.status_code, 200, response.content)
        media = self.paths[route]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        schema = {**_json_schema(media), "$defs": self.defs}
        jsonschema.validate(response.json(), schema)
        return response.json()

    def test_a_disposal_case_without_an_outcome(self):
        data = self.assert_matches(f"/api/land/disposal-cases/{self.case.pk}/", "/api/land/disposal-cases/{id}/")
        self.assertEqual(data["outcome"], "")
        self.assert_matches("/api/land/disposal-cases/", "/api/land/disposal-cases/")

    def test_the_rent_roll(self):
        data = self.assert_matches("/api/leasing/rent-roll/", "/api/leasing/rent-roll/")
        self.assertIsInstance(data["area"], str)
        self.assertTrue(data["results"])

    def test_a_message_attachment_is_its_permission_checked_download(self):
        data = self.assert_matches(f"/api/services/messages/{self.message.pk}/", "/api/services/messages/{id}/")
        self.assertTrue(data["attachment"].endswith(f"/services/messages/{self.message.pk}/download/"), data)
        self.assertEqual(data["attachment_name"], "minutes.txt")
        self.client.force_login(self.world.users["operator_admin"])
        self.assertEqual(self.client.get(data["attachment"]).status_code, 200)
        self.assert_matches("/api/services/messages/", "/api/services/messages/")
