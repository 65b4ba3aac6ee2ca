"""Report endpoints: the pipeline figures and the agreement implementation report as JSON.

The same filter forms as the pages validate the query (parkos.investment.reports), and the same
selectors compute the figures; ``report_urlpatterns`` is mounted under /api/investment/.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from parkos.core.api.pagination import PageNumberPagination
from parkos.core.permissions import Action, can
from parkos.core.units import CURRENCIES
from parkos.investment.models import Agreement, Commitment, CommitmentStatus, ImplementationStatus, Project, Stage
from parkos.investment.reports import ImplementationFilterForm, PipelineFilterForm
from parkos.investment.selectors import implementation_report, pipeline_figures

# --- output shapes (they document the schema and render the dicts the selectors return) --------------


class CurrencyTotalSerializer(serializers.Serializer):
    currency = serializers.CharField()
    projects = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=24, decimal_places=4)
    rate = serializers.DecimalField(
        max_digits=30, decimal_places=12, allow_null=True, help_text="Report currency per unit; null: no rate."
    )
    converted = serializers.DecimalField(max_digits=24, decimal_places=2, allow_null=True)


class InvestmentSerializer(serializers.Serializer):
    currency = serializers.CharField(help_text="The report currency.")
    by_currency = CurrencyTotalSerializer(many=True)
    total = serializers.DecimalField(max_digits=24, decimal_places=2, help_text="Converted currencies only.")
    missing_rates = serializers.ListField(child=serializers.CharField(), help_text="Currencies left out: no rate.")


class AreaSerializer(serializers.Serializer):
    leased = serializers.DecimalField(max_digits=24, decimal_places=4, help_text="m²")
    purchased = serializers.DecimalField(max_digits=24, decimal_places=4, help_text="m²")
    total = serializers.DecimalField(max_digits=24, decimal_places=4, help_text="m²")
    agreements = serializers.IntegerField()


class StageCountSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    label = serializers.CharField()
    projects = serializers.IntegerField()


class ConversionSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    label = serializers.CharField()
    reached = serializers.IntegerField()
    next_share = serializers.FloatField(allow_null=True)


class TimeInStageSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    label = serializers.CharField()
    stays = serializers.IntegerField()
    mean_days = serializers.FloatField(allow_null=True)
    median_days = serializers.FloatField(allow_null=True)


class PipelineFiguresSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    currency = serializers.CharField()
    projects = serializers.IntegerField(help_text="Projects matching the filters, in any stage.")
    signed = serializers.IntegerField(help_text="Projects that moved into 'signed' in the period.")
    investment = InvestmentSerializer()
    area = AreaSerializer()
    stages = StageCountSerializer(many=True)
    conversion = ConversionSerializer(many=True)
    time_in_stage = TimeInStageSerializer(many=True)


class ReportPartySerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization_id")
    name = serializers.CharField(source="organization.name")
    role = serializers.CharField()


class ReportCommitmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    party = serializers.IntegerField(source="party.organization_id")
    kind = serializers.ChoiceField(choices=Commitment.Kind.choices)
    description = serializers.CharField()
    target_value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    unit = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    latest_value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    latest_on = serializers.DateField(allow_null=True)
    met_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(source="current_status", choices=CommitmentStatus.choices)


class ReportAgreementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField(source="get_absolute_url")
    title = serializers.CharField()
    reference = serializers.CharField()
    kind = serializers.ChoiceField(choices=Agreement.Kind.choices)
    status = serializers.ChoiceField(choices=Agreement.Status.choices)
    park = serializers.IntegerField(source="park_id")
    signed_on = serializers.DateField(allow_null=True)
    parties = ReportPartySerializer(many=True, source="parties.all")
    n_commitments = serializers.IntegerField()
    n_met = serializers.IntegerField()
    n_on_track = serializers.IntegerField()
    n_at_risk = serializers.IntegerField()
    n_overdue = serializers.IntegerField()
    implementation = serializers.ChoiceField(choices=ImplementationStatus.choices)
    commitments = ReportCommitmentSerializer(many=True, source="commitments.all")


class ImplementationTotalsSerializer(serializers.Serializer):
    agreements = serializers.IntegerField()
    commitments = serializers.IntegerField()
    by_implementation = serializers.DictField(child=serializers.IntegerField(), help_text="Agreements per status.")
    commitments_by_status = serializers.DictField(child=serializers.IntegerField())
    agreements_by_kind = serializers.DictField(child=serializers.IntegerField())
    commitments_by_kind = serializers.DictField(child=serializers.IntegerField())


class ImplementationReportSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    totals = ImplementationTotalsSerializer()
    results = ReportAgreementSerializer(many=True)


# --- views ---------------------------------------------------------------------------------------------


def _parameter(name: str, type_, description: str, enum=None) -> OpenApiParameter:
    return OpenApiParameter(name, type_, OpenApiParameter.QUERY, required=False, description=description, enum=enum)


def _validated(form_class, request):
    form = form_class(request.query_params, user=request.user)
    if not form.is_valid():
        raise ValidationError(form.errors_by_field())
    return form


class ReportAPIView(APIView):
    """Read-only: the model permission of the report's subject decides access; the selectors apply scope."""

    permission_classes = [IsAuthenticated]
    subject: type

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not can(request.user, self.subject, Action.VIEW):
            raise PermissionDenied


