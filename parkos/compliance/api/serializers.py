"""API serializers of default handling, and the bodies of a case's step actions."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from parkos.compliance.models import DefaultCase, DefaultCaseDocument
from parkos.compliance.resources import STEP_FIELDS
from parkos.core.api.serializers import PrimaryModelSerializer
from parkos.core.units import CURRENCY_CHOICES, DEFAULT_CURRENCY
from parkos.parks.models import LandParcel

STAMPS = ("created", "last_updated")


class DefaultCaseSerializer(PrimaryModelSerializer):
    # empty until the settlement or the closure: the schema's enums say so, as the responses do
    settlement_kind = serializers.ChoiceField(
        choices=DefaultCase.SettlementKind.choices, read_only=True, allow_blank=True
    )
    outcome = serializers.ChoiceField(choices=DefaultCase.Outcome.choices, read_only=True, allow_blank=True)

    class Meta:
        model = DefaultCase
        fields = (
            "id",
            "url",
            "display",
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
            *STAMPS,
        )
        # the stage and its dates move only by the step actions (POST .../warn/, .../rectify/, ...)
        read_only_fields = ("agreement", *STEP_FIELDS)

    def validate_commitment(self, value):
        if self.instance is not None and value != self.instance.commitment:
            raise serializers.ValidationError(_("A case stays on its commitment; open a new case for another."))
        return value


class _StepSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class WarnSerializer(_StepSerializer):
    pass


class RectifySerializer(_StepSerializer):
    deadline = serializers.DateField()


class SettleSerializer(_StepSerializer):
    kind = serializers.ChoiceField(choices=DefaultCase.SettlementKind.choices)
    amount = serializers.DecimalField(max_digits=20, decimal_places=2, required=False, allow_null=True, default=None)
    currency = serializers.ChoiceField(choices=CURRENCY_CHOICES, default=DEFAULT_CURRENCY)
    parcel = serializers.PrimaryKeyRelatedField(
        queryset=LandParcel.objects.all(), required=False, allow_null=True, default=None
    )


class CloseSerializer(_StepSerializer):
    outcome = serializers.ChoiceField(choices=DefaultCase.Outcome.choices, default=DefaultCase.Outcome.SETTLED)


class DisposalSerializer(serializers.Serializer):
    parcel = serializers.PrimaryKeyRelatedField(queryset=LandParcel.objects.all())


class DefaultCaseDocumentSerializer(PrimaryModelSerializer):
    class Meta:
        model = DefaultCaseDocument
        fields = ("id", "url", "display", "case", "title", "file", *STAMPS)
