"""The OpenAPI schema's AutoSchema: every operation documents the errors the API can answer, not only success.

What each error means is decided once, in core.api.views.exception_handler and the router; this class says the
same in the schema, so that a client (and the fuzzing test, tests/fuzz) can rely on it:

- 400 a rule broken, with the messages by field (request bodies, query filters, workflow steps);
- 401 no or a wrong API token, 403 the role may not do this;
- 404 no such object, or one outside the user's scope (STYLE.md 15), or a page past the end of a list;
- 409 a delete that other records block; 412 an update over a newer save (If-Match);
- 415 a body in a media type the operation does not read (or a malformed multipart body).
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ComponentRegistry
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.pagination import BasePagination


class ErrorSerializer(serializers.Serializer[Any]):
    """The body of every error but a validation error: a sentence saying what went wrong."""

    detail = serializers.CharField()


class ValidationErrorSerializer(serializers.Serializer[Any]):
    """A validation error's body: the messages of each field under its name, non_field_errors for the whole."""

    # The other keys are the fields of the request or the filters of the list, each with its messages; a request
    # the API could not read at all (malformed JSON) has its sentence under "detail" (which is also a field name).
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


_ERRORS = {
    "400": OpenApiResponse(
        ValidationErrorSerializer, description="A rule broken (the messages by field), or a request not readable."
    ),
    "401": OpenApiResponse(ErrorSerializer, description="No or an invalid API token."),
    "403": OpenApiResponse(ErrorSerializer, description="The user's role may not do this."),
    "404": OpenApiResponse(ErrorSerializer, description="No such object, or none the user may see."),
    "409": OpenApiResponse(ErrorSerializer, description="Other records still refer to this one."),
    "412": OpenApiResponse(
        ErrorSerializer, description="Someone saved this object after the version sent in If-Match."
    ),
    "415": OpenApiResponse(ErrorSerializer, description="A body in a media type the operation does not read."),
}


class AutoSchema(SpectacularAutoSchema):
    def _get_paginator(self) -> BasePagination | None:
        # A detail action's list (a run's benchmarks) belongs to its object and is answered whole: only the
        # collections page. drf-spectacular would document any list under a paginated viewset as a page.
        if getattr(self.view, "detail", False):
            return None
        # drf-spectacular leaves this helper unannotated
        paginator: BasePagination | None = super()._get_paginator()  # type: ignore[no-untyped-call]
        return paginator

    def get_operation(
        self, path: str, path_regex: str, path_prefix: str, method: str, registry: ComponentRegistry
    ) -> dict[str, Any] | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:  # excluded from the schema
            return None
        responses = operation.setdefault("responses", {})
        for code in self._error_codes(operation):
            if code not in responses:
                # drf-spectacular leaves this helper unannotated
                responses[code] = self._get_response_for_code(_ERRORS[code], code)  # type: ignore[no-untyped-call]
        return operation

    def _error_codes(self, operation: dict[str, Any]) -> list[str]:
        parameters = operation.get("parameters", [])
        # a write can break a rule even without a body (a workflow step the object's state does not allow)
        reads_only = self.method in ("GET", "DELETE") and not any(p["in"] == "query" for p in parameters)
        codes = [] if reads_only else ["400"]
        codes += ["401", "403"]
        if any(p["in"] == "path" for p in parameters) or any(p["name"] == "page" for p in parameters):
            codes.append("404")
        if self.method == "DELETE":
            codes.append("409")
        if self.method in ("PUT", "PATCH"):
            codes.append("412")
        if "requestBody" in operation:
            codes.append("415")
        return codes
