"""The acting user's type, as services, selectors and permission checks take it."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from parkos.users.models import User

#: who acts: a signed-in user, or the anonymous one (whose scope is nothing)
Actor: TypeAlias = "User | AnonymousUser"
