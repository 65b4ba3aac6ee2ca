"""Directory import/export columns. Related records are named by their natural keys."""

from import_export import fields

from parkos.core.resources import PrimaryResource, VisibleForeignKeyWidget, register
from parkos.directory.models import Industry, Organization, OrganizationAlias, Person, Position


@register
class IndustryResource(PrimaryResource):
    parent = fields.Field("parent", "parent", VisibleForeignKeyWidget(Industry, "code"))

    class Meta(PrimaryResource.Meta):
        model = Industry
        fields = ("code", "name", "name_en", "parent", "national_code")
        import_id_fields = ("code",)


@register
class OrganizationResource(PrimaryResource):
    industry = fields.Field("industry", "industry", VisibleForeignKeyWidget(Industry, "code"))

    class Meta(PrimaryResource.Meta):
        model = Organization
        fields = (
            "id",
            "name",
            "name_en",
            "kind",
            "credit_code",
            "industry",
            "ownership",
            "district",
            "address",
            "website",
            "established",
            "registered_capital_amount",
            "registered_capital_currency",
            "is_listed",
            "is_fortune_global_500",
            "is_unicorn",
            "is_high_tech",
            "is_srdi",
            "description",
        )
        import_id_fields = ("id",)


@register
class OrganizationAliasResource(PrimaryResource):
    organization = fields.Field("organization", "organization", VisibleForeignKeyWidget(Organization, "name"))

    class Meta(PrimaryResource.Meta):
        model = OrganizationAlias
        fields = ("id", "organization", "name")
        import_id_fields = ("id",)


@register
class PersonResource(PrimaryResource):
    class Meta(PrimaryResource.Meta):
        model = Person
        fields = ("id", "name", "name_en", "email", "phone", "notes")
        import_id_fields = ("id",)


@register
class PositionResource(PrimaryResource):
    person = fields.Field("person", "person", VisibleForeignKeyWidget(Person, "pk"))
    organization = fields.Field("organization", "organization", VisibleForeignKeyWidget(Organization, "name"))

    class Meta(PrimaryResource.Meta):
        model = Position
        fields = ("id", "person", "organization", "title", "title_en", "start_date", "end_date")
        import_id_fields = ("id",)
