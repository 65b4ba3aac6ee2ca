"""Inefficient land: the rules that flag parcels, and the services that open and close disposal cases.

The parcel's status follows one rule, written here and nowhere else:

- flagged (by a run or by hand): ``inefficient``;
- a disposal case opened: ``under_disposal``;
- the case closed: by its outcome. "Land returned" makes the parcel ``idle``, which is what
  *available for investment promotion* means in ParkOS (the parcel list's ``?status=idle`` and the
  available-land page); after a buy-back or a take-over into the land reserve the holder is
  cleared too, since the land went back. "In efficient use" and "withdrawn" make it ``in_use``;
  "redeveloped" makes it ``redeveloped``.

Flags from a run follow the rules in ``FlagRules``: set per scheme in the setting
``PARKOS_INEFFICIENT_LAND_RULES`` (``{"*": {...}, "<scheme name>": {...}}``), defaults below.
Each writes its flags in bulk and records them, and the status changes, in the change log.

What a flag or a case brings with it when it is created (the parcel's status) is registered once
with the write path (``core.writes``) at the end of this module, so the add form, the API, an
import and the services below all do the same; the app config imports this module at start.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from parkos.core import writes
from parkos.core.actors import Actor
from parkos.core.changelog import flush_changes, log_bulk_create, update_logged
from parkos.core.models import ObjectChange
from parkos.evaluation.models import AreaResult, EvaluationResult, EvaluationRun
from parkos.land.models import DisposalCase, ParcelFlag
from parkos.parks.models import LandParcel
from parkos.users.models import User

Status = LandParcel.Status
Reason = ParcelFlag.Reason
Outcome = DisposalCase.Outcome
Path = DisposalCase.Path

#: parcels a run may (re)flag: not those already being worked off or already redeveloped
FLAGGABLE = (Status.IN_USE, Status.IDLE, Status.INEFFICIENT)
#: what a closed case does to its parcel's status (see the module docstring)
STATUS_AFTER: dict[str, str] = {
    Outcome.RETURNED: Status.IDLE,
    Outcome.IN_USE: Status.IN_USE,
    Outcome.WITHDRAWN: Status.IN_USE,
    Outcome.REDEVELOPED: Status.REDEVELOPED,
}
#: the outcome a case's path usually ends in, offered first when it is closed
USUAL_OUTCOME: dict[str, str] = {
    Path.UPGRADE: Outcome.IN_USE,
    Path.BUY_BACK: Outcome.RETURNED,
    Path.TRANSFER: Outcome.IN_USE,
    Path.LAND_RESERVE: Outcome.RETURNED,
    Path.REDEVELOPMENT: Outcome.REDEVELOPED,
    Path.RE_LEASING: Outcome.RETURNED,
}
#: paths after which returned land has no holder any more (the operator or the land reserve took it back)
TAKEN_BACK = (Path.BUY_BACK, Path.LAND_RESERVE)


@dataclass(frozen=True)
class FlagRules:
    """When a run puts a parcel on the inefficient-land list. A rule set to None is off.

    ``grades``: the holder's grade in the run is one of these (the bottom grade, "D");
    ``min_tax_per_mu``: the parcel's tax per mu in the run (CNY, totals over totals) is under this;
    ``idle_years``: the parcel has a holder and has been idle this many years (China's measures on
    idle land allow recovery after two);
    ``min_plot_ratio``: an industrial parcel in use has less floor area per land area than this
    (national control indicators for industrial land set 0.6 to 1.0 by industry).
    """

    grades: tuple[str, ...] | None = ("D",)
    min_tax_per_mu: Decimal | None = Decimal("50000")
    idle_years: int | None = 2
    min_plot_ratio: Decimal | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FlagRules:
        """Rules from settings or a file; a bad entry raises ValueError naming it."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(_("Unknown inefficient-land rule: %(names)s.") % {"names": ", ".join(unknown)})
        values: dict[str, Any] = {}
        for name, value in data.items():
            if value is None:
                values[name] = None
            elif name == "grades":
                if isinstance(value, str) or not all(isinstance(g, str) and g for g in value):
                    raise ValueError(_("Rule 'grades' must be a list of grades, e.g. [\"D\"]."))
                values[name] = tuple(value)
            elif name == "idle_years":
                if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                    raise ValueError(_("Rule 'idle_years' must be a whole number of years, at least 1."))
                values[name] = value
            else:
                try:
                    number = Decimal(str(value))
                except ArithmeticError:
                    number = None
                if number is None or not number.is_finite() or number < 0:
                    raise ValueError(_("Rule '%(name)s' must be a number of at least 0.") % {"name": name})
                values[name] = number
        return cls(**values)


