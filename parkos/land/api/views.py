"""API view sets for inefficient land and disposal cases, and the close action of a case.

What a flag or a case created here does to its parcel is the write path's business (``land.services``).
"""

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from parkos.core.api.views import PrimaryModelViewSet
from parkos.land import filtersets, services
from parkos.land.api.serializers import (
    CaseCloseSerializer,
    DisposalCaseSerializer,
    DisposalDocumentSerializer,
    DisposalMilestoneSerializer,
    ParcelFlagSerializer,
)
from parkos.land.models import DisposalCase, DisposalDocument, DisposalMilestone, ParcelFlag


class ParcelFlagViewSet(PrimaryModelViewSet):
    queryset = ParcelFlag.objects.select_related("parcel__park")
    serializer_class = ParcelFlagSerializer
    filterset_class = filtersets.ParcelFlagFilterSet


class DisposalCaseViewSet(PrimaryModelViewSet):
    queryset = DisposalCase.objects.select_related("parcel__park")
    serializer_class = DisposalCaseSerializer
    filterset_class = filtersets.DisposalCaseFilterSet

    @extend_schema(request=CaseCloseSerializer, responses=DisposalCaseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the case with its outcome; the parcel's status follows (returned land becomes available)."""
        self.action = "partial_update"  # closing needs the change permission
        case = self.get_object()
        body = CaseCloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = services.case_close(case=case, user=request.user, **body.validated_data)
        return Response(self.get_serializer(case).data)


class DisposalMilestoneViewSet(PrimaryModelViewSet):
    queryset = DisposalMilestone.objects.select_related("case__parcel")
    serializer_class = DisposalMilestoneSerializer
    filterset_class = filtersets.DisposalMilestoneFilterSet


class DisposalDocumentViewSet(PrimaryModelViewSet):
    queryset = DisposalDocument.objects.select_related("case__parcel")
    serializer_class = DisposalDocumentSerializer
    filterset_class = filtersets.DisposalDocumentFilterSet


#: the endpoints' old paths, under /api/evaluation/, before the land app had its own
LAND_API_MOVED = r"^api/evaluation/(?P<rest>(parcel-flags|disposal-cases|disposal-milestones|disposal-documents)/.*)$"


class PermanentRedirectKeepingMethod(HttpResponsePermanentRedirect):
    """308: unlike a 301, clients repeat a POST, PUT, PATCH or DELETE (with its body) at the new address."""

    status_code = 308


def moved_from_evaluation(request, rest: str):
    """/api/evaluation/parcel-flags/... and the like: the same endpoint under /api/land/."""
    url = reverse("land-api:api-root") + rest
    if request.META.get("QUERY_STRING"):
        url = f"{url}?{request.META['QUERY_STRING']}"
    return PermanentRedirectKeepingMethod(url)
