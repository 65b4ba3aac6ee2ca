"""Areas and money: the one place where units are converted, parsed and formatted.

Areas are stored in square metres and shown in m² or mu (亩) as each user prefers;
1 mu = 10000/15 m² (exactly 666.67 m², rounded). Money is a Decimal amount with an ISO 4217 currency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Self, overload

from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.formats import number_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

M2_PER_MU = Decimal(10000) / Decimal(15)


class AreaUnit(models.TextChoices):
    SQUARE_METRE = "m2", _("square metres (m²)")
    MU = "mu", _("mu (亩)")


AREA_UNIT_SYMBOLS: dict[str, str | StrPromise] = {AreaUnit.SQUARE_METRE: "m²", AreaUnit.MU: _("mu")}

# Suffixes people write after a number, mapped to the unit they mean.
_AREA_SUFFIXES = {
    "m2": AreaUnit.SQUARE_METRE,
    "m²": AreaUnit.SQUARE_METRE,
    "㎡": AreaUnit.SQUARE_METRE,
    "sqm": AreaUnit.SQUARE_METRE,
    "平方米": AreaUnit.SQUARE_METRE,
    "平米": AreaUnit.SQUARE_METRE,
    "mu": AreaUnit.MU,
    "亩": AreaUnit.MU,
}
_AREA_PATTERN = re.compile(r"^\s*([-+]?[\d,]*\.?\d+)\s*([^\d\s].*?)?\s*$")


def m2_to_mu(square_metres: Decimal | float | int) -> Decimal:
    return Decimal(square_metres) / M2_PER_MU


def mu_to_m2(mu: Decimal | float | int) -> Decimal:
    return Decimal(mu) * M2_PER_MU


def area_in_unit(square_metres: Decimal | None, unit: str) -> Decimal | None:
    """The stored m² value expressed in the given unit, rounded to two places."""
    if square_metres is None:
        return None
    value = m2_to_mu(square_metres) if unit == AreaUnit.MU else Decimal(square_metres)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def format_area(square_metres: Decimal | None, unit: str = AreaUnit.SQUARE_METRE, *, compact: bool = False) -> str:
    """'12,345.00 m²' or '18.52 mu'; an empty string for no value.

    ``compact`` (cockpit tiles): in Chinese, 10,000 m² and more read in 万㎡ ('175.49 万㎡', not
    '1,754,897.25 m²'); English keeps the grouped figure, and mu are never scaled.
    """
    value = area_in_unit(square_metres, unit)
    if value is None:
        return ""
    if compact and unit != AreaUnit.MU and is_chinese() and abs(value) >= WAN:
        return f"{group_number(value / WAN)} 万㎡"
    symbol = AREA_UNIT_SYMBOLS.get(unit, "m²")
    return f"{two_places_grouped(value)} {symbol}"


#: language -> whether its formats write numbers as Python's "," grouping does ("." decimals, "," thousands by 3)
_python_grouping: dict[str | None, bool] = {}


def two_places_grouped(value: Decimal) -> str:
    """``number_format(value, decimal_pos=2, force_grouping=True)`` of a Decimal with two places, by Python's ``,``
    format where the language's formats group as it does (every ParkOS language): Django's took about 50 Python
    calls a number, and every area of a list goes through here (issue 16)."""
    from django.utils.translation import get_language

    language = get_language()
    plain = _python_grouping.get(language)
    if plain is None:
        from django.utils.formats import get_format

        plain = _python_grouping[language] = (
            get_format("DECIMAL_SEPARATOR") == "."
            and get_format("THOUSAND_SEPARATOR") == ","
            and get_format("NUMBER_GROUPING") == 3
        )
    if not plain or not isinstance(value, Decimal) or not value.is_finite() or value.as_tuple().exponent != -2:
        return number_format(value, decimal_pos=2, force_grouping=True)
    if not value:
        value = abs(value)  # Django writes -0.00 as 0.00
    return f"{value:,f}"


@receiver(setting_changed)
def _forget_grouping(setting: str, **kwargs: object) -> None:
    """A test that changes the formats (as Django forgets its format cache)."""
    if setting in {"FORMAT_MODULE_PATH", "DECIMAL_SEPARATOR", "THOUSAND_SEPARATOR", "NUMBER_GROUPING", "LANGUAGES"}:
        _python_grouping.clear()


def parse_area(text: str | Decimal | int | float) -> Decimal:
    """Square metres from '1200', '1,200 m²', '18 mu' or '18亩'. A bare number is m².

    Raises ValueError with a message that says what was expected.
    """
    if isinstance(text, Decimal | int | float):
        return Decimal(text)
    match = _AREA_PATTERN.match(str(text))
    if not match:
        raise ValueError(_("Enter an area as a number, optionally followed by m² or mu, e.g. 1200 or 18 mu."))
    number, suffix = match.groups()
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError(_("'%(value)s' is not a number.") % {"value": number}) from exc
    if suffix:
        unit = _AREA_SUFFIXES.get(suffix.strip().lower())
        if unit is None:
            raise ValueError(_("Unknown area unit '%(unit)s': use m² or mu.") % {"unit": suffix.strip()})
        if unit == AreaUnit.MU:
            value = mu_to_m2(value)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# ISO 4217 codes a park operator meets in agreements; extend here, nowhere else.
CURRENCIES = {
    "CNY": _("Chinese yuan"),
    "USD": _("US dollar"),
    "EUR": _("Euro"),
    "HKD": _("Hong Kong dollar"),
    "JPY": _("Japanese yen"),
    "GBP": _("Pound sterling"),
    "SGD": _("Singapore dollar"),
    "KRW": _("South Korean won"),
    "CHF": _("Swiss franc"),
    "AUD": _("Australian dollar"),
    "CAD": _("Canadian dollar"),
    "TWD": _("New Taiwan dollar"),
    "MOP": _("Macanese pataca"),
    "AED": _("UAE dirham"),
    "SAR": _("Saudi riyal"),
    "RUB": _("Russian rouble"),
    "INR": _("Indian rupee"),
    "THB": _("Thai baht"),
    "MYR": _("Malaysian ringgit"),
    "VND": _("Vietnamese dong"),
    "IDR": _("Indonesian rupiah"),
    "BRL": _("Brazilian real"),
}
DEFAULT_CURRENCY = "CNY"
CURRENCY_CHOICES = [(code, format_lazy("{} · {}", code, name)) for code, name in CURRENCIES.items()]


@dataclass(frozen=True, slots=True)
class Money:
    """An amount of one currency. Adding two currencies is an error, never a silent conversion."""

    amount: Decimal
    currency: str = DEFAULT_CURRENCY

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", Decimal(self.amount))
        if self.currency not in CURRENCIES:
            raise ValueError(_("Unknown currency '%(code)s'.") % {"code": self.currency})

    def _check(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError("Money can only be combined with Money")
        if other.currency != self.currency:
            raise ValueError(
                _("Cannot combine %(a)s with %(b)s without a rate.") % {"a": self.currency, "b": other.currency}
            )

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        return Money(self.amount * Decimal(factor), self.currency)

    def __str__(self) -> str:
        """In the active language's default unit ('1,442.10 万元', 'CNY 14,421,000.00'); a page with a user
        uses the ``money`` filter, which follows the user's chosen unit."""
        return format_money(self.amount, self.currency)


