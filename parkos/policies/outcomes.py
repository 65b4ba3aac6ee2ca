"""What became of the enterprises a policy supported, beside those of the same cohort it did not support.

Definitions (docs/policies.md, "Outcomes"):

- the policy's year: the year it opened (else the year it closed, else the year it was entered);
- the cohort: the enterprises that applied for the policy (submitted an application) or that qualify for it
  (the stored matches, ``snapshot``: as of the last matching), among those the reader may see;
- supported: the cohort's enterprises whose application was approved;
- unsupported: the rest of the cohort: applied but rejected or withdrawn, or qualified without applying.
  Applications still waiting for a decision are in neither group;
- the measures, the year after the policy's year: tax per mu and value added per mu from that year's indicator
  filing (the median over the enterprises that filed both figures and their land), the grade distribution of
  their results in that year's latest finished evaluation run; retention: still in the park today (a running
  lease, a purchase or land held).

A group smaller than ``MIN_GROUP`` (5) shows "too small", not figures: a median of three enterprises identifies
them, and says nothing. Nothing here is a causal estimate: supported enterprises were chosen, not drawn.

The pages read the tables as stored per audience (``stored_outcomes``, at the end of this module: why and when
they are recomputed); ``outcomes_for`` is the live computation they store, in a fixed number of queries.
"""

from __future__ import annotations

import datetime
import hashlib
import statistics
from collections import Counter
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from parkos.core.permissions import Action
from parkos.core.units import M2_PER_MU
from parkos.evaluation.models import EvaluationResult, EvaluationRun, IndicatorFiling
from parkos.leasing.models import Lease, Sale
from parkos.parks.models import LandParcel
from parkos.policies.models import Application, MatchSnapshot, Policy, StoredOutcome

#: groups (and measures) with fewer enterprises than this show "too small" instead of figures
MIN_GROUP = 5

S = Application.Status
User = get_user_model()
UNSUPPORTED_STATUSES = (S.REJECTED, S.WITHDRAWN)


@dataclass
class Measure:
    """One measure of one group: its value, or why there is none ("too_small", "no_data")."""

    value: float | None = None
    count: int = 0
    state: str = "ok"  # ok | too_small | no_data


@dataclass
class Group:
    key: str  # supported | unsupported
    size: int = 0
    too_small: bool = False
    tax_per_mu: Measure = field(default_factory=Measure)
    value_added_per_mu: Measure = field(default_factory=Measure)
    grades: dict[str, int] = field(default_factory=dict)
    graded: int = 0
    grades_state: str = "ok"
    retained: Measure = field(default_factory=Measure)


@dataclass
class PolicyOutcome:
    policy: Policy
    year: int
    next_year: int
    supported: Group
    unsupported: Group
    waiting: int = 0
    grade_names: list[str] = field(default_factory=list)
    #: when the qualifying enterprises were matched (``snapshot``): the page says "as of"
    as_of: datetime.datetime | None = None

    @property
    def groups(self) -> list[Group]:
        return [self.supported, self.unsupported]


def policy_year(policy: Policy) -> int:
    for day in (policy.opens_on, policy.closes_on):
        if day is not None:
            return day.year
    return (policy.created or timezone.now()).year


def _cohorts(policies: list[Policy], user: Any) -> tuple[dict[int, tuple[set[int], set[int], int]], Any]:
    """policy id -> (supported ids, unsupported ids, waiting count), and when the matches were stored: two
    queries (the applications, the stored qualifying enterprises: ``snapshot``), no matching on the view."""
    from parkos.policies import snapshot

    ids = [p.pk for p in policies]
    supported: dict[int, set[int]] = {pk: set() for pk in ids}
    applied: dict[int, set[int]] = {pk: set() for pk in ids}
    declined: dict[int, set[int]] = {pk: set() for pk in ids}
    waiting: Counter[int] = Counter()
    for policy_id, applicant_id, status in _applications(policies, user).values_list(
        "policy_id", "applicant_id", "status"
    ):
        applied[policy_id].add(applicant_id)
        if status == S.APPROVED:
            supported[policy_id].add(applicant_id)
        elif status in UNSUPPORTED_STATUSES:
            declined[policy_id].add(applicant_id)
        else:
            waiting[policy_id] += 1
    qualified, as_of = snapshot.qualified(policies, user) if policies else ({}, None)
    result = {}
    for pk in ids:
        unsupported = (declined[pk] | (qualified.get(pk, set()) - applied[pk])) - supported[pk]
        result[pk] = (supported[pk], unsupported, waiting[pk])
    return result, as_of


