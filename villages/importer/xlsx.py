"""Small, reusable helpers to read and write .xlsx workbooks safely and fast.

Reading: ``inspect_file`` rejects what is not a sane .xlsx (empty, too big, an
old .xls, a CSV renamed, a zip bomb) *before* anything is parsed; ``Workbook``
then streams each sheet's rows straight out of the zip. openpyxl's read-only
mode does the same but spends ~9 µs per cell on styles and types we do not
need; scanning the sheet XML with regular expressions reads 300,000 rows in a
few seconds instead of half a minute. Values come back as ``str``, ``int``,
``float``, ``bool`` or ``None``; dates arrive as Excel serial numbers (or
text) and ``parse_date`` understands both.

Writing: ``write_workbook`` uses openpyxl's write-only mode (rows are flushed
to disk as they come) into a temporary file, which the caller streams out.
"""

import datetime
import html
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from django.utils.translation import gettext as _
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_CHUNK = 1 << 20

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

# Tags may carry a namespace prefix (``<x:row>``) when other tools wrote the file.
_ROW_RE = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_CELL_RE = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR_R_RE = re.compile(rb'\br="([A-Z]+)?(\d+)?"')
_ATTR_T_RE = re.compile(rb'\bt="(\w+)"')
_V_RE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_T_RE = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>(.*?)</(?:\w+:)?t>", re.S)
_TOKEN_RE = re.compile(
    # 1. The usual cell, as Excel, WPS and openpyxl write it: caught whole, no second look needed.
    rb'<c r="([A-Z]+)\d+"(?: s="\d+")?(?: t="(s|n|inlineStr)")?(?: s="\d+")?>'
    rb"(?:<v>([^<]*)</v>|<is><t>([^<]*)</t></is>)</c>"
    # 2. A row opening.
    rb"|<(?:\w+:)?(row)\b([^>]*)>"
    # 3. Any other cell (formulas, rich text, prefixes, other attribute orders).
    rb"|<(?:\w+:)?c\b(?=(?:[^>]*?\br=\"([A-Z]+))?)([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)",
    re.S,
)
_DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')
_ROW_NUMBER_RE = re.compile(rb'\br="(\d+)"')
_column_cache = {}
_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')
_ROW_END = re.compile(rb"</(?:\w+:)?row>|<(?:\w+:)?row\b[^>]*/>")
_SHEETDATA_END = re.compile(rb"</(?:\w+:)?sheetData>")


class WorkbookError(Exception):
    """The file cannot be read as a workbook; ``str(error)`` is a message for the user."""


def inspect_file(source, *, max_bytes, max_uncompressed_bytes):
    """Check a file (path or binary file object) before parsing; raise ``WorkbookError`` if it is not sane."""
    if isinstance(source, str | bytes) or hasattr(source, "__fspath__"):
        with open(source, "rb") as handle:
            return _inspect(handle, max_bytes, max_uncompressed_bytes)
    source.seek(0)
    try:
        return _inspect(source, max_bytes, max_uncompressed_bytes)
    finally:
        source.seek(0)


def _inspect(handle, max_bytes, max_uncompressed_bytes):
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    if size == 0:
        raise WorkbookError(_("The file is empty (0 bytes)."))
    if size > max_bytes:
        raise WorkbookError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB. Split it into several files.")
            % {"size": round(size / 1048576, 1), "limit": round(max_bytes / 1048576)}
        )
    if head.startswith(_OLE2_MAGIC):
        raise WorkbookError(
            _(
                "This is an old Excel 97–2003 (.xls) file or a password-protected workbook. "
                "Open it in Excel or WPS, remove any password and save it as .xlsx."
            )
        )
    if not head.startswith(_ZIP_MAGIC):
        raise WorkbookError(
            _(
                "This is not an Excel .xlsx workbook (it looks like a text or CSV file renamed to .xlsx). "
                "Open it in Excel or WPS and save it as .xlsx."
            )
        )
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise WorkbookError(_("The file is damaged and cannot be opened as .xlsx.")) from error
    if "xl/workbook.xml" not in names:
        raise WorkbookError(
            _("This is a zip file but not an Excel .xlsx workbook. Save the data from Excel as .xlsx.")
        )
    if total > max_uncompressed_bytes:
        raise WorkbookError(_("The workbook is too large once unpacked; split it into several files."))
    return size


@dataclass
class Sheet:
    title: str
    path: str
    merged: list = field(default_factory=list)  # filled once the rows have been read


def column_index(letters):
    """``"A"`` → 0, ``"AB"`` → 27."""
    index = 0
    for char in letters:
        index = index * 26 + (ord(char) - 64)
    return index - 1


def column_letter(index):
    return get_column_letter(index + 1)


