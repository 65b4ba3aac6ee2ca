"""Service request workflow and scenario membership: writes with rules (STYLE.md rule 13).

Who may do what:

- an enterprise user files requests for its own organization, writes in the conversation of its
  organization's requests and rates a request once it is done;
- staff who may change the request (service staff in its park, the operator admin) move its status,
  write in the conversation and reassign it.

Each transition is allowed only from the statuses in ``TRANSITIONS``; anything else is a
ValidationError that says which status the request is in. A request outside the user's scope
answers NotFound, one the user may see but not act on PermissionDenied.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkos.core import writes
from parkos.core.actors import Actor
from parkos.core.errors import NotFound
from parkos.core.permissions import Action, Scope, can, fallback_group_name, scope_of
from parkos.directory.models import Organization
from parkos.notifications.models import EventKind
from parkos.notifications.services import notify
from parkos.services.models import (
    OPEN_STATUSES,
    RequestMessage,
    Scenario,
    Service,
    ServiceDesk,
    ServiceRequest,
    Status,
)
from parkos.users.models import User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from parkos.parks.models import Park

#: transition name -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "accept": ((Status.NEW,), Status.ACCEPTED),
    "start": ((Status.ACCEPTED, Status.WAITING), Status.IN_PROGRESS),
    "wait": ((Status.ACCEPTED, Status.IN_PROGRESS), Status.WAITING),
    "done": ((Status.ACCEPTED, Status.IN_PROGRESS, Status.WAITING), Status.DONE),
    "decline": ((Status.NEW, Status.ACCEPTED), Status.DECLINED),
}
TRANSITION_LABELS = {
    "accept": _("Accept"),
    "start": _("Start work"),
    "wait": _("Wait for the enterprise"),
    "done": _("Mark done"),
    "decline": _("Decline"),
}


def is_enterprise_side(*, user: Actor) -> bool:
    """True for users who act for an organization (enterprise users), not for the operator."""
    return scope_of(user) == Scope.ORGANIZATION


def acts_for(*, user: Actor, organization_id: int | None) -> bool:
    return (
        is_enterprise_side(user=user)
        and isinstance(user, User)
        and user.scope_organization_ids().filter(pk=organization_id).exists()
    )


def is_staff_for(*, user: Actor, request: ServiceRequest) -> bool:
    """Operator-side users who may change ``request`` (service staff of its park, operator admins)."""
    if is_enterprise_side(user=user):
        return False
    if writes.in_batch(request, user, Action.CHANGE):  # a bulk action read it in that scope already
        return True
    return ServiceRequest.objects.restrict(user, Action.CHANGE).filter(pk=request.pk).exists()


def allowed_transitions(*, request: ServiceRequest, user: Actor) -> list[str]:
    """The transitions ``user`` may apply to ``request`` now (for the buttons on its page)."""
    if not is_staff_for(user=user, request=request):
        return []
    return [name for name, (sources, _target) in TRANSITIONS.items() if request.status in sources]


def _locked(request: ServiceRequest, user: Actor) -> ServiceRequest:
    """The request, locked for update, if ``user`` may see it (NotFound otherwise)."""
    if writes.in_batch(request, user):  # a bulk action read and locked it in the user's scope
        return request
    current: ServiceRequest | None = (
        ServiceRequest.objects.restrict(user, Action.VIEW)
        .select_for_update(of=("self",))
        .select_related("service")
        .filter(pk=request.pk)
        .first()
    )
    if current is None:
        raise NotFound(_("No such service request."))
    return current


# -- routing ---------------------------------------------------------------------------------------


def route_request(*, request: ServiceRequest) -> User | None:
    """Who a new request goes to: among those who may work on it, the one with the fewest open requests.

    First the members of the aspect's desk assigned to its park; when none covers the park, the desk's members
    in the service staff's fallback group, then any active member of that group (routing never drops work:
    see ``parkos.core.permissions``). Ties go to the lowest ID. None when nobody covers the park and the
    fallback group is empty.
    """
    open_requests = Count("service_requests_assigned", filter=Q(service_requests_assigned__status__in=OPEN_STATUSES))
    desk = ServiceDesk.objects.filter(aspect=request.aspect).first()
    members = desk.members.filter(is_active=True) if desk is not None else User.objects.none()
    candidates = [members.filter(parks=request.park_id)]
    staff = User.objects.filter(is_active=True, groups__name="service_staff")
    if not staff.filter(parks=request.park_id).exists():  # the park is the fallback group's
        fallback = staff.filter(groups__name=fallback_group_name("service_staff"))
        candidates += [members.filter(pk__in=fallback.values("pk")), fallback]
    for users in candidates:
        chosen = users.annotate(open_requests=open_requests).order_by("open_requests", "pk").first()
        if chosen is not None:
            return chosen
    return None


def request_assign_if_unrouted(*, request: ServiceRequest) -> ServiceRequest:
    """Route a request that has no assignee yet (after a form, import or API created it)."""
    if request.assigned_to_id is None and request.status in OPEN_STATUSES:
        member = route_request(request=request)
        if member is not None:
            request.assigned_to = member
            request.save(update_fields=["assigned_to", "last_updated"])
    return request


# -- the workflow ----------------------------------------------------------------------------------


def request_file(
    *,
    user: Actor,
    enterprise: Organization,
    park: Park,
    service: Service,
    title: str,
    description: str = "",
    requested_at: datetime.datetime | None = None,
) -> ServiceRequest:
    """File a request for ``service``: an enterprise user for its own organization, or staff for any enterprise.

    Takes the aspect and deadlines from the service and routes the request to the aspect's desk.
    """
    if not can(user, ServiceRequest, Action.ADD):
        raise PermissionDenied(_("You may not file service requests."))
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the request a title.")})
    request = ServiceRequest(
        enterprise=enterprise,
        park=park,
        service=service,
        title=title.strip(),
        description=description or "",
        requested_at=requested_at or timezone.now(),
    )
    return writes.save(request, user=user, created=True)


def _transition(
    request: ServiceRequest, user: Actor, name: str, *, now: datetime.datetime | None = None
) -> ServiceRequest:
    sources, target = TRANSITIONS[name]
    current = _locked(request, user)
    if not is_staff_for(user=user, request=current):
        raise PermissionDenied(_("Only service staff move a request's status."))
    if current.status not in sources:
        raise ValidationError(
            {
                "status": _("A request that is “%(status)s” cannot be moved to “%(target)s”.")
                % {"status": current.get_status_display(), "target": Status(target).label}
            }
        )
    now = now or timezone.now()
    current.status = target
    fields = ["status", "last_updated"]
    if current.responded_at is None:
        current.responded_at = max(now, current.requested_at)
        fields.append("responded_at")
    if target in (Status.DONE, Status.DECLINED):
        current.resolved_at = max(now, current.requested_at)
        fields.append("resolved_at")
    if current.assigned_to_id is None and name in ("accept", "start"):
        current.assigned_to = cast(User, user)  # whoever takes it on owns it
        fields.append("assigned_to")
    current.save(update_fields=fields)
    if target in (Status.DONE, Status.DECLINED):
        notify(EventKind.REQUEST_CLOSED, current, actor=user)
    elif name in ("accept", "wait"):
        notify(EventKind.REQUEST_ANSWERED, current, actor=user)
    return current


def request_accept(*, request: ServiceRequest, user: Actor, now: datetime.datetime | None = None) -> ServiceRequest:
    """Accept a new request (its first response, if staff have not answered yet)."""
    with transaction.atomic():
        return _transition(request, user, "accept", now=now)


def request_start(*, request: ServiceRequest, user: Actor, now: datetime.datetime | None = None) -> ServiceRequest:
    """Start (or resume) work on an accepted request, or one that was waiting for the enterprise."""
    with transaction.atomic():
        return _transition(request, user, "start", now=now)


def request_wait(*, request: ServiceRequest, user: Actor, now: datetime.datetime | None = None) -> ServiceRequest:
    """Put the request on hold until the enterprise answers (its next message resumes the work)."""
    with transaction.atomic():
        return _transition(request, user, "wait", now=now)


def request_done(*, request: ServiceRequest, user: Actor, now: datetime.datetime | None = None) -> ServiceRequest:
    """Close the request as done; the enterprise may then rate it."""
    with transaction.atomic():
        return _transition(request, user, "done", now=now)


def request_decline(
    *, request: ServiceRequest, user: Actor, reason: str, now: datetime.datetime | None = None
) -> ServiceRequest:
    """Decline a request, saying why: the reason is posted to the conversation."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the request is declined; the enterprise reads it.")})
    with transaction.atomic():
        declined = _transition(request, user, "decline", now=now)
        RequestMessage.objects.create(request=declined, author=cast(User, user), body=reason)
        return declined


