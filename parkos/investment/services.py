"""Investment writes with rules (moving projects through the pipeline) and the contact-cadence selectors."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkos.core import writes
from parkos.core.actors import Actor
from parkos.core.changelog import bulk_written
from parkos.core.errors import NotFound
from parkos.core.permissions import Action, Scope, can, scope_of
from parkos.investment.models import (
    Agreement,
    CheckOutcome,
    Commitment,
    CommitmentCheck,
    Contact,
    Project,
    Stage,
    StageChange,
    progress_from_checks,
)
from parkos.users.models import User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from parkos.investment.facts import Fact

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


# -- commitments checked against the facts ----------------------------------------------------------

#: agreements whose commitments are not reconciled: not yet signed, or ended early
NOT_RECONCILED = (Agreement.Status.DRAFT, Agreement.Status.TERMINATED)


def commitments_for_year(year: int, parks: Iterable[int] | None = None) -> list[Commitment]:
    """The commitments a reconciliation of ``year`` checks, with what their facts are reached through (one query).

    In scope: the agreement is signed and not terminated, the commitment is counted from on or before the
    end of the year, and it is due in or after the year; a year's value or a per-mu value (annual output
    after production, tax per mu...) is checked every year after its due date as well, while the
    agreement is in force.
    """
    end = datetime.date(year, 12, 31)
    start = datetime.date(year, 1, 1)
    yearly = (Commitment.Basis.YEAR, Commitment.Basis.PER_MU)
    usually_yearly = [kind for kind, bases in Commitment.BASES.items() if bases[0] in yearly]
    # a commitment written in bulk (imports, the demo) may have no basis stored: its measure's usual one applies
    ongoing = (Q(basis__in=yearly) | Q(basis="", kind__in=usually_yearly)) & (
        Q(agreement__end_date__isnull=True) | Q(agreement__end_date__gte=start)
    )
    queryset = (
        Commitment.objects.exclude(agreement__status__in=NOT_RECONCILED)
        .filter(Q(start_date__lte=end) | Q(start_date__isnull=True, agreement__signed_on__lte=end))
        .filter(Q(due_date__isnull=True) | Q(due_date__gte=start) | ongoing)
        .select_related("agreement", "party")
        .order_by("pk")
    )
    if parks is not None:
        queryset = queryset.filter(agreement__park__in=[getattr(p, "pk", p) for p in parks])
    return list(queryset)


def _rates_needed(commitments: list[Commitment], on: datetime.date) -> dict[str, Decimal]:
    """The exchange rate of every foreign currency a money commitment is in; a missing one is refused by name."""
    from parkos.investment.selectors import latest_rates, rate_base_currency

    base = rate_base_currency()
    wanted = {c.currency for c in commitments if c.measure_source == Commitment.Source.FILING and c.currency} - {
        base,
        None,
    }
    rates = latest_rates(wanted, on)
    missing = sorted(code for code in wanted if code not in rates)
    if missing:
        raise ValidationError(
            {
                "year": _(
                    "No exchange rate for %(currencies)s valid on %(date)s: the filings are in %(base)s. Add the"
                    " rate under exchange rates and run the reconciliation again."
                )
                % {"currencies": ", ".join(missing), "date": on.isoformat(), "base": base}
            }
        )
    return rates


def check_commitment(
    c: Commitment, fact: Fact, *, year: int, today: datetime.date, rate: Decimal | None
) -> CommitmentCheck:
    """The outcome of one commitment for one year from its fact (no query): see reconcile_commitments."""
    end = datetime.date(year, 12, 31)
    as_of = min(end, today)
    due = c.due_date
    passed = due is not None and due <= end and due < today  # due today: not yet missed
    actual = fact.value
    if actual is not None and rate is not None:
        actual = actual / rate  # the filings' CNY in the commitment's currency
    if actual is not None:
        actual = actual.quantize(Decimal("0.0001"))
    check = CommitmentCheck(
        commitment=c,
        year=year,
        as_of=as_of,
        due_date=due,
        target=c.target_value,
        actual=actual,
        actual_on=fact.reached_on,
        source=fact.source,
        source_field=fact.field,
        source_date=fact.date,
        rate=rate,
        production_share=fact.production_share,
    )
    if c.is_milestone:
        if fact.reached_on is not None:
            check.outcome = CheckOutcome.MET
        elif passed:
            check.outcome = CheckOutcome.MISSED
        else:
            check.outcome = CheckOutcome.OPEN
        return check
    target = c.target_value
    assert target is not None
    if fact.production_share is not None:
        target = target * fact.production_share  # production started this year: the target for the months produced
    start = c.start_date or c.agreement.signed_on
    if passed or due is None or start is None or due <= start or due <= end:
        path = target
    else:
        share = Decimal(max((as_of - start).days, 0)) / Decimal((due - start).days)
        path = target * min(share, Decimal(1))
    check.path = path.quantize(Decimal("0.0001"))
    if actual is None:
        check.outcome = CheckOutcome.MISSED if passed else CheckOutcome.OPEN
        check.gap = check.path if passed else None
    elif passed:
        check.outcome = CheckOutcome.MET if actual >= check.path else CheckOutcome.MISSED
    elif due is None and actual < check.path:
        check.outcome = CheckOutcome.OPEN
    else:
        check.outcome = CheckOutcome.MET if actual >= check.path else CheckOutcome.BEHIND
    if actual is not None and check.outcome in (CheckOutcome.BEHIND, CheckOutcome.MISSED):
        check.gap = check.path - actual
    return check


CHECK_FIELDS = (
    "as_of",
    "due_date",
    "target",
    "path",
    "actual",
    "actual_on",
    "gap",
    "outcome",
    "source",
    "source_field",
    "source_date",
    "rate",
    "production_share",
    "checked_at",
    "checked_by",
)


@dataclass
class Reconciliation:
    year: int
    checked: int
    counts: dict[str, int]
    missed_new: int


def reconcile_commitments(
    *,
    year: int,
    user: Actor | None,
    parks: Iterable[Any] | None = None,
    today: datetime.date | None = None,
    notify: bool = True,
) -> Reconciliation:
    """Compare every commitment in scope for ``year`` with its facts and store the outcome per commitment and year.

    Met / behind (not yet due, below the target pro-rated from the start to the end of the year) /
    missed (due date passed and below target, or no figure) / open (not yet due, no figure). Running it
    again rewrites the year's rows (one per commitment and year). ``investment.signals.commitment_missed``
    is sent, inside the transaction, for each commitment found missed for the year that was not already
    missed for it. A user (None: the scheduled run) must be investment staff or an admin; ``parks``
    narrows the run to some parks (by default every park the user's scope reaches). A missing exchange
    rate refuses the whole run (ValidationError naming the currency and date), nothing written.
    A fixed number of queries, whatever the number of commitments (``notify`` False: no signal, for the demo,
    whose default cases are planted by parkos.demo.compliance).
    """
    from parkos.investment.facts import Facts
    from parkos.investment.signals import commitment_missed

    if not 1990 <= year <= 2100:
        raise ValidationError({"year": _("Give a year between 1990 and 2100.")})
    today = today or timezone.localdate()
    if year > today.year:
        raise ValidationError({"year": _("%(year)s has not begun: reconcile a year up to this one.") % {"year": year}})
    if user is not None:
        if not (can(user, Commitment, Action.CHANGE) and scope_of(user) >= Scope.PARKS):
            raise PermissionDenied(_("Only investment staff and admins reconcile commitments."))
        if scope_of(user) == Scope.PARKS and isinstance(user, User):
            own = {row["pk"] for row in user.scope_park_ids()}
            parks = own if parks is None else {getattr(p, "pk", p) for p in parks} & own
    end = datetime.date(year, 12, 31)
    as_of = min(end, today)
    with transaction.atomic():
        commitments = commitments_for_year(year, parks)
        rates = _rates_needed(commitments, as_of)
        facts = Facts(commitments, year=year, as_of=as_of)
        before = dict(
            CommitmentCheck.objects.filter(year=year, commitment__in=[c.pk for c in commitments]).values_list(
                "commitment_id", "outcome"
            )
        )
        now = timezone.now()
        actor = user if isinstance(user, User) else None
        checks = []
        for c in commitments:
            rate = None
            if c.measure_source == Commitment.Source.FILING and c.currency and c.currency in rates:
                rate = rates[c.currency] if rates[c.currency] != 1 else None
            check = check_commitment(c, facts.for_commitment(c), year=year, today=today, rate=rate)
            check.checked_at, check.checked_by = now, actor
            checks.append(check)
        CommitmentCheck.objects.bulk_create(
            checks,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["commitment", "year"],
            update_fields=list(CHECK_FIELDS),
        )
        _refresh_computed(commitments)
        bulk_written.send(sender=CommitmentCheck)  # bulk writes send no post_save: the cockpit's figures are stale
        counts = {outcome: 0 for outcome in CheckOutcome.values}
        missed_new = 0
        for check in checks:
            counts[check.outcome] += 1
            if check.outcome == CheckOutcome.MISSED and before.get(check.commitment.pk) != CheckOutcome.MISSED:
                missed_new += 1
                if not notify:
                    continue
                commitment_missed.send(
                    sender=Commitment,
                    commitment=check.commitment,
                    year=year,
                    target=check.path if check.path is not None else check.target,
                    actual=check.actual,
                    gap=check.gap,
                    source=str(check.source),
                    user=actor,
                )
    return Reconciliation(year=year, checked=len(checks), counts=counts, missed_new=missed_new)


def _refresh_computed(commitments: list[Commitment]) -> None:
    """latest value, latest on and met on of computed commitments from their fact checks (two queries)."""
    computed = {c.pk: c for c in commitments if c.is_computed}
    if not computed:
        return
    by_commitment: dict[int, list[CommitmentCheck]] = {}
    rows = CommitmentCheck.objects.filter(
        commitment__in=list(computed), source__in=CommitmentCheck.FACT_SOURCES
    ).order_by("commitment", "year")
    for check in rows:
        by_commitment.setdefault(check.commitment_id, []).append(check)
    changed = []
    for pk, checks in by_commitment.items():
        c = computed[pk]
        c.latest_value, c.latest_on, c.met_on = progress_from_checks(c, checks)
        changed.append(c)
    Commitment.objects.bulk_update(changed, ["latest_value", "latest_on", "met_on"], batch_size=1000)
