"""What compliance does when investment's reconciliation finds a commitment missed: open (or update) its case."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parkos.compliance import services
from parkos.investment.models import Commitment
from parkos.investment.signals import commitment_missed


def open_default_case(
    sender: Any,
    *,
    commitment: Commitment,
    year: int,
    target: Decimal | None = None,
    actual: Decimal | None = None,
    gap: Decimal | None = None,
    source: str = "",
    user: Any = None,
    **kwargs: Any,
) -> None:
    services.case_open_for_missed(
        commitment=commitment, year=year, target=target, actual=actual, gap=gap, source=source or "", user=user
    )


def connect() -> None:
    commitment_missed.connect(open_default_case, dispatch_uid="compliance.open_default_case")
