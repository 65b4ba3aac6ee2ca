"""Which rule of the formatting layer (core.units) a model field's value reads by: money, rent, land, time.

Detail pages and tables call ``display_value`` so that a field added to a model is formatted without
anyone remembering to: a MoneyAmountField in the user's money unit with its currency, a rent at its basis,
land in m² with 亩 beside it, any other decimal grouped by thousands, a datetime in local time.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.db import models

from parkos.core.fields import AreaField, MoneyAmountField
from parkos.core.units import (
    DEFAULT_CURRENCY,
    MU_AREA_FIELDS,
    AreaUnit,
    MoneyProperty,
    format_area,
    format_area_with_mu,
    format_datetime,
    format_decimal,
    format_money,
    format_rent,
    money_unit_for,
)


def currency_field_for(model: type[models.Model], amount_field: str) -> str | None:
    """The currency field paired with a money amount field by the model's MoneyProperty."""
    for klass in model.__mro__:
        for attribute in vars(klass).values():
            if isinstance(attribute, MoneyProperty) and attribute.amount_field == amount_field:
                return attribute.currency_field
    return None


def is_land_area(model: type[models.Model], field_name: str) -> bool:
    meta = model._meta
    return (meta.app_label, meta.model_name or "", field_name) in MU_AREA_FIELDS


def display_kind(model: type[models.Model], field: models.Field[object, object]) -> str | None:
    """'money', 'rent', 'land', 'area', 'decimal', 'datetime' or None (not a number or a time)."""
    if isinstance(field, AreaField):
        return "land" if is_land_area(model, field.name) else "area"
    if isinstance(field, MoneyAmountField):
        if field.name == "rent_amount" and any(f.name == "rent_basis" for f in model._meta.concrete_fields):
            return "rent"
        return "money"
    if isinstance(field, models.DecimalField | models.FloatField):
        return "decimal"
    if isinstance(field, models.DateTimeField):
        return "datetime"
    return None


def display_value(obj: models.Model, field: models.Field[object, object], user: object = None) -> str | None:
    """The value of ``field`` on ``obj`` as people read it, or None when the field is not a number or a time."""
    kind = display_kind(type(obj), field)
    if kind is None:
        return None
    value = getattr(obj, field.name)
    if value is None or value == "":
        return ""
    return format_kind(kind, value, obj, field.name, user)


def format_kind(kind: str, value: object, obj: object, field_name: str, user: object = None) -> str:
    area_unit = str(getattr(user, "area_unit", AreaUnit.SQUARE_METRE))
    if kind == "land":
        return format_area_with_mu(Decimal(str(value)), area_unit)
    if kind == "area":
        return format_area(Decimal(str(value)), area_unit)
    if kind == "rent":
        currency = getattr(obj, "currency", None) or getattr(obj, "rent_currency", None) or DEFAULT_CURRENCY
        return format_rent(Decimal(str(value)), str(getattr(obj, "rent_basis", "")), str(currency))
    if kind == "money":
        currency_field = currency_field_for(type(obj), field_name) if isinstance(obj, models.Model) else None
        currency = getattr(obj, currency_field, None) if currency_field else None
        return format_money(Decimal(str(value)), str(currency or DEFAULT_CURRENCY), money_unit_for(user))
    if kind == "decimal":
        return format_decimal(value if isinstance(value, Decimal | float | int) else Decimal(str(value)))
    if kind == "datetime" and isinstance(value, dt.date):
        return format_datetime(value)
    return str(value)


_ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_DECIMAL_TEXT = re.compile(r"^-?\d+\.\d+$")


def change_value(value: object) -> object:
    """A value as the change log stored it (JSON: ISO times, decimals as text), as people read it."""
    if isinstance(value, str):
        if _ISO_TIME.match(value):
            return format_datetime(value)
        if _DECIMAL_TEXT.match(value):
            return format_decimal(Decimal(value))
    return value
