"""Import/export columns for inefficient land and disposal cases: parcels as PARK-CODE/PARCEL-NUMBER, users by name."""

from import_export import fields

from parkos.core.resources import PrimaryResource, VisibleForeignKeyWidget, register
from parkos.evaluation.disposal_models import DisposalCase, DisposalDocument, DisposalMilestone, ParcelFlag
from parkos.investment.resources import UserWidget
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

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        from parkos.evaluation.disposal import flag_applied

        flag_applied(flag=instance, user=self.user)


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

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        if instance.status == DisposalCase.Status.CLOSED and not instance.closed_on:
            raise ValidationError({"status": _("Close a case with its close action, which records the outcome.")})

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        if instance.status != DisposalCase.Status.CLOSED:
            from parkos.evaluation.disposal import case_opened

            case_opened(case=instance, user=self.user)


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
