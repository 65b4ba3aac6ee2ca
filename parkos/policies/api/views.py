"""API view sets of the policy models: /api/policies/..."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from parkos.core.api.views import PrimaryModelViewSet
from parkos.policies import filtersets, matching
from parkos.policies.api import serializers
from parkos.policies.models import Application, ApplicationDocument, Certification, Disbursement, Policy


class PolicyViewSet(PrimaryModelViewSet):
    queryset = Policy.objects.select_related("issuer")
    serializer_class = serializers.PolicySerializer
    filterset_class = filtersets.PolicyFilterSet

    @extend_schema(responses=serializers.PolicyMatchesSerializer)
    @action(detail=True, methods=["get"])
    def matches(self, request, pk=None):
        """The enterprises that qualify for the policy and those that miss exactly one rule, in the user's scope."""
        policy = self.get_object()
        qualifying, near = matching.enterprises_for_policy(policy, user=request.user)
        return Response(serializers.PolicyMatchesSerializer({"qualifying": qualifying, "near_misses": near}).data)


class CertificationViewSet(PrimaryModelViewSet):
    queryset = Certification.objects.select_related("organization")
    serializer_class = serializers.CertificationSerializer
    filterset_class = filtersets.CertificationFilterSet


class ApplicationViewSet(PrimaryModelViewSet):
    queryset = Application.objects.select_related("policy", "applicant", "park", "reviewer")
    serializer_class = serializers.ApplicationSerializer
    filterset_class = filtersets.ApplicationFilterSet


class ApplicationDocumentViewSet(PrimaryModelViewSet):
    queryset = ApplicationDocument.objects.select_related("application__policy", "application__applicant")
    serializer_class = serializers.ApplicationDocumentSerializer
    filterset_class = filtersets.ApplicationDocumentFilterSet


class DisbursementViewSet(PrimaryModelViewSet):
    queryset = Disbursement.objects.select_related("application__policy", "application__applicant")
    serializer_class = serializers.DisbursementSerializer
    filterset_class = filtersets.DisbursementFilterSet