def _applications(policies: list[Policy], user: Any) -> QuerySet[Application]:
    return Application.objects.restrict(user, Action.VIEW).filter(
        policy__in=[p.pk for p in policies], submitted_at__isnull=False
    )


def _cohort_filter(policies: list[Policy], user: Any, path: str) -> Q:
    """``path`` is one of the enterprises of the policies' cohorts, as a subquery: the database picks them, the
    view never sends thousands of ids back to it."""
    from parkos.policies import snapshot

    return Q(**{f"{path}__in": snapshot.qualified_rows(policies, user).values("organization_id")}) | Q(
        **{f"{path}__in": _applications(policies, user).values("applicant_id")}
    )


def _median(values: list[float], size: int) -> Measure:
    if not values:
        return Measure(None, 0, "no_data")
    if len(values) < MIN_GROUP or size < MIN_GROUP:
        return Measure(None, len(values), "too_small")
    return Measure(statistics.median(values), len(values), "ok")


def _measures(policies: list[Policy], user: Any, years: set[int]) -> dict[int, dict[str, Any]]:
    """Per measured year, per enterprise of the cohorts: tax and value added per mu in that year, grade of that
    year's latest run; and still in the park (today, the same for every year). Six queries for all years."""
    if not policies or not years:
        return {}

    def cohort(path: str) -> Q:
        return _cohort_filter(policies, user, path)

    per_mu: dict[int, dict[int, tuple[float | None, float | None]]] = {year: {} for year in years}
    for org_id, year, tax, value_added, land in (
        IndicatorFiling.objects.filter(cohort("organization"), year__in=years)
        .values_list("organization_id", "year", "tax", "value_added", "land_area")
        .order_by("year", "organization_id", "pk")
    ):
        if not land:
            continue
        mu = Decimal(land) / M2_PER_MU
        per_mu[year][org_id] = (
            float(Decimal(tax) / mu) if tax is not None else None,
            float(Decimal(value_added) / mu) if value_added is not None else None,
        )
    done = EvaluationResult.objects.filter(
        cohort("organization"), run__year__in=years, run__status=EvaluationRun.Status.DONE
    )
    latest = {
        (row["organization_id"], row["run__year"]): row["run"]
        for row in done.values("organization_id", "run__year").annotate(run=Max("run_id"))
    }
    grades: dict[int, dict[int, str]] = {year: {} for year in years}
    if latest:
        for org_id, run_id, year, grade in done.filter(run__in=set(latest.values())).values_list(
            "organization_id", "run_id", "run__year", "grade"
        ):
            if latest.get((org_id, year)) == run_id and grade:
                grades[year][org_id] = grade
    staying = (
        set(Lease.objects.filter(cohort("tenant"), status__in=Lease.ACTIVE).values_list("tenant_id", flat=True))
        | set(Sale.objects.filter(cohort("buyer"), status__in=Sale.HOLDING).values_list("buyer_id", flat=True))
        | set(LandParcel.objects.filter(cohort("holder")).values_list("holder_id", flat=True))
    )
    return {year: {"per_mu": per_mu[year], "grades": grades[year], "staying": staying} for year in years}


def _group(key: str, members: set[int], measured: dict[str, Any]) -> Group:
    group = Group(key=key, size=len(members), too_small=len(members) < MIN_GROUP)
    if group.too_small:
        return group
    per_mu = measured["per_mu"]
    group.tax_per_mu = _median([v[0] for o in members if (v := per_mu.get(o)) and v[0] is not None], group.size)
    group.value_added_per_mu = _median([v[1] for o in members if (v := per_mu.get(o)) and v[1] is not None], group.size)
    graded = [measured["grades"][o] for o in members if o in measured["grades"]]
    group.graded = len(graded)
    group.grades_state = "no_data" if not graded else ("too_small" if len(graded) < MIN_GROUP else "ok")
    group.grades = dict(Counter(graded)) if group.grades_state == "ok" else {}
    retained = sum(1 for o in members if o in measured["staying"])
    group.retained = Measure(retained / group.size, retained, "ok")
    return group


