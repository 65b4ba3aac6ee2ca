"""API serializers for inefficient land and disposal cases, and the body of a case's close action."""

from rest_framework import serializers

from parkos.core.api.serializers import PrimaryModelSerializer
from parkos.land.models import DisposalCase, DisposalDocument, DisposalMilestone, ParcelFlag

STAMPS = ("created", "last_updated")


class ParcelFlagSerializer(PrimaryModelSerializer):
    class Meta:
        model = ParcelFlag
        fields = (
            "id",
            "url",
            "display",
            "parcel",
            "reason",
            "detail",
            "run",
            "flagged_on",
            "flagged_by",
            "cleared_on",
            *STAMPS,
        )
        # A run writes its own flags; by hand a flag names the parcel and the reason.
        read_only_fields = ("run", "flagged_by")


class DisposalCaseSerializer(PrimaryModelSerializer):
    # An open case has no outcome yet (""): the schema's enum says so, as the responses do.
    outcome = serializers.ChoiceField(choices=DisposalCase.Outcome.choices, read_only=True, allow_blank=True)

    class Meta:
        model = DisposalCase
        fields = (
            "id",
            "url",
            "display",
            "parcel",
            "path",
            "status",
            "owner",
            "opened_on",
            "closed_on",
            "outcome",
            "notes",
            *STAMPS,
        )
        # Closing frees the land: it goes through POST .../close/ (the model refuses "closed" set by hand).
        read_only_fields = ("closed_on", "outcome")

    def validate_parcel(self, value):
        if self.instance is not None and value != self.instance.parcel:
            raise serializers.ValidationError("A case stays on its parcel; open a new case for another.")
        return value


class CaseCloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DisposalCase.Outcome.choices, required=False)
    closed_on = serializers.DateField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class DisposalMilestoneSerializer(PrimaryModelSerializer):
    class Meta:
        model = DisposalMilestone
        fields = ("id", "url", "display", "case", "title", "due_date", "done_on", "owner", *STAMPS)


class DisposalDocumentSerializer(PrimaryModelSerializer):
    class Meta:
        model = DisposalDocument
        fields = ("id", "url", "display", "case", "title", "file", *STAMPS)
