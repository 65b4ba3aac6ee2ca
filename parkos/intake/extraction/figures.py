"""Money, area, count and percent figures in an article, normalised (CNY, m², plain numbers) and with their spans."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from .numbers import EN_NUMBER_WORDS, fold, original_span, parse_number
from .text import words


@dataclass(frozen=True)
class Figure:
    kind: str  # "money" | "area" | "count" | "percent"
    value: int | float  # int when whole, else a float rounded to 2 decimals
    unit: str | None  # money: ISO code; area: "m2"; percent: "%"; count: None
    of: str | None  # count: the noun counted, as written ("projects", "项目")
    text: str  # text[span[0]:span[1]]
    span: tuple[int, int]

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "value": self.value,
            "unit": self.unit,
            "of": self.of,
            "text": self.text,
            "span": [self.span[0], self.span[1]],
        }


# When two candidates overlap, the one starting first wins, then the longer, then this order: a money figure is
# never also reported as a count, an area never as a count.
_PRIORITY = {"money": 0, "area": 1, "percent": 2, "count": 3}


def _alternation(words) -> str:
    """A regex alternation trying longer words first, so "就业岗位" wins over "岗位"."""
    return "|".join(sorted((re.escape(word) for word in words), key=len, reverse=True))


# --- numbers inside running text -------------------------------------------------------------------------------

_DIGITS = r"(?<![\d.])(?<!\d,)(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d])(?!,\d)"
_WORD = rf"(?:{_alternation(EN_NUMBER_WORDS)})\b"
_WORDS = (
    rf"\b(?:an?\s+(?=(?:hundred|thousand|million|billion|dozen)\b))?{_WORD}"
    rf"(?:(?:\s+|\s*-\s*)(?:and\s+)?{_WORD})*"
)
_SCALE = r"(?:[\s-]*(?:thousand|million|billion|trillion)\b|\s?(?:bn|mn|mln|tn|k)\b)"
# An English amount: "16 billion", "2.2bn", "1,460", "Fourteen", "one hundred and five"
_EN_AMOUNT = rf"(?:{_DIGITS}{_SCALE}?|{_WORDS})"

_ZH_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿"
# A Chinese amount: "160亿", "1.2万", "十四", "5000万", "1,460"; "余/多" ("200余", "50多亿") means "more than".
_ZH_AMOUNT = (
    rf"(?:{_DIGITS}(?:[多余]?[十百千]?[万亿]{{1,2}}(?:(?<=亿)\d{{1,4}}(?:\.\d+)?千?万)?|[十百千](?![{_ZH_NUMERAL_CHARS}]))?"
    rf"|(?<![{_ZH_NUMERAL_CHARS}])[零〇一二两三四五六七八九十][{_ZH_NUMERAL_CHARS}]*(?:[多余][万亿]{{1,2}})?)"
)


@functools.lru_cache(maxsize=4096)
def _value(amount: str) -> Decimal | None:
    """parse_number for an amount as matched, ignoring "more than" marks and odd spacing."""
    amount = amount.replace("多", "").replace("余", "")
    amount = re.sub(r"\s*-\s*", " ", amount)
    return parse_number(amount)


def _normalised(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else round(float(value), 2)


# --- money ---------------------------------------------------------------------------------------------------

_CURRENCY_SYMBOLS = {
    "us$": "USD", "u.s.$": "USD", "u.s. $": "USD", "$": "USD", "hk$": "HKD", "€": "EUR", "£": "GBP", "¥": "CNY",
    "rmb": "CNY", "cny": "CNY", "usd": "USD", "eur": "EUR", "hkd": "HKD", "jpy": "JPY", "gbp": "GBP", "jp¥": "JPY",
}  # fmt: skip
_CURRENCY_NAMES = {
    "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "cny": "CNY", "yuan rmb": "CNY",
    "u.s. dollars": "USD", "u.s. dollar": "USD", "us dollars": "USD", "us dollar": "USD", "american dollars": "USD",
    "dollars": "USD", "dollar": "USD", "usd": "USD",
    "hong kong dollars": "HKD", "hong kong dollar": "HKD", "hk dollars": "HKD", "hkd": "HKD",
    "euros": "EUR", "euro": "EUR", "eur": "EUR",
    "yen": "JPY", "japanese yen": "JPY", "jpy": "JPY",
    "pounds": "GBP", "pound": "GBP", "pounds sterling": "GBP", "british pounds": "GBP", "gbp": "GBP",
}  # fmt: skip
_ZH_CURRENCIES = {
    "元人民币": "CNY", "元": "CNY", "人民币": "CNY", "美元": "USD", "美金": "USD", "欧元": "EUR",
    "港元": "HKD", "港币": "HKD", "日元": "JPY", "英镑": "GBP",
}  # fmt: skip


def _names_pattern(names, separator: str = r"\s+") -> str:
    """An alternation of names whose spaces match any run of spaces (or ``separator``)."""
    return _alternation(names).replace(r"\ ", separator)


_EN_SYMBOL = r"(?:US\$|U\.S\.\s?\$|HK\$|JP¥|\$|€|£|¥|(?<![A-Za-z])(?:RMB|CNY|USD|EUR|HKD|JPY|GBP)\s?)"
# "$2.2B" / "€50m": a bare letter scale only right after a currency symbol, where it cannot be metres.
_EN_MONEY_PREFIXED = re.compile(
    rf"(?P<symbol>{_EN_SYMBOL})\s?(?P<amount>{_DIGITS}(?:{_SCALE}|(?P<letter>[mMbB])\b)?|{_WORDS})"
    rf"(?:\s+(?P<name>{_names_pattern(_CURRENCY_NAMES)})\b)?",
    re.IGNORECASE,
)
_EN_MONEY_TAIL = re.compile(rf"(?:\s*|-)(?P<name>{_names_pattern(_CURRENCY_NAMES)})\b", re.IGNORECASE)
_ZH_MONEY_TAIL = re.compile(rf"\s?(?P<currency>{_alternation(_ZH_CURRENCIES)})")
_ZH_MONEY_PREFIX = re.compile(r"(?:人民币|RMB|US\$|HK\$|\$|¥|€|£)\s?$")


# --- area ----------------------------------------------------------------------------------------------------

_MU = Decimal(10000) / Decimal(15)
_EN_AREA_UNITS = {
    "square meters": 1, "square metres": 1, "square meter": 1, "square metre": 1, "sq m": 1, "sq. m": 1,
    "sq. m.": 1, "sqm": 1, "m2": 1, "m²": 1, "㎡": 1,
    "square kilometers": 10**6, "square kilometres": 10**6, "square kilometer": 10**6, "square kilometre": 10**6,
    "sq km": 10**6, "sq. km": 10**6, "km2": 10**6, "km²": 10**6, "㎢": 10**6,
    "hectares": 10**4, "hectare": 10**4, "ha": 10**4, "mu": _MU,
    "acres": Decimal("4046.8564224"), "acre": Decimal("4046.8564224"),
    "square feet": Decimal("0.09290304"), "sq ft": Decimal("0.09290304"),
}  # fmt: skip
_ZH_AREA_UNITS = {
    "平方米": 1, "平米": 1, "㎡": 1, "m²": 1, "m2": 1, "平方公里": 10**6, "平方千米": 10**6, "公顷": 10**4, "亩": _MU,
}  # fmt: skip
_EN_AREA_UNIT = _names_pattern(_EN_AREA_UNITS, r"[\s-]+")
_EN_AREA_TAIL = re.compile(rf"[\s-]*(?P<unit>{_EN_AREA_UNIT})(?![A-Za-z0-9])", re.IGNORECASE)
_ZH_AREA_TAIL = re.compile(rf"\s?(?P<unit>{_alternation(_ZH_AREA_UNITS)})")


# --- percent -------------------------------------------------------------------------------------------------

_EN_PERCENT_TAIL = re.compile(r"\s?(?:%|percent\b|per\s?cent\b)", re.IGNORECASE)
_ZH_PERCENT_TAIL = re.compile(r"\s?%")
_ZH_PERCENT_WORDS = re.compile(rf"百分之(?P<amount>{_DIGITS}|[{_ZH_NUMERAL_CHARS}]+(?:点[零〇一二两三四五六七八九]+)?)")


# --- counts --------------------------------------------------------------------------------------------------

#: what an English count may count, in the singular; plurals are made below ("company" -> "companies")
_EN_COUNTED = (
    "project", "enterprise", "company", "firm", "agreement", "contract", "deal", "memorandum", "mou", "job",
    "employee", "worker", "person", "delegate", "guest", "representative", "participant", "attendee", "visitor",
    "exhibitor", "official", "expert", "scientist", "researcher", "engineer", "entrepreneur", "student", "graduate",
    "talent", "academician", "member", "partner", "supplier", "customer", "investor", "park", "zone", "base",
    "cluster", "university", "college", "school", "institution", "institute", "hospital", "laboratory", "lab",
    "center", "centre", "platform", "bank", "fund", "patent", "startup", "start-up", "country", "city", "region",
    "province", "industry", "sector", "factory", "plant", "building", "team", "organization", "organisation",
    "household", "resident", "product", "event", "forum", "delegation",
)  # fmt: skip


def _plural(noun: str) -> str:
    return noun[:-1] + "ies" if noun.endswith("y") and noun[-2] not in "aeiou" else noun + "s"


_EN_COUNTED_FORMS = {*_EN_COUNTED, *map(_plural, _EN_COUNTED), "people", "persons", "memoranda"}
# Words that may stand between a number and its noun ("32 key projects", "14 major new projects") are open-ended;
# these may not, so "5 of the projects" and "15 percent of firms" are not counts.
_NOT_MODIFIERS = (
    "of", "the", "a", "an", "and", "or", "to", "in", "on", "at", "for", "from", "by", "with", "as", "than", "that",
    "which", "who", "were", "was", "are", "is", "be", "been", "have", "has", "had", "will", "would", "per",
    "percent", "cent", "yuan", "dollars", "euros", "yen", "pounds", "rmb", "square", "sq", "million", "billion",
    "thousand", "hundred", "year", "years", "month", "months", "day", "days", "times",
)  # fmt: skip
_MODIFIER = rf"(?!(?:{_alternation(_NOT_MODIFIERS)})\b)[A-Za-z][A-Za-z-]*"
_EN_COUNT_TAIL = re.compile(
    rf"[^\S\n]+(?:{_MODIFIER}[^\S\n]+){{0,2}}?(?P<noun>{_alternation(_EN_COUNTED_FORMS)})\b"
    # "14 enterprise projects" counts projects: the noun is the last of a run of counted nouns
    rf"(?![\s-]+(?:{_alternation(_EN_COUNTED_FORMS)})\b)",
    re.IGNORECASE,
)
#: any other plural noun after a number is counted too ("38 companies", "5 floors"), but not time and measures
_EN_NOT_COUNTED = frozenset(
    words(
        "years months days weeks hours minutes seconds decades centuries times percent points tons tonnes metres meters "
        "kilometres kilometers miles yuan dollars euros billions millions thousands hundreds dozens kilowatts watts "
        "degrees levels rounds phases stages batches items aspects sides parties ways areas terms kinds types sorts series "
        "others ones lines rows"
    )
)
_EN_OPEN_COUNT_TAIL = re.compile(r"[^\S\n]+(?:(?P<adjective>[a-z][a-z-]+[^s\W])[^\S\n]+)?(?P<noun>[a-z]{2,}[^s\W]s)\b")
_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# A four-digit number after one of these is a year ("in 2026 projects worth ...", "March 5, 2026 delegates").
_YEAR_CONTEXT = re.compile(
    rf"(?:\b(?:in|since|by|from|until|till|through|during|before|after|of|to|and|year|early|late|mid|end)|"
    rf"\b{_MONTHS}(?:\s+\d{{1,2}})?|,)\s*$",
    re.IGNORECASE,
)
_MONTH_BEFORE = re.compile(rf"\b{_MONTHS}\s*$")

_ZH_COUNTED = (
    "项目", "企业", "公司", "高校", "大学", "院校", "学校", "科研院所", "研究院", "研究所", "银行", "金融机构",
    "机构", "代表", "嘉宾", "客商", "来宾", "就业岗位", "岗位", "协议", "合同", "合作协议", "人才", "专利", "园区",
    "国家", "地区", "城市", "员工", "职工", "工人", "人员", "投资者", "投资人", "专家", "院士", "学者", "团队", "平台",
    "基地", "中心", "实验室", "产业", "行业", "工厂", "厂房", "医院", "会员", "成员", "单位", "部门", "商户",
    "客户", "企业家", "代表团", "展商", "参展商", "人",
)  # fmt: skip
_ZH_MEASURES = "个家所名位项座条件户批支台栋幢"
_ZH_COUNTED_PATTERN = _alternation(_ZH_COUNTED)
_ZH_COUNTED_BEFORE = _alternation(noun for noun in _ZH_COUNTED if noun != "人")
_ZH_COUNT_TAIL = re.compile(
    rf"\s?(?:[{_ZH_MEASURES}](?![月年日天])[\u4e00-\u9fff]{{0,4}}?(?P<noun>{_ZH_COUNTED_PATTERN})|(?P<people>人次|人))"
)
_ZH_COUNT_NOUN_FIRST = re.compile(
    rf"(?P<noun>{_ZH_COUNTED_BEFORE})[共计达约有为总数合已超过近逾]{{0,3}}(?P<amount>{_ZH_AMOUNT})(?:[多余])?"
    rf"\s?[{_ZH_MEASURES}](?![\u4e00-\u9fff]{{0,4}}(?:{_ZH_COUNTED_PATTERN}))"
)


_EN_AMOUNT_PATTERN = re.compile(rf"(?<![A-Za-z]){_EN_AMOUNT}", re.IGNORECASE)  # not "G20", "COVID-19"
_ZH_AMOUNT_PATTERN = re.compile(rf"(?P<amount>{_ZH_AMOUNT})[多余]?")
#: the characters a Chinese figure's unit can start with (plus a space before it)
_ZH_TAIL_STARTS = frozenset(" %㎡mM人" + _ZH_MEASURES + "".join(name[0] for name in (*_ZH_CURRENCIES, *_ZH_AREA_UNITS)))


def _is_year(amount: str, before: str) -> bool:
    """Whether a number is a year or a day of a date rather than something counted."""
    if _MONTH_BEFORE.search(before):
        return True
    return bool(re.fullmatch(r"(?:19|20|21)\d\d", amount) and _YEAR_CONTEXT.search(before))


def _english_candidates(text: str):
    """(kind, start, end, amount, unit or area factor, of) for every English figure, overlaps included.

    Amounts are found once and each kind is tried right after them: one scan of the text instead of one per kind.
    """
    for match in _EN_MONEY_PREFIXED.finditer(text):
        amount = match["amount"]
        if match["letter"]:
            amount = amount[:-1] + ("mn" if match["letter"] in "mM" else "bn")
        symbol = re.sub(r"\s+", " ", match["symbol"].strip().lower())
        unit = _CURRENCY_SYMBOLS.get(symbol)
        if match["name"] and symbol == "$":
            unit = _CURRENCY_NAMES.get(" ".join(match["name"].lower().split()), unit)
        yield "money", match.start(), match.end(), amount, unit, None
    for match in _EN_AMOUNT_PATTERN.finditer(text):
        start, end, amount = match.start(), match.end(), match.group()
        if tail := _EN_MONEY_TAIL.match(text, end):
            yield "money", start, tail.end(), amount, _CURRENCY_NAMES[" ".join(tail["name"].lower().split())], None
        if tail := _EN_AREA_TAIL.match(text, end):
            yield "area", start, tail.end(), amount, _EN_AREA_UNITS[re.sub(r"[\s-]+", " ", tail["unit"].lower())], None
        if tail := _EN_PERCENT_TAIL.match(text, end):
            yield "percent", start, tail.end(), amount, "%", None
        if _is_year(amount, text[max(0, start - 20) : start]) or re.search(
            r"\d[-/.]$", text[max(0, start - 2) : start]
        ):
            continue
        if tail := _EN_COUNT_TAIL.match(text, end):
            yield "count", start, tail.end(), amount, None, tail["noun"].lower()
        elif (tail := _EN_OPEN_COUNT_TAIL.match(text, end)) and not {tail["noun"], tail["adjective"]} & _EN_NOT_COUNTED:
            yield "count", start, tail.end(), amount, None, tail["noun"]


def _chinese_candidates(text: str):
    """The same for Chinese text: amounts found once, then a currency, area unit, % or measure word after them."""
    for match in _ZH_AMOUNT_PATTERN.finditer(text):
        start, end, amount = match.start(), match.end(), match["amount"]
        prefix = _ZH_MONEY_PREFIX.search(text, max(0, start - 5), start)
        if not prefix and text[end : end + 1] not in _ZH_TAIL_STARTS:
            continue  # most numbers in Chinese text (dates, ordinals) have no unit: skip the tail patterns
        if tail := _ZH_MONEY_TAIL.match(text, end):
            yield (
                "money",
                prefix.start() if prefix else start,
                tail.end(),
                amount,
                _ZH_CURRENCIES[tail["currency"]],
                None,
            )
        elif prefix:
            symbol = prefix.group().strip()
            unit = "CNY" if symbol == "人民币" else _CURRENCY_SYMBOLS.get(symbol.lower(), "CNY")
            yield "money", prefix.start(), end, amount, unit, None
        if tail := _ZH_AREA_TAIL.match(text, end):
            yield "area", start, tail.end(), amount, _ZH_AREA_UNITS[tail["unit"]], None
        elif tail := _EN_AREA_TAIL.match(text, end):
            yield "area", start, tail.end(), amount, _EN_AREA_UNITS[re.sub(r"[\s-]+", " ", tail["unit"].lower())], None
        if tail := _ZH_PERCENT_TAIL.match(text, end):
            yield "percent", start, tail.end(), amount, "%", None
        if (tail := _ZH_COUNT_TAIL.match(text, end)) and text[start - 1 : start] != "第":
            yield "count", start, tail.end(), amount, None, tail["noun"] or tail["people"]
    for match in _ZH_PERCENT_WORDS.finditer(text):
        yield "percent", match.start(), match.end(), match["amount"], "%", None
    for match in _ZH_COUNT_NOUN_FIRST.finditer(text):
        yield "count", match.start(), match.end(), match["amount"], None, match["noun"]


def find_figures(text: str, language: str) -> list[Figure]:
    """Every money, area, count and percent figure in ``text``, in order and without overlaps."""
    if not text:
        return []
    folded, index_map = fold(text)
    candidates = []
    finder = _chinese_candidates if language == "zh" else _english_candidates
    for kind, start, end, amount, unit_or_factor, of in finder(folded):
        candidates.append((start, -(end - start), _PRIORITY[kind], kind, amount, unit_or_factor, of, end))
    candidates.sort(key=lambda candidate: candidate[:3])
    figures = []
    last_end = -1
    for start, _, _, kind, amount, unit_or_factor, of, end in candidates:
        # parsed only once chosen: most candidates lose to an overlapping one, and a figure whose number does not
        # parse ("one and two") leaves its place to the next candidate
        if start < last_end or (value := _value(amount)) is None:
            continue
        if kind == "area":
            value, unit = value * unit_or_factor, "m2"
        else:
            unit = unit_or_factor
        original_start, original_end = original_span(start, end, index_map)
        figures.append(
            Figure(
                kind=kind,
                value=_normalised(value),
                unit=unit,
                of=of,
                text=text[original_start:original_end],
                span=(original_start, original_end),
            )
        )
        last_end = end
    return figures
