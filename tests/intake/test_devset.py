"""The press-intake development set: its expected extractions are well formed, the scorer counts right, and the
real extractor stays above the recorded floors."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from parkos.intake import scoring
from parkos.intake.scoring import FIELDS, compare, normalise, score
from tests.intake.articles import DEVSET_DIR, article_text, load_devset

ARTICLES = load_devset()
IDS = [article.name for article in ARTICLES]
# The held-out set (tests/intake/heldout): its expectations are checked for shape here, but it has no floors and is
# never tuned against; score it on its own with `parkos score_intake tests/intake/heldout`.
HELDOUT_DIR = Path(__file__).resolve().parent / "heldout"
HELDOUT = load_devset(HELDOUT_DIR)

EVENT_KINDS = {"signing", "visit", "meeting", "celebration", "other"}
ORGANIZATION_KINDS = {"government", "enterprise", "university", "hospital", "financial", "other"}
BYLINE_ROLES = {"author", "reporter", "editor", "photographer"}
AGREEMENT_KINDS = {"strategic", "framework", "investment", "lease", "memorandum"}
# money other than yuan, dollars and euros takes its ISO code (the README's conventions: RM, baht, Rs/crore)
FIGURE_UNITS = {"money": {"CNY", "USD", "EUR", "MYR", "THB", "INR"}, "area": {"m2"}, "count": {None}, "percent": {"%"}}
DATE = re.compile(r"^(\d{4}|-)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


def assert_span(text: str, span, found: str, where: str) -> None:
    assert isinstance(span, list) and len(span) == 2 and all(isinstance(n, int) for n in span), where
    assert text[span[0] : span[1]] == found, f"{where}: text[{span[0]}:{span[1]}] is {text[span[0] : span[1]]!r}"


# --- (a) the expected extractions ------------------------------------------------------------------------------


def test_the_set_is_large_and_mixed_enough():
    by_language = defaultdict(int)
    kinds = set()
    for article in ARTICLES:
        by_language[article.expected["language"]] += 1
        kinds.add(article.expected["event"]["kind"])
    assert len(ARTICLES) >= 18
    assert by_language["en"] >= 8 and by_language["zh"] >= 8
    assert {"signing", "visit", "meeting", "celebration"} <= kinds
    assert {a.path.suffix for a in ARTICLES} >= {".txt", ".html"}
    assert sum(2500 <= len(article_text(a)) <= 3500 for a in ARTICLES) >= 3, "at least three typical 3,000-char ones"


def test_every_article_has_its_expected_json_and_nothing_is_left_over():
    stems = {a.path.stem for a in ARTICLES}
    jsons = {p.stem for p in DEVSET_DIR.glob("*.json")} - {"floors"}
    assert jsons == stems
    assert HELDOUT and {p.stem for p in HELDOUT_DIR.glob("*.json")} == {a.path.stem for a in HELDOUT}


def test_two_people_share_a_name_across_articles_with_different_organizations():
    organizations = defaultdict(set)
    for article in ARTICLES:
        for person in article.expected["people"]:
            if person["organization"]:
                organizations[person["name"]].add(person["organization"])
    assert sum(len(orgs) > 1 for orgs in organizations.values()) >= 2


@pytest.mark.parametrize("article", ARTICLES + HELDOUT, ids=IDS + [f"heldout/{a.name}" for a in HELDOUT])
def test_expected_extraction_has_the_documented_shape(article):
    expected, text = article.expected, article_text(article)
    assert set(expected) == {
        "source",
        "language",
        "event",
        "organizations",
        "people",
        "bylines",
        "agreements",
        "figures",
        "industries",
    }
    assert expected["source"] == article.name
    assert expected["language"] == ("zh" if "-zh-" in article.name else "en")

    event = expected["event"]
    assert set(event) == {"kind", "date", "title"}
    assert event["kind"] in EVENT_KINDS
    assert event["date"] is None or DATE.match(event["date"]), event["date"]
    assert event["title"] and event["title"] in text

    organizations = set()
    for org in expected["organizations"]:
        assert set(org) == {"name", "kind", "span"}
        assert org["kind"] in ORGANIZATION_KINDS, org
        assert_span(text, org["span"], org["name"], org["name"])
        organizations.add(org["name"])
    assert len(organizations) == len(expected["organizations"]), "each organization once"

    people = set()
    for person in expected["people"]:
        assert set(person) == {"name", "titles", "organization", "span"}
        assert person["organization"] is None or person["organization"] in organizations, person
        assert all(isinstance(t, str) and t and t in text for t in person["titles"]), person
        assert_span(text, person["span"], person["name"], person["name"])
        people.add(person["name"])
    assert len(people) == len(expected["people"]), "each person once"

    for byline in expected["bylines"]:
        assert set(byline) == {"name", "role", "span"}
        assert byline["role"] in BYLINE_ROLES
        assert byline["name"] not in people, "a by-line is not a person of the story"
        assert_span(text, byline["span"], byline["name"], byline["name"])

    for agreement in expected["agreements"]:
        assert set(agreement) == {"kind", "parties", "signatories"}
        assert agreement["kind"] in AGREEMENT_KINDS
        assert len(agreement["parties"]) >= 2 and set(agreement["parties"]) <= organizations, agreement
        for signatory in agreement["signatories"]:
            assert set(signatory) == {"person", "on_behalf_of"}
            assert signatory["person"] in people and signatory["on_behalf_of"] in agreement["parties"], signatory

    for figure in expected["figures"]:
        assert set(figure) == {"kind", "value", "unit", "of", "text", "span"}
        assert figure["unit"] in FIGURE_UNITS[figure["kind"]], figure
        assert isinstance(figure["value"], int | float) and figure["value"] > 0, figure
        assert (figure["of"] is not None) == (figure["kind"] == "count"), figure
        assert_span(text, figure["span"], figure["text"], figure["text"])

    assert all(isinstance(i, str) and i.casefold() in text.casefold() for i in expected["industries"])


# --- (b) the scorer --------------------------------------------------------------------------------------------


def test_expected_against_itself_scores_one_on_every_field():
    expected = [a.expected for a in ARTICLES]
    result = score(expected, expected)
    assert set(result) == set(FIELDS)
    for field, figures in result.items():
        assert figures["fp"] == figures["fn"] == 0, field
        assert figures["precision"] == figures["recall"] == figures["f1"] == 1.0, field
    assert result["people"]["tp"] == sum(len(a.expected["people"]) for a in ARTICLES)


def toy(**changes) -> dict:
    article = {
        "source": "toy.txt",
        "language": "en",
        "event": {"kind": "signing", "date": "2025-11-18", "title": "Toy"},
        "organizations": [{"name": "Acme Co., Ltd.", "kind": "enterprise"}, {"name": "Xinwu", "kind": "government"}],
        "people": [{"name": "Li Qian", "titles": ["Party Secretary"], "organization": "Xinwu"}],
        "bylines": [{"name": "Wang Fang", "role": "author"}],
        "agreements": [],
        "figures": [{"kind": "money", "value": 16e9, "unit": "CNY", "of": None, "text": "16 billion yuan"}],
        "industries": ["biomedicine"],
    }
    article.update(changes)
    return article


def test_one_miss_and_one_false_positive_give_the_right_figures():
    expected = toy()
    predicted = toy(organizations=[{"name": "Acme Co., Ltd.", "kind": "enterprise"}, {"name": "Wang Fang"}])
    result = score([predicted], [expected])["organizations"]
    assert (result["tp"], result["fp"], result["fn"]) == (1, 1, 1)
    assert result["precision"] == result["recall"] == result["f1"] == 0.5

    outcome = compare(predicted, expected)["organizations"]
    assert outcome["misses"] == ["xinwu"] and outcome["false_positives"] == ["wang fang"]


def test_counts_are_summed_over_articles_before_dividing():
    first, second = toy(), toy(industries=["biomedicine", "new energy", "integrated circuits"])
    predicted_second = toy(industries=["biomedicine"])
    result = score([first, predicted_second], [first, second])["industries"]
    assert (result["tp"], result["fp"], result["fn"]) == (2, 0, 2)
    assert result["recall"] == 0.5  # the mean of the per-article recalls would be (1 + 1/3) / 2


def test_names_are_compared_normalised():
    assert normalise("The  Bank of\nTaihu ") == "bank of taihu"
    assert normalise("ＡＢＣ　公司") == "abc 公司"  # full-width letters and space
    predicted = toy(organizations=[{"name": "the ACME Co., Ltd.", "kind": "Enterprise"}, {"name": "XINWU"}])
    assert score([predicted], [toy()])["organizations"]["f1"] == 1.0


def test_numbers_match_within_half_a_percent_and_not_beyond():
    close = toy(figures=[{"kind": "money", "value": 16.05e9, "unit": "CNY"}])
    far = toy(figures=[{"kind": "money", "value": 16.1e9, "unit": "CNY"}])
    assert score([close], [toy()])["figures"]["tp"] == 1
    assert score([far], [toy()])["figures"]["tp"] == 0
    wrong_currency = toy(figures=[{"kind": "money", "value": 16e9, "unit": "USD"}])
    assert score([wrong_currency], [toy()])["figures"]["tp"] == 0


def test_duplicates_count_once_and_missing_event_is_a_miss_only():
    twice = toy(people=[toy()["people"][0], toy()["people"][0]], event={"kind": None, "date": None})
    result = score([twice], [toy()])
    assert (result["people"]["tp"], result["people"]["fp"]) == (1, 0)
    assert (result["event.kind"]["tp"], result["event.kind"]["fp"], result["event.kind"]["fn"]) == (0, 0, 1)


def test_nothing_expected_and_nothing_found_is_perfect():
    result = score([toy()], [toy()])["agreements.kind"]
    assert (result["tp"], result["fp"], result["fn"], result["f1"]) == (0, 0, 0, 1.0)


def test_articles_are_paired_by_position_and_must_match_in_number():
    with pytest.raises(ValueError):
        score([toy()], [toy(), toy()])


# --- (c) the real extractor ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_extractor_stays_above_the_floors():
    """Floors are raised by whoever improves the extractor; a change that drops a field below its floor fails."""
    pytest.importorskip("parkos.intake.extraction.pipeline")
    pytest.importorskip("parkos.intake.extraction.reading")
    floors = json.loads((DEVSET_DIR / "floors.json").read_text(encoding="utf-8"))
    assert set(floors) <= set(FIELDS), "a floor for a field the scorer does not know"
    predicted = [scoring.predict(article) for article in ARTICLES]
    result = score(predicted, [a.expected for a in ARTICLES])
    below = {f: round(result[f]["f1"], 3) for f, floor in floors.items() if result[f]["f1"] < floor}
    assert not below, f"F1 below the floor in {below} (floors: {floors})"
