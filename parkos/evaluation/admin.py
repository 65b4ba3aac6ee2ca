"""Evaluation admin registrations."""

from django.contrib import admin

from parkos.core.admin import PrimaryAdmin
from parkos.evaluation.models import (
    Appeal,
    AreaResult,
    EvaluationResult,
    EvaluationRun,
    EvaluationScheme,
    IndicatorFiling,
)


@admin.register(IndicatorFiling)
class IndicatorFilingAdmin(PrimaryAdmin):
    list_display = ("organization", "year", "park", "tax", "land_area", "land_rule")
    list_filter = ("year",)
    search_fields = ("organization__name", "organization__credit_code")
    raw_id_fields = ("organization", "park", "parcel")


@admin.register(EvaluationScheme)
class EvaluationSchemeAdmin(PrimaryAdmin):
    list_display = ("name", "version", "title")
    search_fields = ("name", "title")


@admin.register(EvaluationRun)
class EvaluationRunAdmin(PrimaryAdmin):
    list_display = ("pk", "scheme", "year", "status", "progress", "evaluated", "finished")
    list_filter = ("status", "year")
    raw_id_fields = ("created_by",)


@admin.register(EvaluationResult)
class EvaluationResultAdmin(PrimaryAdmin):
    list_display = ("run", "organization", "cohort", "total", "rank", "grade")
    list_filter = ("grade",)
    raw_id_fields = ("run", "organization", "park", "filing")


@admin.register(AreaResult)
class AreaResultAdmin(PrimaryAdmin):
    list_display = ("run", "level", "label", "enterprises", "tax_per_mu")
    list_filter = ("level",)
    raw_id_fields = ("run", "park")


@admin.register(Appeal)
class AppealAdmin(PrimaryAdmin):
    list_display = ("organization", "result", "status", "created")
    list_filter = ("status",)
    raw_id_fields = ("result",)
