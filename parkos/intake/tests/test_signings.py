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


# --- signers introduced with the title first, "respectively", and organizations said in another sentence ----------


def person(result, name: str) -> dict:
    return next(p for p in result["people"] if p["name"] == name)


def test_a_possessive_title_before_the_name_gives_the_person_and_whom_they_signed_for():
    text = (
        "Haoran Park and Ruichi Sign Investment Deal\n\n"
        "Suzhou Haoran Industrial Park Co., Ltd. and Ruichi Robotics Co., Ltd. signed an investment agreement on "
        "Monday. Ruichi's chairman Lin Zhiqiang and Haoran's general manager, Song Mei, signed the agreement."
    )
    result = extract(text, gazetteer=EMPTY)
    haoran, ruichi = "Suzhou Haoran Industrial Park Co., Ltd.", "Ruichi Robotics Co., Ltd."
    lin, song = person(result, "Lin Zhiqiang"), person(result, "Song Mei")
    assert (lin["titles"], lin["organization"]) == (["chairman"], ruichi)
    assert (song["titles"], song["organization"]) == (["general manager"], haoran)
    assert signed(result) == {("Lin Zhiqiang", ruichi), ("Song Mei", haoran)}


def test_its_chief_executive_is_the_chief_executive_of_the_organization_just_named():
    text = (
        "Kestrel to Build Plant in Jiading\n\n"
        "The Jiading Industrial Zone Management Committee signed an investment agreement with Kestrel Biologics Ltd. "
        "on Friday. Kestrel Biologics Ltd. will build a vaccine plant in the zone. Its chief executive, Arjun Mehta, "
        "signed the agreement with Wen Hao, director of the Jiading Industrial Zone Management Committee."
    )
    result = extract(text, gazetteer=EMPTY)
    kestrel, zone = "Kestrel Biologics Ltd.", "Jiading Industrial Zone Management Committee"
    mehta = person(result, "Arjun Mehta")
    assert (mehta["titles"], mehta["organization"]) == (["chief executive"], kestrel)
    assert signed(result) == {("Arjun Mehta", kestrel), ("Wen Hao", zone)}


def test_a_and_b_signed_on_behalf_of_x_and_y_respectively():
    text = (
        "Fengxian and Aurora Sign Strategic Agreement\n\n"
        "The People's Government of Fengxian District and Aurora Hydrogen Co., Ltd. signed a strategic cooperation "
        "agreement on Wednesday. Vice Mayor Gu Lan and Chairman Chen Bo signed on behalf of Aurora Hydrogen and "
        "the district government respectively."
    )
    result = extract(text, gazetteer=EMPTY)
    government, aurora = "People's Government of Fengxian District", "Aurora Hydrogen Co., Ltd."
    assert signed(result) == {("Gu Lan", aurora), ("Chen Bo", government)}


def test_the_presidents_of_both_sides_signed_on_behalf_of_both_sides_with_a_bare_short_form():
    text = (
        "Qingpu and Norvale Sign Deal\n\n"
        "Shanghai Qingpu Industrial Park Development Co., Ltd. and Norvale Biotherapeutics (Shanghai) Co., Ltd. "
        "signed a strategic cooperation agreement on Thursday. Norvale's president, Clara Weiss, and Tao Ming, "
        "general manager of the park company, signed on behalf of both sides."
    )
    result = extract(text, gazetteer=EMPTY)
    park, norvale = (
        "Shanghai Qingpu Industrial Park Development Co., Ltd.",
        "Norvale Biotherapeutics (Shanghai) Co., Ltd.",
    )
    assert person(result, "Clara Weiss")["organization"] == norvale
    assert signed(result) == {("Clara Weiss", norvale), ("Tao Ming", park)}


def test_a_chinese_signer_whose_organization_is_said_in_another_sentence():
    text = (
        "嘉定区与沃川氢能签约\n\n2026年5月12日，嘉定区人民政府与上海沃川氢能科技有限公司签署投资协议。"
        "嘉定区副区长陈伟与王磊代表双方签约。王磊为上海沃川氢能科技有限公司总经理。"
    )
    result = extract(text, gazetteer=EMPTY)
    wochuan = "上海沃川氢能科技有限公司"
    wang = person(result, "王磊")
    assert (wang["titles"], wang["organization"]) == (["总经理"], wochuan)
    assert signed(result) == {("陈伟", "嘉定区人民政府"), ("王磊", wochuan)}


def test_chinese_daibiao_names_whom_each_signed_for():
    text = (
        "奉贤区与曜石医疗签约\n\n2026年6月3日，奉贤区人民政府与上海曜石医疗器械有限公司签署战略合作协议。"
        "曜石医疗董事长许安代表公司、副区长宋佳代表区政府在协议上签字。"
    )
    result = extract(text, gazetteer=EMPTY)
    assert signed(result) == {("许安", "上海曜石医疗器械有限公司"), ("宋佳", "奉贤区人民政府")}


def test_chinese_signers_respectively_for_two_named_sides():
    text = (
        "金山区与华澜集团签约\n\n2026年7月8日，金山区人民政府与上海华澜实业（集团）有限公司签署投资协议。"
        "副区长顾明、华澜集团总裁邵峰分别代表区政府和华澜集团签约。"
    )
    result = extract(text, gazetteer=EMPTY)
    assert signed(result) == {("顾明", "金山区人民政府"), ("邵峰", "上海华澜实业（集团）有限公司")}


def test_a_short_form_before_a_title_is_the_organization_named_before():
    text = (
        "园区与观澜软件签约\n\n2026年8月14日，苏州吴中数字产业园有限公司与观澜工业软件有限公司签署租赁协议。"
        "观澜工业软件有限公司将租用9000平方米，公司董事长彭远与园区总经理江华签署租赁协议。"
    )
    result = extract(text, gazetteer=EMPTY)
    park, guanlan = "苏州吴中数字产业园有限公司", "观澜工业软件有限公司"
    assert person(result, "彭远")["organization"] == guanlan
    assert person(result, "江华")["organization"] == park
    assert signed(result) == {("彭远", guanlan), ("江华", park)}


def test_the_parks_general_manager_is_the_park_companys():
    text = (
        "Park Signs Lease with Guanlan\n\n"
        "Suzhou Wuzhong Digital Industry Park Co., Ltd. and Guanlan Industrial Software Co., Ltd. signed a lease "
        "agreement on Thursday. The park's general manager, Jiang Hua, and the company's chairman, Peng Yuan, signed "
        "the lease."
    )
    result = extract(text, gazetteer=EMPTY)
    park, guanlan = "Suzhou Wuzhong Digital Industry Park Co., Ltd.", "Guanlan Industrial Software Co., Ltd."
    assert signed(result) == {("Jiang Hua", park), ("Peng Yuan", guanlan)}


def test_signed_on_stage_by_a_list_of_signers_gives_one_agreement_per_counterpart():
    text = (
        "Jiangnan Group Signs Two Projects\n\n"
        "Jiangnan Industrial Park Development Group Co., Ltd. signed investment agreements with Xinrui "
        "Microelectronics Co., Ltd. and Nordlys Materials AB on Sunday. The agreements were signed on stage by Sun "
        "Hao, general manager of Jiangnan Industrial Park Development Group, and by Qin Feng, chairman of Xinrui "
        "Microelectronics, and Erik Lund, chief executive of Nordlys Materials."
    )
    result = extract(text, gazetteer=EMPTY)
    jiangnan, xinrui, nordlys = (
        "Jiangnan Industrial Park Development Group Co., Ltd.",
        "Xinrui Microelectronics Co., Ltd.",
        "Nordlys Materials AB",
    )
    assert sorted(sorted(a["parties"]) for a in result["agreements"]) == [
        sorted([jiangnan, nordlys]),
        sorted([jiangnan, xinrui]),
    ]
    assert signed(result) == {("Sun Hao", jiangnan), ("Qin Feng", xinrui), ("Erik Lund", nordlys)}


def test_a_bare_short_form_is_a_party_and_a_title_said_in_another_sentence_is_the_signers():
    text = (
        "Qingpu Park Signs with Norvale\n\n"
        "Norvale Biotherapeutics (Shanghai) Co., Ltd. will build a cell therapy plant in the park of Shanghai Qingpu "
        "Industrial Park Development Co., Ltd. On Thursday Norvale and Qingpu Industrial Park signed an investment "
        "agreement for the plant. Clara Weiss and Tao Ming signed on behalf of both sides. Clara Weiss is the "
        "president of Norvale, and Tao Ming is general manager of the park company."
    )
    result = extract(text, gazetteer=EMPTY)
    park, norvale = (
        "Shanghai Qingpu Industrial Park Development Co., Ltd.",
        "Norvale Biotherapeutics (Shanghai) Co., Ltd.",
    )
    [agreement] = result["agreements"]
    assert set(agreement["parties"]) == {park, norvale}
    weiss = person(result, "Clara Weiss")
    assert (weiss["titles"], weiss["organization"]) == (["president"], norvale)
    assert signed(result) == {("Clara Weiss", norvale), ("Tao Ming", park)}


def test_of_two_signers_for_two_sides_the_one_with_no_organization_signed_for_the_other_side():
    text = (
        "Minhang and Lumeng Sign Investment Agreement\n\n"
        "The Minhang District People's Government and Lumeng Semiconductor Materials Co., Ltd. signed an investment "
        "agreement on Monday. Lumeng's chairman Xu Kai and Deputy Director Gao Ping signed the agreement."
    )
    result = extract(text, gazetteer=EMPTY)
    assert signed(result) == {
        ("Xu Kai", "Lumeng Semiconductor Materials Co., Ltd."),
        ("Gao Ping", "Minhang District People's Government"),
    }


def test_two_signers_of_unknown_organizations_on_behalf_of_both_sides_sign_in_the_order_the_sides_were_named():
    text = (
        "金山区与华澜集团签约\n\n2026年7月8日，金山区人民政府与上海华澜实业（集团）有限公司签署投资协议。"
        "副区长顾明、总裁邵峰代表双方签约。"
    )
    result = extract(text, gazetteer=EMPTY)
    assert signed(result) == {("顾明", "金山区人民政府"), ("邵峰", "上海华澜实业（集团）有限公司")}


def test_an_organization_written_before_a_lower_case_title_is_the_signers():
    text = (
        "Minhang and Lumeng Sign Investment Agreement\n\n"
        "The Minhang District People's Government and Lumeng Semiconductor Materials Co., Ltd. signed an investment "
        "agreement on Monday. Lumeng Semiconductor chairman Xu Kai and Minhang deputy district head Gao Ping signed "
        "the agreement, witnessed by Kestrel CEO Arjun Mehta."
    )
    result = extract(text, gazetteer=EMPTY)
    lumeng, minhang = "Lumeng Semiconductor Materials Co., Ltd.", "Minhang District People's Government"
    xu = person(result, "Xu Kai")
    assert (xu["titles"], xu["organization"]) == (["chairman"], lumeng)
    # the place before a government post stays in the title, as in "Jinshan party chief" and "新吴区委书记"
    assert person(result, "Gao Ping")["titles"] == ["Minhang deputy district head"]
    assert person(result, "Arjun Mehta")["titles"] == ["CEO"]
    assert signed(result) == {("Xu Kai", lumeng), ("Gao Ping", minhang)}


def test_a_signer_named_again_by_the_surname_alone_signs():
    text = (
        "Kestrel and Jiading Sign Investment Agreement\n\n"
        "The Jiading Industrial Zone Management Committee and Kestrel Biologics Ltd. signed an investment agreement "
        "on Friday. Arjun Mehta, chief executive of Kestrel Biologics, and Wen Hao, director of the Jiading "
        "Industrial Zone Management Committee, attended the ceremony. Mehta and Wen signed the agreement after the "
        "speeches. Wen said two more companies were expected to sign in May."
    )
    result = extract(text, gazetteer=EMPTY)
    assert signed(result) == {
        ("Arjun Mehta", "Kestrel Biologics Ltd."),
        ("Wen Hao", "Jiading Industrial Zone Management Committee"),
    }


def test_gai_gongsi_and_qi_before_a_title_and_shi_in_a_sentence_of_its_own():
    text = (
        "嘉定区与沃川氢能签约\n\n2026年5月12日，嘉定区人民政府与上海沃川氢能科技有限公司签署投资协议。"
        "该公司董事长戴志远与副区长陈伟签署协议。韦静是上海沃川氢能科技有限公司副总经理，出席签约仪式。"
    )
    result = extract(text, gazetteer=EMPTY)
    wochuan = "上海沃川氢能科技有限公司"
    assert person(result, "戴志远")["organization"] == wochuan
    wei = person(result, "韦静")
    assert (wei["titles"], wei["organization"]) == (["副总经理"], wochuan)
    assert signed(result) == {("戴志远", wochuan), ("陈伟", "嘉定区人民政府")}


