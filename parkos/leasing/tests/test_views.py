"""The standard suite (pages, import, export, API, permissions per role) for leases, rent terms and sales."""

import datetime
from decimal import Decimal

from parkos.core.testing import StandardModelTests, csv_text
from parkos.leasing.models import Lease, RentTerm, Sale
from parkos.parks.models import SpaceUnit

#: leases and sales: staff in their parks, enterprise users those of their own organization, admins all
READERS = {
    "operator_admin": "all",
    "park_manager": "in",
    "service_staff": "in",
    "investment_staff": "in",
    "evaluation_officer": "in",
    "enterprise_user": "in",
}
WRITERS = {"operator_admin": "all", "park_manager": "in"}


def unit_for(world, side: str, area=100) -> SpaceUnit:
    n = world.seq()
    return SpaceUnit.objects.create(building=world.building[side], code=f"U{n:03d}{side}", floor=1 + n % 5, area=area)


def lease_for(world, side: str, **extra) -> Lease:
    n = world.seq()
    units = extra.pop("units", None) or [unit_for(world, side)]
    lease = Lease.objects.create(
        reference=extra.pop("reference", f"L-{n:04d}{side}"),
        tenant=extra.pop("tenant", world.org[side]),
        park=world.park[side],
        leased_area=sum(u.area for u in units),
        start_date=extra.pop("start_date", datetime.date(2026, 1, 1)),
        end_date=extra.pop("end_date", datetime.date(2026, 12, 31)),
        rent_amount=extra.pop("rent_amount", Decimal("2.50")),
        **extra,
    )
    lease.units.set(units)
    return lease


class LeaseTests(StandardModelTests):
    model = Lease
    visible_to = READERS
    editable_by = WRITERS
    update_data = {"notes": "续租意向已确认"}
    invalid_data = [("units", ""), ("end_date", "2025-01-01"), ("currency", "XYZ"), ("leased_area", "12 acres")]

    @staticmethod
    def form_data(world):
        unit = unit_for(world, "in")
        return {
            "reference": "ZL-2026-001",
            "tenant": world.org["in"].pk,
            "units": [unit.pk],
            "start_date": "2026-03-01",
            "end_date": "2029-02-28",
            "rent_amount": "2.80",
            "rent_basis": "m2_day",
            "currency": "CNY",
            "status": "signed",
        }

    @classmethod
    def make(cls, world, side):
        return lease_for(world, side)

    @staticmethod
    def csv_rows(world):
        a, b = unit_for(world, "in"), unit_for(world, "in")
        base = {
            "id": "",
            "reference": "",
            "tenant": "Org in Ltd",
            "units": "",
            "leased_area": "",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "rent_amount": "3",
            "rent_basis": "m2_day",
            "currency": "CNY",
            "deposit_amount": "",
            "status": "signed",
            "terminated_on": "",
            "termination_reason": "",
            "renewal_of": "",
            "notes": "",
        }
        return csv_text(
            [
                {**base, "reference": "IMP-A", "units": f"park-in/B-in/{a.code}"},
                {**base, "reference": "IMP-B", "units": f"park-in/B-in/{b.code}", "rent_basis": "month"},
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return ",IMP-C,Org in Ltd,park-in/B-in/NOPE,,2026-01-01,,3,m2_day,CNY,,signed,,,,", "units"

    @staticmethod
    def api_data(world):
        unit = unit_for(world, "in")
        return {
            "tenant": world.org["in"].pk,
            "units": [unit.pk],
            "start_date": "2026-01-01",
            "rent_amount": "45000",
            "rent_basis": "month",
            "currency": "CNY",
        }


class RentTermTests(StandardModelTests):
    model = RentTerm
    visible_to = READERS
    editable_by = WRITERS
    update_data = {"note": "第二年递增5%"}
    invalid_data = [("start_date", "2024-01-01"), ("rent_amount", "-1")]

    @staticmethod
    def form_data(world):
        lease = lease_for(world, "in")
        return {"lease": lease.pk, "start_date": "2026-01-01", "end_date": "2026-03-31", "rent_amount": "0"}

    @classmethod
    def make(cls, world, side):
        lease = lease_for(world, side)
        return RentTerm.objects.create(
            lease=lease,
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2026, 2, 28),
            rent_amount=0,
            note=f"Free rent {world.seq():04d}{side}",
        )

    @staticmethod
    def csv_rows(world):
        lease = lease_for(world, "in")
        return csv_text(
            [
                {
                    "id": "",
                    "lease": lease.pk,
                    "start_date": "2026-01-01",
                    "end_date": "2026-03-31",
                    "rent_amount": "0",
                    "note": "免租期",
                },
                {
                    "id": "",
                    "lease": lease.pk,
                    "start_date": "2026-04-01",
                    "end_date": "",
                    "rent_amount": "2.6",
                    "note": "",
                },
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return ",999999,2026-01-01,,1,", "lease"

    @staticmethod
    def api_data(world):
        lease = lease_for(world, "in")
        return {"lease": lease.pk, "start_date": "2026-06-01", "rent_amount": "3.00"}


class SaleTests(StandardModelTests):
    model = Sale
    visible_to = READERS
    editable_by = WRITERS
    update_data = {"notes": "已完成产权过户"}
    invalid_data = [("units", ""), ("transfer_date", "2020-01-01"), ("price_currency", "XYZ")]

    @staticmethod
    def form_data(world):
        unit = unit_for(world, "in")
        return {
            "reference": "XS-2026-001",
            "buyer": world.org["in"].pk,
            "units": [unit.pk],
            "price_amount": "12000000",
            "price_currency": "CNY",
            "contract_date": "2026-05-01",
            "status": "signed",
        }

    @classmethod
    def make(cls, world, side):
        n = world.seq()
        unit = unit_for(world, side)
        sale = Sale.objects.create(
            reference=f"S-{n:04d}{side}",
            buyer=world.org[side],
            park=world.park[side],
            area=unit.area,
            price_amount=Decimal("5000000"),
            contract_date=datetime.date(2026, 2, 1),
        )
        sale.units.set([unit])
        return sale

    @staticmethod
    def csv_rows(world):
        a, b = unit_for(world, "in"), unit_for(world, "in")
        base = {
            "id": "",
            "reference": "",
            "buyer": "Org in Ltd",
            "units": "",
            "building": "",
            "area": "",
            "price_amount": "1000000",
            "price_currency": "CNY",
            "contract_date": "2026-03-01",
            "transfer_date": "",
            "status": "signed",
            "notes": "",
        }
        return csv_text(
            [
                {**base, "reference": "IMP-S1", "units": f"park-in/B-in/{a.code}"},
                {**base, "reference": "IMP-S2", "units": f"park-in/B-in/{b.code}", "status": "completed"},
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return ",IMP-S3,No Such Buyer,park-in/B-in/X,,,1,CNY,2026-03-01,,signed,", "buyer"

    @staticmethod
    def api_data(world):
        unit = unit_for(world, "in")
        return {
            "buyer": world.org["in"].pk,
            "units": [unit.pk],
            "price_amount": "3000000",
            "price_currency": "USD",
            "contract_date": "2026-04-01",
        }
