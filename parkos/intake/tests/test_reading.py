"""Reading articles from what people have: text in several encodings, saved web pages, Word files."""

import io
import re

import docx
import pytest

from parkos.intake.extraction.reading import ReadError, read_document, read_text


def word_file(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Total investment"
    table.rows[0].cells[1].text = "16 billion yuan"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_plain_text_in_utf8_with_a_bom_and_windows_line_ends():
    text = read_document("\ufeffHeadline\r\n\r\nFirst paragraph.\r\n".encode(), "a.txt")
    assert text == "Headline\n\nFirst paragraph."


def test_older_chinese_sites_write_gb18030():
    assert read_document("新吴区签约仪式".encode("gb18030"), "a.txt") == "新吴区签约仪式"


def test_utf16_with_its_mark():
    assert read_document("Signed.".encode("utf-16"), "a.txt") == "Signed."


def test_a_web_page_gives_its_article_text_without_menus_and_scripts():
    page = b"""<html><head><title>Site</title><script>var x = "Group Co., Ltd.";</script></head><body>
    <nav>Home | News</nav><article><h1>Park signs deal</h1><p>The park and <b>Taiyu Co., Ltd.</b> signed.</p>
    <p>Editor: Chen Lu</p></article><footer>Copyright</footer></body></html>"""
    text = read_document(page, "news.html")
    assert text.splitlines()[0] == "Park signs deal"
    assert "The park and Taiyu Co., Ltd. signed." in text
    assert "Editor: Chen Lu" in text
    assert "var x" not in text and "Home | News" not in text and "Copyright" not in text


def test_pasted_html_is_read_as_a_page():
    assert read_text("<p>One.</p><p>Two.</p>") == "One.\n\nTwo."


def test_a_word_file_gives_its_paragraphs_and_tables():
    text = read_document(word_file("Park signs deal", "The park and Taiyu signed."), "release.docx")
    assert text.splitlines()[0] == "Park signs deal"
    assert "The park and Taiyu signed." in text
    assert "Total investment\t16 billion yuan" in text


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"PK\x03\x04 not really a zip", "release.docx", "not a Word (.docx) file"),
        (b"%PDF-1.7", "release.pdf", "Files of type .pdf cannot be read"),
        (b"\x00\x01\x02\x03binary", "release.txt", "binary file"),
        (b"\xff\xfe\xfd\x80\x81" * 3, "release.txt", "not valid UTF-16 text"),
        (b"\x81\x30\xff\xff" * 3, "release.txt", "not text in UTF-8 or GB 18030"),
    ],
)
def test_a_file_it_cannot_read_says_why(data, name, message):
    with pytest.raises(ReadError, match=re.escape(message)):
        read_document(data, name)


def test_zero_width_and_control_characters_are_dropped_and_spaces_normalised():
    assert read_text("Zhang\u200bWei\u00a0signed\u3000it.\x07") == "ZhangWei signed it."