def test_the_title_of_an_organization_then_the_name_between_commas():
    text = (
        "Kestrel and Jiading Sign Investment Agreement\n\n"
        "The Jiading Industrial Zone Management Committee and Kestrel Biologics Ltd. signed an investment agreement "
        "on Friday. The chief executive of Kestrel Biologics, Arjun Mehta, and Wen Hao, director of the committee, "
        "signed the agreement."
    )
    result = extract(text, gazetteer=EMPTY)
    mehta = person(result, "Arjun Mehta")
    assert (mehta["titles"], mehta["organization"]) == (["chief executive"], "Kestrel Biologics Ltd.")
    assert signed(result) == {
        ("Arjun Mehta", "Kestrel Biologics Ltd."),
        ("Wen Hao", "Jiading Industrial Zone Management Committee"),
    }


# --- more of the cases, each phrased as a journalist would (short forms, compound titles, no kind word) ------


@pytest.mark.parametrize(
    ("short", "full", "same"),
    [
        ("丰海农商行", "丰海农村商业银行股份有限公司", True),
        ("武进高新区管委会", "武进国家高新技术产业开发区管理委员会", True),
        ("姑苏区住建局", "姑苏区住房和城乡建设局", True),
        ("海西银行苏州分行", "海西银行股份有限公司苏州分行", True),
        ("东湖大学", "东湖大学生命科学学院", False),  # a faculty is not its university
        ("海西银行", "海西银行苏州分行", False),  # nor a branch its bank
        ("苏州农商行", "常熟农村商业银行股份有限公司", False),
    ],
)
def test_chinese_abbreviations_units_and_legal_forms_in_short_forms(short, full, same):
    assert is_short_form(short, full) is same


def test_the_two_parties_and_a_signing_with_no_kind_word_in_english():
    text = (
        "Minhang and Corvane Sign Deal\n\n"
        "The People's Government of Minhang District and Corvane Robotics Co., Ltd. have signed with each other to "
        "bring the company's production base to the district. Ada Quist, deputy head of Minhang District, and Piet "
        "Laar, president of Corvane Robotics, signed for the two parties. The company will invest 1.5 billion yuan."
    )
    result = extract(text, gazetteer=EMPTY)
    government, corvane = "People's Government of Minhang District", "Corvane Robotics Co., Ltd."
    [agreement] = result["agreements"]
    assert agreement["kind"] == "investment" and set(agreement["parties"]) == {government, corvane}
    assert signed(result) == {("Ada Quist", government), ("Piet Laar", corvane)}


def test_you_x_yu_y_daibiao_shuangfang_with_compound_titles_and_a_witness():
    text = (
        "奉贤区与曜石医疗签约\n\n5月8日，奉贤区人民政府与上海曜石医疗器械有限公司举行项目投资合作签约仪式。"
        "在区委书记许明的见证下，由区委常委、副区长宋佳与曜石医疗董事长兼总经理叶晨代表双方签约。"
    )
    result = extract(text, gazetteer=EMPTY)
    government, yaoshi = "奉贤区人民政府", "上海曜石医疗器械有限公司"
    [agreement] = result["agreements"]  # the ceremony the two held is the agreement, though no 协议 is named
    assert agreement["kind"] == "investment" and set(agreement["parties"]) == {government, yaoshi}
    assert signed(result) == {("宋佳", government), ("叶晨", yaoshi)}  # the witness did not sign
    people = {p["name"]: p for p in result["people"]}
    assert people["宋佳"]["titles"] == ["区委常委", "副区长"] and people["宋佳"]["organization"] == government
    assert people["叶晨"]["titles"] == ["董事长", "总经理"] and people["叶晨"]["organization"] == yaoshi
    assert names(result) == {government, yaoshi}


def test_shuangfang_fuzeren_named_before_their_organizations_are_said():
    text = (
        "签约\n\n5月8日，奉贤区人民政府与上海曜石医疗器械有限公司在奉贤签订合作协议。双方负责人宋佳、叶晨在协议上签字。"
        "宋佳为奉贤区副区长，叶晨为曜石医疗董事长。"
    )
    result = extract(text, gazetteer=EMPTY)
    [agreement] = result["agreements"]
    assert agreement["kind"] == "framework"
    assert signed(result) == {("宋佳", "奉贤区人民政府"), ("叶晨", "上海曜石医疗器械有限公司")}


def test_fourteen_state_enterprises_signed_with_the_district_and_one_named_agreement():
    text = (
        "14家市属国企与姑苏区签约\n\n6月5日，苏州市姑苏区人民政府与14家市属国有企业举行合作签约活动，14家国企与区政府签约项目23个。"
        "其中，苏州古城文旅发展集团有限公司与区政府共同签署了更新合作协议。区委副书记、区长顾晓梅与文旅集团董事长蒋一鸣代表双方签字。"
        "苏州市人民政府国有资产监督管理委员会主任林涛在签约活动上表示，国企将全力推进项目。"
    )
    result = extract(text, gazetteer=EMPTY)
    government, wenlv = "苏州市姑苏区人民政府", "苏州古城文旅发展集团有限公司"
    assert [(a["kind"], set(a["parties"])) for a in result["agreements"]] == [("framework", {wenlv, government})]
    assert signed(result) == {("顾晓梅", government), ("蒋一鸣", wenlv)}  # speaking at the signing is not signing
    assert "苏州市人民政府国有资产监督管理委员会" in names(result)  # one organization, not a government and a bureau


def test_the_groups_founder_and_chairman_and_the_park_companys_general_manager():
    text = (
        "Brightwater Inks Lease\n\n"
        "NANJING, March 18 -- Brightwater Logistics Group Co., Ltd. entered into a lease with Jiangning Airport "
        "Industrial Park Co., Ltd. on Tuesday. The lease was signed by Wu Dan, the park company's general manager, and "
        "by Roland Hsu, president of Brightwater Logistics Group. The Group's founder and chairman, Elise Kamara, "
        "attended."
    )
    result = extract(text, gazetteer=EMPTY)
    brightwater, park = "Brightwater Logistics Group Co., Ltd.", "Jiangning Airport Industrial Park Co., Ltd."
    [agreement] = result["agreements"]
    assert agreement["kind"] == "lease" and set(agreement["parties"]) == {brightwater, park}
    assert signed(result) == {("Wu Dan", park), ("Roland Hsu", brightwater)}
    kamara = next(p for p in result["people"] if p["name"] == "Elise Kamara")
    assert kamara["titles"] == ["founder", "chairman"] and kamara["organization"] == brightwater


def test_inked_by_two_people_named_with_their_organizations_possessive():
    text = (
        "Deal Signed\n\nCorvane Robotics Co., Ltd. and Tellmark Bank Co., Ltd. signed a framework agreement on Friday. "
        "The deal was inked by Corvane's Piet Laar and Tellmark's Hana Ruzicka. Shanghai's Minhang District hosted it."
    )
    result = extract(text, gazetteer=EMPTY)
    assert signed(result) == {("Piet Laar", "Corvane Robotics Co., Ltd."), ("Hana Ruzicka", "Tellmark Bank Co., Ltd.")}
    assert {p["name"] for p in result["people"]} == {"Piet Laar", "Hana Ruzicka"}  # "Minhang District" is no one


def test_a_signer_is_not_moved_onto_the_other_sides_party_by_a_shared_place_name():
    text = (
        "园区与银行签约\n\n8月14日，苏州吴中数字产业园有限公司与7家企业签订租赁协议。园区总经理江华表示，园区将做好服务。"
        "当天，园区还与海西银行股份有限公司苏州分行签署合作备忘录。备忘录由江华与海西银行苏州分行行长柯文签署。"
    )
    result = extract(text, gazetteer=EMPTY)
    park, branch = "苏州吴中数字产业园有限公司", "海西银行股份有限公司苏州分行"
    memorandum = next(a for a in result["agreements"] if a["kind"] == "memorandum")
    assert set(memorandum["parties"]) == {park, branch}
    assert {(s["person"], s["on_behalf_of"]) for s in memorandum["signatories"]} == {("江华", park), ("柯文", branch)}
    assert "海西银行苏州分行" not in names(result)


@pytest.mark.parametrize(
    "signing",
    [
        "The agreement was signed by deputy district head Ada Quist and Corvane president Piet Laar.",
        "Signing the agreement were Ada Quist, deputy head of Minhang District, and Piet Laar, president of Corvane.",
        "Piet Laar, Corvane's president, and Ada Quist, deputy head of the district, put pen to paper on stage.",
    ],
)
def test_english_ways_of_saying_who_signed(signing):
    text = (
        "Minhang and Corvane Sign Deal\n\nThe People's Government of Minhang District and Corvane Robotics Co., Ltd. "
        "signed an investment agreement on Monday. " + signing
    )
    result = extract(text, gazetteer=EMPTY)
    assert signed(result) == {
        ("Ada Quist", "People's Government of Minhang District"),
        ("Piet Laar", "Corvane Robotics Co., Ltd."),
    }


def test_a_name_given_before_by_its_first_word_and_another_in_full_are_two_parties():
    text = (
        "Ostara Seals Deal\n\nOstara Battery Technology Co., Ltd. sealed a deal with Tianhe Polytechnic University on "
        "Wednesday. Ostara's chief technology officer, Karl Eberhardt, signed it. Separately, Ostara and Wujin Green "
        "Building Industry Park Co., Ltd. signed a lease for a pilot plant."
    )
    result = extract(text, gazetteer=EMPTY)
    ostara, park = "Ostara Battery Technology Co., Ltd.", "Wujin Green Building Industry Park Co., Ltd."
    assert names(result) == {ostara, park, "Tianhe Polytechnic University"}  # no "Ostara and Wujin ..."
    lease = next(a for a in result["agreements"] if a["kind"] == "lease")
    assert set(lease["parties"]) == {ostara, park}
    assert ("Karl Eberhardt", ostara) in signed(result)
    eberhardt = next(p for p in result["people"] if p["name"] == "Karl Eberhardt")
    assert eberhardt["titles"] == ["chief technology officer"]


# --- English wires and press releases (development articles 27-32 show these in context) -------------------------


def test_a_capitalised_post_after_an_organizations_name_and_a_qualified_post_after_a_possessive():
    text = (
        "Tollmark and Brightfield Sign Supply Deal\n\n"
        "Tollmark Recycling Inc signed a supply agreement with Jiangsu Brightfield Cells Co., Ltd. on Tuesday. "
        "Brightfield Vice President Hua Lingyun and Tollmark's Asia head, Maria Costa, signed the deal."
    )
    result = extract(text, gazetteer=EMPTY)
    assert signed(result) == {
        ("Hua Lingyun", "Jiangsu Brightfield Cells Co., Ltd."),
        ("Maria Costa", "Tollmark Recycling Inc"),
    }


def test_the_centers_post_the_companys_qualified_post_and_a_professor_after_a_possessive():
    text = (
        "Eastlake University and Orvo Testing Center Sign MoU\n\n"
        "Orvo Medical Co., Ltd. signed an investment agreement with the People's Government of Xishan District. "
        "Orvo Medical Co., Ltd. also signed a memorandum of understanding with Liangxi Testing Center Co., Ltd. "
        "The memorandum was signed by the company's quality director Ada Berg and Ms. Fang Rui, the center's deputy "
        "general manager. The university's vice-president Professor Cao Ning attended."
    )
    result = extract(text, gazetteer=EMPTY)
    people = {p["name"]: p for p in result["people"]}
    assert "quality director" in people["Ada Berg"]["titles"]
    assert people["Cao Ning"]["titles"] == ["vice-president"]  # not "vice-president Professor"
    assert ("Ada Berg", "Orvo Medical Co., Ltd.") in signed(result)
    assert ("Fang Rui", "Liangxi Testing Center Co., Ltd.") in signed(result)


def test_its_opening_a_sentence_is_the_sentence_befores_subject_not_its_last_organization():
    text = (
        "Park Investor and University Team Up\n\n"
        "Jinxi Construction and Investment Group Co., Ltd. signed a strategic cooperation agreement with the "
        "University of Science and Technology of Huaibei. Its chairman Bao Tian and the university's president "
        "Shi Wen signed on behalf of the two sides."
    )
    result = extract(text, gazetteer=EMPTY)
    assert signed(result) == {
        ("Bao Tian", "Jinxi Construction and Investment Group Co., Ltd."),
        ("Shi Wen", "University of Science and Technology of Huaibei"),
    }


def test_district_head_opening_a_sentence_and_put_their_names_to_the_document():
    text = (
        "Qionglai and Valtra Sign Factory Deal\n\n"
        "The People's Government of Qionglai District and Valtra Tools GmbH signed a strategic cooperation agreement. "
        "District head Ren Bo and Valtra's chairman Jonas Lind put their names to the document on behalf of the "
        "district government and the company."
    )
    result = extract(text, gazetteer=EMPTY)
    assert signed(result) == {
        ("Ren Bo", "People's Government of Qionglai District"),
        ("Jonas Lind", "Valtra Tools GmbH"),
    }


