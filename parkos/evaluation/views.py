"""Evaluation pages: filings and schemes (standard pages), filings import, runs, results and explanations."""

from __future__ import annotations

import math
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import RequestConfig

from parkos.core.changelog import change_context
from parkos.core.downloads import attachment, xlsx_bytes
from parkos.core.navigation import sees_operator_pages
from parkos.core.permissions import Action, can
from parkos.core.resources import load_dataset
from parkos.core.views.generic import ObjectViews
from parkos.evaluation import filtersets, forms, resources, tables
from parkos.evaluation.benchmarks import describe_sources
from parkos.evaluation.engine import SHARE_EPSILON
from parkos.evaluation.labels import (
    BENCHMARK_KINDS,
    MISSING_POLICIES,
    code_label,
    scheme_labels,
    scheme_title,
    vocabulary_label,
)
from parkos.evaluation.layouts import LAYOUTS
from parkos.evaluation.models import (
    Appeal,
    AreaResult,
    EvaluationResult,
    EvaluationRun,
    EvaluationScheme,
    IndicatorFiling,
    RunBenchmark,
)
from parkos.evaluation.scheme import Scheme, SchemeError
from parkos.evaluation.selectors import visible_runs


class IndicatorFilingViews(ObjectViews):
    model = IndicatorFiling
    path = "filings"
    table = tables.IndicatorFilingTable
    filterset = filtersets.IndicatorFilingFilterSet
    form = forms.IndicatorFilingForm
    resource = resources.IndicatorFilingResource
    list_related = ("organization", "park")


class AppealViews(ObjectViews):
    model = Appeal
    path = "appeals"
    table = tables.AppealTable
    filterset = filtersets.AppealFilterSet
    form = forms.AppealForm
    resource = resources.AppealResource
    list_related = ("organization", "park", "result__organization", "result__run")
    detail_template = "evaluation/appeal_detail.html"

    @classmethod
    def detail_extra(cls, obj, user) -> dict:
        from parkos.evaluation.services import may_decide_appeals

        may_decide = obj.status == Appeal.Status.OPEN and may_decide_appeals(user)
        return {"decision_form": forms.AppealDecisionForm() if may_decide else None}


