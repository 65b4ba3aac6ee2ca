"""The application workflow's pages: policies for an enterprise, apply, the application page with its actions,
the review queue, document downloads; figures and outcomes pages.

The views only parse forms and call ``parkos.policies.services``; a refused step comes back as the form's error
(400) or a message on the application's page. Every row is read through ``restrict()``: out of scope is a 404.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from parkos.core.permissions import Action, can
from parkos.core.views.files import serve_file
from parkos.directory.models import Organization
from parkos.policies import figures as policy_figures
from parkos.policies import outcomes as policy_outcomes
from parkos.policies import pages, services
from parkos.policies.models import Application, ApplicationDocument, Disbursement, Policy
from parkos.portal.selectors import enterprises_of, is_enterprise_user

_INPUT = {"class": "form-control"}


class ApplyForm(forms.Form):
    """The application: what it asks for, and one file per document the policy requires (plus one more)."""

    statement = forms.CharField(
        label=_("statement"),
        widget=forms.Textarea(attrs={**_INPUT, "rows": 4}),
        required=False,
        help_text=_("What the enterprise asks for and why."),
    )
    amount_requested = forms.DecimalField(
        label=_("amount requested (yuan)"),
        required=False,
        min_value=Decimal(0),
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs=_INPUT),
    )
    other_title = forms.CharField(
        label=_("another document: its title"), required=False, widget=forms.TextInput(attrs=_INPUT)
    )
    other_file = forms.FileField(
        label=_("another document: the file"), required=False, widget=forms.ClearableFileInput(attrs=_INPUT)
    )

    def __init__(self, *args: Any, policy: Policy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy
        self.documents = policy.required_documents
        for index, title in enumerate(self.documents):
            self.fields[f"document_{index}"] = forms.FileField(
                label=title, required=False, widget=forms.ClearableFileInput(attrs=_INPUT)
            )

    def document_fields(self) -> list[forms.BoundField]:
        return [self[f"document_{index}"] for index in range(len(self.documents))]

    def other_fields(self) -> list[forms.BoundField]:
        return [self["statement"], self["amount_requested"], self["other_title"], self["other_file"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("other_file") and not (data.get("other_title") or "").strip():
            self.add_error("other_title", _t("Name the other document."))
        return data


class DecisionForm(forms.Form):
    approve = forms.ChoiceField(
        label=_("decision"),
        choices=(("yes", _("Approve")), ("no", _("Reject"))),
        widget=forms.RadioSelect,
    )
    amount = forms.DecimalField(
        label=_("amount approved (yuan)"),
        required=False,
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs=_INPUT),
    )
    reasons = forms.CharField(
        label=_("reasons for the decision"), widget=forms.Textarea(attrs={**_INPUT, "rows": 3}), required=False
    )


class DisbursementForm(forms.Form):
    paid_on = forms.DateField(label=_("paid on"), widget=forms.DateInput(attrs={**_INPUT, "type": "date"}))
    amount = forms.DecimalField(
        label=_("amount (yuan)"), max_digits=16, decimal_places=2, widget=forms.NumberInput(attrs=_INPUT)
    )
    reference = forms.CharField(label=_("payment reference"), required=False, widget=forms.TextInput(attrs=_INPUT))
    note = forms.CharField(label=_("note"), required=False, widget=forms.TextInput(attrs=_INPUT))


class AttachForm(forms.Form):
    title = forms.CharField(label=_("title"), widget=forms.TextInput(attrs=_INPUT))
    file = forms.FileField(label=_("file"), widget=forms.ClearableFileInput(attrs=_INPUT))


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's ValidationError on the form: by field when the form has it, else for the whole form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _enterprise(request: HttpRequest) -> Organization:
    """The enterprise the page is for: an enterprise user's own (?organization= among them, else the first);
    for staff, ?organization= among the organizations they may see. 404 otherwise."""
    wanted = request.GET.get("organization") or request.POST.get("organization") or ""
    if not is_enterprise_user(request.user):
        if not wanted.isdigit():
            raise Http404
        return get_object_or_404(Organization.objects.restrict(request.user, Action.VIEW), pk=int(wanted))
    organizations = enterprises_of(request.user)
    if wanted:
        if not wanted.isdigit():
            raise Http404
        return get_object_or_404(organizations, pk=int(wanted))
    organization = organizations.first()
    if organization is None:
        raise Http404(_t("Your account belongs to no enterprise yet."))
    return organization


def _visible_policy(request: HttpRequest, pk: int) -> Policy:
    return get_object_or_404(Policy.objects.restrict(request.user, Action.VIEW).select_related("issuer"), pk=pk)


def _visible_application(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.restrict(request.user, Action.VIEW).select_related(
            "policy__issuer", "applicant", "park", "reviewer"
        ),
        pk=pk,
    )


# -- the enterprise ---------------------------------------------------------------------------------


@login_required
def policies_for_you(request: HttpRequest) -> HttpResponse:
    """ "Policies for you": the open policies the enterprise qualifies for, then those it nearly does, saying which
    rule it misses and by how much; each with the enterprise's application, if any."""
    organization = _enterprise(request)
    from parkos.policies.snapshot import policies_for_enterprise

    matches, as_of = policies_for_enterprise(organization)
    applied = {
        a.policy_id: a
        for a in Application.objects.restrict(request.user)
        .filter(applicant=organization, status__in=Application.LIVE)
        .only("pk", "policy_id", "status")
    }
    qualifying = [{"match": m, "application": applied.get(m.policy.pk)} for m in matches if m.qualifies]
    near = [{"match": m, "application": applied.get(m.policy.pk)} for m in matches if not m.qualifies]
    return render(
        request,
        "policies/workflow/for_you.html",
        {
            "organization": organization,
            "qualifying": qualifying,
            "near": near,
            "may_apply": can(request.user, Application, Action.ADD),
            "as_of": as_of,
        },
    )


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply for a policy with the documents it asks for: the application is created and submitted at once, or
    nothing is kept (a missing document names itself)."""
    policy = _visible_policy(request, pk)
    if not can(request.user, Application, Action.ADD):
        raise PermissionDenied
    organization = _enterprise(request)  # staff file for an enterprise: ?organization=
    existing = (
        Application.objects.restrict(request.user)
        .filter(policy=policy, applicant=organization, status__in=Application.LIVE)
        .first()
    )
    if existing is not None:
        messages.info(request, _t("Your enterprise has already applied for this policy."))
        return redirect("policies:application_workflow", pk=existing.pk)
    form = ApplyForm(request.POST or None, request.FILES or None, policy=policy)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                application = _apply(request, policy, organization, form)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _t("Your application was submitted to the policy office."))
                return redirect("policies:application_workflow", pk=application.pk)
    closed = services.policy_open_error(policy, _today())
    context = {"policy": policy, "organization": organization, "form": form, "closed": closed}
    return render(request, "policies/workflow/apply.html", context, status=status)


def _today() -> datetime.date:
    return timezone.localdate()


def _apply(request: HttpRequest, policy: Policy, organization: Organization, form: ApplyForm) -> Application:
    with transaction.atomic():
        application = services.application_create(
            policy=policy,
            applicant=organization,
            user=request.user,
            statement=form.cleaned_data["statement"],
            amount_requested=form.cleaned_data["amount_requested"],
        )
        for index, title in enumerate(form.documents):
            upload = form.cleaned_data.get(f"document_{index}")
            if upload:
                services.application_attach(application=application, user=request.user, title=title, file=upload)
        if form.cleaned_data.get("other_file"):
            services.application_attach(
                application=application,
                user=request.user,
                title=form.cleaned_data["other_title"],
                file=form.cleaned_data["other_file"],
            )
        return services.application_submit(application=application, user=request.user)


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    """The enterprise's applications, newest first, with what was approved and paid."""
    organization = _enterprise(request)
    applications = policy_figures.with_paid(
        Application.objects.restrict(request.user)
        .filter(applicant=organization)
        .select_related("policy__issuer")
        .order_by("-created", "-pk")
    )
    return render(
        request,
        "policies/workflow/my_applications.html",
        {"organization": organization, "applications": applications},
    )


