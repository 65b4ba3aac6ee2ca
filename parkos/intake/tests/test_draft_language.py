"""Drafted titles and figure lines follow the article's language, whatever the reviewer's (issue 13)."""

from types import SimpleNamespace

from django.utils import translation

from parkos.intake.forms import _agreement_title
from parkos.intake.wording import article_language, figure_line

MONEY = {"kind": "money", "value": 16_000_000_000, "unit": "CNY", "text": "160亿元"}


def test_a_chinese_article_drafts_chinese_titles_for_an_english_reviewer():
    article = SimpleNamespace(language="zh")
    with translation.override("en"):
        title = _agreement_title("investment", ["甲公司", "乙区人民政府"], article)
        with translation.override(article_language(article)):
            line = figure_line(MONEY)
    assert title.endswith("：甲公司、乙区人民政府"), title
    assert not any(c.isascii() and c.isalpha() for c in title), title
    assert line == "总投资：16,000,000,000 元（160亿元）"


def test_an_english_article_drafts_english_titles_for_a_chinese_reviewer():
    article = SimpleNamespace(language="en")
    with translation.override("zh-hans"):
        title = _agreement_title("investment", ["Acme Ltd", "Riverside District"], article)
        with translation.override(article_language(article)):
            line = figure_line({**MONEY, "text": "16 billion yuan"})
    assert title.endswith(": Acme Ltd, Riverside District"), title
    assert line == "Total investment: 16,000,000,000 CNY (16 billion yuan)"
