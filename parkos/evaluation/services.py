"""Evaluation services: importing filings from the sources, apportioning tenants' land, and evaluation runs."""

from __future__ import annotations

import datetime
import queue
import threading
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, TypedDict, TypeVar, cast

import polars as pl
import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F, FloatField, Sum, TextField
from django.db.models.functions import Cast, ExtractYear, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parkos.core import writes
from parkos.core.actors import Actor
from parkos.core.changelog import change_context
from parkos.core.errors import NotFound
from parkos.core.heartbeat import heartbeat
from parkos.core.permissions import Action, Scope, can, scope_of
from parkos.core.resources import RowError
from parkos.directory.models import Organization
from parkos.evaluation import benchmarks, engine
from parkos.evaluation.layouts import FALSE_WORDS, LAYOUTS, TRUE_WORDS, Column, match_headers
from parkos.evaluation.models import (
    M2_PER_MU,
    Appeal,
    AreaResult,
    EvaluationResult,
    EvaluationRun,
    EvaluationScheme,
    IndicatorFiling,
    LandRule,
    RunBenchmark,
    Source,
)
from parkos.evaluation.scheme import Scheme
from parkos.notifications.models import EventKind
from parkos.notifications.services import notify
from parkos.parks.models import LandParcel, Park
from parkos.users.models import User

Progress = Callable[[int, str], None]
#: a parcel's land area, the floor area of all its buildings (None: none built), its park
ParcelAreas = tuple[Decimal, Decimal | None, int]
#: land, the rule that found it, the parcel
Apportioned = tuple[Decimal, str, int]
_T = TypeVar("_T")

# --- filings import -------------------------------------------------------------------------------------------


class PreviewRow(TypedDict):
    row: int
    type: str
    object: str


@dataclass
class FilingsImportReport:
    total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors


def _parse(column: Column, raw: object, factor: Decimal = Decimal(1)) -> object:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if column.kind == "flag":
        text = str(raw).strip().lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError(_("'%(value)s' is not yes or no (use 1/0, 是/否).") % {"value": raw})
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError(_("'%(value)s' is not a number.") % {"value": raw}) from exc
    if not value.is_finite() or value < 0:
        raise ValueError(_("'%(value)s' must be a number of at least 0.") % {"value": raw})
    value *= factor
    if column.kind == "integer":
        if value != value.to_integral_value():
            raise ValueError(_("'%(value)s' must be a whole number.") % {"value": raw})
        return int(value)
    places = 2 if column.field in ("land_area", "floor_area") or column.kind == "decimal" else 4
    if column.field in ("energy_tce", "electricity_kwh", "emissions_t"):
        places = 4
    return value.quantize(Decimal(1).scaleb(-places))


def home_of(organization_ids: set[int]) -> dict[int, tuple[int, int | None]]:
    """Enterprise -> (park, parcel) for new filings: the parcel it holds, else the parcel of a unit it leases."""
    home: dict[int, tuple[int, int | None]] = {}
    for holder, park, parcel in (
        LandParcel.objects.filter(holder_id__in=organization_ids)
        .order_by("-area", "pk")
        .values_list("holder_id", "park_id", "pk")
    ):
        home.setdefault(holder, (park, parcel))
    missing = organization_ids - set(home)
    if missing:
        try:
            from parkos.leasing.models import Lease
        except ImportError:  # leasing not installed
            return home
        for tenant, park, parcel in (
            Lease.objects.filter(tenant_id__in=missing)
            .order_by("-start_date", "pk")
            .values_list("tenant_id", "park_id", "units__building__parcel_id")
        ):
            home.setdefault(tenant, (park, parcel))
    return home


