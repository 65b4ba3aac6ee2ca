"""Investment import/export columns. Parks by code, organizations by name, users by user name, the rest by ID."""

from import_export import fields

from parkos.core.resources import PrimaryResource, UserWidget, VisibleForeignKeyWidget, register
from parkos.directory.models import Industry, Person
from parkos.directory.resources import OrganizationWidget
from parkos.investment.models import (
    Agreement,
    AgreementDocument,
    Commitment,
    Contact,
    Event,
    ExchangeRate,
    FollowUpTask,
    Party,
    Progress,
    Project,
    Signatory,
)
from parkos.parks.models import Park


@register
class ProjectResource(PrimaryResource):
    investor = fields.Field("investor", "investor", OrganizationWidget())
    industry = fields.Field("industry", "industry", VisibleForeignKeyWidget(Industry, "code"))
    park = fields.Field("park", "park", VisibleForeignKeyWidget(Park, "code"))
    owner = fields.Field("owner", "owner", UserWidget())

    class Meta(PrimaryResource.Meta):
        model = Project
        fields = (
            "id",
            "name",
            "codename",
            "is_confidential",
            "investor",
            "industry",
            "park",
            "planned_investment_amount",
            "planned_investment_currency",
            "planned_floor_area",
            "planned_jobs",
            "owner",
            "source",
            "stage",
            "lost_reason",
            "description",
        )
        import_id_fields = ("id",)

    def get_queryset(self):
        return super().get_queryset().for_user(self.user)


@register
class EventResource(PrimaryResource):
    park = fields.Field("park", "park", VisibleForeignKeyWidget(Park, "code"))

    class Meta(PrimaryResource.Meta):
        model = Event
        fields = ("id", "kind", "title", "date", "place", "park", "description")
        import_id_fields = ("id",)


@register
class AgreementResource(PrimaryResource):
    park = fields.Field("park", "park", VisibleForeignKeyWidget(Park, "code"))
    event = fields.Field("event", "event", VisibleForeignKeyWidget(Event, "pk"))
    project = fields.Field("project", "project", VisibleForeignKeyWidget(Project, "pk"))

    class Meta(PrimaryResource.Meta):
        model = Agreement
        fields = (
            "id",
            "kind",
            "title",
            "reference",
            "status",
            "park",
            "project",
            "event",
            "signed_on",
            "start_date",
            "end_date",
            "fields_of_cooperation",
            "contact_cadence",
            "summary",
        )
        import_id_fields = ("id",)


@register
class PartyResource(PrimaryResource):
    agreement = fields.Field("agreement", "agreement", VisibleForeignKeyWidget(Agreement, "pk"))
    organization = fields.Field("organization", "organization", OrganizationWidget())

    class Meta(PrimaryResource.Meta):
        model = Party
        fields = ("id", "agreement", "organization", "role")
        import_id_fields = ("id",)


@register
class SignatoryResource(PrimaryResource):
    agreement = fields.Field("agreement", "agreement", VisibleForeignKeyWidget(Agreement, "pk"))
    party = fields.Field("party", "party", VisibleForeignKeyWidget(Party, "pk"))
    person = fields.Field("person", "person", VisibleForeignKeyWidget(Person, "pk"))

    class Meta(PrimaryResource.Meta):
        model = Signatory
        fields = ("id", "agreement", "party", "person", "title")
        import_id_fields = ("id",)


@register
class CommitmentResource(PrimaryResource):
    agreement = fields.Field("agreement", "agreement", VisibleForeignKeyWidget(Agreement, "pk"))
    party = fields.Field("party", "party", VisibleForeignKeyWidget(Party, "pk"))

    class Meta(PrimaryResource.Meta):
        model = Commitment
        fields = (
            "id",
            "agreement",
            "party",
            "kind",
            "basis",
            "description",
            "target_value",
            "unit",
            "start_date",
            "due_date",
            "latest_value",
            "latest_on",
            "met_on",
        )
        import_id_fields = ("id",)
        # Derived from the progress records: exported for reading, never imported.
        readonly_fields = ("latest_value", "latest_on", "met_on")


@register
class ProgressResource(PrimaryResource):
    commitment = fields.Field("commitment", "commitment", VisibleForeignKeyWidget(Commitment, "pk"))

    class Meta(PrimaryResource.Meta):
        model = Progress
        fields = ("id", "commitment", "date", "value", "source", "note")
        import_id_fields = ("id",)


@register
class ContactResource(PrimaryResource):
    park = fields.Field("park", "park", VisibleForeignKeyWidget(Park, "code"))
    project = fields.Field("project", "project", VisibleForeignKeyWidget(Project, "pk"))
    agreement = fields.Field("agreement", "agreement", VisibleForeignKeyWidget(Agreement, "pk"))

    class Meta(PrimaryResource.Meta):
        model = Contact
        fields = ("id", "kind", "date", "subject", "park", "project", "agreement", "notes", "next_steps")
        import_id_fields = ("id",)


@register
class FollowUpTaskResource(PrimaryResource):
    contact = fields.Field("contact", "contact", VisibleForeignKeyWidget(Contact, "pk"))
    owner = fields.Field("owner", "owner", UserWidget())

    class Meta(PrimaryResource.Meta):
        model = FollowUpTask
        fields = ("id", "contact", "description", "owner", "due_date", "done_on")
        import_id_fields = ("id",)


@register
class AgreementDocumentResource(PrimaryResource):
    agreement = fields.Field("agreement", "agreement", VisibleForeignKeyWidget(Agreement, "pk"))

    class Meta(PrimaryResource.Meta):
        model = AgreementDocument
        fields = ("id", "agreement", "title", "file")
        import_id_fields = ("id",)


@register
class ExchangeRateResource(PrimaryResource):
    class Meta(PrimaryResource.Meta):
        model = ExchangeRate
        fields = ("currency", "rate", "valid_from", "source")
        import_id_fields = ("currency", "valid_from")