class MoneyProperty:
    """Expose an amount field and a currency field of a model as one Money value.

    usage: planned_investment = MoneyProperty("planned_investment_amount", "planned_investment_currency")
    """

    def __init__(self, amount_field: str, currency_field: str) -> None:
        self.amount_field = amount_field
        self.currency_field = currency_field

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> Self: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> Money | None: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> Self | Money | None:
        if instance is None:
            return self
        amount = getattr(instance, self.amount_field)
        if amount is None:
            return None
        return Money(amount, getattr(instance, self.currency_field) or DEFAULT_CURRENCY)

    def __set__(self, instance: object, value: Money | None) -> None:
        setattr(instance, self.amount_field, None if value is None else value.amount)
        if value is not None:
            setattr(instance, self.currency_field, value.currency)


# --- Numbers for people (STYLE rule 19): the one formatting layer -------------------------------------------
# Templates (core.templatetags.parkos), tables (core.tables), detail pages, charts and the PDF call these.
# Exports and the API keep machine numbers: XLSX cells are typed numbers with a number format, CSV and JSON
# hold plain numbers ("1234567.80"), so that a spreadsheet or a program can compute with them.

WAN = Decimal(10_000)
YI = Decimal(100_000_000)


class MoneyUnit(models.TextChoices):
    """How a user reads money. Blank means: by language (万元 in Chinese, yuan with the currency code in English)."""

    BY_LANGUAGE = "", _("by language (10,000 yuan in Chinese, yuan in English)")
    YUAN = "yuan", _("yuan (元)")
    WAN = "wan", _("10,000 yuan (万元)")
    YI = "yi", _("100 million yuan (亿元)")