def filings_import(
    *,
    layout: str,
    dataset: tablib.Dataset,
    user: Actor,
    dry_run: bool = False,
    on_row: Callable[[], None] | None = None,
) -> FilingsImportReport:
    """Merge one source's file into the filings by credit code and year; all rows or none.

    Each value written records the layout's source. A row whose values equal the filing's (and
    whose sources already say this source) changes nothing and writes no change-log row.
    """
    spec = LAYOUTS[layout]
    report = FilingsImportReport(total=len(dataset), dry_run=dry_run)
    identity, values, header_errors = match_headers(spec, list(dataset.headers or []))
    if header_errors:
        report.errors = [RowError(0, "", message) for message in header_errors]
        report.dry_run = True
        return report
    headers = list(dataset.headers)
    parsed: list[tuple[int, str, int | None, str | None, dict[str, object]]] = []
    for number, row in enumerate(dataset, start=1):
        code = str(row[identity["credit_code"]] or "").strip().upper()
        if not code:
            report.errors.append(RowError(number, headers[identity["credit_code"]], _("The credit code is empty.")))
        year: int | None = None
        try:
            year = int(Decimal(str(row[identity["year"]]).strip()))
            if not 1990 <= year <= 2100:
                raise ValueError
        except (ValueError, InvalidOperation, TypeError):
            report.errors.append(
                RowError(
                    number,
                    headers[identity["year"]],
                    _("'%(value)s' is not a year.") % {"value": row[identity["year"]]},
                )
            )
        park_code = str(row[identity["park"]] or "").strip() if "park" in identity else None
        row_values: dict[str, object] = {}
        for matched in values:
            try:
                value = _parse(matched.column, row[matched.position], matched.factor)
            except ValueError as exc:
                report.errors.append(RowError(number, matched.header, str(exc)))
                continue
            row_values[matched.column.field] = value
        parsed.append((number, code, year, park_code, row_values))

    organizations = {
        o.credit_code: o
        for o in Organization.objects.restrict(user).filter(credit_code__in={p[1] for p in parsed if p[1]})
    }
    parks = {p.code: p for p in Park.objects.restrict(user).filter(code__in={p[3] for p in parsed if p[3]})}
    home = home_of({o.pk for o in organizations.values()})
    existing = {
        (f.organization_id, f.year): f
        for f in IndicatorFiling.objects.filter(
            organization__in=organizations.values(), year__in={p[2] for p in parsed if p[2]}
        )
    }
    writable = set(
        IndicatorFiling.objects.restrict(user, Action.CHANGE)
        .filter(pk__in=[f.pk for f in existing.values()])
        .values_list("pk", flat=True)
    )
    may_add = IndicatorFiling.objects.restrict(user, Action.ADD).exists() or user.has_perm(
        "evaluation.add_indicatorfiling"
    )
    seen: dict[tuple[int, int], int] = {}
    work: list[tuple[int, IndicatorFiling]] = []
    code_column = headers[identity["credit_code"]]
    for number, code, year, park_code, row_values in parsed:
        if not code or year is None:
            continue
        organization = organizations.get(code)
        if organization is None:
            report.errors.append(
                RowError(
                    number, code_column, _("No enterprise with credit code %(code)s that you can see.") % {"code": code}
                )
            )
            continue
        if (organization.pk, year) in seen:
            report.errors.append(
                RowError(
                    number,
                    code_column,
                    _("This enterprise and year are already in row %(row)d.") % {"row": seen[(organization.pk, year)]},
                )
            )
            continue
        seen[(organization.pk, year)] = number
        filing = existing.get((organization.pk, year))
        created = filing is None
        if filing is None:
            if not may_add:
                report.errors.append(RowError(number, code_column, _("You may not add indicator filings.")))
                continue
            park = parks.get(park_code) if park_code else None
            if park_code and park is None:
                report.errors.append(
                    RowError(number, headers[identity["park"]], _("No park with code %(code)s.") % {"code": park_code})
                )
                continue
            park_id, parcel_id = (park.pk, None) if park else home.get(organization.pk, (None, None))
            if park_id is None:
                report.errors.append(
                    RowError(
                        number,
                        code_column,
                        _("%(name)s holds no parcel and leases no space: add a park column with the park code.")
                        % {"name": organization.name},
                    )
                )
                continue
            filing = IndicatorFiling(organization=organization, year=year, park_id=park_id, parcel_id=parcel_id)
        elif filing.pk not in writable:
            report.errors.append(RowError(number, code_column, _("You may not change this enterprise's filing.")))
            continue
        changed = created
        sources = dict(filing.sources or {})
        for name, value in row_values.items():
            if value is None:
                continue
            if getattr(filing, name) != value:
                setattr(filing, name, value)
                changed = True
            if name in IndicatorFiling.VALUE_FIELDS and sources.get(name) != spec.source:
                sources[name] = spec.source
                changed = True
            if name == "land_area" and filing.land_rule != LandRule.OWN:
                filing.land_rule = LandRule.OWN
                changed = True
        filing.sources = sources
        if created:
            report.new += 1
        elif changed:
            report.updated += 1
        else:
            report.unchanged += 1
        if len(report.preview) < 200:
            report.preview.append(
                {
                    "row": number,
                    "type": _("new") if created else (_("update") if changed else _("unchanged")),
                    "object": f"{organization.name} {year}",
                }
            )
        if changed:
            work.append((number, filing))
    if report.errors:
        report.errors.sort(key=lambda e: (e.row, e.field))
        report.dry_run = True
        return report
    # Write inside one transaction, also for a dry run (then rolled back), so that the scope rule is the
    # one restrict() applies to the saved rows: a filing that would lie outside the user's parks is an error.
    with transaction.atomic(), change_context(user=user, source="import"):
        for number, filing in work:
            try:
                filing.full_clean(validate_unique=False)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    report.errors.extend(RowError(number, name, m) for m in messages)
                continue
            filing.save()
            if on_row:
                on_row()
        saved = {f.pk for _n, f in work if f.pk}
        allowed = set(
            IndicatorFiling.objects.restrict(user, Action.CHANGE).filter(pk__in=saved).values_list("pk", flat=True)
        )
        for number, filing in work:
            if filing.pk and filing.pk not in allowed:
                report.errors.append(
                    RowError(
                        number,
                        code_column,
                        _("This filing would lie outside the parks or enterprises you are assigned to."),
                    )
                )
        if report.errors or dry_run:
            transaction.set_rollback(True)
    if report.errors:
        report.errors.sort(key=lambda e: (e.row, e.field))
        report.dry_run = True
        return report
    report.dry_run = dry_run
    return report


# --- tenants' land ----------------------------------------------------------------------------------------------


def _leased_floor_areas(organization_ids: Iterable[int], year: int) -> dict[int, dict[int, Decimal]]:
    """Enterprise -> parcel -> floor area of the space units it leases on 31 December of ``year`` (one query)."""
    try:
        from parkos.leasing.models import Lease
        from parkos.leasing.selectors import lease_holds_q
    except ImportError:
        return {}
    leases = Lease.objects.filter(lease_holds_q(datetime.date(year, 12, 31)), tenant_id__in=organization_ids)
    rows = leases.values("tenant_id", "units__building__parcel_id").annotate(area=Sum("units__area"))
    areas: dict[int, dict[int, Decimal]] = {}
    for row in rows:
        if row["area"]:
            areas.setdefault(row["tenant_id"], {})[row["units__building__parcel_id"]] = row["area"]
    return areas


def _apportion(
    filing: IndicatorFiling, leased: dict[int, Decimal], parcels: dict[int, ParcelAreas]
) -> Apportioned | None:
    """(land, rule, parcel id) for a tenant filing, or None when no rule applies.

    share = floor area it uses / floor area of all buildings on the parcel; land = share × parcel area.
    The floor area used is what its leases of space units in the filing's park hold at year end when
    there are any, else the floor area on the filing. Land from a source (the land bureau, the
    enterprise) is kept. The parcel is always one of the filing's park: space an enterprise leases in
    another park is that park's business (a filing there, if it files one).
    """
    apportioned = (LandRule.LEASED_FLOOR_AREA, LandRule.FILED_FLOOR_AREA)
    if not filing.is_tenant or filing.land_rule == LandRule.OWN:
        return None
    if filing.land_area is not None and filing.land_rule not in apportioned:
        return None  # land the enterprise or staff filed stays as filed
    leased = {pid: used for pid, used in leased.items() if pid in parcels and parcels[pid][2] == filing.park_id}
    parcel_id = filing.parcel_id
    if leased:
        parcel_id = parcel_id if parcel_id in leased else max(leased, key=lambda k: (leased[k], -k))
        used, rule = leased[parcel_id], LandRule.LEASED_FLOOR_AREA
    elif filing.floor_area and parcel_id:
        used, rule = filing.floor_area, LandRule.FILED_FLOOR_AREA
    else:
        return None
    area, built, _park = parcels.get(parcel_id, (None, None, None))
    if not built or area is None:  # a parcel always has an area: None only when it is not found
        return None
    return min(area, area * used / built).quantize(Decimal("0.01")), rule, parcel_id


def _parcel_areas(parcel_ids: Iterable[int]) -> dict[int, ParcelAreas]:
    """Parcel -> (land area, floor area of all its buildings, park), in one query."""
    rows = LandParcel.objects.filter(pk__in=parcel_ids).annotate(built=Sum("buildings__floor_area"))
    return {p.pk: (p.area, p.built, p.park_id) for p in rows}


def apportioned_land(filings: list[IndicatorFiling]) -> list[Apportioned | None]:
    """(land, rule, parcel id) for each filing, None where no rule applies; reads only (three queries for all)."""
    if not filings:
        return []
    year_groups: dict[int, list[IndicatorFiling]] = {}
    for filing in filings:
        year_groups.setdefault(filing.year, []).append(filing)
    leased: dict[tuple[int, int], dict[int, Decimal]] = {}
    for year, group in year_groups.items():
        for org_id, areas in _leased_floor_areas({f.organization_id for f in group}, year).items():
            leased[(org_id, year)] = areas
    parcel_ids = {f.parcel_id for f in filings if f.parcel_id}
    parcel_ids |= {pid for areas in leased.values() for pid in areas}
    parcels = _parcel_areas(parcel_ids)
    return [_apportion(filing, leased.get((filing.organization_id, filing.year), {}), parcels) for filing in filings]


