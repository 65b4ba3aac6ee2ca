"""The demo's investment pipeline: projects with stage histories, events, agreements, commitments, contacts.

``load_investment`` runs inside ``load_demo`` after the accounts exist, drawing from the same
``random.Random`` (so it stays deterministic) and dating everything before the demo's reference
date. Rows go in with ``bulk_create`` and are recorded with ``log_bulk_create``; since bulk_create
bypasses ``save()``, the derived commitment fields (middle of term, latest value, met on) are set
here with the model's own rule (``Commitment._derive_progress``). Commitment statuses are planned
(met, on track, at risk, overdue) and the progress records drawn to match, with due dates far enough
ahead that on-track and at-risk commitments keep their status for a few years after the reference date.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth import get_user_model

from parkos.core.changelog import log_bulk_create
from parkos.directory.models import Organization, Position
from parkos.investment.models import (
    STAGE_ORDER,
    Agreement,
    Commitment,
    Contact,
    Event,
    ExchangeRate,
    FollowUpTask,
    Party,
    Progress,
    Project,
    Signatory,
    Stage,
    StageChange,
)
from parkos.parks.models import Park

Progressbar = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]

#: rows at scale 1; minimums keep a tiny demo (tests) varied enough to show every status
BASE_VOLUMES = {"projects": 600, "events": 40, "agreements": 300, "contacts": 800}
MINIMUMS = {"projects": 24, "events": 4, "agreements": 14, "contacts": 30}
BATCH = 2000
HISTORY_YEARS = 3

STAGE_WEIGHTS = {
    Stage.LEAD: 24,
    Stage.CONTACTED: 17,
    Stage.NEGOTIATING: 13,
    Stage.SIGNED: 10,
    Stage.LANDED: 8,
    Stage.UNDER_CONSTRUCTION: 8,
    Stage.IN_OPERATION: 9,
    Stage.LOST: 11,
}
LOST_REASONS = (
    "投资方选择在苏州落地",
    "投资方战略调整，项目暂缓",
    "用地指标无法满足",
    "融资未到位",
    "其他园区给出更优惠的政策",
    "Investor chose a site in Singapore",
    "Headquarters froze capital spending",
    "能耗指标不足",
)
FACILITIES = (
    ("研发中心", "R&D Centre"),
    ("生产基地", "Production Base"),
    ("区域总部", "Regional Headquarters"),
    ("智能制造基地", "Smart Manufacturing Base"),
    ("创新中心", "Innovation Centre"),
    ("二期扩产", "Phase II Expansion"),
    ("中试基地", "Pilot Plant"),
    ("结算中心", "Settlement Centre"),
    ("数据中心", "Data Centre"),
    ("应用示范中心", "Application Demonstration Centre"),
)
CODENAMES = (
    "Magnolia",
    "Lotus",
    "Peony",
    "Orchid",
    "Camellia",
    "Osmanthus",
    "Ginkgo",
    "Bamboo",
    "Jade",
    "Phoenix",
    "Crane",
    "Aurora",
    "Polaris",
    "Sirius",
    "Vega",
    "Cedar",
    "Willow",
    "Azalea",
    "Jasmine",
    "Plum",
    "Lantern",
    "Harbour",
    "Summit",
    "Meridian",
    "Horizon",
    "Compass",
    "Falcon",
    "Heron",
    "Kestrel",
    "Sequoia",
    "Maple",
    "Cypress",
    "Atlas",
    "Orion",
    "Lyra",
    "Nova",
    "Zephyr",
    "Coral",
    "Amber",
    "Indigo",
)
ROMAN = ("", " II", " III", " IV", " V", " VI", " VII", " VIII", " IX", " X")
CONTACT_SUBJECTS = {
    Contact.Kind.VISIT: ("走访企业，了解项目推进情况", "实地查看厂房建设进度", "走访了解投产及用工情况"),
    Contact.Kind.CALL: ("电话沟通用地与规划指标", "电话沟通政策兑现材料", "Call on financing timetable"),
    Contact.Kind.MEETING: ("季度联席会议", "项目推进协调会", "合作事项专题会", "Steering committee meeting"),
    Contact.Kind.DELEGATION: ("代表团来访洽谈", "赴企业总部拜访", "Delegation visit to headquarters"),
}
NEXT_STEPS = (
    "园区准备厂房交付方案，企业提交用地需求说明。",
    "区投促办协调规划部门，两周内反馈指标意见。",
    "企业补充提交投资计划书和财务报表。",
    "双方下次会议确认租赁条款。",
    "跟进人才公寓配套申请。",
    "Operator sends the draft lease; investor confirms floor plan.",
    "协调供电扩容方案，月底前书面答复。",
)
TASKS = (
    "发送厂房交付方案",
    "提交产业扶持资金申报材料",
    "协调规划部门出具意见",
    "安排下一次现场会",
    "整理会议纪要并分发各方",
    "Send the draft lease",
    "跟进环评批复进度",
)
EXCHANGE_RATES = {  # value of one unit in CNY, from 1 January of each year: illustrative, not official
    "USD": ("6.9500", "7.1000", "7.1900"),
    "EUR": ("7.4200", "7.8500", "7.5200"),
    "HKD": ("0.8900", "0.9100", "0.9200"),
    "JPY": ("0.052500", "0.050200", "0.047000"),
}
RATE_SOURCE = "illustrative demo rate"
VISITING_COUNTRIES = ("德国", "新加坡", "日本", "法国", "阿联酋", "瑞士", "韩国")
CELEBRATIONS = ("开园周年庆典", "重点项目竣工投产仪式", "年度合作伙伴大会")


def load_investment(
    rng: random.Random,
    *,
    scale: float,
    parks: Sequence[Park],
    enterprises: Sequence[Organization],
    bodies: Sequence[tuple[Organization, str, int]],
    governments: dict[str, Organization],
    today: date,
    counts: dict[str, int],
    progress: Progressbar,
) -> None:
    """Create the investment demo rows; add what was created to ``counts``.

    ``bodies`` are the generator's (organization, role, people) for every non-enterprise;
    ``governments`` the district governments by district name; ``today`` the reference date.
    The demo accounts must exist: projects are owned by "investment", and the organization of
    "government" is a party to agreements in its district.
    """
    _Loader(rng, scale, parks, enterprises, bodies, governments, today, counts, progress).run()


def volumes(scale: float) -> dict[str, int]:
    return {key: max(MINIMUMS[key], round(value * scale)) for key, value in BASE_VOLUMES.items()}


def _batches(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Loader:
    def __init__(self, rng, scale, parks, enterprises, bodies, governments, today, counts, progress) -> None:
        self.rng = rng
        self.volumes = volumes(scale)
        self.parks = sorted(parks, key=lambda p: p.code)
        self.enterprises = list(enterprises)
        self.bodies = list(bodies)
        self.governments = governments
        self.today = today
        self.start = today - timedelta(days=365 * HISTORY_YEARS)
        self.counts = counts
        self.progress = progress
        User = get_user_model()
        self.staff_user = User.objects.get(username="investment")
        government_user = User.objects.get(username="government")
        self.government_org_ids = set(government_user.organizations.values_list("pk", flat=True))
        self.home_parks = sorted(self.staff_user.parks.all(), key=lambda p: p.code) or self.parks[:3]
        home_ids = {p.pk for p in self.home_parks}
        self.home_parks = [p for p in self.parks if p.pk in home_ids]  # the loaded instances
        self.operator_by_id = {o.pk: o for o, role, _n in self.bodies if role == "park_operator"}
        self.by_role: dict[str, list[Organization]] = defaultdict(list)
        for organization, role, _n in self.bodies:
            self.by_role[role].append(organization)
        # who may sign for each organization: its current post holders, head first
        self.posts: dict[int, list[tuple[int, str]]] = defaultdict(list)
        rows = Position.objects.filter(end_date__isnull=True).order_by("pk")
        for organization_id, person_id, title in rows.values_list("organization_id", "person_id", "title"):
            self.posts[organization_id].append((person_id, title))
        #: parks in the district of the demo government partner: its strategic agreements go there
        self.partner_parks = [
            p for p in self.parks if getattr(self.governments.get(p.district), "pk", None) in self.government_org_ids
        ]
        staffed = [e for e in self.enterprises if e.pk in self.posts]
        self.investors = staffed or self.enterprises

    # -- helpers ------------------------------------------------------------------------------

    def between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def save(self, label: str, model, objects: list, key: str, *, logged: bool = True) -> None:
        with self.progress(label, len(objects)) as advance:
            for batch in _batches(objects, BATCH):
                model.objects.bulk_create(batch)
                if logged:
                    self.counts["change_records"] += log_bulk_create(batch)
                advance(len(batch))
        self.counts[key] += len(objects)

    def park(self) -> Park:
        return self.rng.choice(self.home_parks) if self.rng.random() < 0.5 else self.rng.choice(self.parks)

    def government_of(self, park: Park) -> Organization | None:
        return self.governments.get(park.district)

    def signer(self, organization: Organization) -> tuple[int, str] | None:
        posts = self.posts.get(organization.pk)
        if not posts:
            return None
        return posts[0] if self.rng.random() < 0.55 else self.rng.choice(posts)

    # -- the whole load -----------------------------------------------------------------------

    def run(self) -> None:
        self.build_exchange_rates()
        self.build_projects()
        self.build_events()
        self.build_agreements()
        self.build_contacts()

    def build_exchange_rates(self) -> None:
        rates = [
            ExchangeRate(
                currency=currency,
                rate=Decimal(rate),
                valid_from=date(self.today.year - 2 + i, 1, 1),
                source=RATE_SOURCE,
            )
            for currency, values in EXCHANGE_RATES.items()
            for i, rate in enumerate(values)
        ]
        self.save("Exchange rates", ExchangeRate, rates, "exchange_rates")

    # -- projects -----------------------------------------------------------------------------

    def project_name(self, investor: Organization) -> str:
        short = getattr(investor, "_demo_short", None)
        facility, facility_en = self.rng.choice(FACILITIES)
        if short is None:
            return f"{investor.name.removeprefix('上海')[:12]}{facility}项目"
        trade, word, trade_en, word_en = short
        if investor.ownership == Organization.Ownership.FOREIGN_INVESTED and self.rng.random() < 0.5:
            return f"{trade_en} {word_en.split()[0]} {facility_en} Project"
        return f"{trade}{word.removesuffix('科技').removesuffix('技术')}{facility}项目"

    def stage_path(self, final: str) -> list[str]:
        """The stages a project went through to reach ``final`` (a lost one dropped out somewhere)."""
        if final != Stage.LOST:
            return list(STAGE_ORDER[: STAGE_ORDER.index(final) + 1])
        reached = self.rng.choices(range(4), weights=(35, 30, 25, 10))[0]
        return [*STAGE_ORDER[: reached + 1], Stage.LOST]

    def build_projects(self) -> None:
        rng = self.rng
        stages, weights = zip(*STAGE_WEIGHTS.items(), strict=True)
        projects, paths = [], []
        codenames_used: dict[str, int] = defaultdict(int)
        for _ in range(self.volumes["projects"]):
            park = self.park()
            investor = rng.choice(self.investors) if rng.random() < 0.92 else None
            final = rng.choices(stages, weights=weights)[0]
            path = self.stage_path(final)
            dates = self.stage_dates(len(path))
            foreign = investor is not None and investor.ownership == Organization.Ownership.FOREIGN_INVESTED
            amount = Decimal(round(10 ** rng.uniform(7.3, 10.2) / 1_000_000) * 1_000_000 or 5_000_000)
            currency = "CNY"
            if foreign and rng.random() < 0.6:
                currency = rng.choices(("USD", "EUR"), weights=(75, 25))[0]
                amount = Decimal(round(amount / (7 if currency == "USD" else 8) / 100_000) * 100_000 or 1_000_000)
            confidential = rng.random() < 0.08
            codename = ""
            if confidential:
                word = rng.choice(CODENAMES)
                codenames_used[word] += 1
                codename = f"Project {word}{ROMAN[(codenames_used[word] - 1) % len(ROMAN)]}"
            name = self.project_name(investor) if investor else f"{rng.choice(FACILITIES)[0]}意向项目"
            project = Project(
                name=name,
                codename=codename,
                is_confidential=confidential,
                investor=investor,
                industry=investor.industry if investor else None,
                park=park,
                planned_investment_amount=amount if rng.random() < 0.9 else None,
                planned_investment_currency=currency,
                planned_floor_area=Decimal(round(10 ** rng.uniform(3.2, 4.9))),
                planned_jobs=round(10 ** rng.uniform(1.3, 3.2)),
                # a confidential project is now and then run by someone else: the demo user sees its codename
                owner=self.staff_user if not confidential or rng.random() < 0.5 else None,
                source=rng.choice(Project.Source.values),
                stage=final,
                stage_since=dates[-1],
                lost_reason=rng.choice(LOST_REASONS) if final == Stage.LOST else "",
                description=f"拟投资建设{name.removesuffix('项目')}，计划用工约{rng.randint(1, 30) * 10}人。",
            )
            if project.planned_investment_amount is None:
                project.planned_investment_currency = ""
            projects.append(project)
            paths.append((path, dates))
        self.save("Investment projects", Project, projects, "projects")
        history = [
            StageChange(
                project=project,
                stage=stage,
                previous_stage=path[i - 1] if i else "",
                date=day,
                user=self.staff_user,
            )
            for project, (path, dates) in zip(projects, paths, strict=True)
            for i, (stage, day) in enumerate(zip(path, dates, strict=True))
        ]
        self.save("Stage history", StageChange, history, "stage_changes", logged=False)
        self.projects = projects

    def stage_dates(self, n: int) -> list[date]:
        """``n`` ascending dates over the last three years: the first lead date, then a gap per move."""
        first = self.between(self.start, self.today - timedelta(days=20))
        gaps = [self.rng.randint(15, 200) for _ in range(n - 1)]
        room = (self.today - first).days
        if sum(gaps) > room:
            gaps = [max(1, g * room // sum(gaps)) for g in gaps]
        dates = [first]
        for gap in gaps:
            dates.append(min(self.today, dates[-1] + timedelta(days=gap)))
        return dates

    # -- events -------------------------------------------------------------------------------

    def build_events(self) -> None:
        rng = self.rng
        kinds = rng.choices(
            (Event.Kind.SIGNING, Event.Kind.VISIT, Event.Kind.MEETING, Event.Kind.CELEBRATION),
            weights=(45, 25, 15, 15),
            k=self.volumes["events"],
        )
        kinds[0] = Event.Kind.SIGNING  # at least one signing, whatever the scale
        events = []
        for kind in kinds:
            park = rng.choice(self.home_parks) if rng.random() < 0.6 else rng.choice(self.parks)
            day = self.between(self.start, self.today - timedelta(days=7))
            government = self.government_of(park)
            who = government.name if government else "市商务委"
            title = {
                Event.Kind.SIGNING: f"{day.year}年{park.name}重点项目集中签约仪式",
                Event.Kind.VISIT: f"{rng.choice(VISITING_COUNTRIES)}经贸代表团考察{park.name}",
                Event.Kind.MEETING: f"{who}与园区合作联席会议（{day.year}年）",
                Event.Kind.CELEBRATION: f"{park.name}{rng.choice(CELEBRATIONS)}",
            }[kind]
            event = Event(
                kind=kind,
                title=title,
                date=day,
                place=f"{park.name}{rng.choice(('会议中心', '展示中心', '多功能厅', '项目现场'))}",
                park=park,
                description="",
            )
            event._demo_people, event._demo_orgs = (
                set(),
                {park.operator_id} | ({government.pk} if government else set()),
            )
            events.append(event)
        Event.objects.bulk_create(events)  # logged once their attendees are known (after the agreements)
        self.events = events

    # -- agreements, parties, signatories, commitments, progress --------------------------------

    def build_agreements(self) -> None:
        rng = self.rng
        kinds = (
            Agreement.Kind.STRATEGIC,
            Agreement.Kind.FRAMEWORK,
            Agreement.Kind.INVESTMENT,
            Agreement.Kind.LEASE,
            Agreement.Kind.MEMORANDUM,
        )
        landed = defaultdict(list)  # projects past signing, by park: what investment and lease agreements are for
        for project in self.projects:
            if project.stage in STAGE_ORDER[STAGE_ORDER.index(Stage.SIGNED) :] and project.investor_id:
                landed[project.park_id].append(project)
        signings = [e for e in self.events if e.kind == Event.Kind.SIGNING]
        agreements, plans = [], []
        n = self.volumes["agreements"]
        for i in range(n):
            kind = rng.choices(kinds, weights=(15, 13, 40, 22, 10))[0]
            park = self.park()
            if i % 8 == 0 and self.partner_parks:  # the demo government partner has several, whatever the draw
                kind, park = Agreement.Kind.STRATEGIC, rng.choice(self.partner_parks)
            status = rng.choices(Agreement.Status.values, weights=(5, 10, 68, 13, 4))[0]
            project = None
            if kind in (Agreement.Kind.INVESTMENT, Agreement.Kind.LEASE) and landed[park.pk] and rng.random() < 0.7:
                project = rng.choice(landed[park.pk])
            event = None
            if status != Agreement.Status.DRAFT:
                in_park = [e for e in signings if e.park_id == park.pk]
                if in_park and rng.random() < 0.4:
                    event = rng.choice(in_park)
                    signed_on = event.date
                elif project is not None:
                    signed_on = self.between(project.stage_since - timedelta(days=60), project.stage_since)
                else:
                    signed_on = self.between(self.start, self.today - timedelta(days=10))
                signed_on = min(max(signed_on, self.start - timedelta(days=200)), self.today - timedelta(days=1))
            else:
                signed_on = None
            parties = self.plan_parties(kind, park, project)
            operator = self.operator_by_id.get(park.operator_id) or parties[0][0]
            other = next((o for o, role in parties if o.pk != operator.pk), parties[-1][0])
            title = {
                Agreement.Kind.STRATEGIC: f"{other.name}与{operator.name}战略合作协议",
                Agreement.Kind.FRAMEWORK: f"{other.name}与{operator.name}产业合作框架协议",
                Agreement.Kind.INVESTMENT: (
                    f"{project.name} Investment Agreement"
                    if project and project.name.isascii()
                    else f"{project.name if project else other.name + '项目'}投资协议"
                ),
                Agreement.Kind.LEASE: f"{other.name}入驻{park.name}租赁协议",
                Agreement.Kind.MEMORANDUM: f"{other.name}与{operator.name}合作备忘录",
            }[kind]
            cadence = rng.choices(
                [None, *Agreement.Cadence.values],
                weights={
                    Agreement.Kind.STRATEGIC: (5, 10, 55, 25, 5),
                    Agreement.Kind.FRAMEWORK: (10, 5, 45, 35, 5),
                    Agreement.Kind.INVESTMENT: (10, 25, 50, 10, 5),
                    Agreement.Kind.LEASE: (40, 0, 10, 20, 30),
                    Agreement.Kind.MEMORANDUM: (35, 0, 15, 35, 15),
                }[kind],
            )[0]
            drawn = {
                rng.choice(("集成电路", "人工智能", "生物医药", "高端装备", "新能源", "数字经济", "跨境金融"))
                for _ in range(rng.randint(1, 3))
            }
            if project is not None and project.industry is not None:
                drawn.add(project.industry.name)
            fields = sorted(drawn)
            agreement = Agreement(
                kind=kind,
                title=title[:300],
                reference=f"PK-{(signed_on or self.today).year}-{kind[:3].upper()}-{i + 1:04d}",
                status=status,
                park=park,
                project=project,
                event=event,
                signed_on=signed_on,
                start_date=signed_on,
                end_date=signed_on + timedelta(days=365 * rng.randint(3, 10)) if signed_on else None,
                fields_of_cooperation="\n".join(fields),
                contact_cadence=cadence,
                summary=f"{'、'.join(o.name for o, _r in parties)}就{'、'.join(fields) or '产业合作'}开展合作。",
            )
            agreements.append(agreement)
            plans.append(parties)
        self.save("Agreements", Agreement, agreements, "agreements")

        parties, signatories = [], []
        for agreement, planned in zip(agreements, plans, strict=True):
            agreement._demo_parties = []
            for organization, role in planned:
                party = Party(agreement=agreement, organization=organization, role=role)
                party._demo_organization = organization
                agreement._demo_parties.append(party)
                parties.append(party)
        self.save("Agreement parties", Party, parties, "parties")
        for agreement in agreements:
            agreement._demo_people = []
            if agreement.status == Agreement.Status.DRAFT:
                continue
            for party in agreement._demo_parties:
                if party.role == Party.Role.WITNESS and rng.random() < 0.5:
                    continue
                signer = self.signer(party._demo_organization)
                if signer is None:
                    continue
                person_id, title = signer
                signatories.append(Signatory(agreement=agreement, party=party, person_id=person_id, title=title))
                agreement._demo_people.append(person_id)
            if agreement.event is not None:
                agreement.event._demo_people.update(agreement._demo_people)
                agreement.event._demo_orgs.update(p.organization_id for p in agreement._demo_parties)
        self.save("Signatories", Signatory, signatories, "signatories")
        self.agreements = agreements
        self.build_commitments()
        self.finish_events()

    def plan_parties(self, kind: str, park: Park, project: Project | None) -> list[tuple[Organization, str]]:
        """Two to six (organization, role) pairs: the park's operator, and whom each kind of agreement binds."""
        rng = self.rng
        Role = Party.Role
        operator = self.operator_by_id.get(park.operator_id)
        government = self.government_of(park)
        chosen: list[tuple[Organization, str]] = []

        def add(organization, role):
            if organization is not None and all(o.pk != organization.pk for o, _r in chosen):
                chosen.append((organization, role))

        if kind == Agreement.Kind.STRATEGIC:
            add(government, Role.GOVERNMENT)
            add(operator, Role.OPERATOR)
            if rng.random() < 0.5:
                add(rng.choice(self.by_role["commission"]), Role.GOVERNMENT)
            if rng.random() < 0.4:
                add(rng.choice(self.by_role["financial"]), Role.FINANCIER)
            if rng.random() < 0.3:
                add(rng.choice(self.by_role["university"]), Role.PARTNER)
        elif kind == Agreement.Kind.FRAMEWORK:
            add(operator, Role.OPERATOR)
            add(rng.choice(self.by_role["university"] + self.by_role["association"]), Role.PARTNER)
            if rng.random() < 0.6:
                add(government, Role.GOVERNMENT)
            if rng.random() < 0.3:
                add(rng.choice(self.by_role["financial"]), Role.FINANCIER)
        elif kind == Agreement.Kind.INVESTMENT:
            add(project.investor if project else rng.choice(self.investors), Role.INVESTOR)
            add(operator, Role.OPERATOR)
            if rng.random() < 0.6:
                add(government, Role.GOVERNMENT)
            if rng.random() < 0.25:
                add(rng.choice(self.by_role["financial"]), Role.FINANCIER)
            if rng.random() < 0.15:
                add(rng.choice(self.by_role["commission"]), Role.WITNESS)
        elif kind == Agreement.Kind.LEASE:
            add(project.investor if project else rng.choice(self.investors), Role.PARTNER)
            add(operator, Role.OPERATOR)
        else:
            add(operator, Role.OPERATOR)
            add(rng.choice(self.investors + self.by_role["association"] + self.by_role["university"]), Role.PARTNER)
            if rng.random() < 0.3:
                add(government, Role.GOVERNMENT)
        if len(chosen) < 2:  # an operator-less park (cannot happen in the demo), or a duplicate draw
            add(rng.choice(self.investors), Role.PARTNER)
        return chosen[:6]

    def promises(self, agreement: Agreement, party: Party) -> list[tuple[str, str, Decimal | None, str]]:
        """What this party could promise: (kind, description, target, unit)."""
        rng = self.rng
        Kind = Commitment.Kind
        project = agreement.project
        if party.role in (Party.Role.INVESTOR, Party.Role.PARTNER) and party._demo_organization.kind == "enterprise":
            invest = (
                project.planned_investment_amount
                if project and project.planned_investment_amount
                else Decimal(round(10 ** rng.uniform(7.5, 9.8), -6))
            )
            currency = project.planned_investment_currency if project and project.planned_investment_amount else "CNY"
            area = Decimal(round(10 ** rng.uniform(3.0, 4.6), -1))
            options = [
                (Kind.INVESTMENT, "固定资产投资", invest, currency),
                (Kind.JOBS, "新增就业岗位", Decimal(rng.randint(5, 80) * 10), ""),
                (Kind.ANNUAL_OUTPUT, "达产后年产值", Decimal(round(10 ** rng.uniform(8, 10), -6)), "CNY"),
                (Kind.ANNUAL_TAX, "达产后年税收", Decimal(round(10 ** rng.uniform(6.5, 8.5), -5)), "CNY"),
                (Kind.TAX_PER_MU, "亩均税收", Decimal(rng.randint(30, 120) * 10_000), "CNY/mu"),
                (Kind.RD_SHARE, "研发投入占营业收入比例", Decimal(rng.randint(3, 15)), ""),
                # the stage milestones are checked against the project's stage history
                rng.choice(
                    (
                        (Kind.CONSTRUCTION_STARTED, "取得施工许可证并开工建设", None, ""),
                        (Kind.IN_OPERATION, "竣工投产", None, ""),
                        (Kind.MILESTONE, "完成工商注册落户", None, ""),
                    )
                ),
            ]
            if agreement.kind == Agreement.Kind.LEASE:
                options[0] = (Kind.FLOOR_AREA_LEASED, "承租面积", area, "")
            elif rng.random() < 0.5:
                options.append((Kind.FLOOR_AREA_BUILT, "新建厂房建筑面积", area, ""))
            return options
        if party.role == Party.Role.GOVERNMENT:
            return [
                (Kind.MILESTONE, rng.choice(("完成项目用地出让", "落实人才公寓配套", "完成道路及管网配套")), None, ""),
                (Kind.OTHER, "兑现产业扶持资金", Decimal(round(10 ** rng.uniform(6.5, 8), -5)), "CNY"),
            ]
        if party.role == Party.Role.OPERATOR:
            return [
                (Kind.MILESTONE, rng.choice(("交付定制化厂房", "完成厂房装修改造", "开通企业服务绿色通道")), None, ""),
                (Kind.INVESTMENT, "园区基础设施配套投资", Decimal(round(10 ** rng.uniform(7, 8.7), -6)), "CNY"),
                (Kind.OTHER, "提供人才公寓", Decimal(rng.randint(2, 20) * 10), "套"),
            ]
        if party.role == Party.Role.FINANCIER:
            return [(Kind.OTHER, "意向授信额度", Decimal(round(10 ** rng.uniform(8, 9.5), -7)), "CNY")]
        if party.role == Party.Role.PARTNER:
            return [
                (Kind.MILESTONE, rng.choice(("共建联合实验室挂牌", "联合举办产业论坛", "设立成果转化基地")), None, ""),
                (Kind.OTHER, "联合培养研究生", Decimal(rng.randint(1, 6) * 10), "人"),
            ]
        return []

    def build_commitments(self) -> None:
        rng = self.rng
        commitments, records = [], []
        for agreement in self.agreements:
            if agreement.signed_on is None or agreement.status == Agreement.Status.TERMINATED and rng.random() < 0.5:
                continue
            options = [
                (party, promise) for party in agreement._demo_parties for promise in self.promises(agreement, party)
            ]
            if not options:
                continue
            wanted = min(len(options), rng.randint(2, 5))
            # the first promises of the main party, then a draw over everyone's
            chosen = options[:2] + rng.sample(options[2:], max(0, wanted - 2))
            for party, (kind, description, target, unit) in chosen:
                commitment = Commitment(
                    agreement=agreement,
                    party=party,
                    kind=kind,
                    description=description,
                    target_value=target,
                    unit=unit or Commitment.FIXED_UNITS.get(kind, ""),
                    basis=Commitment.BASES.get(kind, (Commitment.Basis.CUMULATIVE,))[0],
                )
                commitment._demo_records = self.plan_progress(commitment, agreement)
                commitments.append(commitment)
        self.save("Commitments", Commitment, commitments, "commitments")
        sources = Progress.Source.values
        for commitment in commitments:
            for day, value in commitment._demo_records:
                records.append(
                    Progress(
                        commitment=commitment,
                        date=day,
                        value=value,
                        source=rng.choice(sources),
                        note="" if rng.random() < 0.7 else "据企业季度报表",
                    )
                )
        self.save("Progress records", Progress, records, "progress_records")

    def plan_progress(self, commitment: Commitment, agreement: Agreement) -> list[tuple[date, Decimal | None]]:
        """Choose the commitment's due date and status, draw progress records to match, and derive its fields.

        Statuses hold after the reference date too: a target not yet due is due at least a year
        later, on track means at least half reached, at risk means under half past mid-term.
        """
        rng = self.rng
        signed, today = agreement.signed_on, self.today
        target = commitment.target_value
        completed = agreement.status == Agreement.Status.COMPLETED
        due = signed + timedelta(days=rng.randint(365, 5 * 365))
        if completed:
            due = min(due, today - timedelta(days=rng.randint(1, 200)))
            due = max(due, signed + timedelta(days=30))
        if due < today:
            status = "met" if completed or rng.random() < 0.62 else "overdue"
        else:
            due = max(due, today + timedelta(days=400))
            status = rng.choices(("met", "on_track", "at_risk"), weights=(15, 55, 30))[0]
            if status == "at_risk":  # past the middle of the term with under half: due before 2 x today - signed
                room = (today - signed).days
                if room > 430:
                    due = today + timedelta(days=rng.randint(400, room - 10))
                else:
                    status = "on_track"
        commitment.due_date = due
        last = min(today - timedelta(days=1), due + timedelta(days=rng.randint(-60, 90)) if status == "met" else today)
        last = max(last, signed + timedelta(days=1))
        records: list[tuple[date, Decimal | None]] = []
        if commitment.is_milestone:
            if status == "met":
                records.append((self.between(signed + timedelta(days=1), last), None))
        else:
            n = rng.randint(1, 4) if status != "overdue" or rng.random() < 0.7 else 0
            days = sorted({self.between(signed + timedelta(days=1), last) for _ in range(n)})
            final_share = {
                "met": rng.uniform(1.0, 1.2),
                "on_track": rng.uniform(0.55, 0.95),
                "at_risk": rng.uniform(0.05, 0.45),
                "overdue": rng.uniform(0.2, 0.9),
            }[status]
            if status == "met" and days:
                days[-1] = last
            for k, day in enumerate(days):
                share = final_share * (k + 1) / len(days) if k < len(days) - 1 else final_share
                if status == "met" and k < len(days) - 1:
                    share = min(share, 0.95)
                # Whole units as people report them (0.1 for small targets such as an R&D share); rounded
                # down so that a value just short of its target does not round up to meeting it.
                step = Decimal("0.1") if target < 100 else Decimal("1")
                records.append((day, (target * Decimal(str(round(share, 4)))).quantize(step, rounding=ROUND_DOWN)))
            if status == "met" and not days:
                records.append((last, target))
        start = commitment.start_date or signed
        commitment.midpoint = start + (due - start) / 2
        commitment._derive_progress(records)  # the model's own rule for latest value and met on
        return records

    def finish_events(self) -> None:
        """Attendees and organizations of each event, known now that its agreements have signatories."""
        rng = self.rng
        people_through = Event.attendees.through
        orgs_through = Event.organizations.through
        government_people = [p for o in self.by_role["district_government"] for p in self.posts.get(o.pk, [])[:2]]
        people_rows, org_rows = [], []
        for event in self.events:
            people = set(event._demo_people)
            if not people and government_people:
                people.update(person for person, _t in rng.sample(government_people, min(3, len(government_people))))
            people_rows += [people_through(event_id=event.pk, person_id=p) for p in sorted(people)]
            org_rows += [orgs_through(event_id=event.pk, organization_id=o) for o in sorted(event._demo_orgs)]
        people_through.objects.bulk_create(people_rows)
        orgs_through.objects.bulk_create(org_rows)
        with self.progress("Events", len(self.events)) as advance:
            self.counts["change_records"] += log_bulk_create(self.events)
            advance(len(self.events))
        self.counts["events"] += len(self.events)

    # -- contacts and follow-up tasks ----------------------------------------------------------

    def build_contacts(self) -> None:
        rng = self.rng
        total = self.volumes["contacts"]
        kept = [a for a in self.agreements if a.contact_cadence and a.signed_on]
        # about two thirds on agreements (the regular contact mechanism), the rest on projects
        agreement_quota = round(total * 0.65) if kept else 0
        contacts: list[Contact] = []
        per_agreement = max(1, agreement_quota // max(1, len(kept)))
        for agreement in kept:
            if len(contacts) >= agreement_quota:
                break
            cadence = timedelta(days=agreement.contact_cadence)
            # the last contact: within the cadence for most, overdue for about a third
            day = self.today - timedelta(days=int(agreement.contact_cadence * rng.uniform(0.05, 1.6)))
            for _ in range(rng.randint(max(1, per_agreement - 1), per_agreement + 1)):
                if day <= agreement.signed_on:
                    break
                contacts.append(self.contact(day, agreement=agreement))
                day -= timedelta(days=int(cadence.days * rng.uniform(0.7, 1.2)))
        active = [p for p in self.projects if p.stage != Stage.LEAD]
        while len(contacts) < total and active:
            project = rng.choice(active)
            day = self.between(project.stage_since - timedelta(days=200), self.today - timedelta(days=1))
            contacts.append(self.contact(max(day, self.start), project=project))
        self.save_contacts(contacts)

    def contact(self, day: date, *, agreement: Agreement | None = None, project: Project | None = None) -> Contact:
        rng = self.rng
        kind = rng.choices(Contact.Kind.values, weights=(40, 25, 25, 10))[0]
        subject = rng.choice(CONTACT_SUBJECTS[kind])
        contact = Contact(
            kind=kind,
            date=day,
            subject=subject,
            park=(agreement or project).park,
            agreement=agreement,
            project=project,
            notes="双方就合作进展交换意见，企业反馈用地、用能和人才配套需求。" if rng.random() < 0.6 else "",
            next_steps=rng.choice(NEXT_STEPS) if rng.random() < 0.8 else "",
        )
        if agreement is not None:
            contact._demo_people = agreement._demo_people[: rng.randint(1, 3)]
            contact._demo_orgs = [p.organization_id for p in agreement._demo_parties]
        else:
            investor = project.investor
            posts = self.posts.get(investor.pk, []) if investor else []
            contact._demo_people = [person for person, _t in posts[: rng.randint(0, 2)]]
            contact._demo_orgs = [investor.pk] if investor else []
        return contact

    def save_contacts(self, contacts: list[Contact]) -> None:
        rng = self.rng
        Contact.objects.bulk_create(contacts, batch_size=BATCH)
        people_through = Contact.people.through
        orgs_through = Contact.organizations.through
        people_through.objects.bulk_create(
            [people_through(contact_id=c.pk, person_id=p) for c in contacts for p in sorted(set(c._demo_people))],
            batch_size=BATCH,
        )
        orgs_through.objects.bulk_create(
            [orgs_through(contact_id=c.pk, organization_id=o) for c in contacts for o in sorted(set(c._demo_orgs))],
            batch_size=BATCH,
        )
        with self.progress("Contacts", len(contacts)) as advance:
            for batch in _batches(contacts, BATCH):
                self.counts["change_records"] += log_bulk_create(batch)
                advance(len(batch))
        self.counts["contacts"] += len(contacts)
        tasks = []
        for contact in contacts:
            if not contact.next_steps or rng.random() < 0.4:
                continue
            for _ in range(rng.randint(1, 2)):
                due = contact.date + timedelta(days=rng.randint(7, 45))
                done = None
                if due < self.today - timedelta(days=20) and rng.random() < 0.85:
                    done = min(self.today, due + timedelta(days=rng.randint(-5, 15)))
                tasks.append(
                    FollowUpTask(
                        contact=contact,
                        description=rng.choice(TASKS),
                        owner=self.staff_user,
                        due_date=due,
                        done_on=done,
                    )
                )
        self.save("Follow-up tasks", FollowUpTask, tasks, "follow_up_tasks")
