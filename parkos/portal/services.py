"""Portal writes with rules: an enterprise proposes changes to its profile, staff approve or reject them."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkos.core import writes
from parkos.core.actors import Actor
from parkos.core.changelog import change_context, current_user
from parkos.core.errors import NotFound
from parkos.core.permissions import Action, Scope, can, scope_of
from parkos.directory.models import Organization
from parkos.notifications.models import EventKind
from parkos.notifications.services import notify
from parkos.portal.models import PROFILE_FIELDS, ProfileChangeRequest, json_value, profile_errors, profile_field
from parkos.users.models import User


def may_review(*, user: Actor) -> bool:
    """Staff review proposals (in their parks); an enterprise never reviews its own."""
    return can(user, ProfileChangeRequest, Action.CHANGE) and scope_of(user) >= Scope.PARKS


@contextlib.contextmanager
def _acting_as(user: Actor) -> Iterator[None]:
    """Record the changes made inside under ``user`` (a page request already does; a command or test may not)."""
    if current_user() == user:
        yield
    else:
        with change_context(user=user, source="system"):
            yield


def profile_change_propose(
    *, organization: Organization, user: Actor, changes: dict[str, Any], note: str = ""
) -> ProfileChangeRequest:
    """File a proposal to change ``organization``'s profile; only the fields whose value differs are kept.

    ``changes`` maps profile fields (PROFILE_FIELDS) to new values (text, dates, an Industry or its ID).
    Refuses with a ValidationError per field a field outside the whitelist, a value the Organization model
    would refuse, and a proposal that changes nothing. The user must be able to add proposals for
    ``organization`` (an enterprise user: only its own).
    """
    if not Organization.objects.restrict(user, Action.VIEW).filter(pk=organization.pk).exists():
        raise NotFound(_("No such organization."))
    if not can(user, ProfileChangeRequest, Action.ADD):
        raise PermissionDenied(_("You may not propose profile changes."))
    stored: dict[str, Any] = {}
    for name, value in changes.items():
        stored[name] = json_value(name, value) if name in PROFILE_FIELDS else value
    errors = profile_errors(organization, stored)
    if errors:
        raise ValidationError(errors)
    current = {name: json_value(name, getattr(organization, name)) for name in stored}
    stored = {name: value for name, value in stored.items() if _normalised(name, value) != current[name]}
    if not stored:
        raise ValidationError(_("Nothing differs from the current profile: change at least one field."))
    with transaction.atomic(), _acting_as(user):
        proposal = ProfileChangeRequest(
            organization=organization, changes=stored, note=note.strip(), proposed_by=cast(User, user)
        )
        proposal.full_clean()
        proposal.save()
        if not ProfileChangeRequest.objects.restrict(user, Action.ADD).filter(pk=proposal.pk).exists():
            raise PermissionDenied(_("You may only propose changes to your own organization's profile."))
        notify(EventKind.PROPOSAL_WAITING, proposal, actor=user)
    return proposal


def _normalised(name: str, value: Any) -> Any:
    """A proposed value as the model would store it, to compare with the current one."""
    field = profile_field(name)
    if field.is_relation:
        return None if value in (None, "") else cast("models.ForeignKey[Any, Any]", field).target_field.to_python(value)
    return json_value(name, field.to_python(value))


def _reviewable(request: ProfileChangeRequest, user: Actor) -> ProfileChangeRequest:
    if not ProfileChangeRequest.objects.restrict(user, Action.VIEW).filter(pk=request.pk).exists():
        raise NotFound(_("No such proposal."))
    if not may_review(user=user):
        raise PermissionDenied(_("Only staff review profile change proposals."))
    locked: ProfileChangeRequest | None = (
        ProfileChangeRequest.objects.restrict(user, Action.CHANGE)
        .select_for_update(of=("self",))
        .filter(pk=request.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("You may not review this proposal."))
    if not locked.is_pending:
        raise ValidationError(
            _("This proposal was already %(status)s.") % {"status": locked.get_status_display().lower()}
        )
    return locked


def profile_change_approve(*, request: ProfileChangeRequest, user: Actor, note: str = "") -> ProfileChangeRequest:
    """Apply a pending proposal to its organization and mark it approved, in one transaction.

    The organization is saved the ordinary way, so its history records the change under ``user``.
    A value that no longer validates (the profile changed meanwhile) refuses the approval with the
    field's message; nothing is written then.
    """
    with transaction.atomic(), _acting_as(user):
        proposal = _reviewable(request, user)
        organization = Organization.objects.select_for_update().get(pk=proposal.organization_id)
        errors = profile_errors(organization, proposal.changes)
        if errors:
            raise ValidationError(errors)
        for name, value in proposal.changes.items():
            field = profile_field(name)
            if field.is_relation:
                setattr(organization, field.attname, _normalised(name, value))
            else:
                setattr(organization, name, field.to_python(value) if value is not None else "")
        organization.full_clean()
        organization.save()
        proposal.status = ProfileChangeRequest.Status.APPROVED
        proposal.reviewed_by = cast(User, user)
        proposal.reviewed_at = timezone.now()
        proposal.review_note = note.strip()
        proposal.save()
        notify(EventKind.PROPOSAL_DECIDED, proposal, actor=user)
    _refresh(request, proposal)
    return proposal


def profile_change_reject(*, request: ProfileChangeRequest, user: Actor, note: str) -> ProfileChangeRequest:
    """Mark a pending proposal rejected, saying why; the organization is left as it is."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"review_note": _("Say why the proposal is rejected, so the enterprise can correct it.")})
    with transaction.atomic(), _acting_as(user):
        proposal = _reviewable(request, user)
        proposal.status = ProfileChangeRequest.Status.REJECTED
        proposal.reviewed_by = cast(User, user)
        proposal.reviewed_at = timezone.now()
        proposal.review_note = note
        proposal.save()
        notify(EventKind.PROPOSAL_DECIDED, proposal, actor=user)
    _refresh(request, proposal)
    return proposal


def _refresh(target: ProfileChangeRequest, source: ProfileChangeRequest) -> None:
    for name in ("status", "reviewed_by", "reviewed_at", "review_note"):
        setattr(target, name, getattr(source, name))


def _proposal_before_save(proposal: ProfileChangeRequest, *, user: Actor, created: bool) -> None:
    """Who proposed is whoever filed it, in every channel."""
    if created and proposal.proposed_by_id is None and getattr(user, "is_authenticated", False):
        proposal.proposed_by = cast(User, user)


def _proposal_saved(proposal: ProfileChangeRequest, *, user: Actor, created: bool) -> None:
    if created:
        notify(EventKind.PROPOSAL_WAITING, proposal, actor=user)


writes.register(ProfileChangeRequest, before_save=_proposal_before_save, after_save=_proposal_saved)
