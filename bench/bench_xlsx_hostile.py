"""Hostile workbooks: parse time and peak memory, which must grow linearly (or not at all) with size.

Run by bench/run.py (see its contract), or on its own (no database needed):

    DEBUG=1 python bench/bench_xlsx_hostile.py [--sizes 32,64,128,256]

The issue's file: a 262 KB upload whose sheet has 256 MB of whitespace after ``</sheetData>``; the
old reader (``buffer += chunk``) held a web worker 83 s and +490 MB on it. For each tail size the
workbook is read by ``villages.importer.xlsx.Workbook`` in a child process (so that its peak memory
is the read's alone), twice:

- ``refused``: the production limits: the tail is refused once it passes
  ``IMPORT_MAX_TAIL_BYTES`` (16 MB), so time and memory stay flat whatever the size;
- ``scanned``: the tail limit lifted, the whole tail scanned for merged cells: time grows linearly
  (the ``per_mb`` figure stays flat) and memory stays flat.

Then the refusal time of the other hostile files (bad CRC, billion laughs, XXE, a 2 KB file with
cells A1 and XFD1048576). Figures: ``{size}mb.{mode}.seconds``, ``.peak_mb``, ``.per_mb_ms``.
"""

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DEBUG", "1")

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WORKBOOK = (
    f'<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="村" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
ROWS = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>乡镇代码</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>村代码</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>01</t></is></c>'
    '<c r="B2" t="inlineStr"><is><t>001</t></is></c></row>'
)
MB = 1024 * 1024


def emit(figure, value, unit, **extra):
    line = {"bench": "xlsx_hostile", "figure": figure, "value": value, "unit": unit, **extra}
    print(json.dumps(line, ensure_ascii=False), flush=True)


def whitespace_tail_workbook(path, tail_mb):
    """The issue's file: a normal sheet, then ``tail_mb`` MB of spaces after </sheetData>."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<worksheet xmlns="{MAIN}"><sheetData>{ROWS}</sheetData>'.encode())
            block = b" " * MB
            for _ in range(tail_mb):
                sheet.write(block)
            sheet.write(b"</worksheet>")
    return path.stat().st_size


def small_workbook(sheet, *, shared=None, stored=False):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if shared:
            archive.writestr("xl/sharedStrings.xml", shared)
    return buffer.getvalue()


def others(directory):
    plain = f'<worksheet xmlns="{MAIN}"><sheetData>{ROWS}</sheetData></worksheet>'
    bad_crc = bytearray(small_workbook(plain, stored=True))
    at = bytes(bad_crc).index(b"<sheetData>") + 1
    bad_crc[at] = ord("S")
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
        + f']><sst xmlns="{MAIN}"><si><t>&i;</t></si></sst>'
    )
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f'<sst xmlns="{MAIN}"><si><t>&x;</t></si></sst>'
    )
    far = (
        f'<worksheet xmlns="{MAIN}"><dimension ref="A1:XFD1048576"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>一</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>末</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    files = {
        "bad_crc": bytes(bad_crc),
        "billion_laughs": small_workbook(plain, shared=laughs),
        "xxe": small_workbook(plain, shared=xxe),
        "a1_xfd1048576": small_workbook(far),
    }
    for name, data in files.items():
        path = Path(directory) / f"{name}.xlsx"
        path.write_bytes(data)
        yield name, path


def child(path, mode):
    """Read every sheet of ``path``; print seconds, peak memory and the outcome as JSON."""
    import django

    django.setup()
    from django.conf import settings
    from django.utils import translation

    from villages.importer.xlsx import Workbook, WorkbookError

    if mode == "scanned":
        settings.IMPORT_MAX_TAIL_BYTES = 4096 * MB
    translation.activate("zh-hans")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    rows = 0
    try:
        with Workbook(path) as book:
            for sheet in book.sheets:
                rows += sum(1 for _ in book.rows(sheet))
        outcome = f"read {rows} rows"
    except WorkbookError as error:
        outcome = f"refused: {error}"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "growth_mb": peak - before, "outcome": outcome}))


def measure(path, mode):
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(path), mode],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="32,64,128,256", help="tail sizes in MB")
    parser.add_argument("--child", nargs=2, metavar=("PATH", "MODE"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(*options.child)
        return
    with tempfile.TemporaryDirectory() as directory:
        for size in (int(s) for s in options.sizes.split(",")):
            path = Path(directory) / f"tail-{size}.xlsx"
            upload = whitespace_tail_workbook(path, size)
            emit(f"{size}mb.upload_kb", round(upload / 1024, 1), "KB")
            for mode in ("refused", "scanned"):
                result = measure(path, mode)
                emit(
                    f"{size}mb.{mode}.seconds",
                    round(result["seconds"], 3),
                    "s",
                    outcome=result["outcome"][:80],
                )
                emit(f"{size}mb.{mode}.peak_mb", round(result["peak_mb"], 1), "MB")
                emit(f"{size}mb.{mode}.growth_mb", round(result["growth_mb"], 1), "MB")
                if mode == "scanned":
                    emit(f"{size}mb.scanned.per_mb_ms", round(1000 * result["seconds"] / size, 2), "ms/MB")
            path.unlink()
        for name, path in others(directory):
            result = measure(path, "refused")
            emit(f"{name}.seconds", round(result["seconds"], 4), "s", outcome=result["outcome"][:80])
            emit(f"{name}.peak_mb", round(result["peak_mb"], 1), "MB")


if __name__ == "__main__":
    main()
