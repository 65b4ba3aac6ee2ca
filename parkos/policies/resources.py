"""Import / export of the policy models: organizations by credit code (or name), policies by issuer and name."""

from import_export import fields

from parkos.core.resources import PrimaryResource, VisibleForeignKeyWidget, register
from parkos.directory.resources import OrganizationWidget
from parkos.parks.models import Park
from parkos.policies.models import Application, ApplicationDocument, Certification, Disbursement, Policy


@register
class PolicyResource(PrimaryResource):
    issuer = fields.Field("issuer", "issuer", OrganizationWidget())

    class Meta(PrimaryResource.Meta):
        model = Policy
        fields = (
            "issuer",
            "name",
            "document_number",
            "aspect",
            "summary",
            "status",
            "opens_on",
            "closes_on",
            "budget_amount",
            "budget_currency",
            "amount_rule",
            "amount_cap",
            "documents_required",
            "eligibility",
        )
        import_id_fields = ("issuer", "name")


@register
class CertificationResource(PrimaryResource):
    organization = fields.Field("organization", "organization", OrganizationWidget())

    class Meta(PrimaryResource.Meta):
        model = Certification
        fields = ("id", "organization", "kind", "title", "number", "issued_by", "valid_from", "valid_until")
        import_id_fields = ("id",)


@register
class ApplicationResource(PrimaryResource):
    policy = fields.Field("policy", "policy", VisibleForeignKeyWidget(Policy, "pk"))
    applicant = fields.Field("applicant", "applicant", OrganizationWidget())
    park = fields.Field("park", "park", VisibleForeignKeyWidget(Park, "code"))

    class Meta(PrimaryResource.Meta):
        model = Application
        fields = (
            "id",
            "policy",
            "applicant",
            "park",
            "status",
            "amount_requested",
            "amount_approved",
            "currency",
            "statement",
            "decision_note",
        )
        import_id_fields = ("id",)


@register
class ApplicationDocumentResource(PrimaryResource):
    application = fields.Field("application", "application", VisibleForeignKeyWidget(Application, "pk"))

    class Meta(PrimaryResource.Meta):
        model = ApplicationDocument
        fields = ("id", "application", "title", "file")
        import_id_fields = ("id",)


@register
class DisbursementResource(PrimaryResource):
    application = fields.Field("application", "application", VisibleForeignKeyWidget(Application, "pk"))

    class Meta(PrimaryResource.Meta):
        model = Disbursement
        fields = ("id", "application", "paid_on", "amount", "reference", "note")
        import_id_fields = ("id",)
