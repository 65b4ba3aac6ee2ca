"""Language and sentences: the two things every other step of the extraction needs first."""

from __future__ import annotations

import re
from dataclasses import dataclass

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")

#: abbreviations after which a full stop does not end an English sentence
_ABBREVIATIONS = ("Co", "Ltd", "Inc", "Corp", "Mr", "Ms", "Mrs", "Dr", "Prof", "No", "St", "Jr", "Sr", "U.S", "Mt", "Jan",
                  "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "vs", "etc", "e.g", "i.e")  # fmt: skip
_EN_END = re.compile(r"[.!?](?:[\"”’)]+)?(?=\s+[\"“(]?[A-Z0-9])|\n+")
#: what opens a sentence after "Ltd." or "Inc.": a capitalised word that is no part of the name ("Ltd. (", "Ltd.'s")
_NEXT_SENTENCE = re.compile(r"\s+(?:[\"“]|(?!(?:and|or|of|in|on|at|to|for|with|by)\b)[A-Z][a-z])")
#: "President of Harlow Tools Co., Ltd. Wu Jun signed": a post, then its company, then the holder's name, in the order
#: of a release translated from Chinese; the full stop of "Ltd." ends no sentence there
_TITLE_OF_NAME = re.compile(
    r"\b(?:President|Chairman|Chairwoman|Chairman of the Board|General Manager|Director|Vice President|"
    r"Chief Executive Officer|CEO|Managing Director) of (?:the )?(?:[A-Z][\w&'’()\-]*,? )+(?:Co\., )?(?:Ltd|Inc|Corp)$"
)
_ZH_END = re.compile(r"[。！？；!?](?:[”」』）)]+)?|\n+")


def detect_language(text: str) -> str:
    """ "zh" when Chinese characters carry the text, else "en" (an English article quoting a Chinese name stays en)."""
    cjk = len(CJK.findall(text[:20000]))
    latin = len(LATIN.findall(text[:20000]))
    return "zh" if cjk and cjk * 3 >= latin else "en"


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def sentences(text: str, language: str) -> list[Sentence]:
    """The text cut into sentences (and lines), each with its offsets."""
    pattern = _ZH_END if language == "zh" else _EN_END
    result = []
    start = 0
    for match in pattern.finditer(text):
        end = match.end()
        if language != "zh" and match.group().startswith("."):
            before = text[max(0, match.start() - 5) : match.start()]
            word = re.split(r"[\s(]", before)[-1]
            # "... Co., Ltd. Jiangxia Mayor Qiu Min signed": a legal form ends a name, and a sentence before a capital
            # "K.C. Lim", "T. Yoshida": initials end no sentence
            if (word in _ABBREVIATIONS or re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", word)) and not (
                word in ("Ltd", "Inc", "Corp")
                and _NEXT_SENTENCE.match(text, match.end())
                and not _TITLE_OF_NAME.search(text, max(start, match.start() - 160), match.start())
            ):
                continue
        _add(result, text, start, end)
        start = end
    _add(result, text, start, len(text))
    return result


def _add(result: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        result.append(Sentence(start, end, text[start:end]))


def words(text: str) -> list[str]:
    """A word list written as one string (lists of names and titles read better that way)."""
    return text.split()
