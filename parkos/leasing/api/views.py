"""Leasing API: CRUD per model, renew and terminate a lease, occupancy and the rent roll."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from parkos.core.api.pagination import PageNumberPagination
from parkos.core.api.views import PrimaryModelViewSet
from parkos.core.navigation import sees_operator_pages
from parkos.core.permissions import Action, can
from parkos.leasing import filtersets, selectors, services
from parkos.leasing.api import serializers
from parkos.leasing.models import Lease, RentTerm, Sale
from parkos.leasing.reports import OccupancyFilterForm, RentRollFilterForm


class LeaseViewSet(PrimaryModelViewSet):
    queryset = Lease.objects.select_related("tenant", "park").prefetch_related("units")
    serializer_class = serializers.LeaseSerializer
    filterset_class = filtersets.LeaseFilterSet

    def _act(self, request, body_class, service, **mapping):
        self.action = "partial_update"  # renewing or terminating needs the change permission
        lease = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        result = service(lease=lease, user=request.user, **body.validated_data)  # errors: core.api exception handler
        return Response(self.get_serializer(self.get_queryset().get(pk=result.pk)).data)

    @extend_schema(request=serializers.LeaseRenewSerializer, responses=serializers.LeaseSerializer)
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        """Create the successor lease (same tenant and units) and mark this one renewed; returns the successor."""
        return self._act(request, serializers.LeaseRenewSerializer, services.lease_renew)

    @extend_schema(request=serializers.LeaseTerminateSerializer, responses=serializers.LeaseSerializer)
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        """End the lease early: it holds its units up to and including ``on``."""
        return self._act(request, serializers.LeaseTerminateSerializer, services.lease_terminate)


class RentTermViewSet(PrimaryModelViewSet):
    queryset = RentTerm.objects.select_related("lease")
    serializer_class = serializers.RentTermSerializer
    filterset_class = filtersets.RentTermFilterSet


class SaleViewSet(PrimaryModelViewSet):
    queryset = Sale.objects.select_related("buyer", "park", "building").prefetch_related("units")
    serializer_class = serializers.SaleSerializer
    filterset_class = filtersets.SaleFilterSet


# --- reports -------------------------------------------------------------------------------------------


class OccupancyRowSerializer(drf_serializers.Serializer):
    id = drf_serializers.IntegerField(source="key", allow_null=True)
    name = drf_serializers.CharField()
    lettable = drf_serializers.DecimalField(max_digits=24, decimal_places=2, help_text="m²")
    leased = drf_serializers.DecimalField(max_digits=24, decimal_places=2, help_text="m²")
    sold = drf_serializers.DecimalField(max_digits=24, decimal_places=2, help_text="m²")
    vacant = drf_serializers.DecimalField(max_digits=24, decimal_places=2, help_text="m²")
    units = drf_serializers.IntegerField()
    units_occupied = drf_serializers.IntegerField()
    rate = drf_serializers.FloatField(allow_null=True, help_text="Occupied over lettable area, 0-1.")


class OccupancySerializer(drf_serializers.Serializer):
    date = drf_serializers.DateField()
    total = OccupancyRowSerializer()
    buildings = OccupancyRowSerializer(many=True)
    parks = OccupancyRowSerializer(many=True)
    brands = OccupancyRowSerializer(many=True)


class RentRollRowSerializer(drf_serializers.Serializer):
    id = drf_serializers.IntegerField()
    lease = drf_serializers.CharField(source="__str__")
    tenant = drf_serializers.IntegerField(source="tenant_id")
    tenant_name = drf_serializers.CharField(source="tenant.name")
    park = drf_serializers.IntegerField(source="park_id")
    units = drf_serializers.SerializerMethodField()
    leased_area = drf_serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    start_date = drf_serializers.DateField()
    end_date = drf_serializers.DateField(source="effective_end", allow_null=True)
    current_rent = drf_serializers.DecimalField(max_digits=24, decimal_places=2)
    rent_basis = drf_serializers.CharField()
    currency = drf_serializers.CharField()
    monthly_rent = drf_serializers.DecimalField(max_digits=24, decimal_places=2)

    def get_units(self, obj) -> list[str]:
        return [u.code for u in obj.units.all()]


class RentRollSerializer(drf_serializers.Serializer):
    count = drf_serializers.IntegerField()
    next = drf_serializers.URLField(allow_null=True)
    previous = drf_serializers.URLField(allow_null=True)
    date = drf_serializers.DateField()
    area = drf_serializers.DecimalField(max_digits=24, decimal_places=2)
    monthly_by_currency = drf_serializers.DictField(child=drf_serializers.DecimalField(max_digits=24, decimal_places=2))
    results = RentRollRowSerializer(many=True)


def _parameter(name, type_, description):
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, required=False, description=description)


class LeasingReportView(APIView):
    permission_classes = [IsAuthenticated]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not can(request.user, Lease, Action.VIEW) or not sees_operator_pages(request.user):
            raise PermissionDenied  # the park-wide reports are the operator's, as on the pages

    def form(self, form_class, request):
        form = form_class(request.query_params, user=request.user)
        if not form.is_valid():
            raise drf_serializers.ValidationError(form.errors_by_field())
        return form


class OccupancyAPIView(LeasingReportView):
    @extend_schema(
        operation_id="leasing_occupancy",
        summary="Occupancy and vacancy on a date",
        parameters=[
            _parameter("date", OpenApiTypes.DATE, "Default: today."),
            _parameter("park", OpenApiTypes.INT, "Park ID."),
            _parameter("brand", OpenApiTypes.INT, "Park brand ID."),
            _parameter("building", OpenApiTypes.INT, "Building ID."),
        ],
        responses=OccupancySerializer,
    )
    def get(self, request):
        form = self.form(OccupancyFilterForm, request)
        return Response(OccupancySerializer(selectors.occupancy(request.user, **form.selector_kwargs())).data)


class RentRollAPIView(LeasingReportView):
    @extend_schema(
        operation_id="leasing_rent_roll",
        summary="Rent roll on a date",
        description="Leases holding their units on the date, with the rent then and its monthly equivalent.",
        parameters=[
            _parameter("date", OpenApiTypes.DATE, "Default: today."),
            _parameter("park", OpenApiTypes.INT, "Park ID."),
            _parameter("brand", OpenApiTypes.INT, "Park brand ID."),
            _parameter("tenant", OpenApiTypes.INT, "Tenant organization ID."),
            _parameter("page", OpenApiTypes.INT, "Page number."),
            _parameter("page_size", OpenApiTypes.INT, "Rows per page."),
        ],
        responses=RentRollSerializer,
    )
    def get(self, request):
        form = self.form(RentRollFilterForm, request)
        roll = selectors.rent_roll(request.user, **form.selector_kwargs())
        paginator = PageNumberPagination()
        page = selectors.prefetch_units(paginator.paginate_queryset(roll.leases, request, view=self))
        response = paginator.get_paginated_response(RentRollRowSerializer(page, many=True).data)
        response.data["date"] = roll.date
        totals = RentRollSerializer().fields  # decimals as the schema's strings, like the rows
        response.data["area"] = totals["area"].to_representation(roll.area)
        by_currency = dict(roll.monthly_by_currency)
        response.data["monthly_by_currency"] = totals["monthly_by_currency"].to_representation(by_currency)
        return response