def rules_for(*, scheme_name: str = "") -> FlagRules:
    """The rules for runs of a scheme: the defaults, then the setting's "*" entry, then the scheme's own."""
    configured = getattr(settings, "PARKOS_INEFFICIENT_LAND_RULES", {}) or {}
    return FlagRules.from_dict({**configured.get("*", {}), **configured.get(scheme_name, {})})


# --- change-logged status updates ------------------------------------------------------------------


def _set_parcel_status(parcels: Iterable[LandParcel], status: str, **extra: Any) -> int:
    """Set ``status`` (and ``extra`` fields) on ``parcels`` in one UPDATE, each change in the change log."""
    return update_logged(parcels, status=status, **extra)


def _fresh(parcel: LandParcel) -> LandParcel:
    """The caller's own parcel object, with the status and holder as stored (so the caller sees the change)."""
    parcel.refresh_from_db(fields=["status", "holder"])
    return parcel


def _save_status(parcel: LandParcel, status: str, **extra: Any) -> None:
    """One parcel's status change through save(), so the change log records it like any edit."""
    changed = parcel.status != status or any(getattr(parcel, k) != v for k, v in extra.items())
    if changed:
        parcel.status = status
        for name, value in extra.items():
            setattr(parcel, name, value)
        parcel.save(update_fields=["status", "last_updated", *extra])


# --- flags -----------------------------------------------------------------------------------------


def _open_flag_exists(reason: str) -> Exists:
    return Exists(ParcelFlag.objects.filter(parcel=OuterRef("pk"), reason=reason, cleared_on__isnull=True))


def _format(value: Any) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


def idle_since(*, parcel_ids: Iterable[int]) -> dict[int, datetime.date]:
    """When each parcel last became idle, from the change log (its creation if it was created idle)."""
    flush_changes()  # inside a bulk load, the records it still holds
    content_type = ContentType.objects.get_for_model(LandParcel)
    rows = (
        ObjectChange.objects.filter(
            changed_object_type=content_type,
            changed_object_id__in=list(parcel_ids),
            postchange_data__status=Status.IDLE,
        )
        .filter(Q(prechange_data__isnull=True) | ~Q(prechange_data__status=Status.IDLE))
        .values("changed_object_id")
        .annotate(since=Max("time"))
    )
    return {row["changed_object_id"]: timezone.localdate(row["since"]) for row in rows}


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def find_inefficient(
    *, run: EvaluationRun, rules: FlagRules, as_of: datetime.date | None = None
) -> list[tuple[int, str, str]]:
    """(parcel ID, reason, detail) for every parcel the rules find in ``run``; nothing written.

    Each rule is one query; a parcel that already has an open flag for a reason is not found again
    for it, so flagging from the same run twice adds nothing.
    """
    as_of = as_of or timezone.localdate()
    candidates = LandParcel.objects.filter(status__in=FLAGGABLE)
    found: list[tuple[int, str, str]] = []

    if rules.grades:
        held = EvaluationResult.objects.filter(
            run=run, grade__in=rules.grades, organization=OuterRef("holder"), park=OuterRef("park")
        )
        rows = (
            candidates.filter(Exists(held))
            .exclude(_open_flag_exists(Reason.BOTTOM_GRADE))
            .annotate(grade=Subquery(held.order_by("grade").values("grade")[:1]))
            .values_list("pk", "holder__name", "grade")
        )
        for pk, holder, grade in rows:
            values = {"holder": holder, "grade": grade, "year": run.year}
            detail = _("%(holder)s graded %(grade)s in %(year)s.") % values
            found.append((pk, Reason.BOTTOM_GRADE, detail))

    if rules.min_tax_per_mu is not None:
        low = AreaResult.objects.filter(
            run=run, level=AreaResult.Level.PARCEL, tax_per_mu__lt=float(rules.min_tax_per_mu)
        )
        by_key = dict(low.values_list("key", "tax_per_mu"))
        ids = [int(k) for k in by_key if str(k).isdigit()]
        for pk in candidates.filter(pk__in=ids).exclude(_open_flag_exists(Reason.LOW_TAX)).values_list("pk", flat=True):
            detail = _("Tax per mu %(value)s CNY in %(year)s, under the floor of %(floor)s CNY.") % {
                "value": _format(by_key[str(pk)]),
                "year": run.year,
                "floor": _format(rules.min_tax_per_mu),
            }
            found.append((pk, Reason.LOW_TAX, detail))

    if rules.idle_years is not None:
        idle = candidates.filter(status=Status.IDLE, holder__isnull=False).exclude(_open_flag_exists(Reason.IDLE))
        created_on = dict(idle.values_list("pk", "created"))
        since = idle_since(parcel_ids=created_on)
        cutoff = _years_before(as_of, rules.idle_years)
        for pk, created in created_on.items():
            start = since.get(pk) or (timezone.localdate(created) if created else as_of)
            if start <= cutoff:
                detail = _("Idle since %(since)s, %(years)s years or more.") % {
                    "since": start.isoformat(),
                    "years": rules.idle_years,
                }
                found.append((pk, Reason.IDLE, detail))

    if rules.min_plot_ratio is not None:
        dense = (
            candidates.filter(status=Status.IN_USE, land_use=LandParcel.LandUse.INDUSTRIAL, area__gt=0)
            .exclude(_open_flag_exists(Reason.LOW_INTENSITY))
            .annotate(floor_area=Coalesce(Sum("buildings__floor_area"), Value(Decimal(0))))
            .filter(floor_area__lt=F("area") * rules.min_plot_ratio)
            .values_list("pk", "floor_area", "area")
        )
        for pk, floor_area, area in dense:
            detail = _("Plot ratio %(ratio)s, under the floor of %(floor)s.") % {
                "ratio": f"{Decimal(floor_area) / Decimal(area):.2f}",
                "floor": rules.min_plot_ratio,
            }
            found.append((pk, Reason.LOW_INTENSITY, detail))
    return found