def request_assign(*, request: ServiceRequest, user: Actor, assignee: User | None) -> ServiceRequest:
    """Give the request to ``assignee`` (None: nobody), through the write path: staff only, and the assignee
    must be able to work on requests in its park (``_validate_request``)."""
    with transaction.atomic():
        current = _locked(request, user)
        if not is_staff_for(user=user, request=current):
            raise PermissionDenied(_("Only service staff assign requests."))
        if current.status not in OPEN_STATUSES:
            raise ValidationError(
                {
                    "assigned_to": _("A request that is “%(status)s” is closed.")
                    % {"status": current.get_status_display()}
                }
            )
        current.assigned_to = assignee
        return writes.save(current, user=user, created=False)


#: the workflow's transitions as services, by name (the request page's buttons and bulk "change status")
TRANSITION_SERVICES = {
    "accept": request_accept,
    "start": request_start,
    "wait": request_wait,
    "done": request_done,
}


def request_apply_message(*, message: RequestMessage, now: datetime.datetime | None = None) -> None:
    """What a new message does to its request: staff's first message is the response; the enterprise's
    answer to a request waiting for it resumes the work."""
    request = message.request
    now = now or timezone.now()
    author = message.author
    fields: list[str] = []
    if is_enterprise_side(user=author):
        if request.status == Status.WAITING:
            request.status = Status.IN_PROGRESS
            fields.append("status")
    else:
        notify(EventKind.REQUEST_ANSWERED, request, actor=author)
        if request.responded_at is None:
            request.responded_at = max(now, request.requested_at)
            fields.append("responded_at")
    if fields:
        request.save(update_fields=[*fields, "last_updated"])


