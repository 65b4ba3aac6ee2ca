"""Notifications in the API: a user's own rows, with the event they tell of."""

from rest_framework import serializers

from parkos.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="event.kind", read_only=True)
    kind_label = serializers.CharField(source="event.get_kind_display", read_only=True)
    title = serializers.CharField(source="event.title", read_only=True)
    detail = serializers.CharField(source="event.detail", read_only=True)
    url = serializers.CharField(source="event.url", read_only=True)
    object_type = serializers.CharField(source="event.content_type.model", read_only=True)
    object_id = serializers.IntegerField(source="event.object_id", read_only=True)
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ("id", "kind", "kind_label", "title", "detail", "url", "object_type", "object_id", "created",
                  "read_at", "is_read")  # fmt: skip
        read_only_fields = fields

    def get_is_read(self, obj: Notification) -> bool:
        return obj.read_at is not None


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