def _apportion_filings(filings: list[IndicatorFiling], user: Actor | None = None) -> list[str | None]:
    """Apportion land to each filing and save, change-logged, those that changed (an officer's explicit act)."""
    rules: list[str | None] = []
    for filing, outcome in zip(filings, apportioned_land(filings), strict=True):
        if outcome is None:
            rules.append(None)
            continue
        land, rule, parcel_id = outcome
        rules.append(rule)
        if (filing.land_area, filing.land_rule, filing.parcel_id) == (land, rule, parcel_id):
            continue
        filing.land_area, filing.land_rule, filing.parcel_id = land, rule, parcel_id
        with change_context(user=user, source="system"):
            filing.save(update_fields=["land_area", "land_rule", "parcel", "last_updated"])
    return rules


def filing_apportion_land(*, filing: IndicatorFiling, user: Actor | None = None) -> str | None:
    """Give a tenant without land of its own a share of its parcel's land; returns the rule used (or None)."""
    return _apportion_filings([filing], user)[0]


def tenant_filings_frame(year: int) -> pl.DataFrame:
    """The tenant filings of ``year`` not on land of their own, as apportioned_land_frame reads them (one query)."""
    query = (
        IndicatorFiling.objects.filter(year=year, is_tenant=True)
        .exclude(land_rule=LandRule.OWN)
        .order_by("pk")
        .annotate(f_land=Cast("land_area", FloatField()), f_floor=Cast("floor_area", FloatField()))
    )
    schema = {
        "filing_id": pl.Int64,
        "organization_id": pl.Int64,
        "park_id": pl.Int64,
        "parcel_id": pl.Int64,
        "is_tenant": pl.Boolean,
        "land_rule": pl.String,
        "land_area": pl.Float64,
        "floor_area": pl.Float64,
    }
    return read_frame(
        query.values_list(
            "pk", "organization_id", "park_id", "parcel_id", "is_tenant", "land_rule", "f_land", "f_floor"
        ),
        schema,
    )


def apportion_tenant_land(*, year: int, user: Actor | None = None) -> dict[str, int]:
    """Apportion land to every tenant filing of ``year`` that has none of its own; counts per rule.

    The shares are computed for all tenants in one vectorised step (apportioned_land_frame); only the
    filings whose land, rule or parcel changed are loaded and saved (change-logged).
    """
    frame = tenant_filings_frame(year)
    shares = apportioned_land_frame(frame, year)
    counts = {rule: n for rule, n in shares.group_by("_rule").len().iter_rows()}
    changed = shares.join(frame, on="filing_id").filter(
        pl.col("land_area").ne_missing(pl.col("_land"))
        | pl.col("land_rule").ne_missing(pl.col("_rule"))
        | pl.col("parcel_id").ne_missing(pl.col("_parcel"))
    )
    outcome = {
        pk: (land, rule, parcel)
        for pk, land, rule, parcel in changed.select("filing_id", "_land", "_rule", "_parcel").iter_rows()
    }
    ids = list(outcome)
    for start in range(0, len(ids), 5000):
        for filing in IndicatorFiling.objects.filter(pk__in=ids[start : start + 5000]):
            land, rule, parcel_id = outcome[filing.pk]
            filing.land_area, filing.land_rule, filing.parcel_id = (
                Decimal(str(land)).quantize(Decimal("0.01")),
                rule,
                parcel_id,
            )
            with change_context(user=user, source="system"):
                filing.save(update_fields=["land_area", "land_rule", "parcel", "last_updated"])
    return counts


# --- runs ---------------------------------------------------------------------------------------------------------

#: the filing frame's columns: name -> ORM expression
_FRAME_COLUMNS = {
    "filing_id": F("pk"),
    "organization_id": F("organization_id"),
    "credit_code_raw": F("organization__credit_code"),
    "year": F("year"),
    "park_id": F("park_id"),
    "parcel_id": F("parcel_id"),
    "brand_id": F("park__brand_id"),
    "district": F("park__district"),
    "industry_national": F("organization__industry__national_code"),
    "industry_code": F("organization__industry__code"),
    # dates travel as text (SQLite would parse each in Python, and ExtractYear is a Python function there)
    "founded_year": Cast("organization__established", TextField()),
    "land_year": Cast("parcel__granted", TextField()),
    "above_size_threshold": F("above_size_threshold"),
    "major_incident": F("major_incident"),
    "is_tenant": F("is_tenant"),
    **{
        name: Cast(name, FloatField())
        for name in (
            "revenue",
            "industrial_output",
            "value_added",
            "tax",
            "rd_expenditure",
            "employees",
            "energy_tce",
            "electricity_kwh",
            "emissions_t",
            "land_area",
            "floor_area",
        )
    },
    "production_start": Cast("production_start", TextField()),
    "founded": Cast("organization__established", TextField()),
}
_SCHEMA = {
    "filing_id": pl.Int64,
    "organization_id": pl.Int64,
    "credit_code_raw": pl.String,
    "year": pl.Int64,
    "park_id": pl.Int64,
    "parcel_id": pl.Int64,
    "brand_id": pl.Int64,
    "district": pl.String,
    "industry_national": pl.String,
    "industry_code": pl.String,
    "founded_year": pl.Int64,
    "land_year": pl.Int64,
    "above_size_threshold": pl.Boolean,
    "major_incident": pl.Boolean,
    "is_tenant": pl.Boolean,
    **{name: pl.Float64 for name in list(_FRAME_COLUMNS)[15:-2]},
    "production_start": pl.Date,
    "founded": pl.Date,
}
KEEP = ("filing_id", "organization_id", "park_id", "parcel_id", "brand_id", "district")


def _wire_dtype(dtype: Any, vendor: str) -> Any:
    """How a column comes over: dates as text (parsed by Polars), flags as t/f from PostgreSQL's CSV."""
    if dtype == pl.Date or (vendor == "postgresql" and dtype == pl.Boolean):
        return pl.String()
    return dtype


#: rows fetched at a time from SQLite (PostgreSQL streams the whole result with COPY)
FETCH_CHUNK = 100_000


