"""The steps of a default case, each a typed service that checks it follows the one before.

opened --case_warn--> warning --case_start_rectification--> rectification (deadline after today)
--case_settle--> settlement (repayment or penalty with an amount over 0, or land bought back or
transferred, which may open a disposal case on the parcel the enterprise holds in the agreement's
park) --case_close--> closed (settled). ``case_close(outcome="cured")`` closes a case at any stage
before: the commitment was met after all.

Every step saves through ``core.writes`` (so the change log records it) and raises ValidationError
with the field at fault. ``case_open_for_missed`` is what the reconciliation's ``commitment_missed``
signal calls (connected in ``compliance.receivers``): one case per commitment and year; sent again, it
updates the figures of the open case.
"""

from __future__ import annotations

import contextlib
import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from parkos.compliance.models import DefaultCase
from parkos.core import writes
from parkos.core.actors import Actor
from parkos.core.changelog import change_context, current_context
from parkos.core.permissions import Action, can
from parkos.investment.models import Commitment
from parkos.land.models import DisposalCase
from parkos.parks.models import LandParcel
from parkos.users.models import User

Stage = DefaultCase.Stage
Kind = DefaultCase.SettlementKind
Outcome = DefaultCase.Outcome

#: the reconciliation run by the schedule acts as nobody; its writes are checked as an operator's (never saved)
_SYSTEM = User(username="parkos-reconciliation", is_superuser=True, is_active=True)
#: the disposal path a land settlement opens
DISPOSAL_PATH = {Kind.LAND_BUY_BACK: DisposalCase.Path.BUY_BACK, Kind.LAND_TRANSFER: DisposalCase.Path.TRANSFER}


def _locked(case: DefaultCase) -> DefaultCase:
    return writes.locked(case) or DefaultCase.objects.select_for_update().get(pk=case.pk)


def _expect(case: DefaultCase, stage: str, step: str) -> None:
    """Refuse a step taken out of order (no skipping, no going back)."""
    if case.stage != stage:
        raise ValidationError(
            {
                "stage": _("%(step)s needs a case at “%(needed)s”; this one is at “%(stage)s”.")
                % {"step": step, "needed": Stage(stage).label, "stage": case.get_stage_display()}
            }
        )


def _add_note(case: DefaultCase, day: datetime.date, label: object, note: str) -> None:
    if note.strip():
        line = f"{day:%Y-%m-%d} {label}: {note.strip()}"
        case.notes = f"{case.notes}\n{line}".strip()


def _day(value: datetime.date | None) -> datetime.date:
    return value or timezone.localdate()


# --- opening ---------------------------------------------------------------------------------------


@transaction.atomic
def case_open_for_missed(
    *,
    commitment: Commitment,
    year: int,
    target: Decimal | None,
    actual: Decimal | None,
    gap: Decimal | None = None,
    source: str = "",
    user: Actor | None = None,
) -> tuple[DefaultCase, bool]:
    """The case of ``commitment`` missed in ``year``: opened at the first call, its figures updated at the next
    (while it is not closed). Returns the case and whether it was opened now."""
    # The case is the reconciliation's consequence, whoever ran it (someone who may not handle cases, too): it is
    # written as the system, and the change log names the user who ran it. That user owns it if they may handle it.
    actor: Any = _SYSTEM
    runner = user if user is not None and user.is_authenticated else None
    handler = runner if runner is not None and can(runner, DefaultCase, Action.CHANGE) else None
    if gap is None and target is not None and actual is not None:
        gap = Decimal(target) - Decimal(actual)
    in_context = current_context() is not None
    context = contextlib.nullcontext() if in_context else change_context(user=runner, source="system")
    with context:
        case = DefaultCase.objects.select_for_update().filter(commitment=commitment, year=year).first()
        if case is None:
            case = DefaultCase(
                commitment=commitment,
                agreement_id=commitment.agreement_id,
                year=year,
                target=target,
                actual=actual,
                gap=gap,
                source=source[:40],
                owner=handler or _default_owner(commitment),
            )
            return writes.save(case, user=actor, created=True), True
        if not case.is_closed and (case.target, case.actual, case.gap, case.source) != (target, actual, gap, source):
            case.target, case.actual, case.gap, case.source = target, actual, gap, source[:40]
            writes.save(case, user=actor, created=False)
        return case, False


def _default_owner(commitment: Commitment) -> User | None:
    """Who follows a case the schedule opened: the owner of the agreement's project, if it has one."""
    project = commitment.agreement.project
    return project.owner if project is not None else None


# --- the steps -------------------------------------------------------------------------------------


@transaction.atomic
def case_warn(*, case: DefaultCase, user: Actor, on: datetime.date | None = None, note: str = "") -> DefaultCase:
    """Issue the warning notice to the party that missed its commitment."""
    case = _locked(case)
    _expect(case, Stage.OPEN, _("Issuing a warning"))
    day = _day(on)
    if day < case.opened_on:
        raise ValidationError({"on": _("A warning cannot come before the case opened.")})
    case.stage, case.warned_on = Stage.WARNING, day
    _add_note(case, day, Stage.WARNING.label, note)
    return writes.save(case, user=user, created=False)


@transaction.atomic
def case_start_rectification(
    *, case: DefaultCase, user: Actor, deadline: datetime.date | None, on: datetime.date | None = None, note: str = ""
) -> DefaultCase:
    """Give the party until ``deadline`` (after today) to put things right."""
    case = _locked(case)
    _expect(case, Stage.WARNING, _("Starting rectification"))
    today = timezone.localdate()
    if deadline is None:
        raise ValidationError({"deadline": _("Give the rectification deadline.")})
    if deadline <= today:
        raise ValidationError({"deadline": _("The deadline must be after today.")})
    day = _day(on)
    case.stage, case.rectification_started_on, case.rectification_deadline = Stage.RECTIFICATION, day, deadline
    _add_note(case, day, Stage.RECTIFICATION.label, note)
    return writes.save(case, user=user, created=False)