def test_witnesses_are_no_signers_and_their_organizations_no_parties():
    text = (
        "Hanjiang Signs Fuel Cell Plant\n\n"
        "The Hanjiang Economic Zone Administrative Committee signed an investment agreement with Korvin Hydrogen "
        "Co., Ltd. The agreement was signed by Xu Feng, deputy director of the Hanjiang Economic Zone Administrative "
        "Committee, and Li Xiao-ming, general manager of Korvin Hydrogen, and witnessed by Yangzhou Vice-Mayor "
        "Chen Lu and Seoyon Energy Group chairman Kim Dae-ho. Present at the signing were Party secretary of "
        "Hanjiang district Zhao Yun, Director-General of the Jiangsu Provincial Department of Commerce Qi Lan, and "
        "Ning Bo, the zone's deputy head."
    )
    result = extract(text, gazetteer=EMPTY)
    [agreement] = result["agreements"]
    assert set(agreement["parties"]) == {"Hanjiang Economic Zone Administrative Committee", "Korvin Hydrogen Co., Ltd."}
    assert signed(result) == {
        ("Xu Feng", "Hanjiang Economic Zone Administrative Committee"),
        ("Li Xiao-ming", "Korvin Hydrogen Co., Ltd."),
    }
    assert {"Seoyon Energy Group", "Jiangsu Provincial Department of Commerce"} <= names(result)  # no person inside
    people = {p["name"]: p for p in result["people"]}
    assert people["Kim Dae-ho"]["organization"] == "Seoyon Energy Group"
    assert people["Qi Lan"]["organization"] == "Jiangsu Provincial Department of Commerce"
    assert people["Zhao Yun"]["titles"] == ["Party secretary of Hanjiang district"]


def test_the_zones_administrative_committee_is_the_committee_named_in_full():
    text = (
        "Lund Medical Signs With Wuxi Zone\n\n"
        "Lund Medical (Wuxi) Co., Ltd. has signed an investment agreement with the Administrative Committee of "
        "Wuxi Xinwu Industrial Development Zone. Sara Lund, general manager of the company, and Xu Jian, head of "
        "the zone's Administrative Committee, inked the deal on behalf of their organizations."
    )
    result = extract(text, gazetteer=EMPTY)
    assert names(result) == {
        "Lund Medical (Wuxi) Co., Ltd.",
        "Administrative Committee of Wuxi Xinwu Industrial Development Zone",
    }
    assert ("Xu Jian", "Administrative Committee of Wuxi Xinwu Industrial Development Zone") in signed(result)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Deal\n\nBy Wang Lu | Updated: 2025-09-18 08:12\n\nThe firm signed the agreement on Wednesday.", "2025-09-17"),
        (
            "Deal\n\nJinshan | 2025-04-11\n\nThe district signed agreements worth 6.8 billion yuan on Thursday, the "
            "district government said.",
            "2025-04-10",
        ),
        (
            "Deal\n\nHEFEI, Sept. 2, 2025 -- The district has signed with the firm, the district government said on "
            "Tuesday. The agreement was signed on Monday afternoon.",
            "2025-09-01",
        ),
        (
            "Deal\n\nWUXI, June 24, 2025 /PRNewswire/ -- The firm today announced an agreement with the zone. "
            "Lund and Xu inked the deal on June 23.",
            "2025-06-23",
        ),
        ("Deal\n\nWUXI, June 24, 2025 -- The firm signed an agreement on Tuesday, November 18, 2025.", "2025-06-24"),
    ],
)
def test_the_day_of_an_english_signing_from_its_weekday_or_a_date_in_the_signing_sentence(text, date):
    assert extract(text, gazetteer=EMPTY, language="en")["event"]["date"] == date


def test_signed_between_two_parties_by_two_signers_respectively_with_the_firms_short_descriptions():
    text = (
        "Three Deals in Shushan\n\n"
        "A second agreement, for a display line, was signed between Lumina-Hefei Display Co., Ltd. and Hefei "
        "Industry Investment Holding Group Co., Ltd. by the display firm's general manager Tan Yu and Wei Jing, "
        "deputy general manager of the holding group, respectively."
    )
    result = extract(text, gazetteer=EMPTY)
    assert signed(result) == {
        ("Tan Yu", "Lumina-Hefei Display Co., Ltd."),
        ("Wei Jing", "Hefei Industry Investment Holding Group Co., Ltd."),
    }


# --- fifth pass: English wires and releases (articles 33-40 of the development set were written for the same patterns;
# these short texts are written apart, with other names) -------------------------------------------------------------


def test_a_place_before_a_government_post_is_part_of_the_title_and_names_the_government():
    text = (
        "Minhang Deal\n\n"
        "The Minhang District People's Government signed an investment agreement with Tamsen Optics Co., Ltd. "
        "Minhang Party chief Dai Rong and Jiading Vice-Mayor Hu Lan witnessed the signing."
    )
    result = extract(text, gazetteer=EMPTY)
    assert person(result, "Dai Rong")["titles"] == ["Minhang Party chief"]  # not "chief" as well
    assert person(result, "Dai Rong")["organization"] == "Minhang District People's Government"
    assert person(result, "Hu Lan")["titles"] == ["Jiading Vice-Mayor"]
    assert person(result, "Hu Lan")["organization"] is None  # Jiading's government is not named


def test_a_city_post_is_not_given_to_a_zone_committee_named_after_the_city():
    text = (
        "Zone Deal\n\n"
        "The Changzhou Xinbei Zone Administrative Committee signed an investment agreement with Tamsen Optics Co., "
        "Ltd., witnessed by Changzhou Vice-Mayor Hu Lan."
    )
    assert person(extract(text, gazetteer=EMPTY), "Hu Lan")["organization"] is None


def test_the_next_signer_between_commas_is_not_the_title_of_the_one_before():
    text = (
        "Three Sides\n\n"
        "The agreement was signed by Jinan Mayor Kong Wei, Professor Tian Shu, president of Quancheng Polytechnic "
        "University, and Ma Lu, chairwoman of Lixia Rural Commercial Bank Co., Ltd."
    )
    result = extract(text, gazetteer=EMPTY)
    assert person(result, "Kong Wei")["titles"] == ["Jinan Mayor"]
    assert set(person(result, "Tian Shu")["titles"]) == {"president", "Professor"}


def test_a_name_with_its_own_legal_form_is_no_short_form_of_a_subsidiary_and_no_person():
    text = (
        "Orvik Expands\n\n"
        "BERLIN, March 4, 2026 -- Orvik AG today announced that its subsidiary, Orvik Fluid (Tianjin) Co., Ltd., has "
        "signed a lease agreement with Tianjin Binhai Plant Leasing Co., Ltd. Ms. Eva Lind, President of Orvik Fluid "
        "(Tianjin) Co., Ltd., signed on behalf of the subsidiary. Mr. Jan Ros, Managing Director of Orvik AG, "
        "attended. Orvik AG, Corporate Communications"
    )
    result = extract(text, gazetteer=EMPTY)
    assert names(result) == {"Orvik AG", "Orvik Fluid (Tianjin) Co., Ltd.", "Tianjin Binhai Plant Leasing Co., Ltd."}
    assert person(result, "Eva Lind")["organization"] == "Orvik Fluid (Tianjin) Co., Ltd."
    assert person(result, "Jan Ros")["organization"] == "Orvik AG"
    [agreement] = result["agreements"]  # the parent announces; its subsidiary signs
    assert agreement["parties"] == ["Orvik Fluid (Tianjin) Co., Ltd.", "Tianjin Binhai Plant Leasing Co., Ltd."]


def test_a_description_before_a_name_is_not_part_of_it():
    text = (
        "Two Investors\n\n"
        "Oslo-based Fjordane Marine Ltd and Canada's Maplestone Mining Ltd signed a framework agreement with the "
        "Zhoushan Port Administrative Committee."
    )
    assert names(extract(text, gazetteer=EMPTY)) == {
        "Fjordane Marine Ltd",
        "Maplestone Mining Ltd",
        "Zhoushan Port Administrative Committee",
    }


def test_signed_with_a_place_and_a_date_before_by_and_a_guest_in_the_presence_of():
    text = (
        "Tianjin MoU\n\n"
        "Orvik AG signed an MoU with the Tianjin Binhai Management Committee. The MoU was signed in Tianjin on Monday, "
        "March 2, by Dr. Eva Lind, Chief Executive Officer of Orvik AG, and Gao Ren, deputy director of the Tianjin "
        "Binhai Management Committee, in the presence of Tianjin Mayor Sun Yi."
    )
    result = extract(text, gazetteer=EMPTY)
    assert signed(result) == {("Eva Lind", "Orvik AG"), ("Gao Ren", "Tianjin Binhai Management Committee")}


def test_a_kind_signed_first_and_its_parties_listed_in_the_next_sentence():
    text = (
        "Three-way Deal\n\n"
        "By ZHOU LIN in Wuhan | China Daily | Updated: 2025-05-16 09:30\n\n"
        "A framework agreement on a photonics park was signed in Wuhan on Wednesday. The parties to the agreement are "
        "the Jiangxia District People's Government, Wuchang Optical University and Hanjiang Bank Co., Ltd. Jiangxia "
        "Mayor Qiu Min, Professor Tian Shu, president of the university, and Ma Lu, chairwoman of the bank, signed on "
        "behalf of the three parties respectively."
    )
    result = extract(text, gazetteer=EMPTY)
    [agreement] = result["agreements"]
    assert agreement["kind"] == "framework" and len(agreement["parties"]) == 3
    assert signed(result) == {
        ("Qiu Min", "Jiangxia District People's Government"),
        ("Tian Shu", "Wuchang Optical University"),
        ("Ma Lu", "Hanjiang Bank Co., Ltd."),
    }
    assert [(b["name"], b["role"]) for b in result["bylines"]] == [("ZHOU LIN", "author")]
    assert result["event"]["date"] == "2025-05-14"  # the Wednesday on or before Friday the 16th


def test_the_signing_parties_were_in_a_sentence_of_their_own_with_a_short_reference():
    text = (
        "Park MoU\n\n"
        "The Administrative Committee of Nantong Hi-tech Zone signed contracts for 12 projects. A memorandum of "
        "understanding on a software center was also signed. The signing parties were the administrative committee, "
        "Nantong Institute of Technology and Haimen Code Co., Ltd."
    )
    result = extract(text, gazetteer=EMPTY)
    [agreement] = result["agreements"]
    assert agreement["kind"] == "memorandum" and len(agreement["parties"]) == 3


def test_whose_post_and_a_firm_described_by_what_it_makes():
    text = (
        "Supplier Deal\n\n"
        "Tamsen Optics Co., Ltd. signed a framework agreement with Jiangbei Lens Materials Co., Ltd., whose "
        "vice-president Qiao Feng attended. The agreement was signed by Tamsen's chief operating officer, Nora Vik, "
        "and the lens maker's chairman, Xue Bin."
    )
    result = extract(text, gazetteer=EMPTY)
    assert person(result, "Qiao Feng")["organization"] == "Jiangbei Lens Materials Co., Ltd."
    assert signed(result) == {
        ("Nora Vik", "Tamsen Optics Co., Ltd."),
        ("Xue Bin", "Jiangbei Lens Materials Co., Ltd."),
    }


def test_a_wires_bracketed_credits_are_by_lines():
    text = (
        "Refinery\n\nPERTH, May 8 (Reuters) - Kestrel Lithium Ltd said it signed a deal.\n\n"
        "(Reporting by Ann Lowe in Perth; Editing by Rob Diaz)"
    )
    result = extract(text, gazetteer=EMPTY)
    assert {(b["name"], b["role"]) for b in result["bylines"]} == {("Ann Lowe", "reporter"), ("Rob Diaz", "editor")}


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # no year: "said on Friday" dates the dateline, the signing was the Thursday before
        ("Deal\n\nPERTH, May 8 (Reuters) - The firm said on Friday it had signed an MoU on Thursday.", "--05-07"),
        # an explicit date wins over its weekday
        ("Deal\n\nPERTH, May 8 (Reuters) - The MoU was signed on Monday, May 4, the firm said.", "--05-04"),
        # a weekday outside the signing sentences says nothing of the signing's day
        (
            "Deal\n\nWUXI, June 24, 2025 -- The firm signed an agreement with the zone. The plant opens on Monday.",
            "2025-06-24",
        ),
        # a first date in the story itself is the day, whatever weekday is said later
        (
            "Deal\n\nOn June 10, 2025, the firm signed an agreement with the zone. It was announced on Friday.",
            "2025-06-10",
        ),
        # a Saturday's paper, "on Friday"
        ("Deal\n\nBy Wen Yu | City Daily | 2025-07-12\n\nThe district signed a lease on Friday.", "2025-07-11"),
    ],
)
def test_the_weekday_of_a_signing_is_the_latest_such_day_on_or_before_the_dateline(text, date):
    assert extract(text, gazetteer=EMPTY, language="en")["event"]["date"] == date