def read_frame(query: Any, schema: dict[str, Any]) -> pl.DataFrame:
    """The rows of a ``values_list`` queryset as a Polars frame with ``schema``, read in columnar form.

    Date columns must be selected as text (``Cast(..., TextField())``): Polars parses them.

    PostgreSQL: ``COPY (query) TO STDOUT (FORMAT csv)`` straight into ``polars.read_csv``. SQLite:
    ``fetchmany`` in chunks of FETCH_CHUNK, one frame per chunk. No model instance and no per-row
    Python conversion either way.
    """
    from django.db import connections

    connection = connections[query.db]
    vendor = connection.vendor
    wire = {name: _wire_dtype(dtype, vendor) for name, dtype in schema.items()}
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            from psycopg import ClientCursor

            with ClientCursor(connection.connection) as client:
                statement = client.mogrify(sql, params)
            chunks: list[bytes] = []
            with cursor.cursor.copy(f"COPY ({statement}) TO STDOUT (FORMAT csv)") as copy:
                chunks.extend(bytes(data) for data in copy)
            data = b"".join(chunks)
            frame = (
                pl.read_csv(data, has_header=False, new_columns=list(wire), schema=wire)
                if data
                else pl.DataFrame(schema=wire)
            )
            del data, chunks
        else:
            cursor.execute(sql, params)
            frames = [pl.DataFrame(schema=wire)]
            while rows := cursor.fetchmany(FETCH_CHUNK):
                frames.append(pl.DataFrame(rows, schema=wire, orient="row"))
            frame = pl.concat(frames, how="vertical")
    casts = []
    for name, dtype in schema.items():
        if dtype == pl.Date:
            casts.append(pl.col(name).str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False))
        elif dtype == pl.Boolean and vendor == "postgresql":
            casts.append(pl.col(name) == "t")
    return frame.with_columns(casts) if casts else frame


def filings_frame(year: int, *, apportion: bool = False) -> pl.DataFrame:
    """One year's filings as the engine reads them: one query read in columnar form, values as floats, land in mu.

    ``apportion``: tenants' land is their share of their parcel's (apportioned_land_frame), computed into
    the frame from the current leases in one vectorised step; the filings themselves are never written by a run.
    """
    query = (
        IndicatorFiling.objects.filter(year=year)
        .order_by("pk")
        .annotate(**{f"f_{name}": expr for name, expr in _FRAME_COLUMNS.items()}, f_land_rule=F("land_rule"))
    )
    columns = [*_FRAME_COLUMNS, "land_rule"]
    wire = {**_SCHEMA, "founded_year": pl.Date, "land_year": pl.Date, "land_rule": pl.String}
    frame = read_frame(query.values_list(*[f"f_{name}" for name in columns]), wire).with_columns(
        pl.col("founded_year", "land_year").dt.year().cast(pl.Int64)
    )
    if apportion:
        frame = _with_apportioned_land(frame, year)
    # an enterprise without a credit code still needs a key that is unique and stable
    return frame.with_columns(
        credit_code=pl.coalesce(pl.col("credit_code_raw"), pl.lit("ORG-") + pl.col("organization_id").cast(pl.String)),
        industry=pl.coalesce(pl.col("industry_national"), pl.col("industry_code")),
        land_mu=pl.col("land_area") * 15.0 / 10000.0,
        floor_area_m2=pl.col("floor_area"),
    ).drop("credit_code_raw", "industry_national", "industry_code", "land_rule")


def _leased_frame(year: int) -> pl.DataFrame:
    """Tenant -> parcel -> floor area of the space units its leases hold on 31 December (one grouped query).

    Only enterprises with a tenant filing of ``year`` (a subquery, never a list of ids).
    """
    schema = {"organization_id": pl.Int64, "leased_parcel": pl.Int64, "used": pl.Float64}
    try:
        from parkos.leasing.models import Lease
        from parkos.leasing.selectors import lease_holds_q
    except ImportError:
        return pl.DataFrame(schema=schema)
    tenants = IndicatorFiling.objects.filter(year=year, is_tenant=True).values("organization_id")
    rows = (
        Lease.objects.filter(lease_holds_q(datetime.date(year, 12, 31)), tenant_id__in=tenants)
        .order_by()
        .values("tenant_id", "units__building__parcel_id")
        .annotate(f_used=Cast(Sum("units__area"), FloatField()))
        .values_list("tenant_id", "units__building__parcel_id", "f_used")
    )
    return read_frame(rows, schema).filter(pl.col("leased_parcel").is_not_null() & (pl.col("used") > 0))


def _parcels_frame() -> pl.DataFrame:
    """Every parcel: its land area, the floor area of all its buildings (null: none built), park and grant year."""
    rows = (
        LandParcel.objects.order_by()
        .annotate(
            f_area=Cast("area", FloatField()),
            f_built=Cast(Sum("buildings__floor_area"), FloatField()),
            f_year=ExtractYear("granted"),
        )
        .values_list("pk", "f_area", "f_built", "park_id", "f_year")
    )
    schema = {"parcel": pl.Int64, "area": pl.Float64, "built": pl.Float64, "parcel_park": pl.Int64, "granted": pl.Int64}
    return read_frame(rows, schema)


def apportioned_land_frame(filings: pl.DataFrame, year: int) -> pl.DataFrame:
    """(filing_id, land, rule, parcel, land_year) for each tenant filing of ``filings`` a rule applies to.

    ``filings`` has filing_id, organization_id, park_id, parcel_id, is_tenant, land_rule, land_area and
    floor_area. The rules of _apportion, as one vectorised step over all tenants (three queries in all).
    """
    apportioned = [LandRule.LEASED_FLOOR_AREA.value, LandRule.FILED_FLOOR_AREA.value]
    tenants = filings.filter(
        pl.col("is_tenant")
        & (pl.col("land_rule") != LandRule.OWN.value)
        & (pl.col("land_area").is_null() | pl.col("land_rule").is_in(apportioned))
    ).select("filing_id", "organization_id", "park_id", "parcel_id", "floor_area")
    schema = {
        "filing_id": pl.Int64,
        "_land": pl.Float64,
        "_rule": pl.String,
        "_parcel": pl.Int64,
        "_land_year": pl.Int64,
    }
    if tenants.is_empty():
        return pl.DataFrame(schema=schema)
    parcels = _parcels_frame()
    # the leased parcels of the filing's own park; the filing's parcel when it leases there, else the largest
    leased = (
        tenants.select("filing_id", "organization_id", "park_id", "parcel_id")
        .join(_leased_frame(year), on="organization_id")
        .join(parcels.select("parcel", "parcel_park"), left_on="leased_parcel", right_on="parcel")
        .filter(pl.col("parcel_park") == pl.col("park_id"))
        .with_columns(own=(pl.col("leased_parcel") == pl.col("parcel_id")).fill_null(False))
        .sort(["filing_id", "own", "used", "leased_parcel"], descending=[False, True, True, False])
        .unique("filing_id", keep="first")
        .select("filing_id", "leased_parcel", "used")
    )
    filed = (pl.col("floor_area").fill_null(0) != 0) & pl.col("parcel_id").is_not_null()
    chosen = (
        tenants.join(leased, on="filing_id", how="left")
        .with_columns(
            _parcel=pl.when(pl.col("leased_parcel").is_not_null())
            .then(pl.col("leased_parcel"))
            .when(filed)
            .then(pl.col("parcel_id")),
            _used=pl.when(pl.col("leased_parcel").is_not_null())
            .then(pl.col("used"))
            .when(filed)
            .then(pl.col("floor_area")),
            _rule=pl.when(pl.col("leased_parcel").is_not_null())
            .then(pl.lit(LandRule.LEASED_FLOOR_AREA.value))
            .when(filed)
            .then(pl.lit(LandRule.FILED_FLOOR_AREA.value)),
        )
        .filter(pl.col("_parcel").is_not_null())
        .join(parcels, left_on="_parcel", right_on="parcel")
        .filter(pl.col("area").is_not_null() & (pl.col("built").fill_null(0) != 0))
    )
    shares = chosen.with_columns(
        _raw=pl.min_horizontal(pl.col("area"), pl.col("area") * pl.col("_used") / pl.col("built"))
    ).with_columns(_near_tie=((pl.col("_raw") * 100) % 1 - 0.5).abs() < 1e-6)
    shares = shares.with_columns(_land=pl.col("_raw").round(2))
    if shares["_near_tie"].any():
        # a share on the half cent: rounded as _apportion rounds it (Decimal, half to even), from the exact inputs
        ties = shares.filter(pl.col("_near_tie"))
        exact = [
            _decimal_share(area, used, built) for area, used, built in ties.select("area", "_used", "built").iter_rows()
        ]
        fixed = ties.select("filing_id", _exact=pl.Series(exact, dtype=pl.Float64))
        shares = shares.join(fixed, on="filing_id", how="left").with_columns(
            _land=pl.coalesce(pl.col("_exact"), pl.col("_land"))
        )
    return shares.select(
        "filing_id",
        "_land",
        _rule="_rule",
        _parcel="_parcel",
        _land_year=pl.col("granted"),
    ).cast(schema)  # type: ignore[arg-type]


