"""Areas and money: the one place where units are converted, parsed and formatted.

Areas are stored in square metres and shown in m² or mu (亩) as each user prefers;
1 mu = 10000/15 m² (exactly 666.67 m², rounded). Money is a Decimal amount with an ISO 4217 currency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Self, overload

from django.db import models
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


def format_area(square_metres: Decimal | None, unit: str = AreaUnit.SQUARE_METRE) -> str:
    """'12,345.00 m²' or '18.52 mu'; an empty string for no value."""
    value = area_in_unit(square_metres, unit)
    if value is None:
        return ""
    symbol = AREA_UNIT_SYMBOLS.get(unit, "m²")
    return f"{number_format(value, decimal_pos=2, force_grouping=True)} {symbol}"


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
        return f"{self.currency} {number_format(self.amount, decimal_pos=2, force_grouping=True)}"


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
