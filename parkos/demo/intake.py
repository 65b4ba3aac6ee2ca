"""The demo's press intake: two articles, one English and one Chinese, drafted and waiting for review.

The articles are written here, about the demo's own organizations (the investment account's park, its district
government and one of its enterprises) plus a company and people the directory does not know yet, so that the
review page shows both kinds of row: "link to" the existing organization and "create" the new one.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from django.contrib.auth import get_user_model

from parkos.core.changelog import change_context
from parkos.directory.models import Organization
from parkos.intake.extraction.gazetteer import mark_stale
from parkos.intake.extraction.pipeline import extract
from parkos.intake.models import Article

ENGLISH = """{government_en} Signs Investment Agreement With {enterprise_en}

By Lin Hai

SHANGHAI, {day_en} -- The {government_en} and {enterprise_en} signed an investment agreement at {park_en} on \
{day_en}, bringing a research and production base for {industry_en} to the park.

Chen Rui, Deputy District Mayor of {district_en}, and Gao Yang, chairman of {enterprise_en}, signed the agreement on \
behalf of the two parties. The company will invest 1.2 billion yuan over three years in a base with a floor area of \
45,000 square metres on 60 mu of land, and expects to employ 350 people when it is fully running.

At the same ceremony the district signed a memorandum of understanding with Harbour Light Photonics Co., Ltd., a \
maker of optical sensors, which plans a US$30 million pilot line. Wu Jing, chief executive of Harbour Light \
Photonics, signed for the company. The park now hosts 26 enterprises in {industry_en}, and its output grew 12% last \
year.

Editor: Zhou Ning"""

CHINESE = """{enterprise}落户{park} 总投资12亿元

记者 林海

{day_zh}，{government}与{enterprise}在{park}签署投资协议。{district}副区长陈锐、{enterprise}董事长高扬代表双方签约。

根据协议，{enterprise}将投资12亿元，在园区60亩土地上建设研发生产基地，建筑面积4.5万平方米，达产后预计带动就业350人。\
同日，{district}还与海光光电有限公司签署合作备忘录，海光光电有限公司总经理吴静代表公司签约，项目计划投资3000万美元建设光学传感器中试线。

目前园区已集聚相关企业26家，去年产值增长12%。

（责任编辑：周宁）"""


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip


def load_intake(rng: random.Random, *, enterprises: Sequence[Organization], today: date, counts: dict) -> None:
    """Two drafted articles in the investment account's first park (nothing accepted: that is for the visitor)."""
    account = get_user_model().objects.filter(username="investment").first()
    park = account.parks.order_by("pk").first() if account else None
    if park is None:
        return
    government = Organization.objects.filter(kind=Organization.Kind.GOVERNMENT, district=park.district).first()
    candidates = [e for e in enterprises if e.name_en and e.industry_id]
    if government is None or not candidates:
        return
    enterprise = rng.choice(candidates)
    day = today - timedelta(days=rng.randint(3, 20))
    values = {
        "government": government.name,
        "government_en": government.name_en or government.name,
        "enterprise": enterprise.name,
        "enterprise_en": enterprise.name_en,
        "park": park.name,
        "park_en": park.name_en or park.name,
        "district": park.district,
        "district_en": (government.name_en or park.district)
        .replace("Shanghai ", "")
        .replace(" People's Government", ""),
        "industry_en": (enterprise.industry.name_en or "advanced manufacturing").lower(),
        "day_en": f"{MONTHS[day.month - 1]} {day.day}, {day.year}",
        "day_zh": f"{day.year}年{day.month}月{day.day}日",
    }
    mark_stale()  # the directory was just bulk-created: no save signals told the gazetteer
    with change_context(user=account, source="demo"):
        for template, source in ((ENGLISH, "demo-press-release-en.txt"), (CHINESE, "demo-press-release-zh.txt")):
            text = template.format(**values)
            extraction = extract(text, source=source)
            Article.objects.create(
                title=extraction["event"]["title"] or source,
                park=park,
                source_name=source,
                language=extraction["language"],
                text=text,
                extraction=extraction,
            )
    counts["articles"] = counts.get("articles", 0) + 2