class PipelineFiguresAPIView(ReportAPIView):
    subject = Project

    @extend_schema(
        operation_id="investment_pipeline_figures",
        summary="Pipeline figures",
        description=(
            "Projects signed in the period, their planned investment per currency and converted to the report "
            "currency, floor area leased and sold under agreements signed in the period, projects per stage, "
            "conversion and time in stage. Confidential projects are counted, never named."
        ),
        parameters=[
            _parameter("date_from", OpenApiTypes.DATE, "Start of the period (default: 1 January this year)."),
            _parameter("date_to", OpenApiTypes.DATE, "End of the period (default: today)."),
            _parameter("park", OpenApiTypes.INT, "Target park ID."),
            _parameter("brand", OpenApiTypes.INT, "Park brand ID."),
            _parameter("industry", OpenApiTypes.INT, "Industry ID (includes its sub-industries)."),
            _parameter("stage", OpenApiTypes.STR, "Current stage.", enum=Stage.values),
            _parameter("currency", OpenApiTypes.STR, "Report currency (default CNY).", enum=list(CURRENCIES)),
        ],
        responses=PipelineFiguresSerializer,
    )
    def get(self, request):
        form = _validated(PipelineFilterForm, request)
        figures = pipeline_figures(request.user, **form.selector_kwargs())
        return Response(PipelineFiguresSerializer(figures).data)


class ImplementationReportAPIView(ReportAPIView):
    subject = Agreement

    @extend_schema(
        operation_id="investment_implementation_report",
        summary="Agreement implementation report",
        description=(
            "Agreements you may see with their commitments per status and rolled-up implementation status "
            "(paginated), and totals over every filtered agreement."
        ),
        parameters=[
            _parameter("party", OpenApiTypes.INT, "Organization ID of a party."),
            _parameter("kind", OpenApiTypes.STR, "Agreement kind.", enum=Agreement.Kind.values),
            _parameter("date_from", OpenApiTypes.DATE, "Signed on or after."),
            _parameter("date_to", OpenApiTypes.DATE, "Signed on or before."),
            _parameter("status", OpenApiTypes.STR, "Implementation status.", enum=ImplementationStatus.values),
            _parameter("page", OpenApiTypes.INT, "Page number."),
            _parameter("page_size", OpenApiTypes.INT, "Rows per page (at most 1000)."),
        ],
        responses=ImplementationReportSerializer,
    )
    def get(self, request):
        form = _validated(ImplementationFilterForm, request)
        report = implementation_report(request.user, **form.selector_kwargs())
        paginator = PageNumberPagination()
        page = report.rows(paginator.paginate_queryset(report.ordered_ids(), request, view=self))
        totals = {
            "agreements": report.total_agreements,
            "commitments": report.total_commitments,
            "by_implementation": report.by_implementation,
            "commitments_by_status": report.commitments_by_status,
            "agreements_by_kind": report.agreements_by_kind,
            "commitments_by_kind": report.commitments_by_kind,
        }
        response = paginator.get_paginated_response(ReportAgreementSerializer(page, many=True).data)
        response.data["totals"] = totals
        return response


report_urlpatterns = [
    path("figures/", PipelineFiguresAPIView.as_view(), name="pipeline-figures"),
    path("agreements/implementation/", ImplementationReportAPIView.as_view(), name="implementation-report"),
]