class AppealDecideView(View):
    """An officer accepts or rejects an appeal (and may re-run the evaluation)."""

    def post(self, request, pk):
        from django.core.exceptions import ValidationError

        from parkos.evaluation.services import appeal_decide, may_decide_appeals

        if not may_decide_appeals(request.user):
            raise PermissionDenied
        appeal = get_object_or_404(Appeal.objects.restrict(request.user, Action.VIEW), pk=pk)
        form = forms.AppealDecisionForm(request.POST)
        if form.is_valid():
            try:
                appeal_decide(
                    appeal=appeal,
                    user=request.user,
                    accept=form.cleaned_data["accept"],
                    decision=form.cleaned_data["decision"],
                    rerun=form.cleaned_data["rerun"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The appeal is decided."))
                if appeal.rerun_id:
                    return redirect(appeal.rerun.get_absolute_url())
        else:
            messages.error(request, _("Choose accept or reject and give the reasons."))
        return redirect(appeal.get_absolute_url())


class EvaluationSchemeViews(ObjectViews):
    model = EvaluationScheme
    path = "schemes"
    table = tables.EvaluationSchemeTable
    filterset = filtersets.EvaluationSchemeFilterSet
    form = forms.EvaluationSchemeForm
    resource = resources.EvaluationSchemeResource
    #: title and description are shown by the template, in the user's language (the scheme's name_zh and description_zh)
    detail_exclude = ("id", "created", "last_updated", "definition", "title", "description")
    detail_template = "evaluation/scheme_detail.html"

    @classmethod
    def detail_extra(cls, obj, user) -> dict:
        try:
            scheme = obj.scheme()
        except SchemeError:
            scheme = None
        description = obj.description
        if scheme is not None and description == scheme.description:
            description = scheme.display_description
        return {
            "scheme": scheme,
            "scheme_title": scheme_title(obj, version=False),
            "scheme_description": description,
            "indicator_rows": [
                {
                    "indicator": i,
                    "kind": vocabulary_label(BENCHMARK_KINDS, i.benchmark.kind),
                    "missing": vocabulary_label(MISSING_POLICIES, i.missing),
                }
                for i in (scheme.indicators if scheme is not None else [])
            ],
            "runs": obj.runs.order_by("-created")[:10],
        }


# --- schemes as files ----------------------------------------------------------------------------------------------


class SchemeExportView(View):
    """The scheme's definition as a JSON file, to share with another district or re-import."""

    def get(self, request, pk):
        scheme = get_object_or_404(EvaluationScheme.objects.restrict(request.user), pk=pk)
        text = scheme.scheme().to_json() + "\n"
        response = HttpResponse(text, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{scheme.name}-v{scheme.version}.json"'
        return response


def scheme_import(*, text: str, user) -> EvaluationScheme:
    """Create (or update) the scheme version a JSON file describes; SchemeError names the part at fault."""
    definition = Scheme.from_json(text)
    with change_context(user=user, source="web"):
        scheme, _created = EvaluationScheme.objects.get_or_create(
            name=definition.key,
            version=definition.version,
            defaults={"definition": definition.to_dict()},
        )
        if scheme.definition != definition.to_dict():
            scheme.definition = definition.to_dict()
        scheme.full_clean()
        scheme.save()
    return scheme


class SchemeImportFileView(View):
    template_name = "evaluation/scheme_import.html"

    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, EvaluationScheme, Action.ADD):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": forms.SchemeFileForm()})

    def post(self, request):
        form = forms.SchemeFileForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                text = form.cleaned_data["file"].read().decode("utf-8-sig")
                scheme = scheme_import(text=text, user=request.user)
            except (SchemeError, UnicodeDecodeError) as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(request, _("Scheme %(scheme)s loaded.") % {"scheme": scheme})
                return redirect(scheme.get_absolute_url())
        return render(request, self.template_name, {"form": form}, status=400)


# --- filings import --------------------------------------------------------------------------------------------------


class FilingsImportView(View):
    """Upload one source's file in its layout, see the merge preview with every row's errors, then confirm."""

    template_name = "evaluation/filings_import.html"
    storage_dir = "imports"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not (can(user, IndicatorFiling, Action.ADD) or can(user, IndicatorFiling, Action.CHANGE)):
            raise PermissionDenied
        if not sees_operator_pages(user):  # the tax bureau's and statistics bureau's layouts: the operator's import
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def context(self, **extra):
        return {"layouts": LAYOUTS.values(), "list_url": reverse("evaluation:indicatorfiling_list"), **extra}

    def get(self, request):
        return render(request, self.template_name, self.context(form=forms.FilingsImportForm()))

    def post(self, request):
        from parkos.evaluation.services import filings_import

        token = request.POST.get("token")
        if token:
            return self._confirm(request, token, request.POST.get("layout", ""))
        form = forms.FilingsImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self.context(form=form), status=400)
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            dataset = load_dataset(content, upload.name)
        except ValueError as exc:
            form.add_error("file", str(exc))
            return render(request, self.template_name, self.context(form=form), status=400)
        layout = form.cleaned_data["layout"]
        report = filings_import(layout=layout, dataset=dataset, user=request.user, dry_run=True)
        token = None
        if report.ok:
            token = f"{uuid.uuid4().hex}-{upload.name.lower().rsplit('.', 1)[-1]}"
            default_storage.save(f"{self.storage_dir}/{request.user.pk}-{token}", ContentFile(content))
        context = self.context(
            form=forms.FilingsImportForm(initial={"layout": layout}),
            report=report,
            token=token,
            layout=layout,
            file_name=upload.name,
        )
        return render(request, self.template_name, context, status=200 if report.ok else 400)

    def _confirm(self, request, token: str, layout: str):
        from parkos.evaluation.services import filings_import

        if not token.replace("-", "").isalnum() or layout not in LAYOUTS:
            raise Http404
        stored = f"{self.storage_dir}/{request.user.pk}-{token}"
        if not default_storage.exists(stored):
            messages.error(request, _("That upload has expired; please upload the file again."))
            return redirect("evaluation:filings_import")
        with default_storage.open(stored) as handle:
            content = handle.read()
        default_storage.delete(stored)
        dataset = load_dataset(content, f"upload.{token.rsplit('-', 1)[-1]}")
        report = filings_import(layout=layout, dataset=dataset, user=request.user)
        if not report.ok:
            context = self.context(form=forms.FilingsImportForm(), report=report)
            return render(request, self.template_name, context, status=400)
        messages.success(
            request,
            _("Imported %(total)d rows: %(new)d new, %(updated)d updated, %(unchanged)d unchanged.")
            % {"total": report.total, "new": report.new, "updated": report.updated, "unchanged": report.unchanged},
        )
        return redirect("evaluation:indicatorfiling_list")


# --- runs -----------------------------------------------------------------------------------------------------------


class _RunAccess(View):
    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, EvaluationRun, Action.VIEW):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_run(self, pk) -> EvaluationRun:
        return get_object_or_404(visible_runs(self.request.user).select_related("scheme"), pk=pk)


class RunListView(_RunAccess):
    def get(self, request):
        runs = visible_runs(request.user).select_related("scheme", "created_by")
        table = tables.EvaluationRunTable(runs, request=request)
        RequestConfig(request, paginate={"per_page": 25}).configure(table)
        return render(
            request,
            "evaluation/run_list.html",
            {"table": table, "can_run": can(request.user, EvaluationRun, Action.ADD)},
        )


