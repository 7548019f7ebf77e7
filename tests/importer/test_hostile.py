"""Hostile workbooks: each is refused with a message ("文件已损坏" for a damaged one), never a 500,
and read in time and memory linear in its size (the figures are in bench/bench_xlsx_hostile.py)."""

import io
import zipfile

import pytest
from django.test import Client

from tests.importer.conftest import headers, upload_file
from villages.importer import services
from villages.importer.models import ImportJob
from villages.importer.schema import Kind
from villages.importer.xlsx import Workbook, WorkbookError

DAMAGED = "文件已损坏，无法作为 .xlsx 打开。"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORKBOOK = (
    f'<workbook xmlns="{MAIN}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="村" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def village_rows_xml(count=2, start=2):
    """The village sheet's rows as inline strings: a header row and ``count`` villages."""
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
        for i, h in enumerate(headers(Kind.VILLAGES))
    )
    rows = [f'<row r="1">{cells}</row>']
    for n in range(start, start + count):
        values = ["01", f"{n:03d}", f"村{n:03d}", "否", "否", "0", "0"]
        cells = "".join(
            f'<c r="{chr(65 + i)}{n}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values)
        )
        rows.append(f'<row r="{n}">{cells}</row>')
    return "".join(rows)


def sheet_xml(rows=None, *, before="", tail="", dimension="A1:G3"):
    rows = village_rows_xml() if rows is None else rows
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{before}<worksheet xmlns="{MAIN}">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData>{tail}</worksheet>'
    )


def workbook_bytes(sheet, *, shared=None, workbook=WORKBOOK, stored=()):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        parts = {
            "xl/workbook.xml": workbook,
            "xl/_rels/workbook.xml.rels": RELS,
            "xl/worksheets/sheet1.xml": sheet,
        }
        if shared is not None:
            parts["xl/sharedStrings.xml"] = shared
        for name, content in parts.items():
            kind = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=kind)
    return buffer.getvalue()


