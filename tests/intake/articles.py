"""The development set as the tests see it: each article with the text its expected spans point into.

The expected spans of an HTML article point into ``visible_text(page)``: what a reader sees (no head, nav,
scripts, styles, asides or footer element), one block element per line. The extractor's own reader may lay the
page out differently; spans are checked here for consistency only, and the scorer does not compare them.
"""

from __future__ import annotations

from html.parser import HTMLParser

from parkos.intake.scoring import DEVSET_DIR, DevsetArticle, load_devset

__all__ = ["DEVSET_DIR", "article_text", "load_devset", "visible_text"]

_HIDDEN = {"head", "script", "style", "nav", "aside", "footer", "noscript", "template"}
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "br", "article", "section", "tr"}


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden_depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self.hidden_depth += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _HIDDEN:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden_depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """What a reader of the page sees, one block per line, runs of spaces collapsed."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def article_text(article: DevsetArticle) -> str:
    """The text the expected spans point into."""
    raw = article.data.decode("utf-8")
    return visible_text(raw) if article.path.suffix in (".html", ".htm") else raw
