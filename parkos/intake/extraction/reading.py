"""Reading an article from what people have: pasted text, a saved web page (HTML) or a Word file (.docx)."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

#: the file types the intake reads, by suffix
SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".docx")
#: HTML elements whose text is never part of the article
_SKIPPED_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg")
_BLOCK_TAGS = (
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote", "pre",
    "table", "ul", "ol", "figcaption", "dd", "dt",
)  # fmt: skip


class ReadError(ValueError):
    """The file cannot be read as an article; the message says why."""


def clean_text(text: str) -> str:
    """Normalise line ends and drop characters that only get in the way (zero-width, BOM, control characters).

    Spans are offsets into the cleaned text, which is what the article stores and shows.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(
        ch
        for ch in text
        if ch in "\n\t" or not (unicodedata.category(ch) in ("Cc", "Cf") or ch in "\ufeff\u200b\u200c\u200d")
    )
    text = text.replace("\u00a0", " ").replace("\u3000", " ")
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def decode(data: bytes) -> str:
    """Bytes as text: UTF-8 (with or without BOM), UTF-16 with BOM, else GB 18030 (older Chinese sites)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ReadError(
                _("The file is not valid UTF-16 text (byte %(position)s).") % {"position": error.start}
            ) from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise ReadError(
            _("The file is not text in UTF-8 or GB 18030 (byte %(position)s).") % {"position": error.start}
        ) from error


def html_to_text(html: str) -> str:
    """The visible text of a web page, one paragraph per block; menus, scripts and footers left out."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(_SKIPPED_TAGS):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in root.find_all(_BLOCK_TAGS):
        tag.insert_before("\n\n" if tag.name != "br" else "\n")
    lines = [" ".join(line.split()) for line in root.get_text().split("\n")]
    text = "\n".join(lines)
    headline = root.find(["h1", "h2"])
    if title and not headline and title not in text:
        text = f"{title}\n\n{text}"
    return text


def docx_to_text(data: bytes) -> str:
    """The paragraphs (and table cells) of a Word file, in order."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ReadError(_("This is not a Word (.docx) file: %(error)s") % {"error": error}) from error
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n\n".join(part for part in parts if part.strip())


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<body" in head or "<!doctype html" in head or bool(re.search(r"<(p|div)[\s>]", head))


def read_document(data: bytes, filename: str = "") -> str:
    """The article text of a file's content, by its suffix (or by its content when the suffix says nothing)."""
    suffix = Path(filename).suffix.lower()
    if suffix and suffix not in SUFFIXES:
        raise ReadError(
            _("Files of type %(suffix)s cannot be read; use plain text (.txt), a web page (.html) or Word (.docx).")
            % {"suffix": suffix}
        )
    if suffix == ".docx" or (not suffix and data[:2] == b"PK"):
        text = docx_to_text(data)
    else:
        if b"\x00" in data[:1000] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ReadError(_("This looks like a binary file, not text."))
        text = decode(data)
        if suffix in (".html", ".htm") or (not suffix and looks_like_html(text)):
            text = html_to_text(text)
    return clean_text(text)


def read_text(text: str) -> str:
    """Pasted text: HTML when it looks like a page, else as it is."""
    return clean_text(html_to_text(text) if looks_like_html(text) else text)