def _decimal_share(area: float, used: float, built: float) -> float:
    """min(area, area × used / built) to the cent in Decimal, as _apportion computes it (inputs have two places)."""
    a, u, b = (Decimal(f"{value:.2f}") for value in (area, used, built))
    return float(min(a, a * u / b).quantize(Decimal("0.01")))


def _with_apportioned_land(frame: pl.DataFrame, year: int) -> pl.DataFrame:
    """``frame`` with each tenant's apportioned land, parcel and that parcel's land year in place of the filed ones."""
    shares = apportioned_land_frame(frame, year)
    if shares.is_empty():
        return frame
    shared = pl.col("_parcel").is_not_null()
    return (
        frame.join(shares, on="filing_id", how="left", maintain_order="left")
        .with_columns(
            land_area=pl.when(shared).then(pl.col("_land")).otherwise(pl.col("land_area")),
            parcel_id=pl.when(shared).then(pl.col("_parcel")).otherwise(pl.col("parcel_id")),
            land_year=pl.when(shared).then(pl.col("_land_year")).otherwise(pl.col("land_year")),
        )
        .drop("_land", "_rule", "_parcel", "_land_year")
    )


def evaluation_run_create(*, scheme: EvaluationScheme, year: int, user: Actor) -> EvaluationRun:
    """A queued run; evaluation_run_execute (directly, or through the background task) computes it."""
    scheme.scheme()  # refuse a broken definition before queueing
    return EvaluationRun.objects.create(
        scheme=scheme, scheme_version=scheme.version, year=year, created_by=cast(User, user)
    )


def _set_progress(run: EvaluationRun, percent: int, progress: Progress | None, label: str) -> None:
    run.progress = percent
    EvaluationRun.objects.filter(pk=run.pk).update(progress=percent, heartbeat_at=timezone.now())
    if progress:
        progress(percent, label)


def _none_if_nan(value: _T | None) -> _T | None:
    return None if value is None or value != value else value


def evaluation_run_execute(
    *, run: EvaluationRun, progress: Progress | None = None, apportion: bool = True
) -> EvaluationRun:
    """Compute a queued run: read the year's filings, score, roll up, store every result in one transaction.

    Tenants' land is apportioned (``apportion``) from the current leases into the run's own frame;
    a run reads its inputs and never changes them.
    """
    run.status, run.started = EvaluationRun.Status.RUNNING, timezone.now()
    EvaluationRun.objects.filter(pk=run.pk).update(
        status=run.status, started=run.started, progress=0, heartbeat_at=run.started
    )
    with heartbeat(EvaluationRun.objects.filter(pk=run.pk)):
        return _execute(run, progress, apportion)


def _execute(run: EvaluationRun, progress: Progress | None, apportion: bool) -> EvaluationRun:
    try:
        scheme = run.scheme.scheme()
        _set_progress(run, 5, progress, _("Reading filings"))
        frame = filings_frame(run.year, apportion=apportion)
        previous_filings, previous_results, run.benchmark_sources = benchmarks.previous_inputs(
            run, scheme, lambda year: filings_frame(year, apportion=apportion)
        )
        _set_progress(run, 20, progress, _("Scoring"))
        scored = engine.score(
            frame, scheme, keep=KEEP, previous_filings=previous_filings, previous_results=previous_results
        )
        fingerprint = benchmarks.run_fingerprint(frame, scheme, previous_filings, previous_results)

        def roll_up() -> tuple[list[AreaResult], list[RunBenchmark], dict[str, int]]:
            areas = _area_results(run, scored, scheme.grades)
            run_benchmarks = benchmarks.benchmark_rows(run, scored, scheme)
            counts = scored.group_by("grade").len().sort("grade").iter_rows()
            return areas, run_benchmarks, {g: n for g, n in counts if g is not None}

        # the roll-up is made while the last batches of results are written
        areas, run_benchmarks, grade_counts = cast(
            tuple[list[AreaResult], list[RunBenchmark], dict[str, int]],
            _store_results(run, scored, scheme, progress, meanwhile=roll_up),
        )
        with transaction.atomic():
            run.areas.all().delete()
            run.benchmarks.all().delete()
            AreaResult.objects.bulk_create(areas, batch_size=2000)
            RunBenchmark.objects.bulk_create(run_benchmarks, batch_size=2000)
            run.status, run.finished, run.progress = EvaluationRun.Status.DONE, timezone.now(), 100
            run.heartbeat_at = run.finished
            run.filings, run.evaluated = frame.height, scored.height
            run.graded = int(scored["grade"].is_not_null().sum())
            run.grade_counts = {g: grade_counts.get(g, 0) for g in scheme.grades}
            run.fingerprint = fingerprint
            run.error = ""
            run.save()
            notify(EventKind.RUN_FINISHED, run, to=[run.created_by] if run.created_by else [])
        if progress:
            progress(100, _("Done"))
    except Exception as exc:
        with suppress(DatabaseError), transaction.atomic():
            _delete_results(run)  # the batches stored before the failure
        run.status, run.finished, run.error = EvaluationRun.Status.FAILED, timezone.now(), str(exc)
        EvaluationRun.objects.filter(pk=run.pk).update(status=run.status, finished=run.finished, error=run.error)
        notify(EventKind.RUN_FAILED, run, to=[run.created_by] if run.created_by else [], detail=str(exc)[:300])
        raise
    return run


