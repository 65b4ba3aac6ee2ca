"""Evaluation import/export columns: enterprises by credit code, parks by code, schemes by name and version."""

from import_export import fields, widgets

from parkos.core.resources import PrimaryResource, VisibleForeignKeyWidget, register
from parkos.directory.models import Organization
from parkos.evaluation.models import Appeal, EvaluationResult, EvaluationScheme, IndicatorFiling
from parkos.parks.models import LandParcel, Park


@register
class IndicatorFilingResource(PrimaryResource):
    organization = fields.Field("organization", "organization", VisibleForeignKeyWidget(Organization, "credit_code"))
    park = fields.Field("park", "park", VisibleForeignKeyWidget(Park, "code"))
    parcel = fields.Field("parcel", "parcel", VisibleForeignKeyWidget(LandParcel, "code"))

    class Meta(PrimaryResource.Meta):
        model = IndicatorFiling
        fields = (
            "organization",
            "year",
            "park",
            "parcel",
            *IndicatorFiling.VALUE_FIELDS,
            "above_size_threshold",
            "major_incident",
            "is_tenant",
            "land_rule",
            "production_start",
            "note",
        )
        import_id_fields = ("organization", "year")


@register
class EvaluationSchemeResource(PrimaryResource):
    definition = fields.Field("definition", "definition", widgets.JSONWidget())

    class Meta(PrimaryResource.Meta):
        model = EvaluationScheme
        fields = ("name", "version", "title", "description", "definition")
        import_id_fields = ("name", "version")


@register
class AppealResource(PrimaryResource):
    result = fields.Field("result", "result", VisibleForeignKeyWidget(EvaluationResult, "pk"))

    class Meta(PrimaryResource.Meta):
        model = Appeal
        fields = ("id", "result", "reason", "status", "decision")
        import_id_fields = ("id",)
