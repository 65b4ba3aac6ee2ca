"""Leasing writes with rules: the one overlap rule for units, renewing and terminating a lease.

The overlap rule (``unit_clashes``) is the only place that says when two contracts fight over a unit;
the form, the API serializer and the import all call ``validate_lease_units`` / ``validate_sale_units``,
which call it, so every channel refuses the same contracts with the same message.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from parkos.core.actors import Actor
from parkos.core.errors import NotFound
from parkos.core.permissions import Action
from parkos.leasing.models import Lease, Sale
from parkos.parks.models import SpaceUnit


@dataclass(frozen=True)
class Clash:
    """``unit`` is already held by ``contract`` (a lease or a sale) from ``start`` to ``end`` (None: for good)."""

    unit: SpaceUnit
    contract: Lease | Sale
    start: datetime.date
    end: datetime.date | None

    @property
    def message(self) -> str:
        if isinstance(self.contract, Sale):
            return _("Unit %(unit)s is sold to %(buyer)s under sale %(sale)s (contract date %(start)s).") % {
                "unit": self.unit.code,
                "buyer": self.contract.buyer.name,
                "sale": _contract_label(self.contract),
                "start": self.start.isoformat(),
            }
        if self.end is None:
            return _("Unit %(unit)s is leased to %(tenant)s under lease %(lease)s from %(start)s, open-ended.") % {
                "unit": self.unit.code,
                "tenant": self.contract.tenant.name,
                "lease": _contract_label(self.contract),
                "start": self.start.isoformat(),
            }
        return _("Unit %(unit)s is leased to %(tenant)s under lease %(lease)s from %(start)s to %(end)s.") % {
            "unit": self.unit.code,
            "tenant": self.contract.tenant.name,
            "lease": _contract_label(self.contract),
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def _contract_label(contract: Lease | Sale) -> str:
    return f"#{contract.pk}" + (f" ({contract.reference})" if contract.reference else "")


def _ids(objects: Iterable[Any]) -> list[int]:
    return [getattr(o, "pk", o) for o in objects if o is not None]


def unit_clashes(
    *,
    units: Iterable[SpaceUnit | int],
    start: datetime.date,
    end: datetime.date | None,
    exclude: Iterable[Lease | Sale] = (),
) -> list[Clash]:
    """The contracts that already hold any of ``units`` on some day from ``start`` to ``end`` (None: for good).

    Dates are inclusive: a lease ending 2026-06-30 and one starting 2026-07-01 do not clash; two that
    share a day do. Leases hold their units from ``start_date`` to ``effective_end`` while their status
    is in ``Lease.HOLDING`` (not an intent); sales hold theirs (or all their building's) from the
    contract date on while signed or completed. ``exclude`` leaves out the contract being edited (and
    a renewal's predecessor).
    """
    unit_ids = _ids(units)
    if not unit_ids or start is None:
        return []
    excluded = list(exclude)
    lease_ids = [c.pk for c in excluded if isinstance(c, Lease) and c.pk]
    sale_ids = [c.pk for c in excluded if isinstance(c, Sale) and c.pk]
    last_day = end or datetime.date.max

    clashes: list[Clash] = []
    lease_links = (
        Lease.units.through.objects.filter(
            spaceunit_id__in=unit_ids, lease__status__in=Lease.HOLDING, lease__start_date__lte=last_day
        )
        .filter(Q(lease__effective_end__isnull=True) | Q(lease__effective_end__gte=start))
        .exclude(lease_id__in=lease_ids)
        .select_related("lease__tenant", "spaceunit")
        .order_by("spaceunit__code", "lease__start_date")
    )
    for link in lease_links:
        lease = link.lease
        clashes.append(Clash(link.spaceunit, lease, lease.start_date, lease.effective_end))

    sales = Sale.objects.filter(status__in=Sale.HOLDING, contract_date__lte=last_day).exclude(pk__in=sale_ids)
    sale_links = (
        Sale.units.through.objects.filter(spaceunit_id__in=unit_ids, sale__in=sales)
        .select_related("sale__buyer", "spaceunit")
        .order_by("spaceunit__code")
    )
    for sale_link in sale_links:
        clashes.append(Clash(sale_link.spaceunit, sale_link.sale, sale_link.sale.contract_date, None))
    chosen = SpaceUnit.objects.filter(pk__in=unit_ids).select_related("building")
    by_building: dict[int, list[SpaceUnit]] = {}
    for unit in chosen:
        by_building.setdefault(unit.building_id, []).append(unit)
    for sale in sales.filter(building_id__in=by_building).select_related("buyer"):
        assert sale.building_id is not None  # filtered on it
        for unit in by_building[sale.building_id]:
            clashes.append(Clash(unit, sale, sale.contract_date, None))
    return clashes


def park_of_units(*, units: Iterable[SpaceUnit]) -> int:
    """The one park all ``units`` are in; ValidationError on the units field otherwise."""
    parks = set(
        SpaceUnit.objects.filter(pk__in=_ids(units)).values_list("building__parcel__park", flat=True).distinct()
    )
    if not parks:
        raise ValidationError({"units": _("Choose at least one space unit.")})
    if len(parks) > 1:
        raise ValidationError({"units": _("All units of one contract must be in the same park.")})
    return parks.pop()


def units_area(*, units: Iterable[SpaceUnit]) -> Decimal:
    return SpaceUnit.objects.filter(pk__in=_ids(units)).aggregate(total=Sum("area"))["total"] or Decimal(0)


def validate_lease_units(*, lease: Lease, units: Iterable[SpaceUnit]) -> None:
    """Check ``lease`` (unsaved changes included) against the overlap rule and set its park and area.

    Raises ValidationError on ``units`` naming each clashing contract. Used by the form, the API
    serializer and the import alike.
    """
    units = list(units)
    lease.park_id = park_of_units(units=units)
    if lease.leased_area is None:
        lease.leased_area = units_area(units=units)
    if lease.status not in Lease.HOLDING or lease.start_date is None:
        return
    end = lease.compute_effective_end()
    exclude = [lease]
    if lease.renewal_of_id:
        exclude.append(Lease(pk=lease.renewal_of_id))
    clashes = unit_clashes(units=units, start=lease.start_date, end=end, exclude=exclude)
    if clashes:
        raise ValidationError({"units": [c.message for c in clashes]})


def validate_sale_units(*, sale: Sale, units: Iterable[SpaceUnit]) -> None:
    """The same for a sale: its units, or every unit of its building, from the contract date on."""
    units = list(units)
    if sale.building_id:
        if units and any(u.building_id != sale.building_id for u in units):
            raise ValidationError({"units": _("The units must be in the building sold, or leave the units empty.")})
        units = list(SpaceUnit.objects.filter(building_id=sale.building_id))
        building = sale.building
        assert building is not None  # building_id is set
        sale.park_id = building.parcel.park_id
        if sale.area is None:
            sale.area = units_area(units=units) or building.floor_area
    else:
        if not units:
            raise ValidationError({"units": _("Choose the units sold, or the building when it is sold whole.")})
        sale.park_id = park_of_units(units=units)
        if sale.area is None:
            sale.area = units_area(units=units)
    if sale.status not in Sale.HOLDING or sale.contract_date is None:
        return
    clashes = unit_clashes(units=units, start=sale.contract_date, end=None, exclude=[sale])
    if clashes:
        raise ValidationError({"units" if not sale.building_id else "building": [c.message for c in clashes]})


def _changeable(lease: Lease, user: Actor) -> Lease:
    """``lease`` re-read and locked if ``user`` may change it: 404 outside their scope, 403 without the right."""
    current: Lease | None = (
        Lease.objects.restrict(user, Action.CHANGE).select_for_update(of=("self",)).filter(pk=lease.pk).first()
    )
    if current is None:
        if Lease.objects.restrict(user, Action.VIEW).filter(pk=lease.pk).exists():
            raise PermissionDenied(_("You may not change this lease."))
        raise NotFound(_("No such lease."))
    return current


@transaction.atomic
def lease_renew(
    *,
    lease: Lease,
    user: Actor,
    start: datetime.date,
    end: datetime.date | None = None,
    rent_amount: Decimal | None = None,
    rent_basis: str | None = None,
    reference: str = "",
) -> Lease:
    """Create the successor of ``lease`` for the same tenant and units, and mark ``lease`` renewed.

    The successor may start on any day after the old lease's start (normally the day after it ends);
    the two never clash with each other, but the successor must not clash with any other contract.
    """
    lease = _changeable(lease, user)
    if lease.status not in Lease.ACTIVE + (Lease.Status.EXPIRED,):
        raise ValidationError(_("Only a signed, in-force or expired lease can be renewed."))
    if start <= lease.start_date:
        raise ValidationError({"start": _("The renewal must start after the lease it renews starts.")})
    if end is not None and end < start:
        raise ValidationError({"end": _("The renewal ends before it starts.")})
    units = list(lease.units.all())
    successor = Lease(
        reference=reference,
        tenant=lease.tenant,
        leased_area=lease.leased_area,
        start_date=start,
        end_date=end,
        rent_amount=lease.rent_amount if rent_amount is None else rent_amount,
        rent_basis=rent_basis or lease.rent_basis,
        currency=lease.currency,
        deposit_amount=lease.deposit_amount,
        status=Lease.Status.SIGNED,
        renewal_of=lease,
    )
    validate_lease_units(lease=successor, units=units)
    successor.full_clean()
    successor.save()
    successor.units.set(units)
    lease.status = Lease.Status.RENEWED
    lease.save()
    return successor


@transaction.atomic
def lease_terminate(*, lease: Lease, user: Actor, on: datetime.date, reason: str) -> Lease:
    """End ``lease`` early: it holds its units up to and including ``on``, which frees them after."""
    lease = _changeable(lease, user)
    if lease.status not in Lease.ACTIVE:
        raise ValidationError(_("Only a signed or in-force lease can be terminated."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the lease is terminated.")})
    if on < lease.start_date or (lease.end_date and on > lease.end_date):
        raise ValidationError(
            {
                "on": _("The termination date must lie within the lease (%(start)s to %(end)s).")
                % {"start": lease.start_date, "end": lease.end_date or "…"}
            }
        )
    lease.status = Lease.Status.TERMINATED
    lease.terminated_on = on
    lease.termination_reason = reason.strip()
    lease.full_clean()
    lease.save()
    return lease
