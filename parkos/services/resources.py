"""Services import/export columns. Organizations and services by name, parks by code, users by user name.

Enterprise users may import their own new requests and messages, never workflow fields (status, times,
rating): those come from the workflow, or from staff migrating an older system's history.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone
from import_export import fields, widgets

from parkos.core.resources import PrimaryResource, UserWidget, VisibleForeignKeyWidget, register
from parkos.directory.models import Organization
from parkos.directory.resources import OrganizationWidget
from parkos.parks.models import Park
from parkos.services.models import RequestMessage, Scenario, Service, ServiceDesk, ServiceRequest, Status


@register
class ServiceResource(PrimaryResource):
    provider = fields.Field("provider", "provider", OrganizationWidget())

    class Meta(PrimaryResource.Meta):
        model = Service
        fields = (
            "id",
            "name",
            "aspect",
            "provider",
            "eligibility",
            "deliverables",
            "response_target_hours",
            "resolution_target_days",
            "is_active",
        )
        import_id_fields = ("id",)


@register
class ScenarioResource(PrimaryResource):
    provider = fields.Field("provider", "provider", OrganizationWidget())
    participants = fields.Field(
        "participants",
        "participants",
        widgets.ManyToManyWidget(Organization, field="name", separator=";"),
        readonly=True,  # exported for reading; enterprises join through the scenario's page
    )

    class Meta(PrimaryResource.Meta):
        model = Scenario
        fields = ("id", "name", "aspect", "provider", "description", "start_date", "end_date", "participants")
        import_id_fields = ("id",)


@register
class ServiceDeskResource(PrimaryResource):
    members = fields.Field(
        "members", "members", widgets.ManyToManyWidget(get_user_model(), field="username", separator=",")
    )

    class Meta(PrimaryResource.Meta):
        model = ServiceDesk
        fields = ("aspect", "members")
        import_id_fields = ("aspect",)


class ServiceByNameWidget(VisibleForeignKeyWidget):
    def __init__(self):
        super().__init__(Service, "name")


@register
class ServiceRequestResource(PrimaryResource):
    enterprise = fields.Field("enterprise", "enterprise", OrganizationWidget())
    park = fields.Field("park", "park", VisibleForeignKeyWidget(Park, "code"))
    service = fields.Field("service", "service", ServiceByNameWidget())
    assigned_to = fields.Field("assigned_to", "assigned_to", UserWidget())
    aspect = fields.Field("aspect", "aspect", readonly=True)

    #: fields only the workflow (or staff importing history) sets
    WORKFLOW_FIELDS = ("assigned_to", "responded_at", "resolved_at", "rating", "rating_comment")

    class Meta(PrimaryResource.Meta):
        model = ServiceRequest
        fields = (
            "id",
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
            "rating",
            "rating_comment",
        )
        import_id_fields = ("id",)

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if not instance.status:
            instance.status = Status.NEW
        if instance.requested_at is None:
            instance.requested_at = timezone.now()


class RequestWidget(VisibleForeignKeyWidget):
    def __init__(self):
        super().__init__(ServiceRequest, "pk")


@register
class RequestMessageResource(PrimaryResource):
    request = fields.Field("request", "request", RequestWidget())
    author = fields.Field("author", "author", UserWidget())

    class Meta(PrimaryResource.Meta):
        model = RequestMessage
        fields = ("id", "request", "author", "body")
        import_id_fields = ("id",)

    def before_import_row(self, row, **kwargs):
        # a message without an author is the importing user's
        if not row.get("author") and self.user is not None:
            row["author"] = self.user.username
        super().before_import_row(row, **kwargs)
