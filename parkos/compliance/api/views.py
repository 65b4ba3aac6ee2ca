"""API view sets of default handling, and the step actions of a case (each calls its service)."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from parkos.compliance import filtersets, services
from parkos.compliance.api import serializers
from parkos.compliance.models import DefaultCase, DefaultCaseDocument
from parkos.core.api.permissions import ModelActionPermission
from parkos.core.api.views import PrimaryModelViewSet


class MayViewCase(ModelActionPermission):
    """Opening a land settlement's disposal case is land's work: it needs only to see the case (the service
    then asks for the right to add disposal cases)."""

    perms_map = {**ModelActionPermission.perms_map, "POST": ModelActionPermission.perms_map["GET"]}


class DefaultCaseViewSet(PrimaryModelViewSet):
    queryset = DefaultCase.objects.select_related("agreement", "commitment", "owner")
    serializer_class = serializers.DefaultCaseSerializer
    filterset_class = filtersets.DefaultCaseFilterSet

    def _step(self, request, body_class):
        self.action = "partial_update"  # every step needs the change permission
        case = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        return case, dict(body.validated_data)

    def _done(self, case):
        return Response(self.get_serializer(DefaultCase.objects.get(pk=case.pk)).data)

    @extend_schema(request=serializers.WarnSerializer, responses=serializers.DefaultCaseSerializer)
    @action(detail=True, methods=["post"])
    def warn(self, request, pk=None):
        """Issue the warning (an opened case only)."""
        case, data = self._step(request, serializers.WarnSerializer)
        return self._done(services.case_warn(case=case, user=request.user, **data))

    @extend_schema(request=serializers.RectifySerializer, responses=serializers.DefaultCaseSerializer)
    @action(detail=True, methods=["post"])
    def rectify(self, request, pk=None):
        """Start rectification with a deadline after today (a warned case only)."""
        case, data = self._step(request, serializers.RectifySerializer)
        return self._done(services.case_start_rectification(case=case, user=request.user, **data))

    @extend_schema(request=serializers.SettleSerializer, responses=serializers.DefaultCaseSerializer)
    @action(detail=True, methods=["post"])
    def settle(self, request, pk=None):
        """Decide the settlement (a case in rectification only); a land settlement may open a disposal case."""
        case, data = self._step(request, serializers.SettleSerializer)
        # the service takes only a parcel the promising party holds in the agreement's park
        return self._done(services.case_settle(case=case, user=request.user, **data))

    @extend_schema(request=serializers.CloseSerializer, responses=serializers.DefaultCaseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close as settled (a settled case), or as cured at any stage."""
        case, data = self._step(request, serializers.CloseSerializer)
        return self._done(services.case_close(case=case, user=request.user, **data))

    @extend_schema(request=serializers.DisposalSerializer, responses=serializers.DefaultCaseSerializer)
    @action(detail=True, methods=["post"], url_path="open-disposal", permission_classes=[MayViewCase])
    def open_disposal(self, request, pk=None):
        """Open the disposal case of a land settlement on the party's parcel (who may open disposal cases)."""
        self.action = "retrieve"  # land's workers read the cases of their parks; the service checks the rest
        case = self.get_object()
        body = serializers.DisposalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = services.case_open_disposal(case=case, user=request.user, parcel=body.validated_data["parcel"])
        return self._done(case)


class DefaultCaseDocumentViewSet(PrimaryModelViewSet):
    queryset = DefaultCaseDocument.objects.select_related("case")
    serializer_class = serializers.DefaultCaseDocumentSerializer
    filterset_class = filtersets.DefaultCaseDocumentFilterSet
