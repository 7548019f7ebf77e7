"""Helpers for the importer tests: build workbooks in memory, run a plan, upload through the views."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from villages.importer.schema import COLUMNS, Kind, sheet_title

HEADERS = {kind: [str(c.header) for c in COLUMNS[kind]] for kind in Kind}


def headers(kind):
    from django.utils import translation

    with translation.override("zh-hans"):
        return [str(c.header) for c in COLUMNS[kind]]


def xlsx_bytes(sheets):
    """``sheets``: {title: [row, ...]} (first row = headers) → .xlsx bytes."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def kind_sheet(kind, *rows):
    from django.utils import translation

    with translation.override("zh-hans"):
        return {sheet_title(kind): [headers(kind), *rows]}


@pytest.fixture
def write_xlsx(tmp_path):
    """``write_xlsx({title: rows})`` → path of a workbook on disk."""
    counter = iter(range(1000))

    def _write(sheets, name=None):
        path = tmp_path / (name or f"book{next(counter)}.xlsx")
        path.write_bytes(xlsx_bytes(sheets) if isinstance(sheets, dict) else sheets)
        return str(path)

    return _write


def upload_file(content, name="registry.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _chinese():
    """Messages are asserted in Chinese, whatever language an earlier request left active."""
    from django.utils import translation

    with translation.override("zh-hans"):
        yield