@dataclass
class PruneReport:
    """What pruning removed (or, for a dry run, would remove) and what it kept, by reason."""

    runs: list[int] = field(default_factory=list)
    results: int = 0
    kept_published: int = 0
    kept_recent: int = 0
    kept_appealed: int = 0
    kept_unfinished: int = 0
    dry_run: bool = True


def evaluation_runs_prune(
    *, user: Actor, keep: int = 3, year: int | None = None, scheme: str | None = None, dry_run: bool = False
) -> PruneReport:
    """Remove old runs of each scheme and year beyond the newest ``keep``, never the published one.

    Per scheme name and year the published run (the latest done one, the one the next year's benchmarks
    and the result pages read) is always kept, as are the ``keep`` newest runs, runs not finished, and
    runs with an appealed result (the appeal keeps its evidence). A pruned run goes with its results,
    roll-ups and benchmarks; results are removed with one DELETE per run, no instance loaded.
    """
    if keep < 0:
        raise ValidationError({"keep": _("Keep at least 0 runs.")})
    if not (user.is_superuser or user.has_perm("evaluation.delete_evaluationrun")):
        raise PermissionDenied(_("You may not delete evaluation runs."))
    runs = EvaluationRun.objects.select_related("scheme").order_by("scheme__name", "year", "-created", "-pk")
    if year is not None:
        runs = runs.filter(year=year)
    if scheme:
        runs = runs.filter(scheme__name=scheme)
    appealed = set(Appeal.objects.values_list("result__run_id", flat=True).distinct())
    groups: dict[tuple[str, int], list[EvaluationRun]] = {}
    for run in runs:
        groups.setdefault((run.scheme.name, run.year), []).append(run)
    report = PruneReport(dry_run=dry_run)
    doomed: list[EvaluationRun] = []
    for group in groups.values():
        done = [r for r in group if r.status == EvaluationRun.Status.DONE]
        published = max(done, key=lambda r: (r.finished or r.created, r.pk)) if done else None
        for position, run in enumerate(group):
            if run == published:
                report.kept_published += 1
            elif position < keep:
                report.kept_recent += 1
            elif not run.is_finished:
                report.kept_unfinished += 1
            elif run.pk in appealed:
                report.kept_appealed += 1
            else:
                doomed.append(run)
    report.runs = [r.pk for r in doomed]
    report.results = EvaluationResult.objects.filter(run__in=report.runs).count() if report.runs else 0
    if dry_run:
        return report
    for run in doomed:
        with transaction.atomic():
            _delete_results(run)
            run.areas.all().delete()
            run.benchmarks.all().delete()
            run.delete()
    return report


def run_evaluation(
    *, scheme: EvaluationScheme, year: int, user: Actor, progress: Progress | None = None, apportion: bool = True
) -> EvaluationRun:
    """Apply ``scheme`` to ``year``'s filings now, as a new run with its own results."""
    run = evaluation_run_create(scheme=scheme, year=year, user=user)
    return evaluation_run_execute(run=run, progress=progress, apportion=apportion)


#: results stored per batch (COPY on PostgreSQL, executemany on SQLite); each batch moves the run's progress
RESULT_BATCH = 50_000
#: the stretch of the progress bar that storing the results covers
_STORE_FROM, _STORE_TO = 60, 98


def _delete_results(run: EvaluationRun) -> int:
    """Remove a run's results with one DELETE, no instance loaded (an appealed result stops it, as PROTECT would)."""
    query = EvaluationResult.objects.filter(run=run)
    return query._raw_delete(query.db)


def _json_without_nulls(expr: pl.Expr) -> pl.Expr:
    """A struct as compact JSON text, leaving out every key whose value is null (readers use .get)."""
    return expr.struct.json_encode().str.replace_all(r'"[^"]*":null,?', "").str.replace_all(",}", "}", literal=True)


def _clean(column: str, dtype: pl.DataType) -> pl.Expr:
    return pl.col(column).fill_nan(None) if dtype.is_float() else pl.col(column)


def _result_frame(run_id: int, scored: pl.DataFrame, scheme: Scheme) -> pl.DataFrame:
    """The result rows of ``scored`` in the results table's columns, indicators and details as JSON text.

    indicators: key -> {"value", "benchmark" (or "floor", "ceiling", "..._fallback"), "score"}; adjustments:
    key -> points; only what is not null is written (a missing value reads as None all the same).
    """
    schema = scored.schema
    indicator_columns = {
        i.key: [c for c in scored.columns if c.startswith(f"{i.key}_") and not c.endswith("_points")]
        for i in scheme.indicators
    }
    indicators = (
        _json_without_nulls(
            pl.struct(
                [
                    pl.struct([_clean(c, schema[c]).alias(c[len(key) + 1 :]) for c in columns]).alias(key)
                    for key, columns in indicator_columns.items()
                    if columns
                ]
            )
        )
        if any(indicator_columns.values())
        else pl.lit("{}")
    )
    adjustment_columns = [f"{a.key}_points" for a in scheme.adjustments if f"{a.key}_points" in schema]
    adjustments = (
        _json_without_nulls(pl.struct([_clean(c, schema[c]).alias(c[: -len("_points")]) for c in adjustment_columns]))
        if adjustment_columns
        else pl.lit("{}")
    )
    detail_fields = []
    if "graded_with" in schema:
        graded = pl.col("graded_with").is_not_null() & (pl.col("graded_with") != "")
        detail_fields.append(
            pl.when(graded)
            .then(pl.struct(cohort="graded_with", rank="graded_with_rank", size="graded_with_size"))
            .alias("graded_with")
        )
    if "production_start_used" in schema:
        detail_fields += [
            pl.col("production_start_used").alias("production_start"),
            pl.col("production_start_fallback").fill_null(False).alias("production_start_fallback"),
        ]
    details = (
        pl.struct(detail_fields)
        .struct.json_encode()
        .str.replace_all(r'"graded_with":null,?', "")
        .str.replace_all(",}", "}", literal=True)
        if detail_fields
        else pl.lit("{}")
    )

    def number(name: str) -> pl.Expr:
        return _clean(name, schema[name]).cast(pl.Float64) if name in schema else pl.lit(None, pl.Float64)

    return scored.select(
        run_id=pl.lit(run_id, pl.Int64),
        organization_id=pl.col("organization_id"),
        park_id=pl.col("park_id"),
        filing_id=pl.col("filing_id"),
        cohort=pl.col("cohort").fill_null(""),
        status=pl.col("status"),
        reason=pl.col("reason").fill_null(""),
        indicators=indicators,
        adjustments=adjustments,
        total=number("total"),
        rank=pl.col("rank"),
        cohort_size=pl.col("cohort_size"),
        grade=pl.col("grade").fill_null(""),
        area=pl.col("area").fill_null(""),
        details=details,
        land_mu=number("land_mu"),
        tax=number("tax"),
        value_added=number("value_added"),
        industrial_output=number("industrial_output"),
    )