# -- the application page and its actions -------------------------------------------------------------


@login_required
def application_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    return _render_application(request, application)


def _render_application(
    request: HttpRequest, application: Application, *, status: int = 200, **forms_given: forms.Form
) -> HttpResponse:
    user = request.user
    office = services.is_office_for(user=user, application=application)
    applicant = services.acts_for(user=user, organization_id=application.applicant_id)
    Status = Application.Status
    disbursements = list(application.disbursements.order_by("paid_on", "pk"))
    paid = sum((d.amount for d in disbursements), Decimal(0))
    context = {
        "application": application,
        "policy": application.policy,
        "documents": list(application.documents.all()),
        "missing": services.missing_documents(application) if application.status == Status.DRAFT else [],
        "disbursements": disbursements,
        "paid": paid,
        "unpaid": (application.amount_approved or Decimal(0)) - paid if application.amount_approved else None,
        "budget_left": services.budget_left(application.policy),
        "may_submit": (office or applicant) and application.status == Status.DRAFT,
        "may_review": office and application.status == Status.SUBMITTED,
        "may_decide": office and application.status in services.DECIDABLE,
        "may_disburse": office and application.status == Status.APPROVED and can(user, Disbursement, Action.ADD),
        "may_withdraw": (office or applicant) and application.status in services.WITHDRAWABLE,
        "may_attach": (office or applicant)
        and application.status in services.OPEN_FOR_DOCUMENTS
        and can(user, ApplicationDocument, Action.ADD),
        "decision_form": forms_given.get("decision_form") or DecisionForm(),
        "disbursement_form": forms_given.get("disbursement_form") or DisbursementForm(initial={"paid_on": _today()}),
        "attach_form": forms_given.get("attach_form") or AttachForm(),
    }
    return render(request, "policies/workflow/application.html", context, status=status)


