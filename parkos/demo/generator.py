"""The demo data set: one park operator's brands, parks, land, buildings, enterprises and people.

``load_demo(scale=1, seed=DEFAULT_SEED)`` draws everything from one ``random.Random(seed)``, never
from database IDs, so the same scale and seed give the same names, codes and areas on every machine
and every run. Dates are drawn around ``today`` (the local date unless given: ``parkos demo --today``),
so the demo lives on the day it runs: a few years of history behind (leases, stage moves, requests in
the last weeks, evaluation of the last full year), plans ahead (leases expiring in the coming months,
commitments due); the same seed on the same day gives the same rows.

Rows go in with ``bulk_create`` inside one transaction (a failed load leaves nothing behind), and
since bulk_create sends no signals every creation is recorded through ``log_bulk_create`` under
``change_context(source="demo")``; ``collect_changes()`` writes those records in batches (COPY on
PostgreSQL), with the parents their names read and their many-to-many values fetched once per batch.

At scale 1 (volumes in ``BASE_VOLUMES``) ``parkos demo`` takes about 26 s of CPU on SQLite and 20 s on
PostgreSQL, migrations and today's notifications included (bench/demo.py); scale 6.25 gives 100,000
enterprises for bench/registry.py.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from parkos.core import changelog
from parkos.core.changelog import change_context, collect_changes, log_bulk_create
from parkos.core.geometry import EARTH_RADIUS_M, polygon_area_m2
from parkos.core.models import ChangeLoggedModel
from parkos.core.permissions import ROLES_BY_NAME, fallback_group_name, sync_roles
from parkos.demo import names
from parkos.demo.compliance import load_compliance
from parkos.demo.disposal import load_disposal
from parkos.demo.evaluation import load_evaluation
from parkos.demo.intake import load_intake
from parkos.demo.investment import load_investment
from parkos.demo.leasing import load_leasing
from parkos.demo.policies import load_policies
from parkos.demo.policy_applications import load_policy_applications
from parkos.demo.portal import load_portal
from parkos.demo.reconcile import load_reconciliation
from parkos.demo.services import load_services
from parkos.directory.models import Industry, Organization, OrganizationAlias, Person, Position
from parkos.directory.validators import CREDIT_CODE_ALPHABET, credit_code_check_character
from parkos.parks.models import Building, LandParcel, Park, ParkBrand, SpaceUnit

DEFAULT_SEED = 4754  # after GB/T 4754, the national industry classification
DEMO_PASSWORD = "parkos-demo"
#: rows at scale 1; every volume scales with --scale, parks never below MIN_PARKS
BASE_VOLUMES = {"parks": 30, "parcels": 2000, "buildings": 3000, "enterprises": 16000, "people": 6000}
#: the demo accounts need eight distinct parks (investment 3, service 2, evaluation 5, overlapping)
MIN_PARKS = 6
BATCH = 2000

#: progress(label, total) -> a context manager yielding advance(n); the command draws rich bars
Progress = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]

Ownership = Organization.Ownership
Kind = Organization.Kind
Status = LandParcel.Status
LandUse = LandParcel.LandUse
Use = Building.Use


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    #: in the role's fallback group: takes the work of the parks no other holder of the role covers
    fallback: bool = False


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "operator_admin"),
    DemoAccount("investment", "investment_staff"),
    DemoAccount("manager", "park_manager"),
    DemoAccount("service", "service_staff"),
    DemoAccount("evaluation", "evaluation_officer"),
    DemoAccount("government", "government_partner"),
    DemoAccount("enterprise", "enterprise_user"),
)
#: one fallback account per role that work is routed to, assigned no park: the work of every park the accounts
#: above leave uncovered (requests, appeals, proposals of enterprises anywhere) reaches them and their home
FALLBACK_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("parks-office", "park_manager", fallback=True),
    DemoAccount("service-desk", "service_staff", fallback=True),
    DemoAccount("evaluation-office", "evaluation_officer", fallback=True),
)


@contextmanager
def no_progress(label: str, total: int) -> Iterator[Callable[[int], None]]:
    yield lambda n=1: None


def volumes(scale: float) -> dict[str, int]:
    """How many rows of each kind a load at ``scale`` creates (before accounts and partners)."""
    counts = {key: max(1, round(value * scale)) for key, value in BASE_VOLUMES.items()}
    counts["parks"] = max(MIN_PARKS, counts["parks"])
    counts["parcels"] = max(counts["parks"] * 2, counts["parcels"])
    return counts


def domain_models() -> list[type]:
    """The domain models (every ParkOS app but core, users and demo), referencing models first.

    Deleting in this order never trips a foreign key, whichever apps are installed.
    """
    candidates = [
        m
        for m in apps.get_models()
        if m.__module__.startswith("parkos.")
        and m._meta.app_label not in {"core", "users", "demo"}
        and m._meta.managed
        and not m._meta.proxy
    ]
    ordered: list[type] = []
    remaining = list(candidates)
    while remaining:
        for model in remaining:
            referenced = any(
                other is not model
                and any(f.is_relation and f.related_model is model for f in other._meta.concrete_fields)
                for other in remaining
            )
            if not referenced:
                break
        else:
            model = remaining[0]  # a cycle: the deferred foreign keys are checked at commit anyway
        ordered.append(model)
        remaining.remove(model)
    return ordered


def domain_row_count() -> int:
    return sum(model._base_manager.count() for model in domain_models())


def delete_domain_data(*, progress: Progress = no_progress) -> int:
    """Delete every domain row (organizations, parks, ... of every app). Returns how many rows went.

    Each deletion is recorded in the change log (source "demo"), in bulk like the load: going
    through ``QuerySet.delete()`` would send signals and write one change record at a time,
    several minutes for the larger scales.
    """
    models = domain_models()
    deleted = 0
    with change_context(source="demo"), _sql_text_not_kept(), transaction.atomic(), collect_changes():
        _unlink_accounts(models)
        for model in models:
            total = model._base_manager.count()
            if not total:
                continue
            with progress(f"Deleting {model._meta.verbose_name_plural}", total) as advance:
                deleted += _delete_all(model, advance)
    return deleted


def _unlink_accounts(models: list[type]) -> None:
    """Take domain rows off users' many-to-many fields (assigned parks, organizations), logged."""
    for owner in apps.get_models():
        if owner in models:
            continue
        for f in owner._meta.many_to_many:
            if f.related_model in models:
                for instance in owner._base_manager.filter(**{f"{f.name}__isnull": False}).distinct():
                    getattr(instance, f.name).clear()


