"""Investment API endpoints: CRUD per model, plus the dated stage move of a project."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from parkos.core.api.views import PrimaryModelViewSet
from parkos.investment import filtersets
from parkos.investment.api import serializers
from parkos.investment.models import (
    Agreement,
    AgreementDocument,
    Commitment,
    Contact,
    Event,
    ExchangeRate,
    FollowUpTask,
    Party,
    Progress,
    Project,
    Signatory,
)


class ProjectViewSet(PrimaryModelViewSet):
    queryset = Project.objects.select_related("investor", "park").prefetch_related("team")
    serializer_class = serializers.ProjectSerializer
    filterset_class = filtersets.ProjectFilterSet

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user)

    @extend_schema(request=serializers.ProjectMoveSerializer, responses=serializers.ProjectSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the project to another stage; the move is dated in its stage history."""
        from parkos.investment.services import project_move

        self.action = "partial_update"  # a move needs the change permission
        project = self.get_object()
        body = serializers.ProjectMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        project = project_move(project=project, user=request.user, **body.validated_data)
        project = self.get_queryset().get(pk=project.pk)
        return Response(self.get_serializer(project).data)


class EventViewSet(PrimaryModelViewSet):
    queryset = Event.objects.prefetch_related("attendees", "organizations")
    serializer_class = serializers.EventSerializer
    filterset_class = filtersets.EventFilterSet


class AgreementViewSet(PrimaryModelViewSet):
    queryset = Agreement.objects.with_implementation()
    serializer_class = serializers.AgreementSerializer
    filterset_class = filtersets.AgreementFilterSet


class PartyViewSet(PrimaryModelViewSet):
    queryset = Party.objects.select_related("organization")
    serializer_class = serializers.PartySerializer
    filterset_class = filtersets.PartyFilterSet


class SignatoryViewSet(PrimaryModelViewSet):
    queryset = Signatory.objects.select_related("person")
    serializer_class = serializers.SignatorySerializer
    filterset_class = filtersets.SignatoryFilterSet


class CommitmentViewSet(PrimaryModelViewSet):
    queryset = Commitment.objects.select_related("agreement", "party__organization")
    serializer_class = serializers.CommitmentSerializer
    filterset_class = filtersets.CommitmentFilterSet


class ProgressViewSet(PrimaryModelViewSet):
    queryset = Progress.objects.select_related("commitment")
    serializer_class = serializers.ProgressSerializer
    filterset_class = filtersets.ProgressFilterSet


class ContactViewSet(PrimaryModelViewSet):
    queryset = Contact.objects.prefetch_related("people", "organizations")
    serializer_class = serializers.ContactSerializer
    filterset_class = filtersets.ContactFilterSet


class FollowUpTaskViewSet(PrimaryModelViewSet):
    queryset = FollowUpTask.objects.select_related("contact")
    serializer_class = serializers.FollowUpTaskSerializer
    filterset_class = filtersets.FollowUpTaskFilterSet


class AgreementDocumentViewSet(PrimaryModelViewSet):
    queryset = AgreementDocument.objects.all()
    serializer_class = serializers.AgreementDocumentSerializer
    filterset_class = filtersets.AgreementDocumentFilterSet


class ExchangeRateViewSet(PrimaryModelViewSet):
    queryset = ExchangeRate.objects.all()
    serializer_class = serializers.ExchangeRateSerializer
    filterset_class = filtersets.ExchangeRateFilterSet
