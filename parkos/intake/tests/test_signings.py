"""Who signed with whom (issue 18): short forms, parties and signatories across sentences, plural signings, and
agreements with no kind word, on short articles written for these tests (never the held-out set's)."""

from __future__ import annotations

import pytest

from parkos.intake.extraction.gazetteer import Gazetteer
from parkos.intake.extraction.pipeline import extract
from parkos.intake.extraction.shortforms import is_short_form

EMPTY = Gazetteer.build([])


def signed(result) -> set[tuple[str, str]]:
    return {(s["person"], s["on_behalf_of"]) for a in result["agreements"] for s in a["signatories"]}


def names(result) -> set[str]:
    return {o["name"] for o in result["organizations"]}


@pytest.mark.parametrize(
    ("short", "full", "same"),
    [
        ("临港集团", "上海临港经济发展（集团）有限公司", True),
        ("区政府", "奉贤区人民政府", True),
        ("嘉定区政府", "嘉定区人民政府", True),
        ("嘉定区政府", "奉贤区人民政府", False),
        ("曜石医疗", "上海曜石医疗器械有限公司", True),
        ("上海集团", "上海临港经济发展（集团）有限公司", False),
        ("Hengyuan Group", "Shanghai Hengyuan Industrial Development (Group) Co., Ltd.", True),
        ("Norvale", "Norvale Biotherapeutics (Shanghai) Co., Ltd.", True),
        ("People's Government of Xinwu District", "Xinwu District Science and Technology Bureau", False),
        ("Shanghai Group", "Shanghai Hengyuan Industrial Development (Group) Co., Ltd.", False),
    ],
)
def test_a_short_form_is_another_written_form_of_the_same_name_only(short, full, same):
    assert is_short_form(short, full) is same


def test_the_full_chinese_name_and_its_short_form_are_one_organization():
    text = (
        "临港集团与奉贤区签约\n\n2026年4月2日，奉贤区人民政府与上海临港经济发展（集团）有限公司签署战略合作协议。"
        "区政府副区长宋佳与临港集团总裁叶晨代表双方签约。"
    )
    result = extract(text, gazetteer=EMPTY)
    assert names(result) == {"奉贤区人民政府", "上海临港经济发展（集团）有限公司"}  # no "临港集团" of its own
    lingang = next(o for o in result["organizations"] if o["name"].startswith("上海临港"))
    assert lingang["aliases"] == ["临港集团"]
    [agreement] = result["agreements"]
    assert agreement["kind"] == "strategic"
    assert signed(result) == {("宋佳", "奉贤区人民政府"), ("叶晨", "上海临港经济发展（集团）有限公司")}


def test_parties_in_one_sentence_and_signatories_in_the_next_on_behalf_of_both_sides():
    text = (
        "Songjiang and Hengyuan Sign Strategic Deal\n\n"
        "The People's Government of Songjiang District and Shanghai Hengyuan Industrial Development (Group) Co., Ltd. "
        "signed a strategic cooperation agreement on Tuesday. The Group will build and run the park. "
        "Zhou Jian, deputy head of Songjiang District, and Fang Lei, president of the Group, signed the agreement on "
        "behalf of both sides."
    )
    result = extract(text, gazetteer=EMPTY)
    government, group = (
        "People's Government of Songjiang District",
        ("Shanghai Hengyuan Industrial Development (Group) Co., Ltd."),
    )
    [agreement] = result["agreements"]
    assert agreement["kind"] == "strategic" and set(agreement["parties"]) == {government, group}
    assert signed(result) == {("Zhou Jian", government), ("Fang Lei", group)}
    fang = next(p for p in result["people"] if p["name"] == "Fang Lei")
    assert fang["titles"] == ["president"] and fang["organization"] == group  # "of the Group"


