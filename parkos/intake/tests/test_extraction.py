"""The extractor on articles written for these tests: shape, people and titles, by-lines, agreements, robustness."""

import json

import pytest

from parkos.intake.extraction.gazetteer import Gazetteer
from parkos.intake.extraction.pipeline import extract

EMPTY = Gazetteer.build([])

SIGNING_EN = """Wuxi Park Signs Strategic Agreement With Chip Maker

By Ma Lin

WUXI, March 5, 2026 -- The People's Government of Binhu District and Taiyu Semiconductor Co., Ltd. signed a \
strategic cooperation agreement on Thursday. Li Qian, Party Secretary of Binhu District, and Zhang Wei, chairman of \
Taiyu Semiconductor, signed the agreement on behalf of the two parties. Mayor Zhao Jian witnessed the signing.

The company will invest 16 billion yuan (US$2.2 billion) in a plant of 1.7 million square meters for integrated \
circuits. Fourteen projects were signed at the event, and 1,460 enterprises now operate in the district.

Editor: Chen Lu"""

SIGNING_ZH = """滨湖区与泰宇半导体签署战略合作协议

本报记者 王芳

2026年3月5日上午，无锡市滨湖区人民政府与泰宇半导体有限公司签署战略合作协议。市委常委、滨湖区委书记李倩，\
泰宇半导体有限公司董事长张伟代表双方签约，副市长赵健见证签约。项目总投资160亿元，建筑面积50万平方米，现场签约项目14个，\
涉及集成电路、生物医药等产业。

（责任编辑：陈璐）"""


def by_name(items, name):
    return next(item for item in items if item["name"] == name)


def test_the_document_has_the_shape_the_api_and_cli_return():
    result = extract(SIGNING_EN, source="wuxi.txt", gazetteer=EMPTY)
    assert set(result) >= {"source", "language", "event", "organizations", "people", "agreements", "figures"}
    assert set(result["event"]) == {"kind", "date", "title"}
    assert result["source"] == "wuxi.txt"
    json.dumps(result)  # JSON as it is
    for key in ("organizations", "people", "figures", "bylines"):
        for item in result[key]:
            start, end = item["span"]
            assert SIGNING_EN[start:end] == (item.get("text") or item["name"])


def test_an_english_signing():
    result = extract(SIGNING_EN, gazetteer=EMPTY)
    assert result["language"] == "en"
    assert result["event"] == {
        "kind": "signing",
        "date": "2026-03-05",
        "title": "Wuxi Park Signs Strategic Agreement With Chip Maker",
    }
    assert {o["name"]: o["kind"] for o in result["organizations"]} == {
        "People's Government of Binhu District": "government",
        "Taiyu Semiconductor Co., Ltd.": "enterprise",
    }
    # titles after the name, two people in one sentence, a title before a name
    assert by_name(result["people"], "Li Qian")["titles"] == ["Party Secretary of Binhu District"]
    zhang = by_name(result["people"], "Zhang Wei")
    assert zhang["titles"] == ["chairman"] and zhang["organization"] == "Taiyu Semiconductor Co., Ltd."
    assert by_name(result["people"], "Zhao Jian")["titles"] == ["Mayor"]
    [agreement] = result["agreements"]
    assert agreement["kind"] == "strategic"
    assert set(agreement["parties"]) == {"People's Government of Binhu District", "Taiyu Semiconductor Co., Ltd."}
    assert {(s["person"], s["on_behalf_of"]) for s in agreement["signatories"]} == {
        ("Li Qian", "People's Government of Binhu District"),
        ("Zhang Wei", "Taiyu Semiconductor Co., Ltd."),
    }  # the mayor witnessed; he did not sign
    figures = {(f["kind"], f["value"], f["unit"], f["of"]) for f in result["figures"]}
    assert ("money", 16_000_000_000, "CNY", None) in figures
    assert ("money", 2_200_000_000, "USD", None) in figures
    assert ("area", 1_700_000, "m2", None) in figures
    assert ("count", 14, None, "projects") in figures or ("count", 14, "", "projects") in figures
    assert any(f["value"] == 1460 and f["of"] == "enterprises" for f in result["figures"])
    assert result["industries"] == ["integrated circuits"]


def test_by_lines_and_editors_are_kept_apart_from_the_people_of_the_story():
    result = extract(SIGNING_EN, gazetteer=EMPTY)
    assert {(b["name"], b["role"]) for b in result["bylines"]} == {("Ma Lin", "author"), ("Chen Lu", "editor")}
    assert not {"Ma Lin", "Chen Lu"} & {p["name"] for p in result["people"]}


def test_a_chinese_signing():
    result = extract(SIGNING_ZH, gazetteer=EMPTY)
    assert result["language"] == "zh"
    assert result["event"]["kind"] == "signing" and result["event"]["date"] == "2026-03-05"
    names = {o["name"] for o in result["organizations"]}
    assert {"无锡市滨湖区人民政府", "泰宇半导体有限公司"} <= names
    li = by_name(result["people"], "李倩")
    assert li["titles"] == ["市委常委", "滨湖区委书记"]
    zhang = by_name(result["people"], "张伟")
    assert zhang["titles"] == ["董事长"] and zhang["organization"] == "泰宇半导体有限公司"
    [agreement] = result["agreements"]
    assert agreement["kind"] == "strategic"
    assert {s["person"] for s in agreement["signatories"]} == {"李倩", "张伟"}
    figures = {(f["kind"], f["value"], f["unit"]) for f in result["figures"]}
    assert {("money", 16_000_000_000, "CNY"), ("area", 500_000, "m2")} <= figures
    assert {(b["name"], b["role"]) for b in result["bylines"]} == {("王芳", "reporter"), ("陈璐", "editor")}
    assert result["industries"] == ["集成电路", "生物医药"]


