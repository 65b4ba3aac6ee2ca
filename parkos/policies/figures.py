"""Figures of support policies: per policy and per aspect, applications, approvals, amounts approved and paid, and
the budget left; a fixed number of grouped queries whatever the number of policies or applications.

- applications: those submitted (``submitted_at`` set), whatever became of them; drafts are not counted;
- approved / rejected / waiting (submitted or under review) / withdrawn: by status now;
- approved amount: the sum over approved applications; paid: the sum of their disbursements;
- budget left: the policy's budget less everything it approved (over all parks: the budget is the policy's).

Counts and amounts read through ``restrict()``: a district sees its policies' applications, a park's staff
those of their parks. Amounts are yuan (``Decimal``); pages show them in the reader's unit (万元 in Chinese).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from parkos.core.permissions import Action
from parkos.policies.models import Application, Disbursement, Policy
from parkos.services.models import Aspect

S = Application.Status
_ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=2))


@dataclass
class PolicyFigures:
    policy: Policy | None
    aspect: str
    applications: int = 0
    approved: int = 0
    rejected: int = 0
    waiting: int = 0
    withdrawn: int = 0
    amount_approved: Decimal = Decimal(0)
    amount_paid: Decimal = Decimal(0)
    budget: Decimal | None = None
    budget_left: Decimal | None = None
    policies: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def aspect_label(self) -> str:
        return str(Aspect(self.aspect).label) if self.aspect in Aspect.values else self.aspect

    @property
    def approval_rate(self) -> float | None:
        decided = self.approved + self.rejected
        return self.approved / decided if decided else None

    @property
    def budget_used_share(self) -> float | None:
        if not self.budget:
            return None
        return float((self.budget - (self.budget_left or 0)) / self.budget)


def with_paid(applications: QuerySet[Application]) -> QuerySet[Application]:
    """``applications`` with ``paid``: the sum of each one's disbursements (a subquery: no row per payment)."""
    paid = (
        Disbursement.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return applications.annotate(paid=Coalesce(Subquery(paid), _ZERO))


def per_policy(user: Any, *, policies: QuerySet[Policy] | None = None) -> list[PolicyFigures]:
    """One row per policy ``user`` may see (newest first), counting the applications ``user`` may see."""
    base: Any = policies if policies is not None else Policy.objects.all()
    chosen: list[Policy] = list(
        base.restrict(user, Action.VIEW).select_related("issuer").order_by("-opens_on", "name", "pk")
    )
    ids = [p.pk for p in chosen]
    visible = Application.objects.restrict(user, Action.VIEW).filter(policy__in=ids)
    counts: dict[int, dict[str, Any]] = {
        row["policy_id"]: dict(row)
        for row in visible.order_by()
        .values("policy_id")
        .annotate(
            applications=Count("pk", filter=Q(submitted_at__isnull=False)),
            approved_count=Count("pk", filter=Q(status=S.APPROVED)),
            rejected=Count("pk", filter=Q(status=S.REJECTED)),
            waiting=Count("pk", filter=Q(status__in=(S.SUBMITTED, S.UNDER_REVIEW))),
            withdrawn=Count("pk", filter=Q(status=S.WITHDRAWN, submitted_at__isnull=False)),
            approved_sum=Sum("amount_approved", filter=Q(status=S.APPROVED)),
        )
    }
    paid = dict(
        Disbursement.objects.restrict(user, Action.VIEW)
        .filter(application__policy__in=ids)
        .order_by()
        .values("application__policy_id")
        .annotate(total=Sum("amount"))
        .values_list("application__policy_id", "total")
    )
    committed = dict(  # the whole policy's approvals, for its budget left
        Application.objects.filter(policy__in=ids, status=S.APPROVED)
        .order_by()
        .values("policy_id")
        .annotate(total=Sum("amount_approved"))
        .values_list("policy_id", "total")
    )
    rows = []
    for policy in chosen:
        row: dict[str, Any] = counts.get(policy.pk, {})
        rows.append(
            PolicyFigures(
                policy=policy,
                aspect=policy.aspect,
                applications=row.get("applications", 0),
                approved=row.get("approved_count", 0),
                rejected=row.get("rejected", 0),
                waiting=row.get("waiting", 0),
                withdrawn=row.get("withdrawn", 0),
                amount_approved=row.get("approved_sum") or Decimal(0),
                amount_paid=paid.get(policy.pk) or Decimal(0),
                budget=policy.budget_amount,
                budget_left=None
                if policy.budget_amount is None
                else policy.budget_amount - (committed.get(policy.pk) or Decimal(0)),
            )
        )
    return rows


def per_aspect(rows: list[PolicyFigures]) -> list[PolicyFigures]:
    """The per-policy rows summed by aspect, in the aspects' order (an aspect without policies is left out)."""
    by_aspect: dict[str, PolicyFigures] = {}
    for row in rows:
        total = by_aspect.setdefault(row.aspect, PolicyFigures(policy=None, aspect=row.aspect, policies=0))
        total.policies += 1
        for name in ("applications", "approved", "rejected", "waiting", "withdrawn"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.amount_approved += row.amount_approved
        total.amount_paid += row.amount_paid
        if row.budget is not None:
            total.budget = (total.budget or Decimal(0)) + row.budget
            total.budget_left = (total.budget_left or Decimal(0)) + (row.budget_left or Decimal(0))
    order = {value: index for index, value in enumerate(Aspect.values)}
    return sorted(by_aspect.values(), key=lambda r: order.get(r.aspect, len(order)))
