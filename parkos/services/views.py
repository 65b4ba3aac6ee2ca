"""Services pages: each model's ObjectViews, the request workflow actions, the catalogue and attachment downloads.

The workflow views only parse the form and call the services in ``parkos.services.services``;
a refused move comes back as a message on the request's page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from parkos.core.bulk import BulkAction
from parkos.core.permissions import Action, can
from parkos.core.views.files import serve_file
from parkos.core.views.generic import ObjectViews, Related
from parkos.services import filtersets, forms, resources, tables
from parkos.services.models import Aspect, RequestMessage, Scenario, Service, ServiceDesk, ServiceRequest, Status
from parkos.services.selectors import catalogue
from parkos.services.services import (
    TRANSITION_LABELS,
    TRANSITION_SERVICES,
    acts_for,
    allowed_transitions,
    is_enterprise_side,
    is_staff_for,
    request_accept,
    request_assign,
    request_decline,
    request_done,
    request_message,
    request_rate,
    request_start,
    request_wait,
    scenario_join,
    scenario_leave,
)


class ServiceViews(ObjectViews):
    model = Service
    path = "catalogue/services"
    table = tables.ServiceTable
    filterset = filtersets.ServiceFilterSet
    form = forms.ServiceForm
    resource = resources.ServiceResource
    list_related = ("provider",)
    related = (Related(ServiceRequest, tables.ServiceRequestTable, "service", exclude=("aspect", "service")),)
    detail_template = "services/service_detail.html"

    @classmethod
    def detail_extra(cls, obj, user) -> dict:
        may_file = obj.is_active and can(user, ServiceRequest, Action.ADD)
        return {
            "file_url": f"{reverse('services:servicerequest_add')}?{urlencode({'service': obj.pk})}"
            if may_file
            else None
        }


class ScenarioViews(ObjectViews):
    model = Scenario
    path = "catalogue/scenarios"
    table = tables.ScenarioTable
    filterset = filtersets.ScenarioFilterSet
    form = forms.ScenarioForm
    resource = resources.ScenarioResource
    list_related = ("provider",)
    detail_template = "services/scenario_detail.html"

    @classmethod
    def queryset(cls, user, action=Action.VIEW):
        return super().queryset(user, action).annotate(participant_count=Count("participants", distinct=True))

    @classmethod
    def detail_extra(cls, obj, user) -> dict:
        from django.utils import timezone

        participants = obj.participants.order_by("name")
        own = []
        if is_enterprise_side(user=user):
            joined = set(participants.values_list("pk", flat=True))
            for organization in user.organizations.order_by("name"):
                own.append({"organization": organization, "joined": organization.pk in joined})
            participants = participants.filter(pk__in=user.scope_organization_ids())  # not the other enterprises
        return {
            "participants": participants,
            "own_memberships": own,
            "is_open": obj.is_open_on(timezone.localdate()),
        }


class ServiceDeskViews(ObjectViews):
    model = ServiceDesk
    path = "desks"
    table = tables.ServiceDeskTable
    filterset = filtersets.ServiceDeskFilterSet
    form = forms.ServiceDeskForm
    resource = resources.ServiceDeskResource
    detail_template = "services/servicedesk_detail.html"

    @classmethod
    def queryset(cls, user, action=Action.VIEW):
        return super().queryset(user, action).prefetch_related("members")

    @classmethod
    def detail_extra(cls, obj, user) -> dict:
        return {"members": obj.members.order_by("username").prefetch_related("parks")}


def _bulk_assign(obj, *, user, assignee):
    request_assign(request=obj, user=user, assignee=assignee)


def _bulk_status(obj, *, user, transition, reason=""):
    if transition == "decline":
        request_decline(request=obj, user=user, reason=reason)
    else:
        TRANSITION_SERVICES[transition](request=obj, user=user)


def _is_staff(user) -> bool:
    return not is_enterprise_side(user=user)


class ServiceRequestViews(ObjectViews):
    model = ServiceRequest
    path = "requests"
    table = tables.ServiceRequestTable
    filterset = filtersets.ServiceRequestFilterSet
    form = forms.ServiceRequestForm
    resource = resources.ServiceRequestResource
    list_related = ("enterprise", "park", "service", "assigned_to")
    related = ()
    detail_template = "services/servicerequest_detail.html"
    bulk_actions = (
        BulkAction("assign", _lazy("Assign to…"), apply=_bulk_assign, form=forms.BulkAssignForm, allowed=_is_staff),
        BulkAction(
            "change_status", _lazy("Change status…"), apply=_bulk_status, form=forms.BulkStatusForm, allowed=_is_staff
        ),
    )

    @classmethod
    def queryset(cls, user, action=Action.VIEW):
        rows = super().queryset(user, action)
        if action == Action.CHANGE and is_enterprise_side(user=user):
            rows = rows.filter(status=Status.NEW)  # an enterprise edits what it wrote until staff take it on
        return rows

    @classmethod
    def detail_extra(cls, obj, user) -> dict:
        conversation = obj.messages.select_related("author").order_by("created", "pk")
        may_write = obj.is_open and (
            acts_for(user=user, organization_id=obj.enterprise_id) or is_staff_for(user=user, request=obj)
        )
        transitions = [(name, TRANSITION_LABELS[name]) for name in allowed_transitions(request=obj, user=user)]
        may_rate = obj.status == Status.DONE and acts_for(user=user, organization_id=obj.enterprise_id)
        return {
            "conversation": conversation,
            "message_form": forms.ConversationForm() if may_write else None,
            "transitions": [t for t in transitions if t[0] != "decline"],
            "may_decline": any(name == "decline" for name, _label in transitions),
            "decline_form": forms.DeclineForm(),
            "rating_form": forms.RatingForm(initial={"rating": obj.rating, "comment": obj.rating_comment})
            if may_rate
            else None,
            "status_colour": tables.STATUS_COLOURS.get(obj.status, "secondary"),
            "response_overdue": obj.is_response_overdue(),
            "resolution_overdue": obj.is_resolution_overdue(),
            "enterprise_side": is_enterprise_side(user=user),
        }


class RequestMessageViews(ObjectViews):
    model = RequestMessage
    path = "messages"
    table = tables.RequestMessageTable
    filterset = filtersets.RequestMessageFilterSet
    form = forms.RequestMessageForm
    resource = resources.RequestMessageResource
    list_related = ("request", "author")
    detail_template = "services/requestmessage_detail.html"
    detail_exclude = ("id", "created", "last_updated", "attachment")

    @classmethod
    def queryset(cls, user, action=Action.VIEW):
        rows = super().queryset(user, action)
        if action in (Action.CHANGE, Action.DELETE) and is_enterprise_side(user=user):
            rows = rows.filter(author=user)  # an enterprise user edits only what it wrote
        return rows


# --- the workflow on the request's page -------------------------------------------------------------

WORKFLOW = {
    "accept": request_accept,
    "start": request_start,
    "wait": request_wait,
    "done": request_done,
}


def _visible_request(request, pk: int) -> ServiceRequest:
    return get_object_or_404(ServiceRequest.objects.restrict(request.user, Action.VIEW), pk=pk)


def _refused(request, exc: ValidationError) -> None:
    for text in exc.messages:
        messages.error(request, text)


@require_POST
def request_transition(request, pk: int, transition: str):
    """Staff move a request: accept, start, wait, done, decline (with a reason)."""
    service_request = _visible_request(request, pk)
    try:
        if transition == "decline":
            form = forms.DeclineForm(request.POST)
            reason = form.data.get("reason", "")
            request_decline(request=service_request, user=request.user, reason=reason)
        elif transition in WORKFLOW:
            WORKFLOW[transition](request=service_request, user=request.user)
        else:
            raise Http404
    except ValidationError as exc:
        _refused(request, exc)
    else:
        service_request.refresh_from_db()
        messages.success(
            request, _t("The request is now “%(status)s”.") % {"status": service_request.get_status_display()}
        )
    return redirect(service_request.get_absolute_url())


@require_POST
def request_post_message(request, pk: int):
    service_request = _visible_request(request, pk)
    form = forms.ConversationForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect(service_request.get_absolute_url())
    try:
        request_message(
            request=service_request,
            user=request.user,
            body=form.cleaned_data["body"],
            attachment=form.cleaned_data.get("attachment"),
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _t("Message sent."))
    return redirect(f"{service_request.get_absolute_url()}#conversation")


@require_POST
def request_rate_view(request, pk: int):
    service_request = _visible_request(request, pk)
    form = forms.RatingForm(request.POST)
    try:
        request_rate(
            request=service_request,
            user=request.user,
            rating=form.data.get("rating"),
            comment=form.data.get("comment", ""),
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _t("Thank you for rating the service."))
    return redirect(service_request.get_absolute_url())


@require_POST
def scenario_membership(request, pk: int, change: str):
    """An enterprise user joins or leaves a scenario for its own organization (``organization`` in the form)."""
    scenario = get_object_or_404(Scenario.objects.restrict(request.user, Action.VIEW), pk=pk)
    organization = request.POST.get("organization")
    if not str(organization or "").isdigit():
        messages.error(request, _t("Choose the enterprise that joins or leaves."))
        return redirect(scenario.get_absolute_url())
    action = {"join": scenario_join, "leave": scenario_leave}.get(change)
    if action is None:
        raise Http404
    try:
        action(scenario=scenario, user=request.user, organization=int(organization))
    except ValidationError as exc:
        _refused(request, exc)
    except PermissionDenied:
        raise
    else:
        messages.success(request, _t("Joined the scenario.") if change == "join" else _t("Left the scenario."))
    return redirect(scenario.get_absolute_url())


def message_download(request, pk: int):
    """A message's attachment, only for users who may see the message (never a public media URL)."""
    messages_in_reach = RequestMessage.objects.restrict(request.user, Action.VIEW)
    return serve_file(messages_in_reach, pk, "attachment", filename=lambda message: message.attachment_name)


def catalogue_view(request):
    """The service catalogue grouped by the six aspects, with the scenarios enterprises can join."""
    if not can(request.user, Service, Action.VIEW):
        raise PermissionDenied
    aspect = request.GET.get("aspect") or None
    if aspect not in (None, *Aspect.values):
        aspect = None
    query = request.GET.get("q", "")
    return render(
        request,
        "services/catalogue.html",
        {
            "groups": catalogue(request.user, aspect=aspect, q=query),
            "aspects": Aspect.choices,
            "aspect": aspect,
            "q": query,
            "may_file": can(request.user, ServiceRequest, Action.ADD),
            "add_url": reverse("services:servicerequest_add"),
        },
    )
