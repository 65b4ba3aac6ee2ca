"""Services API serializers. Workflow fields are read-only: status moves go through the request's action endpoints."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from parkos.core.api.serializers import PrimaryModelSerializer
from parkos.services.models import Aspect, RequestMessage, Scenario, Service, ServiceDesk, ServiceRequest, Status

STAMPS = ("created", "last_updated")


class ServiceSerializer(PrimaryModelSerializer):
    class Meta:
        model = Service
        fields = (
            "id",
            "url",
            "display",
            "name",
            "aspect",
            "provider",
            "eligibility",
            "deliverables",
            "response_target_hours",
            "resolution_target_days",
            "is_active",
            *STAMPS,
        )


class ScenarioSerializer(PrimaryModelSerializer):
    class Meta:
        model = Scenario
        fields = (
            "id",
            "url",
            "display",
            "name",
            "aspect",
            "provider",
            "description",
            "start_date",
            "end_date",
            "participants",
            *STAMPS,
        )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        from parkos.services.services import is_enterprise_side

        if user is not None and is_enterprise_side(user=user):
            # an enterprise sees that it joined, not which other enterprises did
            own = self.context.get("_own_organizations")
            if own is None:  # once per response, not per row
                own = self.context["_own_organizations"] = set(
                    user.scope_organization_ids().values_list("pk", flat=True)
                )
            data["participants"] = [pk for pk in data.get("participants", []) if pk in own]
        return data


class ServiceDeskSerializer(PrimaryModelSerializer):
    class Meta:
        model = ServiceDesk
        fields = ("id", "url", "display", "aspect", "members", *STAMPS)


@extend_schema_serializer(component_name="EnterpriseServiceRequest")  # "ServiceRequest" is Service's request body
class ServiceRequestSerializer(PrimaryModelSerializer):
    is_response_overdue = serializers.SerializerMethodField()
    is_resolution_overdue = serializers.SerializerMethodField()

    class Meta:
        model = ServiceRequest
        fields = (
            "id",
            "url",
            "display",
            "enterprise",
            "park",
            "service",
            "aspect",
            "title",
            "description",
            "status",
            "assigned_to",
            "requested_at",
            "responded_at",
            "resolved_at",
            "response_due",
            "resolution_due",
            "is_response_overdue",
            "is_resolution_overdue",
            "rating",
            "rating_comment",
            *STAMPS,
        )
        read_only_fields = (
            "aspect",
            "status",
            "responded_at",
            "resolved_at",
            "response_due",
            "resolution_due",
            "rating",
            "rating_comment",
        )

    def get_is_response_overdue(self, obj) -> bool:
        return obj.is_response_overdue()

    def get_is_resolution_overdue(self, obj) -> bool:
        return obj.is_resolution_overdue()

    def get_fields(self):
        from parkos.services.selectors import enterprise_parks
        from parkos.services.services import is_enterprise_side

        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and is_enterprise_side(user=user):
            fields["assigned_to"].read_only = True
            fields["requested_at"].read_only = True
            if self.instance is not None and not isinstance(self.instance, list | tuple):
                for name in ("enterprise", "park", "service"):
                    fields[name].read_only = True  # once filed, an enterprise changes only title and description
            else:
                fields["park"].queryset = enterprise_parks(user.scope_organization_ids())
        return fields

    def validate(self, attrs):
        if self.instance is None:
            attrs.setdefault("status", Status.NEW)
        service = attrs.get("service")
        if self.instance is None and service is not None and not service.is_active:
            raise serializers.ValidationError({"service": "This service is not open for requests."})
        return super().validate(attrs)


class RequestMessageSerializer(PrimaryModelSerializer):
    attachment = serializers.FileField(required=False, allow_null=True, read_only=False)
    download_url = serializers.SerializerMethodField()
    attachment_name = serializers.CharField(read_only=True, allow_null=True, help_text="The attachment's file name.")

    class Meta:
        model = RequestMessage
        fields = (
            "id",
            "url",
            "display",
            "request",
            "author",
            "body",
            "attachment",
            "attachment_name",
            "download_url",
            *STAMPS,
        )
        read_only_fields = ("author",)

    def get_download_url(self, obj) -> str | None:
        from django.urls import reverse

        if not obj.attachment:
            return None
        path = reverse("services:requestmessage_download", kwargs={"pk": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # The schema says a URI: the permission-checked download, never the storage path or a media URL.
        data["attachment"] = data["download_url"]
        data["attachment_name"] = instance.attachment_name or None
        return data

    def validate(self, attrs):
        request = self.context.get("request")
        if self.instance is None and request is not None:
            attrs["author"] = request.user
        return super().validate(attrs)


# --- workflow bodies and the figures ---------------------------------------------------------------


class TransitionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="Required to decline.")


class RateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class MessageBodySerializer(serializers.Serializer):
    body = serializers.CharField()
    attachment = serializers.FileField(required=False, allow_null=True)


class MembershipSerializer(serializers.Serializer):
    organization = serializers.IntegerField(help_text="ID of the enterprise that joins or leaves.")


class AspectFiguresSerializer(serializers.Serializer):
    aspect = serializers.ChoiceField(choices=Aspect.choices)
    label = serializers.CharField()
    requests = serializers.IntegerField()
    open = serializers.IntegerField()
    done = serializers.IntegerField()
    response_mean_hours = serializers.FloatField(allow_null=True)
    response_median_hours = serializers.FloatField(allow_null=True)
    response_within_target = serializers.FloatField(allow_null=True, help_text="Share 0..1.")
    resolution_mean_days = serializers.FloatField(allow_null=True)
    resolution_median_days = serializers.FloatField(allow_null=True)
    resolution_within_target = serializers.FloatField(allow_null=True, help_text="Share 0..1.")
    rated = serializers.IntegerField()
    mean_rating = serializers.FloatField(allow_null=True)
    enterprises = serializers.IntegerField()


class StatusFiguresSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    label = serializers.CharField()
    requests = serializers.IntegerField()


class ParkFiguresSerializer(serializers.Serializer):
    park = serializers.IntegerField()
    name = serializers.CharField()
    requests = serializers.IntegerField()
    open = serializers.IntegerField()
    done = serializers.IntegerField()
    mean_rating = serializers.FloatField(allow_null=True)
    enterprises = serializers.IntegerField()


class ResponseFiguresSerializer(serializers.Serializer):
    measured = serializers.IntegerField()
    mean_hours = serializers.FloatField(allow_null=True)
    median_hours = serializers.FloatField(allow_null=True)
    target_hours = serializers.FloatField(allow_null=True, help_text="Mean response target of the requests.")
    within_target = serializers.IntegerField()
    within_target_share = serializers.FloatField(allow_null=True)


class ResolutionFiguresSerializer(serializers.Serializer):
    measured = serializers.IntegerField()
    mean_days = serializers.FloatField(allow_null=True)
    median_days = serializers.FloatField(allow_null=True)
    target_days = serializers.FloatField(allow_null=True)
    within_target = serializers.IntegerField()
    within_target_share = serializers.FloatField(allow_null=True)


class RatingCountSerializer(serializers.Serializer):
    rating = serializers.IntegerField()
    requests = serializers.IntegerField()


class SatisfactionSerializer(serializers.Serializer):
    rated = serializers.IntegerField()
    mean_rating = serializers.FloatField(allow_null=True)
    distribution = RatingCountSerializer(many=True)


class ServiceFiguresSerializer(serializers.Serializer):
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    requests = serializers.IntegerField()
    open = serializers.IntegerField()
    done = serializers.IntegerField()
    declined = serializers.IntegerField()
    overdue_response = serializers.IntegerField(help_text="Open requests past their response deadline now.")
    overdue_resolution = serializers.IntegerField(help_text="Open requests past their resolution deadline now.")
    by_status = StatusFiguresSerializer(many=True)
    by_aspect = AspectFiguresSerializer(many=True)
    by_park = ParkFiguresSerializer(many=True)
    response = ResponseFiguresSerializer()
    resolution = ResolutionFiguresSerializer()
    satisfaction = SatisfactionSerializer()
    enterprises = serializers.IntegerField(help_text="Enterprises that filed requests.")
    enterprises_served = serializers.IntegerField(help_text="Enterprises with a request done.")
