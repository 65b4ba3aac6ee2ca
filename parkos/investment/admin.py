"""Investment models in the Django admin (operator admins only)."""

from django.contrib import admin

from parkos.core.admin import PrimaryAdmin
from parkos.investment.models import (
    Agreement,
    AgreementDocument,
    Commitment,
    Contact,
    Event,
    ExchangeRate,
    FollowUpTask,
    Party,
    Progress,
    Project,
    Signatory,
    StageChange,
)


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Project)
class ProjectAdmin(PrimaryAdmin):
    list_display = ("name", "codename", "is_confidential", "investor", "park", "stage", "stage_since")
    list_filter = ("stage", "is_confidential", "park")
    search_fields = ("name", "codename")
    raw_id_fields = ("investor", "industry", "parcel", "building", "owner")
    filter_horizontal = ("team",)
    inlines = (StageChangeInline,)


@admin.register(Event)
class EventAdmin(PrimaryAdmin):
    list_display = ("title", "kind", "date", "park")
    list_filter = ("kind",)
    search_fields = ("title",)
    raw_id_fields = ("attendees", "organizations")


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    raw_id_fields = ("organization",)


@admin.register(Agreement)
class AgreementAdmin(PrimaryAdmin):
    list_display = ("title", "kind", "status", "signed_on", "park")
    list_filter = ("kind", "status")
    search_fields = ("title", "reference")
    raw_id_fields = ("project", "event")
    inlines = (PartyInline,)


@admin.register(Party)
class PartyAdmin(PrimaryAdmin):
    list_display = ("organization", "role", "agreement")
    raw_id_fields = ("agreement", "organization")


@admin.register(Signatory)
class SignatoryAdmin(PrimaryAdmin):
    list_display = ("person", "title", "agreement")
    raw_id_fields = ("agreement", "party", "person")


@admin.register(Commitment)
class CommitmentAdmin(PrimaryAdmin):
    list_display = ("agreement", "kind", "target_value", "unit", "due_date", "latest_value", "met_on")
    list_filter = ("kind",)
    raw_id_fields = ("agreement", "party")


@admin.register(Progress)
class ProgressAdmin(PrimaryAdmin):
    list_display = ("commitment", "date", "value", "source")
    raw_id_fields = ("commitment",)


@admin.register(Contact)
class ContactAdmin(PrimaryAdmin):
    list_display = ("date", "kind", "subject", "park")
    search_fields = ("subject",)
    raw_id_fields = ("project", "agreement", "people", "organizations")


@admin.register(FollowUpTask)
class FollowUpTaskAdmin(PrimaryAdmin):
    list_display = ("description", "owner", "due_date", "done_on")
    raw_id_fields = ("contact", "owner")


@admin.register(AgreementDocument)
class AgreementDocumentAdmin(PrimaryAdmin):
    list_display = ("title", "agreement")
    raw_id_fields = ("agreement",)


@admin.register(ExchangeRate)
class ExchangeRateAdmin(PrimaryAdmin):
    list_display = ("currency", "rate", "valid_from", "source")
