"""File downloads: XLSX workbooks written from rows, and the attachment response that carries a file."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: what a spreadsheet reads as the start of a formula (OWASP "CSV injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A cell as text a spreadsheet shows and never runs: a leading ' before anything formula-like.

    Numbers stay numbers (a negative amount is not a formula); every writer of CSV and XLSX uses this.
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    try:
        float(value)
    except ValueError:
        return "'" + value
    return value


def xlsx_bytes(sheets: Iterable[tuple[str, Iterable[Sequence[object]]]]) -> bytes:
    """A workbook of (sheet title, rows), in order.

    Rows may be generators: the workbook is write-only, so a sheet of a million rows is streamed,
    never held. Excel allows 31 characters in a sheet title; a longer one is cut.
    """
    from openpyxl import Workbook  # only the pages that export pay for importing it

    book = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = book.create_sheet(str(title)[:31])
        for row in rows:
            sheet.append([neutralise(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def attachment(data: bytes, name: str, content_type: str = XLSX_CONTENT_TYPE) -> HttpResponse:
    """A response that the browser saves as the file ``name``."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