def test_hyphenated_money_and_the_three_parties_and_a_dates_day_are_no_counts():
    text = (
        "Deal\n\nBy Wen Yu | City Daily | 2025-07-12\n\nHaimen People's Government will build a 3.5-billion-yuan "
        "plant. The three parties signed."
    )
    figures = extract(text, gazetteer=EMPTY, language="en")["figures"]
    assert [(f["kind"], f["value"]) for f in figures] == [("money", 3500000000)]


def test_lower_case_posts_after_a_place_and_a_post_of_a_place():
    text = (
        "Songjiang Deal\n\n"
        "The Songjiang District People's Government signed a lease agreement with Tamsen Optics Co., Ltd. Songjiang "
        "party chief Hu Lan attended. Gao Ren, Deputy Mayor of Nantong, also attended."
    )
    result = extract(text, gazetteer=EMPTY)
    assert person(result, "Hu Lan")["titles"] == ["Songjiang party chief"]
    assert person(result, "Hu Lan")["organization"] == "Songjiang District People's Government"
    assert person(result, "Gao Ren")["titles"] == ["Deputy Mayor of Nantong"]


def test_a_country_qualified_post_an_apposition_and_a_signer_known_only_by_whom_they_signed_for():
    text = (
        "Two Deals\n\n"
        "Binhai Plant Leasing Co., Ltd., the developer of the zone, signed a lease agreement with Kestrel Optics Inc., "
        "a subsidiary of Norvik Holdings AB. Ren Bo, the developer's general manager, and Kestrel's China head, "
        "Ana Sola, signed for the two sides. Kestrel Optics Inc. also signed a framework agreement with Haimen Code "
        "Co., Ltd. Chief Executive Ole Berg signed for Kestrel."
    )
    result = extract(text, gazetteer=EMPTY)
    assert person(result, "Ren Bo")["organization"] == "Binhai Plant Leasing Co., Ltd."
    assert person(result, "Ana Sola")["titles"] == ["China head"]
    assert person(result, "Ole Berg")["organization"] == "Kestrel Optics Inc."
    lease = next(a for a in result["agreements"] if a["kind"] == "lease")
    assert lease["parties"] == ["Binhai Plant Leasing Co., Ltd.", "Kestrel Optics Inc."]  # the parent is no party
    assert signed(result) >= {("Ren Bo", "Binhai Plant Leasing Co., Ltd."), ("Ana Sola", "Kestrel Optics Inc.")}


# --- sixth pass (issue 18): English coverage unlike 01-40 of the development set --------------------------------


def test_an_acronym_in_brackets_after_a_name_is_that_organization_later():
    text = (
        "Deal\n\nThe Administrative Committee of Harlow Bay Park (HBPAC) and Ostrel Tools Pte Ltd signed an investment "
        "agreement. Mu Qing, deputy director of HBPAC, signed for the park, and Lena Ortiz, Ostrel's chief executive, "
        "signed for the company. HBPAC said the plant would open in 2027."
    )
    result = extract(text, gazetteer=EMPTY, language="en")
    assert names(result) == {"Administrative Committee of Harlow Bay Park", "Ostrel Tools Pte Ltd"}
    assert person(result, "Mu Qing")["organization"] == "Administrative Committee of Harlow Bay Park"
    assert signed(result) == {
        ("Mu Qing", "Administrative Committee of Harlow Bay Park"),
        ("Lena Ortiz", "Ostrel Tools Pte Ltd"),
    }


def test_an_acronym_ends_a_name_before_and_and_the_next_one():
    text = (
        "Deal\n\nOn May 3, Harlow Marine Gear Group Co., Ltd. (HMG) and the Administrative Committee of Fenlan "
        "Economic and Technological Development Area renewed their strategic cooperation agreement. Wu Jun, "
        "Secretary of the Party Committee and Chairman of HMG, and Ke Lan, Deputy Director of the Administrative "
        "Committee, signed the agreement."
    )
    result = extract(text, gazetteer=EMPTY, language="en")
    committee = "Administrative Committee of Fenlan Economic and Technological Development Area"
    assert names(result) == {"Harlow Marine Gear Group Co., Ltd.", committee}  # no Party committee
    assert person(result, "Wu Jun")["titles"] == ["Secretary of the Party Committee", "Chairman"]
    assert person(result, "Wu Jun")["organization"] == "Harlow Marine Gear Group Co., Ltd."
    assert signed(result) == {("Wu Jun", "Harlow Marine Gear Group Co., Ltd."), ("Ke Lan", committee)}


def test_a_release_translated_from_chinese_comrades_chained_posts_and_post_of_company_then_name():
    text = (
        "Our City Signs Agreement\n\nRelease time: 2025-03-02 Source: Harlow Municipal People's Government "
        "Information Office\n\nThe Harlow Municipal People's Government signed a strategic cooperation framework "
        "agreement with Fenlan Power Technology Co., Ltd. Comrade Wu Jun, Secretary of the Municipal Party Committee, "
        "met the guests. Member of the Standing Committee of the Municipal Party Committee and Executive Vice Mayor "
        "Ke Lan and President of Fenlan Power Technology Co., Ltd. Mu Qing signed the agreement on behalf of both "
        "parties."
    )
    result = extract(text, gazetteer=EMPTY, language="en")
    government = "Harlow Municipal People's Government"
    assert names(result) == {government, "Fenlan Power Technology Co., Ltd."}  # not the Source: line's office
    assert person(result, "Wu Jun")["organization"] == government  # not "Comrade Wu Jun"
    assert person(result, "Ke Lan")["titles"] == [
        "Member of the Standing Committee of the Municipal Party Committee",
        "Executive Vice Mayor",
    ]
    assert person(result, "Mu Qing")["titles"] == ["President"]
    assert signed(result) == {("Ke Lan", government), ("Mu Qing", "Fenlan Power Technology Co., Ltd.")}


def test_foreign_legal_forms_a_regional_post_and_a_side_represented_by():
    text = (
        "Deal\n\nOrvik Antriebe AG has signed an investment agreement with the Administrative Committee of Fenlan "
        "Development Zone. Dr. Jens Roth, Managing Director Asia Pacific of Orvik Antriebe AG, signed on behalf of the "
        "company. The Chinese side was represented by Ms. Ke Lan, Deputy Director of the Administrative Committee. "
        "Skarn Pumper A/S and Tamura Seiki K.K. attended."
    )
    result = extract(text, gazetteer=EMPTY, language="en")
    committee = "Administrative Committee of Fenlan Development Zone"
    assert names(result) == {"Orvik Antriebe AG", committee, "Skarn Pumper A/S", "Tamura Seiki K.K."}
    assert person(result, "Jens Roth")["titles"] == ["Managing Director Asia Pacific"]
    assert signed(result) == {("Jens Roth", "Orvik Antriebe AG"), ("Ke Lan", committee)}


def test_a_post_of_a_short_name_and_of_a_companys_china_operations():
    text = (
        "Deal\n\nSkarn Pumper A/S signed an investment agreement with Fenlan Development Zone Administrative "
        "Committee. Its unit Skarn Pumps (Fenlan) Co., Ltd. will run the plant. The deal was signed by Ida Skarn, "
        "Chairman of the Board and CEO of Skarn Pumper, and Ke Lan, director of the committee. Ole Berg, general "
        "manager of Skarn's China operations, looked on."
    )
    result = extract(text, gazetteer=EMPTY, language="en")
    assert "Skarn Pumper" not in {p["name"] for p in result["people"]}
    assert person(result, "Ida Skarn")["titles"] == ["Chairman of the Board", "CEO"]
    assert person(result, "Ida Skarn")["organization"] == "Skarn Pumper A/S"
    assert person(result, "Ole Berg")["titles"] == ["general manager"]
    assert person(result, "Ole Berg")["organization"] == "Skarn Pumps (Fenlan) Co., Ltd."


def test_initials_a_list_of_signers_each_after_whom_they_signed_for_and_a_korean_name():
    text = (
        "Deal\n\nDaehan Cells Corp. signed a lease agreement with Fenlan Industrial Property Co., Ltd. on Thursday. "
        "Signing for the landlord was its general manager, Mu Qing; for Daehan, executive vice president Park "
        "Min-jun. The founder, K.T. Oh, looked on. Daehan also signed a cooperation agreement with Harlow Battery "
        "Co., Ltd."
    )
    result = extract(text, gazetteer=EMPTY, language="en")
    assert person(result, "Park Min-jun")["titles"] == ["executive vice president"]
    assert "K.T. Oh" in {p["name"] for p in result["people"]}
    lease = next(a for a in result["agreements"] if a["kind"] == "lease")
    assert {(s["person"], s["on_behalf_of"]) for s in lease["signatories"]} == {
        ("Mu Qing", "Fenlan Industrial Property Co., Ltd."),
        ("Park Min-jun", "Daehan Cells Corp."),
    }


def test_signers_named_by_a_lower_case_post_after_their_organizations_kind():
    text = (
        "Pact\n\nThe Fenlan District People's Government, Harlow Energy Research Institute, Ostrel Rural Commercial "
        "Bank Co., Ltd. and Skarn Power Co., Ltd. signed a four-party cooperation agreement. The agreement was signed "
        "by vice district mayor Wu Jun, institute director Professor Ke Lan, bank president Mu Qing and Skarn chairman "
        "Ole Berg."
    )
    result = extract(text, gazetteer=EMPTY, language="en")
    assert person(result, "Ke Lan")["titles"] == ["director", "Professor"]
    assert signed(result) == {
        ("Wu Jun", "Fenlan District People's Government"),
        ("Ke Lan", "Harlow Energy Research Institute"),
        ("Mu Qing", "Ostrel Rural Commercial Bank Co., Ltd."),
        ("Ole Berg", "Skarn Power Co., Ltd."),
    }


def test_credits_after_a_pipe_and_a_photo_caption_that_is_no_credit():
    text = (
        "Pact\n\n2025-09-23 | Reporter: Yan Su | Editor: Bo Hai\n\nHarlow Group Co., Ltd. and Fenlan Bank Co., Ltd. "
        "signed a framework agreement.\n\nPhoto: Wu Jun (right) and Ke Lan exchange the signed agreement."
    )
    bylines = extract(text, gazetteer=EMPTY, language="en")["bylines"]
    assert {(b["name"], b["role"]) for b in bylines} == {("Yan Su", "reporter"), ("Bo Hai", "editor")}


@pytest.mark.parametrize(
    ("text", "date"),
    [
        (
            "Deal\n\nSINGAPORE - Ostrel Pte Ltd and Fenlan Zone Administrative Committee signed a memorandum, Ostrel "
            "said in a filing on Wednesday (Feb 11, 2026). The memorandum was signed at a ceremony in Fenlan on "
            "Tuesday.",
            "2026-02-10",
        ),
        (
            "Deal\n\nKYOTO, July 2, 2025 - Tamura Seiki K.K. said on Wednesday it had signed an investment agreement "
            "online with Fenlan Zone Administrative Committee. The ceremony was held by video on Tuesday.",
            "2025-07-01",
        ),
    ],
)
def test_the_day_a_filing_was_said_and_a_ceremony_held_by_video(text, date):
    assert extract(text, gazetteer=EMPTY, language="en")["event"]["date"] == date


def test_a_conference_story_signers_named_later_with_the_verb_said_once_and_a_memorandum_listed_without_it():
    text = (
        "Fair\n\nThe Fenlan High-tech Zone Administrative Committee signed an investment agreement with Harlow Power "
        "Co., Ltd. at the fair. The Ostrel Municipal People's Government and Skarn Logistics Group Co., Ltd. signed a "
        "strategic cooperation agreement in the afternoon. For that agreement, Ostrel vice mayor Wu Jun signed for "
        "the city and chairman Ke Lan for Skarn. Also on the list was a memorandum between Tamsen Municipal People's "
        "Government and Orvik Chips Co., Ltd. on a testing line."
    )
    result = extract(text, gazetteer=EMPTY, language="en")
    strategic = next(a for a in result["agreements"] if a["kind"] == "strategic")
    assert {(s["person"], s["on_behalf_of"]) for s in strategic["signatories"]} == {
        ("Wu Jun", "Ostrel Municipal People's Government"),
        ("Ke Lan", "Skarn Logistics Group Co., Ltd."),
    }
    memorandum = next(a for a in result["agreements"] if a["kind"] == "memorandum")
    assert memorandum["parties"] == ["Tamsen Municipal People's Government", "Orvik Chips Co., Ltd."]
    assert memorandum["signatories"] == []


