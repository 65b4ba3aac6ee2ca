"""Articles from where they are published: the server fetches the page and finds its main text.

The fetch has a timeout and a size limit, follows a few redirects, takes only web pages and plain text, and says
in words a person can act on why a page gave no article.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from parkos.intake.extraction.reading import ReadError, clean_text, decode, html_to_text

#: seconds to wait for the page (connecting and each read)
TIMEOUT = 10
#: the largest page read; a press release is a few hundred kilobytes with its markup
MAX_BYTES = 5 * 1024 * 1024
#: fewer visible characters than this is a page with no article on it (an index, a login page, an error)
MIN_ARTICLE_CHARS = 80
USER_AGENT = "ParkOS press intake (+https://github.com/parkos)"


class FetchError(ValueError):
    """The page could not be fetched or holds no article; the message says which and why."""


@dataclass(frozen=True)
class FetchedArticle:
    url: str
    text: str
    title: str


def fetch_article(url: str, *, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> FetchedArticle:
    """The article at ``url``: its main text as the intake reads it, and the page's title."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchError(_("“%(url)s” is not a web address (http:// or https://).") % {"url": url})
    request = urllib.request.Request(url.strip(), headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked above)
            content_type = response.headers.get_content_type()
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(_("The page is larger than %(size)s MB.") % {"size": max_bytes // (1024 * 1024)})
            data = response.read(max_bytes + 1)
            final_url = response.geturl()
            charset = response.headers.get_content_charset()
    except FetchError:
        raise
    except urllib.error.HTTPError as error:
        raise FetchError(
            _("The site answered %(status)s (%(reason)s) for this address.")
            % {"status": error.code, "reason": error.reason}
        ) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise FetchError(_("The site did not answer within %(seconds)s seconds.") % {"seconds": timeout}) from error
        raise FetchError(_("The page could not be fetched: %(reason)s.") % {"reason": reason}) from error
    if len(data) > max_bytes:
        raise FetchError(_("The page is larger than %(size)s MB.") % {"size": max_bytes // (1024 * 1024)})
    if content_type not in ("text/html", "application/xhtml+xml", "text/plain"):
        raise FetchError(
            _("The address gives a %(type)s file, not a web page; download it and upload the file instead.")
            % {"type": content_type}
        )
    try:
        page = data.decode(charset) if charset else decode(data)
    except (LookupError, UnicodeDecodeError, ReadError):
        page = decode(data)
    if content_type == "text/plain":
        text, title = clean_text(page), ""
    else:
        text, title = main_text(page)
    if len(text) < MIN_ARTICLE_CHARS:
        raise FetchError(_("The page holds no article: there is almost no text on it."))
    return FetchedArticle(final_url, text, title)


def main_text(html: str) -> tuple[str, str]:
    """The page's article text and title. The <article> or <main> element when there is one, else the block with
    the most paragraph text (menus, lists of links and footers have little), with the headline put first."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    container = soup.find("article") or soup.find("main") or _densest(soup)
    if container is None:
        return clean_text(html_to_text(html)), title
    text = clean_text(html_to_text(str(container)))
    headline = soup.find("h1")
    if headline is not None and headline not in container.descendants:
        heading = headline.get_text(" ", strip=True)
        if heading and heading not in text:
            text = f"{heading}\n\n{text}"
    elif not container.find(["h1", "h2"]) and title and title not in text:
        text = f"{title}\n\n{text}"
    return text, title


def _densest(soup):
    """The element whose own paragraphs hold the most text (links inside them count for little)."""
    best, best_score = None, 0
    for paragraph_parent in {p.parent for p in soup.find_all("p") if p.parent is not None}:
        if paragraph_parent.name in ("nav", "footer", "aside", "header"):
            continue
        score = 0
        for paragraph in paragraph_parent.find_all("p", recursive=False):
            words = len(paragraph.get_text(" ", strip=True))
            links = sum(len(a.get_text(" ", strip=True)) for a in paragraph.find_all("a"))
            score += max(0, words - 2 * links)
        if score > best_score:
            best, best_score = paragraph_parent, score
    return best
