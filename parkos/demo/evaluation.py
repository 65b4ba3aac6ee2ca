"""The demo's land-efficiency evaluation: two years of indicator filings, the default schemes, one run per year.

``load_evaluation`` runs inside ``load_demo`` after leasing, drawing from the same ``random.Random``.
Every enterprise that holds land or leases space in a park files for the two years before the
reference date; figures are plausible per industry (tax per mu around the published Zhejiang
benchmarks, value added, energy and emissions in proportion). Tenants' land is apportioned from
their parcel by the floor area they lease, with the rule the evaluation service uses. The
above-threshold scheme is then run for each year by ``run_evaluation`` itself.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from parkos.core.changelog import log_bulk_create
from parkos.directory.models import Organization
from parkos.evaluation.models import EvaluationScheme, IndicatorFiling, LandRule, Source
from parkos.evaluation.scheme import default_schemes
from parkos.parks.models import Building, LandParcel

Progressbar = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]

#: tax per mu (CNY) around which an industry's enterprises scatter, by top-level industry code prefix
TAX_PER_MU = {"IC": 420_000, "AI": 380_000, "BIO": 330_000, "EQ": 240_000, "NE": 260_000, "MAT": 200_000}
DEFAULT_TAX_PER_MU = 230_000
BATCH = 2000


def _lognormal(rng: random.Random, sigma: float) -> float:
    return math.exp(rng.gauss(0.0, sigma))


def _money(value: float) -> Decimal:
    return Decimal(round(value)).quantize(Decimal("0.01"))


def load_evaluation(
    rng: random.Random,
    *,
    enterprises: list[Organization],
    today: date,
    counts: dict[str, int],
    progress: Progressbar,
    user=None,
) -> None:
    from parkos.evaluation.services import run_evaluation

    schemes = {}
    for key, definition in default_schemes().items():
        scheme = EvaluationScheme(definition=definition.to_dict())
        scheme.full_clean()
        scheme.save()
        schemes[key] = scheme
    counts["evaluation_schemes"] += len(schemes)

    ids = [e.pk for e in enterprises]
    industry_of = {e.pk: (e.industry.code if e.industry_id else "") for e in enterprises}
    # land holders: their parcels' area; tenants: the floor area their leases hold, on their main parcel
    held: dict[int, tuple[int, int, Decimal, int | None]] = {}
    for holder, park, parcel, area, granted in (
        LandParcel.objects.filter(holder_id__in=ids)
        .order_by("holder_id", "-area", "pk")
        .values_list("holder_id", "park_id", "pk", "area", "granted__year")
    ):
        if holder in held:
            held[holder] = (held[holder][0], held[holder][1], held[holder][2] + area, held[holder][3])
        else:
            held[holder] = (park, parcel, area, granted)
    leased: dict[int, tuple[int, int, Decimal]] = {}
    try:
        from parkos.leasing.models import Lease

        rows = (
            Lease.objects.filter(tenant_id__in=ids, status__in=Lease.HOLDING)
            .values("tenant_id", "park_id", "units__building__parcel_id")
            .annotate(area=Sum("units__area"))
            .order_by("tenant_id", "-area")
        )
        for row in rows:
            if row["tenant_id"] not in held and row["tenant_id"] not in leased and row["area"]:
                leased[row["tenant_id"]] = (row["park_id"], row["units__building__parcel_id"], row["area"])
    except ImportError:
        pass
    built = dict(
        Building.objects.filter(parcel_id__in={v[1] for v in leased.values()})
        .values("parcel_id")
        .annotate(total=Sum("floor_area"))
        .values_list("parcel_id", "total")
    )
    parcel_area = dict(LandParcel.objects.filter(pk__in={v[1] for v in leased.values()}).values_list("pk", "area"))

    years = (today.year - 2, today.year - 1)
    filings = []
    for organization_id in sorted(set(held) | set(leased)):
        industry = industry_of.get(organization_id, "")
        base = next((v for k, v in TAX_PER_MU.items() if industry.startswith(k)), DEFAULT_TAX_PER_MU)
        if organization_id in held:
            park, parcel, land, _granted = held[organization_id]
            floor, tenant, rule = None, False, LandRule.OWN
        else:
            park, parcel, floor = leased[organization_id]
            total = built.get(parcel) or floor
            land = (parcel_area.get(parcel, Decimal(0)) * floor / total).quantize(Decimal("0.01"))
            tenant, rule = True, LandRule.FILED_FLOOR_AREA
        mu = float(land) * 15 / 10000
        quality = _lognormal(rng, 0.6)
        tax = max(mu, 0.3) * base * quality
        value_added_factor = 5 * _lognormal(rng, 0.25)
        incident_year = years[1] if rng.random() < 0.01 else None
        for year in years:
            growth = 1.0 if year == years[0] else rng.uniform(0.88, 1.18)
            year_tax = tax * growth
            value_added = year_tax * value_added_factor
            revenue = value_added * rng.uniform(3.0, 5.0)
            energy = value_added / 10000 / 2.7 * _lognormal(rng, 0.4)
            sources = {
                "tax": Source.TAX,
                "revenue": Source.STATISTICS,
                "industrial_output": Source.STATISTICS,
                "value_added": Source.STATISTICS,
                "rd_expenditure": Source.STATISTICS,
                "employees": Source.STATISTICS,
                "energy_tce": Source.STATISTICS,
                "electricity_kwh": Source.POWER,
            }
            filing = IndicatorFiling(
                organization_id=organization_id,
                year=year,
                park_id=park,
                parcel_id=parcel,
                revenue=_money(revenue),
                industrial_output=_money(revenue * rng.uniform(0.8, 1.0)),
                value_added=_money(value_added),
                tax=_money(year_tax),
                rd_expenditure=_money(revenue * rng.uniform(0.005, 0.07)),
                employees=max(3, int(value_added / rng.uniform(150_000, 400_000))),
                energy_tce=Decimal(round(energy, 2)),
                electricity_kwh=Decimal(round(energy * rng.uniform(5_000, 9_000))),
                land_area=land,
                floor_area=floor,
                above_size_threshold=revenue >= 20_000_000,
                major_incident=incident_year == year,
                is_tenant=tenant,
                land_rule=rule,
                sources=sources,
            )
            if rng.random() < 0.85:  # the environmental bureau's figures reach most enterprises
                filing.emissions_t = Decimal(round(value_added / 10000 / 4900 * _lognormal(rng, 0.5), 4))
                filing.sources["emissions_t"] = Source.STAFF
            if rule == LandRule.OWN:
                filing.sources["land_area"] = Source.LAND
            filings.append(filing)

    with progress("Indicator filings", len(filings)) as advance:
        for start in range(0, len(filings), BATCH):
            batch = filings[start : start + BATCH]
            IndicatorFiling.objects.bulk_create(batch)
            counts["change_records"] += log_bulk_create(batch)
            advance(len(batch))
    counts["indicator_filings"] += len(filings)

    with progress("Evaluation runs", len(years)) as advance:
        for year in years:
            run_evaluation(scheme=schemes["zhejiang_above_threshold"], year=year, user=user, apportion=False)
            counts["evaluation_runs"] += 1
            advance(1)