def test_a_date_without_its_year_stays_without_one():
    result = extract("园区举行签约仪式\n\n3月5日上午，园区与星河科技有限公司签署投资协议。", gazetteer=EMPTY)
    assert result["event"]["date"] == "--03-05"


def test_two_people_of_one_name_in_two_articles_stay_two_drafts():
    first = extract("Zhang Wei, chairman of Taiyu Semiconductor Co., Ltd., spoke.", gazetteer=EMPTY)
    second = extract("Zhang Wei, president of Bank of Binhu, spoke.", gazetteer=EMPTY)
    assert first["people"][0]["organization"] == "Taiyu Semiconductor Co., Ltd."
    assert second["people"][0]["organization"] == "Bank of Binhu"


def test_the_directory_is_the_gazetteer():
    gazetteer = Gazetteer.build([("Qingfeng Robotics", "enterprise"), ("星河科技", "enterprise")])
    result = extract("Qingfeng Robotics opened a plant. 另讯：星河科技入驻园区。", gazetteer=gazetteer)
    assert "Qingfeng Robotics" in {o["name"] for o in result["organizations"]}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "The weather was fine and the river was calm.",
        "天气晴朗，河水平静。",
        "Signed.",
        "\u200b\u200b\ufeff",
        "🙂🙂 ∑∫ \u202e reversed \u202c Ω≈ç √ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "合作协议 signed by 张伟 and Li Qian 在 Wuxi 签署 strategic cooperation agreement 160亿元 US$2 billion",
        "Mayor " * 2000,
        "，。、" * 1000,
        "(((((((((((" * 300 + "Group",
        "1,2,3,4,5,6,7,8,9,0," * 300,
    ],
)
def test_text_it_should_not_choke_on(text):
    result = extract(text, gazetteer=EMPTY)
    json.dumps(result)
    for key in ("organizations", "people", "figures"):
        for item in result[key]:
            start, end = item["span"]
            assert 0 <= start <= end <= len(text)


def test_a_very_long_article_is_read_to_its_end_and_a_pasted_book_is_cut():
    paragraph = SIGNING_EN.split("\n\n")[2] + "\n\n"
    long_text = "Long Report\n\n" + paragraph * 120  # about 50,000 characters
    result = extract(long_text, gazetteer=EMPTY)
    assert len(result["agreements"]) == 1 and "truncated" not in result
    book = "x " * 150_000
    assert extract(book, gazetteer=EMPTY)["truncated"] == 200_000


def test_mixed_languages_follow_the_language_that_carries_the_text():
    assert (
        extract("无锡市滨湖区人民政府与 Taiyu Semiconductor Co., Ltd. 签署协议。", gazetteer=EMPTY)["language"] == "zh"
    )
    assert (
        extract("The Wuxi office (无锡办事处) of Taiyu Semiconductor Co., Ltd. opened.", gazetteer=EMPTY)["language"]
        == "en"
    )


def test_a_party_named_by_its_place_alone_is_its_government():
    english = extract(
        "Deal\n\nOn June 17, 2025, the Binhu District People's Government and Taiyu Semiconductor Co., Ltd. signed an "
        "investment agreement. Later the district signed a memorandum of understanding with Harbour Light Photonics "
        "Co., Ltd., whose chief executive Wu Jing signed for the company.",
        gazetteer=EMPTY,
    )
    memorandum = next(a for a in english["agreements"] if a["kind"] == "memorandum")
    assert memorandum["parties"] == ["Harbour Light Photonics Co., Ltd.", "Binhu District People's Government"]
    chinese = extract(
        "签约\n\n6月17日，上海市浦东新区人民政府与松创精密机械有限公司签署投资协议。浦东新区还与海光光电有限公司签署合作备忘录。",
        gazetteer=EMPTY,
    )
    memorandum = next(a for a in chinese["agreements"] if a["kind"] == "memorandum")
    assert set(memorandum["parties"]) == {"海光光电有限公司", "上海市浦东新区人民政府"}


@pytest.mark.django_db
def test_the_directory_gazetteer_follows_the_directory():
    from parkos.directory.models import Organization, OrganizationAlias
    from parkos.intake.extraction.gazetteer import directory_gazetteer, forget

    forget()
    text = "Yesterday Qingfeng Robotics and 星河科技 opened plants."
    assert "Qingfeng Robotics" not in {o["name"] for o in extract(text)["organizations"]}
    first = directory_gazetteer()
    assert directory_gazetteer() is first  # cached while nothing changes
    organization = Organization.objects.create(name="星河科技有限公司", name_en="Qingfeng Robotics")
    result = extract(text)
    assert {o["name"]: o["kind"] for o in result["organizations"]}["Qingfeng Robotics"] == "enterprise"
    OrganizationAlias.objects.create(organization=organization, name="星河科技")
    assert "星河科技" in {o["name"] for o in extract(text)["organizations"]}


def test_the_gazetteer_matches_english_names_as_whole_words_and_chinese_names_across_spaces():
    from parkos.intake.extraction.gazetteer import Gazetteer, tokenized

    gazetteer = Gazetteer.build([("Huahong Group", "enterprise"), ("华虹集团", "enterprise"), ("Hua", "enterprise")])
    text = "Huahong  Group's plant, 与华虹\n集团签约; HuahongGroup and Huawei are not it. " + "(" * 100_000

    def found(scan_text):
        return [scan_text[s:e] for s, e in gazetteer.find(tokenized(scan_text))]

    assert found(text) == ["Huahong  Group", "华虹\n集团"]
    assert found("HUAHONG GROUP signed") == ["HUAHONG GROUP"]  # case does not matter
    assert found("与华虹集团Huahong Group") == ["华虹集团", "Huahong Group"]  # a Chinese character ends a word
