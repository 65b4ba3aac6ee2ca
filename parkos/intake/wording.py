"""Drafts written in the article's language: agreement titles and figure lines (issue 13).

What intake drafts from an article becomes data (an agreement's title, an event's description), so
it is written in the article's language, not the reviewer's: a Chinese article drafts "投资协议：甲公司、
乙区人民政府" for a reviewer reading the English UI, and an English article drafts English.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language, gettext

#: the language code Django speaks for an article's language (Article.Language)
ARTICLE_LANGUAGES = {"zh": "zh-hans", "en": "en"}


def article_language(article: object) -> str:
    """The UI language an article's drafts are written in: its own (Chinese articles draft in zh-Hans)."""
    return ARTICLE_LANGUAGES.get(str(getattr(article, "language", "") or ""), "en")


def figure_line(figure: Mapping[str, Any]) -> str:
    """ "Total investment: 16,000,000,000 CNY (16 billion yuan)": a kept figure as a line of a summary, in the
    active language (call it under translation.override(article_language(article)))."""
    chinese = (get_language() or "").lower().startswith("zh")
    value = figure.get("value")
    try:
        number = f"{value:,}" if isinstance(value, int | float) else str(value or "")
    except (TypeError, ValueError):
        number = str(value)
    units = {"m2": "m²", **({"CNY": "元", "USD": "美元", "EUR": "欧元", "mu": "亩"} if chinese else {})}
    unit = units.get(figure.get("unit") or "", figure.get("unit") or "")
    of = figure.get("of") or ""
    amount = " ".join(part for part in (number, unit if figure.get("kind") != "count" else of) if part)
    labels: dict[object, str] = {
        "money": gettext("Total investment"),
        "area": gettext("Area"),
        "count": gettext("Count"),
        "percent": gettext("Share"),
    }
    label = labels.get(figure.get("kind"), "")
    text = figure.get("text") or ""
    line = (gettext("%(label)s: %(amount)s") % {"label": label, "amount": amount}) if label else amount
    if text and text != amount:
        return gettext("%(line)s (%(text)s)") % {"line": line, "text": text}
    return line