def outcomes_for(policies: list[Policy], user: Any) -> list[PolicyOutcome]:
    """The outcome table of each policy in ``policies``: a fixed number of queries whatever the policies, their
    years and the enterprises."""
    cohorts, as_of = _cohorts(policies, user)
    measured = _measures(policies, user, {policy_year(policy) + 1 for policy in policies})
    outcomes = []
    for policy in policies:
        supported, unsupported, waiting = cohorts[policy.pk]
        year = policy_year(policy)
        data = measured[year + 1]
        outcome = PolicyOutcome(
            policy=policy,
            year=year,
            next_year=year + 1,
            supported=_group("supported", supported, data),
            unsupported=_group("unsupported", unsupported, data),
            waiting=waiting,
            as_of=as_of,
        )
        outcome.grade_names = sorted({g for group in outcome.groups for g in group.grades})
        outcomes.append(outcome)
    return outcomes


def policy_outcomes(policy: Policy, *, user: Any) -> PolicyOutcome:
    return stored_outcomes([policy], user)[0]


def overview(user: Any) -> list[PolicyOutcome]:
    """Every policy ``user`` may see that has taken applications, newest first."""
    return stored_outcomes(_overview_policies(user), user)


# -- stored outcomes -----------------------------------------------------------------------------
#
# The live computation above reads, for every enterprise of every cohort, its filing, grade and whereabouts the
# year after: at demo scale 1 (16,000 enterprises, cohorts of up to 3,800) 0.3-1 s of database time per view
# even with the matches stored. What it depends on of the reader is what the reader may see: readers who see
# the same (``audience``) share one stored table per policy (``StoredOutcome``). The page reads those rows (one
# query) and computes only the tables missing or stale: an application or the policy changed (the rows are
# marked stale at once and the worker recomputes them), or the matches were refreshed since (nightly).


def audience(user: Any) -> str:
    """What a policy's outcome depends on of ``user``: its reach (everything, its parks and fallback roles, or
    its organizations) and whether it reads applications; readers with the same share the stored tables."""
    from parkos.core.permissions import Scope, can, fallback_roles_of, scope_of

    level = scope_of(user)
    parts = [str(int(level)), "1" if can(user, Application, Action.VIEW) else "0"]
    if level == Scope.PARKS:
        parts.append(",".join(str(row["pk"]) for row in user.scope_park_ids().order_by("pk")))
        parts.append(",".join(sorted(role.name for role in fallback_roles_of(user))))
    elif level == Scope.ORGANIZATION:
        parts.append(",".join(str(row["pk"]) for row in user.scope_organization_ids().order_by("pk")))
    return hashlib.sha1("|".join(parts).encode()).hexdigest()


def _to_json(outcome: PolicyOutcome) -> dict[str, Any]:
    return {
        "year": outcome.year,
        "next_year": outcome.next_year,
        "waiting": outcome.waiting,
        "grade_names": outcome.grade_names,
        "supported": asdict(outcome.supported),
        "unsupported": asdict(outcome.unsupported),
    }


def _group_from(data: dict[str, Any]) -> Group:
    return Group(
        key=data["key"],
        size=data["size"],
        too_small=data["too_small"],
        tax_per_mu=Measure(**data["tax_per_mu"]),
        value_added_per_mu=Measure(**data["value_added_per_mu"]),
        grades=data["grades"],
        graded=data["graded"],
        grades_state=data["grades_state"],
        retained=Measure(**data["retained"]),
    )


