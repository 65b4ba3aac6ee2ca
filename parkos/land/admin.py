"""Inefficient land and disposal cases in the Django admin (operator admins only)."""

from django.contrib import admin

from parkos.core.admin import PrimaryAdmin
from parkos.land.models import DisposalCase, DisposalDocument, DisposalMilestone, ParcelFlag


@admin.register(ParcelFlag)
class ParcelFlagAdmin(PrimaryAdmin):
    list_display = ("parcel", "reason", "flagged_on", "cleared_on", "run")
    list_filter = ("reason",)
    search_fields = ("parcel__code", "detail")
    raw_id_fields = ("parcel", "run", "flagged_by")


class DisposalMilestoneInline(admin.TabularInline):
    model = DisposalMilestone
    extra = 0
    raw_id_fields = ("owner",)


@admin.register(DisposalCase)
class DisposalCaseAdmin(PrimaryAdmin):
    list_display = ("parcel", "path", "status", "opened_on", "closed_on", "outcome")
    list_filter = ("path", "status", "outcome")
    search_fields = ("parcel__code", "notes")
    raw_id_fields = ("parcel", "owner")
    inlines = (DisposalMilestoneInline,)


@admin.register(DisposalMilestone)
class DisposalMilestoneAdmin(PrimaryAdmin):
    list_display = ("title", "case", "due_date", "done_on", "owner")
    raw_id_fields = ("case", "owner")


@admin.register(DisposalDocument)
class DisposalDocumentAdmin(PrimaryAdmin):
    list_display = ("title", "case")
    raw_id_fields = ("case",)