def test_two_capitalised_posts_before_a_name_and_a_post_of_a_country_in_a_city():
    text = (
        "Deal\n\nFenlan District People's Government signed a lease agreement with Orvik Tools GmbH. Orvik's Chairman "
        "of the Board and President Jens Roth signed. Present was Consul General of Norway in Chengdu Ida Berg."
    )
    result = extract(text, gazetteer=EMPTY, language="en")
    assert person(result, "Jens Roth")["titles"] == ["Chairman of the Board", "President"]
    assert person(result, "Ida Berg")["titles"] == ["Consul General of Norway in Chengdu"]


@pytest.mark.parametrize(
    "second",
    [
        "On behalf of the district government, Vice Mayor Wu Jun signed the agreement with Ke Lan, chairman of Harlow "
        "Power.",
        "The agreement was signed by Ke Lan for Harlow and Wu Jun for the district government.",
        "Ke Lan signed for Harlow, while Wu Jun represented the district government.",
        "Signatories were Ke Lan, Harlow's chairwoman, and Wu Jun, the district's deputy head.",
    ],
)
def test_whom_each_signer_signed_for_in_the_ways_english_stories_say_it(second):
    text = (
        "Deal\n\nThe Fenlan District People's Government and Harlow Power Co., Ltd. signed an investment agreement on "
        "Monday. " + second
    )
    result = extract(text, gazetteer=EMPTY, language="en")
    assert signed(result) == {
        ("Wu Jun", "Fenlan District People's Government"),
        ("Ke Lan", "Harlow Power Co., Ltd."),
    }


# --- issue 18, seventh pass: how English coverage names the parties and the signers (articles 51-60's ways) ------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Corvina Tiles S.A. signed an investment agreement with the Yuhang District People's Government.",
            "Corvina Tiles S.A.",
        ),
        (
            "Brekke Marine AS signed an investment agreement with the Yuhang District People's Government.",
            "Brekke Marine AS",
        ),
        (
            "Dorsey Snacks plc signed an investment agreement with the Yuhang District People's Government.",
            "Dorsey Snacks plc",
        ),
        (
            "Halme Logistics B.V. signed an investment agreement with the Yuhang District People's Government.",
            "Halme Logistics B.V.",
        ),
    ],
)
def test_legal_forms_of_european_firms_end_their_names(sentence, expected):
    result = extract("Yuhang Deal\n\n" + sentence, gazetteer=EMPTY)
    assert expected in names(result)
    assert next(o for o in result["organizations"] if o["name"] == expected)["kind"] == "enterprise"
    assert {tuple(a["parties"]) for a in result["agreements"]} == {(expected, "Yuhang District People's Government")}


def test_a_nationality_after_and_and_a_country_possessive_are_no_part_of_a_name():
    text = (
        "Lithium deal\n\n"
        "Ganlu Mining Group Co and Finnish cell maker Pohja Cells Oy signed a strategic cooperation agreement on "
        "Monday. Separately, Qingshui Water Group Co., Ltd. inked a deal with Oman's Al-Sahel Pumps Company."
    )
    result = extract(text, gazetteer=EMPTY)
    assert {"Ganlu Mining Group Co", "Al-Sahel Pumps Company"} <= names(result)
    assert not any("Finnish" in n or "Oman" in n for n in names(result))


def test_a_strategic_partnership_is_a_strategic_agreement():
    text = (
        "Partnership\n\n"
        "Vantor Robotics Inc. and the Administrative Committee of Qixia High-tech Zone today announced that they have "
        "entered into a strategic partnership to build a research base."
    )
    [agreement] = extract(text, gazetteer=EMPTY)["agreements"]
    assert agreement["kind"] == "strategic"


def test_names_first_then_their_posts_respectively():
    text = (
        "Desalination deal\n\n"
        "Lushan Water Group Co., Ltd. inked an investment deal with Harran Water Company on Tuesday. The investment "
        "agreement was signed by Sheng Kaiyu and Omar Al-Saadi, chairman of Lushan and chief executive officer of "
        "Harran, respectively."
    )
    result = extract(text, gazetteer=EMPTY)
    lushan, harran = "Lushan Water Group Co., Ltd.", "Harran Water Company"
    assert (person(result, "Sheng Kaiyu")["titles"], person(result, "Sheng Kaiyu")["organization"]) == (
        ["chairman"],
        lushan,
    )
    assert person(result, "Omar Al-Saadi")["titles"] == ["chief executive officer"]
    assert signed(result) == {("Sheng Kaiyu", lushan), ("Omar Al-Saadi", harran)}


def test_a_photo_caption_with_left_and_right_names_the_signers():
    text = (
        "Battery pact\n\n"
        "Ma Ruolan (right), chairman of Tonggu Lithium Group Co, and Eira Dahl (left), vice-president of Skarv "
        "Batteries AS, exchange documents after signing the agreement in Yichun on Monday. [Photo provided]\n\n"
        "Tonggu Lithium Group Co and Skarv Batteries AS on Monday signed a strategic cooperation agreement."
    )
    result = extract(text, gazetteer=EMPTY)
    [agreement] = result["agreements"]
    assert agreement["kind"] == "strategic"
    assert person(result, "Ma Ruolan")["titles"] == ["chairman"]
    assert signed(result) == {("Ma Ruolan", "Tonggu Lithium Group Co"), ("Eira Dahl", "Skarv Batteries AS")}


def test_signing_parties_and_signatories_as_bulleted_lists():
    text = (
        "Port cooperation\n\n"
        "The signing ceremony for cooperation between Rugao Port Group Co., Ltd. and Scheldt Shipping B.V. was held "
        "in Rugao on July 8.\n\n"
        "Signing parties:\n- Rugao Port Group Co., Ltd.\n- Scheldt Shipping B.V.\n\n"
        "Signatories:\n- Mr. Tang Yiming, President, Rugao Port Group Co., Ltd.\n"
        "- Mr. Joost Maes, Chief Executive Officer, Scheldt Shipping B.V.\n\n"
        "Witnesses:\n- Mr. Bai Lun, Vice Mayor of Rugao\n"
    )
    result = extract(text, gazetteer=EMPTY)
    rugao, scheldt = "Rugao Port Group Co., Ltd.", "Scheldt Shipping B.V."
    [agreement] = result["agreements"]
    assert agreement["kind"] == "framework" and set(agreement["parties"]) == {rugao, scheldt}
    assert person(result, "Tang Yiming")["organization"] == rugao
    assert signed(result) == {("Tang Yiming", rugao), ("Joost Maes", scheldt)}


def test_bulleted_agreements_of_two_kinds_and_both_signed_by_the_same_two():
    text = (
        "Two agreements\n\n"
        "Corvus Holdings Limited today announced that its subsidiary, Corvus Optics (Wuxi) Co., Ltd., has entered "
        "into two agreements with the Administrative Committee of Xishan Economic Development Zone:\n\n"
        "- an investment agreement for an optical module plant; and\n"
        "- a lease agreement for 8,000 square meters of standard plant.\n\n"
        "Both agreements were signed on May 6 by Mr. Ye Haoran, General Manager of Corvus Optics (Wuxi) Co., Ltd., "
        "and Ms. Qin Lu, Deputy Director of the Administrative Committee."
    )
    result = extract(text, gazetteer=EMPTY)
    unit, committee = "Corvus Optics (Wuxi) Co., Ltd.", "Administrative Committee of Xishan Economic Development Zone"
    assert sorted(a["kind"] for a in result["agreements"]) == ["investment", "lease"]
    for agreement in result["agreements"]:
        assert set(agreement["parties"]) == {unit, committee}
        assert {(s["person"], s["on_behalf_of"]) for s in agreement["signatories"]} == {
            ("Ye Haoran", unit),
            ("Qin Lu", committee),
        }


def test_our_ceo_is_the_posting_companys_and_a_possessive_post_of_two_qualifying_words():
    text = (
        "Big day\n\n"
        "Today Tidewell Analytics LLC signed a Memorandum of Understanding with the Management Committee of Nanhu "
        "Science City. Our co-founder and CEO, Ola Ferris, signed for Tidewell, and Ms. Ren Jia, Deputy Director of "
        "the Management Committee, signed on behalf of the Science City. Thanks to Kong Lei, the committee's "
        "investment promotion director, whose team made it happen."
    )
    result = extract(text, gazetteer=EMPTY)
    tidewell, committee = "Tidewell Analytics LLC", "Management Committee of Nanhu Science City"
    ola = person(result, "Ola Ferris")
    assert (ola["titles"], ola["organization"]) == (["co-founder", "CEO"], tidewell)
    kong = person(result, "Kong Lei")
    assert (kong["titles"], kong["organization"]) == (["investment promotion director"], committee)
    assert signed(result) == {("Ola Ferris", tidewell), ("Ren Jia", committee)}


def test_a_place_before_a_lower_case_district_post_and_a_commission_post():
    text = (
        "Three-way pact\n\n"
        "The Minhang Science and Technology Commission, Hongqiao Group Co., Ltd., and Almira Bio S.A. signed a "
        "framework agreement on Tuesday. Representatives of the three parties - commission deputy director Fan Qi, "
        "Hongqiao Group vice president Lu Yan and Almira Bio's chief scientific officer, Dr. Ines Vidal - signed the "
        "agreement, witnessed by Minhang deputy district mayor Yao Bin."
    )
    result = extract(text, gazetteer=EMPTY)
    commission = "Minhang Science and Technology Commission"
    assert person(result, "Yao Bin")["titles"] == ["Minhang deputy district mayor"]
    assert person(result, "Fan Qi")["organization"] == commission
    assert signed(result) == {
        ("Fan Qi", commission),
        ("Lu Yan", "Hongqiao Group Co., Ltd."),
        ("Ines Vidal", "Almira Bio S.A."),
    }


def test_the_day_a_signing_ceremony_between_two_firms_was_held_and_a_bare_reporters_name_on_the_dated_line():
    text = (
        "Port cooperation\n\n"
        "Shine | Hou Lin | 2025-07-09\n\n"
        "The signing ceremony for cooperation between Rugao Port Group Co., Ltd. and Scheldt Shipping B.V. was held "
        "in Rugao on July 8."
    )
    result = extract(text, gazetteer=EMPTY)
    assert result["event"]["date"] == "2025-07-08"
    assert [(b["name"], b["role"]) for b in result["bylines"]] == [("Hou Lin", "reporter")]


def test_a_new_area_party_secretary_is_of_its_committee_and_a_district_mayor_not_of_a_commission():
    text = (
        "New area deal\n\n"
        "Vantor Robotics Inc. and the Administrative Committee of Nanjing Jiangbei New Area signed a strategic "
        "partnership agreement. Jiangbei New Area Party Secretary Hua Ning attended. The Pudong New Area Science and "
        "Technology Commission also signed, witnessed by Pudong deputy district mayor Jin Qiao."
    )
    result = extract(text, gazetteer=EMPTY)
    hua = person(result, "Hua Ning")
    assert (hua["titles"], hua["organization"]) == (
        ["Jiangbei New Area Party Secretary"],
        "Administrative Committee of Nanjing Jiangbei New Area",
    )
    assert person(result, "Jin Qiao")["organization"] is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Orsolo Pumps GmbH's chairman Udo Brandt and Qinhe Battery Co., Ltd.'s CEO Pan Ruiqi put pen to paper on a "
            "strategic cooperation agreement on Monday.",
            {("Udo Brandt", "Orsolo Pumps GmbH"), ("Pan Ruiqi", "Qinhe Battery Co., Ltd.")},
        ),
        (
            "Orsolo Pumps GmbH and Qinhe Battery Co., Ltd. signed an investment agreement on Monday. The agreement was "
            "signed by Udo Brandt on behalf of Orsolo Pumps GmbH and Pan Ruiqi for Qinhe Battery Co., Ltd.",
            {("Udo Brandt", "Orsolo Pumps GmbH"), ("Pan Ruiqi", "Qinhe Battery Co., Ltd.")},
        ),
        (
            "Orsolo Pumps GmbH and Qinhe Battery Co., Ltd. signed a supply agreement on Monday. Signing the deal were "
            "Udo Brandt, Orsolo CEO, and Pan Ruiqi, Qinhe chairman.",
            {("Udo Brandt", "Orsolo Pumps GmbH"), ("Pan Ruiqi", "Qinhe Battery Co., Ltd.")},
        ),
        (
            "Qinhe Battery Co., Ltd. and Orsolo Pumps GmbH signed a memorandum of understanding on Monday. The MoU was "
            "signed by Qinhe president Pan Ruiqi and Udo Brandt, the German company's chief executive.",
            {("Udo Brandt", "Orsolo Pumps GmbH"), ("Pan Ruiqi", "Qinhe Battery Co., Ltd.")},
        ),
    ],
)
def test_more_ways_english_coverage_says_who_signed_for_whom(text, expected):
    result = extract("Pump deal\n\n" + text, gazetteer=EMPTY)
    assert names(result) == {"Orsolo Pumps GmbH", "Qinhe Battery Co., Ltd."}
    assert signed(result) == expected


