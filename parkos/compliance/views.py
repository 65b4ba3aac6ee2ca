"""Default-handling pages: the ObjectViews of its models, the step pages of a case, a document's download,
and the panel compliance adds to an agreement's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from parkos.compliance import filtersets, forms, resources, services, tables
from parkos.compliance.models import DefaultCase, DefaultCaseDocument
from parkos.core.permissions import Action, can
from parkos.core.views.files import serve_file
from parkos.core.views.generic import ObjectViews, Related

Stage = DefaultCase.Stage

#: the steps a case at each stage may take next, as (step name, button label)
NEXT_STEPS: dict[str, tuple[tuple[str, str], ...]] = {
    Stage.OPEN: (("warn", gettext_lazy("Issue warning")), ("close", gettext_lazy("Close as cured"))),
    Stage.WARNING: (("rectify", gettext_lazy("Start rectification")), ("close", gettext_lazy("Close as cured"))),
    Stage.RECTIFICATION: (("settle", gettext_lazy("Settle")), ("close", gettext_lazy("Close as cured"))),
    Stage.SETTLEMENT: (("close", gettext_lazy("Close case")),),
    Stage.CLOSED: (),
}
STEP_TITLES = {
    "warn": gettext_lazy("Issue warning"),
    "rectify": gettext_lazy("Start rectification"),
    "settle": gettext_lazy("Settle"),
    "close": gettext_lazy("Close case"),
    "disposal": gettext_lazy("Open disposal case"),
}


class DefaultCaseViews(ObjectViews):
    model = DefaultCase
    path = "default-cases"
    table = tables.DefaultCaseTable
    filterset = filtersets.DefaultCaseFilterSet
    form = forms.DefaultCaseForm
    resource = resources.DefaultCaseResource
    list_related = ("agreement", "commitment__party__organization", "owner")
    related = (Related(DefaultCaseDocument, tables.DefaultCaseDocumentTable, "case", limit=50),)
    detail_template = "compliance/case_detail.html"
    #: the disposal case is shown in its own card, and only to those who may see it (a parcel is land's)
    detail_exclude = ("id", "created", "last_updated", "disposal_case")

    @classmethod
    def detail_extra(cls, obj, user) -> dict:
        may_change = DefaultCase.objects.restrict(user, Action.CHANGE).filter(pk=obj.pk).exists()
        disposal = None
        if obj.disposal_case_id is not None:
            from parkos.land.models import DisposalCase

            disposal = DisposalCase.objects.restrict(user).filter(pk=obj.disposal_case_id).first()
        steps = [
            (_("Opened"), obj.opened_on),
            (_("Warning issued"), obj.warned_on),
            (_("Rectification started"), obj.rectification_started_on),
            (_("Rectification deadline"), obj.rectification_deadline),
            (_("Settlement decided"), obj.settled_on),
            (_("Closed"), obj.closed_on),
        ]
        next_steps = list(NEXT_STEPS[obj.stage]) if may_change else []
        if may_open_disposal(obj, user):
            next_steps.append(("disposal", STEP_TITLES["disposal"]))
        return {
            "next_steps": next_steps,
            "steps": steps,
            "disposal": disposal,
            "unit": obj.commitment.unit_label,
        }


class DefaultCaseDocumentViews(ObjectViews):
    model = DefaultCaseDocument
    path = "default-case-documents"
    table = tables.DefaultCaseDocumentTable
    filterset = filtersets.DefaultCaseDocumentFilterSet
    form = forms.DefaultCaseDocumentForm
    resource = resources.DefaultCaseDocumentResource
    list_related = ("case",)
    detail_template = "compliance/document_detail.html"


def document_download(request, pk: int):
    """A case's file, only for users who may see the case: never from a public media URL."""
    return serve_file(DefaultCaseDocument.objects.restrict(request.user, Action.VIEW), pk, "file")


def may_open_disposal(case: DefaultCase, user) -> bool:
    """A land settlement without its disposal case yet, and a user who may open disposal cases."""
    from parkos.land.models import DisposalCase

    return (
        case.settlement_kind in DefaultCase.LAND_KINDS
        and case.disposal_case_id is None
        and can(user, DisposalCase, Action.ADD)
    )


class CaseStepView(View):
    """One step of a case (warn, rectify, settle, close): a form, then the step's service."""

    template_name = "compliance/case_step.html"

    def _case(self, request, pk, step):
        if step not in forms.STEP_FORMS:
            raise Http404
        # opening the disposal case is land's work: who may open one and sees the case; the rest is handling
        action = Action.VIEW if step == "disposal" else Action.CHANGE
        if not can(request.user, DefaultCase, action):
            raise PermissionDenied
        case = get_object_or_404(
            DefaultCase.objects.restrict(request.user, action).select_related("agreement", "commitment"), pk=pk
        )
        if step == "disposal" and not may_open_disposal(case, request.user):
            raise PermissionDenied
        return case

    def _render(self, request, case, step, form, status=200):
        context = {"object": case, "form": form, "step": step, "step_title": STEP_TITLES[step]}
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk, step):
        case = self._case(request, pk, step)
        initial = {"outcome": DefaultCase.Outcome.CURED} if step == "close" and case.stage != Stage.SETTLEMENT else {}
        return self._render(request, case, step, forms.STEP_FORMS[step](case=case, initial=initial))

    def post(self, request, pk, step):
        case = self._case(request, pk, step)
        form = forms.STEP_FORMS[step](request.POST, case=case)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                case = _run_step(step, case, request.user, data)
            except ValidationError as exc:
                for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("Case %(case)s is now at “%(stage)s”.") % {"case": case, "stage": case.get_stage_display()},
                )
                return redirect(case.get_absolute_url())
        return self._render(request, case, step, form, status=400)


def _run_step(step: str, case: DefaultCase, user, data: dict) -> DefaultCase:
    if step == "warn":
        return services.case_warn(case=case, user=user, **data)
    if step == "rectify":
        return services.case_start_rectification(case=case, user=user, **data)
    if step == "settle":
        return services.case_settle(case=case, user=user, **data)
    if step == "disposal":
        return services.case_open_disposal(case=case, user=user, **data)
    return services.case_close(case=case, user=user, **data)


def register_panels() -> None:
    """An agreement's and a commitment's pages list their default cases, a disposal case's page the default case
    that opened it (investment and land cannot import compliance: added from here)."""
    from parkos.core.views.generic import add_related
    from parkos.investment.models import Agreement, Commitment

    add_related(
        Agreement,
        Related(
            DefaultCase, tables.DefaultCaseTable, "agreement", gettext_lazy("Default cases"), exclude=("agreement",)
        ),
    )
    from parkos.land.models import DisposalCase

    add_related(
        DisposalCase,
        Related(DefaultCase, tables.DefaultCaseTable, "disposal_case", gettext_lazy("Opened by default case")),
    )
    add_related(
        Commitment,
        Related(
            DefaultCase,
            tables.DefaultCaseTable,
            "commitment",
            gettext_lazy("Default cases"),
            exclude=("agreement", "commitment", "party"),
        ),
    )