def _from_json(policy: Policy, data: dict[str, Any], as_of: datetime.datetime | None) -> PolicyOutcome:
    return PolicyOutcome(
        policy=policy,
        year=data["year"],
        next_year=data["next_year"],
        supported=_group_from(data["supported"]),
        unsupported=_group_from(data["unsupported"]),
        waiting=data["waiting"],
        grade_names=data["grade_names"],
        as_of=as_of,
    )


def _store(policies: list[Policy], user: Any, key: str) -> dict[int, PolicyOutcome]:
    """Compute the outcomes of ``policies`` for ``user`` live and keep them for ``key``'s audience."""
    computed = outcomes_for(policies, user)
    now = timezone.now()
    with transaction.atomic():
        StoredOutcome.objects.filter(policy__in=[p.pk for p in policies], audience=key).delete()
        StoredOutcome.objects.bulk_create(
            [
                StoredOutcome(
                    policy=o.policy,
                    audience=key,
                    user_id=getattr(user, "pk", None),
                    computed_at=now,
                    figures=_to_json(o),
                )
                for o in computed
            ],
            ignore_conflicts=True,  # another reader of the same audience stored it meanwhile: the same table
        )
    for outcome in computed:
        outcome.as_of = min(filter(None, [outcome.as_of, now]))
    return {o.policy.pk: o for o in computed}


def stored_outcomes(policies: list[Policy], user: Any) -> list[PolicyOutcome]:
    """The outcome tables of ``policies`` for ``user``: read as stored for its audience (three queries), computing
    only those missing or stale."""
    from parkos.policies import snapshot

    if not policies:
        return []
    matched = snapshot.current(policies)
    key = audience(user)
    kept = StoredOutcome.objects.filter(policy__in=[p.pk for p in policies], audience=key)
    by_id = {p.pk: p for p in policies}
    found: dict[int, PolicyOutcome] = {}
    for row in kept.only("policy_id", "computed_at", "figures"):
        matched_at = matched[row.policy_id].computed_at
        if row.computed_at is not None and row.computed_at >= matched_at:
            found[row.policy_id] = _from_json(by_id[row.policy_id], row.figures, min(row.computed_at, matched_at))
    missing = [p for p in policies if p.pk not in found]
    if missing:
        found.update(_store(missing, user, key))
    return [found[p.pk] for p in policies]


def _stale(computed_at: datetime.datetime | None, matched_at: datetime.datetime | None) -> bool:
    return computed_at is None or matched_at is None or computed_at < matched_at


def _overview_policies(user: Any) -> list[Policy]:
    return list(
        Policy.objects.restrict(user, Action.VIEW)
        .exclude(status=Policy.Status.DRAFT)
        .select_related("issuer")
        .order_by("-opens_on", "name", "pk")
    )


def refresh_stored(policy_ids: list[int] | None = None) -> int:
    """For each audience kept, as the user its tables were last computed for: compute the tables (of
    ``policy_ids``, every policy by default) that are stale or missing (a new policy), so readers find them ready.
    An audience whose user left it or is gone is dropped (its next reader computes it). How many tables."""
    users: dict[str, set[int]] = {}
    for key, user_id in StoredOutcome.objects.values_list("audience", "user_id").distinct():
        users.setdefault(key, set()).add(user_id)
    matched = dict(MatchSnapshot.objects.values_list("policy_id", "computed_at"))
    computed = 0
    for key, user_ids in users.items():
        user = next((u for u in User.objects.filter(pk__in=user_ids, is_active=True) if audience(u) == key), None)
        if user is None:
            StoredOutcome.objects.filter(audience=key).delete()
            continue
        kept = dict(StoredOutcome.objects.filter(audience=key).values_list("policy_id", "computed_at"))
        wanted = [
            p
            for p in _overview_policies(user)
            if (policy_ids is None or p.pk in policy_ids) and _stale(kept.get(p.pk), matched.get(p.pk))
        ]
        if wanted:
            computed += len(_store(wanted, user, key))
    return computed


def mark_stale(policy_id: int) -> None:
    """An application of the policy or the policy changed: its stored tables are stale from now on (the worker
    recomputes them once the change commits)."""
    StoredOutcome.objects.filter(policy_id=policy_id).update(computed_at=None)
