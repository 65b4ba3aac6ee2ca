"""Signals investment sends for apps that build on it (investment imports none of them).

``commitment_missed``: the yearly reconciliation found a commitment missed (its due date passed and the
actual value stayed below the target). Sent once per commitment and year, inside the reconciliation's
transaction, with keyword arguments ``commitment`` (the Commitment), ``year`` (int), ``target`` and
``actual`` (Decimal or None; actual None: no figure reached ParkOS), ``gap`` (target - actual, or None),
``source`` (where the actual came from, a short code) and ``user`` (who ran the reconciliation, or None
for the scheduled run). ``parkos.compliance`` opens a default-handling case from it.
"""

from django.dispatch import Signal

commitment_missed = Signal()
