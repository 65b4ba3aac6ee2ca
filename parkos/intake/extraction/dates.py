"""Dates in an article ("March 5, 2026", "2026年3月5日", "3月5号"), as ISO strings, "--MM-DD" when no year is given."""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

from .numbers import fold, original_span, parse_number


@dataclass(frozen=True)
class FoundDate:
    value: str  # "YYYY-MM-DD", or "--MM-DD" when the text gives no year
    text: str
    span: tuple[int, int]


_MONTH_NUMBERS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11,
    "dec": 12,
}  # fmt: skip
# Capitalised month names only: "may" and "march" are also ordinary words.
_MONTH = (
    r"(?P<month>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?\.?|July?\.?|Aug(?:ust|\.)?"
    r"|Sep(?:tember|t\.?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)(?![A-Za-z])"
)
_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:])"
_YEAR = r"(?P<year>(?:1[89]|2[01])\d\d)(?!\d)"
_EN_DATES = (
    re.compile(rf"\b{_WEEKDAY}{_MONTH}\s*{_DAY}(?:,?\s*{_YEAR})?"),  # March 5, 2026 / Mar. 5th
    re.compile(rf"\b{_WEEKDAY}(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s*{_YEAR})?"),  # 5 March 2026
)
_ISO_DATE = re.compile(r"(?<![\d.])(?P<year>(?:1[89]|2[01])\d\d)([-/.])(?P<month>[01]?\d)\2(?P<day>[0-3]?\d)(?![\d.])")

#: "12/03/2026": day and month in an order the article has to settle (see ``_day_month_year``)
_NUMERIC_DATE = re.compile(r"(?<![\d/.])(?P<first>[0-3]?\d)/(?P<second>[0-3]?\d)/(?P<year>(?:19|20)\d\d)(?![\d/])")

_ZH_NUMERAL = "〇零一二两三四五六七八九十"
_ZH_DATE = re.compile(
    rf"(?:(?P<year>\d{{4}}|[〇零一二三四五六七八九]{{4}})\s*年\s*)?"
    rf"(?P<month>\d{{1,2}}|[{_ZH_NUMERAL}]{{1,3}})\s*月\s*(?P<day>\d{{1,2}}|[{_ZH_NUMERAL}]{{1,3}})\s*[日号]"
)
_MONTH_WORD = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_HAS_YEAR = re.compile(r"(?<!\d)(?:1[89]|2[01])\d\d(?!\d)")


def _iso(year: int | None, month: int, day: int) -> str | None:
    """The ISO form of a day, or None when it does not exist (Feb 30, month 13); Feb 29 is fine without a year."""
    try:
        datetime.date(year or 2000, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def _number(text: str | None) -> int | None:
    if not text:
        return None
    value = parse_number(text)
    return int(value) if value is not None and value == int(value) else None


def _day_month_year(folded: str, named: set[tuple[int, int]]):
    """ "12/03/2026", "20/10/2026": day first when the first number cannot be a month, or when the article names that
    day with its month word ("March 12"); month first when the second cannot be a month, or the article says so; an
    ambiguous one the article does not settle is left out."""
    for match in _NUMERIC_DATE.finditer(folded):
        first, second, year = int(match["first"]), int(match["second"]), int(match["year"])
        if first > 12 or (second <= 12 and (second, first) in named and (first, second) not in named):
            yield match.start(), match.end(), year, second, first
        elif second > 12 or (first, second) in named:
            yield match.start(), match.end(), year, first, second


def _candidates(folded: str, language: str):
    """(start, end, year, month, day) for every date pattern match, in any order, overlaps included."""
    for match in _ISO_DATE.finditer(folded):
        yield match.start(), match.end(), int(match["year"]), int(match["month"]), int(match["day"])
    if language == "zh":
        for match in _ZH_DATE.finditer(folded):
            month, day = _number(match["month"]), _number(match["day"])
            if month is not None and day is not None:
                yield match.start(), match.end(), _number(match["year"]), month, day
        return
    named = set()
    for pattern in _EN_DATES:
        for match in pattern.finditer(folded):
            month = _MONTH_NUMBERS[match["month"][:3].lower()]
            year = int(match["year"]) if match["year"] else None
            named.add((month, int(match["day"])))
            yield match.start(), match.end(), year, month, int(match["day"])
    if "/" in folded:
        yield from _day_month_year(folded, named)


def _found(text: str, language: str) -> list[tuple[int, int, int | None, int, int]]:
    """Non-overlapping date matches of the folded text, first and longest first."""
    folded, index_map = fold(text)
    chosen = []
    last_end = -1
    for start, end, year, month, day in sorted(_candidates(folded, language), key=lambda c: (c[0], -c[1])):
        if start >= last_end:
            chosen.append((*original_span(start, end, index_map), year, month, day))
            last_end = end
    return chosen


def find_dates(text: str, language: str) -> list[FoundDate]:
    """Every date in ``text`` that has at least a month and a day, in order; impossible dates are left out."""
    if not text:
        return []
    dates = []
    for start, end, year, month, day in _found(text, language):
        value = _iso(year, month, day)
        if value is not None:
            dates.append(FoundDate(value=value, text=text[start:end], span=(start, end)))
    return dates


def parse_date(text: str, language: str, *, default_year: int | None = None) -> str | None:
    """One date expression as "YYYY-MM-DD", "--MM-DD" (no year given and no ``default_year``) or None.

    Our own patterns come first; dateparser only reads the short English leftovers they miss ("the fifth of
    March"), and the year is taken from the text itself, never from today's date.
    """
    if not text or not text.strip():
        return None
    found = _found(text, language)
    if found:
        _, _, year, month, day = found[0]
        return _iso(year or default_year, month, day)
    # dateparser also reads "today" and "in 3 days" against the clock: ask it only about a month name and a day
    if language == "zh" or len(text) > 60 or not (_MONTH_WORD.search(text) and _DIGIT.search(text)):
        return None
    parsed = _dateparser(" ".join(fold(text)[0].split()))
    if parsed is None:
        return None
    year_match = _HAS_YEAR.search(text)
    year = int(year_match.group()) if year_match else default_year
    return _iso(year, parsed[0], parsed[1])


@functools.lru_cache(maxsize=512)
def _dateparser(text: str) -> tuple[int, int] | None:
    """(month, day) as dateparser reads ``text``, or None; imported late because loading it takes a while."""
    import dateparser

    settings = {"REQUIRE_PARTS": ["day", "month"], "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, TypeError, OverflowError):
        return None
    return None if parsed is None else (parsed.month, parsed.day)
