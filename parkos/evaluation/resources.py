"""Evaluation import/export columns: enterprises by credit code, parks by code, schemes by name and version."""

from django.utils.translation import gettext as _
from import_export import fields, widgets

from parkos.core.resources import PrimaryResource, VisibleForeignKeyWidget, register
from parkos.core.spreadsheets import Column, Table, export_table, sheet_title, table_csv, table_xlsx
from parkos.directory.models import Organization
from parkos.directory.resources import OrganizationWidget
from parkos.evaluation.models import Appeal, EvaluationResult, EvaluationRun, EvaluationScheme, IndicatorFiling
from parkos.parks.models import LandParcel, Park


@register
class IndicatorFilingResource(PrimaryResource):
    organization = fields.Field("organization", "organization", VisibleForeignKeyWidget(Organization, "credit_code"))
    park = fields.Field("park", "park", VisibleForeignKeyWidget(Park, "code"))
    parcel = fields.Field("parcel", "parcel", VisibleForeignKeyWidget(LandParcel, "code"))

    class Meta(PrimaryResource.Meta):
        model = IndicatorFiling
        fields = (
            "organization",
            "year",
            "park",
            "parcel",
            *IndicatorFiling.VALUE_FIELDS,
            "above_size_threshold",
            "major_incident",
            "is_tenant",
            "land_rule",
            "production_start",
            "note",
        )
        import_id_fields = ("organization", "year")


@register
class EvaluationSchemeResource(PrimaryResource):
    definition = fields.Field("definition", "definition", widgets.JSONWidget())

    class Meta(PrimaryResource.Meta):
        model = EvaluationScheme
        fields = ("name", "version", "title", "description", "definition")
        import_id_fields = ("name", "version")


@register
class AppealResource(PrimaryResource):
    result = fields.Field("result", "result", VisibleForeignKeyWidget(EvaluationResult, "pk"))

    class Meta(PrimaryResource.Meta):
        model = Appeal
        fields = ("id", "result", "reason", "status", "decision")
        import_id_fields = ("id",)


@register
class EvaluationResultResource(PrimaryResource):
    """A run's results, read out (``parkos export evaluationresult``, the run page, the API): never imported.

    A run writes its results; a file cannot. The per-run export adds each indicator's value and score
    (``run_results_table``)."""

    organization = fields.Field("organization", "organization", OrganizationWidget())
    organization_name = fields.Field("organization__name", "organization_name", readonly=True)
    park = fields.Field("park", "park", VisibleForeignKeyWidget(Park, "code"))
    run = fields.Field("run", "run", VisibleForeignKeyWidget(EvaluationRun, "pk"))
    importable = False

    class Meta(PrimaryResource.Meta):
        model = EvaluationResult
        fields = (
            "run",
            "organization",
            "organization_name",
            "park",
            "cohort",
            "area",
            "status",
            "reason",
            "total",
            "rank",
            "cohort_size",
            "grade",
            "land_mu",
            "tax",
            "value_added",
            "industrial_output",
        )
        import_id_fields = ("run", "organization")

    def import_dataset(self, dataset, *, dry_run, on_row=None):
        raise ValueError("Evaluation results are written by runs and cannot be imported.")


def run_results_table(run: EvaluationRun, user) -> Table:
    """One run's results in the user's scope, with each indicator's value and score after the fixed columns."""
    from parkos.evaluation.labels import scheme_labels

    results = EvaluationResult.objects.restrict(user).filter(run=run)
    table = export_table(EvaluationResultResource(user=user), results)
    labels = scheme_labels(run.scheme)
    try:
        keys = [indicator.key for indicator in run.scheme.scheme().indicators]
    except Exception:  # a scheme that no longer reads: the indicators the results carry
        keys = []
    indicators = list(results.values_list("indicators", flat=True))
    for values in indicators:
        keys += [key for key in values or {} if key not in keys]
    for key in keys:
        label = labels.get(key, key)
        table.headers += [f"{label}: {_('value')}", f"{label}: {_('score')}"]
        table.columns += [Column(f"{key}_value", key, "number"), Column(f"{key}_score", key, "number")]
    for row, values in zip(table.rows, indicators, strict=True):
        for key in keys:
            entry = (values or {}).get(key) or {}
            row += [entry.get("value"), entry.get("score")]
    table.title = sheet_title(f"{_('Results')} {run.scheme.name} {run.year}")
    return table


def run_results_bytes(run: EvaluationRun, user, fmt: str) -> bytes:
    """The run's results as XLSX or CSV (the run page, the API and ``parkos evaluate --export``)."""
    table = run_results_table(run, user)
    return table_xlsx(table) if fmt == "xlsx" else table_csv(table)