def _store_results(
    run: EvaluationRun,
    scored: pl.DataFrame,
    scheme: Scheme,
    progress: Progress | None,
    meanwhile: Callable[[], _T] | None = None,
) -> _T | None:
    """Write the run's results batch by batch (one transaction each), moving its progress after every batch.

    PostgreSQL: ``COPY ... FROM STDIN (FORMAT csv)`` of each batch, on RESULT_WRITERS connections of their own
    at once (writer threads, each served by its own server process: the server's work, most of a large run's,
    spreads over the cores) while this thread makes the next batches; inside a transaction (a caller's atomic
    block, tests) on this connection, one batch after another. SQLite: one executemany per batch on this
    connection. ``meanwhile()`` runs here while the last batches are written; its value is returned. Memory
    beyond the scored frame is a few batches' rows. Results of a run that has not finished are not published.
    """
    from django.db import connections

    db = EvaluationResult.objects.db
    connection = connections[db]
    quote = connection.ops.quote_name
    table = quote(EvaluationResult._meta.db_table)
    names = list(_result_frame(run.pk, scored.head(0), scheme).columns)
    columns = ", ".join(quote(cast(Any, EvaluationResult._meta.get_field(n.removesuffix("_id"))).column) for n in names)
    with transaction.atomic(using=db):
        _delete_results(run)
    total = scored.height
    _set_progress(run, _STORE_FROM, progress, _("Storing results"))
    batches = (
        _result_frame(run.pk, scored.slice(offset, RESULT_BATCH), scheme) for offset in range(0, total, RESULT_BATCH)
    )
    if connection.vendor == "postgresql":
        statement = f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)"
        writers = result_writers(connection.settings_dict)
        if writers > 1 and total > RESULT_BATCH and not connection.in_atomic_block:
            # other connections would not see the run of a transaction still open, nor roll back with it
            return _write_in_parallel(run, db, statement, total, progress, batches, meanwhile, writers)
    stored = 0
    for batch in batches:
        with transaction.atomic(using=db), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                _copy_batch(cursor, statement, batch.write_csv(include_header=False))
            else:
                marks = ", ".join(["%s"] * len(names))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch.rows())
            stored += batch.height
            # the progress with its batch, in the same commit
            _set_progress(run, _stored_percent(stored, total), progress, _stored_label(stored, total))
    return meanwhile() if meanwhile else None


#: connections that store a large run's results at once on PostgreSQL (writer threads, each its own COPY and
#: transaction per batch); 1 stores them on the run's own connection, one batch after another
RESULT_WRITERS = 2


def result_writers(settings_dict: dict[str, Any]) -> int:
    """How many writer threads store a run's results: RESULT_WRITERS, fewer if a connection pool is smaller.

    With a pool (PARKOS_DB_POOL) every connection is lent from it: the run's own and its heartbeat's hold two,
    the writers may take what is left (psycopg-pool's size is 4 unless set), never waiting for one.
    """
    pool = (settings_dict.get("OPTIONS") or {}).get("pool")
    if not pool:
        return RESULT_WRITERS
    size = 4  # psycopg-pool's default (pool: True)
    if isinstance(pool, dict):
        size = pool.get("max_size") or pool.get("min_size") or size
    return max(1, min(RESULT_WRITERS, size - 2))


def _stored_percent(stored: int, total: int) -> int:
    return _STORE_FROM + (_STORE_TO - _STORE_FROM) * stored // max(total, 1)


def _stored_label(stored: int, total: int) -> str:
    return _("Storing results: %(done)s of %(total)s") % {"done": f"{stored:,}", "total": f"{total:,}"}


def _copy_batch(cursor: Any, statement: str, data: bytes | str) -> None:
    # the batch's commit does not wait for its WAL to reach the disk: a crash in the next moment loses at most
    # the last batches of a run that is then unfinished (marked failed, run again); never another
    # transaction's data, and the database stays consistent
    cursor.execute("SET LOCAL synchronous_commit = off")
    with cursor.cursor.copy(statement) as copy:
        copy.write(data)


@dataclass
class _Writing:
    """What the writer threads share with the run's thread: rows committed, the first error, writers still on."""

    writers: int
    stored: int = 0
    error: BaseException | None = None
    changed: threading.Condition = field(default_factory=threading.Condition)


def _write_in_parallel(
    run: EvaluationRun,
    db: str,
    statement: str,
    total: int,
    progress: Progress | None,
    batches: Iterable[pl.DataFrame],
    meanwhile: Callable[[], _T] | None,
    writers: int,
) -> _T | None:
    """Batches made here, written by ``writers`` threads at once, each on a connection of its own.

    Each batch is one transaction (COPY, then the run's progress, never lower than it was). The queue holds
    at most ``writers`` batches, so memory is bounded by twice that many. The first failure stops the
    making of batches; the writers drop what is left queued, and the error is raised here once they are done
    (the run then fails and removes what was stored, as before). The progress callback is called from here.
    """
    from django.db import connections

    jobs: queue.Queue[tuple[int, bytes] | None] = queue.Queue(maxsize=writers)
    state = _Writing(writers=writers)

    def write() -> None:
        connection = connections[db]
        try:
            while (job := jobs.get()) is not None:
                if state.error is not None:
                    continue  # a writer failed: drop what is queued until told to stop
                rows, data = job
                try:
                    with transaction.atomic(using=db), connection.cursor() as cursor:
                        _copy_batch(cursor, statement, data)
                        with state.changed:
                            stored = state.stored + rows
                        EvaluationRun.objects.filter(pk=run.pk).update(
                            progress=Greatest(F("progress"), _stored_percent(stored, total)),
                            heartbeat_at=timezone.now(),
                        )
                except BaseException as exc:
                    with state.changed:
                        state.error = state.error or exc
                        state.changed.notify_all()
                else:
                    with state.changed:
                        state.stored += rows
                        state.changed.notify_all()
        finally:
            connections.close_all()  # this thread's connection only
            with state.changed:
                state.writers -= 1
                state.changed.notify_all()

    threads = [threading.Thread(target=write, name=f"results-writer-{n}", daemon=True) for n in range(writers)]
    for thread in threads:
        thread.start()
    shown, value = 0, None

    def show() -> None:
        nonlocal shown
        if state.stored != shown:
            shown = state.stored
            run.progress = _stored_percent(shown, total)
            if progress:
                progress(run.progress, _stored_label(shown, total))

    try:
        for batch in batches:
            if state.error is not None:
                break
            jobs.put((batch.height, batch.write_csv(include_header=False).encode()))
            show()
        else:
            value = meanwhile() if meanwhile else None
    finally:
        for _thread in threads:
            jobs.put(None)
        while True:
            with state.changed:
                state.changed.wait_for(lambda: state.writers == 0 or state.stored != shown)
                finished = state.writers == 0
            show()
            if finished:
                break
        for thread in threads:
            thread.join()
    if state.error is not None:
        raise state.error
    return value


