"""The demo's enterprise services: the six-aspect catalogue, application scenarios, desks, a year of requests.

``load_services`` runs inside ``load_demo`` after the accounts exist. It draws from its own
``random.Random`` seeded once from the generator's (so it stays deterministic without shifting
what later loaders draw), dates everything in the year before the reference date, and writes
with ``bulk_create`` + ``log_bulk_create``. Since bulk_create bypasses ``save()``, each request's
aspect and deadlines are set here from its service, as ``ServiceRequest.derive_from_service`` would.
Response and resolution times are drawn around each service's targets, with a share late; older
requests are mostly closed, recent ones spread over the open statuses.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model

from parkos.core.changelog import log_bulk_create
from parkos.core.models import PrimaryModel
from parkos.directory.models import Organization
from parkos.parks.models import LandParcel, Park
from parkos.services.models import (
    Aspect,
    RequestMessage,
    Scenario,
    Service,
    ServiceDesk,
    ServiceRequest,
    Status,
)
from parkos.users.models import User

Progressbar = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]

BASE_REQUESTS = 1500
MIN_REQUESTS = 60
BATCH = 2000

#: per aspect: (name, provider kind, who may apply, what it delivers, response hours, resolution days)
CATALOGUE: dict[str, tuple[tuple[str, str, str, str, int, int], ...]] = {
    Aspect.TECHNOLOGY: (
        ("高新技术企业认定辅导", "park_operator", "成立满一年的科技型企业", "认定材料梳理、申报辅导", 24, 30),
        ("产学研合作对接", "university", "有研发需求的园区企业", "高校团队匹配、合作协议草拟", 48, 45),
        ("大型仪器共享预约", "university", "园区内全部企业", "检测设备预约与检测报告", 24, 10),
        ("知识产权申请与布局", "park_operator", "有专利申请需求的企业", "专利检索、申请代理、布局建议", 24, 30),
        ("科技项目申报服务", "park_operator", "符合市区科技项目条件的企业", "项目筛选、申报书辅导", 24, 20),
    ),
    Aspect.DIGITAL: (
        ("智能工厂诊断", "university", "规上制造业企业", "数字化成熟度评估与改造方案", 48, 30),
        ("工业互联网平台接入", "park_operator", "制造业企业", "平台接入、设备上云", 24, 20),
        ("数据资产登记辅导", "park_operator", "有数据资产的企业", "数据资源梳理与登记材料", 24, 25),
        ("网络安全等级保护测评", "park_operator", "信息系统运营企业", "等保差距分析与测评对接", 24, 30),
        ("云资源优惠申请", "park_operator", "园区内全部企业", "云服务优惠券与迁移支持", 8, 7),
    ),
    Aspect.GREEN: (
        ("碳排放核算与碳足迹", "university", "有出口或减排需求的企业", "碳盘查报告、产品碳足迹", 48, 30),
        ("绿色工厂创建辅导", "park_operator", "制造业企业", "评价自评、创建方案", 24, 45),
        ("分布式光伏屋顶对接", "park_operator", "自有厂房屋顶的企业", "屋顶评估、投资方对接", 24, 30),
        ("节能诊断", "university", "年综合能耗超过 1000 吨标煤的企业", "节能诊断报告", 48, 20),
        ("环评与排污许可咨询", "park_operator", "新建或扩建项目", "环评流程指导、许可材料清单", 24, 15),
    ),
    Aspect.SERVICE: (
        ("人才公寓申请", "park_operator", "园区企业员工", "公寓房源匹配与入住办理", 24, 10),
        ("工商注册与变更代办", "park_operator", "园区内全部企业", "登记代办", 8, 5),
        ("政策兑现申请辅导", "park_operator", "符合扶持政策条件的企业", "政策匹配、申报材料审核", 24, 20),
        ("员工招聘对接", "park_operator", "园区内全部企业", "招聘会与高校就业对接", 24, 15),
        ("法律咨询", "association", "园区内全部企业", "合同审查、劳动争议咨询", 24, 10),
    ),
    Aspect.FINANCE: (
        ("科技信贷", "financial", "科技型中小企业", "信用贷款额度评估与放款", 8, 15),
        ("知识产权质押融资", "financial", "持有有效专利的企业", "评估、质押登记与贷款", 24, 30),
        ("ESG 绿色信贷", "financial", "有绿色项目的企业", "绿色贷款与利率优惠", 24, 30),
        ("股权融资路演", "park_operator", "有融资计划的成长期企业", "路演安排、投资机构对接", 48, 45),
        ("供应链金融", "financial", "核心企业的上下游企业", "应收账款融资", 24, 20),
    ),
    Aspect.OVERSEAS: (
        ("出海合规咨询", "park_operator", "有海外业务计划的企业", "目标市场合规清单与风险提示", 48, 20),
        ("跨境结算与汇率避险", "financial", "有进出口业务的企业", "跨境结算方案、远期结汇", 24, 10),
        ("海外展会组团", "park_operator", "园区内全部企业", "展位申请、组团参展", 48, 30),
        ("出口信用保险对接", "financial", "出口型企业", "投保方案与保费补贴申请", 24, 15),
        ("境外投资备案辅导", "park_operator", "计划境外投资的企业", "ODI 备案材料与流程辅导", 24, 30),
    ),
}
SCENARIOS = (
    ("银行 ESG 绿色融资场景", Aspect.FINANCE, "financial", "面向园区企业的绿色项目融资与利率优惠。"),
    ("专精特新企业上市培育场景", Aspect.FINANCE, "financial", "上市辅导、股改与中介机构对接。"),
    ("校企联合实验室场景", Aspect.TECHNOLOGY, "university", "高校与企业共建实验室，共享设备与人才。"),
    ("零碳园区示范场景", Aspect.GREEN, "park_operator", "屋顶光伏、储能与碳管理平台的示范应用。"),
    ("工业数据空间场景", Aspect.DIGITAL, "park_operator", "企业间可信数据共享与流通。"),
    ("东盟市场拓展场景", Aspect.OVERSEAS, "park_operator", "东盟市场推介、渠道对接与本地合规。"),
    ("人才一站式服务场景", Aspect.SERVICE, "park_operator", "人才落户、住房与子女教育的一站式办理。"),
)
TITLES = (
    "申请{service}",
    "咨询{service}相关事宜",
    "{service}：需要尽快对接",
    "关于{service}的需求",
)
STAFF_REPLIES = (
    "您好，已受理，请提供营业执照和近一年财务报表。",
    "已安排专人对接，将于三个工作日内联系您。",
    "材料已收到，正在审核。",
    "已与合作机构沟通，对方将直接联系贵司。",
)
ENTERPRISE_REPLIES = ("材料已上传，请查收。", "好的，谢谢。", "请问还需要补充哪些材料？", "联系人电话已更新。")
CLOSING = ("服务已完成，如有问题欢迎随时联系。", "对接已完成，请对本次服务进行评价。")
DECLINES = ("该需求不在本服务范围内，建议申请其他服务。", "经核实，企业暂不符合申请条件。")
RATINGS = (5, 4, 3, 2, 1)
RATING_WEIGHTS = (45, 35, 12, 5, 3)
RATING_COMMENTS = {5: "响应及时，服务专业。", 4: "整体满意。", 3: "一般。", 2: "进度偏慢。", 1: "未解决问题。"}


def volumes(scale: float) -> int:
    return max(MIN_REQUESTS, round(BASE_REQUESTS * scale))


def load_services(
    *,
    rng: random.Random,
    scale: float,
    parks: Sequence[Park],
    enterprises: Sequence[Organization],
    bodies: Sequence[tuple[Organization, str, int]],
    today: date,
    counts: dict[str, int],
    progress: Progressbar,
) -> None:
    """Create the services demo rows; add what was created to ``counts``.

    The demo accounts must exist: "service" and the fallback "service-desk" staff every desk, and the
    organization of "enterprise" gets a dozen requests in the park where it holds land.
    """
    _Loader(random.Random(rng.getrandbits(64)), scale, parks, enterprises, bodies, today, counts, progress).run()


class _Loader:
    def __init__(
        self,
        rng: random.Random,
        scale: float,
        parks: Sequence[Park],
        enterprises: Sequence[Organization],
        bodies: Sequence[tuple[Organization, str, int]],
        today: date,
        counts: dict[str, int],
        progress: Progressbar,
    ) -> None:
        self.rng = rng
        self.total = volumes(scale)
        self.parks = sorted(parks, key=lambda p: p.code)
        self.enterprises = list(enterprises)
        self.by_kind: dict[str, list[Organization]] = {}
        for organization, role, _n in bodies:
            self.by_kind.setdefault(role, []).append(organization)
        self.today = today
        self.tz = ZoneInfo(settings.TIME_ZONE)
        #: the close of the last full working day: no request is filed or answered later than the day the demo loads
        self.end = datetime.combine(today - timedelta(days=1), time(18, 0), self.tz)
        self.counts = counts
        self.progress = progress
        User = get_user_model()
        self.staff = User.objects.get(username="service")
        self.staff_park_ids = set(self.staff.parks.values_list("pk", flat=True))
        #: the service staff's fallback account: the requests of the parks "service" does not cover are its own
        self.desk = User.objects.filter(username="service-desk").first() or self.staff
        self.enterprise_org = User.objects.get(username="enterprise").organizations.first()

    def save(self, label: str, model: type[PrimaryModel], objects: Sequence[PrimaryModel], count_key: str) -> None:
        with self.progress(label, len(objects)) as advance:
            for start in range(0, len(objects), BATCH):
                batch = objects[start : start + BATCH]
                model.objects.bulk_create(batch)
                self.counts["change_records"] += log_bulk_create(batch)
                advance(len(batch))
        self.counts[count_key] += len(objects)

    def run(self) -> None:
        self.build_catalogue()
        self.build_scenarios()
        self.build_desks()
        self.build_requests()

    def provider(self, kind: str) -> Organization:
        candidates = self.by_kind.get(kind) or self.by_kind.get("park_operator") or self.enterprises
        return candidates[0] if kind == "park_operator" else self.rng.choice(candidates)

    def build_catalogue(self) -> None:
        self.services: list[Service] = []
        for aspect, rows in CATALOGUE.items():
            for name, kind, who, what, hours, days in rows:
                self.services.append(
                    Service(
                        name=name,
                        aspect=aspect,
                        provider=self.provider(kind),
                        eligibility=who,
                        deliverables=what,
                        response_target_hours=hours,
                        resolution_target_days=days,
                        is_active=self.rng.random() > 0.03,
                    )
                )
        self.services[0].is_active = True
        self.save("Services", Service, self.services, "services")
        self.active_services = [s for s in self.services if s.is_active]

    def build_scenarios(self) -> None:
        scenarios = []
        for name, aspect, kind, description in SCENARIOS:
            start = self.today - timedelta(days=self.rng.randint(60, 700))
            end = None if self.rng.random() < 0.4 else self.today + timedelta(days=self.rng.randint(-30, 700))
            scenarios.append(
                Scenario(
                    name=name,
                    aspect=aspect,
                    provider=self.provider(kind),
                    description=description,
                    start_date=start,
                    end_date=end,
                )
            )
        self.save("Scenarios", Scenario, scenarios, "scenarios")
        through = Scenario.participants.through
        links = []
        for scenario in scenarios:
            joined = self.rng.sample(self.enterprises, min(len(self.enterprises), self.rng.randint(8, 40)))
            links += [through(scenario_id=scenario.pk, organization_id=o.pk) for o in joined]
        if self.enterprise_org is not None:
            links.append(through(scenario_id=scenarios[0].pk, organization_id=self.enterprise_org.pk))
        through.objects.bulk_create(links, ignore_conflicts=True)
        self.counts["scenario_participants"] += len(links)

    def build_desks(self) -> None:
        desks = [ServiceDesk(aspect=aspect) for aspect in Aspect.values]
        self.save("Service desks", ServiceDesk, desks, "service_desks")
        through = ServiceDesk.members.through
        through.objects.bulk_create(
            [through(servicedesk_id=d.pk, user_id=u.pk) for d in desks for u in dict.fromkeys([self.staff, self.desk])]
        )

    # -- requests ----------------------------------------------------------------------------------

    def enterprise_parks(self) -> list[tuple[int, int]]:
        """(enterprise ID, park ID) pairs: enterprises and the parks they hold land in."""
        pairs = list(
            LandParcel.objects.filter(holder__kind=Organization.Kind.ENTERPRISE)
            .order_by("pk")
            .values_list("holder_id", "park_id")
            .distinct()
        )
        return pairs or [(e.pk, self.rng.choice(self.parks).pk) for e in self.enterprises[:200]]

    def build_requests(self) -> None:
        pairs = self.enterprise_parks()
        in_staff_parks = [p for p in pairs if p[1] in self.staff_park_ids]
        own = [p for p in pairs if self.enterprise_org is not None and p[0] == self.enterprise_org.pk]
        plan: list[tuple[int, int]] = []
        for index in range(self.total):
            if own and index < 12:
                plan.append(own[0])
            elif in_staff_parks and self.rng.random() < 0.3:
                plan.append(self.rng.choice(in_staff_parks))
            else:
                plan.append(self.rng.choice(pairs))
        requests: list[ServiceRequest] = []
        conversations: list[list[tuple[User, str, datetime]]] = []
        for enterprise_id, park_id in plan:
            request, conversation = self.request(enterprise_id, park_id)
            requests.append(request)
            conversations.append(conversation)
        self.save("Service requests", ServiceRequest, requests, "service_requests")
        messages: list[RequestMessage] = []
        created: list[datetime] = []
        for request, conversation in zip(requests, conversations, strict=True):
            for author, body, when in conversation:
                messages.append(RequestMessage(request=request, author=author, body=body))
                created.append(when)
        self.save("Request messages", RequestMessage, messages, "request_messages")
        # bulk_create stamps "created" with the load time; the demo dates them when they happened
        for request in requests:
            request.created = request.requested_at
        ServiceRequest.objects.bulk_update(requests, ["created"], batch_size=500)
        for message, when in zip(messages, created, strict=True):
            message.created = when
        RequestMessage.objects.bulk_update(messages, ["created"], batch_size=500)

    def moment(self, day_offset: float) -> datetime:
        return self.end - timedelta(days=day_offset)

    def request(self, enterprise_id: int, park_id: int) -> tuple[ServiceRequest, list[tuple[User, str, datetime]]]:
        rng = self.rng
        service = rng.choice(self.active_services)
        age_days = rng.uniform(0.2, 365)
        requested = self.moment(age_days).replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59), second=0)
        requested = min(requested, self.end - timedelta(hours=2))
        now = self.end
        response_hours = service.response_target_hours * rng.lognormvariate(-0.9, 0.7)
        resolution_days = service.resolution_target_days * rng.uniform(0.25, 1.35)
        resolved = requested + timedelta(days=resolution_days)
        responded = min(requested + timedelta(hours=response_hours), resolved)
        roll = rng.random()
        if resolved < now and roll < 0.9:
            status = Status.DECLINED if roll < 0.06 else Status.DONE
        elif responded >= now or roll > 0.97:
            status = Status.NEW
        else:
            status = rng.choices((Status.ACCEPTED, Status.IN_PROGRESS, Status.WAITING), weights=(2, 5, 2))[0]
        if status == Status.DECLINED:
            resolved = responded
        staff_owner = self.staff if park_id in self.staff_park_ids else self.desk
        request = ServiceRequest(
            enterprise_id=enterprise_id,
            park_id=park_id,
            service=service,
            aspect=service.aspect,
            title=rng.choice(TITLES).format(service=service.name),
            description=f"企业希望获得{service.name}支持：{service.deliverables}。",
            status=status,
            assigned_to=staff_owner if status != Status.NEW or rng.random() < 0.7 else None,
            requested_at=requested,
            responded_at=responded if status != Status.NEW else None,
            resolved_at=resolved if status in (Status.DONE, Status.DECLINED) else None,
            response_due=requested + timedelta(hours=service.response_target_hours),
            resolution_due=requested + timedelta(days=service.resolution_target_days),
        )
        if status == Status.DONE and rng.random() < 0.7:
            request.rating = rng.choices(RATINGS, weights=RATING_WEIGHTS)[0]
            request.rating_comment = RATING_COMMENTS[request.rating] if rng.random() < 0.5 else ""
        conversation: list[tuple[User, str, datetime]] = []
        author = staff_owner or self.staff
        if status != Status.NEW:
            body = rng.choice(DECLINES) if status == Status.DECLINED else rng.choice(STAFF_REPLIES)
            conversation.append((author, body, responded))
        enterprise_user = self.enterprise_user_for(enterprise_id)
        answered = status in (Status.IN_PROGRESS, Status.WAITING, Status.DONE)
        if enterprise_user is not None and answered and rng.random() < 0.6:
            reply_at = min(responded + timedelta(hours=rng.uniform(1, 48)), resolved, now)
            conversation.append((enterprise_user, rng.choice(ENTERPRISE_REPLIES), reply_at))
        if status == Status.DONE:
            conversation.append((author, rng.choice(CLOSING), resolved))
        return request, conversation

    def enterprise_user_for(self, enterprise_id: int) -> User | None:
        if self.enterprise_org is not None and enterprise_id == self.enterprise_org.pk:
            if not hasattr(self, "_enterprise_user"):
                self._enterprise_user = get_user_model().objects.get(username="enterprise")
            return self._enterprise_user
        return None
