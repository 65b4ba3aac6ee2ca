"""Honorifics that are neither a title nor part of a name ("Datuk Azman Harun", "H.E. Li Ming", "Khun Siriporn",
"comrade Ngo Tan Phuc"): the extraction reads the text without them and gives its spans back in the original text."""

from __future__ import annotations

import re

_NAME_AFTER = r"(?=[A-Z][a-z])"
#: Malay, Gulf, Thai and Vietnamese forms of address, and "H.E." (His/Her Excellency); "Dr." is a title and stays
_HONORIFIC = re.compile(
    r"(?<![\w.])(?:"
    rf"(?:Datuk|Dato['’]?) (?:Seri|Sri) {_NAME_AFTER}|Tan Sri {_NAME_AFTER}|Puan Sri {_NAME_AFTER}|"
    rf"(?:Datuk|Dato['’]|Datin) {_NAME_AFTER}|H\.E\. |Sheikha? {_NAME_AFTER}|Khun {_NAME_AFTER}|"
    rf"[Cc]omrades?:? {_NAME_AFTER}"
    r")"
)
#: Indonesian "Pak"/"Bu" (also a Korean and a Chinese surname): only before two name words or before a name word
#: that the text also writes without it ("Pak Hendra" after "Hendra Wijaya")
_PAK_BU = re.compile(r"(?<![\w.])(?:Pak|Bu|Bapak|Ibu) (?P<word>[A-Z][a-z]+)(?P<more> [A-Z][a-z]+)?")


def _cuts(text: str) -> list[tuple[int, int]]:
    cuts = []
    for match in _HONORIFIC.finditer(text):
        cuts.append(match.span())
    for match in _PAK_BU.finditer(text):
        word = match.group("word")
        if match.group("more") or re.search(
            rf"(?<!Pak )(?<!Bu )\b{word}\b", text[: match.start()] + text[match.end() :]
        ):
            cuts.append((match.start(), match.start("word")))
    return sorted(cuts)


def without_honorifics(text: str) -> tuple[str, list[int] | None]:
    """The text without honorifics and, for each of its characters (and its end), the offset in ``text``;
    ``None`` when there is none (the text is returned as is)."""
    cuts = _cuts(text)
    if not cuts:
        return text, None
    parts, offsets, at = [], [], 0
    for start, end in cuts:
        if start < at:
            continue
        parts.append(text[at:start])
        offsets.extend(range(at, start))
        at = end
    parts.append(text[at:])
    offsets.extend(range(at, len(text) + 1))
    return "".join(parts), offsets


def restore_spans(result: dict, offsets: list[int]) -> None:
    """Map the spans of an extraction of the cleaned text back onto the original text."""
    for key in ("organizations", "people", "bylines", "figures"):
        for item in result.get(key) or ():
            start, end = item["span"]
            item["span"] = [offsets[start], offsets[end - 1] + 1 if end > start else offsets[start]]