class RunCreateView(View):
    """The "Run evaluation" form: queues a run for the background worker and opens its page."""

    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, EvaluationRun, Action.ADD):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        initial = {"scheme": request.GET.get("scheme"), "year": request.GET.get("year")}
        form = forms.RunEvaluationForm(initial=initial, user=request.user)
        return render(request, "evaluation/run_form.html", {"form": form})

    def post(self, request):
        from parkos.evaluation.services import evaluation_run_create
        from parkos.evaluation.tasks import evaluation_run_task

        form = forms.RunEvaluationForm(request.POST, user=request.user)
        if not form.is_valid():
            return render(request, "evaluation/run_form.html", {"form": form}, status=400)
        try:
            run = evaluation_run_create(
                scheme=form.cleaned_data["scheme"], year=form.cleaned_data["year"], user=request.user
            )
        except SchemeError as exc:
            form.add_error("scheme", str(exc))
            return render(request, "evaluation/run_form.html", {"form": form}, status=400)
        transaction.on_commit(lambda: evaluation_run_task.enqueue(run.pk))
        return redirect(run.get_absolute_url())


#: templates of further actions on a run's page, added by the apps built on evaluation at start (land adds
#: "Flag inefficient land" in its AppConfig.ready); evaluation itself imports none of those apps
run_action_templates: list[str] = []


class RunDetailView(_RunAccess):
    def get(self, request, pk):
        run = self.get_run(pk)
        areas = AreaResult.objects.restrict(request.user).filter(run=run)
        area_tables = []
        for level, label in AreaResult.Level.choices:
            rows = areas.filter(level=level)
            if rows.exists():
                table = tables.AreaResultTable(rows, request=request, orderable=False, exclude=("level",))
                area_tables.append((label, table))
        results_url = f"{reverse('evaluation:evaluationresult_list')}?run={run.pk}"
        benchmark_rows = run.benchmarks.select_related("source_run", "run__scheme")
        not_evaluated = (
            EvaluationResult.objects.restrict(request.user)
            .filter(run=run, status=EvaluationResult.Status.NOT_EVALUATED)
            .select_related("organization")
            .order_by("reason", "organization__name")
        )
        context = {
            "run": run,
            "scheme_title": scheme_title(run.scheme, version=False),
            "area_tables": area_tables,
            "results_url": results_url,
            "grade_counts": list(run.grade_counts.items()),
            "run_action_templates": run_action_templates,
            "benchmark_table": tables.RunBenchmarkTable(benchmark_rows, request=request, orderable=False)
            if benchmark_rows.exists()
            else None,
            "benchmark_sources": describe_sources(run.benchmark_sources or {}),
            "not_evaluated": _with_reason_labels(run, list(not_evaluated[:NOT_EVALUATED_SHOWN])),
            "not_evaluated_count": not_evaluated.count(),
        }
        return render(request, "evaluation/run_detail.html", context)


def _with_reason_labels(run: EvaluationRun, results: list[EvaluationResult]) -> list[EvaluationResult]:
    """Each result with ``reason_label`` and ``cohort_label``: the category's and cohort's labels in the run's
    scheme, in the user's language."""
    labels = scheme_labels(run.scheme)
    for result in results:
        result.reason_label = labels.get(result.reason, result.reason)
        result.cohort_label = labels.get(result.cohort, result.cohort)
    return results


#: enterprises not evaluated listed on a run's page; the rest are in the results list, filtered by status
NOT_EVALUATED_SHOWN = 50


class RunBenchmarkExportView(_RunAccess):
    """The run's benchmarks as a spreadsheet: per cohort (and area), indicator and role, and whence each came."""

    def get(self, request, pk):
        run = self.get_run(pk)
        fields = RunBenchmark.READ_OUT_FIELDS
        header = [str(RunBenchmark._meta.get_field(name).verbose_name) for name in fields]
        rows = run.benchmarks.values_list(*fields)
        data = xlsx_bytes([(_("Benchmarks"), [header, *rows])])
        return attachment(data, f"run-{run.pk}-benchmarks.xlsx")


class RunResultsExportView(_RunAccess):
    """The run's results in the user's scope as XLSX or CSV: fixed columns, then each indicator's value and score."""

    def get(self, request, pk, fmt):
        from parkos.core.resources import EXPORT_FORMATS
        from parkos.evaluation.resources import run_results_bytes

        run = self.get_run(pk)
        if fmt not in EXPORT_FORMATS:
            raise Http404
        content_type, extension = EXPORT_FORMATS[fmt]
        return attachment(run_results_bytes(run, request.user, fmt), f"run-{run.pk}-results.{extension}", content_type)


