"""Default cases in the Django admin (operator admins only)."""

from django.contrib import admin

from parkos.compliance.models import DefaultCase, DefaultCaseDocument
from parkos.core.admin import PrimaryAdmin


@admin.register(DefaultCase)
class DefaultCaseAdmin(PrimaryAdmin):
    list_display = ("reference", "agreement", "year", "stage", "opened_on", "rectification_deadline", "closed_on")
    list_filter = ("stage", "settlement_kind", "outcome")
    search_fields = ("reference", "agreement__title", "notes")
    raw_id_fields = ("agreement", "commitment", "owner", "disposal_case")


@admin.register(DefaultCaseDocument)
class DefaultCaseDocumentAdmin(PrimaryAdmin):
    list_display = ("title", "case")
    raw_id_fields = ("case",)
