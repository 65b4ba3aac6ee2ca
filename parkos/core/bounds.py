"""Bounds on every stored value, so that no channel saves a number, date or text the database cannot give back.

Every channel that writes a model (forms, the API through PrimaryModelSerializer.validate, imports with
``clean_model_instances``, services through core.writes) runs the model's ``full_clean``, so bounds that
live on the model fields hold everywhere. ``bound_model_fields`` adds them to every field of every
ParkOS model when the app registry is ready (CoreConfig.ready); a test walks the models and fails
when a field lacks them.

- Numbers: SQLite keeps a decimal as a 64-bit float and Django reads it back through a 15-digit
  context, so a value with more than 15 significant digits comes back rounded, or not at all
  (``decimal.InvalidOperation`` on every page that reads it). A DecimalField therefore takes at most
  min(max_digits, 15) digits, and none below zero where a negative makes no sense (fields that say
  ``non_negative``: money amounts and areas).
- Dates: 1900-01-01 .. 2200-12-31; anything outside is a typing slip, and year 1 or 9999 breaks date
  arithmetic and time-zone conversion.
- Text: no control characters (a NUL is refused by PostgreSQL on save; the others break CSV, XLSX
  and terminals), except tab and line breaks in multi-line text; no lone surrogates (not UTF-8).

The validators are appended to ``field.validators`` (the list Django builds from the field's own
validators), never to the ``validators`` the field was declared with, so migrations do not see them.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import BaseValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

#: significant digits a decimal keeps through SQLite (a REAL read back in a 15-digit context)
EXACT_DIGITS = 15
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2200, 12, 31)

_CONTROL_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

#: a bound: a number or a date
Limit = Decimal | datetime.date


def _show(value: object) -> str:
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class _RangeMessage(BaseValidator):
    """A bound whose message names both ends of the range ("Enter a value between 0 and 999,999,999,999.99")."""

    code = "out_of_range"

    def __init__(self, limit_value: Limit, *, lower: Limit, upper: Limit, message: str | StrPromise) -> None:
        super().__init__(limit_value, message=message)
        self.lower, self.upper = lower, upper

    def __call__(self, value: Any) -> None:
        if value is None:
            return
        cleaned = self.clean(value)
        if isinstance(cleaned, Decimal) and not cleaned.is_finite():
            return  # DecimalValidator refuses it, with its own message
        if self.compare(cleaned, self.limit_value):
            raise ValidationError(
                self.message,
                code=self.code,
                params={"lower": _show(self.lower), "upper": _show(self.upper), "value": value},
            )

    def clean(self, value: Any) -> Any:
        # A DateTimeField is bounded by the day, so one pair of limits serves both kinds of field.
        return value.date() if isinstance(value, datetime.datetime) else value


@deconstructible
class LowerBoundValidator(_RangeMessage, MinValueValidator):
    def __init__(self, lower: Limit, upper: Limit, message: str | StrPromise) -> None:
        super().__init__(lower, lower=lower, upper=upper, message=message)


@deconstructible
class UpperBoundValidator(_RangeMessage, MaxValueValidator):
    def __init__(self, lower: Limit, upper: Limit, message: str | StrPromise) -> None:
        super().__init__(upper, lower=lower, upper=upper, message=message)


@deconstructible
class NoControlCharactersValidator:
    """Refuses control characters; ``multiline`` text keeps tab, line feed and carriage return."""

    code = "control_character"
    message = _("Remove the control character U+%(code)04X from this text (at position %(position)s).")

    def __init__(self, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value: object) -> None:
        if not isinstance(value, str):
            return
        found = (_CONTROL_IN_TEXT if self.multiline else _CONTROL_IN_LINE).search(value)
        if found:
            raise ValidationError(
                self.message, code=self.code, params={"code": ord(found.group()), "position": found.start() + 1}
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NoControlCharactersValidator) and other.multiline == self.multiline


BOUND_VALIDATORS = (LowerBoundValidator, UpperBoundValidator, NoControlCharactersValidator)
NUMBER_MESSAGE = _("Enter a value between %(lower)s and %(upper)s.")
DATE_MESSAGE = _("Enter a date between %(lower)s and %(upper)s.")


def decimal_bounds(field: models.DecimalField[Any, Any]) -> tuple[Decimal, Decimal]:
    """(lowest, highest) value ``field`` keeps exactly on every database."""
    places = field.decimal_places
    step = Decimal(1).scaleb(-places)
    upper = (Decimal(1).scaleb(min(field.max_digits, EXACT_DIGITS) - places) - step).quantize(step)
    return (Decimal(0).quantize(step) if _non_negative(field) else -upper), upper


def _non_negative(field: models.Field[Any, Any]) -> bool:
    if getattr(field, "non_negative", False):
        return True
    return any(isinstance(v, MinValueValidator) and v.limit_value == 0 for v in field.validators)


#: a validator bounds_for gives a field
BoundValidator = LowerBoundValidator | UpperBoundValidator | NoControlCharactersValidator


def bounds_for(field: models.Field[Any, Any]) -> list[BoundValidator]:
    """The bound validators ``field`` should carry (none for a field people never type)."""
    if isinstance(field, models.DecimalField):
        lower, upper = decimal_bounds(field)
        return [LowerBoundValidator(lower, upper, NUMBER_MESSAGE), UpperBoundValidator(lower, upper, NUMBER_MESSAGE)]
    if isinstance(field, models.DateField):  # DateTimeField too
        return [
            LowerBoundValidator(EARLIEST_DATE, LATEST_DATE, DATE_MESSAGE),
            UpperBoundValidator(EARLIEST_DATE, LATEST_DATE, DATE_MESSAGE),
        ]
    if isinstance(field, models.TextField):
        return [NoControlCharactersValidator(multiline=True)]
    if isinstance(field, models.CharField):
        return [NoControlCharactersValidator()]
    return []


def bound_model_fields(model: type[models.Model]) -> None:
    """Give each field of ``model`` its bounds (once)."""
    for field in model._meta.local_fields:
        validators = field.validators  # Django's list for this field, built once and kept
        if any(isinstance(v, BOUND_VALIDATORS) for v in validators):
            continue
        bounds = bounds_for(field)
        limits = {(MinValueValidator, v.limit_value) for v in bounds if isinstance(v, LowerBoundValidator)}
        # A declared MinValueValidator(0) says what the lower bound says: keep one message, the one naming the range.
        validators[:] = [v for v in validators if (type(v), getattr(v, "limit_value", None)) not in limits]
        validators.extend(bounds)


def bound_all_models() -> None:
    """Bounds on every ParkOS model's fields (and the user model's)."""
    from django.apps import apps

    for model in apps.get_models():
        if model.__module__.startswith("parkos."):
            bound_model_fields(model)


def integer_range(field: models.Field[Any, Any], using: str = "default") -> tuple[int, int] | None:
    """(lowest, highest) value the column of integer ``field`` (a key followed to its target) stores; None
    for a field that is not an integer."""
    from django.db import connections

    if isinstance(field, models.ForeignObject):
        field = field.target_field
    if not isinstance(field, models.IntegerField):  # AutoField and BigAutoField are IntegerFields
        return None
    return connections[using].ops.integer_field_range(field.get_internal_type())


def is_stored_id(model: type[models.Model], value: object, using: str = "default") -> bool:
    """Whether ``value`` can be a key of ``model`` at all (a whole number in its column's range), so that a
    lookup by it never reaches the database with a number the driver refuses (SQLite: OverflowError)."""
    bounds = integer_range(model._meta.pk, using)
    if bounds is None:
        return True
    try:
        number = int(str(value).strip())
    except ValueError:
        return False
    return bounds[0] <= number <= bounds[1]