class Workbook:
    """A read-only view of an .xlsx file: its sheets and their rows, streamed."""

    def __init__(self, path):
        self.path = path
        self._zip = None
        try:
            self._zip = zipfile.ZipFile(path)
            self.sheets = self._read_sheets()
            self._shared = None
        except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError) as error:
            self.close()
            raise WorkbookError(_("The file is damaged and cannot be opened as .xlsx.")) from error

    def close(self):
        if self._zip is not None:
            self._zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _read_sheets(self):
        # The standard parser is safe here: expat (≥ 2.4) caps entity expansion and
        # ElementTree never fetches external entities.
        root = ElementTree.fromstring(self._zip.read("xl/workbook.xml"))  # noqa: S314
        try:
            rels_root = ElementTree.fromstring(self._zip.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
        except KeyError:
            rels_root = None
        targets = {}
        if rels_root is not None:
            for rel in rels_root.iter(f"{{{_NS_PKG_REL}}}Relationship"):
                target = rel.get("Target", "")
                target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                targets[rel.get("Id")] = target
        sheets = []
        names = set(self._zip.namelist())
        for position, element in enumerate(root.iter(f"{{{_NS_MAIN}}}sheet"), start=1):
            path = targets.get(element.get(f"{{{_NS_REL}}}id")) or f"xl/worksheets/sheet{position}.xml"
            if path in names:
                sheets.append(Sheet(title=element.get("name", ""), path=path))
        return sheets

    def _shared_strings(self):
        if self._shared is None:
            self._shared = []
            try:
                source = self._zip.open("xl/sharedStrings.xml")
            except KeyError:
                return self._shared
            with source:
                # Rich text keeps its runs in <r><t>; phonetic guides (<rPh>) are not part of the text.
                skip = 0
                parts = []
                for event, element in ElementTree.iterparse(source, events=("start", "end")):  # noqa: S314
                    tag = element.tag.rsplit("}", 1)[-1]
                    if event == "start":
                        if tag == "rPh":
                            skip += 1
                        continue
                    if tag == "rPh":
                        skip -= 1
                    elif tag == "t" and not skip:
                        parts.append(element.text or "")
                    elif tag == "si":
                        self._shared.append(_text("".join(parts)))
                        parts = []
                        element.clear()
        return self._shared

    def dimension_rows(self, sheet):
        """The row count the sheet declares (``<dimension ref="A1:J300001"/>``), read from its first bytes."""
        with self._zip.open(sheet.path) as source:
            head = source.read(65536)
        match = _DIMENSION_RE.search(head)
        if match is None:
            return None
        return int(match.group(1)) if match.group(1) else 1

    def rows(self, sheet, *, max_rows=None):
        """Yield ``(row_number, values)`` for every non-empty row of ``sheet`` (1-based numbers).

        Raises ``WorkbookError`` after ``max_rows`` rows, so that a huge sheet is
        rejected without being read to the end.
        """
        shared = self._shared_strings()
        count = 0
        last_row = 0
        with self._zip.open(sheet.path) as source:
            buffer = b""
            tail = b""
            in_data = True
            while True:
                chunk = source.read(_CHUNK)
                if not chunk:
                    break
                buffer += chunk
                if not in_data:
                    continue
                ends = [m.end() for m in _ROW_END.finditer(buffer)]
                data_end = _SHEETDATA_END.search(buffer)
                if data_end:
                    cut = data_end.start()
                    in_data = False
                elif ends:
                    cut = ends[-1]
                else:
                    continue
                block, buffer = buffer[:cut], buffer[cut:]
                for number, values in self._parse_rows(block, shared, last_row):
                    last_row = number
                    if values:
                        count += 1
                        if max_rows is not None and count > max_rows:
                            raise WorkbookError(
                                _("The sheet “%(sheet)s” has more than %(limit)s rows; split the file.")
                                % {"sheet": sheet.title, "limit": max_rows}
                            )
                        yield number, values
            tail = buffer
        sheet.merged = [ref.decode() for ref in _MERGE_RE.findall(tail) if b":" in ref]

    def _parse_rows(self, block, shared, last_row):
        # One pass of one regular expression over the block: row openings and
        # cells come out in document order, so the Python loop stays tiny.
        number = None
        values = None
        position = 0
        cache = _column_cache
        for token in _TOKEN_RE.findall(block):
            letters, kind, raw, inline, is_row = token[:5]
            if letters:
                if values is None:
                    continue
                position = cache.get(letters)
                if position is None:
                    position = cache.setdefault(letters, column_index(letters.decode()))
                if kind == b"s":
                    try:
                        value = shared[int(raw)]
                    except (ValueError, IndexError):
                        value = None
                elif kind == b"inlineStr":
                    value = _text(inline.decode())
                elif raw:
                    value = _number(raw)
                else:
                    value = None
            elif is_row:
                if values is not None:
                    yield number, values
                number_match = _ROW_NUMBER_RE.search(token[5])
                number = int(number_match.group(1)) if number_match else last_row + 1
                last_row = number
                values = []
                position = 0
                continue
            else:
                if values is None:
                    continue
                letters, cell_attrs, content = token[6:]
                if letters:
                    position = cache.get(letters)
                    if position is None:
                        position = cache.setdefault(letters, column_index(letters.decode()))
                value = _cell_value(cell_attrs, content, shared) if content else None
            if value is not None:
                if len(values) < position:
                    values.extend([None] * (position - len(values)))
                values.append(value)
            position += 1
        if values is not None:
            yield number, values


def _number(raw):
    try:
        number = float(raw)
    except ValueError:
        return _text(raw.decode())
    return int(number) if number.is_integer() and abs(number) < 1e15 else number


def _cell_value(attrs, content, shared):
    if b't="' in attrs:
        kind = _ATTR_T_RE.search(attrs).group(1)
    else:
        kind = b"n"
    if kind == b"s" and content.startswith(b"<v>") and content.endswith(b"</v>"):
        try:
            return shared[int(content[3:-4])]
        except (ValueError, IndexError):
            return None
    if kind == b"inlineStr":
        if content.startswith(b"<is><t>") and content.endswith(b"</t></is>") and content.count(b"<t") == 1:
            return _text(content[7:-9].decode())
        return _text("".join(part.decode() for part in _T_RE.findall(content)))
    match = _V_RE.search(content)
    if match is None:
        return None
    raw = match.group(1)
    if kind == b"s":
        try:
            return shared[int(raw)]
        except (ValueError, IndexError):
            return None
    if kind in (b"str", b"d"):
        return _text(raw.decode())
    if kind == b"b":
        return raw.strip() == b"1"
    if kind == b"e":
        return None
    try:
        number = float(raw)
    except ValueError:
        return _text(raw.decode())
    return int(number) if number.is_integer() and abs(number) < 1e15 else number


def _text(value):
    if "&" in value:
        value = html.unescape(value)
    value = value.strip()
    return value or None


def merged_rows(refs):
    """``["A2:A4"]`` → {row: "A2:A4"} for every row touched by a merged range."""
    rows = {}
    for ref in refs:
        start, _sep, end = ref.partition(":")
        first = int(re.sub(r"[A-Z]", "", start))
        last = int(re.sub(r"[A-Z]", "", end or start))
        for row in range(first, last + 1):
            rows.setdefault(row, ref)
    return rows


# --- cell values ----------------------------------------------------------------------------

_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def cell_text(value):
    """A cell as text; integral floats lose their ``.0`` (Excel turns ``101`` into ``101.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).strip()
    # A code typed as text may still carry the ".0" of an earlier float conversion.
    if text.endswith(".0") and text[:-2].isdigit():
        return text[:-2]
    return text


_date_cache = {}


def parse_date(value):
    """A date from a date cell, an Excel serial number or common written forms; ``ValueError`` if not.

    Results are cached: birth and start dates repeat a lot in a registry, and one
    shared ``date`` object per distinct value keeps a 300,000-row plan small.
    """
    if isinstance(value, str | int) and not isinstance(value, bool):
        cached = _date_cache.get(value)
        if cached is None:
            cached = _parse_date(value)
            if len(_date_cache) < 100_000:
                _date_cache[value] = cached
        return cached
    return _parse_date(value)


def _parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        # Excel serial dates: 1 = 1900-01-01 (with Excel's 1900 leap-year bug, hence the 1899-12-30 epoch).
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise ValueError(value)
    text = cell_text(value)
    for candidate in (text, text.replace(" ", "")):
        for pattern in _DATE_PATTERNS:
            match = pattern.match(candidate)
            if match:
                year, month, day = (int(part) for part in match.groups())
                return datetime.date(year, month, day)
    if text.isdigit() and 4 <= len(text) <= 6:
        return parse_date(int(text))
    raise ValueError(value)


_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "t", "对"}
_FALSE = {"否", "n", "no", "false", "0", "×", "x", "f", "不是"}


def parse_bool(value):
    if isinstance(value, bool):
        return value
    text = cell_text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(value)


# --- writing --------------------------------------------------------------------------------


def write_workbook(sheets):
    """Write ``[(title, headers, rows)]`` in write-only mode to a temporary file; return the open file.

    ``rows`` may be any iterable (a queryset iterator): nothing is kept in memory.
    """
    workbook = OpenpyxlWorkbook(write_only=True)
    bold = Font(bold=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        for index, header in enumerate(headers):
            sheet.column_dimensions[column_letter(index)].width = max(12, len(str(header)) * 2 + 2)
        sheet.freeze_panes = "A2"
        header_cells = []
        for header in headers:
            cell = _write_cell(sheet, str(header))
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append(row)
    output = tempfile.TemporaryFile()
    workbook.save(output)
    output.seek(0)
    return output


def _write_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    return WriteOnlyCell(sheet, value=value)