def with_bad_crc(data, member="xl/worksheets/sheet1.xml"):
    """Change one byte of a stored member's content: its CRC no longer matches."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    target = data.index(b"<sheetData>", start) + 1
    return data[:target] + b"S" + data[target + 1 :]


def read_all(tmp_path, data):
    path = tmp_path / "book.xlsx"
    path.write_bytes(data)
    with Workbook(str(path)) as book:
        return [(sheet, list(book.rows(sheet))) for sheet in book.sheets]


def refused(tmp_path, data):
    with pytest.raises(WorkbookError) as caught:
        read_all(tmp_path, data)
    return str(caught.value)


@pytest.fixture
def alice(world):
    client = Client()
    client.force_login(world.alice)
    return client


@pytest.fixture
def upload_message(alice, django_capture_on_commit_callbacks):
    """``upload_message(data)``: what the uploader reads, on the refused form or the job's page.

    A large file is checked by a worker: run inline here, after the commit, as a worker would.
    """

    def upload(data):
        with django_capture_on_commit_callbacks(execute=True):
            response = alice.post("/registry/import/upload/", {"file": upload_file(data)})
        if response.status_code == 302:
            response = alice.get(response["Location"])
        assert response.status_code in (200, 400)
        job = ImportJob.objects.order_by("-pk").first()
        assert job is None or job.status == ImportJob.Status.INVALID
        return response.content.decode()

    return upload


# --- damaged files --------------------------------------------------------------------------


def test_the_plain_village_sheet_is_read(tmp_path):
    ((sheet, rows),) = read_all(tmp_path, workbook_bytes(sheet_xml()))
    assert [number for number, _values in rows] == [1, 2, 3]
    assert rows[1][1][:3] == ["01", "002", "村002"]


def test_a_bad_crc_is_a_damaged_file(tmp_path, upload_message):
    data = with_bad_crc(workbook_bytes(sheet_xml(), stored={"xl/worksheets/sheet1.xml"}))
    assert refused(tmp_path, data) == DAMAGED
    assert DAMAGED in upload_message(data)
    assert not ImportJob.objects.exists()


def test_a_truncated_deflate_stream_is_a_damaged_file(tmp_path):
    data = workbook_bytes(sheet_xml(village_rows_xml(400)))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    # Garble the middle of the compressed stream.
    middle = start + info.compress_size // 2
    garbled = data[:middle] + bytes(b ^ 0x5A for b in data[middle : middle + 64]) + data[middle + 64 :]
    assert refused(tmp_path, garbled) == DAMAGED


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
    f'<sst xmlns="{MAIN}"><si><t>&lol9;</t></si></sst>'
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    f'<sst xmlns="{MAIN}"><si><t>&xxe;</t></si></sst>'
)


@pytest.mark.parametrize("shared", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_entities_in_the_shared_strings_are_a_damaged_file(tmp_path, upload_message, shared):
    sheet = sheet_xml(village_rows_xml() + '<row r="9"><c r="A9" t="s"><v>0</v></c></row>')
    data = workbook_bytes(sheet, shared=shared)
    assert refused(tmp_path, data) == DAMAGED
    assert DAMAGED in upload_message(data)


def test_an_entity_in_the_workbook_part_is_a_damaged_file(tmp_path, upload_message):
    workbook = WORKBOOK.replace('name="村"', 'name="&xxe;"')
    workbook = '<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + workbook
    data = workbook_bytes(sheet_xml(), workbook=workbook)
    assert refused(tmp_path, data) == DAMAGED
    assert DAMAGED in upload_message(data)


def test_a_dtd_in_the_sheet_is_a_damaged_file(tmp_path):
    data = workbook_bytes(sheet_xml(before='<!DOCTYPE worksheet [<!ENTITY x "y">]>'))
    assert refused(tmp_path, data) == DAMAGED


def test_a_damaged_file_handed_to_the_worker_says_so_and_is_not_a_crash(world, tmp_path):
    data = with_bad_crc(workbook_bytes(sheet_xml(village_rows_xml(50)), stored={"xl/worksheets/sheet1.xml"}))
    path = tmp_path / "media" / "imports" / "bad.xlsx"
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    job = ImportJob.objects.create(
        county=world.county_a, original_name="bad.xlsx", file="imports/bad.xlsx", created_by=world.alice
    )
    services.import_job_preview(job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID and job.message == DAMAGED


# --- oversized rows and tails ----------------------------------------------------------------


def test_a_whitespace_tail_after_the_rows_is_refused_once_it_passes_the_limit(
    tmp_path, settings, upload_message
):
    settings.IMPORT_MAX_TAIL_BYTES = 4 * 1024 * 1024
    data = workbook_bytes(sheet_xml(tail=" " * (6 * 1024 * 1024)))
    assert len(data) < 64 * 1024  # a small upload …
    message = refused(tmp_path, data)  # … refused without reading the 6 MB to the end
    assert "数据行之后还有" in message and "文件似乎已损坏" in message
    assert "数据行之后还有" in upload_message(data)


def test_merged_cells_after_a_long_but_allowed_tail_are_still_found(tmp_path, settings):
    settings.IMPORT_MAX_TAIL_BYTES = 8 * 1024 * 1024
    tail = " " * (3 * 1024 * 1024 + 17) + '<mergeCells count="1"><mergeCell ref="A2:B2"/></mergeCells>'
    ((sheet, rows),) = read_all(tmp_path, workbook_bytes(sheet_xml(tail=tail)))
    assert len(rows) == 3 and sheet.merged == ["A2:B2"]


def test_a_row_larger_than_the_limit_is_refused(tmp_path, settings):
    settings.IMPORT_MAX_ROW_BYTES = 256 * 1024
    huge = "长" * (300 * 1024)
    rows = village_rows_xml() + f'<row r="9"><c r="A9" t="inlineStr"><is><t>{huge}</t></is></c></row>'
    message = refused(tmp_path, workbook_bytes(sheet_xml(rows)))
    assert "有一行大于" in message


def test_whitespace_between_rows_is_not_a_row(tmp_path, settings):
    settings.IMPORT_MAX_ROW_BYTES = 256 * 1024
    rows = village_rows_xml(1) + " " * (3 * 1024 * 1024) + village_rows_xml(1, start=5).split("</row>", 1)[1]
    ((_sheet, read),) = read_all(tmp_path, workbook_bytes(sheet_xml(rows)))
    assert [n for n, _v in read] == [1, 2, 5]


def test_junk_before_the_rows_is_refused_like_a_huge_row(tmp_path, settings):
    settings.IMPORT_MAX_ROW_BYTES = 256 * 1024
    data = workbook_bytes(
        sheet_xml(before="", rows=village_rows_xml()).replace(
            "<sheetData>", "<sheetData>" + "x" * (400 * 1024)
        )
    )
    assert "有一行大于" in refused(tmp_path, data)


def test_an_empty_self_closing_sheet_is_read_to_its_end(tmp_path):
    data = workbook_bytes(
        f'<worksheet xmlns="{MAIN}"><sheetData/><mergeCells><mergeCell ref="A1:C1"/></mergeCells></worksheet>'
    )
    ((sheet, rows),) = read_all(tmp_path, data)
    assert rows == [] and sheet.merged == ["A1:C1"]


def test_a_far_away_cell_costs_nothing_more_than_the_cells_present(tmp_path):
    """A1 and XFD1048576 (the file that takes calamine down): two rows read, no grid allocated."""
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>一</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>末</t></is></c></row>'
    )
    data = workbook_bytes(sheet_xml(rows, dimension="A1:XFD1048576"))
    assert len(data) < 2048
    ((_sheet, read),) = read_all(tmp_path, data)
    assert [n for n, _v in read] == [1, 1048576]
    assert read[1][1][-1] == "末" and len(read[1][1]) == 16384


# --- inline or background: by the unpacked size, not by what <dimension> claims ---------------


def test_a_large_sheet_that_claims_one_row_still_goes_to_a_worker(
    alice, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_ASYNC_BYTES = 64 * 1024
    data = workbook_bytes(sheet_xml(village_rows_xml(400), dimension="A1:G1"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = alice.post("/registry/import/upload/", {"file": upload_file(data)})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.QUEUED and len(callbacks) == 1  # sent to a worker


def test_a_small_sheet_that_claims_many_rows_is_checked_at_once(
    alice, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_ASYNC_BYTES = 64 * 1024
    data = workbook_bytes(sheet_xml(village_rows_xml(2), dimension="A1:G300000"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = alice.post("/registry/import/upload/", {"file": upload_file(data)})
    assert response.status_code == 302 and callbacks == []
    assert ImportJob.objects.get().status == ImportJob.Status.READY