def test_signed_for_the_group_and_for_the_district_say_whom_each_signed_for():
    text = (
        "Minhang signs with Dongcheng\n\n"
        "The Minhang District People's Government and Shanghai Dongcheng Urban Renewal Group Co., Ltd. signed a "
        "strategic cooperation agreement on Friday. The agreement was signed by Ye Hong, deputy district head, for "
        "the district. He Jun, general manager of Dongcheng Group, signed for the Group."
    )
    result = extract(text, gazetteer=EMPTY)
    assert signed(result) == {
        ("Ye Hong", "Minhang District People's Government"),
        ("He Jun", "Shanghai Dongcheng Urban Renewal Group Co., Ltd."),
    }
    assert "Dongcheng Group" not in names(result)


def test_plural_signings_without_named_parties_invent_no_agreement():
    text = (
        "Minhang Signs 106 Projects\n\n"
        "SHANGHAI, June 19, 2026 -- Agreements were signed for 106 projects with a total investment of 58 billion "
        "yuan at the Minhang District investment promotion conference, and 14 state-owned enterprises signed with "
        "the district. The Minhang District People's Government hosted the conference."
    )
    assert extract(text, gazetteer=EMPTY)["agreements"] == []


def test_plural_signings_in_chinese_invent_no_agreement_either():
    text = (
        "金山区集中签约106个项目\n\n6月26日，金山区人民政府举行重大项目集中签约活动，现场集中签约项目106个。"
        "14家国有企业与区政府签署合作协议。"
    )
    assert extract(text, gazetteer=EMPTY)["agreements"] == []


def test_a_signing_with_no_kind_word_is_still_an_agreement():
    text = (
        "Qingpu Park and Norvale Sign Deal\n\n"
        "Shanghai Qingpu Industrial Park Development Co., Ltd. and Norvale Biotherapeutics (Shanghai) Co., Ltd. "
        "signed a deal on Thursday. Norvale will invest 2.2 billion yuan in a cell therapy plant."
    )
    [agreement] = extract(text, gazetteer=EMPTY)["agreements"]
    assert agreement["kind"] == "investment"
    assert set(agreement["parties"]) == {
        "Shanghai Qingpu Industrial Park Development Co., Ltd.",
        "Norvale Biotherapeutics (Shanghai) Co., Ltd.",
    }


def test_a_chinese_signing_with_no_kind_word_and_short_forms():
    text = (
        "浦海集团与沃川氢能签约\n\n2026年5月12日，嘉定区人民政府与上海浦海经济发展（集团）有限公司签署战略合作协议。"
        "签约现场，浦海集团还与上海沃川氢能科技有限公司签约，沃川氢能将投资8亿元建设生产基地。"
        "沃川氢能首席执行官戴志远与浦海集团副总经理韦静在协议上签字。"
    )
    result = extract(text, gazetteer=EMPTY)
    puhai, wochuan = "上海浦海经济发展（集团）有限公司", "上海沃川氢能科技有限公司"
    kinds = {a["kind"]: set(a["parties"]) for a in result["agreements"]}
    assert kinds["investment"] == {puhai, wochuan}
    assert kinds["strategic"] == {"嘉定区人民政府", puhai}
    assert {("戴志远", wochuan), ("韦静", puhai)} <= signed(result)
    assert names(result) == {"嘉定区人民政府", puhai, wochuan}


def test_attending_a_signing_ceremony_is_not_signing_an_agreement():
    text = (
        "新吴区签约\n\n2026年3月5日，新吴区人民政府与江南产业园区发展集团有限公司签署战略合作协议。"
        "无锡市工业和信息化局副局长方圆、锡城农商银行股份有限公司行长蒋一鸣等参加签约仪式。"
    )
    [agreement] = extract(text, gazetteer=EMPTY)["agreements"]
    assert set(agreement["parties"]) == {"新吴区人民政府", "江南产业园区发展集团有限公司"}


def test_a_directory_name_and_the_articles_short_form_are_one_organization():
    gazetteer = Gazetteer.build([("上海临港经济发展（集团）有限公司", "park_operator")])
    text = (
        "奉贤区与临港集团签约\n\n2026年4月2日，奉贤区人民政府与上海临港经济发展（集团）有限公司签署投资协议。"
        "临港集团总裁叶晨出席。"
    )
    result = extract(text, gazetteer=gazetteer)
    assert names(result) == {"奉贤区人民政府", "上海临港经济发展（集团）有限公司"}
