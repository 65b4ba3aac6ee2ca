"""Directory API serializers."""

from parkos.core.api.serializers import PrimaryModelSerializer
from parkos.directory.models import Industry, Organization, OrganizationAlias, Person, Position


class IndustrySerializer(PrimaryModelSerializer):
    class Meta:
        model = Industry
        fields = (
            "id",
            "url",
            "display",
            "code",
            "name",
            "name_en",
            "parent",
            "national_code",
            "depth",
            "created",
            "last_updated",
        )
        read_only_fields = ("depth",)


class OrganizationSerializer(PrimaryModelSerializer):
    class Meta:
        model = Organization
        fields = (
            "id",
            "url",
            "display",
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
            "created",
            "last_updated",
        )


class OrganizationAliasSerializer(PrimaryModelSerializer):
    class Meta:
        model = OrganizationAlias
        fields = ("id", "url", "display", "organization", "name", "created", "last_updated")


class PersonSerializer(PrimaryModelSerializer):
    class Meta:
        model = Person
        fields = (
            "id",
            "url",
            "display",
            "name",
            "name_en",
            "email",
            "phone",
            "notes",
            "created",
            "last_updated",
        )


class PositionSerializer(PrimaryModelSerializer):
    class Meta:
        model = Position
        fields = (
            "id",
            "url",
            "display",
            "person",
            "organization",
            "title",
            "title_en",
            "start_date",
            "end_date",
            "created",
            "last_updated",
        )
