"""The demo's leases and sales: consecutive leases over space units, renewals, early terminations, rent terms.

``load_leasing`` runs inside ``load_demo`` after the accounts exist, drawing from the same
``random.Random`` (so it stays deterministic). Every unit of the demo manager's parks and a share of
the other units get a chain of one to three consecutive leases ending around the reference date (some
renewed, some terminated early, some open-ended, some intents); a few units are sold. The demo
"enterprise" account's organization always holds a lease in force. Rows go in with ``bulk_create``
(``effective_end`` set as ``Lease.save`` would) and are recorded with ``log_bulk_create``; the chains
never overlap, so the data obeys the overlap rule of parkos.leasing.services.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model

from parkos.core.changelog import log_bulk_create
from parkos.directory.models import Organization
from parkos.leasing.models import Lease, RentBasis, RentTerm, Sale
from parkos.parks.models import SpaceUnit

Progressbar = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]

#: units outside the manager's parks that get leases, per unit of scale
OTHER_UNITS_PER_SCALE = 3000
SALES_PER_SCALE = 40
BATCH = 2000
RENTS_PER_M2_DAY = ("1.20", "1.50", "1.80", "2.10", "2.50", "3.20", "4.00")


def load_leasing(
    rng: random.Random,
    *,
    scale: float,
    enterprises: Sequence[Organization],
    today: date,
    counts: dict,
    progress: Progressbar,
) -> None:
    users = get_user_model().objects
    manager = users.filter(username="manager").first()
    enterprise_user = users.filter(username="enterprise").first()
    own = enterprise_user.organizations.first() if enterprise_user else None
    manager_parks = set(manager.parks.values_list("pk", flat=True)) if manager else set()
    units = list(SpaceUnit.objects.select_related("building__parcel").order_by("pk"))
    if not units or not enterprises:
        return
    mine = [u for u in units if u.building.parcel.park_id in manager_parks]
    others = [u for u in units if u.building.parcel.park_id not in manager_parks]
    chosen = mine + rng.sample(others, min(len(others), round(OTHER_UNITS_PER_SCALE * scale)))
    chosen.sort(key=lambda u: u.pk)
    rng.shuffle(chosen)
    sold = chosen[: max(3, round(SALES_PER_SCALE * scale))]
    leased = chosen[len(sold) :]
    tenants = [e for e in enterprises if e.kind == Organization.Kind.ENTERPRISE] or list(enterprises)

    leases, links, chains = [], [], []
    for index, unit in enumerate(leased):
        park_id = unit.building.parcel.park_id
        # the first is the demo enterprise's own lease, in force on the reference date
        tenant = own if index == 0 and own is not None else rng.choice(tenants)
        if index and rng.random() < 0.18:
            continue  # vacant: never leased
        chain = []
        on = today - timedelta(days=rng.randint(200, 2200)) if index else today - timedelta(days=400)
        for _step in range(rng.randint(1, 3)):
            years = rng.choice((1, 2, 3, 3, 5))
            end = date(on.year + years, on.month, min(on.day, 28)) - timedelta(days=1)
            if index == 0:
                end = max(end, today + timedelta(days=700))
            status = (
                Lease.Status.EXPIRED if end < today else (Lease.Status.IN_FORCE if on <= today else Lease.Status.SIGNED)
            )
            lease = Lease(
                reference=f"ZL-{on.year}-{len(leases) + 1:05d}",
                tenant=tenant,
                park_id=park_id,
                leased_area=unit.area,
                start_date=on,
                end_date=end,
                rent_amount=Decimal(rng.choice(RENTS_PER_M2_DAY)),
                rent_basis=RentBasis.PER_M2_DAY,
                currency="CNY",
                deposit_amount=None,
                status=status,
            )
            if status == Lease.Status.EXPIRED and index and rng.random() < 0.1:
                lease.status = Lease.Status.TERMINATED
                lease.terminated_on = on + timedelta(days=max(1, (end - on).days // 2))
                lease.termination_reason = rng.choice(("Moved to a larger site", "Business closed", "Relocated"))
            elif status == Lease.Status.IN_FORCE and index and rng.random() < 0.05:
                lease.end_date = None  # open-ended
            lease.deposit_amount = (lease.rent_amount * unit.area * 90).quantize(Decimal("1"))
            lease.effective_end = lease.compute_effective_end()
            chain.append(lease)
            leases.append(lease)
            links.append(unit.pk)
            if lease.effective_end is None or lease.effective_end >= today:
                break
            gap = rng.choice((1, 1, 1, 45, 120))
            on = lease.effective_end + timedelta(days=gap)
            if on > today:
                break
        for previous, successor in zip(chain, chain[1:], strict=False):
            # a lease followed the very next day by the next one was renewed into it
            if previous.status == Lease.Status.EXPIRED and successor.start_date == previous.end_date + timedelta(
                days=1
            ):
                previous.status = Lease.Status.RENEWED
        chains.append(chain)
    with progress("Leases", len(leases)) as advance:
        for start in range(0, len(leases), BATCH):
            batch = leases[start : start + BATCH]
            Lease.objects.bulk_create(batch)
            counts["change_records"] += log_bulk_create(batch)
            advance(len(batch))
    Through = Lease.units.through
    Through.objects.bulk_create(
        [Through(lease_id=lease.pk, spaceunit_id=unit_id) for lease, unit_id in zip(leases, links, strict=True)],
        batch_size=5000,
    )
    # link each renewal to the lease it renews (the primary keys exist only now)
    renewals = []
    for chain in chains:
        for previous, successor in zip(chain, chain[1:], strict=False):
            if previous.status == Lease.Status.RENEWED:
                successor.renewal_of = previous
                renewals.append(successor)
    Lease.objects.bulk_update(renewals, ["renewal_of"], batch_size=BATCH)
    terms = []
    for lease in leases:
        if rng.random() < 0.3:  # a free-rent start
            terms.append(
                RentTerm(
                    lease=lease,
                    start_date=lease.start_date,
                    end_date=lease.start_date + timedelta(days=rng.choice((29, 59, 89))),
                    rent_amount=Decimal(0),
                    note="免租期",
                )
            )
        if rng.random() < 0.25 and (lease.end_date is None or (lease.end_date - lease.start_date).days > 400):
            step = lease.start_date + timedelta(days=365)
            terms.append(
                RentTerm(
                    lease=lease,
                    start_date=step,
                    rent_amount=(lease.rent_amount * Decimal("1.05")).quantize(Decimal("0.01")),
                    note="第二年起递增5%",
                )
            )
    RentTerm.objects.bulk_create(terms, batch_size=BATCH)
    counts["change_records"] += log_bulk_create(terms)
    sales = []
    for unit in sold:
        contract = today - timedelta(days=rng.randint(30, 1500))
        sales.append(
            Sale(
                reference=f"XS-{contract.year}-{len(sales) + 1:04d}",
                buyer=rng.choice(tenants),
                park_id=unit.building.parcel.park_id,
                area=unit.area,
                price_amount=(unit.area * Decimal(rng.randint(8000, 16000))).quantize(Decimal("1")),
                price_currency="CNY",
                contract_date=contract,
                transfer_date=contract + timedelta(days=90) if contract + timedelta(days=90) <= today else None,
                status=Sale.Status.COMPLETED if contract + timedelta(days=90) <= today else Sale.Status.SIGNED,
            )
        )
    Sale.objects.bulk_create(sales, batch_size=BATCH)
    counts["change_records"] += log_bulk_create(sales)
    Sale.units.through.objects.bulk_create(
        [Sale.units.through(sale_id=sale.pk, spaceunit_id=unit.pk) for sale, unit in zip(sales, sold, strict=True)]
    )
    counts["leases"] += len(leases)
    counts["rent_terms"] += len(terms)
    counts["sales"] += len(sales)
