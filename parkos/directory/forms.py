"""Directory forms."""

from parkos.core.forms import PrimaryModelForm
from parkos.directory.models import Industry, Organization, OrganizationAlias, Person, Position


class IndustryForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Industry
        fields = ("code", "name", "name_en", "parent", "national_code")


class OrganizationForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Organization
        fields = (
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


class OrganizationAliasForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = OrganizationAlias
        fields = ("organization", "name")


class PersonForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Person
        fields = ("name", "name_en", "email", "phone", "notes")


class PositionForm(PrimaryModelForm):
    class Meta(PrimaryModelForm.Meta):
        model = Position
        fields = ("person", "organization", "title", "title_en", "start_date", "end_date")
