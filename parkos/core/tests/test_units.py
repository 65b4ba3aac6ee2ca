"""Areas and money: conversions, parsing and formatting."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parkos.core.units import M2_PER_MU, AreaUnit, Money, MoneyProperty, format_area, mu_to_m2, parse_area


def test_one_mu_is_ten_thousand_fifteenths_of_a_square_metre():
    assert mu_to_m2(15) == Decimal(10000)
    assert M2_PER_MU.quantize(Decimal("0.01")) == Decimal("666.67")


@pytest.mark.parametrize(
    ("text", "square_metres"),
    [
        ("1200", "1200.00"),
        ("1,200 m²", "1200.00"),
        ("1200㎡", "1200.00"),
        ("1200 平方米", "1200.00"),
        ("15 mu", "10000.00"),
        ("15亩", "10000.00"),
        ("1.5 MU", "1000.00"),
    ],
)
def test_parse_area_understands_the_ways_people_write_areas(text, square_metres):
    assert parse_area(text) == Decimal(square_metres)


@pytest.mark.parametrize("text", ["lots", "12 acres", "", "m2"])
def test_parse_area_refuses_what_it_cannot_read_with_a_reason(text):
    with pytest.raises(ValueError, match=r"area|unit|number"):
        parse_area(text)


def test_format_area_follows_the_chosen_unit():
    assert format_area(Decimal("10000"), AreaUnit.SQUARE_METRE) == "10,000.00 m²"
    assert format_area(Decimal("10000"), AreaUnit.MU) == "15.00 mu"
    assert format_area(None, AreaUnit.MU) == ""


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_area_round_trips_through_mu_within_a_cent(value):
    as_mu = format_area(value, AreaUnit.MU).split()[0].replace(",", "")
    assert abs(parse_area(f"{as_mu} mu") - value) <= Decimal("3.34")  # mu shown to 0.01 mu = 6.67 m²


def test_money_adds_within_one_currency_and_refuses_to_mix():
    assert Money(Decimal("1.10"), "CNY") + Money(Decimal("2.20"), "CNY") == Money(Decimal("3.30"), "CNY")
    with pytest.raises(ValueError, match="without a rate"):
        Money(1, "CNY") + Money(1, "USD")
    with pytest.raises(ValueError, match="Unknown currency"):
        Money(1, "XXX")
    assert str(Money(Decimal("1600000000"), "CNY")) == "CNY 1,600,000,000.00"


def test_money_property_reads_and_writes_two_fields():
    class Holder:
        amount = None
        currency = "CNY"
        money = MoneyProperty("amount", "currency")

    holder = Holder()
    assert holder.money is None
    holder.money = Money(Decimal("5"), "USD")
    assert (holder.amount, holder.currency) == (Decimal("5"), "USD")
    assert holder.money == Money(Decimal("5"), "USD")