@transaction.atomic
def flag_from_run(
    *, run: EvaluationRun, user: Actor, rules: FlagRules | None = None, as_of: datetime.date | None = None
) -> list[ParcelFlag]:
    """Flag the parcels ``run`` finds inefficient by ``rules`` (default: the run's scheme's); returns the new flags.

    The flags are bulk-created and their parcels set to ``inefficient`` in one update; both are in
    the change log, under ``user``.
    """
    if run.status != EvaluationRun.Status.DONE:
        raise ValidationError(
            _("Only a finished run can flag parcels; this one is %(status)s.") % {"status": run.get_status_display()}
        )
    if rules is None:
        rules = rules_for(scheme_name=run.scheme.name)
    today = as_of or timezone.localdate()
    found = find_inefficient(run=run, rules=rules, as_of=today)
    flags = [
        ParcelFlag(
            parcel_id=pk, reason=reason, detail=detail[:300], run=run, flagged_on=today, flagged_by=cast(User, user)
        )
        for pk, reason, detail in found
    ]
    ParcelFlag.objects.bulk_create(flags, batch_size=2000)  # sets the keys on SQLite and PostgreSQL alike
    log_bulk_create(flags)
    parcels = LandParcel.objects.filter(pk__in={pk for pk, _reason, _detail in found}, status__in=FLAGGABLE)
    _set_parcel_status(list(parcels), Status.INEFFICIENT)
    return flags


@transaction.atomic
def parcel_flag(
    *,
    parcel: LandParcel,
    user: Actor,
    detail: str,
    reason: str = Reason.MANUAL,
    flagged_on: datetime.date | None = None,
) -> ParcelFlag:
    """Put a parcel on the inefficient-land list by hand, saying why."""
    if not detail.strip():
        raise ValidationError({"detail": _("Say why the parcel is inefficient.")})
    flag = ParcelFlag(
        parcel=parcel,
        reason=reason,
        detail=detail,
        flagged_on=flagged_on or timezone.localdate(),
        flagged_by=cast(User, user),
    )
    return writes.save(flag, user=user, created=True)  # runs flag_applied (registered below)


def flag_applied(*, flag: ParcelFlag, user: Actor | None) -> None:
    """What a new flag does to its parcel, whichever channel created it (registered with the write path below)."""
    if flag.cleared_on is not None:
        return
    if flag.flagged_by_id is None and user is not None and getattr(user, "pk", None):
        flag.flagged_by = cast(User, user)
        flag.save(update_fields=["flagged_by", "last_updated"])
    parcel = _fresh(flag.parcel)
    if parcel.status in (Status.IN_USE, Status.IDLE):
        _save_status(parcel, Status.INEFFICIENT)


