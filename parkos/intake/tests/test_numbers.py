"""parse_number: every way a press release writes a number, in English and Chinese, and what is not a number."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parkos.intake.extraction.numbers import fold, original_span, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("7", 7),
        ("1,460", 1460),
        ("1,000,000", 1000000),
        ("2.2", Decimal("2.2")),
        ("0.5", Decimal("0.5")),
        (".5", Decimal("0.5")),
        ("12.50", Decimal("12.5")),
        ("1460", 1460),
        ("007", 7),
    ],
)
def test_digits_with_separators_and_decimals(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16 billion", 16_000_000_000),
        ("1.7 million", 1_700_000),
        ("2.2bn", 2_200_000_000),
        ("2.2 bn", 2_200_000_000),
        ("2.2BN", 2_200_000_000),
        ("300k", 300_000),
        ("300 K", 300_000),
        ("5 mln", 5_000_000),
        ("5mn", 5_000_000),
        ("1 trillion", 10**12),
        ("1.5 tn", 1_500_000_000_000),
        ("10 thousand", 10_000),
        ("3 hundred", 300),
        ("1,200 million", 1_200_000_000),
        ("1.7-million", 1_700_000),
    ],
)
def test_digits_with_english_scale(text, expected):
    assert parse_number(text) == expected


def test_scaled_whole_numbers_are_integral_decimals():
    value = parse_number("2.2 billion")
    assert value == Decimal(2_200_000_000)
    assert str(value) == "2200000000"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zero", 0),
        ("one", 1),
        ("Fourteen", 14),
        ("fourteen", 14),
        ("FOURTEEN", 14),
        ("twenty", 20),
        ("twenty-one", 21),
        ("twenty one", 21),
        ("ninety-nine", 99),
        ("a hundred", 100),
        ("one hundred", 100),
        ("one hundred and five", 105),
        ("two hundred fifty", 250),
        ("fifteen hundred", 1500),
        ("a thousand", 1000),
        ("two thousand three hundred", 2300),
        ("one million two hundred thousand", 1_200_000),
        ("a dozen", 12),
        ("two dozen", 24),
        ("dozen", 12),
        ("three billion", 3_000_000_000),
    ],
)
def test_english_number_words(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("160亿", 16_000_000_000),
        ("50万", 500_000),
        ("1.2万", 12_000),
        ("十四", 14),
        ("两百", 200),
        ("一千二百三十", 1230),
        ("3千", 3000),
        ("1万亿", 10**12),
        ("十", 10),
        ("零", 0),
        ("〇", 0),
        ("二十", 20),
        ("一百零五", 105),
        ("一千零五", 1005),
        ("一千零十", 1010),
        ("一万零五百", 10_500),
        ("一千二", 1200),
        ("两百五", 250),
        ("三万五", 35_000),
        ("十万", 100_000),
        ("一百万", 1_000_000),
        ("5千万", 50_000_000),
        ("3亿5000万", 350_000_000),
        ("1,000万", 10_000_000),
        ("1.5千", 1500),
        ("二〇二六", 2026),
        ("三点五", Decimal("3.5")),
        ("壹佰", 100),
        ("万", 10_000),
    ],
)
def test_chinese_numerals_alone_and_mixed_with_digits(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("１２３", 123),
        ("１，４６０", 1460),
        ("１．５", Decimal("1.5")),
        ("１６０亿", 16_000_000_000),
        ("  42  ", 42),
        ("16\u00a0billion", 16_000_000_000),
        ("16\u202fbillion", 16_000_000_000),
        ("1,4\u200b60", 1460),
        ("\ufeff14", 14),
        ("four\u00adteen", 14),
    ],
)
def test_full_width_digits_odd_spaces_and_zero_width_characters(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\u200b",
        "a",
        "an",
        "and",
        "abc",
        "projects",
        "one two",
        "twenty twenty",
        "hundred and",
        "one and two",
        "a a hundred",
        "million billion",
        "1,46",
        "1,4600",
        "1.2.3",
        "12abc",
        "50 m",
        "16 billion yuan",
        "15%",
        "-5",
        "百分",
        "第一",
        "十四五规划",
        "2026年",
        "一十十",
        "千百",
        "1千2千",
        "三点",
        "点五",
        None,
        14,
    ],
)
def test_anything_else_is_none_and_never_raises(text):
    assert parse_number(text) is None


def test_fold_keeps_offsets_when_nothing_is_removed():
    folded, index_map = fold("１４个项目\u3000和 15％")
    assert folded == "14个项目 和 15%"
    assert index_map is None
    assert original_span(0, 2, index_map) == (0, 2)


def test_fold_maps_spans_back_over_removed_zero_width_characters():
    text = "共1,4\u200b60家企业"
    folded, index_map = fold(text)
    assert folded == "共1,460家企业"
    start = folded.index("1")
    end = folded.index("家")
    assert original_span(start, end, index_map) == (1, 7)
    assert text[1:7] == "1,4\u200b60"


def test_fold_leaves_the_chinese_comma_alone_so_list_items_stay_apart():
    assert fold("14，1460")[0] == "14，1460"


@given(st.text(max_size=40))
def test_parse_number_never_raises_on_any_text(text):
    result = parse_number(text)
    assert result is None or isinstance(result, Decimal)


@given(st.text(alphabet="0123456789,.一二两三十百千万亿零点 kbnmillion", max_size=20))
def test_parse_number_never_raises_on_number_like_text(text):
    result = parse_number(text)
    assert result is None or result >= 0
