from django.contrib import admin

from parkos.core.admin import PrimaryAdmin
from parkos.policies.models import Application, ApplicationDocument, Certification, Disbursement, Policy


@admin.register(Policy)
class PolicyAdmin(PrimaryAdmin):
    list_display = ("name", "issuer", "aspect", "status", "opens_on", "closes_on")
    list_filter = ("aspect", "status")
    search_fields = ("name", "document_number", "issuer__name")
    raw_id_fields = ("issuer",)


@admin.register(Certification)
class CertificationAdmin(PrimaryAdmin):
    list_display = ("organization", "kind", "valid_from", "valid_until")
    list_filter = ("kind",)
    search_fields = ("organization__name", "number", "title")
    raw_id_fields = ("organization",)


@admin.register(Application)
class ApplicationAdmin(PrimaryAdmin):
    list_display = ("policy", "applicant", "status", "amount_requested", "amount_approved", "submitted_at")
    list_filter = ("status",)
    search_fields = ("applicant__name", "policy__name")
    raw_id_fields = ("policy", "applicant", "park", "reviewer")


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(PrimaryAdmin):
    list_display = ("title", "application")
    search_fields = ("title", "application__applicant__name")
    raw_id_fields = ("application",)


@admin.register(Disbursement)
class DisbursementAdmin(PrimaryAdmin):
    list_display = ("application", "paid_on", "amount", "reference")
    search_fields = ("reference", "application__applicant__name")
    raw_id_fields = ("application",)