def test_representatives_of_two_firms_signed_and_a_lower_case_county_government():
    text = (
        "Plant deal\n\n"
        "Representatives of Orsolo Pumps GmbH and Qinhe Battery Co., Ltd. signed a framework agreement on Monday. "
        "Orsolo Pumps GmbH also signed an investment agreement with Chuzhou's Lai'an county government. Orsolo chief "
        "executive Udo Brandt signed the agreement with Lai'an county head Wei Dongsheng."
    )
    result = extract(text, gazetteer=EMPTY)
    county = "Lai'an county government"
    assert names(result) == {"Orsolo Pumps GmbH", "Qinhe Battery Co., Ltd.", county}
    framework, investment = result["agreements"]
    assert set(framework["parties"]) == {"Orsolo Pumps GmbH", "Qinhe Battery Co., Ltd."}
    assert set(investment["parties"]) == {"Orsolo Pumps GmbH", county}
    assert person(result, "Wei Dongsheng")["organization"] == county
    assert signed(result) == {("Udo Brandt", "Orsolo Pumps GmbH"), ("Wei Dongsheng", county)}


@pytest.mark.parametrize(
    "sentence",
    [
        "Chairman of Orsolo Pumps GmbH, Udo Brandt, and President of Qinhe Battery Co., Ltd., Pan Ruiqi, signed the "
        "agreement.",
        "Udo Brandt (chairman of Orsolo) and Pan Ruiqi (president of Qinhe) signed the agreement.",
        "Pan Ruiqi, Qinhe's president, and Udo Brandt, Orsolo Pumps' chairman, signed the agreement.",
    ],
)
def test_posts_before_the_name_between_commas_in_brackets_and_after_a_bare_apostrophe(sentence):
    text = (
        "Pump deal\n\nOrsolo Pumps GmbH and Qinhe Battery Co., Ltd. signed an investment agreement on Monday. "
        + sentence
    )
    result = extract(text, gazetteer=EMPTY)
    assert [t.casefold() for t in person(result, "Udo Brandt")["titles"]] == ["chairman"]
    assert signed(result) == {("Udo Brandt", "Orsolo Pumps GmbH"), ("Pan Ruiqi", "Qinhe Battery Co., Ltd.")}


@pytest.mark.parametrize(
    "text",
    [
        "Orsolo Pumps GmbH signed an investment agreement with Qinhe Battery Co., Ltd. on Monday. Pan Ruiqi, chairman "
        "of Qinhe, signed on its behalf, and Udo Brandt signed for Orsolo.",
        "Orsolo Pumps GmbH inked an investment agreement with Qinhe Battery Co., Ltd. on Monday, with Orsolo CEO Udo "
        "Brandt and Qinhe chairman Pan Ruiqi signing for their companies.",
        "Under the investment agreement, signed on Monday by Udo Brandt, Orsolo Pumps GmbH's CEO, and Pan Ruiqi, "
        "chairman of Qinhe Battery Co., Ltd., Orsolo will build a plant.",
    ],
)
def test_on_its_behalf_signing_for_their_companies_and_a_possessive_after_a_legal_form(text):
    result = extract("Pump deal\n\n" + text, gazetteer=EMPTY)
    assert names(result) == {"Orsolo Pumps GmbH", "Qinhe Battery Co., Ltd."}
    assert signed(result) == {("Udo Brandt", "Orsolo Pumps GmbH"), ("Pan Ruiqi", "Qinhe Battery Co., Ltd.")}


@pytest.mark.parametrize(
    "sentence",
    [
        "Signing the agreement on behalf of Orsolo was its president Udo Brandt, while Pan Ruiqi signed for Qinhe.",
        "Udo Brandt, representing Orsolo, and Pan Ruiqi, representing Qinhe, signed the agreement.",
        "Udo Brandt of Orsolo and Pan Ruiqi of Qinhe signed the agreement.",
        "The document was signed by Orsolo Pumps president Udo Brandt and, for Qinhe, by chairman Pan Ruiqi.",
    ],
)
def test_representing_of_and_for_x_by_say_each_signers_side(sentence):
    text = (
        "Pump deal\n\nOrsolo Pumps GmbH and Qinhe Battery Co., Ltd. signed an investment agreement on Monday. "
        + sentence
    )
    result = extract(text, gazetteer=EMPTY)
    orsolo, qinhe = "Orsolo Pumps GmbH", "Qinhe Battery Co., Ltd."
    assert signed(result) == {("Udo Brandt", orsolo), ("Pan Ruiqi", qinhe)}
    assert (person(result, "Udo Brandt")["organization"], person(result, "Pan Ruiqi")["organization"]) == (
        orsolo,
        qinhe,
    )


@pytest.mark.parametrize(
    "sentences",
    [
        # the signers present before the verb: "The two signed ..."
        "Present at the ceremony were Mr. Udo Brandt, president of Orsolo Pumps GmbH, and Ms. Pan Ruiqi, chairman "
        "of Qinhe Battery Co., Ltd. The two signed the agreement after a tour of the site.",
        # "The deal was sealed by A and B"
        "The deal was sealed by Orsolo's president, Udo Brandt, and Qinhe chairman Pan Ruiqi.",
        # a gapped "for" after an appositive: "and Mr. B, the bank's chairman, for Qinhe"
        "Udo Brandt, Orsolo's president, signed for the company and Ms. Pan Ruiqi, the firm's chairman, for Qinhe.",
    ],
)
def test_the_two_signed_sealed_by_and_a_gapped_for_after_an_appositive(sentences):
    text = (
        "Pump deal\n\nOrsolo Pumps GmbH and Qinhe Battery Co., Ltd. signed an investment agreement on Monday. "
        + sentences
    )
    result = extract(text, gazetteer=EMPTY)
    assert signed(result) == {("Udo Brandt", "Orsolo Pumps GmbH"), ("Pan Ruiqi", "Qinhe Battery Co., Ltd.")}


def test_a_person_who_shares_the_companys_name_does_not_sign_in_its_place():
    text = (
        "Pump deal\n\nThe Xiting District People's Government and Brandt Pumps S.p.A. signed an investment agreement "
        "on Monday. The deal was sealed by district head Pan Ruiqi and Brandt's finance director, Udo Keller. "
        '"We wanted to be close to our customers," said Keller, who inked the deal on behalf of Brandt. '
        "Brandt's founder, Ilse Brandt, sent a video message."
    )
    result = extract(text, gazetteer=EMPTY)
    assert "Brandt Pumps S.p.A." in names(result)
    assert signed(result) == {
        ("Pan Ruiqi", "Xiting District People's Government"),
        ("Udo Keller", "Brandt Pumps S.p.A."),
    }


def test_a_memorandum_with_a_party_named_in_the_next_sentence():
    text = (
        "Training deal\n\n"
        '"We want our engineers next to our customers," said Mr. Udo Brandt, who signed the memorandum for Orsolo '
        "Pumps GmbH on Monday. The memorandum with the Xiting District People's Government covers a training center."
    )
    result = extract(text, gazetteer=EMPTY)
    [agreement] = result["agreements"]
    assert agreement["kind"] == "memorandum"
    assert set(agreement["parties"]) == {"Orsolo Pumps GmbH", "Xiting District People's Government"}
    assert ("Udo Brandt", "Orsolo Pumps GmbH") in signed(result)


def test_signed_by_a_of_a_long_institute_name_and_b_of_a_short_form():
    text = (
        "Training deal\n\nQinhe Battery Co., Ltd. hired its first apprentices on Monday, its general manager, "
        "Pan Ruiqi, said. A memorandum on training was also signed. The documents were signed by Song Weiping of "
        "Xiting Institute of Battery Technology and Pan Ruiqi of Qinhe."
    )
    result = extract(text, gazetteer=EMPTY)
    assert "Xiting Institute of Battery Technology" in names(result)
    assert not any("Song" in name for name in names(result))
    assert person(result, "Song Weiping")["organization"] == "Xiting Institute of Battery Technology"
    assert signed(result) == {
        ("Song Weiping", "Xiting Institute of Battery Technology"),
        ("Pan Ruiqi", "Qinhe Battery Co., Ltd."),
    }


def test_a_translated_release_puts_the_bureau_before_the_pinyin_name():
    text = (
        "Our city signs projects\n\nAmong them, Director of the Xiting Municipal Bureau of Commerce Pan Ruiqi and "
        "Chairman of Qinhe Battery Co., Ltd. Song Weiping signed an investment agreement. Director of the Xiting "
        "Municipal Bureau of Industry and Information Technology Lu Kai and Chairman of Orsolo Pumps Co., Ltd. "
        "Gao Fei signed a framework agreement."
    )
    result = extract(text, gazetteer=EMPTY)
    commerce = "Xiting Municipal Bureau of Commerce"
    industry = "Xiting Municipal Bureau of Industry and Information Technology"
    assert names(result) == {commerce, industry, "Qinhe Battery Co., Ltd.", "Orsolo Pumps Co., Ltd."}
    assert person(result, "Pan Ruiqi")["organization"] == commerce
    assert person(result, "Lu Kai")["organization"] == industry
    assert signed(result) == {
        ("Pan Ruiqi", commerce),
        ("Song Weiping", "Qinhe Battery Co., Ltd."),
        ("Lu Kai", industry),
        ("Gao Fei", "Orsolo Pumps Co., Ltd."),
    }


def test_a_translated_release_with_two_posts_before_two_names_joined_by_and():
    text = (
        "Deal\n\nDirector of the Xiting Municipal Bureau of Commerce Pan Ruiqi and Vice President of Lindqvist "
        "Marine AB Erik Sandberg signed a framework agreement."
    )
    result = extract(text, gazetteer=EMPTY)
    assert person(result, "Erik Sandberg")["titles"] == ["Vice President"]
    assert signed(result) == {
        ("Pan Ruiqi", "Xiting Municipal Bureau of Commerce"),
        ("Erik Sandberg", "Lindqvist Marine AB"),
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "Inking the deal were Brandt and Pan.",
        "Orsolo was represented at the signing by Brandt and Qinhe by Pan.",
        "Brandt and Pan put their signatures to the agreement.",
        "Brandt and Pan penned the agreement.",
        "The agreement bears the signatures of Brandt and Pan.",
        "Brandt and Pan were the signatories.",
        "Brandt and Pan affixed their signatures.",
        "Brandt and Pan executed the agreement.",
        "The signing was done by Brandt and Pan.",
        "Brandt signed on behalf of Orsolo; Pan did so for Qinhe.",
        "Brandt signed for Orsolo, as did Pan for Qinhe.",
    ],
)
def test_more_words_for_signing_after_the_signers_were_introduced(sentence):
    text = (
        "Pump deal\n\nOrsolo Pumps GmbH and Qinhe Battery Co., Ltd. signed an investment agreement on Monday. "
        "Orsolo's president, Udo Brandt, and Qinhe's chairman, Pan Ruiqi, toured the site. " + sentence
    )
    result = extract(text, gazetteer=EMPTY)
    assert signed(result) == {("Udo Brandt", "Orsolo Pumps GmbH"), ("Pan Ruiqi", "Qinhe Battery Co., Ltd.")}


def test_mr_and_a_surname_is_a_person_named_before_not_a_new_name():
    text = (
        "Pump deal\n\nOrsolo Pumps GmbH and Qinhe Battery Co., Ltd. signed an investment agreement on Monday. "
        "Orsolo's president, Udo Brandt, and Qinhe's chairman, Pan Ruiqi, toured the site. Mr Brandt signed for "
        "the company. Ms Pan signed for Qinhe."
    )
    result = extract(text, gazetteer=EMPTY)
    assert not any(p["name"].startswith(("Mr", "Ms")) for p in result["people"])
    assert signed(result) == {("Udo Brandt", "Orsolo Pumps GmbH"), ("Pan Ruiqi", "Qinhe Battery Co., Ltd.")}


@pytest.mark.parametrize(
    "sentence",
    [
        "Udo Brandt from Orsolo and Pan Ruiqi from Qinhe signed the agreement.",
        "Udo Brandt, who heads Orsolo, and Pan Ruiqi, who chairs Qinhe, signed the agreement.",
        "Signatories were Udo Brandt for Orsolo and Pan Ruiqi for Qinhe.",
        "Udo Brandt, Orsolo's chief executive, put pen to paper alongside Pan Ruiqi, Qinhe's chairman.",
    ],
)
def test_signers_from_a_company_listed_as_signatories_or_signing_alongside(sentence):
    text = "Pump deal\n\nOrsolo Pumps GmbH and Qinhe Battery Co., Ltd. signed an investment agreement on Monday. "
    result = extract(text + sentence, gazetteer=EMPTY)
    assert signed(result) == {("Udo Brandt", "Orsolo Pumps GmbH"), ("Pan Ruiqi", "Qinhe Battery Co., Ltd.")}


