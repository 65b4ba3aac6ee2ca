"""Import/export columns for inefficient land and disposal cases: parcels as PARK-CODE/PARCEL-NUMBER, users by name.

What an imported flag or case does to its parcel is the write path's business (``land.services``).
"""

from import_export import fields

from parkos.core.resources import PrimaryResource, UserWidget, VisibleForeignKeyWidget, register
from parkos.land.models import DisposalCase, DisposalDocument, DisposalMilestone, ParcelFlag
from parkos.parks.models import LandParcel
from parkos.parks.resources import ParcelWidget


def _parcel_field():
    return fields.Field("parcel", "parcel", ParcelWidget(LandParcel, "code"))


@register
class ParcelFlagResource(PrimaryResource):
    parcel = _parcel_field()
    flagged_by = fields.Field("flagged_by", "flagged_by", UserWidget())

    class Meta(PrimaryResource.Meta):
        model = ParcelFlag
        fields = ("id", "parcel", "reason", "detail", "run", "flagged_on", "flagged_by", "cleared_on")
        import_id_fields = ("id",)
        # A run's flags are written by the run; a file flags by hand.
        readonly_fields = ("run",)

    def get_queryset(self):
        return super().get_queryset().select_related("parcel__park", "flagged_by")


@register
class DisposalCaseResource(PrimaryResource):
    parcel = _parcel_field()
    owner = fields.Field("owner", "owner", UserWidget())

    class Meta(PrimaryResource.Meta):
        model = DisposalCase
        fields = ("id", "parcel", "path", "status", "owner", "opened_on", "closed_on", "outcome", "notes")
        import_id_fields = ("id",)
        # Closing frees the land: it goes through the close action, not a file.
        readonly_fields = ("closed_on", "outcome")

    def get_queryset(self):
        return super().get_queryset().select_related("parcel__park", "owner")


@register
class DisposalMilestoneResource(PrimaryResource):
    case = fields.Field("case", "case", VisibleForeignKeyWidget(DisposalCase, "pk"))
    owner = fields.Field("owner", "owner", UserWidget())

    class Meta(PrimaryResource.Meta):
        model = DisposalMilestone
        fields = ("id", "case", "title", "due_date", "done_on", "owner")
        import_id_fields = ("id",)


@register
class DisposalDocumentResource(PrimaryResource):
    case = fields.Field("case", "case", VisibleForeignKeyWidget(DisposalCase, "pk"))

    class Meta(PrimaryResource.Meta):
        model = DisposalDocument
        fields = ("id", "case", "title", "file")
        import_id_fields = ("id",)
