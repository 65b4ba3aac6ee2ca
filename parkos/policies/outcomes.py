"""What became of the enterprises a policy supported, beside those of the same cohort it did not support.

Definitions (docs/policies.md, "Outcomes"):

- the policy's year: the year it opened (else the year it closed, else the year it was entered);
- the cohort: the enterprises that applied for the policy (submitted an application) or that qualify for it
  (``matching``, on today's attributes), among those the reader may see;
- supported: the cohort's enterprises whose application was approved;
- unsupported: the rest of the cohort: applied but rejected or withdrawn, or qualified without applying.
  Applications still waiting for a decision are in neither group;
- the measures, the year after the policy's year: tax per mu and value added per mu from that year's indicator
  filing (the median over the enterprises that filed both figures and their land), the grade distribution of
  their results in that year's latest finished evaluation run; retention: still in the park today (a running
  lease, a purchase or land held).

A group smaller than ``MIN_GROUP`` (5) shows "too small", not figures: a median of three enterprises identifies
them, and says nothing. Nothing here is a causal estimate: supported enterprises were chosen, not drawn.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.utils import timezone

from parkos.core.permissions import Action
from parkos.core.units import M2_PER_MU
from parkos.evaluation.models import EvaluationResult, EvaluationRun, IndicatorFiling
from parkos.leasing.models import Lease, Sale
from parkos.parks.models import LandParcel
from parkos.policies.models import Application, Policy

#: groups (and measures) with fewer enterprises than this show "too small" instead of figures
MIN_GROUP = 5

S = Application.Status
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

    @property
    def groups(self) -> list[Group]:
        return [self.supported, self.unsupported]


def policy_year(policy: Policy) -> int:
    for day in (policy.opens_on, policy.closes_on):
        if day is not None:
            return day.year
    return (policy.created or timezone.now()).year


def _cohorts(policies: list[Policy], user: Any) -> dict[int, tuple[set[int], set[int], int]]:
    """policy id -> (supported ids, unsupported ids, waiting count): two queries and one matching pass."""
    from parkos.policies import matching

    ids = [p.pk for p in policies]
    supported: dict[int, set[int]] = {pk: set() for pk in ids}
    applied: dict[int, set[int]] = {pk: set() for pk in ids}
    declined: dict[int, set[int]] = {pk: set() for pk in ids}
    waiting: Counter[int] = Counter()
    rows = (
        Application.objects.restrict(user, Action.VIEW)
        .filter(policy__in=ids, submitted_at__isnull=False)
        .values_list("policy_id", "applicant_id", "status")
    )
    for policy_id, applicant_id, status in rows:
        applied[policy_id].add(applicant_id)
        if status == S.APPROVED:
            supported[policy_id].add(applicant_id)
        elif status in UNSUPPORTED_STATUSES:
            declined[policy_id].add(applicant_id)
        else:
            waiting[policy_id] += 1
    qualified: dict[int, set[int]] = {pk: set() for pk in ids}
    if policies:
        table = matching.attribute_table(matching.visible_enterprises(user))
        if table.height:
            found = matching.match_table(table, policies, near=False)
            good, _near = matching.matches_from(found, table, policies)
            for match in good:
                qualified[match.policy.pk].add(match.organization_id)
    result = {}
    for pk in ids:
        unsupported = (declined[pk] | (qualified[pk] - applied[pk])) - supported[pk]
        result[pk] = (supported[pk], unsupported, waiting[pk])
    return result


def _median(values: list[float], size: int) -> Measure:
    if not values:
        return Measure(None, 0, "no_data")
    if len(values) < MIN_GROUP or size < MIN_GROUP:
        return Measure(None, len(values), "too_small")
    return Measure(statistics.median(values), len(values), "ok")


def _measures(organization_ids: set[int], year: int) -> dict[str, Any]:
    """Per enterprise: tax and value added per mu in ``year``, grade of that year's latest run, still in the park."""
    ids = list(organization_ids)
    per_mu: dict[int, tuple[float | None, float | None]] = {}
    for org_id, tax, value_added, land in IndicatorFiling.objects.filter(organization__in=ids, year=year).values_list(
        "organization_id", "tax", "value_added", "land_area"
    ):
        if not land:
            continue
        mu = Decimal(land) / M2_PER_MU
        per_mu[org_id] = (
            float(Decimal(tax) / mu) if tax is not None else None,
            float(Decimal(value_added) / mu) if value_added is not None else None,
        )
    latest_runs = (
        EvaluationResult.objects.filter(organization__in=ids, run__year=year, run__status=EvaluationRun.Status.DONE)
        .values("organization_id")
        .annotate(run=Max("run_id"))
    )
    latest = {row["organization_id"]: row["run"] for row in latest_runs}
    grades: dict[int, str] = {}
    if latest:
        for org_id, run_id, grade in EvaluationResult.objects.filter(
            organization__in=list(latest), run__in=set(latest.values())
        ).values_list("organization_id", "run_id", "grade"):
            if latest.get(org_id) == run_id and grade:
                grades[org_id] = grade
    staying = (
        set(Lease.objects.filter(tenant__in=ids, status__in=Lease.ACTIVE).values_list("tenant_id", flat=True))
        | set(Sale.objects.filter(buyer__in=ids, status__in=Sale.HOLDING).values_list("buyer_id", flat=True))
        | set(LandParcel.objects.filter(holder__in=ids).values_list("holder_id", flat=True))
    )
    return {"per_mu": per_mu, "grades": grades, "staying": staying}


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
    """The outcome table of each policy in ``policies`` (queries: a few per policy year, not per enterprise)."""
    cohorts = _cohorts(policies, user)
    by_year: dict[int, set[int]] = {}
    for policy in policies:
        supported, unsupported, _w = cohorts[policy.pk]
        by_year.setdefault(policy_year(policy) + 1, set()).update(supported | unsupported)
    measured = {year: _measures(ids, year) for year, ids in by_year.items()}
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
        )
        outcome.grade_names = sorted({g for group in outcome.groups for g in group.grades})
        outcomes.append(outcome)
    return outcomes


def policy_outcomes(policy: Policy, *, user: Any) -> PolicyOutcome:
    return outcomes_for([policy], user)[0]


def overview(user: Any) -> list[PolicyOutcome]:
    """Every policy ``user`` may see that has taken applications, newest first."""
    policies = list(
        Policy.objects.restrict(user, Action.VIEW)
        .exclude(status=Policy.Status.DRAFT)
        .select_related("issuer")
        .order_by("-opens_on", "name", "pk")
    )
    return outcomes_for(policies, user)
