"""Portal reads with rules: whose enterprise page this is, and what it shows."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from parkos.core.actors import Actor
from parkos.core.permissions import Action, Scope, roles_of, scope_of
from parkos.directory.models import Organization
from parkos.portal.models import ProfileChangeRequest


def is_enterprise_user(user: Actor) -> bool:
    """An enterprise's own account (and nothing wider): it lands on its enterprise page."""
    return scope_of(user) == Scope.ORGANIZATION and any(role.name == "enterprise_user" for role in roles_of(user))


def enterprises_of(user: Actor) -> QuerySet[Organization]:
    """The organizations whose enterprise page ``user`` sees: its own, as far as it may see them."""
    if isinstance(user, AnonymousUser) or not is_enterprise_user(user):
        return Organization.objects.none()
    return Organization.objects.restrict(user, Action.VIEW).filter(pk__in=user.organizations.values("pk"))


def proposals_of(organization: Organization, user: Actor) -> QuerySet[ProfileChangeRequest]:
    return (
        ProfileChangeRequest.objects.restrict(user, Action.VIEW)
        .filter(organization=organization)
        .select_related("organization", "reviewed_by")
    )


def pending_proposals(user: Actor) -> QuerySet[ProfileChangeRequest]:
    """The review queue: proposals waiting for a decision that ``user`` may decide."""
    return (
        ProfileChangeRequest.objects.restrict(user, Action.CHANGE)
        .filter(status=ProfileChangeRequest.Status.PENDING)
        .select_related("organization")
    )
