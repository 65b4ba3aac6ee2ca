"""find_figures: money, area, count and percent figures with their normalised values and exact spans."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parkos.intake.extraction.figures import Figure, find_figures


def only(text: str, language: str) -> Figure:
    """The single figure ``text`` holds, after checking its span points at its text."""
    figures = find_figures(text, language)
    assert len(figures) == 1, figures
    figure = figures[0]
    assert text[figure.span[0] : figure.span[1]] == figure.text
    return figure


def summary(text: str, language: str) -> tuple:
    figure = only(text, language)
    return figure.kind, figure.value, figure.unit, figure.of, figure.text


# --- money ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit", "found"),
    [
        ("16 billion yuan", 16_000_000_000, "CNY", "16 billion yuan"),
        ("RMB 16 billion", 16_000_000_000, "CNY", "RMB 16 billion"),
        ("RMB16 billion", 16_000_000_000, "CNY", "RMB16 billion"),
        ("CNY 1.2bn", 1_200_000_000, "CNY", "CNY 1.2bn"),
        ("1.2 billion RMB", 1_200_000_000, "CNY", "1.2 billion RMB"),
        ("US$2.2 billion", 2_200_000_000, "USD", "US$2.2 billion"),
        ("$2.2 billion", 2_200_000_000, "USD", "$2.2 billion"),
        ("$2.2B", 2_200_000_000, "USD", "$2.2B"),
        ("€50m", 50_000_000, "EUR", "€50m"),
        ("USD 300 million", 300_000_000, "USD", "USD 300 million"),
        ("2.2 billion U.S. dollars", 2_200_000_000, "USD", "2.2 billion U.S. dollars"),
        ("2.2 billion US dollars", 2_200_000_000, "USD", "2.2 billion US dollars"),
        ("300 million dollars", 300_000_000, "USD", "300 million dollars"),
        ("€50 million", 50_000_000, "EUR", "€50 million"),
        ("50 million euros", 50_000_000, "EUR", "50 million euros"),
        ("HK$1 billion", 1_000_000_000, "HKD", "HK$1 billion"),
        ("100 million Hong Kong dollars", 100_000_000, "HKD", "100 million Hong Kong dollars"),
        ("10,000 yuan", 10_000, "CNY", "10,000 yuan"),
        ("¥300 million", 300_000_000, "CNY", "¥300 million"),
        ("￥300 million", 300_000_000, "CNY", "￥300 million"),
        ("£5 million", 5_000_000, "GBP", "£5 million"),
        ("5 billion yen", 5_000_000_000, "JPY", "5 billion yen"),
        ("JPY 5 billion", 5_000_000_000, "JPY", "JPY 5 billion"),
        ("RMB 16 billion yuan", 16_000_000_000, "CNY", "RMB 16 billion yuan"),
        ("ten billion yuan", 10_000_000_000, "CNY", "ten billion yuan"),
        ("0 yuan", 0, "CNY", "0 yuan"),
        ("12.345 yuan", 12.35, "CNY", "12.345 yuan"),
        ("2.25 million yuan", 2_250_000, "CNY", "2.25 million yuan"),
        ("1.5 trillion yuan", 1_500_000_000_000, "CNY", "1.5 trillion yuan"),
    ],
)
def test_english_money(text, value, unit, found):
    assert summary(f"It invested {text} in the park.", "en") == ("money", value, unit, None, found)


@pytest.mark.parametrize(
    ("text", "value", "unit", "found"),
    [
        ("160亿元", 16_000_000_000, "CNY", "160亿元"),
        ("160亿元人民币", 16_000_000_000, "CNY", "160亿元人民币"),
        ("人民币160亿元", 16_000_000_000, "CNY", "人民币160亿元"),
        ("160亿人民币", 16_000_000_000, "CNY", "160亿人民币"),
        ("5000万美元", 50_000_000, "USD", "5000万美元"),
        ("2.2亿美元", 220_000_000, "USD", "2.2亿美元"),
        ("3亿欧元", 300_000_000, "EUR", "3亿欧元"),
        ("1亿港元", 100_000_000, "HKD", "1亿港元"),
        ("1亿港币", 100_000_000, "HKD", "1亿港币"),
        ("10亿日元", 1_000_000_000, "JPY", "10亿日元"),
        ("12.5亿元", 1_250_000_000, "CNY", "12.5亿元"),
        ("50多亿元", 5_000_000_000, "CNY", "50多亿元"),
        ("一百亿元", 10_000_000_000, "CNY", "一百亿元"),
        ("1万亿元", 10**12, "CNY", "1万亿元"),
        ("１６０亿元", 16_000_000_000, "CNY", "１６０亿元"),
        ("3,000万元", 30_000_000, "CNY", "3,000万元"),
        ("US$5000万", 50_000_000, "USD", "US$5000万"),
        ("3亿5000万元", 350_000_000, "CNY", "3亿5000万元"),
        ("200余万元", 2_000_000, "CNY", "200余万元"),
    ],
)
def test_chinese_money(text, value, unit, found):
    assert summary(f"该项目投资{text}，", "zh") == ("money", value, unit, None, found)


def test_chinese_money_text_leaves_out_the_words_before_the_amount():
    figure = only("项目总投资约50亿元。", "zh")
    assert (figure.kind, figure.value, figure.text, figure.span) == ("money", 5_000_000_000, "50亿元", (6, 10))


# --- area ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.7 million square meters", 1_700_000),
        ("1.7 million square metres", 1_700_000),
        ("1 square meter", 1),
        ("50,000 sq m", 50_000),
        ("50,000 sq. m", 50_000),
        ("50,000 sqm", 50_000),
        ("50,000 m2", 50_000),
        ("50,000 m²", 50_000),
        ("50,000 ㎡", 50_000),
        ("12 square kilometers", 12_000_000),
        ("12 square kilometres", 12_000_000),
        ("12 km2", 12_000_000),
        ("12 km²", 12_000_000),
        ("1.5 sq km", 1_500_000),
        ("30 hectares", 300_000),
        ("2.5 ha", 25_000),
        ("200 mu", 133_333.33),
        ("15 mu", 10_000),
        ("1 mu", 666.67),
        ("0 sqm", 0),
        ("1.7-million-square-meter", 1_700_000),
        ("12.345 square meters", 12.35),
    ],
)
def test_english_area_in_square_metres(text, value):
    kind, found_value, unit, of, found = summary(f"The park covers {text} of land.", "en")
    assert (kind, found_value, unit, of, found) == ("area", value, "m2", None, text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("50万平方米", 500_000),
        ("5万㎡", 50_000),
        ("5万m²", 50_000),
        ("1200平米", 1200),
        ("12平方公里", 12_000_000),
        ("12平方千米", 12_000_000),
        ("30公顷", 300_000),
        ("200亩", 133_333.33),
        ("三百亩", 200_000),
        ("１２平方公里", 12_000_000),
    ],
)
def test_chinese_area_in_square_metres(text, value):
    assert summary(f"园区占地{text}，", "zh") == ("area", value, "m2", None, text)


def test_area_text_leaves_out_the_words_before_the_amount():
    figure = only("建筑面积3万平方米", "zh")
    assert (figure.value, figure.text, figure.span) == (30_000, "3万平方米", (4, 9))


# --- counts --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "of", "found"),
    [
        ("1,460 enterprises", 1460, "enterprises", "1,460 enterprises"),
        ("Fourteen projects", 14, "projects", "Fourteen projects"),
        ("14 major projects", 14, "projects", "14 major projects"),
        ("32 key projects", 32, "projects", "32 key projects"),
        ("14 major new projects", 14, "projects", "14 major new projects"),
        ("14 enterprise projects", 14, "projects", "14 enterprise projects"),
        ("300 jobs", 300, "jobs", "300 jobs"),
        ("2,000 employees", 2000, "employees", "2,000 employees"),
        ("2000 employees", 2000, "employees", "2000 employees"),
        ("12 agreements", 12, "agreements", "12 agreements"),
        ("five universities", 5, "universities", "five universities"),
        ("more than 200 companies", 200, "companies", "200 companies"),
        ("twenty-one firms", 21, "firms", "twenty-one firms"),
        ("one hundred and five projects", 105, "projects", "one hundred and five projects"),
        ("a dozen banks", 12, "banks", "a dozen banks"),
        ("1.2 million people", 1_200_000, "people", "1.2 million people"),
        ("120 Fortune Global companies", 120, "companies", "120 Fortune Global companies"),
        ("one project", 1, "project", "one project"),
        ("0 startups", 0, "startups", "0 startups"),
        ("36 foreign-funded enterprises", 36, "enterprises", "36 foreign-funded enterprises"),
        ("１４ projects", 14, "projects", "１４ projects"),
        ("300 Jobs", 300, "jobs", "300 Jobs"),
    ],
)
def test_english_counts_name_the_counted_noun(text, value, of, found):
    assert summary(f"The park welcomed {text} last week.", "en") == ("count", value, None, of, found)


@pytest.mark.parametrize(
    ("text", "value", "of", "found"),
    [
        ("14个项目", 14, "项目", "14个项目"),
        ("签约项目14个", 14, "项目", "项目14个"),
        ("签约项目共14个", 14, "项目", "项目共14个"),
        ("1460家企业", 1460, "企业", "1460家企业"),
        ("32个重点项目", 32, "项目", "32个重点项目"),
        ("200余家企业", 200, "企业", "200余家企业"),
        ("一千多家企业", 1000, "企业", "一千多家企业"),
        ("5所高校", 5, "高校", "5所高校"),
        ("3家银行", 3, "银行", "3家银行"),
        ("120名代表", 120, "代表", "120名代表"),
        ("2000个就业岗位", 2000, "就业岗位", "2000个就业岗位"),
        ("就业岗位2000个", 2000, "就业岗位", "就业岗位2000个"),
        ("十四个项目", 14, "项目", "十四个项目"),
        ("两家企业", 2, "企业", "两家企业"),
        ("120人", 120, "人", "120人"),
        ("１４个项目", 14, "项目", "１４个项目"),
    ],
)
def test_chinese_counts_name_the_counted_noun(text, value, of, found):
    assert summary(f"本次活动{text}。", "zh") == ("count", value, None, of, found)


@pytest.mark.parametrize(
    "text",
    [
        "In 2026 projects worth little were signed.",
        "Since 2026 companies have moved in.",
        "The year 2026.",
        "On March 14 delegates arrived.",
        "It happened in 2026.",
        "5 of the projects were late.",
        "15 percent of firms",
        "They signed 12 of them.",
        "the 14th Five-Year Plan",
        "Room 12 is free.",
        "The G20 countries met.",
        "",
    ],
)
def test_english_years_dates_and_uncounted_numbers_are_not_counts(text):
    assert [figure for figure in find_figures(text, "en") if figure.kind == "count"] == []


@pytest.mark.parametrize(
    "text",
    ["2026年3月5日", "第一个项目", "5个月内企业", "十四五规划", "万家企业", "千万企业", "一带一路", "2026年", "14个"],
)
def test_chinese_years_dates_ordinals_and_bare_numbers_are_not_counts(text):
    assert find_figures(text, "zh") == []


# --- percent -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "found"),
    [
        ("15%", 15, "15%"),
        ("15 %", 15, "15 %"),
        ("15 percent", 15, "15 percent"),
        ("15 per cent", 15, "15 per cent"),
        ("15％", 15, "15％"),
        ("12.5%", 12.5, "12.5%"),
        ("0.333%", 0.33, "0.333%"),
        ("0%", 0, "0%"),
        ("fifteen percent", 15, "fifteen percent"),
        ("100 percent", 100, "100 percent"),
    ],
)
def test_english_percent(text, value, found):
    assert summary(f"Output grew {text} last year.", "en") == ("percent", value, "%", None, found)


@pytest.mark.parametrize(
    ("text", "value", "found"),
    [
        ("增长15%", 15, "15%"),
        ("增长15％", 15, "15％"),
        ("增长百分之十五", 15, "百分之十五"),
        ("增长百分之15", 15, "百分之15"),
        ("增长百分之三点五", 3.5, "百分之三点五"),
        ("增长百分之一百", 100, "百分之一百"),
        ("增长12.5%", 12.5, "12.5%"),
    ],
)
def test_chinese_percent(text, value, found):
    assert summary(f"产值{text}。", "zh") == ("percent", value, "%", None, found)


# --- whole texts ---------------------------------------------------------------------------------------------


def test_money_is_not_also_reported_as_a_count_and_figures_do_not_overlap():
    text = "The 14 projects, worth 16 billion yuan (US$2.2 billion), cover 1.7 million square meters."
    figures = find_figures(text, "en")
    assert [(figure.kind, figure.text) for figure in figures] == [
        ("count", "14 projects"),
        ("money", "16 billion yuan"),
        ("money", "US$2.2 billion"),
        ("area", "1.7 million square meters"),
    ]
    ends = [figure.span[1] for figure in figures]
    starts = [figure.span[0] for figure in figures]
    assert all(end <= start for end, start in zip(ends, starts[1:], strict=False))


def test_chinese_article_figures_in_order_with_exact_spans():
    text = (
        "2026年3月5日上午，园区签约项目14个，总投资约160亿元人民币，"
        "1460家企业、5所高校参加，建筑面积3万平方米，产值增长15%。"
    )
    figures = find_figures(text, "zh")
    assert [(figure.kind, figure.value, figure.text) for figure in figures] == [
        ("count", 14, "项目14个"),
        ("money", 16_000_000_000, "160亿元人民币"),
        ("count", 1460, "1460家企业"),
        ("count", 5, "5所高校"),
        ("area", 30_000, "3万平方米"),
        ("percent", 15, "15%"),
    ]
    for figure in figures:
        assert text[figure.span[0] : figure.span[1]] == figure.text


def test_chinese_list_separated_by_the_full_width_comma_stays_two_numbers():
    figures = find_figures("项目14个，1460家企业", "zh")
    assert [(figure.value, figure.of) for figure in figures] == [(14, "项目"), (1460, "企业")]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("worth 16\u00a0billion yuan", "16\u00a0billion yuan"),
        ("worth 16\u202fbillion yuan", "16\u202fbillion yuan"),
        ("worth 1,6\u200b00 yuan", "1,6\u200b00 yuan"),
        ("\u200bworth \ufeff16 billion yuan", "16 billion yuan"),
        ("worth 16 billion\u200b yuan", "16 billion\u200b yuan"),
    ],
)
def test_odd_spaces_and_zero_width_characters_keep_spans_on_the_original_text(text, found):
    figure = only(text, "en")
    assert figure.kind == "money"
    assert figure.text == found


def test_zero_width_characters_in_chinese_text():
    text = "\u200b共有1\u200b460家\u200b企业"
    figure = only(text, "zh")
    assert (figure.value, figure.of, figure.text) == (1460, "企业", "1\u200b460家\u200b企业")


@pytest.mark.parametrize(("text", "language"), [("", "en"), ("", "zh"), ("   ", "en"), ("no numbers here", "en")])
def test_nothing_to_find(text, language):
    assert find_figures(text, language) == []


def test_as_dict_is_json_ready():
    figure = only("worth 2.2 billion U.S. dollars", "en")
    assert figure.as_dict() == {
        "kind": "money",
        "value": 2_200_000_000,
        "unit": "USD",
        "of": None,
        "text": "2.2 billion U.S. dollars",
        "span": [6, 30],
    }


def test_whole_values_are_ints_and_fractions_are_rounded_floats():
    values = [figure.value for figure in find_figures("16 billion yuan, 12.5% and 200 mu", "en")]
    assert values == [16_000_000_000, 12.5, 133_333.33]
    assert [type(value) for value in values] == [int, float, float]


_FIGURE_LIKE = st.text(
    alphabet="0123456789,. %$¥€亿万千百十个家元美平方米亩年月日第余多项目企业 yuanbilionprojectsqm\u00a0\u200b\uff11",
    max_size=60,
)


@settings(max_examples=300)
@given(_FIGURE_LIKE, st.sampled_from(["en", "zh"]))
def test_figures_are_sorted_disjoint_and_spans_point_at_their_text(text, language):
    figures = find_figures(text, language)
    previous_end = 0
    for figure in figures:
        start, end = figure.span
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == figure.text
        assert figure.kind in ("money", "area", "count", "percent")
        assert isinstance(figure.value, int | float)
        previous_end = end
