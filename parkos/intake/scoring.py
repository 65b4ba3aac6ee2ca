"""Precision and recall of the press-intake extractor against hand-written expectations, field by field.

Each field turns an extraction (the dict of ``parkos.intake.extraction``) into a set of comparable keys; a key
that is in both sets is a true positive, one only predicted a false positive, one only expected a false negative.
Counts are summed over the articles before dividing (micro average), so long articles weigh more than short
ones, as they do for the person who reviews them. Spans are not scored: the review page shows them, but two
readers of the same HTML page may count offsets differently, and the names already say what was found.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

# The hand-written development set lives with the tests; the command and the benchmark read it from here.
DEVSET_DIR = Path(__file__).resolve().parents[2] / "tests" / "intake" / "devset"
ARTICLE_SUFFIXES = (".txt", ".html", ".htm")

# Numbers are equal when within this share of each other: "1.6 billion" read as 1,600,000,000 and as
# 1,599,999,999.99 after a unit conversion are the same figure.
NUMBER_TOLERANCE = 0.005

_SPACES = re.compile(r"\s+")


def normalise(value) -> str:
    """The form two names are compared in: full-width to half-width (NFKC), case folded, whitespace collapsed,
    a leading English article dropped, so that "The  Bank of Wuxi" and "bank of wuxi" are one name."""
    if value is None:
        return ""
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", str(value))).strip().casefold()
    if text.startswith("the "):
        text = text[4:]
    return text


@dataclass(frozen=True)
class Number:
    """A number that equals another within NUMBER_TOLERANCE, so that sets of figures can be matched."""

    value: float

    def close_to(self, other: Number) -> bool:
        scale = max(abs(self.value), abs(other.value))
        return abs(self.value - other.value) <= NUMBER_TOLERANCE * scale


def _number(value) -> Number | None:
    try:
        return Number(float(value))
    except (TypeError, ValueError):
        return None


def _items(extraction: dict, key: str) -> list[dict]:
    return [item for item in extraction.get(key) or [] if isinstance(item, dict)]


# --- the fields --------------------------------------------------------------------------------------------------


def _event(key: str) -> Callable[[dict], set]:
    def keys(extraction: dict) -> set:
        value = (extraction.get("event") or {}).get(key)
        return {normalise(value)} if value else set()

    return keys


def _organizations(extraction: dict) -> set:
    return {normalise(o.get("name")) for o in _items(extraction, "organizations")}


def _organization_kinds(extraction: dict) -> set:
    return {(normalise(o.get("name")), normalise(o.get("kind"))) for o in _items(extraction, "organizations")}


def _people(extraction: dict) -> set:
    return {normalise(p.get("name")) for p in _items(extraction, "people")}


def _titles(extraction: dict) -> set:
    return {
        (normalise(p.get("name")), normalise(title))
        for p in _items(extraction, "people")
        for title in p.get("titles") or []
    }


def _people_organizations(extraction: dict) -> set:
    return {
        (normalise(p.get("name")), normalise(p.get("organization")))
        for p in _items(extraction, "people")
        if p.get("organization")
    }


def _bylines(extraction: dict) -> set:
    return {normalise(b.get("name")) for b in _items(extraction, "bylines")}


def _agreement_kinds(extraction: dict) -> set:
    return {normalise(a.get("kind")) for a in _items(extraction, "agreements")}


def _agreement_parties(extraction: dict) -> set:
    return {normalise(party) for a in _items(extraction, "agreements") for party in a.get("parties") or []}


def _signatories(extraction: dict) -> set:
    return {
        (normalise(s.get("person")), normalise(s.get("on_behalf_of")))
        for a in _items(extraction, "agreements")
        for s in a.get("signatories") or []
        if isinstance(s, dict)
    }


def _figures(extraction: dict) -> set:
    return {
        (normalise(f.get("kind")), _number(f.get("value")), normalise(f.get("unit")))
        for f in _items(extraction, "figures")
    }


def _counts_of(extraction: dict) -> set:
    return {
        (_number(f.get("value")), normalise(f.get("of")))
        for f in _items(extraction, "figures")
        if f.get("kind") == "count"
    }


def _industries(extraction: dict) -> set:
    return {normalise(name) for name in extraction.get("industries") or [] if name}


FIELDS: dict[str, Callable[[dict], set]] = {
    "event.kind": _event("kind"),
    "event.date": _event("date"),
    "event.title": _event("title"),
    "organizations": _organizations,
    "organizations.kind": _organization_kinds,
    "people": _people,
    "people.titles": _titles,
    "people.organization": _people_organizations,
    "bylines": _bylines,
    "agreements.kind": _agreement_kinds,
    "agreements.parties": _agreement_parties,
    "signatories": _signatories,
    "figures": _figures,
    "figures.of": _counts_of,
    "industries": _industries,
}


# --- matching and counting ---------------------------------------------------------------------------------------


def _same(a, b) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Number) and isinstance(b, Number):
        return a.close_to(b)
    return a == b


def match(predicted: set, expected: set) -> tuple[list, list, list]:
    """Pair predicted keys with expected ones, each used once: (matched, false positives, misses). Exact keys are
    paired first, then keys that differ only by a number within the tolerance."""
    matched = list(predicted & expected)
    extra = [p for p in predicted if p not in expected]
    missing = [e for e in expected if e not in predicted]
    unpaired = []
    for key in extra:
        partner = next((e for e in missing if _same(key, e)), None)
        if partner is None:
            unpaired.append(key)
        else:
            missing.remove(partner)
            matched.append(partner)
    return matched, unpaired, missing


def _ratios(tp: int, fp: int, fn: int) -> dict:
    # A field with nothing expected and nothing predicted is perfect, not undefined: the extractor was right to be
    # silent, and a table full of NaN would hide the fields that matter.
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def compare(predicted: dict, expected: dict, fields: Iterable[str] | None = None) -> dict[str, dict]:
    """One article: for each field, its matched keys, false positives and misses (what --verbose prints)."""
    result = {}
    for name in fields or FIELDS:
        keys = FIELDS[name]
        matched, extra, missing = match(keys(predicted or {}), keys(expected))
        result[name] = {"matched": matched, "false_positives": extra, "misses": missing}
    return result


def score(predicted: list[dict], expected: list[dict]) -> dict[str, dict]:
    """Micro-averaged precision, recall and F1 per field over articles paired by position (the n-th prediction is
    for the n-th expectation); returns {field: {tp, fp, fn, precision, recall, f1}}."""
    if len(predicted) != len(expected):
        raise ValueError(f"{len(predicted)} predictions for {len(expected)} expected articles: pair them first.")
    totals = {name: [0, 0, 0] for name in FIELDS}
    for one_predicted, one_expected in zip(predicted, expected, strict=True):
        for name, outcome in compare(one_predicted, one_expected).items():
            counts = totals[name]
            counts[0] += len(outcome["matched"])
            counts[1] += len(outcome["false_positives"])
            counts[2] += len(outcome["misses"])
    return {name: _ratios(*counts) for name, counts in totals.items()}


def overall(scores: dict[str, dict]) -> dict:
    """All fields' counts pooled: one figure to follow from run to run."""
    return _ratios(*(sum(s[k] for s in scores.values()) for k in ("tp", "fp", "fn")))


