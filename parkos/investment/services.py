"""Investment writes with rules (moving projects through the pipeline) and the contact-cadence selectors."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkos.core import writes
from parkos.core.actors import Actor
from parkos.core.errors import NotFound
from parkos.core.permissions import Action, Scope, scope_of
from parkos.investment.models import Agreement, Contact, Project, Stage, StageChange
from parkos.users.models import User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: agreements that no longer need regular contact
CONTACT_NOT_NEEDED = (Agreement.Status.COMPLETED, Agreement.Status.TERMINATED)


# -- the pipeline -----------------------------------------------------------------------------


def ensure_stage_history(project: Project, user: Actor | None = None) -> StageChange | None:
    """Write a project's first StageChange (into its current stage, on its stage_since) if it has none.

    Call after creating a project through a generic form: the stage history is what time in stage
    and conversion are computed from, so every project needs its starting row. Returns the row
    written, or None when the project already had a history.
    """
    if StageChange.objects.filter(project=project).exists():
        return None
    return StageChange.objects.create(
        project=project,
        stage=project.stage,
        previous_stage="",
        date=project.stage_since or timezone.localdate(),
        user=user if isinstance(user, User) else None,
    )


def project_move(
    *,
    project: Project,
    stage: str,
    user: Actor,
    date: datetime.date | None = None,
    lost_reason: str = "",
) -> Project:
    """Move ``project`` into ``stage`` on ``date`` (today by default) and record the move in its stage history.

    Refuses (ValidationError naming the field) an unknown stage, a move into the stage the project
    is already in, a move to lost without a reason, and a date before the project entered its
    current stage or in the future. A project outside the user's scope answers NotFound, one the
    user may see but not change PermissionDenied. Returns the project as saved.
    """
    today = timezone.localdate()
    date = date or today
    lost_reason = (lost_reason or "").strip()
    with transaction.atomic():
        current: Project | None = (
            Project.objects.restrict(user, Action.CHANGE).select_for_update(of=("self",)).filter(pk=project.pk).first()
        )
        if current is None:
            if Project.objects.restrict(user, Action.VIEW).filter(pk=project.pk).exists():
                raise PermissionDenied(_("You may not change this project."))
            raise NotFound(_("No such project."))
        errors: dict[str, StrOrPromise] = {}
        if stage not in Stage.values:
            errors["stage"] = _("Choose one of the pipeline stages.")
        elif stage == current.stage:
            errors["stage"] = _("The project is already in this stage.")
        if stage == Stage.LOST and not lost_reason:
            errors["lost_reason"] = _("Say why the project was lost.")
        if date > today:
            errors["date"] = _("A move is dated today or earlier.")
        elif current.stage_since and date < current.stage_since:
            errors["date"] = _(
                "The project has been in its current stage since %(date)s; date the move on or after it."
            ) % {"date": current.stage_since.isoformat()}
        if errors:
            raise ValidationError(errors)

        ensure_stage_history(current, user)  # a project created without its first row gets it now
        previous = current.stage
        current.stage = stage
        current.stage_since = date
        current.lost_reason = lost_reason if stage == Stage.LOST else ""
        current.full_clean()
        current.save()
        StageChange.objects.create(
            project=current,
            stage=stage,
            previous_stage=previous,
            date=date,
            user=user if isinstance(user, User) else None,
        )
    # the caller's object reflects the move as well
    project.stage, project.stage_since, project.lost_reason = current.stage, current.stage_since, current.lost_reason
    return current


# -- regular contact on agreements ----------------------------------------------------------------


def with_last_contact(queryset: models.QuerySet[Agreement]) -> models.QuerySet[Agreement]:
    """Annotate ``last_contact_on``: the date of each agreement's latest contact (None if none).

    A subquery rather than Max over a join, so it combines with other annotations (the commitment
    counts of ``with_implementation``) without multiplying their rows.
    """
    latest = Contact.objects.filter(agreement=OuterRef("pk")).order_by("-date").values("date")[:1]
    return queryset.annotate(last_contact_on=Subquery(latest, output_field=models.DateField()))


def agreements_due_for_contact(
    queryset: models.QuerySet[Agreement], today: datetime.date | None = None
) -> models.QuerySet[Agreement]:
    """The agreements of ``queryset`` whose regular contact is overdue on ``today``.

    Overdue: the agreement has a contact cadence, is not completed or terminated, and its last
    contact (or, with none, its signing) is more than the cadence in days before ``today``. Contact
    exactly one cadence ago is due today, not yet overdue. All in SQL: the cut-off date is computed
    per cadence value in Python and picked with Case/When, which works the same on SQLite and
    PostgreSQL (no date arithmetic in the database).
    """
    today = today or timezone.localdate()
    cutoff = Case(
        *(
            When(contact_cadence=days, then=Value(today - datetime.timedelta(days=days)))
            for days in Agreement.Cadence.values
        ),
        default=Value(None),
        output_field=models.DateField(),
    )
    return (
        with_last_contact(queryset)
        .filter(contact_cadence__isnull=False)
        .exclude(status__in=CONTACT_NOT_NEEDED)
        .annotate(contact_since=Coalesce("last_contact_on", "signed_on"), contact_cutoff=cutoff)
        .filter(Q(contact_since__lt=models.F("contact_cutoff")))
    )


def contact_status(agreement: Agreement, today: datetime.date | None = None) -> dict[str, Any] | None:
    """When the next regular contact on ``agreement`` is due, and whether it is overdue.

    None when the agreement has no cadence, needs no contact any more (completed, terminated) or
    has nothing to count from (never contacted and not signed). Otherwise a dict with
    ``last_contact`` (a date or None), ``counted_from`` (last contact, else signing date),
    ``due_on`` (counted_from + cadence), ``overdue`` (bool: due_on is before today, the same rule
    as ``agreements_due_for_contact``), ``overdue_days`` and ``cadence`` (its label).
    Uses the ``last_contact_on`` annotation of ``with_last_contact`` when present (no query).
    """
    if not agreement.contact_cadence or agreement.status in CONTACT_NOT_NEEDED:
        return None
    today = today or timezone.localdate()
    if hasattr(agreement, "last_contact_on"):
        last_contact = agreement.last_contact_on
    else:
        last_contact = (
            Contact.objects.filter(agreement=agreement).order_by("-date").values_list("date", flat=True).first()
        )
    counted_from = last_contact or agreement.signed_on
    if counted_from is None:
        return None
    due_on = counted_from + datetime.timedelta(days=agreement.contact_cadence)
    overdue = due_on < today
    return {
        "last_contact": last_contact,
        "counted_from": counted_from,
        "due_on": due_on,
        "overdue": overdue,
        "overdue_days": (today - due_on).days if overdue else 0,
        "cadence": agreement.get_contact_cadence_display(),
    }


def agreement_mark_contacted(
    *,
    agreement: Agreement,
    user: Actor,
    date: datetime.date | None = None,
    kind: str = Contact.Kind.VISIT,
    subject: str = "",
) -> Contact:
    """Record a regular contact on ``agreement`` (the list's bulk "mark contacted"): its next contact
    is then counted from ``date``. An agreement completed or terminated needs no regular contact."""
    if agreement.status in CONTACT_NOT_NEEDED:
        raise ValidationError(
            {
                "status": _("A “%(status)s” agreement needs no regular contact.")
                % {"status": agreement.get_status_display()}
            }
        )
    contact = Contact(
        agreement=agreement,
        park_id=agreement.park_id,
        date=date or timezone.localdate(),
        kind=kind,
        subject=(subject or "").strip() or str(_("Regular contact on the agreement")),
    )
    return writes.save(contact, user=user, created=True)


# -- the write rules of the pipeline (core.writes) ---------------------------------------------


def _keeps_the_secret(user: Actor, project: Project) -> bool:
    """Only the owner and admins change who is in the know: team, owner, the confidential flag."""
    if project.pk is None or scope_of(user) == Scope.EVERYTHING:
        return True
    return user is not None and project.owner_id == user.pk


def _sees_the_secret(user: Actor, project: Project) -> bool:
    return project.pk is None or project.investor_visible_to(user)


def _project_saved(project: Project, *, user: Actor, created: bool) -> None:
    ensure_stage_history(project, user)


_SECRET_KEEPERS = writes.FieldGuard(
    _keeps_the_secret, _("Only the project's owner and admins change its team, owner and confidentiality.")
)
_CONFIDENTIAL = writes.FieldGuard(_sees_the_secret, _("Only the project team may change this confidential field."))

writes.register(
    Project,
    guards={
        "team": _SECRET_KEEPERS,
        "owner": _SECRET_KEEPERS,
        "is_confidential": _SECRET_KEEPERS,
        **{name: _CONFIDENTIAL for name in Project.confidential_fields},
        "stage": writes.FieldGuard(
            lambda user, project: project.pk is None,
            _("Move the project on the board (or POST to its move/ endpoint) to change its stage."),
        ),
    },
    after_save=_project_saved,
)
