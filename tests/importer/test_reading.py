"""Reading cells and files: dates, numbers Excel turned into floats, and files that are not sane .xlsx."""

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook as OpenpyxlWorkbook

from villages.importer.xlsx import Workbook, WorkbookError, cell_text, inspect_file, parse_bool, parse_date

LIMITS = {"max_bytes": 1024 * 1024, "max_uncompressed_bytes": 10 * 1024 * 1024}


@pytest.mark.parametrize(
    "value",
    [
        "2024-03-01",
        "2024/3/1",
        "2024.3.1",
        "2024年3月1日",
        "20240301",
        45352,  # Excel serial
        45352.0,
        "45352",
        datetime.datetime(2024, 3, 1, 8, 30),
        datetime.date(2024, 3, 1),
        " 2024-03-01 00:00:00",
    ],
)
def test_dates_in_common_forms_are_read(value):
    assert parse_date(value) == datetime.date(2024, 3, 1)


@pytest.mark.parametrize("value", ["2024-13-01", "三月一日", "2024/2/30", "abc", True])
def test_impossible_dates_are_refused(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_id_like_numbers_lose_the_float_tail():
    assert cell_text(101.0) == "101"
    assert cell_text(13800138000.0) == "13800138000"
    assert cell_text("101.0") == "101"
    assert cell_text(2.5) == "2.5"
    assert cell_text(" 东村 ") == "东村"


def test_yes_no():
    assert parse_bool("是") is True and parse_bool("否") is False
    assert parse_bool("Yes") is True and parse_bool(0) is False
    with pytest.raises(ValueError):
        parse_bool("也许")


def _check(tmp_path, content, name="f.xlsx", **limits):
    path = tmp_path / name
    path.write_bytes(content)
    inspect_file(str(path), **{**LIMITS, **limits})


def _message(tmp_path, content, **limits):
    with pytest.raises(WorkbookError) as error:
        _check(tmp_path, content, **limits)
    return str(error.value)


def test_empty_file_is_refused(tmp_path):
    assert "0 字节" in _message(tmp_path, b"")


def test_xls_is_refused_with_advice(tmp_path):
    assert ".xls" in _message(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)


def test_csv_renamed_to_xlsx_is_refused(tmp_path):
    assert "CSV" in _message(tmp_path, "乡镇代码,乡镇名称\n01,城关镇\n".encode())


def test_zip_that_is_not_a_workbook_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "压缩文件" in _message(tmp_path, buffer.getvalue())


def test_too_large_file_is_refused(tmp_path):
    assert "过大" in _message(tmp_path, b"PK\x03\x04" + b"\0" * 2048, max_bytes=1024)


def test_zip_bomb_is_refused_before_parsing(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    assert "解压后过大" in _message(tmp_path, buffer.getvalue())


def test_rows_values_types_and_merged_ranges_are_read(tmp_path):
    book = OpenpyxlWorkbook()
    sheet = book.active
    sheet.title = "村"
    sheet.append(["a", None, "c & <d>"])
    sheet.append([101.0, True, datetime.date(2024, 3, 1)])
    sheet.append(["x", "y", "z"])
    sheet.merge_cells("A3:A4")
    path = tmp_path / "m.xlsx"
    book.save(path)
    with Workbook(str(path)) as workbook:
        (only,) = workbook.sheets
        rows = list(workbook.rows(only))
    assert rows[0] == (1, ["a", None, "c & <d>"])
    assert rows[1][1][0] == 101 and rows[1][1][1] is True
    assert parse_date(rows[1][1][2]) == datetime.date(2024, 3, 1)
    assert only.merged == ["A3:A4"]


def test_row_cap_stops_reading(tmp_path):
    book = OpenpyxlWorkbook()
    for i in range(30):
        book.active.append([i])
    path = tmp_path / "long.xlsx"
    book.save(path)
    with Workbook(str(path)) as workbook, pytest.raises(WorkbookError):
        list(workbook.rows(workbook.sheets[0], max_rows=10))


def test_unusual_but_valid_sheet_xml_is_read(tmp_path):
    """Prefixed tags, shared rich text with phonetics, other attribute orders, formulas, gaps."""
    workbook = (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="村" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    )
    shared = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>乡镇代码</t></si>"
        "<si><r><t>东</t></r><r><t>村</t></r><rPh><t>dong</t></rPh></si>"
        '<si><t xml:space="preserve"> A&amp;B </t></si></sst>'
    )
    sheet = (
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
        '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c t="s" r="C1"><x:v>1</x:v></x:c></x:row>'
        '<x:row r="3"><x:c r="A3" s="2"/><x:c r="B3"><x:f>1+1</x:f><x:v>2</x:v></x:c>'
        '<x:c r="D3" t="s"><x:v>2</x:v></x:c><x:c r="E3" t="str"><x:v>公式文本</x:v></x:c>'
        '<x:c r="F3" t="inlineStr"><x:is><x:t>内联</x:t></x:is></x:c></x:row>'
        '</x:sheetData><x:mergeCells count="1"><x:mergeCell ref="A3:B3"/></x:mergeCells></x:worksheet>'
    )
    path = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        archive.writestr("xl/sharedStrings.xml", shared)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    with Workbook(str(path)) as book:
        (only,) = book.sheets
        rows = list(book.rows(only))
    assert only.title == "村"
    assert rows == [(1, ["乡镇代码", None, "东村"]), (3, [None, 2, None, "A&B", "公式文本", "内联"])]
    assert only.merged == ["A3:B3"]