def _one_step(request: HttpRequest, pk: int, step: Callable[..., Any], done: str) -> HttpResponse:
    """A step that takes no input (submit, start review, withdraw): the service's refusals become messages."""
    application = _visible_application(request, pk)
    try:
        step(application=application, user=request.user)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, done)
    return redirect("policies:application_workflow", pk=pk)


@require_POST
@login_required
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _one_step(
        request, pk, services.application_submit, _t("The application was submitted to the policy office.")
    )


@require_POST
@login_required
def application_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _one_step(request, pk, services.application_start_review, _t("You are reviewing this application."))


@require_POST
@login_required
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _one_step(request, pk, services.application_withdraw, _t("The application was withdrawn."))


@require_POST
@login_required
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    if not services.is_office_for(user=request.user, application=application):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.application_decide(
                application=application,
                user=request.user,
                approve=form.cleaned_data["approve"] == "yes",
                amount=form.cleaned_data["amount"],
                reasons=form.cleaned_data["reasons"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _t("The decision was recorded and the enterprise told."))
            return redirect("policies:application_workflow", pk=pk)
    return _render_application(request, application, status=400, decision_form=form)


@require_POST
@login_required
def application_disburse(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    if not services.is_office_for(user=request.user, application=application):
        raise PermissionDenied
    form = DisbursementForm(request.POST)
    if form.is_valid():
        try:
            services.disbursement_record(
                application=application,
                user=request.user,
                paid_on=form.cleaned_data["paid_on"],
                amount=form.cleaned_data["amount"],
                reference=form.cleaned_data["reference"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _t("The payment was recorded."))
            return redirect("policies:application_workflow", pk=pk)
    return _render_application(request, application, status=400, disbursement_form=form)


@require_POST
@login_required
def application_attach(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible_application(request, pk)
    form = AttachForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.application_attach(
                application=application,
                user=request.user,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _t("The document was attached."))
            return redirect("policies:application_workflow", pk=pk)
    return _render_application(request, application, status=400, attach_form=form)


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """An application's document, only for users who may see the application (never a public media URL)."""
    return serve_file(ApplicationDocument.objects.restrict(request.user, Action.VIEW), pk, "file")


# -- the policy office ------------------------------------------------------------------------------


#: the most applications the review queue lists (its badge counts them all)
REVIEW_QUEUE_ROWS = 200


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Applications waiting for the policy office: submitted first (oldest first), then those under review."""
    if not can(request.user, Application, Action.CHANGE) or is_enterprise_user(request.user):
        raise PermissionDenied
    waiting = (
        Application.objects.restrict(request.user, Action.CHANGE)
        .filter(status__in=services.DECIDABLE)
        .order_by("status", "submitted_at", "pk")
    )
    rows = pages.review_rows(waiting, REVIEW_QUEUE_ROWS)
    # fewer rows than the page shows are all of them: no COUNT
    total = len(rows) if len(rows) < REVIEW_QUEUE_ROWS else waiting.count()
    return render(
        request,
        "policies/workflow/review_queue.html",
        {"rows_html": pages.review_rows_html(rows, request.user), "total": total},
    )


# -- figures and outcomes -----------------------------------------------------------------------------


@login_required
def figures_page(request: HttpRequest) -> HttpResponse:
    """Applications, approvals, amounts approved and paid and budget left, per policy and per aspect.

    Not for enterprise users: the budget left is what other enterprises were granted."""
    if not can(request.user, Policy, Action.VIEW) or is_enterprise_user(request.user):
        raise PermissionDenied
    per_policy = policy_figures.per_policy(request.user)
    return render(
        request,
        "policies/workflow/figures.html",
        {"per_policy": per_policy, "per_aspect": policy_figures.per_aspect(per_policy)},
    )


@login_required
def policy_figures_page(request: HttpRequest, pk: int) -> HttpResponse:
    if is_enterprise_user(request.user):
        raise PermissionDenied
    policy = _visible_policy(request, pk)
    rows = policy_figures.per_policy(request.user, policies=Policy.objects.filter(pk=policy.pk))
    return render(
        request, "policies/workflow/policy_figures.html", {"policy": policy, "row": rows[0] if rows else None}
    )


@login_required
def outcomes_overview(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Policy, Action.VIEW) or is_enterprise_user(request.user):
        raise PermissionDenied
    overview = policy_outcomes.overview(request.user)
    as_of = min((o.as_of for o in overview if o.as_of), default=None)
    return render(request, "policies/workflow/outcomes_overview.html", {"rows": overview, "as_of": as_of})


@login_required
def policy_outcomes_page(request: HttpRequest, pk: int) -> HttpResponse:
    if is_enterprise_user(request.user):
        raise PermissionDenied
    policy = _visible_policy(request, pk)
    outcome = policy_outcomes.policy_outcomes(policy, user=request.user)
    return render(
        request, "policies/workflow/outcomes.html", {"policy": policy, "outcome": outcome, "as_of": outcome.as_of}
    )
