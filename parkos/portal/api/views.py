"""Portal API endpoints: proposals CRUD, and their approval or rejection."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from parkos.core.api.views import PrimaryModelViewSet
from parkos.portal import filtersets, services
from parkos.portal.api import serializers
from parkos.portal.models import ProfileChangeRequest


class ProfileChangeRequestViewSet(PrimaryModelViewSet):
    queryset = ProfileChangeRequest.objects.select_related("organization")
    serializer_class = serializers.ProfileChangeRequestSerializer
    filterset_class = filtersets.ProfileChangeRequestFilterSet

    def _review(self, request, decide):
        self.action = "partial_update"  # a decision needs the change permission
        proposal = self.get_object()
        body = serializers.ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decide(request=proposal, user=request.user, note=body.validated_data["review_note"])
        return Response(self.get_serializer(self.get_queryset().get(pk=proposal.pk)).data)

    @extend_schema(request=serializers.ReviewSerializer, responses=serializers.ProfileChangeRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Apply the proposed changes to the organization (its history shows them under the approver)."""
        return self._review(request, services.profile_change_approve)

    @extend_schema(request=serializers.ReviewSerializer, responses=serializers.ProfileChangeRequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject the proposal, saying why in ``review_note``; the organization is unchanged."""
        return self._review(request, services.profile_change_reject)
