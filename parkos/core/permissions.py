"""Who may do what to which rows: roles, their model permissions and their scope.

One rule, used by every channel (pages, API, search, export, import):
``Model.objects.restrict(user, action)`` keeps the rows ``user`` may ``action``.

A user's roles are Django groups named after ``ROLES``; the groups' model permissions say
which models a role may view, add, change or delete (``sync_roles`` keeps them in step with
this file after every migrate). The role's scope then narrows the rows:

- everything: the operator admin;
- parks: the staff roles see rows in the parks they are assigned to. Models marked
  ``shared_with_staff`` (the directory) are one shared registry that every staff role sees;
- organization: government partners and enterprise users see rows of their own organization.

Routing never drops work. A park-scoped role has a *fallback group* (the Django group
``fallback_group_name(role)``, e.g. ``evaluation_officer:fallback``, created by ``sync_roles`` and filled by
the operator admin in the user admin). Its members also cover every park that no active holder of the role
is assigned to, and the rows that reach no park at all: an appeal, service request or profile-change
proposal there would otherwise be read by the operator admin alone. The group only widens the park scope
of a role the user already holds; it grants no permission of its own.

Each model says how its rows reach a park and an organization through ``park_path`` and
``organization_path`` (see ``PrimaryModel``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from parkos.core.actors import Actor
    from parkos.core.models import PrimaryModel

#: a queryset of a model whose rows are scoped (its park_path and organization_path)
_QS = TypeVar("_QS", bound="QuerySet[PrimaryModel, Any]")


class Action(enum.StrEnum):
    VIEW = "view"
    ADD = "add"
    CHANGE = "change"
    DELETE = "delete"


ALL_ACTIONS = frozenset(Action)
READ = frozenset({Action.VIEW})
WRITE = frozenset({Action.VIEW, Action.ADD, Action.CHANGE})


class Scope(enum.IntEnum):
    """How far a role reaches; a user with several roles gets the widest."""

    NOTHING = 0
    ORGANIZATION = 1
    PARKS = 2
    EVERYTHING = 3


#: agreements with their parties, signatories, commitments, progress and documents, and the events they were
#: signed at: what government partners and enterprises see of what they are party to (not the pipeline)
AGREEMENTS_READ = {
    f"investment.{name}": READ
    for name in ("agreement", "party", "signatory", "commitment", "progress", "agreementdocument", "event")
}


@dataclass(frozen=True)
class Role:
    name: str
    label: str | StrPromise
    scope: Scope
    #: "app_label" or "app_label.model_name" -> actions; the most specific key wins
    grants: dict[str, frozenset[Action]] = field(default_factory=dict)
    description: str | StrPromise = ""

    def actions_on(self, app_label: str, model_name: str) -> frozenset[Action]:
        for key in (f"{app_label}.{model_name}", app_label, "*"):
            if key in self.grants:
                return self.grants[key]
        return frozenset()


ROLES: tuple[Role, ...] = (
    Role(
        "operator_admin",
        _("Operator admin"),
        Scope.EVERYTHING,
        {"*": ALL_ACTIONS},
        _("Users, roles, imports: everything."),
    ),
    Role(
        "investment_staff",
        _("Investment staff"),
        Scope.PARKS,
        {
            "directory": WRITE,
            "parks": READ,
            "investment": ALL_ACTIONS,
            "intake": ALL_ACTIONS,
            "compliance": ALL_ACTIONS,
            "leasing": READ,
            "services": READ,
            "policies": READ,
            "evaluation": READ,
            "land": READ,
        },
        _("Leads, projects, agreements and press intake in the parks they are assigned to."),
    ),
    Role(
        "park_manager",
        _("Park manager"),
        Scope.PARKS,
        {
            "directory": WRITE,
            "parks": ALL_ACTIONS,
            **AGREEMENTS_READ,
            "leasing": ALL_ACTIONS,
            "services": READ,
            "portal": WRITE,
            "evaluation": READ,
            "land": READ,
            "compliance": READ,
            "policies": READ,
        },
        _("Parcels, buildings and space units of their parks."),
    ),
    Role(
        "service_staff",
        _("Service staff"),
        Scope.PARKS,
        {
            "directory": READ,
            "parks": READ,
            "leasing": READ,
            "services": WRITE,
            "portal": WRITE,
            # the operator's policy office: policies, certifications, applications and their decisions
            "policies": ALL_ACTIONS,
        },
        _("Enterprise service requests routed to them, and the support policies enterprises apply for."),
    ),
    Role(
        "evaluation_officer",
        _("Evaluation officer"),
        Scope.PARKS,
        {
            "directory": READ,
            "parks": READ,
            "parks.landparcel": frozenset({Action.VIEW, Action.CHANGE}),
            "leasing": READ,
            "evaluation": ALL_ACTIONS,
            "land": ALL_ACTIONS,
            "compliance": READ,
            "policies": READ,
        },
        _("Indicator data, evaluations and inefficient land in the parks in scope."),
    ),
    Role(
        "government_partner",
        _("Government partner"),
        Scope.ORGANIZATION,
        {
            "directory.organization": READ,
            "directory.person": READ,
            "directory.position": READ,
            **AGREEMENTS_READ,
            # default-handling cases of the agreements it is party to
            "compliance": READ,
            # the policies it issues, the applications for them and what was paid
            "policies": READ,
        },
        _("What its own organization is party to, and aggregates."),
    ),
    Role(
        "enterprise_user",
        _("Enterprise user"),
        Scope.ORGANIZATION,
        {
            "directory.organization": READ,
            "directory.person": READ,
            "directory.position": READ,
            "parks.landparcel": READ,
            **AGREEMENTS_READ,
            # its own leases and sales, the service catalogue and scenarios, its own requests and proposals
            "leasing": READ,
            "services": READ,
            "services.servicerequest": WRITE,
            "services.servicedesk": frozenset(),  # who handles which aspect is staff business
            "services.requestmessage": WRITE,
            "portal": WRITE,
            # its own indicator filings and its own evaluation results
            "evaluation.indicatorfiling": WRITE,
            "evaluation.evaluationresult": READ,
            "evaluation.appeal": WRITE,
            # the policy catalogue, its own certifications, applications and their documents and payments
            "policies": READ,
            "policies.application": WRITE,
            "policies.applicationdocument": WRITE,
        },
        _("Its own enterprise only."),
    ),
)
ROLES_BY_NAME = {role.name: role for role in ROLES}


def permission_name(model: type[Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


FALLBACK_SUFFIX = ":fallback"


def fallback_group_name(role: Role | str) -> str:
    """The group whose members take the work of the parks no holder of ``role`` covers (see the module doc)."""
    return f"{role.name if isinstance(role, Role) else role}{FALLBACK_SUFFIX}"


def _group_names(user: Actor) -> set[str]:
    """The names of the user's groups, read once per user object."""
    cached: set[str] | None = getattr(user, "_parkos_groups", None)
    if cached is None:
        cached = {g.name for g in user.groups.all()} if user.pk else set()
        user._parkos_groups = cached  # type: ignore[union-attr]  # a per-object cache, not a field
    return cached


