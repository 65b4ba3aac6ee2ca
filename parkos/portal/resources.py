"""Portal import/export columns: organizations by name; review fields are exported, never imported."""

from import_export import fields, widgets

from parkos.core.resources import PrimaryResource, register
from parkos.directory.resources import OrganizationWidget
from parkos.portal.models import ProfileChangeRequest


@register
class ProfileChangeRequestResource(PrimaryResource):
    organization = fields.Field("organization", "organization", OrganizationWidget())
    changes = fields.Field("changes", "changes", widgets.JSONWidget())
    status = fields.Field("status", "status", readonly=True)
    reviewed_at = fields.Field("reviewed_at", "reviewed_at", widgets.DateTimeWidget(), readonly=True)
    review_note = fields.Field("review_note", "review_note", readonly=True)

    class Meta(PrimaryResource.Meta):
        model = ProfileChangeRequest
        fields = ("id", "organization", "changes", "note", "status", "reviewed_at", "review_note")
        import_id_fields = ("id",)
