"""English press styles of the eleventh development pass (issue 18): honorifics, Arabic and Malay names, legal forms
of Malaysia, Indonesia and Oman, signers in captions, tables and headlines, "respective organisations", signers by
role, day/month/year dates; short articles with invented names (never the development or held-out articles')."""

from __future__ import annotations

from parkos.intake.extraction.gazetteer import Gazetteer
from parkos.intake.extraction.honorifics import without_honorifics
from parkos.intake.extraction.pipeline import extract

EMPTY = Gazetteer.build([])


def run(text: str) -> dict:
    return extract(text, gazetteer=EMPTY)


def people(result) -> dict[str, tuple[list[str], str | None]]:
    return {p["name"]: (p["titles"], p["organization"]) for p in result["people"]}


def signed(result) -> set[tuple[str, str]]:
    return {(s["person"], s["on_behalf_of"]) for a in result["agreements"] for s in a["signatories"]}


def parties(result) -> list[set[str]]:
    return [set(a["parties"]) for a in result["agreements"]]


def test_honorifics_are_no_part_of_a_name_and_spans_stay_in_the_text():
    text = (
        "IPOH, May 4 -- Its chairman, Datuk Seri Roslan Idris, welcomed Tan Sri Ong Kah Seng, president of Perak Tin "
        "Holdings. H.E. Ali Karimov, Minister of Industry, and Sheikh Faisal bin Omar Al Marzouqi, chairman of Qalhat "
        "Cement SAOC, attended, with Khun Wanida Thongdee, director of Chao Phraya Rubber, and comrade Pham Van Loc, "
        "Secretary of the Provincial Party Committee.\n"
    )
    cleaned, offsets = without_honorifics(text)
    for honorific in ("Datuk", "Tan Sri", "H.E.", "Sheikh", "Khun", "comrade"):
        assert honorific not in cleaned
    assert offsets is not None and text[offsets[cleaned.index("Roslan")]] == "R"
    result = run(text)
    names = {p["name"] for p in result["people"]}
    assert {"Roslan Idris", "Ong Kah Seng", "Ali Karimov", "Faisal bin Omar Al Marzouqi", "Wanida Thongdee"} <= names
    assert "Pham Van Loc" in names
    for person in result["people"]:
        start, end = person["span"]
        assert text[start:end] == person["name"]
    assert without_honorifics("Comrades of the city bureau attended.")[1] is None


def test_pak_and_bu_only_where_they_are_forms_of_address():
    assert without_honorifics("Bu Wei, chairman of Harlow Tools, said Bu had signed.")[1] is None
    cleaned, _ = without_honorifics("Rudi Hartono signed. Pak Rudi said Bu Sinta Dewi agreed.")
    assert cleaned == "Rudi Hartono signed. Rudi said Sinta Dewi agreed."


def test_malaysian_indonesian_and_omani_legal_forms_end_a_company_name():
    result = run(
        "Teluk Harbour Parks Sdn Bhd signed a lease with PT Sinar Baja Nusantara Tbk and Qalhat Cement SAOC on "
        "Monday.\n"
    )
    names = {o["name"] for o in result["organizations"]}
    assert {"Teluk Harbour Parks Sdn Bhd", "PT Sinar Baja Nusantara Tbk", "Qalhat Cement SAOC"} <= names


def test_signatories_to_the_mou_were_with_a_name_again_by_its_given_name():
    result = run(
        "SEREMBAN, June 2 -- Nilai Parks Sdn Bhd today signed a memorandum of understanding with Orvel Foods Co Ltd "
        "in Nilai.\n\n"
        "Its chief executive officer, Datuk Faizal Osman, said the plant would open next year.\n\n"
        "The signatories to the MoU were Faizal and Orvel Foods vice-president Hu Rongjie.\n"
    )
    assert signed(result) == {("Faizal Osman", "Nilai Parks Sdn Bhd"), ("Hu Rongjie", "Orvel Foods Co Ltd")}


def test_a_pipe_table_of_signers_gives_each_row_its_agreement_side_and_signer():
    result = run(
        'Lanna Estate Public Company Limited ("Lanna Estate") signed a land lease agreement with Korvel Motors '
        '(Thailand) Co., Ltd. ("Korvel Thailand") on 3 May. At the same ceremony Lanna Estate and Chiang Mai '
        "Polytechnic College signed a memorandum of understanding on training.\n\n"
        "| Agreement | Signed for | Signatory |\n"
        "|---|---|---|\n"
        "| Land lease | Lanna Estate | Khun Somchai Rattana, Chief Executive Officer |\n"
        "| Land lease | Korvel Thailand | Mr. Ge Minghao, Managing Director |\n"
        "| MoU on training | Chiang Mai Polytechnic College | Dr. Kanya Phromma, Director |\n"
    )
    lease = next(a for a in result["agreements"] if a["kind"] == "lease")
    memorandum = next(a for a in result["agreements"] if a["kind"] == "memorandum")
    assert {(s["person"], s["on_behalf_of"]) for s in lease["signatories"]} == {
        ("Somchai Rattana", "Lanna Estate Public Company Limited"),
        ("Ge Minghao", "Korvel Motors (Thailand) Co., Ltd."),
    }
    assert memorandum["signatories"] == [{"person": "Kanya Phromma", "on_behalf_of": "Chiang Mai Polytechnic College"}]
    assert set(memorandum["parties"]) == {"Lanna Estate Public Company Limited", "Chiang Mai Polytechnic College"}
    assert people(result)["Somchai Rattana"] == (["Chief Executive Officer"], "Lanna Estate Public Company Limited")