def test_numbered_agreement_blocks_with_parties_and_signing_lines():
    text = (
        "Two deals at the spring fair\n\nTwo agreements were signed on Friday at the fair, the Tonglu Fair "
        "Office said. The agreements:\n\n"
        "Agreement 1: Equity investment agreement\n"
        "Parties: Tonglu Seed Fund (Limited Partnership); Marrow Biotech (Hangzhou) Co., Ltd.\n"
        "Signing: Lou Kejia, managing partner, for the fund; Dr. Ines P. Varga, chief executive officer, for Marrow\n\n"
        "Agreement 2: Lease agreement\n"
        "Parties: Tonglu Estate Management Co., Ltd.; Kelvar Tools Co., Ltd.\n"
        "Signing: Fei Dan, deputy general manager, for the landlord; Qu Wenhao, chairman, for Kelvar\n"
    )
    result = extract(text, gazetteer=EMPTY)
    agreements = [(a["kind"], a["parties"]) for a in result["agreements"]]
    assert agreements == [
        ("investment", ["Tonglu Seed Fund (Limited Partnership)", "Marrow Biotech (Hangzhou) Co., Ltd."]),
        ("lease", ["Tonglu Estate Management Co., Ltd.", "Kelvar Tools Co., Ltd."]),
    ]
    assert signed(result) == {
        ("Lou Kejia", "Tonglu Seed Fund (Limited Partnership)"),
        ("Ines P. Varga", "Marrow Biotech (Hangzhou) Co., Ltd."),
        ("Fei Dan", "Tonglu Estate Management Co., Ltd."),
        ("Qu Wenhao", "Kelvar Tools Co., Ltd."),
    }


def test_a_translated_release_with_witnesses_first_and_posts_before_names():
    text = (
        "Fenlan signs with Marlow Power\n\nOn May 8, 2026, Fenlan District held a signing ceremony for strategic "
        'cooperation with Marlow Power Technology Co., Ltd. (hereinafter referred to as "Marlow Power"), a subsidiary '
        "of Hong Kong-listed Marlow Holdings Limited.\n\nWitnessed by Secretary of the Fenlan District Party Committee "
        "Qiu Dejun and Chairman of Marlow Holdings Limited Brian Yip Tsz-kin, Deputy District Mayor Shi Lanfang and "
        "President of Marlow Power Ding Ka-wai signed the strategic cooperation agreement on behalf of the Fenlan "
        "District People's Government and Marlow Power.\n\nAt the same ceremony, Director of the Fenlan District "
        "Commerce Bureau Geng Rui and Vice President of Marlow Power Lam Chi-fung signed the 1-billion-yuan project "
        "investment agreement."
    )
    result = extract(text, gazetteer=EMPTY)
    people = {p["name"]: (p["titles"], p["organization"]) for p in result["people"]}
    assert people["Brian Yip Tsz-kin"] == (["Chairman"], "Marlow Holdings Limited")
    assert people["Geng Rui"] == (["Director"], "Fenlan District Commerce Bureau")
    assert "Fenlan District Commerce Bureau" in names(result)
    assert [a["parties"] for a in result["agreements"]] == [
        ["Marlow Power Technology Co., Ltd.", "Fenlan District People's Government"],
        ["Fenlan District Commerce Bureau", "Marlow Power Technology Co., Ltd."],
    ]
    assert signed(result) == {
        ("Shi Lanfang", "Fenlan District People's Government"),
        ("Ding Ka-wai", "Marlow Power Technology Co., Ltd."),
        ("Geng Rui", "Fenlan District Commerce Bureau"),
        ("Lam Chi-fung", "Marlow Power Technology Co., Ltd."),
    }


def test_witnesses_named_first_after_a_dateline_do_not_sign():
    text = (
        "Battery plant\n\nTAICANG, Nov 6, 2026 -- Witnessed by Taicang Party Secretary Mo Zhenyu and Vantor chairman "
        "Hsu Ming-che, Jin Rao, deputy director of the Taicang Port Administrative Committee, and Peter K. Lo, senior "
        "vice president of Vantor Power Corp., signed the project agreement on Thursday."
    )
    result = extract(text, gazetteer=EMPTY)
    assert signed(result) == {
        ("Jin Rao", "Taicang Port Administrative Committee"),
        ("Peter K. Lo", "Vantor Power Corp."),
    }


def test_signers_from_and_at_their_organizations_with_posts_said_later():
    text = (
        "Fenglin lands sensor plant\n"
        "\n"
        "The Fenglin District People's Government and Corvath Messtechnik GmbH, a Munich maker of gauges, signed "
        "an investment agreement on Monday.\n"
        "\n"
        "Wen Li from the Fenglin District Investment Promotion Center and Karl F. Abt at Corvath signed the "
        "agreement on behalf of the district government and the company. Wen is the center's deputy director; Abt "
        "is Corvath's vice president for Asia.\n"
        "\n"
        "Also signed on Monday was a lease between Corvath and Fenglin Industrial Park Development Co., Ltd., "
        "which lets the company start early. Ding Rong from the park company and Abt signed the lease.\n"
    )
    result = extract(text, gazetteer=EMPTY)
    people = {p["name"]: (p["titles"], p["organization"]) for p in result["people"]}
    assert people["Wen Li"] == (["deputy director"], "Fenglin District Investment Promotion Center")
    assert people["Karl F. Abt"] == (["vice president for Asia"], "Corvath Messtechnik GmbH")
    assert people["Ding Rong"] == ([], "Fenglin Industrial Park Development Co., Ltd.")
    assert [a["parties"] for a in result["agreements"]] == [
        ["Fenglin District People's Government", "Corvath Messtechnik GmbH"],
        ["Corvath Messtechnik GmbH", "Fenglin Industrial Park Development Co., Ltd."],
    ]
    assert signed(result) == {
        ("Wen Li", "Fenglin District People's Government"),
        ("Karl F. Abt", "Corvath Messtechnik GmbH"),
        ("Ding Rong", "Fenglin Industrial Park Development Co., Ltd."),
    }


def test_signers_introduced_first_then_signing_by_surname_and_a_second_agreement_by_possessives():
    text = (
        "Wuhu zone signs with Korean group's unit\n\nWUHU, Oct 20, 2026 -- The Administrative Committee of Wuhu "
        "Optics Valley and Hanul Devices (Wuhu) Co., Ltd., the Chinese subsidiary of South Korea's Hanul Devices Co., "
        "Ltd., signed an investment agreement on Monday.\n\nDing Meiling, deputy director of the Administrative "
        "Committee of Wuhu Optics Valley, led the talks. Choi Min-seok runs the Wuhu subsidiary as its president.\n\n"
        "Later, Ding and Choi signed the agreement, watched by Hanul's chairman, Yoon Tae-ho.\n\nA second agreement, "
        "on equity investment, was signed by Jiuhe's Lu Bo and Hanul Wuhu's Seo Ji-ah. Under it, Wuhu Jiuhe Venture "
        "Capital Co., Ltd. will put 300 million yuan into the Wuhu subsidiary."
    )
    result = extract(text, gazetteer=EMPTY)
    unit, parent, zone = (
        "Hanul Devices (Wuhu) Co., Ltd.",
        "Hanul Devices Co., Ltd.",
        "Administrative Committee of Wuhu Optics Valley",
    )
    people = {p["name"]: (p["titles"], p["organization"]) for p in result["people"]}
    assert people["Choi Min-seok"] == (["president"], unit)
    assert people["Yoon Tae-ho"] == (["chairman"], parent)
    assert [sorted(a["parties"]) for a in result["agreements"]] == [
        sorted([zone, unit]),
        sorted(["Wuhu Jiuhe Venture Capital Co., Ltd.", unit]),
    ]
    assert signed(result) == {
        ("Ding Meiling", zone),
        ("Choi Min-seok", unit),
        ("Lu Bo", "Wuhu Jiuhe Venture Capital Co., Ltd."),
        ("Seo Ji-ah", unit),
    }


def test_a_signatories_list_with_each_side_in_brackets_and_a_post_said_by_possessive():
    text = (
        "Welsh biotech picks Mianyang\n\nMIANYANG, Aug 28, 2026 -- Tregaron Cells Ltd will build a plant in Mianyang "
        "under a project agreement signed on Thursday with the Administrative Committee of Mianyang Kechuang Park "
        '(hereinafter "Kechuang Committee"). The site will cover 60 mu, said Su Lan, the committee\'s deputy '
        "director. Tregaron's chief operating officer, Owen R. Price, spoke.\n\nAt the same ceremony, Baywater "
        "Capital Limited signed an equity investment agreement with Mianyang Kechuang Fund Management Co., Ltd. "
        '(hereinafter "Kechuang Fund"). Yao Qing is the Kechuang Fund\'s chairman.\n\n'
        "Signatories:\n"
        "Project agreement - Su Lan (Kechuang Committee) and Owen R. Price (Tregaron)\n"
        "Equity investment agreement - Ho Wai-man (Baywater) and Yao Qing (Kechuang Fund)\n"
    )
    result = extract(text, gazetteer=EMPTY)
    committee, fund = (
        "Administrative Committee of Mianyang Kechuang Park",
        "Mianyang Kechuang Fund Management Co., Ltd.",
    )
    assert (person(result, "Yao Qing")["titles"], person(result, "Yao Qing")["organization"]) == (["chairman"], fund)
    assert signed(result) == {
        ("Su Lan", committee),
        ("Owen R. Price", "Tregaron Cells Ltd"),
        ("Ho Wai-man", "Baywater Capital Limited"),
        ("Yao Qing", fund),
    }


def test_hereafter_short_forms_and_passive_signers_on_behalf_of_each_side():
    text = (
        "Lab in Fuyang\n\nHANGZHOU, June 4, 2026 -- A joint laboratory will open under a framework agreement signed "
        "on Wednesday.\n\nThe parties are the Fuyang District People's Government, the Innovation Office of Fuchun "
        'University (hereafter "the Office") and Ostrand Surgical B.V. (hereafter "Ostrand"), which is based in '
        "Utrecht.\n\nOn behalf of the district government, the agreement was signed by deputy district mayor Gu Lan; "
        "on behalf of the Office, by its director, Professor Rao Jiming; and on behalf of Ostrand, by its chief "
        "technology officer, Jeroen Smit.\n\nFuchun University's vice president, Professor Bi Wen, attended."
    )
    result = extract(text, gazetteer=EMPTY)
    office = "Innovation Office of Fuchun University"
    assert {office, "Fuchun University"} <= names(result)
    assert person(result, "Bi Wen")["organization"] == "Fuchun University"
    assert signed(result) == {
        ("Gu Lan", "Fuyang District People's Government"),
        ("Rao Jiming", office),
        ("Jeroen Smit", "Ostrand Surgical B.V."),
    }


def test_a_numbered_list_with_a_short_name_in_brackets_a_joint_venture_and_a_memorandum_of_two():
    text = (
        "Lianhua signs four deals\n\nFOSHAN, Sept 16, 2026 -- Lianhua district signed four agreements on Tuesday. "
        "They were:\n"
        "1. An investment agreement between the Lianhua District People's Government, Foshan Hegang Power Group "
        "Co., Ltd. (Hegang) and Ventolis SAS of Nantes, signed by deputy district mayor Qin Lu, Hegang chairman "
        "Zeng Hua and Ventolis chief executive Agathe Morel.\n"
        "2. A lease between Foshan Lianhua Wind Technology Co., Ltd., the joint venture Hegang and Ventolis are "
        "setting up, and Lianhua Park Operation Co., Ltd., a Hegang subsidiary, for plant space. Paul R. Girard, who "
        "will be the joint venture's general manager, signed for it; Mak Wing-yee, general manager of the park "
        "company, signed for the landlord.\n"
        "3. A memorandum between Ventolis and the Lianhua Wind Energy Research Institute on blades.\n"
    )
    result = extract(text, gazetteer=EMPTY)
    venture, park = "Foshan Lianhua Wind Technology Co., Ltd.", "Lianhua Park Operation Co., Ltd."
    assert {"Ventolis SAS", "Lianhua Wind Energy Research Institute"} <= names(result)
    assert person(result, "Zeng Hua")["organization"] == "Foshan Hegang Power Group Co., Ltd."
    assert person(result, "Paul R. Girard")["titles"] == ["general manager"]
    lease = next(a for a in result["agreements"] if a["kind"] == "lease")
    assert set(lease["parties"]) == {venture, park}  # not Hegang nor Ventolis, named in the descriptions
    memorandum = next(a for a in result["agreements"] if a["kind"] == "memorandum")
    assert set(memorandum["parties"]) == {"Ventolis SAS", "Lianhua Wind Energy Research Institute"}
    assert signed(result) >= {("Paul R. Girard", venture), ("Mak Wing-yee", park), ("Agathe Morel", "Ventolis SAS")}


