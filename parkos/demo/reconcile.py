"""Demo: the yearly reconciliation of commitments against the facts, run once the filings, leases and stages exist.

The last full year is reconciled (the filings of the year before the demo's today are in). No
``commitment_missed`` is sent: the demo's default cases are planted by ``parkos.demo.compliance``.
"""

from __future__ import annotations

from datetime import date

from parkos.investment.services import reconcile_commitments


def load_reconciliation(*, today: date, counts: dict[str, int]) -> None:
    result = reconcile_commitments(year=today.year - 1, user=None, today=today, notify=False)
    counts["commitment_checks"] = result.checked