def describe(key) -> str:
    """A key as the person reading --verbose output wants to see it."""
    if isinstance(key, tuple):
        return " / ".join(describe(part) for part in key)
    if isinstance(key, Number):
        return f"{key.value:,.10g}"
    return str(key)


# --- the development set -----------------------------------------------------------------------------------------


@dataclass
class DevsetArticle:
    """One article file and the extraction a careful reader would write for it (the .json of the same stem)."""

    path: Path
    data: bytes
    expected: dict

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def language(self) -> str:
        return self.expected.get("language") or "?"


def load_devset(directory: Path = DEVSET_DIR) -> list[DevsetArticle]:
    """Every article in the directory that has its expected JSON beside it, in file-name order."""
    articles = []
    for path in sorted(Path(directory).iterdir()):
        expected_path = path.with_suffix(".json")
        if path.suffix in ARTICLE_SUFFIXES and expected_path.exists():
            expected = json.loads(expected_path.read_text(encoding="utf-8"))
            articles.append(DevsetArticle(path=path, data=path.read_bytes(), expected=expected))
    return articles


def predict(article: DevsetArticle) -> dict:
    """Run the extractor on one article the way an upload does: read the file, then extract from its text.
    Imported here, not at the top, so that the scorer works (and is tested) before the extractor exists."""
    from parkos.intake.extraction.pipeline import extract
    from parkos.intake.extraction.reading import read_document

    document = read_document(article.data, article.name)
    text = document if isinstance(document, str) else document.text
    return extract(text, source=article.name)