def request_message(
    *,
    request: ServiceRequest,
    user: Actor,
    body: str,
    attachment: File[Any] | None = None,
    now: datetime.datetime | None = None,
) -> RequestMessage:
    """Post a message (with an optional file) to a request's conversation.

    The enterprise writes in its own requests, staff in the requests they may change; a closed
    request takes no more messages.
    """
    body = (body or "").strip()
    with transaction.atomic():
        current = _locked(request, user)
        if not (acts_for(user=user, organization_id=current.enterprise_id) or is_staff_for(user=user, request=current)):
            raise PermissionDenied(_("You may not write in this request's conversation."))
        errors: dict[str, StrOrPromise] = {}
        if not body:
            errors["body"] = _("Write a message.")
        if current.status not in OPEN_STATUSES:
            errors["body"] = _("The request is closed; file a new request to ask again.")
        if errors:
            raise ValidationError(errors)
        message = RequestMessage(request=current, author=cast(User, user), body=body)
        if attachment:
            message.attachment = attachment
        message.full_clean()
        message.save()
        request_apply_message(message=message, now=now)
        return message


def request_rate(*, request: ServiceRequest, user: Actor, rating: int, comment: str = "") -> ServiceRequest:
    """The enterprise rates a done request from 1 to 5 (it may change its rating later)."""
    with transaction.atomic():
        current = _locked(request, user)
        if not acts_for(user=user, organization_id=current.enterprise_id):
            raise PermissionDenied(_("Only the enterprise that filed the request rates it."))
        errors: dict[str, StrOrPromise] = {}
        if current.status != Status.DONE:
            errors["rating"] = _("A request can be rated only once it is done.")
        try:
            rating = int(rating)
        except (TypeError, ValueError):
            rating = 0
        if not 1 <= rating <= 5:
            errors["rating"] = _("Rate from 1 (poor) to 5 (excellent).")
        if errors:
            raise ValidationError(errors)
        current.rating = rating
        current.rating_comment = (comment or "").strip()
        current.save(update_fields=["rating", "rating_comment", "last_updated"])
        return current


# -- scenarios -------------------------------------------------------------------------------------


def _scenario_membership(
    scenario: Scenario,
    user: Actor,
    organization: Organization | int,
    *,
    joining: bool,
    today: datetime.date | None = None,
) -> Scenario:
    if not Scenario.objects.restrict(user, Action.VIEW).filter(pk=scenario.pk).exists():
        raise NotFound(_("No such scenario."))
    organization_id: int = organization.pk if isinstance(organization, Organization) else organization
    try:  # an id is checked before it is written: a missing one is a field error, not an IntegrityError
        exists = scenario.participants.model.objects.filter(pk=int(organization_id)).exists()
    except (TypeError, ValueError):
        exists = False
    if not exists:
        raise ValidationError({"organization": _("No such organization.")})
    if is_enterprise_side(user=user):
        if not acts_for(user=user, organization_id=organization_id):
            raise PermissionDenied(_("You may join or leave scenarios only for your own enterprise."))
    elif not Scenario.objects.restrict(user, Action.CHANGE).filter(pk=scenario.pk).exists():
        raise PermissionDenied(_("You may not change this scenario's participants."))
    today = today or timezone.localdate()
    if joining and not scenario.is_open_on(today):
        raise ValidationError({"scenario": _("This scenario is not open to new participants now.")})
    if joining:
        scenario.participants.add(organization_id)  # m2m_changed: in the change log
    else:
        scenario.participants.remove(organization_id)
    return scenario


