"""Policy pages: each model's standard pages are one ObjectViews declaration; a policy's page and its matches page
show the enterprises that qualify and those that nearly do; an organization's page shows its policies. All three
read the stored matches (``snapshot``), never match on the view."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parkos.core.permissions import Action, can
from parkos.core.views.generic import ObjectViews, Related
from parkos.directory.models import Organization
from parkos.policies import figures, filtersets, forms, matching, resources, rules, snapshot, tables
from parkos.policies.models import Application, ApplicationDocument, Certification, Disbursement, Policy
from parkos.portal.selectors import is_enterprise_user

#: enterprises per page on a policy's matches page; rows shown on the policy's own page
PER_PAGE = 25
PREVIEW = 10


def _named(matches: list[matching.Match]) -> list[dict[str, Any]]:
    """Matches with their enterprise's name (one query for the lot)."""
    names = dict(Organization.objects.filter(pk__in=[m.organization_id for m in matches]).values_list("pk", "name"))
    return [
        {
            "match": m,
            "name": names.get(m.organization_id, ""),
            "url": reverse("directory:organization", kwargs={"pk": m.organization_id}),
        }
        for m in matches
    ]


def described_rules(policy: Policy) -> list[str]:
    try:
        rules.validate(policy.eligibility)
    except rules.RuleError as exc:
        return [str(exc)]
    return [rules.describe(rule) for rule in rules.rules_of(policy.eligibility)]


def _figures_of(policy: Policy, user: Any) -> figures.PolicyFigures | None:
    rows = figures.per_policy(user, policies=Policy.objects.filter(pk=policy.pk))
    return rows[0] if rows else None


class PolicyViews(ObjectViews):
    model = Policy
    path = "policies"
    table = tables.PolicyTable
    filterset = filtersets.PolicyFilterSet
    form = forms.PolicyForm
    resource = resources.PolicyResource
    list_related = ("issuer",)
    detail_exclude = ("id", "created", "last_updated", "eligibility")
    detail_template = "policies/policy_detail.html"
    related = (Related(Application, tables.ApplicationTable, "policy", _("Applications")),)

    @classmethod
    def detail_extra(cls, obj: Policy, user: Any) -> dict[str, Any]:
        found = snapshot.StoredMatches(obj, user=user)
        enterprise = is_enterprise_user(user)
        return {
            # an enterprise applies from here while the policy is open; everyone else reads its figures
            "may_apply": enterprise and obj.status == Policy.Status.OPEN and can(user, Application, Action.ADD),
            "figures_row": None if enterprise else _figures_of(obj, user),
            "rules": described_rules(obj),
            "qualifying": _named(found.qualifying[:PREVIEW]),
            "near": _named(found.near[:PREVIEW]),
            "qualifying_count": len(found.qualifying),
            "near_count": len(found.near),
            "matches_url": reverse("policies:policy_matches", kwargs={"pk": obj.pk}),
            "as_of": found.as_of,
        }


class CertificationViews(ObjectViews):
    model = Certification
    path = "certifications"
    table = tables.CertificationTable
    filterset = filtersets.CertificationFilterSet
    form = forms.CertificationForm
    resource = resources.CertificationResource
    list_related = ("organization",)


class ApplicationViews(ObjectViews):
    model = Application
    path = "applications"
    table = tables.ApplicationTable
    filterset = filtersets.ApplicationFilterSet
    form = forms.ApplicationForm
    resource = resources.ApplicationResource
    list_related = ("policy", "applicant", "park")
    detail_template = "policies/application_detail.html"
    related = (
        Related(ApplicationDocument, tables.ApplicationDocumentTable, "application", _("Documents")),
        Related(Disbursement, tables.DisbursementTable, "application", _("Payments")),
    )


class ApplicationDocumentViews(ObjectViews):
    model = ApplicationDocument
    path = "documents"
    table = tables.ApplicationDocumentTable
    filterset = filtersets.ApplicationDocumentFilterSet
    form = forms.ApplicationDocumentForm
    resource = resources.ApplicationDocumentResource
    list_related = ("application__policy", "application__applicant")


class DisbursementViews(ObjectViews):
    model = Disbursement
    path = "disbursements"
    table = tables.DisbursementTable
    filterset = filtersets.DisbursementFilterSet
    form = forms.DisbursementForm
    resource = resources.DisbursementResource
    list_related = ("application__policy", "application__applicant")


def policy_matches(request: HttpRequest, pk: int) -> HttpResponse:
    """The enterprises that qualify for a policy and those that nearly do, in the viewer's scope, paginated."""
    if not can(request.user, Policy, Action.VIEW):
        raise PermissionDenied
    policy = get_object_or_404(Policy.objects.restrict(request.user).select_related("issuer"), pk=pk)
    found = snapshot.StoredMatches(policy, user=request.user)
    qualifying_page = Paginator(found.qualifying, PER_PAGE).get_page(request.GET.get("qpage"))
    near_page = Paginator(found.near, PER_PAGE).get_page(request.GET.get("npage"))
    context = {
        "policy": policy,
        "rules": described_rules(policy),
        "qualifying": _named(list(qualifying_page.object_list)),
        "near": _named(list(near_page.object_list)),
        "qualifying_page": qualifying_page,
        "near_page": near_page,
        "qualifying_count": len(found.qualifying),
        "near_count": len(found.near),
        "as_of": found.as_of,
    }
    return render(request, "policies/policy_matches.html", context)


def organization_policies_panel(obj: Organization, request: HttpRequest) -> dict[str, Any] | None:
    """On an enterprise's page: the open policies it qualifies for, then those it nearly does."""
    if obj.kind != Organization.Kind.ENTERPRISE or not can(request.user, Policy, Action.VIEW):
        return None
    found, as_of = snapshot.policies_for_enterprise(obj)
    return {
        "title": _("Policies it qualifies for"),
        "template": "policies/organization_policies_panel.html",
        "count": sum(1 for m in found if m.qualifies),
        "qualifying": [m for m in found if m.qualifies],
        "near": [m for m in found if not m.qualifies],
        "as_of": as_of,
    }


def register_panels() -> None:
    """An organization's page lists its certifications and the policies it qualifies for (directory cannot import
    policies: added from here)."""
    from parkos.core.views.generic import _extra_related, add_panel, add_related

    if not any(r.model is Certification for r in _extra_related.get(Organization, ())):
        add_related(
            Organization,
            Related(Certification, tables.CertificationTable, "organization", _("Certifications")),
        )
    add_panel(Organization, organization_policies_panel)
