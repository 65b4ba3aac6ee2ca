"""Directory API endpoints."""

from parkos.core.api.views import PrimaryModelViewSet
from parkos.directory import filtersets
from parkos.directory.api import serializers
from parkos.directory.models import Industry, Organization, OrganizationAlias, Person, Position


class IndustryViewSet(PrimaryModelViewSet):
    queryset = Industry.objects.all()
    serializer_class = serializers.IndustrySerializer
    filterset_class = filtersets.IndustryFilterSet


class OrganizationViewSet(PrimaryModelViewSet):
    queryset = Organization.objects.all()
    serializer_class = serializers.OrganizationSerializer
    filterset_class = filtersets.OrganizationFilterSet


class OrganizationAliasViewSet(PrimaryModelViewSet):
    queryset = OrganizationAlias.objects.select_related("organization")
    serializer_class = serializers.OrganizationAliasSerializer
    filterset_class = filtersets.OrganizationAliasFilterSet


class PersonViewSet(PrimaryModelViewSet):
    queryset = Person.objects.all()
    serializer_class = serializers.PersonSerializer
    filterset_class = filtersets.PersonFilterSet


class PositionViewSet(PrimaryModelViewSet):
    queryset = Position.objects.select_related("person", "organization")
    serializer_class = serializers.PositionSerializer
    filterset_class = filtersets.PositionFilterSet
