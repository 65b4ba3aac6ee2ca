"""API actions of the application workflow (submit, review, decide, disburse, withdraw), each calling its service.

POST /api/policies/applications/<id>/<action>/ answers the application as it now is; a refused step is a 400
naming its field, a step the user may not take a 403, an application out of the user's scope a 404, exactly as
the pages (the services raise, ``core.api.views.exception_handler`` answers).
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from parkos.core.permissions import Action
from parkos.policies import services
from parkos.policies.models import Application


class ApplicationStateSerializer(serializers.ModelSerializer[Application]):
    """What a workflow action answers: the application's workflow fields."""

    paid = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = (
            "id",
            "policy",
            "applicant",
            "status",
            "amount_requested",
            "amount_approved",
            "currency",
            "submitted_at",
            "reviewer",
            "decided_at",
            "decision_note",
            "paid",
        )
        read_only_fields = fields

    def get_paid(self, obj: Application) -> str:
        return str(services.paid_total(obj))


class EmptySerializer(serializers.Serializer[Any]):
    pass


class DecideSerializer(serializers.Serializer[Any]):
    approve = serializers.BooleanField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True)
    reasons = serializers.CharField(allow_blank=True)


class DisburseSerializer(serializers.Serializer[Any]):
    paid_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    reference = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


_RESPONSES = {
    200: ApplicationStateSerializer,
    400: OpenApiResponse(description="The step is refused: the messages name the field."),
    403: OpenApiResponse(description="The user may not take this step."),
    404: OpenApiResponse(description="No such application in the user's scope."),
}


class _Step(APIView):
    permission_classes = [IsAuthenticated]
    body: type[serializers.Serializer[Any]] = EmptySerializer

    def application(self, request: Request, pk: int) -> Application:
        return get_object_or_404(Application.objects.restrict(request.user, Action.VIEW), pk=pk)

    def data(self, request: Request) -> dict[str, Any]:
        body = self.body(data=request.data)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    def answer(self, application: Application) -> Response:
        return Response(ApplicationStateSerializer(Application.objects.get(pk=application.pk)).data)


class SubmitView(_Step):
    @extend_schema(request=None, responses=_RESPONSES, operation_id="policies_application_submit")
    def post(self, request: Request, pk: int) -> Response:
        """Submit a draft (every required document attached, the policy open)."""
        return self.answer(services.application_submit(application=self.application(request, pk), user=request.user))


class ReviewView(_Step):
    @extend_schema(request=None, responses=_RESPONSES, operation_id="policies_application_review")
    def post(self, request: Request, pk: int) -> Response:
        """The policy office takes a submitted application into review."""
        return self.answer(
            services.application_start_review(application=self.application(request, pk), user=request.user)
        )


class DecideView(_Step):
    body = DecideSerializer

    @extend_schema(request=DecideSerializer, responses=_RESPONSES, operation_id="policies_application_decide")
    def post(self, request: Request, pk: int) -> Response:
        """Approve (with an amount within the cap and the budget left) or reject, with reasons."""
        application = self.application(request, pk)
        data = self.data(request)
        return self.answer(
            services.application_decide(
                application=application,
                user=request.user,
                approve=data["approve"],
                amount=data.get("amount"),
                reasons=data["reasons"],
            )
        )


class DisburseView(_Step):
    body = DisburseSerializer

    @extend_schema(request=DisburseSerializer, responses=_RESPONSES, operation_id="policies_application_disburse")
    def post(self, request: Request, pk: int) -> Response:
        """Record a payment on an approved application (never above the amount approved in total)."""
        application = self.application(request, pk)
        services.disbursement_record(application=application, user=request.user, **self.data(request))
        return self.answer(application)


class WithdrawView(_Step):
    @extend_schema(request=None, responses=_RESPONSES, operation_id="policies_application_withdraw")
    def post(self, request: Request, pk: int) -> Response:
        """Withdraw an application that is not decided yet."""
        return self.answer(services.application_withdraw(application=self.application(request, pk), user=request.user))


urlpatterns: list[URLPattern] = [
    path("applications/<int:pk>/submit/", SubmitView.as_view(), name="application-submit"),
    path("applications/<int:pk>/review/", ReviewView.as_view(), name="application-review"),
    path("applications/<int:pk>/decide/", DecideView.as_view(), name="application-decide"),
    path("applications/<int:pk>/disburse/", DisburseView.as_view(), name="application-disburse"),
    path("applications/<int:pk>/withdraw/", WithdrawView.as_view(), name="application-withdraw"),
]