def _delete_all(model, advance: Callable[[int], None]) -> int:
    quote = connection.ops.quote_name
    logged = issubclass(model, ChangeLoggedModel)
    # __str__ of a parcel or a position reads its foreign keys: load them with the rows
    related = [f.name for f in model._meta.concrete_fields if f.is_relation] if logged else []
    rows = model._base_manager.select_related(*related).order_by("pk")
    deleted, last = 0, None
    with connection.cursor() as cursor:
        while True:
            batch = list((rows.filter(pk__gt=last) if last is not None else rows)[:BATCH])
            if not batch:
                return deleted
            last = batch[-1].pk
            if logged:
                changelog.log_bulk_delete(batch)
            ids = [obj.pk for obj in batch]
            tables = [
                (
                    f.remote_field.through._meta.db_table,  # many-to-many rows go with their owner
                    f.remote_field.through._meta.get_field(f.m2m_field_name()).column,
                )
                for f in model._meta.many_to_many
                if f.remote_field.through._meta.auto_created
            ]
            tables.append((model._meta.db_table, model._meta.pk.column))
            for table, column in tables:
                for chunk in _batches(ids, 500):
                    placeholders = ", ".join(["%s"] * len(chunk))
                    cursor.execute(f"DELETE FROM {quote(table)} WHERE {quote(column)} IN ({placeholders})", list(chunk))
            deleted += len(batch)
            advance(len(batch))


@contextmanager
def _sql_text_not_kept() -> Iterator[None]:
    """Turn off DEBUG's record of every SQL statement while loading or deleting in bulk.

    With DEBUG on, Django keeps the text of each statement, and on SQLite it quotes every
    parameter with an extra query to build that text: it nearly doubles the time of a bulk load
    (and the text of 100,000-row inserts is of no use to anyone).
    """
    with override_settings(DEBUG=False):
        yield


def demo_today() -> date:
    """The day the demo is loaded on: every date it draws is relative to it (history behind, plans ahead)."""
    return timezone.localdate()


def load_demo(
    *, scale: float = 1.0, seed: int = DEFAULT_SEED, progress: Progress = no_progress, today: date | None = None
) -> dict[str, int]:
    """Load the demo data set and the demo accounts. Returns the number of rows of each kind.

    Dates are drawn relative to ``today`` (default: the local date), so the demo lives on the day it
    runs; the same seed and the same ``today`` give the same rows.
    """
    if scale <= 0:
        raise ValueError("The scale must be positive.")
    builder = _DemoBuilder(scale=scale, seed=seed, progress=progress, today=today or demo_today())
    with change_context(source="demo"), _sql_text_not_kept(), transaction.atomic(), collect_changes():
        counts = builder.build()
    refresh_planner_statistics()
    return counts


def refresh_planner_statistics() -> None:
    """ANALYZE after a bulk load, so the query planner knows the tables' sizes and spreads.

    SQLite keeps no statistics until ANALYZE runs: without them it guesses, and picks the
    ``kind`` index over the industry one for an industry count (60 ms instead of 2 ms at 100,000
    enterprises). PostgreSQL's autovacuum would catch up eventually; a demo should be fast at once.

    On PostgreSQL only this database's own tables are named: a bare ANALYZE also reads the catalogs all the
    server's databases share (pg_database, pg_authid, ...) and keeps their lock until its transaction ends, so a
    demo loaded inside a long transaction in one database (a test module's) made every other database's ANALYZE
    wait for that transaction.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
            if tables:
                cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))


def _batches(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _allocate(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split ``total`` into whole shares proportional to ``weights`` (largest remainder), each >= minimum."""
    base = [minimum] * len(weights)
    rest = total - minimum * len(weights)
    if rest <= 0:
        return base
    scale = rest / sum(weights)
    exact = [w * scale for w in weights]
    shares = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[: rest - sum(shares)]:
        shares[i] += 1
    return [b + s for b, s in zip(base, shares, strict=True)]


def _money(value: float) -> Decimal:
    """A registered capital: rounded to ten thousand, as registers print it."""
    return Decimal(max(10_000, round(value / 10_000) * 10_000))


def _area(square_metres: float) -> Decimal:
    return Decimal(square_metres).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def _org_code_check(body: str) -> str:
    """The check character of an organization code (GB 11714), the 9th character of its block."""
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in body]
    check = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _letters(index: int) -> str:
    """A, B, ..., Z, AA, AB, ...: row labels of parcel numbers."""
    label = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        label = chr(65 + rem) + label
    return label


