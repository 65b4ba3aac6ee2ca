"""The cockpit's figures as JSON: the same selectors and filter form as the pages, so the same scope rules."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from parkos.cockpit.forms import CockpitFilterForm
from parkos.cockpit.selectors import cached, cockpit_figures, park_benchmarks
from parkos.cockpit.views import require_cockpit

PARAMETERS = [
    OpenApiParameter("period", OpenApiTypes.STR, OpenApiParameter.QUERY, description="2026, 2026-Q2 or 2026-05."),
    OpenApiParameter("date_from", OpenApiTypes.DATE, OpenApiParameter.QUERY, description="Start (with date_to)."),
    OpenApiParameter("date_to", OpenApiTypes.DATE, OpenApiParameter.QUERY, description="End (with date_from)."),
    OpenApiParameter(
        "scope",
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        description="group, brand:<id>, park:<id> or district:<name>.",
    ),
]


def _filtered(request: Request) -> tuple:
    require_cockpit(request.user)
    form = CockpitFilterForm(request.query_params, user=request.user)
    if not form.is_valid():
        raise serializers.ValidationError(form.errors_by_field())
    try:
        scope = form.scope_value()
    except ValueError:
        raise serializers.ValidationError({"scope": ["Choose one of the scopes offered."]}) from None
    return form.period_value(), scope


class CockpitAPIView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="cockpit_figures",
        summary="Cockpit figures",
        description=(
            "Every tile of the cockpit for a period and a scope you may see: each figure with its value, how it "
            "reads, the change against the period before, its trend and the list that adds up to it. A government "
            "partner gets its district's figures only."
        ),
        parameters=PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        period, scope = _filtered(request)
        return Response(
            cached(request.user, "figures", scope, period, lambda: cockpit_figures(request.user, scope, period))
        )


class BenchmarkAPIView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="cockpit_parks",
        summary="Park benchmarking",
        description="Per park of the scope: the cockpit's measures and the evaluation's, with percentiles.",
        parameters=PARAMETERS,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        period, scope = _filtered(request)
        return Response(
            cached(request.user, "parks", scope, period, lambda: park_benchmarks(request.user, scope, period))
        )
