"""Investment API serializers. Derived values (statuses, progress) are read-only."""

from rest_framework import serializers

from parkos.core.api.serializers import PrimaryModelSerializer
from parkos.investment.models import (
    Agreement,
    AgreementDocument,
    Commitment,
    CommitmentStatus,
    Contact,
    Event,
    ExchangeRate,
    FollowUpTask,
    ImplementationStatus,
    Party,
    Progress,
    Project,
    Signatory,
    Stage,
)

STAMPS = ("created", "last_updated")


class ProjectSerializer(PrimaryModelSerializer):
    class Meta:
        model = Project
        fields = (
            "id",
            "url",
            "display",
            "name",
            "codename",
            "is_confidential",
            "investor",
            "industry",
            "park",
            "parcel",
            "building",
            "planned_investment_amount",
            "planned_investment_currency",
            "planned_floor_area",
            "planned_jobs",
            "owner",
            "team",
            "source",
            "stage",
            "stage_since",
            "lost_reason",
            "description",
            *STAMPS,
        )
        # Stage moves go through POST .../move/, which dates them in the stage history.
        read_only_fields = ("stage_since",)


class ProjectMoveSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    date = serializers.DateField(required=False)
    lost_reason = serializers.CharField(required=False, allow_blank=True, default="")


class EventSerializer(PrimaryModelSerializer):
    class Meta:
        model = Event
        fields = (
            "id",
            "url",
            "display",
            "kind",
            "title",
            "date",
            "place",
            "park",
            "attendees",
            "organizations",
            "description",
            *STAMPS,
        )


class AgreementSerializer(PrimaryModelSerializer):
    implementation = serializers.ChoiceField(choices=ImplementationStatus.choices, read_only=True)
    commitment_counts = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = (
            "id",
            "url",
            "display",
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
            "implementation",
            "commitment_counts",
            *STAMPS,
        )

    def get_commitment_counts(self, obj) -> dict[str, int]:
        return {status: getattr(obj, f"n_{status}", 0) for status in CommitmentStatus.values}

    def to_representation(self, instance):
        if not hasattr(instance, "implementation"):  # a freshly created or updated object
            instance = Agreement.objects.with_implementation().get(pk=instance.pk)
        return super().to_representation(instance)


class PartySerializer(PrimaryModelSerializer):
    class Meta:
        model = Party
        fields = ("id", "url", "display", "agreement", "organization", "role", *STAMPS)


class SignatorySerializer(PrimaryModelSerializer):
    class Meta:
        model = Signatory
        fields = ("id", "url", "display", "agreement", "party", "person", "title", *STAMPS)


class CommitmentSerializer(PrimaryModelSerializer):
    status = serializers.SerializerMethodField()
    measure_source = serializers.CharField(read_only=True, help_text="filing, leasing, stage or manual")

    class Meta:
        model = Commitment
        fields = (
            "id",
            "url",
            "display",
            "agreement",
            "party",
            "kind",
            "basis",
            "measure_source",
            "description",
            "target_value",
            "unit",
            "start_date",
            "due_date",
            "latest_value",
            "latest_on",
            "met_on",
            "status",
            *STAMPS,
        )
        read_only_fields = ("latest_value", "latest_on", "met_on")

    def get_status(self, obj) -> str:
        return obj.status()


class ProgressSerializer(PrimaryModelSerializer):
    class Meta:
        model = Progress
        fields = ("id", "url", "display", "commitment", "date", "value", "source", "note", *STAMPS)


class ContactSerializer(PrimaryModelSerializer):
    class Meta:
        model = Contact
        fields = (
            "id",
            "url",
            "display",
            "kind",
            "date",
            "subject",
            "park",
            "project",
            "agreement",
            "people",
            "organizations",
            "notes",
            "next_steps",
            *STAMPS,
        )
        extra_kwargs = {"park": {"required": False}}


class FollowUpTaskSerializer(PrimaryModelSerializer):
    class Meta:
        model = FollowUpTask
        fields = ("id", "url", "display", "contact", "description", "owner", "due_date", "done_on", *STAMPS)


class AgreementDocumentSerializer(PrimaryModelSerializer):
    class Meta:
        model = AgreementDocument
        fields = ("id", "url", "display", "agreement", "title", "file", *STAMPS)


class ExchangeRateSerializer(PrimaryModelSerializer):
    class Meta:
        model = ExchangeRate
        fields = ("id", "url", "display", "currency", "rate", "valid_from", "source", *STAMPS)
