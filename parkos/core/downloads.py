"""File downloads: XLSX workbooks written from rows, and the attachment response that carries a file."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(sheets: Iterable[tuple[str, Iterable[Sequence]]]) -> bytes:
    """A workbook of (sheet title, rows), in order.

    Rows may be generators: the workbook is write-only, so a sheet of a million rows is streamed,
    never held. Excel allows 31 characters in a sheet title; a longer one is cut.
    """
    from openpyxl import Workbook  # only the pages that export pay for importing it

    book = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = book.create_sheet(str(title)[:31])
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def attachment(data: bytes, name: str, content_type: str = XLSX_CONTENT_TYPE) -> HttpResponse:
    """A response that the browser saves as the file ``name``."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