def roles_of(user: Actor | None) -> list[Role]:
    """The user's roles, read once per user object."""
    if user is None or not user.is_authenticated:
        return []
    names = _group_names(user)
    return [ROLES_BY_NAME[n] for n in sorted(names) if n in ROLES_BY_NAME]


def fallback_roles_of(user: Actor | None) -> list[Role]:
    """The park-scoped roles the user holds and is in the fallback group of (read with the roles, no query)."""
    names = _group_names(user) if user is not None and user.is_authenticated else set()
    return [role for role in roles_of(user) if role.scope == Scope.PARKS and fallback_group_name(role) in names]


def scope_of(user: Actor | None) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope.NOTHING
    if user.is_superuser:
        return Scope.EVERYTHING
    return max((role.scope for role in roles_of(user)), default=Scope.NOTHING)


def can(user: Actor | None, model: type[Model], action: str) -> bool:
    """Model-level check: may the user perform ``action`` on some rows of ``model``?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(permission_name(model, action))


def _through(model: type[Model], path: str, values: QuerySet[Any, Any]) -> Q:
    if path == "":
        return Q(pk__in=values)
    if crosses_many(model, path):
        # A to-many path would repeat rows; a subquery on the primary key keeps each once.
        return Q(pk__in=model._base_manager.filter(**{f"{path}__in": values}).values("pk"))
    return Q(**{f"{path}__in": values})


def organization_paths(model: type[Model]) -> tuple[str, ...]:
    """The lookups from ``model`` to the organizations whose users may see a row: ``organization_path`` may be
    one lookup or several (an application is seen by its applicant and by the policy's issuer)."""
    path = getattr(model, "organization_path", None)
    if path is None:
        return ()
    return (path,) if isinstance(path, str) else tuple(path)


def may_reach_no_park(model: type[Model], path: str) -> bool:
    """Whether a row can reach no park through ``path`` (a nullable or to-many step): a fallback's rows too."""
    current: type[Model] | str | None = model
    for part in path.split("__"):
        assert isinstance(current, type), f"{path}: {part} is reached through no model"
        f = current._meta.get_field(part)
        if f.many_to_many or f.one_to_many or getattr(f, "null", False):
            return True
        current = f.related_model
    return False


def crosses_many(model: type[Model], path: str) -> bool:
    current: type[Model] | str | None = model
    for part in path.split("__"):
        assert isinstance(current, type), f"{path}: {part} is reached through no model"
        f = current._meta.get_field(part)
        if f.many_to_many or f.one_to_many:
            return True
        current = f.related_model
    return False


def restrict(queryset: _QS, user: Actor | None, action: str = Action.VIEW) -> _QS:
    """The rows of ``queryset`` that ``user`` may ``action``: the single permission rule."""
    model = queryset.model
    if user is None or not user.is_authenticated or not can(user, model, action):
        return queryset.none()
    scope = scope_of(user)
    if scope == Scope.EVERYTHING:
        return queryset
    if getattr(model, "shared_with_all", False):
        return queryset  # a catalogue every role that may view the model reads whole (enterprise services)
    if scope == Scope.PARKS:
        if getattr(model, "shared_with_staff", False):
            return queryset
        if model.park_path is None:
            return queryset.none()
        reach = _through(model, model.park_path, user.scope_park_ids())
        if model.park_path and may_reach_no_park(model, model.park_path) and fallback_roles_of(user):
            reach |= ~Q(pk__in=model._base_manager.filter(**{f"{model.park_path}__isnull": False}).values("pk"))
        return queryset.filter(reach)
    if scope == Scope.ORGANIZATION:
        paths = organization_paths(model)
        if not paths:
            return queryset.none()
        ids = user.scope_organization_ids()
        reach = Q()
        for path in paths:
            reach |= _through(model, path, ids)
        return queryset.filter(reach)
    return queryset.none()


def sync_roles(**kwargs: Any) -> None:
    """Create a group per role and give it exactly the model permissions ROLES grants.

    Runs after every migrate, so a new model's permissions reach the roles without a manual step.
    """
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    models = [m for m in apps.get_models() if m.__module__.startswith("parkos.")]
    perms = {(p.content_type.app_label, p.codename): p for p in Permission.objects.select_related("content_type")}
    for role in ROLES:
        if role.scope == Scope.PARKS:
            Group.objects.get_or_create(name=fallback_group_name(role))  # membership only: no permission
        group, _created = Group.objects.get_or_create(name=role.name)
        wanted = []
        for model in models:
            meta = model._meta
            for action in role.actions_on(meta.app_label, str(meta.model_name)):
                perm = perms.get((meta.app_label, f"{action}_{meta.model_name}"))
                if perm is not None:
                    wanted.append(perm)
        group.permissions.set(wanted)
