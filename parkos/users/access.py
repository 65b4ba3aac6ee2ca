"""Keeps ``User.access_version`` in step with what a user may do and see, so cached grants never outlive a change.

Every page keeps the user's permissions, roles and menu across requests in each server process
(parkos.core.access), keyed on the user's row as read for the request (``access_version`` among it). Whatever
those depend on bumps the version of the users it touches, in the database, so the next request of every
process reads the new version with the user and builds afresh:

- the user's groups, own permissions, parks and organizations (m2m changes, either side);
- a group's permissions, a group or a permission saved or deleted (every user: rare, operator work or migrate);
- a government organization's kind or district (the menu of its partners: cockpit and map entries), or the
  organization deleted (its users lose it without an m2m signal).

The user's own fields the cache depends on (active, superuser) are part of the key, so a save of them needs no
bump. Bulk writes that send no signals (through-model ``bulk_create``, ``QuerySet.update`` of groups) must call
``bump_users`` themselves.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from parkos.users.models import User

#: the m2m relations of a user that its grants, roles, scope or menu read
USER_RELATIONS = ("groups", "user_permissions", "parks", "organizations")


def bump_users(user_ids: Iterable[int] | None = None) -> None:
    """A new ``access_version`` for these users (every user when None): their cached grants are stale.

    A random value, not a count: a bump rolled back with its transaction and followed by another change
    must not bring back a version some process has kept the rolled-back grants under."""
    users = User._base_manager.all()
    if user_ids is not None:
        ids = list(user_ids)
        if not ids:
            return
        users = users.filter(pk__in=ids)
    users.update(access_version=secrets.randbits(62) + 1)


def _user_m2m_changed(
    sender: Any, instance: Any, action: str, reverse: bool, model: Any, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "pre_clear", "post_clear"):
        return
    if not reverse:  # user.groups.add(...): the user changed
        if action != "pre_clear":
            bump_users([instance.pk])
        return
    # group.user_set.add(...), organization.users.clear(): the users on the other side
    if action == "pre_clear":
        bump_users(
            sender.objects.filter(**{_target_column(sender, instance): instance.pk}).values_list("user_id", flat=True)
        )
    elif action != "post_clear":
        bump_users(pk_set or ())


def _target_column(through: Any, instance: Any) -> str:
    """The through model's foreign key to ``instance``'s model (the side that is not the user)."""
    for field in through._meta.get_fields():
        if getattr(field, "related_model", None) is type(instance):
            return f"{field.name}_id"
    raise LookupError(f"{through} has no key to {type(instance)}")


def _everyone(sender: Any, **kwargs: Any) -> None:
    """A group's permissions or name, a permission: every holder's grants (rare: operator work, migrate)."""
    if kwargs.get("raw"):
        return
    action = kwargs.get("action")
    if action is not None and action not in ("post_add", "post_remove", "post_clear"):
        return
    bump_users()


def _organization_before(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """What the menu reads of an organization (kind, district), as stored before this save."""
    if raw or instance.pk is None:
        return
    before = getattr(instance, "_changelog_before", None)  # the change log read it in its pre_save
    if before is not None and "kind" in before and "district" in before:
        instance._access_before = (before["kind"], before["district"])
    else:
        row = sender._base_manager.filter(pk=instance.pk).values_list("kind", "district").first()
        instance._access_before = tuple(row) if row else None


def _organization_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw or created:
        return  # a new organization has no users yet
    before = getattr(instance, "_access_before", None)
    government = sender.Kind.GOVERNMENT
    if before == (instance.kind, instance.district) or (
        before and before[0] != government and instance.kind != government
    ):
        return  # nothing a menu reads changed (only a government body's district reaches a partner's menu)
    bump_users(User.organizations.through.objects.filter(organization_id=instance.pk).values_list("user_id", flat=True))


def _organization_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    bump_users(User.organizations.through.objects.filter(organization_id=instance.pk).values_list("user_id", flat=True))


def connect() -> None:
    """Connected once by the users app (``UsersConfig.ready``)."""
    from parkos.directory.models import Organization

    for name in USER_RELATIONS:
        m2m_changed.connect(_user_m2m_changed, sender=getattr(User, name).through, dispatch_uid=f"users.access.{name}")
    m2m_changed.connect(_everyone, sender=Group.permissions.through, dispatch_uid="users.access.group_permissions")
    for model in (Group, Permission):
        post_save.connect(_everyone, sender=model, dispatch_uid=f"users.access.save.{model.__name__}")
        post_delete.connect(_everyone, sender=model, dispatch_uid=f"users.access.delete.{model.__name__}")
    pre_save.connect(_organization_before, sender=Organization, dispatch_uid="users.access.organization_before")
    post_save.connect(_organization_saved, sender=Organization, dispatch_uid="users.access.organization_saved")
    pre_delete.connect(_organization_deleted, sender=Organization, dispatch_uid="users.access.organization_deleted")
