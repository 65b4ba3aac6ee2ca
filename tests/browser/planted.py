"""Names with markup in them, in every record a page may draw on a map or chart (issue 12 #2).

``plant()`` builds a small world whose every user-typed name (brand, park, parcel, holder, tenant,
industry, building, unit, service, request, project) carries ``PAYLOAD``; a page that builds HTML from
one of them makes an ``<img src=x>`` whose handler counts into ``window.__xss``.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

PASSWORD = "no-script-from-data-2026"
PAYLOAD = '<img src=x onerror="window.__xss=(window.__xss||0)+1">'
#: the same attack short enough for a 40-character code (PostgreSQL enforces the length; SQLite does not)
SHORT_PAYLOAD = "<img src=x onerror=__xss=1>"
PARK_BOUNDARY = {
    "type": "Polygon",
    "coordinates": [[[121.49, 31.19], [121.53, 31.19], [121.53, 31.23], [121.49, 31.23], [121.49, 31.19]]],
}
PARCEL_OUTLINE = {
    "type": "Polygon",
    "coordinates": [[[121.50, 31.20], [121.52, 31.20], [121.52, 31.22], [121.50, 31.22], [121.50, 31.20]]],
}
ADMIN, ENTERPRISE, ROOT = "op.admin", "ent.user", "site.root"


def plant() -> dict[str, object]:
    from parkos.directory.models import Industry, Organization
    from parkos.evaluation.models import EvaluationRun
    from parkos.evaluation.tests.helpers import load_scheme
    from parkos.investment.models import Project, Stage
    from parkos.investment.services import ensure_stage_history
    from parkos.land.models import ParcelFlag
    from parkos.leasing.models import Lease
    from parkos.parks.models import Building, LandParcel, Park, ParkBrand, SpaceUnit
    from parkos.services.models import Aspect, Service, ServiceRequest

    users = get_user_model().objects
    admin = users.create_user(username=ADMIN, password=PASSWORD)
    admin.groups.add(Group.objects.get(name="operator_admin"))
    root = users.create_superuser(username=ROOT, password=PASSWORD)

    industry = Industry.objects.create(code="X-SS", name=f"Industry {PAYLOAD}", name_en=f"Industry {PAYLOAD}")
    brand = ParkBrand.objects.create(code="xss", name=f"Brand {PAYLOAD}")
    park = Park.objects.create(
        code="xss-park",
        name=f"Park {PAYLOAD}",
        brand=brand,
        district="Pudong",
        land_area=1_000_000,
        boundary=PARK_BOUNDARY,
    )
    holder = Organization.objects.create(name=f"Holder {PAYLOAD}", industry=industry)
    other = Organization.objects.create(name=f"Other {PAYLOAD}", industry=industry)
    enterprise = users.create_user(username=ENTERPRISE, password=PASSWORD)
    enterprise.groups.add(Group.objects.get(name="enterprise_user"))
    enterprise.organizations.add(holder, other)  # two: the portal's enterprise select shows

    parcel = LandParcel.objects.create(
        park=park, code=f"P{SHORT_PAYLOAD}", area=20_000, holder=holder, geometry=PARCEL_OUTLINE
    )
    ParcelFlag.objects.create(parcel=parcel, detail=f"detail {PAYLOAD}")
    building = Building.objects.create(parcel=parcel, code="B1", name=f"Building {PAYLOAD}", floor_area=6_000)
    unit = SpaceUnit.objects.create(building=building, code=f"U{SHORT_PAYLOAD}", area=500)
    today = timezone.localdate()
    lease = Lease.objects.create(
        tenant=holder,
        park=park,
        start_date=today.replace(month=1, day=1),
        end_date=datetime.date(today.year + 5, 12, 31),
        rent_amount=3,
        leased_area=500,
        status=Lease.Status.IN_FORCE,
    )
    lease.units.set([unit])

    service = Service.objects.create(name=f"Service {PAYLOAD}", aspect=Aspect.FINANCE, provider=other)
    ServiceRequest.objects.create(enterprise=holder, park=park, service=service, title=f"Request {PAYLOAD}")

    project = Project.objects.create(
        name=f"Project {PAYLOAD}",
        stage=Stage.LEAD,
        park=park,
        industry=industry,
        stage_since=today - datetime.timedelta(days=10),
    )
    ensure_stage_history(project, None)

    now = timezone.now()
    run = EvaluationRun.objects.create(
        scheme=load_scheme(),
        year=today.year - 1,
        status=EvaluationRun.Status.RUNNING,
        progress=40,
        started=now,
        heartbeat_at=now,
        created_by=admin,
    )
    return {"admin": admin, "root": root, "enterprise": enterprise, "run": run, "park": park, "project": project}