_MONEY_DIVISORS: dict[str, Decimal] = {MoneyUnit.YUAN: Decimal(1), MoneyUnit.WAN: WAN, MoneyUnit.YI: YI}
_MONEY_PREFIXES: dict[str, str] = {MoneyUnit.YUAN: "", MoneyUnit.WAN: "万", MoneyUnit.YI: "亿"}
MILLION = Decimal(1_000_000)
#: Each currency as Chinese writes it after an amount: '18,853.74 万美元', '1.89 亿美元' (never '万USD').
CURRENCY_NAMES_ZH: dict[str, str] = {
    "CNY": "元",
    "USD": "美元",
    "EUR": "欧元",
    "HKD": "港元",
    "JPY": "日元",
    "GBP": "英镑",
    "SGD": "新加坡元",
    "KRW": "韩元",
    "CHF": "瑞士法郎",
    "AUD": "澳元",
    "CAD": "加元",
    "TWD": "新台币",
    "MOP": "澳门元",
    "AED": "阿联酋迪拉姆",
    "SAR": "沙特里亚尔",
    "RUB": "卢布",
    "INR": "印度卢比",
    "THB": "泰铢",
    "MYR": "林吉特",
    "VND": "越南盾",
    "IDR": "印尼盾",
    "BRL": "巴西雷亚尔",
}

# Areas the domain counts in mu (亩) as well as m²: land, not floor space. (app label, model name, field name)
MU_AREA_FIELDS: frozenset[tuple[str, str, str]] = frozenset(
    {
        ("parks", "park", "land_area"),
        ("parks", "landparcel", "area"),
        ("evaluation", "indicatorfiling", "land_area"),
        ("land", "disposalcase", "area"),
        ("land", "parcelflag", "area"),
    }
)


def is_chinese(language: str | None = None) -> bool:
    from django.utils import translation

    return (language or translation.get_language() or "").lower().startswith("zh")


def money_unit_for(user: object = None, language: str | None = None) -> str:
    """The user's money unit; by language when the user has not chosen one (万元 in zh-Hans, 元 in English)."""
    unit: str = getattr(user, "money_unit", "") or ""
    if unit in _MONEY_DIVISORS:
        return unit
    return MoneyUnit.WAN if is_chinese(language) else MoneyUnit.YUAN


def group_number(value: Decimal | float | int, decimal_pos: int | None = 2) -> str:
    """'1,234,567.80': grouped by thousands in every language (Chinese finance writes 1,234,567.80 too)."""
    number = Decimal(value) if not isinstance(value, Decimal) else value
    if decimal_pos is not None:
        number = number.quantize(Decimal(1).scaleb(-decimal_pos), rounding=ROUND_HALF_UP)
    text = f"{abs(number):,f}" if decimal_pos is None else f"{abs(number):,.{decimal_pos}f}"
    return f"-{text}" if number < 0 and number != 0 else text


