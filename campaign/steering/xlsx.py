"""Streaming .xlsx exports with openpyxl's write-only mode.

The workbook is written row by row into a temporary file (write-only mode keeps only the current
row in memory) and the file is then streamed to the client in chunks, so that an export of tens of
thousands of rows costs neither much memory nor a long-held connection before the first byte.
"""

import datetime
import tempfile
from decimal import Decimal
from urllib.parse import quote

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plain(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: write local wall-clock time.
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, bool | int | float | datetime.date | str):
        return value
    return str(value)


def write_workbook(target, *, title, headers, rows, widths=None):
    """Write ``headers`` and the iterable ``rows`` to ``target`` (a path or a binary file)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[_column_letter(index)].width = width
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        sheet.append([_plain(v) for v in row])
        count += 1
    workbook.save(target)
    return count


def _column_letter(index):
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def xlsx_response(*, filename, title, headers, rows, widths=None):
    """A streamed download of the rows as an .xlsx workbook named ``filename``."""
    # Deleted when closed; FileResponse closes it once the last chunk has gone out.
    spool = tempfile.TemporaryFile(suffix=".xlsx")
    write_workbook(spool, title=title, headers=headers, rows=rows, widths=widths)
    spool.seek(0)
    response = FileResponse(spool, content_type=XLSX_TYPE, as_attachment=True)
    # RFC 6266: an ASCII fallback plus the UTF-8 name for Chinese file names.
    response["Content-Disposition"] = (
        f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
