"""Small, reusable helpers to read and write .xlsx workbooks safely and fast.

Reading: ``inspect_file`` rejects what is not a sane .xlsx (empty, too big, an
old .xls, a CSV renamed, a zip bomb) *before* anything is parsed; ``Workbook``
then streams each sheet's rows straight out of the zip. openpyxl's read-only
mode does the same but spends ~9 µs per cell on styles and types we do not
need; scanning the sheet XML with regular expressions reads 300,000 rows in a
few seconds instead of half a minute. Values come back as ``str``, ``int``,
``float``, ``bool`` or ``None``; dates arrive as Excel serial numbers (or
text) and ``parse_date`` understands both.

Hostile files: the sheet is read in time and memory linear in its size (only the
unfinished row is carried from one chunk to the next), reading stops at
``</sheetData>``, a row or a tail after the rows beyond a few MB is refused,
the XML parts that are parsed (workbook, relationships, shared strings) go
through defusedxml with DTDs refused (no billion laughs, no XXE), and every
damaged archive (bad CRC, truncated stream) reads as "the file is damaged".
``bench/bench_xlsx_hostile.py`` measures it.

python-calamine would read faster, but it materialises the whole used range: a
2 KB file with cells A1 and XFD1048576 asks for 17 billion cells. This reader
never allocates per cell it has not seen.

Writing: ``write_workbook`` uses openpyxl's write-only mode (rows are flushed
to disk as they come) into a temporary file, which the caller streams out.
Text is always written as a string cell, never as a formula (see ``text_cell``).
"""

import datetime
import html
import re
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_CHUNK = 1 << 20
MB = 1024 * 1024

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
_SHEETDATA_END = re.compile(rb"</(?:\w+:)?sheetData>|<(?:\w+:)?sheetData\b[^>]*/>")
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.I)


class WorkbookError(Exception):
    """The file cannot be read as a workbook; ``str(error)`` is a message for the user."""


# A damaged archive or XML part, whatever layer notices it: a bad CRC, a truncated deflate stream,
# a missing part, malformed XML, a DTD or an entity refused by defusedxml.
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ParseError, DefusedXmlException)


def damaged():
    return WorkbookError(_("The file is damaged and cannot be opened as .xlsx."))


def reading_limits():
    """How much of a sheet is held at once (settings, with defaults; tests and the bench change them)."""
    return {
        # One row's XML: thirty columns of the longest text Excel allows still fit.
        "max_row_bytes": getattr(settings, "IMPORT_MAX_ROW_BYTES", 4 * MB),
        # What follows the rows (merged cells, drop-down lists, page set-up): a few KB in practice.
        "max_tail_bytes": getattr(settings, "IMPORT_MAX_TAIL_BYTES", 16 * MB),
        # The shared strings are looked up by number, so they are held in memory.
        "max_shared_bytes": getattr(settings, "IMPORT_MAX_SHARED_STRINGS_BYTES", 128 * MB),
    }