def money_parts(
    amount: Decimal | float | int | None,
    currency: str | None = DEFAULT_CURRENCY,
    unit: str | None = None,
    language: str | None = None,
) -> tuple[str, str]:
    """('1,442.10', '万元') or ('14,421,000.00', 'CNY'): the number and its unit label, for cards and charts.

    Chinese names the currency in Chinese after the number ('18,853.74', '万美元'); English leads with its code
    ('CNY', 'USD'), and a foreign currency in a scaled unit reads in millions ('188.54', 'USD million'): 万 and
    亿 are Chinese units, kept in English for yuan only, where the reader chose them.
    """
    if amount is None:
        return "", ""
    currency = currency or DEFAULT_CURRENCY
    chosen = money_unit_for(language=language) if unit is None or unit not in _MONEY_DIVISORS else unit
    prefix = _MONEY_PREFIXES[chosen]
    if is_chinese(language):
        name = CURRENCY_NAMES_ZH.get(currency, currency)
        return group_number(Decimal(amount) / _MONEY_DIVISORS[chosen]), f"{prefix}{name}"
    if chosen == MoneyUnit.YUAN:
        return group_number(Decimal(amount)), currency
    if currency == DEFAULT_CURRENCY:
        return group_number(Decimal(amount) / _MONEY_DIVISORS[chosen]), f"{prefix}元"
    return group_number(Decimal(amount) / MILLION), f"{currency} million"


def format_money(
    amount: Decimal | float | int | None,
    currency: str | None = DEFAULT_CURRENCY,
    unit: str | None = None,
    language: str | None = None,
) -> str:
    """Money for people: '1,442.10 万元', '1.44 亿元', '14,421,000.00 元', '18,853.74 万美元' (zh) or
    'CNY 14,421,000.00', 'USD 188.54 million' (en).

    ``unit`` is a MoneyUnit value (blank or None: by language). An empty string for no amount.
    """
    number, label = money_parts(amount, currency, unit, language)
    if not number:
        return ""
    if label.endswith(" million"):  # 'USD 188.54 million'
        return f"{label.removesuffix(' million')} {number} million"
    if label.isascii():  # a currency code leads: 'CNY 14,421,000.00'
        return f"{label} {number}"
    return f"{number} {label}"


def format_decimal(value: Decimal | float | int | None, decimal_pos: int | None = None) -> str:
    """A plain quantity with thousands separators; trailing zeros of a Decimal kept to ``decimal_pos``."""
    if value is None:
        return ""
    if decimal_pos is None and isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        decimal_pos = max(0, -exponent) if isinstance(exponent, int) else 2
    if isinstance(value, int) and decimal_pos is None:
        decimal_pos = 0
    return group_number(value, 2 if decimal_pos is None else decimal_pos)


def format_area_with_mu(
    square_metres: Decimal | None, unit: str = AreaUnit.SQUARE_METRE, *, compact: bool = False
) -> str:
    """Land: '12,345.00 m² (18.52 亩)', or in the user's mu first: '18.52 亩 (12,345.00 m²)'.

    ``compact`` (cockpit tiles): m² as format_area(compact=True) writes them ('2,632.35 亩 (175.49 万㎡)').
    No land reads '0 m²' or '0 亩' (the unit it leads with): nothing to convert, no '0.00 亩 (0.00 m²)'.
    """
    if square_metres is None:
        return ""
    if not square_metres:
        return f"0 {AREA_UNIT_SYMBOLS.get(unit, 'm²')}"
    metres = format_area(square_metres, AreaUnit.SQUARE_METRE, compact=compact)
    mu = format_area(square_metres, AreaUnit.MU)
    return f"{mu} ({metres})" if unit == AreaUnit.MU else f"{metres} ({mu})"


RENT_BASIS_UNITS: dict[str, str] = {"m2_day": "/㎡·天", "m2_month": "/㎡·月", "month": "/月"}
RENT_BASIS_UNITS_EN: dict[str, str] = {"m2_day": "/m²/day", "m2_month": "/m²/month", "month": "/month"}


def format_rent(amount: Decimal | None, basis: str, currency: str | None = DEFAULT_CURRENCY) -> str:
    """A rent at its basis, never scaled: '3.50 元/㎡·天', '4.20 元/㎡·月'; in English 'CNY 3.50/m²/day'."""
    if amount is None:
        return ""
    currency = currency or DEFAULT_CURRENCY
    number = group_number(Decimal(amount))
    if is_chinese():
        label = "元" if currency == DEFAULT_CURRENCY else currency
        return f"{number} {label}{RENT_BASIS_UNITS.get(basis, '')}"
    return f"{currency} {number}{RENT_BASIS_UNITS_EN.get(basis, '')}"


LOCAL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"