def test_representing_after_the_second_signer_is_his_and_his_group_is_no_party():
    result = run(
        "SOHAR, 2nd March, 2026 (ONA) -- An investment agreement for a green steel plant was signed today.\n\n"
        "The agreement was signed by Nasser bin Ali Al Kindi, Deputy Chief Executive "
        "of the Free Zone Authority at Sohar, and Gu Hanlin, Chairman of Zhejiang Tiancheng Steel Group Co., Ltd., "
        "representing Sohar Tiancheng Metals LLC, the joint venture that will build the plant.\n"
    )
    assert signed(result) == {
        ("Nasser bin Ali Al Kindi", "Free Zone Authority at Sohar"),
        ("Gu Hanlin", "Sohar Tiancheng Metals LLC"),
    }
    assert parties(result) == [{"Free Zone Authority at Sohar", "Sohar Tiancheng Metals LLC"}]


def test_an_indian_name_with_initials_and_two_words_is_one_person():
    result = run(
        "It was signed by the institute's principal, Dr. K. Ravi Shankar, and Lin Bo, chairman of Tessel Motors Co., "
        "Ltd. Dr. Ravi Shankar said the course would begin in June.\n"
    )
    assert "K. Ravi Shankar" in people(result)
    assert "Ravi Shankar" not in people(result)


def test_signers_in_four_forms_on_behalf_of_their_respective_organisations():
    result = run(
        "Dhaka, 4 March 2026: Jessore Export Zones Authority (JEZA) on Monday signed investment agreements with "
        "two companies.\n\n"
        "JEZA Member (Engineering) Md Kamrul Hasan, managing director of Fujian Meilan Garments Co Ltd Ye Chunhua "
        "and Ruixing Bags Ltd's Pan Wenli signed the agreements on behalf of their respective organisations.\n"
    )
    assert people(result)["Md Kamrul Hasan"] == (["Member (Engineering)"], "Jessore Export Zones Authority")
    assert people(result)["Ye Chunhua"] == (["managing director"], "Fujian Meilan Garments Co Ltd")
    assert signed(result) == {
        ("Md Kamrul Hasan", "Jessore Export Zones Authority"),
        ("Ye Chunhua", "Fujian Meilan Garments Co Ltd"),
        ("Pan Wenli", "Ruixing Bags Ltd"),
    }


def test_signers_named_only_in_a_seated_caption_with_title_and_organization_after_each():
    result = run(
        'KUALA LUMPUR, 9 April 2026 - Merbau Cloud Pte. Ltd. ("Merbau"), a data centre operator, today announced '
        "an investment agreement with the Administrative Committee of Wuhan Donghu New Area.\n\n"
        '"Central China is growing fast," said Aaron Tan, Group CEO of Merbau.\n\n'
        "Photo 1: Signing the investment agreement (seated, L-R): Ms. Qin Lu, Deputy Director, Administrative "
        "Committee of Wuhan Donghu New Area; Mr. Aaron Tan, Group CEO, Merbau. Witnessing (standing, L-R): "
        "Mr. Kong Wei, Director, Administrative Committee of Wuhan Donghu New Area.\n"
    )
    assert signed(result) == {
        ("Qin Lu", "Administrative Committee of Wuhan Donghu New Area"),
        ("Aaron Tan", "Merbau Cloud Pte. Ltd."),
    }
    assert people(result)["Aaron Tan"] == (["Group CEO"], "Merbau Cloud Pte. Ltd.")
    assert not any(o["name"].startswith("Group CEO") for o in result["organizations"])


def test_signers_by_role_only_and_signatures_seen_from():
    result = run(
        "Cairo, 2 May 2026\n\n"
        "First, Mr. Adel Nabil Sorour, Chairman of the Red Sea Ports Authority (RSPA), and Mr. Mo Jianwei, Chairman "
        "of Tianhai Egypt Development Co., signed a memorandum of understanding on a new berth.\n\n"
        "An investment agreement was then signed by the Chairman of RSPA and the Chairman of Tianhai Egypt.\n\n"
        "A lease saw signatures from Dr. Hany Samir Fouad, RSPA Vice Chairman for Investment, and Mr. Bo Hai, "
        "General Manager of Nile Glass Co., Ltd.\n"
    )
    investment = next(a for a in result["agreements"] if a["kind"] == "investment")
    assert {s["person"] for s in investment["signatories"]} == {"Adel Nabil Sorour", "Mo Jianwei"}
    assert ("Hany Samir Fouad", "Red Sea Ports Authority") in signed(result)
    assert people(result)["Hany Samir Fouad"] == (["Vice Chairman for Investment"], "Red Sea Ports Authority")


