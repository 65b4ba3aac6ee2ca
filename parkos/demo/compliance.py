"""The demo's default cases: commitments already past due and unmet, taken through the stages of a case.

``load_compliance`` runs inside ``load_demo`` last, with a ``random.Random`` of its own (so the other
modules draw what they always drew). Of the commitments past their due date and not met, a dozen per
unit of scale get a case for the year they fell due: some just opened, some warned, some in
rectification (one past its deadline, which ``notify_due`` tells its owner), some settled by a repayment
of incentives, a penalty or land bought back, and some closed (settled, or cured: met after all). The
rows go in with ``bulk_create`` and are recorded with ``log_bulk_create``.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model

from parkos.compliance.models import DefaultCase
from parkos.core.changelog import log_bulk_create
from parkos.investment.models import Commitment, CommitmentStatus

Stage = DefaultCase.Stage
Kind = DefaultCase.SettlementKind
CASES_PER_SCALE = 12
SEED = 17
#: the stage each case is taken to, in turn
PLAN = (
    Stage.OPEN,
    Stage.WARNING,
    Stage.RECTIFICATION,
    Stage.RECTIFICATION,
    Stage.SETTLEMENT,
    Stage.CLOSED,
)
SETTLEMENTS = (Kind.REPAYMENT, Kind.PENALTY, Kind.LAND_BUY_BACK)
NOTES = {
    Stage.WARNING: "已向企业发出履约预警函，要求说明未达约定指标的原因",
    Stage.RECTIFICATION: "企业提交整改方案，承诺扩大产能、补足税收",
    Stage.SETTLEMENT: "整改期满仍未达标，经管委会研究决定按协议条款处置",
}


def _pk(commitment: Commitment) -> int:
    return commitment.pk


def load_compliance(*, scale: float, today: date, counts: dict[str, int]) -> None:
    rng = random.Random(SEED)
    owner = get_user_model().objects.filter(username="investment").first()
    wanted = max(2 * len(PLAN), round(CASES_PER_SCALE * scale))
    overdue = Commitment.objects.in_status(CommitmentStatus.OVERDUE, today).filter(target_value__gt=0)
    chosen = sorted(rng.sample(list(overdue.order_by("pk")[: wanted * 4]), min(wanted, overdue.count())), key=_pk)
    if len(chosen) < wanted:  # a small demo has few overdue commitments: the earliest due of the others too
        others = Commitment.objects.filter(target_value__gt=0, due_date__isnull=False).exclude(
            pk__in=[c.pk for c in chosen]
        )
        chosen += list(others.order_by("due_date", "pk")[: wanted - len(chosen)])
    cases: list[DefaultCase] = []
    for number, commitment in enumerate(chosen):
        if commitment.due_date is None or commitment.target_value is None:
            continue
        stage = PLAN[number % len(PLAN)]
        year = commitment.due_date.year if commitment.due_date < today else today.year - 1
        closed_cured = stage == Stage.CLOSED and number // len(PLAN) % 2 == 1
        target = commitment.target_value
        actual = (target * Decimal(rng.uniform(0.3, 0.8))).quantize(Decimal("0.01"))
        opened = today - timedelta(days=rng.randint(60, 240))
        case = DefaultCase(
            reference=f"DC{year}-{commitment.pk:06d}",
            agreement_id=commitment.agreement_id,
            commitment=commitment,
            year=year,
            target=target,
            actual=actual,
            gap=target - actual,
            source="filing",
            owner=owner,
            opened_on=opened,
            stage=stage,
        )
        notes = []
        if stage != Stage.OPEN:
            case.warned_on = opened + timedelta(days=7)
            notes.append(f"{case.warned_on:%Y-%m-%d} 预警: {NOTES[Stage.WARNING]}")
        if stage in (Stage.RECTIFICATION, Stage.SETTLEMENT, Stage.CLOSED) and not closed_cured:
            case.rectification_started_on = opened + timedelta(days=21)
            overdue = stage != Stage.RECTIFICATION or number % 4 == 2
            case.rectification_deadline = today + timedelta(days=-10 if overdue else 120)
            notes.append(f"{case.rectification_started_on:%Y-%m-%d} 整改: {NOTES[Stage.RECTIFICATION]}")
        if stage in (Stage.SETTLEMENT, Stage.CLOSED) and not closed_cured:
            kind = SETTLEMENTS[number % len(SETTLEMENTS)]
            case.settled_on = today - timedelta(days=5)
            case.settlement_kind = kind
            if kind in DefaultCase.MONEY_KINDS:
                case.settlement_amount = Decimal(rng.randrange(50, 800) * 10_000)
                case.settlement_currency = "CNY"
            notes.append(f"{case.settled_on:%Y-%m-%d} 处置结算: {NOTES[Stage.SETTLEMENT]}")
        if stage == Stage.CLOSED:
            case.closed_on = today - timedelta(days=2)
            case.outcome = DefaultCase.Outcome.CURED if closed_cured else DefaultCase.Outcome.SETTLED
            if closed_cured:
                notes.append(f"{case.closed_on:%Y-%m-%d} 已履约: 企业补报年度数据，指标已达约定值")
        case.notes = "\n".join(notes)
        cases.append(case)
    DefaultCase.objects.bulk_create(cases)
    log_bulk_create(cases)
    counts["default cases"] = len(cases)