def format_datetime(value: object) -> str:
    """Local time (settings.TIME_ZONE) as '2026-12-06 16:30': no seconds, no microseconds, no UTC offset.

    Takes an aware or naive datetime, a date, or an ISO string (as the change log stores values).
    """
    import datetime as dt

    from django.utils import timezone
    from django.utils.dateparse import parse_date, parse_datetime

    if value is None or value == "":
        return ""
    if isinstance(value, str):
        parsed: dt.datetime | dt.date | None = parse_datetime(value) or parse_date(value)
        if parsed is None:
            return value
        value = parsed
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime(LOCAL_DATETIME_FORMAT)
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


# --- Units written in spreadsheet headers ('营业收入(万元)', '用地面积(亩)', 'rent (10,000 yuan)') ---------------
# Imports read the unit after a column's name and scale the cell into the stored unit; exports write it.


@dataclass(frozen=True, slots=True)
class HeaderUnit:
    """A unit a header may name: its symbol (as docs and exports write it), other spellings, factor to storage."""

    symbol: str
    spellings: tuple[str, ...]
    factor: Decimal


#: quantity -> the units a header may name; the first is the stored one, assumed when a header names none
HEADER_UNITS: dict[str, tuple[HeaderUnit, ...]] = {
    "money": (
        HeaderUnit("元", ("yuan", "cny", "rmb", "人民币元"), Decimal(1)),
        HeaderUnit("万元", ("10,000yuan", "10000yuan", "10kyuan", "10,000cny", "万"), WAN),
        HeaderUnit("亿元", ("100millionyuan", "亿"), YI),
    ),
    "area": (
        HeaderUnit("m²", ("m2", "㎡", "sqm", "平方米", "平米"), Decimal(1)),
        HeaderUnit("亩", ("mu",), M2_PER_MU),
    ),
    "electricity": (
        HeaderUnit("kWh", ("千瓦时", "度", "kw·h", "kw.h"), Decimal(1)),
        HeaderUnit("万千瓦时", ("万kwh", "万度", "10,000kwh", "10000kwh"), WAN),
    ),
    "energy": (
        HeaderUnit("tce", ("吨标准煤", "吨标煤", "t标准煤"), Decimal(1)),
        HeaderUnit("万吨标准煤", ("万tce", "10,000tce"), WAN),
    ),
    "mass": (
        HeaderUnit("t", ("吨", "tonnes", "tons"), Decimal(1)),
        HeaderUnit("kg", ("千克", "公斤"), Decimal("0.001")),
    ),
    "count": (HeaderUnit("人", ("persons", "people"), Decimal(1)),),
}

_HEADER_UNIT_PATTERN = re.compile(r"^(?P<name>.*?)\s*[(（]\s*(?P<unit>[^()（）]*?)\s*[)）]\s*$")


def normalise_unit(text: str) -> str:
    return re.sub(r"\s+", "", text).lower().replace("²", "2").replace("㎡", "m2")


def split_header_unit(header: object) -> tuple[str, str]:
    """('营业收入', '万元') from '营业收入(万元)' or '营业收入（万元）'; (header, '') when it names no unit."""
    text = str(header or "").strip()
    match = _HEADER_UNIT_PATTERN.match(text)
    if not match or not match["name"]:
        return text, ""
    return match["name"], match["unit"]


def header_unit(quantity: str, unit: str) -> HeaderUnit:
    """The unit ``unit`` of ``quantity`` (the stored one for ''); ValueError naming the units allowed."""
    units = HEADER_UNITS[quantity]
    if not unit:
        return units[0]
    wanted = normalise_unit(unit)
    for candidate in units:
        if wanted in {normalise_unit(s) for s in (candidate.symbol, *candidate.spellings)}:
            return candidate
    raise ValueError(
        _("'%(unit)s' is not a unit of this column: use %(units)s.")
        % {"unit": unit, "units": " / ".join(u.symbol for u in units)}
    )


def money_header_unit(unit: str) -> HeaderUnit:
    """The header unit of a MoneyUnit value (the user's unit): 元, 万元 or 亿元."""
    symbols: dict[str, str] = {MoneyUnit.YUAN: "元", MoneyUnit.WAN: "万元", MoneyUnit.YI: "亿元"}
    symbol = symbols.get(unit, "元")
    return next(u for u in HEADER_UNITS["money"] if u.symbol == symbol)
