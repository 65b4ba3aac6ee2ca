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