def scenario_join(
    *, scenario: Scenario, user: Actor, organization: Organization | int, today: datetime.date | None = None
) -> Scenario:
    """Add ``organization`` to the scenario's participants (an enterprise user: only its own)."""
    with transaction.atomic():
        return _scenario_membership(scenario, user, organization, joining=True, today=today)


def scenario_leave(*, scenario: Scenario, user: Actor, organization: Organization | int) -> Scenario:
    """Take ``organization`` off the scenario's participants."""
    with transaction.atomic():
        return _scenario_membership(scenario, user, organization, joining=False)


# -- the write rules of requests and messages (core.writes) ----------------------------------------


def _not_enterprise(user: Actor, obj: ServiceRequest) -> bool:
    return not is_enterprise_side(user=user)


def _on_filing_only(user: Actor, obj: ServiceRequest) -> bool:
    """The enterprise a request is for is chosen when it is filed; only admins move it later."""
    return obj.pk is None or scope_of(user) == Scope.EVERYTHING


def _filed_at_by_staff(user: Actor, obj: ServiceRequest) -> bool:
    """Staff may record when the enterprise asked while filing for it; afterwards only admins correct it."""
    return scope_of(user) == Scope.EVERYTHING or (obj.pk is None and not is_enterprise_side(user=user))


def _validate_request(request: ServiceRequest, *, user: Actor, created: bool) -> None:
    errors: dict[str, StrOrPromise] = {}
    if created and is_enterprise_side(user=user) and not acts_for(user=user, organization_id=request.enterprise_id):
        errors["enterprise"] = _("You may file requests only for your own enterprise.")
    staff_in_parks = not is_enterprise_side(user=user) and scope_of(user) == Scope.PARKS
    if (
        created
        and staff_in_parks
        and isinstance(user, User)
        and not user.scope_park_ids().filter(pk=request.park_id).exists()
    ):
        errors["park"] = _("You may file requests only in the parks you are assigned to.")
    assignee = request.assigned_to
    if assignee is not None and not _may_work_on(assignee, request):
        errors["assigned_to"] = _("%(user)s may not work on requests in this park.") % {"user": assignee}
    if errors:
        raise ValidationError(errors)


def _may_work_on(assignee: User, request: ServiceRequest) -> bool:
    if not assignee.is_active or is_enterprise_side(user=assignee) or not can(assignee, ServiceRequest, Action.CHANGE):
        return False
    if scope_of(assignee) == Scope.EVERYTHING:
        return True
    return bool(
        writes.remembered(  # the same answer for every request of the park in a bulk assignment
            ("may_work_on", assignee.pk, request.park_id),
            lambda: assignee.scope_park_ids().filter(pk=request.park_id).exists(),
        )
    )


def _request_saved(request: ServiceRequest, *, user: Actor, created: bool) -> None:
    request_assign_if_unrouted(request=request)
    if created:
        notify(EventKind.REQUEST_FILED, request, actor=user)


_WORKFLOW = writes.FieldGuard(
    _not_enterprise, _("The status, times and rating of a request follow its workflow; leave them empty.")
)
writes.register(
    ServiceRequest,
    guards={
        "enterprise": writes.FieldGuard(_on_filing_only, _("A request stays with the enterprise that filed it.")),
        "requested_at": writes.FieldGuard(
            _filed_at_by_staff, _("When a request was filed is recorded once, when it is filed.")
        ),
        "assigned_to": writes.FieldGuard(_not_enterprise, _("Service staff assign requests.")),
        **{name: _WORKFLOW for name in ("status", "responded_at", "resolved_at", "rating", "rating_comment")},
    },
    validate=_validate_request,
    after_save=_request_saved,
)


def _validate_message(message: RequestMessage, *, user: Actor, created: bool) -> None:
    if created and message.request_id and message.request.status not in OPEN_STATUSES:
        raise ValidationError({"request": _("The request is closed; file a new request to ask again.")})


def _message_before_save(message: RequestMessage, *, user: Actor, created: bool) -> None:
    if created and message.author_id is None and getattr(user, "is_authenticated", False):
        message.author = user


def _message_saved(message: RequestMessage, *, user: Actor, created: bool) -> None:
    if created:
        request_apply_message(message=message)


writes.register(
    RequestMessage,
    guards={"request": writes.FieldGuard(lambda user, msg: msg.pk is None, _("A message stays in its request."))},
    validate=_validate_message,
    before_save=_message_before_save,
    after_save=_message_saved,
)