def parcels_for(case: DefaultCase) -> QuerySet[LandParcel]:
    """The parcels a land settlement can take: those the promising party holds in the agreement's park."""
    commitment = case.commitment
    return LandParcel.objects.filter(park_id=case.agreement.park_id, holder_id=commitment.party.organization_id)


@transaction.atomic
def case_settle(
    *,
    case: DefaultCase,
    user: Actor,
    kind: str,
    amount: Decimal | None = None,
    currency: str = "CNY",
    parcel: LandParcel | None = None,
    on: datetime.date | None = None,
    note: str = "",
) -> DefaultCase:
    """Decide the settlement after rectification: a repayment or penalty (amount over 0), or land bought back or
    transferred; with ``parcel``, a disposal case is opened on it and linked from the case."""
    case = _locked(case)
    _expect(case, Stage.RECTIFICATION, _("Settling"))
    if kind not in Kind.values:
        raise ValidationError(
            {
                "kind": _("Choose a settlement: %(choices)s.")
                % {"choices": ", ".join(str(label) for label in Kind.labels)}
            }
        )
    if kind in DefaultCase.MONEY_KINDS:
        if amount is None or amount <= 0:
            raise ValidationError({"amount": _("Give an amount over 0.")})
        case.settlement_amount, case.settlement_currency = amount, currency or "CNY"
    else:
        if amount is not None:
            raise ValidationError({"amount": _("Only a repayment or a penalty has an amount.")})
        case.settlement_amount, case.settlement_currency = None, ""
    if parcel is not None:
        _check_parcel(case, user, parcel, kind)
    day = _day(on)
    case.stage, case.settled_on, case.settlement_kind = Stage.SETTLEMENT, day, kind
    _add_note(case, day, Kind(kind).label, note)
    writes.save(case, user=user, created=False)
    if parcel is not None:
        case = case_open_disposal(case=case, user=user, parcel=parcel)
    return case


def _check_parcel(case: DefaultCase, user: Actor, parcel: LandParcel, kind: str) -> None:
    """A disposal case opens only after a land settlement, on a parcel of the party, by who may open one."""
    if kind not in DefaultCase.LAND_KINDS:
        raise ValidationError({"parcel": _("Only a land buy-back or transfer opens a disposal case.")})
    if not parcels_for(case).filter(pk=parcel.pk).exists():
        raise ValidationError(
            {"parcel": _("The party holds no such parcel in the agreement's park: choose one of its parcels.")}
        )
    if not can(user, DisposalCase, Action.ADD):
        raise PermissionDenied(_("Opening a disposal case needs the right to add disposal cases."))


@transaction.atomic
def case_open_disposal(*, case: DefaultCase, user: Actor, parcel: LandParcel) -> DefaultCase:
    """Open a disposal case (buy-back or transfer, by the settlement) on ``parcel`` and link it from the case.

    Land is worked by those who may open disposal cases (evaluation officers in their parks), who read default
    cases but do not handle them: the link is written on their behalf (the change log still names them)."""
    from parkos.land import services as land

    case = _locked(case)
    if case.disposal_case_id is not None:
        raise ValidationError({"parcel": _("This case already has its disposal case.")})
    if case.stage not in (Stage.SETTLEMENT, Stage.CLOSED):
        _expect(case, Stage.SETTLEMENT, _("Opening a disposal case"))
    _check_parcel(case, user, parcel, case.settlement_kind)
    note = _("Opened from default case %(case)s.") % {"case": case.reference}
    disposal = land.case_open(
        parcel=parcel, path=DISPOSAL_PATH[Kind(case.settlement_kind)], user=user, owner=case.owner, notes=note
    )
    case.disposal_case = disposal
    may_handle = DefaultCase.objects.restrict(user, Action.CHANGE).filter(pk=case.pk).exists()
    return writes.save(case, user=user if may_handle else _SYSTEM, created=False)


@transaction.atomic
def case_close(
    *,
    case: DefaultCase,
    user: Actor,
    outcome: str = Outcome.SETTLED,
    on: datetime.date | None = None,
    note: str = "",
) -> DefaultCase:
    """Close a settled case, or close a case at any stage as cured (the commitment met after all: say how in
    ``note`` unless the commitment is recorded as met)."""
    case = _locked(case)
    if case.is_closed:
        raise ValidationError({"stage": _("This case was already closed on %(day)s.") % {"day": case.closed_on}})
    if outcome not in Outcome.values:
        raise ValidationError(
            {
                "outcome": _("Choose an outcome: %(choices)s.")
                % {"choices": ", ".join(str(label) for label in Outcome.labels)}
            }
        )
    if outcome == Outcome.SETTLED:
        _expect(case, Stage.SETTLEMENT, _("Closing as settled"))
    elif case.commitment.met_on is None and not note.strip():
        raise ValidationError({"note": _("Say how the commitment was met: it is not recorded as met.")})
    day = _day(on)
    if day < case.opened_on:
        raise ValidationError({"on": _("A case cannot close before it opened.")})
    case.stage, case.closed_on, case.outcome = Stage.CLOSED, day, outcome
    _add_note(case, day, Outcome(outcome).label, note)
    return writes.save(case, user=user, created=False)
