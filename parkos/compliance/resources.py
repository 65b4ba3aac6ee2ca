"""Import/export columns of default handling: agreements and commitments by ID, users by name.

The stage and the dates and figures of each step are exported but not imported: they change only by the
steps of a case (``compliance.services``).
"""

from import_export import fields

from parkos.compliance.models import DefaultCase, DefaultCaseDocument
from parkos.core.resources import PrimaryResource, UserWidget, VisibleForeignKeyWidget, register
from parkos.investment.models import Agreement, Commitment

STEP_FIELDS = (
    "stage",
    "warned_on",
    "rectification_started_on",
    "rectification_deadline",
    "settled_on",
    "settlement_kind",
    "settlement_amount",
    "settlement_currency",
    "disposal_case",
    "closed_on",
    "outcome",
)


@register
class DefaultCaseResource(PrimaryResource):
    agreement = fields.Field("agreement", "agreement", VisibleForeignKeyWidget(Agreement, "pk"))
    commitment = fields.Field("commitment", "commitment", VisibleForeignKeyWidget(Commitment, "pk"))
    owner = fields.Field("owner", "owner", UserWidget())

    class Meta(PrimaryResource.Meta):
        model = DefaultCase
        fields = (
            "id",
            "reference",
            "agreement",
            "commitment",
            "year",
            "target",
            "actual",
            "gap",
            "source",
            "owner",
            "opened_on",
            *STEP_FIELDS,
            "notes",
        )
        import_id_fields = ("id",)
        readonly_fields = ("agreement", *STEP_FIELDS)

    def get_queryset(self):
        return super().get_queryset().select_related("owner")


@register
class DefaultCaseDocumentResource(PrimaryResource):
    case = fields.Field("case", "case", VisibleForeignKeyWidget(DefaultCase, "pk"))

    class Meta(PrimaryResource.Meta):
        model = DefaultCaseDocument
        fields = ("id", "case", "title", "file")
        import_id_fields = ("id",)
