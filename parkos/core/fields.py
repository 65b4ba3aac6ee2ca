"""Model and form fields for the units in core.units, so every app stores them the same way."""

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from parkos.core.units import CURRENCY_CHOICES, DEFAULT_CURRENCY, AreaUnit, area_in_unit, parse_area

# The model fields below are generic in what they take and give (django-stubs' plugin fills both in, with None
# when null=True). Django's fields take no type parameters at run time, so the bases are subscripted for mypy only.
_ST = TypeVar("_ST", contravariant=True)
_GT = TypeVar("_GT", covariant=True)
if TYPE_CHECKING:
    _DecimalField = models.DecimalField
    _CharField = models.CharField
else:

    class _DecimalField(models.DecimalField):
        __class_getitem__ = classmethod(lambda cls, params: cls)

    class _CharField(models.CharField):
        __class_getitem__ = classmethod(lambda cls, params: cls)


class AreaFormField(forms.DecimalField):
    """Takes '1200', '1,200 m²' or '18 mu' and cleans to square metres.

    ``unit`` is the viewer's preference: a stored value is shown in it ('7.50 mu') so it reads the
    way the rest of the page does; either unit may be typed back.
    """

    unit = AreaUnit.SQUARE_METRE

    def __init__(self, **kwargs: Any) -> None:
        if not kwargs.get("help_text"):
            kwargs["help_text"] = _("In m², or add 'mu' (亩), e.g. 18 mu.")
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int | float) and self.unit == AreaUnit.MU:
            return f"{area_in_unit(Decimal(value), AreaUnit.MU)} mu"
        return value

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # as the stubs of forms.DecimalField
        if value in self.empty_values:
            return None
        try:
            return parse_area(value)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from exc


class AreaField(_DecimalField[_ST, _GT]):
    """An area in square metres (never negative)."""

    non_negative = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("validators", [MinValueValidator(Decimal(0))])
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        for key, default in (("max_digits", 14), ("decimal_places", 2)):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        kwargs.pop("validators", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs: Any) -> forms.Field | None:
        return super().formfield(**{"form_class": AreaFormField, **kwargs})


class MoneyAmountField(_DecimalField[_ST, _GT]):
    """The amount half of a money value; pair it with a CurrencyField and a MoneyProperty."""

    #: rents, prices, capital and investment are never below zero (core.bounds reads this)
    non_negative = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 20)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        for key, default in (("max_digits", 20), ("decimal_places", 2)):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        return name, path, args, kwargs


class CurrencyField(_CharField[_ST, _GT]):
    """An ISO 4217 currency code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault("choices", CURRENCY_CHOICES)
        kwargs.setdefault("default", DEFAULT_CURRENCY)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        for key in ("max_length", "choices", "default"):
            kwargs.pop(key, None)
        return name, path, args, kwargs


class JSONTextField(forms.JSONField):
    """A JSON field that shows nothing, not 'null', when empty."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return "" if value is None else super().prepare_value(value)
