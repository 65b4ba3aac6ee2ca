"""Portal pages: the enterprise's own page, its "propose a change" form, and the staff review of proposals."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View

from parkos.core.permissions import Action, can
from parkos.core.views.generic import ObjectViews, detail_fields, detail_value_html
from parkos.directory.models import Organization
from parkos.portal import filtersets, forms, resources, sections, selectors, services, tables
from parkos.portal.models import PROFILE_FIELDS, ProfileChangeRequest, profile_field


class ProfileChangeRequestViews(ObjectViews):
    model = ProfileChangeRequest
    path = "proposals"
    table = tables.ProfileChangeRequestTable
    filterset = filtersets.ProfileChangeRequestFilterSet
    form = forms.ProfileChangeRequestForm
    resource = resources.ProfileChangeRequestResource
    list_related = ("organization", "proposed_by", "reviewed_by")
    detail_template = "portal/proposal_detail.html"
    detail_exclude = ("id", "created", "last_updated", "changes")

    @classmethod
    def detail_extra(cls, obj, user) -> dict:
        return {
            "rows": obj.rows(),
            "may_review": obj.is_pending and services.may_review(user=user),
            "review_form": forms.ReviewForm(),
        }


def _enterprise(request):
    """The enterprise whose page this is: ?organization= among the user's own, else the first; and the user's own.

    One query: an enterprise account has a few organizations, read in their order (name) with their industry.
    """
    organizations = selectors.enterprises_of(request.user).select_related("industry")
    if not organizations.ordered:
        organizations = organizations.order_by("pk")
    own = list(organizations)
    wanted = request.GET.get("organization") or request.POST.get("organization")
    if wanted:
        try:
            pk = int(wanted)
        except ValueError as exc:
            raise Http404 from exc
        found = [organization for organization in own if organization.pk == pk]
        if not found:
            raise Http404
        return found[0], own
    if not own:
        raise Http404(_("Your account belongs to no enterprise yet."))
    return own[0], own


#: the organization's fields the page's profile card leaves out: all but the profile, the credit code and the kind
#: (detail_fields formats only the rows it keeps: the card formatted all forty and dropped thirty, issue 16)
NOT_PROFILE = frozenset(
    field.name
    for field in Organization._meta.concrete_fields
    if field.name not in (*PROFILE_FIELDS, "credit_code", "kind")
)


def _profile(organization, user) -> list[dict]:
    """The profile card's rows, each value written as core/includes/value.html writes it where
    ``detail_value_html`` can (the include cost about 250 Python calls a row, issue 16), as the detail page does."""
    rows = detail_fields(organization, NOT_PROFILE, user)
    for row in rows:
        html = detail_value_html(row, user)
        # the include's file ends in a newline; None: the template includes it
        row["html"] = None if html is None else mark_safe(f"{html}\n")  # noqa: S308 -- detail_value_html's
    return rows


def _proposals(organization, user) -> list[ProfileChangeRequest]:
    """The latest 20 proposals, each with the labels of the fields it changes and its status's label.

    The labels are what ``ProfileChangeRequest.rows`` would give, without its values (it reads an industry's name
    per proposal that changes the industry, and the page shows only the labels).
    """
    proposals = list(selectors.proposals_of(organization, user).select_related(None)[:20])
    statuses = sections.choice_labels(ProfileChangeRequest, "status")
    for proposal in proposals:
        proposal.changed_labels = [
            capfirst(profile_field(name).verbose_name) for name in PROFILE_FIELDS if name in proposal.changes
        ]
        proposal.status_label = statuses.get(proposal.status, proposal.status)
    return proposals


class PortalHomeView(View):
    """ "My enterprise": the profile, proposals, space, service requests and scenarios of the user's enterprise.

    Staff have no enterprise of their own: they land on the review queue of pending proposals.
    """

    def get(self, request):
        if not selectors.is_enterprise_user(request.user):
            if can(request.user, ProfileChangeRequest, Action.VIEW):
                return redirect(f"{reverse('portal:profilechangerequest_list')}?status=pending")
            raise PermissionDenied
        organization, organizations = _enterprise(request)
        context = {
            "organization": organization,
            "organizations": organizations if len(organizations) > 1 else [],
            "profile": _profile(organization, request.user),
            "proposals": _proposals(organization, request.user),
            "may_propose": can(request.user, ProfileChangeRequest, Action.ADD),
            "sections": sections.portal_sections(organization, request.user, request),
        }
        return render(request, "portal/home.html", context)


class ProposeView(View):
    """The organization's profile fields pre-filled; what the user changes becomes one proposal."""

    def _form(self, request, organization, data=None):
        return forms.ProfileProposalForm(data, instance=organization, user=request.user)

    def get(self, request):
        if not selectors.is_enterprise_user(request.user) or not can(request.user, ProfileChangeRequest, Action.ADD):
            raise PermissionDenied
        organization, _organizations = _enterprise(request)
        return self._render(request, organization, self._form(request, organization))

    def _render(self, request, organization, form, status=200):
        return render(request, "portal/propose.html", {"organization": organization, "form": form}, status=status)

    def post(self, request):
        if not selectors.is_enterprise_user(request.user) or not can(request.user, ProfileChangeRequest, Action.ADD):
            raise PermissionDenied
        organization, _organizations = _enterprise(request)
        # A fresh copy: the form writes the posted values onto its instance while cleaning.
        form = self._form(request, type(organization).objects.get(pk=organization.pk), request.POST)
        if form.is_valid():
            try:
                services.profile_change_propose(
                    organization=organization,
                    user=request.user,
                    changes=form.proposed_changes(),
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Your proposal was sent to the park's staff for review."))
                return redirect(f"{reverse('portal:home')}?{urlencode({'organization': organization.pk})}")
        return self._render(request, organization, form, status=400)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(None if name == "__all__" or name not in form.fields else name, errors)
    else:
        form.add_error(None, exc.messages)


class ReviewView(View):
    """Approve or reject a pending proposal (POST from its page)."""

    decision = "approve"

    def post(self, request, pk):
        proposal = get_object_or_404(ProfileChangeRequest.objects.restrict(request.user, Action.VIEW), pk=pk)
        form = forms.ReviewForm(request.POST)
        form.is_valid()
        note = form.cleaned_data.get("review_note", "")
        try:
            if self.decision == "approve":
                services.profile_change_approve(request=proposal, user=request.user, note=note)
                messages.success(request, _("Approved: the organization's profile now shows the changes."))
            else:
                services.profile_change_reject(request=proposal, user=request.user, note=note)
                messages.success(request, _("Rejected: the organization's profile is unchanged."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect(proposal.get_absolute_url())
