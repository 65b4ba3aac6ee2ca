"""parse_date and find_dates: English and Chinese dates, "--MM-DD" without a year, None for days that do not exist."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parkos.intake.extraction.dates import FoundDate, find_dates, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March 5, 2026", "2026-03-05"),
        ("March 5 2026", "2026-03-05"),
        ("5 March 2026", "2026-03-05"),
        ("5 March, 2026", "2026-03-05"),
        ("Mar. 5, 2026", "2026-03-05"),
        ("Mar 5, 2026", "2026-03-05"),
        ("Sept. 12, 2025", "2025-09-12"),
        ("Sep 12, 2025", "2025-09-12"),
        ("December 31st, 2025", "2025-12-31"),
        ("the 5th of March, 2026", "2026-03-05"),
        ("Tuesday, March 5, 2026", "2026-03-05"),
        ("Tue., March 5, 2026", "2026-03-05"),
        ("2026-03-05", "2026-03-05"),
        ("2026/3/5", "2026-03-05"),
        ("2026.03.05", "2026-03-05"),
        ("March 5th", "--03-05"),
        ("on March 5", "--03-05"),
        ("5 March", "--03-05"),
        ("June 1", "--06-01"),
        ("Jan. 1", "--01-01"),
        ("March the 5th, 2026", "2026-03-05"),
        ("  March 5, 2026  ", "2026-03-05"),
        ("March\u00a05,\u00a02026", "2026-03-05"),
        ("March 5,\u200b 2026", "2026-03-05"),
        ("２０２６-０３-０５", "2026-03-05"),
    ],
)
def test_english_dates(text, expected):
    assert parse_date(text, "en") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026年3月5日", "2026-03-05"),
        ("2026年03月05日", "2026-03-05"),
        ("3月5日", "--03-05"),
        ("2026年3月5日上午", "2026-03-05"),
        ("二〇二六年三月五日", "2026-03-05"),
        ("二零二六年十二月三十一日", "2026-12-31"),
        ("3月5号", "--03-05"),
        ("十二月三十一日", "--12-31"),
        ("２０２６年３月５日", "2026-03-05"),
        ("2026 年 3 月 5 日", "2026-03-05"),
        ("2026-03-05", "2026-03-05"),
    ],
)
def test_chinese_dates(text, expected):
    assert parse_date(text, "zh") == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("2026年2月30日", "zh"),
        ("2026年2月29日", "zh"),
        ("2026年13月5日", "zh"),
        ("2026年4月31日", "zh"),
        ("2026年0月5日", "zh"),
        ("2月30日", "zh"),
        ("Feb 30, 2026", "en"),
        ("February 29, 2026", "en"),
        ("April 31", "en"),
        ("2026-13-05", "en"),
        ("2026-02-30", "en"),
        ("2026-00-10", "en"),
    ],
)
def test_impossible_dates_are_none(text, language):
    assert parse_date(text, language) is None


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("2024年2月29日", "zh", "2024-02-29"),
        ("2000年2月29日", "zh", "2000-02-29"),
        ("Feb. 29, 2024", "en", "2024-02-29"),
        ("2024-02-29", "en", "2024-02-29"),
        ("2月29日", "zh", "--02-29"),
        ("February 29", "en", "--02-29"),
    ],
)
def test_leap_day_exists_in_leap_years_and_without_a_year(text, language, expected):
    assert parse_date(text, language) == expected


def test_centuries_that_are_not_leap_years_have_no_february_29():
    assert parse_date("1900年2月29日", "zh") is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("2026", "en"),
        ("2026", "zh"),
        ("2026年", "zh"),
        ("2026年3月", "zh"),
        ("March 2026", "en"),
        ("May", "en"),
        ("14", "en"),
        ("14 projects", "en"),
        ("we may 5 times", "en"),
        ("", "en"),
        ("   ", "zh"),
        ("\u200b", "en"),
        ("hello", "en"),
        ("14个项目", "zh"),
        ("today", "en"),
        ("yesterday", "en"),
        ("in 3 days", "en"),
        ("2 weeks ago", "en"),
        ("next Tuesday", "en"),
        ("5th", "en"),
        ("5/3/2026", "en"),
    ],
)
def test_years_alone_bare_numbers_and_words_are_not_dates(text, language):
    assert parse_date(text, language) is None
    assert find_dates(text, language) == []


def test_lower_case_month_words_in_running_text_are_not_dates_but_parse_date_reads_them():
    # "may" and "march" are ordinary words in a sentence; handed over as a date, "march 5" is one
    assert find_dates("troops march 5 miles, and we may 12 times", "en") == []
    assert parse_date("march 5", "en") == "--03-05"


def test_missing_year_comes_from_default_year_not_from_today():
    assert parse_date("March 5", "en") == "--03-05"
    assert parse_date("March 5", "en", default_year=2027) == "2027-03-05"
    assert parse_date("3月5日", "zh", default_year=2027) == "2027-03-05"
    assert parse_date("March 5, 2026", "en", default_year=2027) == "2026-03-05"
    assert parse_date("2月29日", "zh", default_year=2027) is None
    assert parse_date("2月29日", "zh", default_year=2028) == "2028-02-29"


def test_english_article_dates_in_order_with_exact_spans():
    text = (
        "BEIJING, Tuesday, March 5, 2026 -- The park, founded on 2019-06-18, will hold its fair on March 12th. "
        "Since 2020, 14 projects worth 3 billion yuan were signed, the last on 5 February 2026."
    )
    dates = find_dates(text, "en")
    assert [(found.value, found.text) for found in dates] == [
        ("2026-03-05", "Tuesday, March 5, 2026"),
        ("2019-06-18", "2019-06-18"),
        ("--03-12", "March 12th"),
        ("2026-02-05", "5 February 2026"),
    ]
    for found in dates:
        assert text[found.span[0] : found.span[1]] == found.text


def test_chinese_article_dates_in_order_with_exact_spans():
    text = "2026年3月5日上午，园区举行签约仪式；3月12号将举办推介会，2025年共引进14个项目，二〇二六年一月八日公布。"
    dates = find_dates(text, "zh")
    expected = [("2026-03-05", "2026年3月5日"), ("--03-12", "3月12号"), ("2026-01-08", "二〇二六年一月八日")]
    assert dates == [
        FoundDate(value, found, (text.index(found), text.index(found) + len(found))) for value, found in expected
    ]


def test_impossible_dates_are_left_out_of_find_dates():
    found = find_dates("2026年2月30日签约，2026年3月1日开工", "zh")
    assert [date.value for date in found] == ["2026-03-01"]


def test_zero_width_characters_keep_spans_on_the_original_text():
    text = "Signed on\u200b March\u200b 5, 2026."
    (found,) = find_dates(text, "en")
    assert found.value == "2026-03-05"
    assert found.text == "March\u200b 5, 2026"
    assert text[found.span[0] : found.span[1]] == found.text


@settings(max_examples=300)
@given(
    st.text(alphabet="0123456789 ,.-/年月日号二〇三十MarchJunethofMay\u00a0\u200b\uff12", max_size=40),
    st.sampled_from(["en", "zh"]),
)
def test_found_dates_are_real_days_in_order_with_spans_on_the_original_text(text, language):
    previous_end = 0
    for found in find_dates(text, language):
        start, end = found.span
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == found.text
        assert parse_date(found.text, language) == found.value
        previous_end = end
