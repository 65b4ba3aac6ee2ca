"""API serializers of the policy models."""

from rest_framework import serializers

from parkos.core.api.serializers import PrimaryModelSerializer
from parkos.policies.models import Application, ApplicationDocument, Certification, Disbursement, Policy

STAMPS = ("created", "last_updated")


class PolicySerializer(PrimaryModelSerializer):
    class Meta:
        model = Policy
        fields = (
            "id",
            "url",
            "display",
            "name",
            "document_number",
            "issuer",
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
            *STAMPS,
        )


class CertificationSerializer(PrimaryModelSerializer):
    class Meta:
        model = Certification
        fields = (
            "id",
            "url",
            "display",
            "organization",
            "kind",
            "title",
            "number",
            "issued_by",
            "valid_from",
            "valid_until",
            *STAMPS,
        )


class ApplicationSerializer(PrimaryModelSerializer):
    class Meta:
        model = Application
        fields = (
            "id",
            "url",
            "display",
            "policy",
            "applicant",
            "park",
            "status",
            "amount_requested",
            "amount_approved",
            "currency",
            "statement",
            "submitted_at",
            "reviewer",
            "decided_at",
            "decision_note",
            *STAMPS,
        )


class ApplicationDocumentSerializer(PrimaryModelSerializer):
    class Meta:
        model = ApplicationDocument
        fields = ("id", "url", "display", "application", "title", "file", *STAMPS)


class DisbursementSerializer(PrimaryModelSerializer):
    class Meta:
        model = Disbursement
        fields = ("id", "url", "display", "application", "paid_on", "amount", "reference", "note", *STAMPS)


class MissSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="The rule missed, as a sentence in the user's language.")
    field = serializers.CharField(help_text="The attribute the rule reads.")
    needed = serializers.CharField()
    actual = serializers.CharField(help_text='The enterprise\'s value; "no value" when it has none.')
    short_by = serializers.DecimalField(max_digits=30, decimal_places=4, allow_null=True, coerce_to_string=True)


class MatchSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization_id")
    qualifies = serializers.BooleanField()
    misses = MissSerializer(many=True)


class PolicyMatchesSerializer(serializers.Serializer):
    qualifying = MatchSerializer(many=True)
    near_misses = MatchSerializer(many=True)
    as_of = serializers.DateTimeField(
        allow_null=True, help_text="When the matches were computed (they are stored, refreshed nightly and on change)."
    )
