"""The demo's support policies and certifications: what the districts and the operator offer, and who holds what.

``load_policies`` runs inside ``load_demo`` after the evaluation demo (so the latest filings and grades the
rules read are there; the policies themselves need only the organizations), drawing from the same
``random.Random``. It publishes 10 policies across the six aspects, issued by district governments and the
first park operator, with eligibility rules over the attributes of ``parkos.policies.rules``, and gives
certifications to part of the enterprises: a valid high-tech certificate to every enterprise flagged
high-tech, an SRDI (or little giant) certificate to every enterprise flagged SRDI (so the flags and the
certificates agree, as ``parkos.policies.certifications`` keeps them), expired high-tech certificates for a
few others, and technology-SME, technology-centre and green-factory certificates at random. Rows go in
with ``bulk_create`` and are recorded with ``log_bulk_create``. The application workflow's demo
(applications, decisions, payments) runs after this one and reads the policies it made.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from parkos.core.changelog import log_bulk_create
from parkos.directory.models import Organization
from parkos.policies.models import Certification, Policy

Progressbar = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]
BATCH = 2000

#: (issuer: a district name or "operator", name, document number, aspect, summary, budget in 万元, amount rule,
#:  cap in 万元, documents required, rules, opened days ago, open for days; None: open-ended)
POLICIES: tuple[tuple[Any, ...], ...] = (
    (
        "浦东新区",
        "研发费用补贴",
        "浦科经委规〔{year}〕3号",
        "technology",
        "对研发投入强度达标的企业，按上年度研发费用的 10% 给予补贴。",
        5000,
        "rd_expenditure * 0.1",
        200,
        "上年度研发费用专项审计报告\n营业执照\n承诺书",
        [
            {"field": "rd_ratio", "at_least": 3},
            {"field": "rd_expenditure", "at_least": 1_000_000},
            {"field": "years_in_park", "at_least": 1},
            {"field": "major_incident", "is": False},
        ],
        120,
        240,
    ),
    (
        "浦东新区",
        "高新技术企业认定奖励",
        "浦科经委规〔{year}〕5号",
        "technology",
        "首次通过或重新通过高新技术企业认定的企业，给予一次性奖励。",
        3000,
        "",
        30,
        "高新技术企业证书\n营业执照",
        [
            {"field": "high_tech", "is": True},
            {"field": "years_since_founding", "at_least": 3},
            {"field": "major_incident", "is": False},
        ],
        60,
        300,
    ),
    (
        "闵行区",
        "专精特新企业奖励",
        "闵经委〔{year}〕12号",
        "technology",
        "获评市级专精特新中小企业或国家级专精特新“小巨人”企业的，给予奖励。",
        2000,
        "",
        50,
        "专精特新认定文件\n上年度财务报表",
        [
            {"any": [{"field": "srdi", "is": True}, {"field": "little_giant", "is": True}]},
            {"field": "employees", "at_least": 20},
            {"field": "revenue", "at_least": 20_000_000},
        ],
        90,
        None,
    ),
    (
        "嘉定区",
        "绿色工厂奖励",
        "嘉经委〔{year}〕21号",
        "green",
        "获评绿色工厂的制造企业，给予一次性奖励；亩均税收达标的优先。",
        1500,
        "",
        100,
        "绿色工厂认定文件\n能源审计报告",
        [
            {"field": "green_factory", "is": True},
            {"field": "above_size_threshold", "is": True},
            {"field": "tax_per_mu", "at_least": 150_000},
        ],
        30,
        200,
    ),
    (
        "临港新片区",
        "企业出海补贴",
        "临管委〔{year}〕8号",
        "overseas",
        "支持企业参加境外展会、设立海外营销网络，按实际费用的 50% 补贴。",
        2500,
        "",
        80,
        "境外参展或设点费用凭证\n出海计划书",
        [
            {"field": "industry_code", "prefix": ["EQP", "NE", "BIO", "TRADE"]},
            {"field": "revenue", "at_least": 50_000_000},
            {"field": "major_incident", "is": False},
        ],
        45,
        320,
    ),
    (
        "operator",
        "人才安居补贴",
        "申江园〔{year}〕2号",
        "service",
        "园区企业引进的高层次人才，给予人才公寓租金补贴。",
        800,
        "",
        12,
        "人才认定材料\n劳动合同\n社保缴纳证明",
        [
            {"field": "years_in_park", "at_least": 1},
            {"field": "employees", "at_least": 10},
            {"field": "grade", "one_of": ["A", "B", "C"]},
        ],
        200,
        None,
    ),
    (
        "operator",
        "入园企业租金补贴",
        "申江园〔{year}〕4号",
        "service",
        "入园未满三年的科技型企业，租金减半。",
        1200,
        "",
        60,
        "租赁合同\n营业执照",
        [
            {"field": "years_in_park", "below": 3},
            {"field": "industry_code", "prefix": ["IC", "AI", "BIO", "DIG"]},
            {"field": "tech_sme", "is": True},
        ],
        100,
        None,
    ),
    (
        "松江区",
        "数字化转型补贴",
        "松经委〔{year}〕17号",
        "digital",
        "实施智能工厂、工业互联网改造的规上工业企业，按项目投资的 20% 补贴。",
        3000,
        "",
        300,
        "项目可行性报告\n投资凭证",
        [
            {"field": "above_size_threshold", "is": True},
            {"field": "industry_code", "prefix": ["EQP", "MAT", "NE", "IC"]},
            {"field": "grade", "one_of": ["A", "B"]},
            {"field": "major_incident", "is": False},
        ],
        20,
        365,
    ),
    (
        "徐汇区",
        "科技型中小企业融资贴息",
        "徐科委〔{year}〕6号",
        "finance",
        "科技型中小企业的银行贷款，按贷款市场报价利率的 50% 贴息。",
        1000,
        "",
        50,
        "贷款合同\n付息凭证\n科技型中小企业入库证明",
        [
            {"field": "tech_sme", "is": True},
            {"field": "employees", "below": 500},
            {"field": "revenue", "below": 200_000_000},
        ],
        150,
        None,
    ),
    (
        "浦东新区",
        "亩均效益领跑企业奖励",
        "浦经委〔{year}〕30号",
        "green",
        "亩均效益综合评价为 A 类、亩均税收居前列的企业，给予奖励。",
        4000,
        "",
        100,
        "亩均效益评价结果\n纳税证明",
        [
            {"field": "grade", "equals": "A"},
            {"field": "tax_per_mu", "at_least": 500_000},
            {"field": "major_incident", "is": False},
        ],
        10,
        180,
    ),
    (
        "闵行区",
        "企业技术中心认定奖励（已截止）",
        "闵经委〔{last_year}〕9号",
        "technology",
        "上一年度的企业技术中心认定奖励，申报已截止。",
        600,
        "",
        50,
        "企业技术中心认定文件",
        [{"field": "tech_center", "is": True}],
        500,
        200,
    ),
)

#: certificates per kind: (share of enterprises without the matching flag that hold one, years valid)
RANDOM_CERTIFICATES = {"tech_sme": (0.18, 1), "tech_center": (0.04, 4), "green_factory": (0.05, 5)}
LITTLE_GIANT_SHARE = 0.15  # of the SRDI enterprises
EXPIRED_HIGH_TECH_SHARE = 0.04  # of the others: a certificate that ran out


def load_policies(
    rng: random.Random,
    *,
    enterprises: Sequence[Organization],
    governments: Mapping[str, Organization],
    operators: Sequence[Organization],
    today: date,
    counts: dict[str, int],
    progress: Progressbar,
) -> list[Policy]:
    """Create the demo policies and certifications; add what was created to ``counts``; return the policies."""
    rng = random.Random(rng.getrandbits(64))
    policies = []
    for (
        issuer,
        name,
        number,
        aspect,
        summary,
        budget,
        amount_rule,
        cap,
        documents,
        rules,
        opened,
        days,
    ) in POLICIES:
        opens_on = today - timedelta(days=opened)
        closes_on = opens_on + timedelta(days=days) if days else None
        policies.append(
            Policy(
                issuer=operators[0] if issuer == "operator" else governments[issuer],
                name=name,
                document_number=number.format(year=opens_on.year, last_year=opens_on.year - 1),
                aspect=aspect,
                summary=summary,
                status=Policy.Status.CLOSED if closes_on and closes_on < today else Policy.Status.OPEN,
                opens_on=opens_on,
                closes_on=closes_on,
                budget_amount=Decimal(budget) * 10_000,
                budget_currency="CNY",
                amount_rule=amount_rule,
                amount_cap=Decimal(cap) * 10_000,
                documents_required=documents,
                eligibility={"all": rules},
            )
        )
    for policy in policies:
        policy.full_clean(validate_unique=False, validate_constraints=False)  # the rules are checked as on a save
    Policy.objects.bulk_create(policies)
    log_bulk_create(policies)
    counts["policies"] += len(policies)

    certificates = [certificate for org in enterprises for certificate in _certificates(rng, org, today)]
    with progress("Certifications", len(certificates)) as advance:
        for start in range(0, len(certificates), BATCH):
            batch = certificates[start : start + BATCH]
            Certification.objects.bulk_create(batch)
            log_bulk_create(batch)
            advance(len(batch))
    counts["certifications"] += len(certificates)
    return policies


def _certificates(rng: random.Random, org: Organization, today: date) -> list[Certification]:
    """The certificates of one enterprise, consistent with its high-tech and SRDI flags on ``today``."""
    out = []

    def certificate(kind: str, years: int, *, valid: bool = True, issued_by: str = "") -> None:
        if valid:
            start = today - timedelta(days=rng.randint(30, 365 * years - 30))
        else:
            start = today - timedelta(days=365 * years + rng.randint(30, 700))
        until = start + timedelta(days=365 * years - 1)
        out.append(
            Certification(
                organization=org,
                kind=kind,
                number=f"{kind[:2].upper()}{start.year}{rng.randint(0, 999_999):06d}",
                issued_by=issued_by,
                valid_from=start,
                valid_until=until,
            )
        )

    if org.is_high_tech:
        certificate("high_tech", 3, issued_by="上海市高新技术企业认定办公室")
    elif rng.random() < EXPIRED_HIGH_TECH_SHARE:
        certificate("high_tech", 3, valid=False, issued_by="上海市高新技术企业认定办公室")
    if org.is_srdi:
        if rng.random() < LITTLE_GIANT_SHARE:
            certificate("little_giant", 3, issued_by="工业和信息化部")
        else:
            certificate("srdi", 3, issued_by="上海市经济和信息化委员会")
    for kind, (share, years) in RANDOM_CERTIFICATES.items():
        if rng.random() < share:
            certificate(kind, years)
    return out
