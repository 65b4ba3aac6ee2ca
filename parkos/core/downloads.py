"""File downloads: XLSX workbooks written from rows, and the attachment response that carries a file."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

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


#: Excel number formats: numbers stay typed cells people can sum; only their display is grouped
DECIMAL_FORMAT = "#,##0.00"
INTEGER_FORMAT = "#,##0"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"


def typed_cell(sheet: Any, value: object) -> object:
    """A number as a numeric cell with a grouped number format; a time in local time (Excel has no zones)."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal | float):
        number: Any = value  # openpyxl writes a Decimal as a number; its stubs say float only
        cell = WriteOnlyCell(sheet, value=number)
        cell.number_format = DECIMAL_FORMAT
        return cell
    if isinstance(value, int):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = INTEGER_FORMAT
        return cell
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        cell = WriteOnlyCell(sheet, value=local.replace(tzinfo=None, microsecond=0))
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=dt.datetime.combine(value, dt.time()))
        cell.number_format = DATE_FORMAT
        return cell
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
            sheet.append([typed_cell(sheet, neutralise(cell)) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def attachment(data: bytes, name: str, content_type: str = XLSX_CONTENT_TYPE) -> HttpResponse:
    """A response that the browser saves as the file ``name``."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def resource_xlsx_bytes(resource: Any, queryset: Any, title: str = "Export") -> bytes:
    """A list export as XLSX: the one writer of a model's rows is ``core.resources.export_bytes``."""
    from parkos.core.resources import export_bytes

    return export_bytes(resource, queryset, "xlsx")