def _area_results(run: EvaluationRun, scored: pl.DataFrame, grades: list[str]) -> list[AreaResult]:
    from parkos.parks.models import ParkBrand

    labels: dict[str, dict[Any, tuple[str, int | None]]] = {
        AreaResult.Level.PARCEL: {
            p.pk: (str(p), p.park_id)
            for p in LandParcel.objects.filter(
                pk__in=scored["parcel_id"].drop_nulls().unique().to_list()
            ).select_related("park")
        },
        AreaResult.Level.PARK: {
            p.pk: (p.name, p.pk) for p in Park.objects.filter(pk__in=scored["park_id"].unique().to_list())
        },
        AreaResult.Level.BRAND: {
            b.pk: (b.name, None)
            for b in ParkBrand.objects.filter(pk__in=scored["brand_id"].drop_nulls().unique().to_list())
        },
    }
    areas: list[AreaResult] = []
    for level, column in (
        (AreaResult.Level.PARCEL, "parcel_id"),
        (AreaResult.Level.PARK, "park_id"),
        (AreaResult.Level.BRAND, "brand_id"),
        (AreaResult.Level.DISTRICT, "district"),
    ):
        table = engine.rollup(scored.filter(pl.col(column).is_not_null()), column, grades)
        for row in table.iter_rows(named=True):
            key = row[column]
            label, park_id = labels.get(level, {}).get(key, (str(key), None))
            areas.append(
                AreaResult(
                    run=run,
                    level=level,
                    key=str(key),
                    label=label,
                    park_id=park_id,
                    enterprises=row["enterprises"],
                    land_mu=_none_if_nan(row["land_mu"]),
                    tax=_none_if_nan(row.get("tax")),
                    value_added=_none_if_nan(row.get("value_added")),
                    industrial_output=_none_if_nan(row.get("industrial_output")),
                    tax_per_mu=_none_if_nan(row.get("tax_per_mu")),
                    value_added_per_mu=_none_if_nan(row.get("value_added_per_mu")),
                    industrial_output_per_mu=_none_if_nan(row.get("industrial_output_per_mu")),
                    grade_mix={**{g: row[f"grade_{g}"] for g in grades}, "-": row["not_graded"]},
                )
            )
    return areas


def land_mu(area_m2: Decimal | None) -> Decimal | None:
    return None if area_m2 is None else area_m2 / M2_PER_MU


# --- appeals ------------------------------------------------------------------------------------------------------


def may_decide_appeals(user: Actor) -> bool:
    """Evaluation officers (who may run evaluations) decide appeals."""
    return can(user, EvaluationRun, Action.ADD)


def appeal_decide(*, appeal: Appeal, user: Actor, accept: bool, decision: str, rerun: bool = False) -> Appeal:
    """Accept or reject an appeal, with the reasons; an accepted one may queue a re-run of its scheme and year.

    The officer corrects the filing first (the filing's own change log says what changed); the new run
    then reads the corrected figures. The appeal's change record keeps who decided what, and when.
    """
    from parkos.evaluation.tasks import evaluation_run_task

    if not may_decide_appeals(user):
        raise PermissionDenied(_("Only evaluation officers decide appeals."))
    if not Appeal.objects.restrict(user, Action.CHANGE).filter(pk=appeal.pk).exists():
        raise NotFound(_("No such appeal."))
    if appeal.status != Appeal.Status.OPEN:
        raise ValidationError(_("This appeal has been decided already."))
    if not decision.strip():
        raise ValidationError({"decision": _("Give the reasons for the decision.")})
    with transaction.atomic():
        appeal.status = Appeal.Status.ACCEPTED if accept else Appeal.Status.REJECTED
        appeal.decision, appeal.decided_by, appeal.decided_on = decision, cast(User, user), timezone.now()
        if accept and rerun:
            run = appeal.result.run
            new_run = evaluation_run_create(scheme=run.scheme, year=run.year, user=user)
            appeal.rerun = new_run
            transaction.on_commit(lambda: evaluation_run_task.enqueue(new_run.pk))
        appeal.save()
        notify(EventKind.APPEAL_DECIDED, appeal, actor=user, title=_appeal_title(appeal))
    return appeal


# -- the write rules of filings (core.writes) --------------------------------------------------------


def source_for(user: Actor | None) -> str:
    """The source a value typed in by ``user`` gets: the enterprise's own filing, or a staff entry."""
    return Source.ENTERPRISE if scope_of(user) == Scope.ORGANIZATION else Source.STAFF


def _filing_before_save(filing: IndicatorFiling, *, user: Actor | None, created: bool) -> None:
    """Every value typed in (page, API or file) is recorded as the enterprise's own filing or a staff entry."""
    stored = (
        {} if created else IndicatorFiling.objects.filter(pk=filing.pk).values(*IndicatorFiling.VALUE_FIELDS).first()
    )
    sources = dict(filing.sources or {})
    for name in IndicatorFiling.VALUE_FIELDS:
        value = getattr(filing, name)
        if value is None:
            sources.pop(name, None)
        elif created or (stored or {}).get(name) != value or name not in sources:
            sources[name] = source_for(user)
    filing.sources = sources


writes.register(
    IndicatorFiling,
    guards={
        name: writes.FieldGuard(
            lambda user, filing: scope_of(user) != Scope.ORGANIZATION,
            gettext_lazy(
                "The park office sets where a filing sits, how its land is found, "
                "incidents and when production started."
            ),
        )
        for name in IndicatorFiling.STAFF_ONLY
    },
    before_save=_filing_before_save,
)


def _decided_by_its_action(user: Actor | None, appeal: Appeal) -> bool:
    return False


_DECISION = writes.FieldGuard(
    _decided_by_its_action,
    gettext_lazy("An appeal is decided with its decide action, which records who decided and when."),
)


def _appeal_title(appeal: Appeal) -> str:
    """The appeal without its status (which its page shows in the reader's language)."""
    return f"{appeal.organization} · {appeal.result.run.year}"


def _appeal_saved(appeal: Appeal, *, user: Actor | None, created: bool) -> None:
    if created:
        notify(EventKind.APPEAL_FILED, appeal, actor=user, title=_appeal_title(appeal))


writes.register(
    Appeal,
    guards={name: _DECISION for name in ("status", "decision", "decided_by", "decided_on", "rerun")},
    after_save=_appeal_saved,
)
