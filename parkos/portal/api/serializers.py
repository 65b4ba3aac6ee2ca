"""Portal API serializers. A proposal's review (status, reviewer, note) is read-only: approve/reject decide it."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from parkos.core.api.serializers import PrimaryModelSerializer
from parkos.portal.models import ProfileChangeRequest

STAMPS = ("created", "last_updated")


class ProfileChangeRequestSerializer(PrimaryModelSerializer):
    class Meta:
        model = ProfileChangeRequest
        fields = (
            "id",
            "url",
            "display",
            "organization",
            "changes",
            "note",
            "status",
            "proposed_by",
            "reviewed_by",
            "reviewed_at",
            "review_note",
            *STAMPS,
        )
        read_only_fields = ("status", "proposed_by", "reviewed_by", "reviewed_at", "review_note")

    def validate(self, attrs):
        if self.instance is not None and not self.instance.is_pending and ({"changes", "organization"} & set(attrs)):
            raise serializers.ValidationError(
                {"changes": [_("This proposal has been decided and can no longer be changed.")]}
            )
        return super().validate(attrs)


class ReviewSerializer(serializers.Serializer):
    review_note = serializers.CharField(required=False, allow_blank=True, default="")
