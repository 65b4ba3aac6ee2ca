"""API view sets of the policy models: /api/policies/..."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from parkos.core.api.views import PrimaryModelViewSet
from parkos.policies import filtersets, snapshot
from parkos.policies.api import serializers
from parkos.policies.models import Application, ApplicationDocument, Certification, Disbursement, Policy


class PolicyViewSet(PrimaryModelViewSet):
    queryset = Policy.objects.select_related("issuer")
    serializer_class = serializers.PolicySerializer
    filterset_class = filtersets.PolicyFilterSet

    @extend_schema(responses=serializers.PolicyMatchesSerializer)
    @action(detail=True, methods=["get"])
    def matches(self, request, pk=None):
        """The enterprises that qualify for the policy and those that miss exactly one rule, in the user's scope, as
        stored (``as_of``: when they were matched)."""
        policy = self.get_object()
        found = snapshot.StoredMatches(policy, user=request.user)
        body = {"qualifying": list(found.qualifying[:]), "near_misses": list(found.near[:]), "as_of": found.as_of}
        return Response(serializers.PolicyMatchesSerializer(body).data)


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
