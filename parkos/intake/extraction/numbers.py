"""Numbers as press releases write them ("1,460", "2.2bn", "Fourteen", "160亿", "一千二百三十") turned into Decimals."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

# Folding keeps one character per character, so offsets found in the folded text are offsets in the original.
# Full-width ASCII becomes ASCII, odd spaces become a space; the full-width comma stays, because Chinese text uses
# it between list items ("14，1460") and folding it would glue two numbers into one.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if code != 0xFF0C}
_FOLD.update({code: 0x20 for code in (0x00A0, 0x1680, 0x202F, 0x205F, 0x3000, *range(0x2000, 0x200B))})
_FOLD.update({0xFFE5: ord("¥"), 0xFFE1: ord("£"), 0x2212: ord("-")})
_ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ZERO_WIDTH = re.compile(f"[{_ZERO_WIDTH_CHARS}]")


def fold(text: str) -> tuple[str, list[int] | None]:
    """The text made easy to match, and where each of its characters came from (None when nothing moved).

    Zero-width characters are dropped (a "1,4\\u200b60" pasted from a web page is still 1460); the index map
    turns a span in the folded text back into a span in ``text``.
    """
    folded = text.translate(_FOLD)
    if not _ZERO_WIDTH.search(folded):
        return folded, None
    kept = [i for i, char in enumerate(folded) if char not in _ZERO_WIDTH_CHARS]
    return "".join(folded[i] for i in kept), kept


def original_span(start: int, end: int, index_map: list[int] | None) -> tuple[int, int]:
    """A span of the folded text as a span of the original text."""
    if index_map is None:
        return start, end
    return index_map[start], index_map[end - 1] + 1


EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
EN_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
#: what may follow a figure written in digits: "16 billion", "2.2bn", "300k"
SUFFIX_SCALES = {
    **EN_SCALES, "k": 10**3, "mn": 10**6, "mln": 10**6, "bn": 10**9, "tn": 10**12,
    "thousands": 10**3, "millions": 10**6, "billions": 10**9,
}  # fmt: skip
#: every word that can be part of an English number written out, for the figure finder's pattern
EN_NUMBER_WORDS = (*EN_UNITS, *EN_TENS, "hundred", *EN_SCALES, "dozen")

ZH_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9,
}  # fmt: skip
ZH_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
ZH_BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}

_ARABIC = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+")
_ARABIC_SCALED = re.compile(r"(?P<number>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*-?\s*(?P<scale>[a-z]+)")
_ARABIC_RUN = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_ZH_CHARS = re.compile(f"[\\d.,{''.join(ZH_DIGITS)}{''.join(ZH_SMALL_UNITS)}{''.join(ZH_BIG_UNITS)}点]+")
_WORD_SPLIT = re.compile(r"[\s-]+")


def parse_number(text: str) -> Decimal | None:
    """The value of one number expression, or None when ``text`` is not one (never raises).

    Accepts digits with thousands separators and an optional English scale ("2.2 billion", "2.2bn", "300k"),
    English number words ("a hundred", "twenty-one", "one hundred and five", "a dozen") and Chinese numerals,
    alone or mixed with digits ("160亿", "1.2万", "一千二百三十", "二〇二六", "1万亿").
    """
    if not isinstance(text, str):
        return None
    cleaned = _ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text)).strip().lower()
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        return None
    try:
        return _whole(_parse(cleaned))
    except (InvalidOperation, ArithmeticError, ValueError):
        return None


def _whole(value: Decimal | None) -> Decimal | None:
    """Whole values as integral Decimals (Decimal("2200000000"), not Decimal("2200000000.0"))."""
    if value is not None and value == value.to_integral_value():
        return Decimal(int(value))
    return value


def _parse(text: str) -> Decimal | None:
    if _ARABIC.fullmatch(text):
        return Decimal(text.replace(",", ""))
    if scaled := _ARABIC_SCALED.fullmatch(text):
        factor = SUFFIX_SCALES.get(scaled["scale"])
        if factor is None and scaled["scale"] == "hundred":
            factor = 100
        return None if factor is None else Decimal(scaled["number"].replace(",", "")) * factor
    if _ZH_CHARS.fullmatch(text):
        return _parse_chinese(text)
    return _parse_english_words(text)


def _parse_english_words(text: str) -> Decimal | None:
    """Written-out English numbers; a word out of place ("one two", "hundred twenty and") gives None."""
    words = [word for word in _WORD_SPLIT.split(text.strip(" ,")) if word]
    if not words:
        return None
    total = 0
    current = 0
    last = None  # what the previous word was: None, "a", "unit", "teen", "ten", "hundred", "scale", "and"
    for index, word in enumerate(words):
        if word in ("a", "an"):
            if index != 0 or len(words) == 1:
                return None
            last = "a"
        elif word == "and":
            if last not in ("hundred", "scale") or index == len(words) - 1:
                return None
            last = "and"
        elif word in EN_UNITS:
            value = EN_UNITS[word]
            if value == 0:
                if len(words) != 1:
                    return None
            elif value < 10:
                if last not in (None, "ten", "hundred", "scale", "and"):
                    return None
            elif last not in (None, "hundred", "scale", "and"):
                return None
            current += value
            last = "unit" if value < 10 else "teen"
        elif word in EN_TENS:
            if last not in (None, "hundred", "scale", "and"):
                return None
            current += EN_TENS[word]
            last = "ten"
        elif word == "hundred":
            if last not in ("a", "unit", "teen", "ten", None) or current % 100 == 0 and current:
                return None
            current = (current or 1) * 100
            last = "hundred"
        elif word == "dozen":
            if last not in ("a", "unit", None):
                return None
            current = (current or 1) * 12
            last = "unit"
        elif word in EN_SCALES:
            if last in ("scale", "and"):
                return None
            total += (current or 1) * EN_SCALES[word]
            current = 0
            last = "scale"
        else:
            return None
    if last == "a":
        return None
    return Decimal(total + current)


def _parse_chinese(text: str) -> Decimal | None:
    """Chinese numerals, mixed with digits or not: "160亿", "1.2万", "两百", "一千二百三十", "二〇二六", "三点五"."""
    if "点" in text:
        whole, _, fraction = text.partition("点")
        if not fraction or any(char not in ZH_DIGITS and not char.isdigit() for char in fraction):
            return None
        whole_value = _parse_chinese(whole) if whole else None
        if whole_value is None:
            return None
        digits = "".join(str(ZH_DIGITS[char]) if char in ZH_DIGITS else char for char in fraction)
        return whole_value + Decimal("0." + digits)
    return _parse_big(text)


def _parse_big(text: str) -> Decimal | None:
    """Split at the last big unit: "3亿5000万" is 3 × 10⁸ + 5000 × 10⁴, and "1万亿" is (1万) × 10⁸."""
    for unit, factor in (("亿", 10**8), ("億", 10**8), ("万", 10**4), ("萬", 10**4)):
        position = text.rfind(unit)
        if position < 0:
            continue
        if unit in "万萬" and ("亿" in text[position:] or "億" in text[position:]):
            continue
        left, right = text[:position], text[position + 1 :]
        left_value = _parse_big(left) if left else Decimal(1)
        if left_value is None:
            return None
        if not right:
            return left_value * factor
        # "三万五" is colloquial for 35000: a lone digit after a big unit counts in the next unit down.
        if len(right) == 1 and right in ZH_DIGITS and left:
            return left_value * factor + ZH_DIGITS[right] * factor // 10
        right_value = _parse_big(right)
        return None if right_value is None else left_value * factor + right_value
    return _parse_section(text)


def _parse_section(text: str) -> Decimal | None:
    """A number below 10,000 written with 千百十 and digits: "一千二百三十", "3千", "十四", "一千零五"."""
    if not text:
        return None
    if all(char in ZH_DIGITS for char in text):
        # "二〇二六" (a year read digit by digit) or a single digit
        return Decimal("".join(str(ZH_DIGITS[char]) for char in text))
    total = Decimal(0)
    pending: Decimal | None = None
    last_unit = None
    saw_zero = False
    position = 0
    while position < len(text):
        char = text[position]
        if run := _ARABIC_RUN.match(text, position):
            if pending is not None:
                return None
            pending = Decimal(run.group().replace(",", ""))
            position = run.end()
            continue
        if char in ZH_DIGITS:
            if pending is not None and not (pending == 0 and saw_zero):
                return None
            pending = Decimal(ZH_DIGITS[char])
            saw_zero = saw_zero or pending == 0
        elif char in ZH_SMALL_UNITS:
            unit = ZH_SMALL_UNITS[char]
            # a unit needs its digit ("千百" is no number), except first: "十四", "百万"
            if last_unit is not None and unit >= last_unit or pending is None and position > 0:
                return None
            total += (pending or 1) * unit  # "一千零十": the 零 only holds the hundreds' place
            pending = None
            last_unit = unit
        else:
            return None
        position += 1
    if pending is not None:
        # "一千二" is colloquial for 1200, but "一千零二" is 1002.
        if last_unit and last_unit >= 100 and not saw_zero and text[-2] in ZH_SMALL_UNITS:
            pending *= last_unit // 10
        total += pending
    return total
