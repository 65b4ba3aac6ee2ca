"""Services API endpoints: CRUD per model, the request workflow as actions, scenario membership, the figures."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from parkos.core.api.views import PrimaryModelViewSet
from parkos.core.permissions import Action, can
from parkos.services import filtersets
from parkos.services import services as workflow
from parkos.services.api import serializers
from parkos.services.figures import FiguresFilterForm
from parkos.services.models import Aspect, RequestMessage, Scenario, Service, ServiceDesk, ServiceRequest, Status
from parkos.services.selectors import kept_request_figures


class ServiceViewSet(PrimaryModelViewSet):
    queryset = Service.objects.select_related("provider")
    serializer_class = serializers.ServiceSerializer
    filterset_class = filtersets.ServiceFilterSet


class ScenarioViewSet(PrimaryModelViewSet):
    queryset = Scenario.objects.select_related("provider").prefetch_related("participants")
    serializer_class = serializers.ScenarioSerializer
    filterset_class = filtersets.ScenarioFilterSet

    def get_permissions(self):
        if self.action in ("join", "leave"):
            return [IsAuthenticated()]  # an enterprise may join without changing scenarios; the service checks
        return super().get_permissions()

    def _membership(self, request, call):
        scenario = Scenario.objects.restrict(request.user, Action.VIEW).filter(pk=self.kwargs["pk"]).first()
        if scenario is None:
            from django.http import Http404

            raise Http404
        body = serializers.MembershipSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        call(scenario=scenario, user=request.user, organization=body.validated_data["organization"])
        return Response(self.get_serializer(self.get_queryset().get(pk=scenario.pk)).data)

    @extend_schema(request=serializers.MembershipSerializer, responses=serializers.ScenarioSerializer)
    @action(detail=True, methods=["post"])
    def join(self, request, pk=None):
        """Join the scenario: an enterprise user for its own enterprise, staff for any."""
        return self._membership(request, workflow.scenario_join)

    @extend_schema(request=serializers.MembershipSerializer, responses=serializers.ScenarioSerializer)
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        """Leave the scenario."""
        return self._membership(request, workflow.scenario_leave)


class ServiceDeskViewSet(PrimaryModelViewSet):
    queryset = ServiceDesk.objects.prefetch_related("members")
    serializer_class = serializers.ServiceDeskSerializer
    filterset_class = filtersets.ServiceDeskFilterSet


class ServiceRequestViewSet(PrimaryModelViewSet):
    queryset = ServiceRequest.objects.select_related("enterprise", "park", "service", "assigned_to")
    serializer_class = serializers.ServiceRequestSerializer
    filterset_class = filtersets.ServiceRequestFilterSet

    def get_queryset(self):
        rows = super().get_queryset()
        if self.action in ("update", "partial_update") and workflow.is_enterprise_side(user=self.request.user):
            rows = rows.filter(status=Status.NEW)  # as on the pages: an enterprise edits its request until taken on
        return rows

    def _visible(self):
        request = ServiceRequest.objects.restrict(self.request.user, Action.VIEW).filter(pk=self.kwargs["pk"]).first()
        if request is None:
            from django.http import Http404

            raise Http404
        return request

    def _respond(self, service_request):
        return Response(self.get_serializer(ServiceRequest.objects.get(pk=service_request.pk)).data)

    def _transition(self, call, **extra):
        service_request = self._visible()
        return self._respond(call(request=service_request, user=self.request.user, **extra))

    @extend_schema(request=None, responses=serializers.ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Staff accept a new request."""
        return self._transition(workflow.request_accept)

    @extend_schema(request=None, responses=serializers.ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """Staff start (or resume) work on the request."""
        return self._transition(workflow.request_start)

    @extend_schema(request=None, responses=serializers.ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def wait(self, request, pk=None):
        """Staff put the request on hold until the enterprise answers."""
        return self._transition(workflow.request_wait)

    @extend_schema(request=None, responses=serializers.ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """Staff close the request as done."""
        return self._transition(workflow.request_done)

    @extend_schema(request=serializers.TransitionSerializer, responses=serializers.ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """Staff decline the request; the reason is posted to the conversation."""
        body = serializers.TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._transition(workflow.request_decline, reason=body.validated_data["reason"])

    @extend_schema(request=serializers.RateSerializer, responses=serializers.ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        """The enterprise rates a done request from 1 to 5."""
        body = serializers.RateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._transition(
            workflow.request_rate, rating=body.validated_data["rating"], comment=body.validated_data["comment"]
        )

    @extend_schema(request=serializers.MessageBodySerializer, responses={201: serializers.RequestMessageSerializer})
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser, FormParser])
    def message(self, request, pk=None):
        """Post a message (and an optional file, as multipart) to the request's conversation."""
        body = serializers.MessageBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        message = workflow.request_message(
            request=self._visible(),
            user=request.user,
            body=body.validated_data["body"],
            attachment=body.validated_data.get("attachment"),
        )
        data = serializers.RequestMessageSerializer(message, context=self.get_serializer_context()).data
        return Response(data, status=201)


class RequestMessageViewSet(PrimaryModelViewSet):
    queryset = RequestMessage.objects.select_related("request", "author")
    serializer_class = serializers.RequestMessageSerializer
    filterset_class = filtersets.RequestMessageFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        rows = super().get_queryset()
        if self.action in ("update", "partial_update", "destroy") and workflow.is_enterprise_side(
            user=self.request.user
        ):
            rows = rows.filter(author=self.request.user)
        return rows


def _parameter(name: str, type_, description: str, enum=None) -> OpenApiParameter:
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, required=False, description=description, enum=enum)


class ServiceFiguresAPIView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="services_figures",
        summary="Service figures",
        description=(
            "Requests filed in the period that you may see: counts by aspect, park and status; time to respond "
            "and to resolve (mean, median, share within target); satisfaction; enterprises served."
        ),
        parameters=[
            _parameter("date_from", OpenApiTypes.DATE, "Filed on or after (default: a year ago)."),
            _parameter("date_to", OpenApiTypes.DATE, "Filed on or before (default: today)."),
            _parameter("park", OpenApiTypes.INT, "Park ID."),
            _parameter("aspect", OpenApiTypes.STR, "Aspect.", enum=Aspect.values),
        ],
        responses=serializers.ServiceFiguresSerializer,
    )
    def get(self, request):
        if not can(request.user, ServiceRequest, Action.VIEW):
            raise PermissionDenied
        form = FiguresFilterForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise drf_serializers.ValidationError(form.errors_by_field())
        figures = kept_request_figures(request.user, **form.selector_kwargs())
        return Response(serializers.ServiceFiguresSerializer(figures).data)
