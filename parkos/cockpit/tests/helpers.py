"""Cockpit test data: four parks in three districts with every kind of record the tiles add up."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from parkos.core.testing import World
from parkos.directory.models import Organization
from parkos.evaluation.models import EvaluationResult, EvaluationRun, EvaluationScheme
from parkos.evaluation.tests.helpers import load_scheme
from parkos.investment.models import Agreement, Commitment, ExchangeRate, Party, Project, Stage, StageChange
from parkos.land.models import DisposalCase, ParcelFlag
from parkos.leasing.models import Lease, Sale
from parkos.parks.models import Building, LandParcel, Park, SpaceUnit
from parkos.services.models import Aspect, Scenario, Service, ServiceRequest, Status
from parkos.users.models import User

D = datetime.date
#: the period the tests ask for, and its data
QUERY = {"date_from": "2026-01-01", "date_to": "2026-06-30"}
TAX = {"in": 300.0, "out": 500.0, "west": 700.0, "east": 1100.0}


class CockpitWorld:
    """World's two parks (district "District") plus a park in "West" (brand in) and one in "East" (brand out);
    a government partner for West, whose body is party to West's agreement; the East body to East's."""

    def __init__(self) -> None:
        world = self.world = World.build()
        self.scheme = EvaluationScheme.objects.first() or load_scheme()
        self.parks = dict(world.park)
        self.gov = {}
        for district, brand in (("West", "in"), ("East", "out")):
            key = district.lower()
            park = Park.objects.create(
                code=f"park-{key}",
                name=f"Park {district}",
                brand=world.brand[brand],
                district=district,
                land_area=900_000,
            )
            self.parks[key] = park
            self.gov[key] = Organization.objects.create(
                name=f"{district} District Government", kind=Organization.Kind.GOVERNMENT, district=district
            )
        self.partner = User.objects.create_user(username="west_partner", password="x")
        self.partner.groups.add(Group.objects.get(name="government_partner"))
        self.partner.organizations.add(self.gov["west"])
        ExchangeRate.objects.create(currency="USD", rate=Decimal("7.2"), valid_from=D(2020, 1, 1))
        self.run = EvaluationRun.objects.create(scheme=self.scheme, scheme_version=1, year=2025, status="done")
        self.services = {
            aspect: Service.objects.create(name=f"Service {aspect}", aspect=aspect, provider=world.org["in"])
            for aspect in (Aspect.FINANCE, Aspect.GREEN)
        }
        Scenario.objects.create(name="Green factory", aspect=Aspect.GREEN, provider=world.org["in"])
        Scenario.objects.create(name="Bank day", aspect=Aspect.FINANCE, provider=world.org["in"])
        for n, key in enumerate(self.parks, start=1):
            self.fill(key, n)

    def fill(self, key: str, n: int) -> None:
        world, park = self.world, self.parks[key]
        org = Organization.objects.create(name=f"Tenant {key} Ltd", industry=world.industry)
        old = Organization.objects.create(name=f"Old tenant {key} Ltd", industry=world.industry)
        parcel = LandParcel.objects.create(park=park, code=f"C-{key}", area=20_000 * n, holder=org)
        idle = LandParcel.objects.create(park=park, code=f"I-{key}", area=6_667, holder=org, status="inefficient")
        building = Building.objects.create(parcel=parcel, code=f"CB-{key}", floor_area=10_000)
        units = [SpaceUnit.objects.create(building=building, code=f"U{key}{i}", area=100 * (i + 1)) for i in range(4)]
        # projects: signed in the period (CNY, and a USD one in one park), signed last year, landed this period
        for i in range(n):
            self.project(
                park,
                f"Fab {key} {i}",
                [(Stage.LEAD, D(2025, 11, 1)), (Stage.SIGNED, D(2026, 2 + i, 10))],
                10_000_000 * (i + 1),
            )
        self.project(park, f"Old {key}", [(Stage.SIGNED, D(2025, 9, 1))], 5_000_000)
        self.project(park, f"Landed {key}", [(Stage.SIGNED, D(2025, 5, 1)), (Stage.LANDED, D(2026, 4, 1))], 80_000_000)
        # agreements: one signed in the period with the district's government body, one last year
        agreement = Agreement.objects.create(
            title=f"Agreement {key}", park=park, signed_on=D(2026, 3, n), status="signed", kind="investment"
        )
        party = Party.objects.create(agreement=agreement, organization=org)
        if key in self.gov:
            Party.objects.create(agreement=agreement, organization=self.gov[key])
        Agreement.objects.create(
            title=f"Old agreement {key}", park=park, signed_on=D(2025, 9, 1), status="signed", kind="memorandum"
        )
        today = timezone.localdate()
        Commitment.objects.create(
            agreement=agreement,
            party=party,
            kind="investment",
            target_value=1,
            due_date=D(2027, 1, 1),
            met_on=D(2026, 5, 1),
            latest_value=1,
            unit="",
        )
        Commitment.objects.create(
            agreement=agreement, party=party, kind="investment", target_value=1, due_date=D(2026, 1, 5), unit=""
        )
        Commitment.objects.create(
            agreement=agreement,
            party=party,
            kind="jobs",
            target_value=1,
            due_date=today + datetime.timedelta(days=10),
            unit="",
        )
        # leases: the old tenant since 2025, the new one from the period, an intent that holds nothing
        self.lease(old, park, units[:1], D(2025, 1, 1), 100)
        self.lease(org, park, units[1:3], D(2026, 3, 1), 500)
        self.lease(org, park, units[3:], D(2026, 4, 1), 400, status=Lease.Status.INTENT)
        sale = Sale.objects.create(
            buyer=org, park=park, price_amount=1_000_000, price_currency="CNY", contract_date=D(2026, 5, 1), area=400
        )
        sale.units.set(units[3:])
        # evaluation: two results per park, one without land (left out of density)
        for grade, tax, land in (("A", TAX.get(key, 400.0), 10.0), ("B", 100.0, 0.0), ("C", 50.0, 5.0)):
            EvaluationResult.objects.create(
                run=self.run,
                organization=org if grade == "A" else old,
                park=park,
                cohort="above",
                status="graded",
                grade=grade,
                tax=tax,
                value_added=tax * 3,
                land_mu=land,
            )
        # land: an open flag, a case under disposal, one closed with the land returned
        ParcelFlag.objects.create(parcel=idle, reason="low_tax", detail=f"low {key}", flagged_on=D(2026, 2, 1))
        DisposalCase.objects.create(parcel=idle, path="buy_back", status="in_progress", opened_on=D(2026, 2, 2))
        freed = LandParcel.objects.create(park=park, code=f"F-{key}", area=3_000, holder=org, status="idle")
        DisposalCase.objects.create(
            parcel=freed,
            path="buy_back",
            status="closed",
            outcome="returned",
            opened_on=D(2025, 2, 2),
            closed_on=D(2026, 2, 2),
        )
        # service requests: done in time with a rating, done late, open
        tz = timezone.get_current_timezone()
        for i, (aspect, status, late) in enumerate(
            ((Aspect.FINANCE, Status.DONE, False), (Aspect.GREEN, Status.DONE, True), (Aspect.GREEN, Status.NEW, False))
        ):
            at = datetime.datetime(2026, 3, 1 + i, 9, tzinfo=tz)
            request = ServiceRequest.objects.create(
                enterprise=org,
                park=park,
                service=self.services[aspect],
                title=f"R {key} {i}",
                requested_at=at,
                status=status,
                rating=4 + (i % 2) if status == Status.DONE else None,
            )
            if status == Status.DONE:
                ServiceRequest.objects.filter(pk=request.pk).update(
                    responded_at=at, resolved_at=request.resolution_due + datetime.timedelta(days=1 if late else -1)
                )

    @staticmethod
    def project(park, name, history, amount, currency="CNY") -> Project:
        project = Project.objects.create(
            name=name,
            park=park,
            planned_investment_amount=amount,
            planned_investment_currency=currency,
            stage=history[-1][0],
            stage_since=history[-1][1],
        )
        previous = ""
        for stage, date in history:
            StageChange.objects.create(project=project, stage=stage, previous_stage=previous, date=date)
            previous = stage
        return project

    @staticmethod
    def lease(tenant, park, units, start, area, status=Lease.Status.SIGNED) -> Lease:
        lease = Lease.objects.create(
            tenant=tenant,
            park=park,
            start_date=start,
            end_date=D(2030, 12, 31),
            rent_amount=2,
            rent_basis="m2_day",
            currency="CNY",
            leased_area=area,
            status=status,
        )
        lease.units.set(units)
        return lease