def _row_too_large(sheet, limit):
    return WorkbookError(
        _("A row of the sheet “%(sheet)s” is larger than %(limit)s MB; the file looks damaged.")
        % {"sheet": sheet.title, "limit": limit // MB}
    )


def _tail_too_large(sheet, size):
    return WorkbookError(
        _("The sheet “%(sheet)s” carries %(size)s MB after its rows; the file looks damaged.")
        % {"sheet": sheet.title, "size": size // MB}
    )


def _too_many_rows(sheet, limit):
    return WorkbookError(
        _("The sheet “%(sheet)s” has more than %(limit)s rows; split the file.")
        % {"sheet": sheet.title, "limit": limit}
    )


def uncompressed_size(path):
    """Bytes of the sheets and shared strings once unpacked, as the zip declares them.

    A reliable bound, unlike the ``<dimension>`` the uploader writes: zipfile stops a member at
    its declared size and a member that would inflate beyond it fails its CRC check.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(
                info.file_size
                for info in archive.infolist()
                if info.filename.startswith("xl/worksheets/") or info.filename == "xl/sharedStrings.xml"
            )
    except _DAMAGED as error:
        raise damaged() from error


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
        except _DAMAGED as error:
            self.close()
            raise damaged() from error

    def close(self):
        if self._zip is not None:
            self._zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _parse(self, name):
        # defusedxml refuses a DTD, entity declarations and external references outright: no
        # billion laughs, no XXE. Excel, WPS and openpyxl never write them.
        return SafeElementTree.fromstring(self._zip.read(name), forbid_dtd=True)

    def _read_sheets(self):
        root = self._parse("xl/workbook.xml")
        try:
            rels_root = self._parse("xl/_rels/workbook.xml.rels")
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
            try:
                self._shared = self._read_shared_strings()
            except _DAMAGED as error:
                raise damaged() from error
        return self._shared

    def _read_shared_strings(self):
        shared = []
        try:
            info = self._zip.getinfo("xl/sharedStrings.xml")
        except KeyError:
            return shared
        if info.file_size > reading_limits()["max_shared_bytes"]:
            raise WorkbookError(_("The workbook is too large once unpacked; split it into several files."))
        # Rich text keeps its runs in <r><t>; phonetic guides (<rPh>) are not part of the text.
        with self._zip.open(info) as source:
            skip = 0
            parts = []
            events = SafeElementTree.iterparse(source, events=("start", "end"), forbid_dtd=True)
            for event, element in events:
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
                    shared.append(_text("".join(parts)))
                    parts = []
                    element.clear()
        return shared

    def dimension_rows(self, sheet):
        """The row count the sheet declares (``<dimension ref="A1:J300001"/>``), read from its first bytes.

        Only an estimate for the progress bar and an early refusal: the uploader writes it.
        """
        try:
            with self._zip.open(sheet.path) as source:
                head = source.read(65536)
        except _DAMAGED as error:
            raise damaged() from error
        match = _DIMENSION_RE.search(head)
        if match is None:
            return None
        return int(match.group(1)) if match.group(1) else 1

    def rows(self, sheet, *, max_rows=None):
        """Yield ``(row_number, values)`` for every non-empty row of ``sheet`` (1-based numbers).

        Linear in the sheet's size whatever is in it: the sheet is read in chunks and only the
        unfinished row is carried to the next one, so no byte is copied more than twice. Reading
        stops at ``</sheetData>``; what follows is scanned for merged cells in bounded pieces.
        Raises ``WorkbookError`` after ``max_rows`` rows, for a row (or anything between two rows)
        larger than ``IMPORT_MAX_ROW_BYTES``, for a tail larger than ``IMPORT_MAX_TAIL_BYTES``, and
        "damaged" for a bad CRC, a truncated stream or a DTD.
        """
        shared = self._shared_strings()
        limits = reading_limits()
        try:
            source = self._zip.open(sheet.path)
        except _DAMAGED as error:
            raise damaged() from error
        with source:
            try:
                yield from self._stream(sheet, source, shared, limits, max_rows)
            except _DAMAGED as error:
                raise damaged() from error

    def _stream(self, sheet, source, shared, limits, max_rows):
        count = 0
        last_row = 0
        pending = b""
        first = True
        while chunk := source.read(_CHUNK):
            if first and _DOCTYPE.search(chunk, 0, 4096):
                raise damaged()
            first = False
            data = pending + chunk
            data_end = _SHEETDATA_END.search(data)
            cut = 0
            for match in _ROW_END.finditer(data, 0, data_end.start() if data_end else len(data)):
                if (
                    match.end() - cut > limits["max_row_bytes"]
                    and len(data[cut : match.end()].lstrip()) > limits["max_row_bytes"]
                ):
                    raise _row_too_large(sheet, limits["max_row_bytes"])
                cut = match.end()
            if data_end:
                cut = data_end.start()
            block, pending = data[:cut], data[cut:]
            if len(pending) > limits["max_row_bytes"]:
                # Whitespace between rows is no row: drop it, but never carry more than a row's worth.
                pending = pending.lstrip()
                if len(pending) > limits["max_row_bytes"]:
                    raise _row_too_large(sheet, limits["max_row_bytes"])
            if block:
                for number, values in self._parse_rows(block, shared, last_row):
                    last_row = number
                    if values:
                        count += 1
                        if max_rows is not None and count > max_rows:
                            raise _too_many_rows(sheet, max_rows)
                        yield number, values
            if data_end:
                sheet.merged = self._scan_tail(sheet, source, pending, limits["max_tail_bytes"])
                return
        sheet.merged = []

    def _scan_tail(self, sheet, source, data, limit):
        """Merged ranges from what follows the rows, read in pieces; refuse a tail longer than ``limit``."""
        merged = []
        size = len(data)
        while True:
            if size > limit:
                raise _tail_too_large(sheet, size)
            # An unfinished tag waits for the next piece; a piece never holds more than one chunk.
            cut = data.rfind(b"<")
            if cut == -1 or len(data) - cut > 4096:
                cut = len(data)
            merged += [ref.decode() for ref in _MERGE_RE.findall(data, 0, cut) if b":" in ref]
            chunk = source.read(_CHUNK)
            if not chunk:
                return merged
            size += len(chunk)
            data = data[cut:] + chunk

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
            sheet.append([_safe_value(sheet, value) if type(value) is str else value for value in row])
    output = tempfile.TemporaryFile()
    workbook.save(output)
    output.seek(0)
    return output


def _write_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    return WriteOnlyCell(sheet, value=value)


def text_cell(sheet, value):
    """A cell that holds ``value`` as text, whatever it starts with.

    openpyxl turns any string starting with ``=`` into a formula, so a name typed as
    ``=HYPERLINK("http://…","详情")`` would become a live link in every export. Typed as a string
    (written as an inline string) Excel, WPS and LibreOffice show it as it is, and reading the
    export back gives the same text: no leading quote is added.
    """
    cell = _write_cell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"  # openpyxl.cell.cell.TYPE_STRING
    return cell


def _safe_value(sheet, value):
    # Only the rare string that openpyxl would take for a formula, or refuse, becomes a cell object:
    # this runs for every text cell of 300,000-row exports.
    if value.startswith("=") or ILLEGAL_CHARACTERS_RE.search(value):
        return text_cell(sheet, value)
    return value