@transaction.atomic
def flag_clear(*, flag: ParcelFlag, user: Actor, cleared_on: datetime.date | None = None) -> ParcelFlag:
    """Take a flag off; a parcel left with no open flag and no case goes back to in use."""
    if flag.cleared_on is not None:
        raise ValidationError({"cleared_on": _("This flag was already cleared on %(day)s.") % {"day": flag.cleared_on}})
    flag.cleared_on = cleared_on or timezone.localdate()
    writes.save(flag, user=user, created=False)
    parcel = _fresh(flag.parcel)
    still_flagged = parcel.flags.filter(cleared_on__isnull=True).exists()
    if parcel.status == Status.INEFFICIENT and not still_flagged:
        _save_status(parcel, Status.IN_USE)
    return flag


# --- cases -----------------------------------------------------------------------------------------


def _check_no_active_case(parcel: LandParcel, exclude_pk: int | None = None) -> None:
    active = DisposalCase.objects.filter(parcel=parcel).exclude(status=DisposalCase.Status.CLOSED)
    if exclude_pk:
        active = active.exclude(pk=exclude_pk)
    if active.exists():
        raise ValidationError({"parcel": _("This parcel already has a disposal case that is not closed.")})


@transaction.atomic
def case_open(
    *,
    parcel: LandParcel,
    path: str,
    user: Actor,
    owner: User | None = None,
    opened_on: datetime.date | None = None,
    notes: str = "",
) -> DisposalCase:
    """Open a disposal case on a parcel; the parcel is then under disposal."""
    if parcel.status == Status.REDEVELOPED:
        raise ValidationError({"parcel": _("This parcel is already redeveloped; flag it again before a new case.")})
    _check_no_active_case(parcel)
    case = DisposalCase(
        parcel=parcel,
        path=path,
        owner=owner or cast(User, user),
        opened_on=opened_on or timezone.localdate(),
        notes=notes,
    )
    return writes.save(case, user=user, created=True)  # runs case_opened (registered below)


def case_opened(*, case: DisposalCase, user: Actor | None) -> None:
    """What opening a case does to its parcel, whichever channel opened it (registered with the write path below)."""
    _save_status(_fresh(case.parcel), Status.UNDER_DISPOSAL)


@transaction.atomic
def case_start(*, case: DisposalCase, user: Actor) -> DisposalCase:
    """Move an open case to "in progress" (the work with the holder has begun)."""
    case = writes.locked(case) or DisposalCase.objects.select_for_update().get(pk=case.pk)
    if case.status != DisposalCase.Status.OPEN:
        raise ValidationError(
            {
                "status": _("Only an open case can start; this one is “%(status)s”.")
                % {"status": case.get_status_display()}
            }
        )
    case.status = DisposalCase.Status.IN_PROGRESS
    return writes.save(case, user=user, created=False)


@transaction.atomic
def case_close(
    *,
    case: DisposalCase,
    user: Actor,
    outcome: str | None = None,
    closed_on: datetime.date | None = None,
    notes: str = "",
) -> DisposalCase:
    """Close a case with its outcome; the parcel's status follows the outcome and its open flags are cleared.

    "Land returned" makes the parcel idle: available for investment promotion (after a buy-back or a
    take-over into the land reserve without a holder).
    """
    case = writes.locked(case) or DisposalCase.objects.select_for_update().get(pk=case.pk)
    if case.status == DisposalCase.Status.CLOSED:
        raise ValidationError({"status": _("This case was already closed on %(day)s.") % {"day": case.closed_on}})
    outcome = outcome or USUAL_OUTCOME[case.path]
    if outcome not in Outcome.values:
        message = _("Choose an outcome: %(choices)s.") % {"choices": ", ".join(Outcome.values)}
        raise ValidationError({"outcome": message})
    case.status = DisposalCase.Status.CLOSED
    case.outcome = outcome
    case.closed_on = closed_on or timezone.localdate()
    if notes.strip():
        case.notes = f"{case.notes}\n\n{notes}".strip() if case.notes else notes
    writes.save(case, user=user, created=False)
    parcel = _fresh(case.parcel)
    extra = {"holder": None} if outcome == Outcome.RETURNED and case.path in TAKEN_BACK else {}
    _save_status(parcel, STATUS_AFTER[outcome], **extra)
    for flag in parcel.flags.filter(cleared_on__isnull=True):
        flag.cleared_on = max(case.closed_on, flag.flagged_on)
        flag.save()
    return case


# --- the write path's hooks ------------------------------------------------------------------------


def _flag_saved(flag: ParcelFlag, *, user: Actor | None, created: bool) -> None:
    if created:
        flag_applied(flag=flag, user=user)


def _case_saved(case: DisposalCase, *, user: Actor | None, created: bool) -> None:
    if created and not case.is_closed:
        case_opened(case=case, user=user)


writes.register(ParcelFlag, after_save=_flag_saved)
writes.register(DisposalCase, after_save=_case_saved)
