"""The formatting layer: money in 元 / 万元 / 亿元, land with 亩, rents at their basis, local time."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from parkos.core.units import (
    M2_PER_MU,
    AreaUnit,
    MoneyUnit,
    format_area_with_mu,
    format_datetime,
    format_decimal,
    format_money,
    format_rent,
    money_unit_for,
)


@pytest.mark.parametrize(
    ("amount", "unit", "zh", "en"),
    [
        (Decimal("14421000000.00"), None, "1,442,100.00 万元", "CNY 14,421,000,000.00"),
        (Decimal("14421000000.00"), MoneyUnit.YI, "144.21 亿元", "144.21 亿元"),
        (Decimal("14421000000.00"), MoneyUnit.YUAN, "14,421,000,000.00 元", "CNY 14,421,000,000.00"),
        (Decimal("9999"), MoneyUnit.WAN, "1.00 万元", "1.00 万元"),
        (Decimal("10000"), MoneyUnit.WAN, "1.00 万元", "1.00 万元"),
        (Decimal("100000000"), MoneyUnit.YI, "1.00 亿元", "1.00 亿元"),
        (Decimal("99999999"), MoneyUnit.YI, "1.00 亿元", "1.00 亿元"),
        (Decimal("49999"), MoneyUnit.YI, "0.00 亿元", "0.00 亿元"),
        (Decimal("-719379.00"), MoneyUnit.WAN, "-71.94 万元", "-71.94 万元"),
        (Decimal("-719379.00"), MoneyUnit.YUAN, "-719,379.00 元", "CNY -719,379.00"),
        (0, None, "0.00 万元", "CNY 0.00"),
    ],
)
def test_money_in_each_unit_and_language(amount, unit, zh, en):
    with translation.override("zh-hans"):
        assert format_money(amount, "CNY", unit) == zh
    with translation.override("en"):
        assert format_money(amount, "CNY", unit) == en


@pytest.mark.parametrize(
    ("amount", "currency", "unit", "zh", "en"),
    [
        (Decimal("188537400"), "USD", None, "18,853.74 万美元", "USD 188,537,400.00"),
        (Decimal("188537400"), "USD", MoneyUnit.YI, "1.89 亿美元", "USD 188.54 million"),
        (Decimal("5000000"), "USD", MoneyUnit.WAN, "500.00 万美元", "USD 5.00 million"),
        (Decimal("5000000"), "USD", MoneyUnit.YUAN, "5,000,000.00 美元", "USD 5,000,000.00"),
        (Decimal("5000000"), "EUR", None, "500.00 万欧元", "EUR 5,000,000.00"),
        (Decimal("5000000"), "HKD", MoneyUnit.YI, "0.05 亿港元", "HKD 5.00 million"),
        (Decimal("5000000"), "CNY", MoneyUnit.WAN, "500.00 万元", "500.00 万元"),
    ],
)
def test_money_of_another_currency_names_it_in_the_readers_language(amount, currency, unit, zh, en):
    with translation.override("zh-hans"):
        assert format_money(amount, currency, unit) == zh
    with translation.override("en"):
        assert format_money(amount, currency, unit) == en


def test_every_currency_has_a_chinese_name():
    from parkos.core.units import CURRENCIES, CURRENCY_NAMES_ZH

    assert set(CURRENCY_NAMES_ZH) == set(CURRENCIES)
    with translation.override("zh-hans"):
        assert all(format_money(1, code, MoneyUnit.WAN).isascii() is False for code in CURRENCIES)


def test_no_amount_is_empty():
    assert format_money(None) == ""
    assert format_area_with_mu(None) == ""
    assert format_rent(None, "m2_day") == ""
    assert format_datetime(None) == ""
    assert format_decimal(None) == ""


def test_the_unit_defaults_by_language_unless_the_user_chose():
    class Viewer:
        money_unit = ""

    with translation.override("zh-hans"):
        assert money_unit_for(Viewer()) == MoneyUnit.WAN
    with translation.override("en"):
        assert money_unit_for(Viewer()) == MoneyUnit.YUAN
        Viewer.money_unit = MoneyUnit.YI
        assert money_unit_for(Viewer()) == MoneyUnit.YI


def test_land_shows_mu_beside_square_metres():
    with translation.override("zh-hans"):
        assert format_area_with_mu(M2_PER_MU * 18) == "12,000.00 m² (18.00 亩)"
        assert format_area_with_mu(Decimal("2532910.21"), AreaUnit.MU) == "3,799.37 亩 (2,532,910.21 m²)"
    with translation.override("en"):
        assert format_area_with_mu(Decimal("666.67")) == "666.67 m² (1.00 mu)"


def test_no_land_reads_zero_in_the_unit_it_leads_with() -> None:
    with translation.override("zh-hans"):
        assert format_area_with_mu(Decimal(0), AreaUnit.MU) == "0 亩"
        assert format_area_with_mu(Decimal("0.00"), AreaUnit.MU, compact=True) == "0 亩"
        assert format_area_with_mu(Decimal(0)) == "0 m²"
    with translation.override("en"):
        assert format_area_with_mu(Decimal(0), AreaUnit.MU) == "0 mu"
        assert format_area_with_mu(Decimal("0.000")) == "0 m²"


def test_large_areas_read_in_wan_square_metres_in_chinese_on_tiles():
    from parkos.core.units import format_area

    with translation.override("zh-hans"):
        assert format_area(Decimal("1754897.25"), compact=True) == "175.49 万㎡"
        assert format_area(Decimal("15090579.53"), compact=True) == "1,509.06 万㎡"
        assert format_area(Decimal("9999.99"), compact=True) == "9,999.99 m²"
        assert format_area(Decimal("1754897.25")) == "1,754,897.25 m²"  # tables keep the exact figure
        assert format_area(Decimal("1754897.25"), AreaUnit.MU, compact=True) == "2,632.35 亩"
        assert format_area_with_mu(Decimal("1754897.25"), AreaUnit.MU, compact=True) == "2,632.35 亩 (175.49 万㎡)"
    with translation.override("en"):
        assert format_area(Decimal("1754897.25"), compact=True) == "1,754,897.25 m²"


def test_rent_reads_at_its_basis():
    with translation.override("zh-hans"):
        assert format_rent(Decimal("3.5"), "m2_day") == "3.50 元/㎡·天"
        assert format_rent(Decimal("42"), "m2_month") == "42.00 元/㎡·月"
        assert format_rent(Decimal("120000"), "month") == "120,000.00 元/月"
    with translation.override("en"):
        assert format_rent(Decimal("3.5"), "m2_day") == "CNY 3.50/m²/day"


def test_time_is_local_to_the_minute():
    utc = dt.datetime(2026, 12, 6, 8, 30, 41, 74147, tzinfo=dt.UTC)
    assert format_datetime(utc) == "2026-12-06 16:30"
    assert format_datetime("2026-12-06T08:31:45.014Z") == "2026-12-06 16:31"
    assert format_datetime(dt.date(2026, 12, 6)) == "2026-12-06"
    assert format_datetime("not a time") == "not a time"


def test_decimals_are_grouped_and_keep_their_places():
    assert format_decimal(Decimal("2532910.2100")) == "2,532,910.2100"
    assert format_decimal(12345) == "12,345"
    assert format_decimal(Decimal("-1234.5"), 2) == "-1,234.50"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_template_dates_and_numbers_follow_one_format(language, settings):
    utc = dt.datetime(2026, 12, 6, 8, 30, 41, 74147, tzinfo=dt.UTC)
    with translation.override(language):
        out = Template("{% load l10n %}{{ t }}|{{ n|floatformat:'2g' }}").render(
            Context({"t": utc, "n": Decimal("2532910.21")})
        )
    assert out == "2026-12-06 16:30|2,532,910.21"


def test_template_filters():
    class Viewer:
        money_unit = MoneyUnit.YI
        area_unit = AreaUnit.SQUARE_METRE

    template = Template(
        "{% load parkos %}{{ amount|money:user }}|{{ amount|money_number:user }}|{{ user|money_label }}|{{ t|when }}"
    )
    with translation.override("zh-hans"):
        out = template.render(
            Context({"amount": Decimal("14421000000"), "user": Viewer(), "t": "2026-12-06T08:31:45.014Z"})
        )
    assert out == "144.21 亿元|144.21|亿元|2026-12-06 16:31"


def test_xlsx_cells_are_typed_numbers_with_a_number_format():
    import io

    from openpyxl import load_workbook

    from parkos.core.downloads import xlsx_bytes

    moment = dt.datetime(2026, 12, 6, 8, 30, 41, 74147, tzinfo=dt.UTC)
    data = xlsx_bytes([("s", [["a", Decimal("14421000000.00"), 5, moment, dt.date(2026, 1, 2), "=1+1"]])])
    cells = list(load_workbook(io.BytesIO(data)).active[1])
    assert cells[1].value == 14421000000 and cells[1].number_format == "#,##0.00"
    assert cells[2].value == 5 and cells[2].number_format == "#,##0"
    assert cells[3].value == dt.datetime(2026, 12, 6, 16, 30, 41)  # noqa: DTZ001 - Excel cells are naive local time
    assert cells[3].number_format == "yyyy-mm-dd hh:mm"
    assert cells[4].number_format == "yyyy-mm-dd"
    assert cells[5].value == "'=1+1"


@pytest.mark.django_db
def test_list_export_xlsx_has_typed_numbers_and_csv_plain_ones(client, django_user_model):
    import io

    from openpyxl import load_workbook

    from parkos.directory.models import Organization

    admin = django_user_model.objects.create_superuser("root", "root@example.cn", "pw")
    Organization.objects.create(
        name="上海测试协会", kind="association", registered_capital_amount=Decimal("14421000000.00")
    )
    client.force_login(admin)
    response = client.get("/directory/organizations/?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1]]
    column = next(i for i, h in enumerate(headers) if "capital" in str(h) and "currency" not in str(h))
    cell = sheet[2][column]
    assert cell.value == 14421000000 and cell.number_format == "#,##0.00"
    csv = client.get("/directory/organizations/?export=csv").content.decode("utf-8-sig")
    assert "14421000000.00" in csv