class _DemoBuilder:
    def __init__(self, *, scale: float, seed: int, progress: Progress, today: date) -> None:
        self.scale = scale
        self.today = today
        self.rng = random.Random(seed)
        self.progress = progress
        self.volumes = volumes(scale)
        self.counts: dict[str, int] = defaultdict(int)
        self.credit_codes: set[str] = set()
        self.org_names: set[str] = set()
        #: per organization: the domain its people's e-mail addresses use
        self.email_domain: dict[int, str] = {}
        #: enterprises by (district, top-level industry code), for choosing land holders
        self.enterprises_by: dict[tuple[str, str], list[Organization]] = defaultdict(list)
        self.people_made: list[Person] = []

    # -- the whole load -------------------------------------------------------------------------

    def build(self) -> dict[str, int]:
        self.build_industries()
        self.park_districts = self.plan_park_districts()
        self.build_organizations()
        self.build_aliases()
        self.build_parks()
        self.build_parcels()
        self.build_buildings()
        self.build_space_units()
        self.build_people()
        self.build_accounts()
        load_investment(
            self.rng,
            scale=self.scale,
            parks=self.parks,
            enterprises=self.enterprises,
            bodies=self.bodies,
            governments=self.governments,
            today=self.today,
            counts=self.counts,
            progress=self.progress,
        )
        load_services(
            rng=self.rng,
            scale=self.scale,
            parks=self.parks,
            enterprises=self.enterprises,
            bodies=self.bodies,
            today=self.today,
            counts=self.counts,
            progress=self.progress,
        )
        load_portal(self.rng, scale=self.scale, enterprises=self.enterprises, today=self.today, counts=self.counts)
        load_leasing(
            self.rng,
            scale=self.scale,
            enterprises=self.enterprises,
            today=self.today,
            counts=self.counts,
            progress=self.progress,
        )
        load_evaluation(
            self.rng, enterprises=self.enterprises, today=self.today, counts=self.counts, progress=self.progress
        )
        load_disposal(self.rng, scale=self.scale, today=self.today, counts=self.counts, progress=self.progress)
        load_intake(self.rng, enterprises=self.enterprises, today=self.today, counts=self.counts)
        load_compliance(scale=self.scale, today=self.today, counts=self.counts)
        load_reconciliation(today=self.today, counts=self.counts)
        policies = load_policies(  # after the evaluation demo: the rules read the latest filings and grades
            self.rng,
            enterprises=self.enterprises,
            governments=self.governments,
            operators=self.operators,
            today=self.today,
            counts=self.counts,
            progress=self.progress,
        )
        load_policy_applications(
            self.rng,
            policies=policies,
            today=self.today,
            counts=self.counts,
            progress=self.progress,
            scale=self.scale,
        )
        return dict(self.counts)

    def save(self, label: str, model, objects: list, count_key: str) -> None:
        """bulk_create in batches and record each creation in the change log."""
        with self.progress(label, len(objects)) as advance:
            for batch in _batches(objects, BATCH):
                model.objects.bulk_create(batch)
                self.counts["change_records"] += log_bulk_create(batch)
                advance(len(batch))
        self.counts[count_key] += len(objects)

    # -- helpers ------------------------------------------------------------------------------

    def date_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def credit_code(self, prefix: str, area_code: str, *, new_style: bool) -> str:
        """A unified social credit code: prefix (registration authority and type), area, org code, check."""
        alphabet = CREDIT_CODE_ALPHABET
        while True:
            if new_style:  # codes issued since 2015 carry an "MA" organization-code block
                body = "MA" + self.rng.choice("1567") + "".join(self.rng.choice(alphabet) for _ in range(5))
            else:
                body = str(self.rng.randint(1, 7)) + "".join(self.rng.choice("0123456789") for _ in range(7))
            first17 = prefix + area_code + body + _org_code_check(body)
            code = first17 + credit_code_check_character(first17)
            if code not in self.credit_codes:
                self.credit_codes.add(code)
                return code

    def address(self, district: str) -> str:
        road, _road_en = self.rng.choice(names.ROADS)
        return f"上海市{names.ADDRESS_DISTRICT.get(district, district)}{road}{self.rng.randint(1, 2999)}号"

    def people_per_body(self, base: int) -> int:
        """A head and a deputy at least, however small the scale."""
        return max(min(2, base), round(base * min(1.0, self.scale)))

    # -- industries ---------------------------------------------------------------------------

    def build_industries(self) -> None:
        tops, children = [], []
        self.industry_by_code: dict[str, Industry] = {}
        self.industry_node: dict[str, names.IndustryNode] = {}
        for node in names.INDUSTRIES:
            top = Industry(
                code=node.code,
                name=node.name,
                name_en=node.name_en,
                national_code=node.national_code,
                tree_path=f"{node.code}/",
                depth=0,
            )
            tops.append(top)
            self.industry_by_code[node.code] = top
            self.industry_node[node.code] = node
            for child_node in node.children:
                child = Industry(
                    code=child_node.code,
                    name=child_node.name,
                    name_en=child_node.name_en,
                    national_code=child_node.national_code,
                    parent=top,
                    tree_path=f"{node.code}/{child_node.code}/",
                    depth=1,
                )
                children.append(child)
                self.industry_by_code[child_node.code] = child
                self.industry_node[child_node.code] = child_node
        self.save("Industries", Industry, tops, "industries")
        self.save("Sub-industries", Industry, children, "industries")

    # -- where the parks are ------------------------------------------------------------------

    def plan_park_districts(self) -> list[names.District]:
        """The district of each park, in order: shares by district weight."""
        shares = _allocate(self.volumes["parks"], [d.park_weight for d in names.DISTRICTS])
        return [d for d, n in zip(names.DISTRICTS, shares, strict=True) for _ in range(n)]

    # -- organizations ------------------------------------------------------------------------

    def build_organizations(self) -> None:
        self.operators = [self.operator(i, name, name_en) for i, (name, name_en) in enumerate(names.OPERATORS)]
        self.governments: dict[str, Organization] = {}
        bodies = []
        for district in names.DISTRICTS:
            government = self.government(district)
            self.governments[district.name] = government
            bodies.append((government, "district_government", 5))
            if district.government:  # an administration with its own bureaus: no district commissions
                continue
            for suffix, suffix_en in names.DISTRICT_COMMISSIONS:
                bodies.append(
                    (
                        self.organization(
                            Kind.GOVERNMENT,
                            f"上海市{district.name}{suffix}",
                            f"{district.name_en} {suffix_en}",
                            prefix="11",
                            area_code=district.area_code,
                            district=district.name,
                        ),
                        "commission",
                        3,
                    )
                )
        for kind, name, name_en, industry_code in names.PARTNERS:
            prefix = {"government": "11", "financial": "91", "association": "51"}.get(kind, "12")
            organization = self.organization(
                kind,
                name,
                name_en,
                prefix=prefix,
                area_code=names.MUNICIPAL_AREA_CODE,
                industry=self.industry_by_code.get(industry_code),
            )
            role = "commission" if kind == Kind.GOVERNMENT else kind
            bodies.append((organization, role, {"university": 6, "financial": 5}.get(kind, 3)))
        #: (organization, TITLES key, people at scale 1) for every organization that is not an enterprise
        self.bodies = [(operator, "park_operator", 12) for operator in self.operators] + bodies
        partners = [organization for organization, _role, _n in self.bodies]
        self.save("Operators, governments, partners", Organization, partners, "organizations")

        enterprises = [self.enterprise() for _ in range(self.volumes["enterprises"])]
        self.enterprises = enterprises
        self.save("Enterprises", Organization, enterprises, "organizations")
        self.counts["enterprises"] = len(enterprises)

    def organization(
        self, kind, name, name_en, *, prefix, area_code, district="", industry=None, established=None, **fields
    ) -> Organization:
        self.org_names.add(name)
        established = established or self.date_between(date(1950, 1, 1), date(2010, 12, 31))
        organization = Organization(
            kind=kind,
            name=name,
            name_en=name_en,
            district=district,
            industry=industry,
            credit_code=self.credit_code(prefix, area_code, new_style=False),
            established=established,
            address=self.address(district or "黄浦区"),
            **fields,
        )
        self.email_domain[id(organization)] = (
            "".join(w[0] for w in name_en.replace(",", "").split() if w[0].isalpha()).lower() + ".example"
        )
        return organization

    def operator(self, index: int, name: str, name_en: str) -> Organization:
        return self.organization(
            Kind.PARK_OPERATOR,
            name,
            name_en,
            prefix="91",
            area_code="310115",
            district="浦东新区",
            ownership=Ownership.STATE_OWNED,
            established=date(2003 + 12 * index, 3, 18),
            registered_capital_amount=Decimal(5_000_000_000 if index == 0 else 300_000_000),
            registered_capital_currency="CNY",
            description="园区开发、运营与产业服务。" if index == 0 else "商务园区的运营管理与招商服务。",
        )

    def government(self, district: names.District) -> Organization:
        name = district.government or f"上海市{district.name}人民政府"
        name_en = district.government_en or f"Shanghai {district.name_en} People's Government"
        return self.organization(
            Kind.GOVERNMENT, name, name_en, prefix="11", area_code=district.area_code, district=district.name
        )

    def enterprise(self) -> Organization:
        rng = self.rng
        top = rng.choices(names.INDUSTRIES, weights=[n.weight for n in names.INDUSTRIES])[0]
        node = top if rng.random() < 0.08 else rng.choice(top.children)
        word, word_en = rng.choice(node.words or rng.choice(top.children).words)
        district = rng.choice(self.park_districts) if rng.random() < 0.85 else rng.choice(names.DISTRICTS)
        ownership = rng.choices(list(Ownership), weights=[8, 70, 15, 7])[0]
        established = self.date_between(date(1993, 1, 1), self.today - timedelta(days=90))
        tech = top.code not in {"FIN", "TRADE"}
        high_tech = rng.random() < (0.30 if tech else 0.03)
        srdi = rng.random() < (0.32 if high_tech else 0.03)
        listed = rng.random() < (0.08 if ownership == Ownership.STATE_OWNED else 0.025)
        unicorn = (
            not listed
            and ownership == Ownership.PRIVATE
            and established.year >= 2012
            and top.code in {"IC", "AI", "BIO", "DIG", "NE"}
            and rng.random() < 0.012
        )
        fortune = ownership in {Ownership.FOREIGN_INVESTED, Ownership.STATE_OWNED} and rng.random() < 0.006
        name, name_en, trade, trade_en = self.enterprise_name(word, word_en, ownership, listed, fortune)

        if ownership == Ownership.FOREIGN_INVESTED and rng.random() < 0.7:
            capital, currency = _money(10 ** rng.uniform(5.7, 8.3)), "USD"
        else:
            low, high = {Ownership.STATE_OWNED: (7.5, 9.7), Ownership.JOINT: (7, 9)}.get(ownership, (6, 8.5))
            if listed or unicorn or fortune:
                low, high = max(low, 8), max(high, 9.5)
            capital, currency = _money(10 ** rng.uniform(low, high)), "CNY"
        description = ""
        if listed or unicorn or fortune or rng.random() < 0.15:
            kind = "高新技术企业" if high_tech else "企业"
            description = f"专注于{node.name}领域的{kind}，成立于{established.year}年。"
        enterprise = Organization(
            kind=Kind.ENTERPRISE,
            name=name,
            name_en=name_en,
            district=district.name,
            credit_code=self.credit_code("91", district.area_code, new_style=established.year >= 2016),
            industry=self.industry_by_code[node.code],
            ownership=ownership,
            address=self.address(district.name),
            website=f"https://www.{trade_en.lower()}.example" if rng.random() < 0.35 else "",
            established=established,
            registered_capital_amount=capital,
            registered_capital_currency=currency,
            is_listed=listed,
            is_fortune_global_500=fortune,
            is_unicorn=unicorn,
            is_high_tech=high_tech,
            is_srdi=srdi,
            description=description,
        )
        enterprise._demo_short = (trade, word, trade_en, word_en)  # for its aliases
        self.email_domain[id(enterprise)] = f"{trade_en.lower()}.example"
        self.enterprises_by[(district.name, top.code)].append(enterprise)
        self.enterprises_by[(district.name, "")].append(enterprise)
        return enterprise

    def enterprise_name(self, word, word_en, ownership, listed, fortune) -> tuple[str, str, str, str]:
        """A unique legal name, its English name, and the trade name (字号) in both scripts."""
        rng = self.rng
        for _attempt in range(200):
            if ownership == Ownership.FOREIGN_INVESTED:
                syllables = [rng.choice([s for s in names.FOREIGN_SYLLABLES if s[1][0].isupper()])]
                syllables += rng.sample(names.FOREIGN_SYLLABLES, rng.choice((1, 2, 2)))
                trade = "".join(s[0] for s in syllables)
                trade_en = "".join(s[1] for s in syllables).lower().capitalize()
                where, where_en = ("中国", "China") if fortune else ("上海", "Shanghai")
                name = f"{trade}{word}（{where}）有限公司"
                name_en = f"{trade_en} {word_en} ({where_en}) Co., Ltd."
            else:
                (a, pa), (b, pb) = rng.sample(names.TRADE_CHARACTERS, 2)
                trade, trade_en = a + b, (pa + pb).capitalize()
                form = "股份有限公司" if listed else "（集团）有限公司" if fortune else "有限公司"
                name = f"上海{trade}{word}{form}"
                group = " (Group)" if fortune and not listed else ""
                name_en = f"Shanghai {trade_en} {word_en}{group} Co., Ltd."
            if name not in self.org_names:
                self.org_names.add(name)
                return name, name_en, trade, trade_en
        raise RuntimeError("Ran out of enterprise names; extend parkos.demo.names.")

    def build_aliases(self) -> None:
        aliases = []
        for enterprise in self.enterprises:
            if self.rng.random() >= 0.30:
                continue
            trade, word, trade_en, word_en = enterprise._demo_short
            short = trade + word.removesuffix("科技").removesuffix("技术")
            if enterprise.is_listed:
                short = trade + "股份"
            candidates = [short]
            if self.rng.random() < 0.25:
                candidates.append(f"{trade_en} {word_en.split()[0]}")
            seen = set()
            for candidate in candidates:
                if candidate.upper() not in seen:
                    seen.add(candidate.upper())
                    aliases.append(OrganizationAlias(organization=enterprise, name=candidate))
        self.save("Aliases", OrganizationAlias, aliases, "aliases")

    # -- brands and parks ---------------------------------------------------------------------

    def build_parks(self) -> None:
        rng = self.rng
        brands = [
            ParkBrand(
                code=b.code,
                name=b.name,
                name_en=b.name_en,
                operator=self.operators[b.operator],
                description=b.description,
            )
            for b in names.BRANDS
        ]
        self.brand_spec = {brand.code: spec for brand, spec in zip(brands, names.BRANDS, strict=True)}
        self.save("Park brands", ParkBrand, brands, "brands")

        load = {brand.code: 0 for brand in brands}
        parks: list[Park] = []
        used_in_district: dict[str, int] = defaultdict(int)
        for district in self.park_districts:
            k = used_in_district[district.name]
            used_in_district[district.name] += 1
            place, place_en, lon, lat = district.places[k % len(district.places)]
            phase = k // len(district.places)
            if phase:  # another park near the same town: a few kilometres further out
                angle = phase * 2.39996
                lon += math.cos(angle) * 0.035 * math.sqrt(phase)
                lat += math.sin(angle) * 0.030 * math.sqrt(phase)
            candidates = [b for b in brands if district.name in self.brand_spec[b.code].districts] or brands

            def score(b, district=district):  # balance the brands, prefer a brand's home districts
                home = self.brand_spec[b.code].districts
                preference = home.index(district.name) if district.name in home else len(home)
                return load[b.code] + 0.5 * preference + 1.5 * rng.random()

            brand = min(candidates, key=score)
            load[brand.code] += 1
            parks.append(self.park(brand, district, place, place_en, lon, lat, phase))
        # every brand runs at least one park, even at the smallest scales
        for brand in brands:
            if not any(p.brand is brand for p in parks):
                donor = max(brands, key=lambda b: sum(p.brand is b for p in parks))
                park = next(p for p in reversed(parks) if p.brand is donor)
                park.brand, park.operator = brand, brand.operator
        self.brands = brands
        self.parks = parks
        self.save("Parks", Park, parks, "parks")

    def park(self, brand, district, place, place_en, lon, lat, phase) -> Park:
        rng = self.rng
        suffix = f"{'一二三四五六七八九十'[phase % 10]}期" if phase else ""
        suffix_en = f" Phase {phase + 1}" if phase else ""
        code = f"{brand.code}-{place_en.lower()}" + (f"-{phase + 1}" if phase else "")
        area = rng.uniform(0.5e6, 1.6e6) if district.urban else rng.uniform(1.2e6, 5.0e6)
        half_x = math.sqrt(area / 4.5 * rng.uniform(0.6, 1.6))
        half_y = area / 4.5 / half_x
        angle = math.radians(rng.uniform(-25, 25))
        center = (lon + rng.uniform(-0.006, 0.006), lat + rng.uniform(-0.005, 0.005))
        boundary = self.polygon(self.outline(half_x, half_y), center, angle)
        focus = "、".join(self.industry_node[c].name for c in self.brand_spec[brand.code].focus)
        park = Park(
            code=code,
            name=f"{brand.name}·{place}园{suffix}",
            name_en=f"{brand.name_en} {place_en} Park{suffix_en}",
            brand=brand,
            district=district.name,
            operator=brand.operator,
            boundary=boundary,
            land_area=_area(polygon_area_m2(boundary)),
            established=self.date_between(date(2001, 1, 1), date(2021, 12, 31)),
            address=self.address(district.name),
            description=f"{brand.name}旗下园区，主导产业为{focus}。",
        )
        abbreviation = "".join(ch for ch in place_en if ch.isupper()) + (str(phase + 1) if phase else "")
        park._demo = {
            "half": (half_x, half_y),
            "center": center,
            "angle": angle,
            "district": district,
            "abbr": abbreviation,
        }
        return park

    def outline(self, half_x: float, half_y: float) -> list[tuple[float, float]]:
        """An irregular boundary around the rectangle [-half_x, half_x] x [-half_y, half_y] (metres).

        Every vertex lies outside the rectangle's side it follows, so the rectangle (where the
        parcels go) is always inside the boundary.
        """
        rng = self.rng
        reach = min(half_x, half_y)

        def push(low=0.0, high=0.16):
            return rng.uniform(low, high) * reach

        def along(n):
            return sorted(rng.uniform(-0.75, 0.75) for _ in range(n))

        points = []
        p = push(0, 0.08)
        points.append((half_x + p, -half_y - p))
        points += [(half_x + push(), t * half_y) for t in along(rng.randint(1, 2))]
        p = push(0, 0.08)
        points.append((half_x + p, half_y + p))
        points += [(-t * half_x, half_y + push()) for t in along(rng.randint(1, 2))]
        p = push(0, 0.08)
        points.append((-half_x - p, half_y + p))
        points += [(-half_x - push(), -t * half_y) for t in along(rng.randint(1, 2))]
        p = push(0, 0.08)
        points.append((-half_x - p, -half_y - p))
        points += [(t * half_x, -half_y - push()) for t in along(rng.randint(1, 2))]
        return points

    @staticmethod
    def polygon(points: list[tuple[float, float]], center: tuple[float, float], angle: float) -> dict:
        """A GeoJSON Polygon from local metres, rotated by ``angle`` and placed at ``center`` (lon, lat)."""
        lon0, lat0 = center
        lat_per_m = 180 / (math.pi * EARTH_RADIUS_M)
        lon_per_m = lat_per_m / math.cos(math.radians(lat0))
        cos_a, sin_a = math.cos(angle), math.sin(angle)
        ring = [
            [round(lon0 + (x * cos_a - y * sin_a) * lon_per_m, 7), round(lat0 + (x * sin_a + y * cos_a) * lat_per_m, 7)]
            for x, y in points
        ]
        ring.append(list(ring[0]))
        return {"type": "Polygon", "coordinates": [ring]}

    # -- parcels ------------------------------------------------------------------------------

    def build_parcels(self) -> None:
        rng = self.rng
        weights = [p._demo["half"][0] * p._demo["half"][1] * rng.uniform(0.8, 1.2) for p in self.parks]
        shares = _allocate(self.volumes["parcels"], weights, minimum=2)
        parcels = []
        for park, n in zip(self.parks, shares, strict=True):
            parcels += self.park_parcels(park, n)
        self.parcels = parcels
        self.save("Land parcels", LandParcel, parcels, "parcels")

    def park_parcels(self, park: Park, n: int) -> list[LandParcel]:
        """``n`` parcels laid out in rows inside the park's rectangle, separated by roads."""
        rng = self.rng
        half_x, half_y = park._demo["half"]
        edge = 20.0  # a perimeter road
        width, height = 2 * (half_x - edge), 2 * (half_y - edge)
        rows = max(1, min(n, round(math.sqrt(n * height / width))))
        per_row = _allocate(n, [1] * rows)
        heights = [rng.uniform(0.7, 1.3) for _ in range(rows)]
        parcels = []
        y = -half_y + edge
        for row, (cells, h) in enumerate(zip(per_row, heights, strict=True)):
            row_height = height * h / sum(heights)
            widths = [rng.uniform(0.5, 1.6) for _ in range(cells)]
            x = -half_x + edge
            for col, w in enumerate(widths):
                cell_width = width * w / sum(widths)
                road = rng.uniform(8, 15)  # half a road on each side
                x0, x1 = x + road, x + max(cell_width - road, road + 5)
                y0, y1 = y + road, y + max(row_height - road, road + 5)
                geometry = self.polygon(
                    [(x0, y0), (x1, y0), (x1, y1), (x0, y1)], park._demo["center"], park._demo["angle"]
                )
                code = f"{park._demo['abbr']}-{_letters(row)}{col + 1:02d}"
                parcels.append(self.parcel(park, code, geometry))
                x += cell_width
            y += row_height
        total = sum(p.area for p in parcels)
        if total > park.land_area:  # cannot happen with the layout above; LandParcel.clean would refuse it
            raise AssertionError(f"{park.code}: parcels cover {total} m², more than {park.land_area} m²")
        return parcels

    def parcel(self, park: Park, code: str, geometry: dict) -> LandParcel:
        rng = self.rng
        district = park._demo["district"].name
        focus = self.brand_spec[park.brand.code].focus
        by_operator = rng.random() < 0.08  # operator-built standard plants and incubators, leased out
        if by_operator:
            holder = park.operator
            top = rng.choice(focus)
        else:
            top = rng.choice(focus) if rng.random() < 0.7 else ""
            pool = (
                self.enterprises_by.get((district, top)) or self.enterprises_by.get((district, "")) or self.enterprises
            )
            holder = rng.choice(pool)
            top = holder.industry.tree_path.split("/")[0]
        if rng.random() < 0.05:
            land_use = LandUse.PUBLIC
        else:
            uses, use_weights = zip(*self.industry_node[top].land_uses, strict=True)
            land_use = rng.choices(uses, weights=use_weights)[0]
        status = rng.choices(list(Status), weights=[82, 5, 7, 3, 3])[0]
        low, high = {
            LandUse.INDUSTRIAL: (1.2, 2.0),
            LandUse.RESEARCH: (2.0, 3.0),
            LandUse.LOGISTICS: (1.0, 2.0),
            LandUse.COMMERCIAL: (2.5, 4.0),
            LandUse.PUBLIC: (0.8, 1.5),
        }.get(land_use, (1.0, 1.5))
        granted = self.date_between(max(park.established, date(2003, 1, 1)), date(self.today.year - 2, 12, 31))
        parcel = LandParcel(
            park=park,
            code=code,
            area=_area(polygon_area_m2(geometry)),
            land_use=land_use,
            holder=holder,
            status=status,
            granted=granted,
            plot_ratio_cap=Decimal(str(round(rng.uniform(low, high) * 10) / 10)).quantize(Decimal("0.01")),
            geometry=geometry,
        )
        parcel._demo_operator = by_operator
        return parcel

    # -- buildings and space units ------------------------------------------------------------

    def build_buildings(self) -> None:
        rng = self.rng
        eligible = [p for p in self.parcels if p.status != Status.IDLE]  # idle land: nothing built
        per_parcel = {id(p): 1 for p in eligible}
        extra = self.volumes["buildings"] - len(eligible)
        if extra > 0 and eligible:
            for parcel in rng.choices(eligible, weights=[float(p.area) ** 0.8 for p in eligible], k=extra):
                per_parcel[id(parcel)] += 1
        buildings = []
        for parcel in eligible:
            buildings += self.parcel_buildings(parcel, min(per_parcel[id(parcel)], 8))
        self.buildings = buildings
        self.save("Buildings", Building, buildings, "buildings")

    def parcel_buildings(self, parcel: LandParcel, n: int) -> list[Building]:
        rng = self.rng
        cap = float(parcel.plot_ratio_cap)
        low, high = {
            Status.INEFFICIENT: (0.2, 0.5),
            Status.UNDER_DISPOSAL: (0.2, 0.6),
            Status.REDEVELOPED: (0.8, 1.0),
        }.get(parcel.status, (0.6, 1.0))
        ratio = cap * rng.uniform(low, high)  # the floor area ratio actually built
        coverage = (
            rng.uniform(0.35, 0.55)
            if parcel.land_use in {LandUse.INDUSTRIAL, LandUse.LOGISTICS}
            else rng.uniform(0.25, 0.4)
        )
        uses, use_weights = {
            LandUse.INDUSTRIAL: ((Use.PLANT, Use.RESEARCH, Use.WAREHOUSE, Use.OFFICE, Use.SUPPORT), (70, 10, 10, 5, 5)),
            LandUse.RESEARCH: ((Use.RESEARCH, Use.OFFICE, Use.MIXED), (60, 25, 15)),
            LandUse.LOGISTICS: ((Use.WAREHOUSE, Use.OFFICE, Use.SUPPORT), (80, 10, 10)),
            LandUse.COMMERCIAL: ((Use.OFFICE, Use.MIXED), (70, 30)),
        }.get(parcel.land_use, ((Use.SUPPORT, Use.OFFICE), (70, 30)))
        shares = [rng.uniform(0.6, 1.4) for _ in range(n)]
        total_floor_area = float(parcel.area) * ratio
        built = self.date_between(parcel.granted + timedelta(days=365), parcel.granted + timedelta(days=4 * 365))
        buildings = []
        for i, share in enumerate(shares):
            use = uses[0] if i == 0 else rng.choices(uses, weights=use_weights)[0]
            floors = max(1, min(30, round(ratio / coverage * rng.uniform(0.7, 1.3))))
            if use in {Use.PLANT, Use.WAREHOUSE, Use.SUPPORT}:
                floors = min(floors, 6)
            year = min(built.year + rng.randint(0, 3), self.today.year)
            if parcel.status == Status.REDEVELOPED:
                year = rng.randint(2020, self.today.year)
            building = Building(
                parcel=parcel,
                code=f"{i + 1}#",
                use=use,
                name=f"{i + 1}号{rng.choice(names.BUILDING_NAMES[use])}",
                floor_area=_area(total_floor_area * share / sum(shares)),
                floors=floors,
                completed=year,
            )
            building._demo_operator = parcel._demo_operator
            buildings.append(building)
        return buildings

    def build_space_units(self) -> None:
        units = []
        for building in self.buildings:
            units += self.building_units(building)
        self.save("Space units", SpaceUnit, units, "space_units")

    def building_units(self, building: Building) -> list[SpaceUnit]:
        rng = self.rng
        use, floors = building.use, building.floors
        if use == Use.PLANT:
            n, kind = rng.choices((1, 2, 3, 4), weights=(40, 30, 20, 10))[0], SpaceUnit.Kind.PLANT
        elif use == Use.WAREHOUSE:
            n, kind = rng.randint(1, 3), SpaceUnit.Kind.WAREHOUSE
        elif use == Use.SUPPORT:
            n, kind = rng.randint(1, 2), SpaceUnit.Kind.OTHER
        elif use == Use.OFFICE and floors <= 8:
            n, kind = floors, SpaceUnit.Kind.FLOOR
        elif use == Use.RESEARCH:
            n, kind = rng.randint(2, 5), SpaceUnit.Kind.LAB if rng.random() < 0.5 else SpaceUnit.Kind.SUITE
        else:
            n, kind = rng.randint(2, 6), SpaceUnit.Kind.SUITE
        if building._demo_operator and kind != SpaceUnit.Kind.FLOOR:
            n = max(n, rng.randint(3, 8))  # the operator's buildings are split for many tenants
        leasable = float(building.floor_area) * rng.uniform(0.78, 0.92)
        shares = [rng.uniform(0.6, 1.4) for _ in range(n)]
        units, per_floor = [], defaultdict(int)
        for i, share in enumerate(shares):
            floor = i + 1 if kind == SpaceUnit.Kind.FLOOR else 1 + i * floors // n
            per_floor[floor] += 1
            if kind == SpaceUnit.Kind.FLOOR:
                code = f"{floor}F"
            elif kind in {SpaceUnit.Kind.PLANT, SpaceUnit.Kind.WAREHOUSE}:
                code = f"{_letters(i)}区"
            else:
                code = f"{floor}{per_floor[floor]:02d}"
            units.append(
                SpaceUnit(
                    building=building, code=code, kind=kind, floor=floor, area=_area(leasable * share / sum(shares))
                )
            )
        return units

    # -- people and their positions -----------------------------------------------------------

    def person(self) -> Person:
        rng = self.rng
        made = self.people_made
        if len(made) == 2 or (made and rng.random() < 0.01):
            # namesakes: a different person who happens to share the name (positions tell them apart)
            namesake = rng.choice(made)
            person = Person(name=namesake.name, name_en=namesake.name_en)
            person._demo_email = namesake._demo_email
        else:
            surname, surname_en, _w = rng.choices(names.SURNAMES, weights=[s[2] for s in names.SURNAMES])[0]
            given = rng.sample(names.GIVEN_CHARACTERS, 1 if rng.random() < 0.3 else 2)
            given_en = "".join(p for _c, p in given)
            person = Person(
                name=surname + "".join(c for c, _p in given), name_en=f"{surname_en} {given_en.capitalize()}"
            )
            person._demo_email = f"{given_en}.{surname_en.lower()}"
        made.append(person)
        if rng.random() < 0.4:
            person.phone = (
                f"021-{rng.randint(5, 6)}{rng.randint(0, 9_999_999):07d}"
                if rng.random() < 0.6
                else f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}"
            )
        return person

    def build_people(self) -> None:
        rng = self.rng
        people: list[Person] = []
        positions: list[Position] = []

        def appoint(person, organization, title, title_en, start, end=None):
            positions.append(
                Position(
                    person=person,
                    organization=organization,
                    title=title,
                    title_en=title_en,
                    start_date=start,
                    end_date=end,
                )
            )

        def staff(organization, role, n):
            titles = names.TITLES[role]
            # an enterprise is headed by its chairman or its general manager; other bodies by the first title
            heads = titles[:2] if role == "enterprise" else titles[:1]
            taken = set()
            for i in range(n):
                person = self.person()
                if rng.random() < 0.5:
                    person.email = f"{person._demo_email}@{self.email_domain[id(organization)]}"
                people.append(person)
                if i == 0:
                    title, title_en, _w = rng.choice(heads)
                else:  # one chairman, one CFO ...; deputies and professors come in numbers (weight >= 2)
                    pool = [t for t in titles[1:] if t[0] not in taken or t[2] >= 2] or titles[1:]
                    title, title_en, _w = rng.choices(pool, weights=[t[2] for t in pool])[0]
                taken.add(title)
                start = self.date_between(
                    max(organization.established or date(2000, 1, 1), date(2008, 1, 1)),
                    self.today - timedelta(days=30),
                )
                appoint(person, organization, title, title_en, start)
                if rng.random() < 0.15:  # a former post elsewhere in the same field
                    previous = rng.choice([b for b, r, _n in self.bodies if r == role] or [organization])
                    if previous is not organization:
                        title, title_en, _w = rng.choice(titles[1:] or titles)
                        end = start - timedelta(days=rng.randint(1, 60))
                        began = end - timedelta(days=rng.randint(400, 2500))
                        appoint(person, previous, title, title_en, began, end)

        for organization, role, base in self.bodies:
            staff(organization, role, self.people_per_body(base))

        remaining = max(0, self.volumes["people"] - len(people))
        holders = {id(p.holder): p.holder for p in self.parcels if p.holder.kind == Kind.ENTERPRISE}
        # land holders and notable enterprises first: they are the ones people look up
        notable = [e for e in self.enterprises if id(e) in holders or e.is_listed or e.is_unicorn]
        others = [e for e in self.enterprises if not (id(e) in holders or e.is_listed or e.is_unicorn)]
        rng.shuffle(others)
        for enterprise in notable + others:
            if remaining <= 0:
                break
            n = min(remaining, rng.choices((1, 2, 3), weights=(50, 35, 15))[0])
            staff(enterprise, "enterprise", n)
            remaining -= n
        # a chairman often chairs a second company of the group
        chairs = [p for p in positions if p.title == "董事长" and p.organization.kind == Kind.ENTERPRISE]
        for position in rng.sample(chairs, len(chairs) // 10):
            other = rng.choice(self.enterprises)
            if other is not position.organization:
                appoint(
                    position.person,
                    other,
                    "董事长",
                    "Chairman",
                    self.date_between(date(2012, 1, 1), self.today - timedelta(days=30)),
                )

        self.save("People", Person, people, "people")
        self.save("Positions", Position, positions, "positions")
        by_name = defaultdict(int)
        for person in people:
            by_name[person.name] += 1
        self.counts["people_sharing_a_name"] = sum(n for n in by_name.values() if n > 1)

    # -- accounts -----------------------------------------------------------------------------

    def build_accounts(self) -> None:
        """One account per role, all with DEMO_PASSWORD, each seeing a different slice."""
        wanted = {a.role for a in DEMO_ACCOUNTS} | {fallback_group_name(a.role) for a in FALLBACK_ACCOUNTS}
        if Group.objects.filter(name__in=wanted).count() < len(wanted):
            sync_roles()
        # one hash for all: PBKDF2 takes about a second per call here, and the password is public anyway
        password = make_password(DEMO_PASSWORD)
        parks = sorted(self.parks, key=lambda p: p.code)

        def parks_in(*districts, n):
            chosen = [p for p in parks if p.district in districts][:n]
            return chosen + [p for p in parks if p not in chosen][: n - len(chosen)]

        investment_parks = parks_in("浦东新区", n=3)
        # the manager runs a brand of a handful of parks: the first with 3 to 8, else the first
        brand = next((b for b in self.brands if 3 <= sum(p.brand is b for p in parks) <= 8), self.brands[0])
        holder_parcel = next(
            (
                p
                for p in self.parcels
                if p.park in investment_parks
                and p.holder.kind == Kind.ENTERPRISE
                and p.status == Status.IN_USE
                and any(b.parcel is p for b in self.buildings)
            ),
            None,
        ) or next(
            p for p in self.parcels if p.holder.kind == Kind.ENTERPRISE and any(b.parcel is p for b in self.buildings)
        )
        # the roles the demo enterprise's work goes to also cover its park: its request, appeal or proposal, tried
        # on the demo, reaches the named accounts (the fallback accounts take every other uncovered park)
        home = [holder_parcel.park]
        scope = {
            "admin": ([], []),
            "investment": (investment_parks, []),
            "manager": (_with([p for p in parks if p.brand is brand], home), []),
            "service": (_with(parks_in("闵行区", n=2), home), []),
            "evaluation": (_with(parks_in("临港新片区", "奉贤区", "金山区", n=5), home), []),
            "government": ([], [self.governments["浦东新区"]]),
            "enterprise": ([], [holder_parcel.holder]),
            **{account.username: ([], []) for account in FALLBACK_ACCOUNTS},
        }
        User = get_user_model()
        for account in DEMO_ACCOUNTS + FALLBACK_ACCOUNTS:
            user = User.objects.filter(username=account.username).first() or User(username=account.username)
            user.password = password
            user.email = f"{account.username}@parkos.example"
            user.first_name = str(ROLES_BY_NAME[account.role].label)
            user.is_active = True
            user.is_staff = account.username == "admin"
            user.is_superuser = False
            user.save()
            groups = [account.role, fallback_group_name(account.role)] if account.fallback else [account.role]
            user.groups.set(Group.objects.filter(name__in=groups))
            user_parks, organizations = scope[account.username]
            user.parks.set(user_parks)
            user.organizations.set(organizations)
            self.counts["accounts"] += 1


def _with(parks: list[Park], more: list[Park]) -> list[Park]:
    return parks + [p for p in more if p not in parks]


def account_rows() -> list[dict[str, str]]:
    """The demo accounts as they are in the database: username, password, role and what they see."""
    User = get_user_model()
    rows = []
    for account in DEMO_ACCOUNTS + FALLBACK_ACCOUNTS:
        user = User.objects.filter(username=account.username).prefetch_related("parks__brand", "organizations").first()
        role = ROLES_BY_NAME[account.role]
        if user is None:
            rows.append(
                {
                    "username": account.username,
                    "password": "",
                    "role": str(role.label),
                    "sees": "(no such account: load the demo with --reset)",
                }
            )
            continue
        parks = sorted(user.parks.all(), key=lambda p: p.name)
        organizations = list(user.organizations.all())
        if account.role == "operator_admin":
            sees = "everything, and the admin site at /admin/"
        elif account.fallback:
            sees = "fallback: the work of the parks no other account of its role covers"
        elif parks:
            brands = {p.brand_id for p in parks}
            whole_brand = len(brands) == 1 and account.role == "park_manager"
            label = f"brand {parks[0].brand.name}: " if whole_brand else ""
            sees = f"{label}{len(parks)} parks ({', '.join(p.name for p in parks)}); the whole directory"
        elif organizations:
            organization = organizations[0]
            if organization.kind == Kind.ENTERPRISE:
                parcels = LandParcel.objects.filter(holder=organization).count()
                buildings = Building.objects.filter(parcel__holder=organization).count()
                sees = f"its own enterprise {organization.name} ({parcels} parcels, {buildings} buildings)"
            else:
                sees = f"what {organization.name} is party to, and aggregates"
        else:
            sees = "nothing yet (no parks or organization assigned)"
        rows.append({"username": account.username, "password": DEMO_PASSWORD, "role": str(role.label), "sees": sees})
    return rows