def test_possessive_posts_without_commas_a_branch_and_a_signer_of_the_park_company():
    text = (
        "Durian farm in Tianjin\n\nTIANJIN - Singapore's Kallang Greens Pte. Ltd. signed an investment agreement "
        "with the Binhai Agri Park Administrative Committee on Wednesday. The committee's deputy director Pei Rong "
        "and Kallang Greens' group chief executive Lim Wee Kiat signed the agreement.\n\nKallang Greens also signed "
        "a lease with Binhai Agri Property Co., Ltd. The lease was signed by Tan Mei Xin, general manager of Kallang "
        "Greens, and Jia Ning of the park company.\n\nAt the same event, the Tianjin Branch of Haihe Bank Co., Ltd. "
        "signed a cooperation agreement with Binhai Vocational Institute. The institute's vice president, Wei Dong, "
        "and the branch's vice president, Zhu Xiaoyun, signed that agreement."
    )
    result = extract(text, gazetteer=EMPTY)
    kallang, branch = "Kallang Greens Pte. Ltd.", "Tianjin Branch of Haihe Bank Co., Ltd."
    assert person(result, "Lim Wee Kiat")["organization"] == kallang
    assert signed(result) == {
        ("Pei Rong", "Binhai Agri Park Administrative Committee"),
        ("Lim Wee Kiat", kallang),
        ("Tan Mei Xin", kallang),
        ("Jia Ning", "Binhai Agri Property Co., Ltd."),
        ("Wei Dong", "Binhai Vocational Institute"),
        ("Zhu Xiaoyun", branch),
    }


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Hanjiang Institute of Financial Technology", "university"),
        ("Bank of Hanjiang", "financial"),
        ("Hanjiang Branch of Qiyun Bank Co., Ltd.", "financial"),
        ("Hanjiang District Investment Promotion Center", "government"),
        ("Ventolis SAS", "enterprise"),
    ],
)
def test_the_kind_follows_the_head_of_an_english_name(name, kind):
    from parkos.intake.extraction.organizations import kind_of

    assert kind_of(name, "en") == kind


def test_a_dash_list_of_signers_gives_each_post_and_organization():
    text = (
        "Vogt Pumps signs with Kiel zone\n\nNINGBO, 3 March 2026 - Vogt Pumps GmbH and the Administrative Committee "
        "of Beilun Harbour Zone signed an investment agreement by video link on Monday.\n\nTwo people signed:\n\n"
        "- Dr. Anna Vogt - chief executive officer, Vogt Pumps GmbH - signed from Kiel;\n"
        "- Lou Fangqi - deputy director, Administrative Committee of Beilun Harbour Zone - signed in Ningbo.\n"
    )
    result = extract(text, gazetteer=EMPTY)
    vogt = person(result, "Anna Vogt")
    assert set(vogt["titles"]) == {"chief executive officer", "Dr."}
    assert vogt["organization"] == "Vogt Pumps GmbH"
    assert signed(result) == {
        ("Anna Vogt", "Vogt Pumps GmbH"),
        ("Lou Fangqi", "Administrative Committee of Beilun Harbour Zone"),
    }


def test_a_post_and_its_organization_in_brackets_after_the_name():
    text = (
        "Fund signs\n\nSHANGHAI, May 4, 2026 - The Minhang Commission of Commerce and Tallis Robotics Co., Ltd. "
        "signed an investment agreement on Monday. Ruan Ping (vice director, Minhang Commission of Commerce) signed "
        "for the commission."
    )
    result = extract(text, gazetteer=EMPTY)
    ruan = person(result, "Ruan Ping")
    assert ruan["titles"] == ["vice director"]
    assert ruan["organization"] == "Minhang Commission of Commerce"


def test_a_possessive_post_with_its_region_and_signers_named_later_by_surname_respectively():
    text = (
        "Plant deal\n\nSUZHOU, May 15, 2026 - An investment agreement between the Wujiang District People's "
        "Government and Brendel Motion GmbH was signed on Thursday.\n\nDeputy district mayor Qiu Lin told the "
        "ceremony that talks took a year. Karl Brendel, Brendel's executive vice president for Asia, said the plant "
        "would supply Vietnam.\n\nThe agreement was signed for the two parties by Qiu and Brendel respectively."
    )
    result = extract(text, gazetteer=EMPTY)
    karl = person(result, "Karl Brendel")
    assert karl["titles"] == ["executive vice president for Asia"]
    assert karl["organization"] == "Brendel Motion GmbH"
    assert signed(result) == {
        ("Qiu Lin", "Wujiang District People's Government"),
        ("Karl Brendel", "Brendel Motion GmbH"),
    }


def test_a_name_run_followed_by_a_legal_form_is_a_company_not_a_member_person():
    text = (
        "Member news\n\nChamber member Brauer Fahrzeugtechnik GmbH has signed an investment agreement with the "
        "Lishui District People's Government. Deputy district mayor Kong Wen and Petra Brauer, Brauer's managing "
        "director for China, signed the agreement."
    )
    result = extract(text, gazetteer=EMPTY)
    assert "Brauer Fahrzeugtechnik" not in {p["name"] for p in result["people"]}
    assert signed(result) == {
        ("Kong Wen", "Lishui District People's Government"),
        ("Petra Brauer", "Brauer Fahrzeugtechnik GmbH"),
    }


def test_three_signings_in_one_sentence_separated_by_semicolons_are_three_agreements():
    text = (
        "Weekly digest\n\nInvestment attraction: on March 12, the Administrative Committee of Dongtan Economic "
        "Development Zone signed an investment agreement with Ferrow Gears Co., Ltd. for a plant; the Dongtan "
        "Municipal People's Government and Ganlan Rural Commercial Bank Co., Ltd. signed a strategic cooperation "
        "agreement on credit; and Dongtan Port Development Co., Ltd. signed a lease with Kalder Kuehlung GmbH for "
        "cold storage."
    )
    result = extract(text, gazetteer=EMPTY)
    kinds = {a["kind"]: set(a["parties"]) for a in result["agreements"]}
    assert kinds == {
        "investment": {"Administrative Committee of Dongtan Economic Development Zone", "Ferrow Gears Co., Ltd."},
        "strategic": {"Dongtan Municipal People's Government", "Ganlan Rural Commercial Bank Co., Ltd."},
        "lease": {"Dongtan Port Development Co., Ltd.", "Kalder Kuehlung GmbH"},
    }


def test_signers_of_the_investment_agreement_while_others_signed_the_accompanying_lease():
    text = (
        "Member news\n\nRanner Technik GmbH has signed an investment agreement with the Gaochun District People's "
        "Government.\n\nAt the ceremony, deputy district mayor Fan Qing and Eva Ranner, Ranner's managing director "
        "for China, signed the investment agreement, with Party Secretary Yu Hai attending, while Otto Lenz, "
        "Ranner's finance director for China, and Shi Bo, deputy general manager of Gaochun Park Co., Ltd., signed "
        "the accompanying lease for factory space."
    )
    result = extract(text, gazetteer=EMPTY)
    by_kind = {a["kind"]: a for a in result["agreements"]}
    assert set(by_kind) == {"investment", "lease"}
    ranner = "Ranner Technik GmbH"
    lease = {(s["person"], s["on_behalf_of"]) for s in by_kind["lease"]["signatories"]}
    assert lease == {("Otto Lenz", ranner), ("Shi Bo", "Gaochun Park Co., Ltd.")}
    assert set(by_kind["lease"]["parties"]) == {ranner, "Gaochun Park Co., Ltd."}


def test_signed_for_the_university_is_the_university_named_before_not_a_school_named_after():
    text = (
        "Research center\n\nWUHAN - Qingshan University, the Administrative Committee of Qingshan Hi-tech Zone and "
        "Ostrand Materials AS on Wednesday signed a memorandum of understanding.\n\nProfessor Lu Ning, "
        "vice-president for research, signed the memorandum for the university.\n\nThe center will be hosted by the "
        "School of Chemistry and Engineering."
    )
    result = extract(text, gazetteer=EMPTY)
    assert ("Lu Ning", "Qingshan University") in signed(result)


def test_an_interview_answer_i_signed_is_the_interviewee_and_it_was_a_names_the_other_signer():
    text = (
        "Interview\n\nBy Lena Ek | Industry Weekly | June 11, 2026\n\nOn Tuesday, Falkvik Pumps AB signed an "
        "investment agreement with the Administrative Committee of Liyang Hi-tech Zone. We spoke to chief executive "
        "Maja Holm after the ceremony.\n\nQ: Who signed the agreement?\n\nA: I signed it on behalf of our board. On "
        "the Chinese side it was Mrs. Dai Rong, the deputy director of the committee. Their director, Mr. Lei Jun, "
        "was there as well.\n\nQ: Why Liyang?\n\nA: Customers."
    )
    result = extract(text, gazetteer=EMPTY)
    assert signed(result) == {
        ("Maja Holm", "Falkvik Pumps AB"),
        ("Dai Rong", "Administrative Committee of Liyang Hi-tech Zone"),
    }


def test_signed_for_the_fund_it_manages_and_for_a_parents_place_unit():
    text = (
        "Fund backs drug maker\n\nSHANGHAI, Aug. 19, 2026 - A fund will invest in the Suzhou unit of Veltra Bio "
        "Inc. under a tripartite investment agreement signed on Tuesday.\n\nThe parties are the Wujiang Commission "
        "of Commerce, Lakeview Health Equity Investment Fund (Limited Partnership) and Veltra Bio (Suzhou) Co., "
        "Ltd.\n\nThe fund's manager, Lakeview Capital Management Co., Ltd., did not sign in its own name: Tao Jing "
        "(managing partner, Lakeview Capital) signed for the fund it manages. Ren Bo (vice director, Wujiang "
        "Commission of Commerce) signed for the commission, and Dr. Mark Hale (chief executive officer, Veltra Bio "
        "Inc.) signed on behalf of the Suzhou unit."
    )
    result = extract(text, gazetteer=EMPTY)
    assert signed(result) == {
        ("Tao Jing", "Lakeview Health Equity Investment Fund (Limited Partnership)"),
        ("Ren Bo", "Wujiang Commission of Commerce"),
        ("Mark Hale", "Veltra Bio (Suzhou) Co., Ltd."),
    }


def test_one_person_in_two_name_orders_and_with_an_english_given_name_is_one_person():
    text = (
        "Base signed\n\nHANGZHOU, March 3, 2026 - The Administrative Committee of Xiaoshan Harbor Area signed an "
        "investment agreement with Bright Fjord Optics Co., Ltd. on Monday.\n\nMa Lei, deputy director of the "
        "committee, signed the investment agreement with Kevin Shao Wenbo, the chairman of Bright Fjord.\n\n"
        "Photo caption: Lei Ma (left), deputy director of the committee, and Bright Fjord chairman Kevin Shao shake "
        "hands after the signing."
    )
    result = extract(text, gazetteer=EMPTY)
    assert {p["name"] for p in result["people"]} == {"Ma Lei", "Kevin Shao Wenbo"}
    assert signed(result) == {
        ("Ma Lei", "Administrative Committee of Xiaoshan Harbor Area"),
        ("Kevin Shao Wenbo", "Bright Fjord Optics Co., Ltd."),
    }


def test_on_tuesday_opening_a_signing_sentence_is_the_tuesday_before_the_publication_line():
    text = (
        "Interview\n\nBy Lena Ek | Industry Weekly | June 11, 2026\n\nOn Tuesday, Falkvik Pumps AB signed an "
        "investment agreement with the Administrative Committee of Liyang Hi-tech Zone."
    )
    assert extract(text, gazetteer=EMPTY)["event"]["date"] == "2026-06-09"


def test_a_question_word_opening_an_interview_question_is_no_part_of_a_company_name():
    text = (
        "Interview\n\nOn Tuesday, Falkvik Pumps AB signed an investment agreement with the Administrative Committee "
        "of Liyang Hi-tech Zone.\n\nQ: Is Falkvik Pumps (Liyang) Co., Ltd. already set up?\n\nA: It is being "
        "registered now."
    )
    names = {o["name"] for o in extract(text, gazetteer=EMPTY)["organizations"]}
    assert "Falkvik Pumps (Liyang) Co., Ltd." in names
    assert not any(name.startswith("Is ") for name in names)