class RunProgressView(_RunAccess):
    """The progress panel htmx polls every 2 s until the run is done."""

    def get(self, request, pk):
        return render(request, "evaluation/run_progress.html", {"run": self.get_run(pk)})


# --- results and explanations -------------------------------------------------------------------------------------


class ResultListView(View):
    def get(self, request):
        if not can(request.user, EvaluationResult, Action.VIEW):
            raise PermissionDenied
        queryset = EvaluationResult.objects.restrict(request.user).select_related("organization", "park", "run__scheme")
        filterset = filtersets.EvaluationResultFilterSet(request.GET or None, queryset=queryset, request=request)
        rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
        if filterset.is_bound and not filterset.is_valid():
            rows = queryset.none()
        # configured once, here: a table given the request configures (and counts) itself as well
        table = tables.EvaluationResultTable(rows)
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        return render(request, "evaluation/result_list.html", {"table": table, "filterset": filterset})


def grade_boundaries(scheme: Scheme, cohort_size: int | None) -> list[dict]:
    """Per grade: the last rank that gets it in a cohort of this size (share method) or the minimum score."""
    rows = []
    for band in scheme.grading.bands:
        if scheme.grading.method == "share":
            last = (
                math.floor(band.top_share * cohort_size + SHARE_EPSILON)
                if band.top_share is not None and cohort_size
                else None
            )
            # without a cohort size (not ranked) the band is told by its share: "top 25 %"; the last band is the rest
            share = None if band.top_share is None or band.top_share >= 1 else round(band.top_share * 100, 2)
            rows.append({"grade": band.grade, "share": band.top_share, "share_percent": share, "last_rank": last})
        else:
            rows.append({"grade": band.grade, "min_score": band.min_score})
    return rows


def explain(result: EvaluationResult) -> dict:
    """Indicator by indicator: value, benchmark, score, weight, whether the cap or the missing policy applied."""
    scheme = result.run.scheme.scheme()
    details = result.details if isinstance(result.details, dict) else {}
    items = []
    for indicator in scheme.indicators:
        figures = result.indicators.get(indicator.key, {})
        value, score = figures.get("value"), figures.get("score")
        benchmark = figures.get("benchmark")
        capped = False
        if indicator.rule == "ratio" and indicator.cap is not None and value is not None and benchmark:
            ratio = value / benchmark if indicator.direction == "higher" else (benchmark / value if value else math.inf)
            capped = ratio >= indicator.cap
        items.append(
            {
                "indicator": indicator,
                "value": value,
                "benchmark": benchmark,
                "floor": figures.get("floor"),
                "ceiling": figures.get("ceiling"),
                "score": score,
                "max_score": None if indicator.cap is None else indicator.cap * indicator.weight,
                "capped": capped,
                "missing_policy": indicator.missing if value is None else "",
            }
        )
    return {
        "scheme": scheme,
        "items": items,
        "adjustments": [(a, result.adjustments.get(a.key)) for a in scheme.adjustments],
        "boundaries": grade_boundaries(scheme, result.cohort_size),
        "cohort": next((c for c in scheme.cohorts if c.key == result.cohort), None),
        "scheme_title": scheme_title(result.run.scheme),
        "cohort_label": code_label(result.run.scheme, result.cohort),
        "reason_label": code_label(result.run.scheme, result.reason),
        "graded_with_label": code_label(result.run.scheme, (details.get("graded_with") or {}).get("cohort")),
    }


def previous_year_result(result: EvaluationResult) -> EvaluationResult | None:
    """The same enterprise in the latest done run of the year before under a scheme of the same name."""
    return (
        EvaluationResult.objects.filter(
            organization_id=result.organization_id,
            run__year=result.run.year - 1,
            run__status=EvaluationRun.Status.DONE,
            run__scheme__name=result.run.scheme.name,
        )
        .select_related("run", "run__scheme")
        .order_by("-run__finished", "-run__pk")
        .first()
    )


class ResultDetailView(View):
    """Why this grade: the explanation of one enterprise's result, with the year before beside it."""

    def get(self, request, pk):
        if not can(request.user, EvaluationResult, Action.VIEW):
            raise PermissionDenied
        result = get_object_or_404(
            EvaluationResult.objects.restrict(request.user).select_related(
                "run", "run__scheme", "organization", "park", "filing"
            ),
            pk=pk,
        )
        previous = previous_year_result(result)
        explanation = explain(result)
        if previous is not None:
            for item in explanation["items"]:
                item["previous"] = previous.indicators.get(item["indicator"].key, {})
        context = {"result": result, "previous": previous, **explanation}
        return render(request, "evaluation/result_detail.html", context)
