"""API for inefficient land and disposal cases: serializers, view sets, and the close action of a case.

``register(router)`` adds the endpoints to the evaluation API's router.
"""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from parkos.core.api.serializers import PrimaryModelSerializer
from parkos.core.api.views import PrimaryModelViewSet
from parkos.evaluation import disposal, disposal_filtersets
from parkos.evaluation.disposal_models import DisposalCase, DisposalDocument, DisposalMilestone, ParcelFlag

STAMPS = ("created", "last_updated")


class ParcelFlagSerializer(PrimaryModelSerializer):
    class Meta:
        model = ParcelFlag
        fields = (
            "id",
            "url",
            "display",
            "parcel",
            "reason",
            "detail",
            "run",
            "flagged_on",
            "flagged_by",
            "cleared_on",
            *STAMPS,
        )
        # A run writes its own flags; by hand a flag names the parcel and the reason.
        read_only_fields = ("run", "flagged_by")


class DisposalCaseSerializer(PrimaryModelSerializer):
    class Meta:
        model = DisposalCase
        fields = (
            "id",
            "url",
            "display",
            "parcel",
            "path",
            "status",
            "owner",
            "opened_on",
            "closed_on",
            "outcome",
            "notes",
            *STAMPS,
        )
        # Closing frees the land: it goes through POST .../close/.
        read_only_fields = ("closed_on", "outcome")

    def validate_status(self, value):
        if value == DisposalCase.Status.CLOSED and (self.instance is None or not self.instance.is_closed):
            raise serializers.ValidationError("Close a case with POST to its close/ endpoint.")
        return value

    def validate_parcel(self, value):
        if self.instance is not None and value != self.instance.parcel:
            raise serializers.ValidationError("A case stays on its parcel; open a new case for another.")
        return value


class CaseCloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DisposalCase.Outcome.choices, required=False)
    closed_on = serializers.DateField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class DisposalMilestoneSerializer(PrimaryModelSerializer):
    class Meta:
        model = DisposalMilestone
        fields = ("id", "url", "display", "case", "title", "due_date", "done_on", "owner", *STAMPS)


class DisposalDocumentSerializer(PrimaryModelSerializer):
    class Meta:
        model = DisposalDocument
        fields = ("id", "url", "display", "case", "title", "file", *STAMPS)


class ParcelFlagViewSet(PrimaryModelViewSet):
    queryset = ParcelFlag.objects.select_related("parcel__park")
    serializer_class = ParcelFlagSerializer
    filterset_class = disposal_filtersets.ParcelFlagFilterSet

    def perform_create(self, serializer):
        super().perform_create(serializer)
        disposal.flag_applied(flag=serializer.instance, user=self.request.user)


class DisposalCaseViewSet(PrimaryModelViewSet):
    queryset = DisposalCase.objects.select_related("parcel__park")
    serializer_class = DisposalCaseSerializer
    filterset_class = disposal_filtersets.DisposalCaseFilterSet

    def perform_create(self, serializer):
        super().perform_create(serializer)
        disposal.case_opened(case=serializer.instance, user=self.request.user)

    @extend_schema(request=CaseCloseSerializer, responses=DisposalCaseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the case with its outcome; the parcel's status follows (returned land becomes available)."""
        self.action = "partial_update"  # closing needs the change permission
        case = self.get_object()
        body = CaseCloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            case = disposal.case_close(case=case, user=request.user, **body.validated_data)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            raise serializers.ValidationError(errors) from exc
        return Response(self.get_serializer(case).data)


class DisposalMilestoneViewSet(PrimaryModelViewSet):
    queryset = DisposalMilestone.objects.select_related("case__parcel")
    serializer_class = DisposalMilestoneSerializer
    filterset_class = disposal_filtersets.DisposalMilestoneFilterSet


class DisposalDocumentViewSet(PrimaryModelViewSet):
    queryset = DisposalDocument.objects.select_related("case__parcel")
    serializer_class = DisposalDocumentSerializer
    filterset_class = disposal_filtersets.DisposalDocumentFilterSet


def register(router) -> None:
    router.register("parcel-flags", ParcelFlagViewSet)
    router.register("disposal-cases", DisposalCaseViewSet)
    router.register("disposal-milestones", DisposalMilestoneViewSet)
    router.register("disposal-documents", DisposalDocumentViewSet)