def test_day_month_year_numbers_only_when_the_order_is_settled():
    from parkos.intake.extraction.dates import find_dates

    def values(text):
        return [d.value for d in find_dates(text, "en")]

    assert values("Portal - 21/10/2026") == ["2026-10-21"]
    assert values("14/03/2026 06:15 PM\n\nKUANTAN, March 14 --") == ["2026-03-14", "--03-14"]
    assert values("11/03/2026 06:15 PM\n\nKUANTAN, March 11 --") == ["2026-03-11", "--03-11"]
    assert values("03/11/2026 06:15 PM\n\nKUANTAN, March 11 --") == ["2026-03-11", "--03-11"]
    assert values("05/06/2026 06:15 PM") == []


def test_the_year_of_a_newsletter_issue_and_of_a_dateline_under_a_publication_line():
    newsletter = run(
        "Lanna Estate News | Issue 7 | May 2026\n\n"
        "Lanna Estate Public Company Limited signed a land lease agreement with Korvel Motors Co., Ltd. on 4 May.\n"
    )
    assert newsletter["event"]["date"] == "2026-05-04"
    wire = run(
        "Zone signs battery deal\n\n2026-10-08 19:02:11 | Source: Xinhua\n\n"
        "XI'AN, Oct. 8 (Xinhua) -- The Administrative Committee of Qinhan New Area has signed an investment agreement "
        "with Norvik Cells AS, local authorities said Thursday. The agreement was signed on Tuesday by the two sides.\n"
    )
    assert wire["event"]["date"] == "2026-10-06"


def test_a_two_word_place_in_brackets_inside_a_company_name_and_vietnamese_four_word_names():
    result = run(
        "Attending were comrades: Vu Thi Lan Anh, Deputy Secretary of the Provincial Party Committee. Signing for the "
        "investor was Mr. Cao Peng, General Director of Hanwei Optics (Hai Duong) Co., Ltd., the group's unit.\n"
    )
    assert "Hanwei Optics (Hai Duong) Co., Ltd." in {o["name"] for o in result["organizations"]}
    assert people(result)["Vu Thi Lan Anh"][0] == ["Deputy Secretary of the Provincial Party Committee"]
    assert people(result)["Cao Peng"] == (["General Director"], "Hanwei Optics (Hai Duong) Co., Ltd.")


def test_indonesian_pt_companies_a_city_after_of_and_posts_like_finance_director():
    result = run(
        "PT Kendal Jaya Kawasan Industri Tbk today signed a memorandum of understanding with Lixin Battery Co., Ltd. "
        "of Wuxi and Sanwa Freight Co., Ltd. of Kobe. Sri Wahyuni, Finance Director of PT Lixin Energi Indonesia, "
        "signed for the lessee. Oman Pearl Investment Holding SAOC holds the rest.\n"
    )
    kinds = {o["name"]: o["kind"] for o in result["organizations"]}
    assert kinds["PT Kendal Jaya Kawasan Industri Tbk"] == "enterprise"
    assert kinds["PT Lixin Energi Indonesia"] == "enterprise"
    assert kinds["Oman Pearl Investment Holding SAOC"] == "financial"
    assert "Sanwa Freight Co., Ltd." in kinds and not any(name.startswith("Wuxi and") for name in kinds)
    assert people(result)["Sri Wahyuni"] == (["Finance Director"], "PT Lixin Energi Indonesia")


def test_group_and_president_are_part_of_a_post_only_in_group_ceo_and_president_director():
    result = run(
        "Seoul-based Hanbit Group chairman Kang Min-ho and Tianfu Investment Holding Group Co., Ltd. vice-president "
        "Professor Wei Lan signed the agreement. Kang Min-ho said more would follow.\n"
    )
    assert people(result)["Kang Min-ho"][0] == ["chairman"]
    assert {o["name"]: o["kind"] for o in result["organizations"]}.get(
        "Tianfu Investment Holding Group Co., Ltd."
    ) == "enterprise"


def test_a_post_and_its_company_then_the_name_after_a_comma():
    result = run(
        "Baotou park leases workshop to Nordvik\n\n"
        "A lease for a standard workshop was signed at the same ceremony by the general manager of Baotou Rare Earth "
        "Park Development Co., Ltd., Meng Xiaoli, and by Nordvik's China representative, Lena Berg.\n"
    )
    assert people(result)["Meng Xiaoli"] == (["general manager"], "Baotou Rare Earth Park Development Co., Ltd.")
    assert ("Meng Xiaoli", "Baotou Rare Earth Park Development Co., Ltd.") in signed(result)
