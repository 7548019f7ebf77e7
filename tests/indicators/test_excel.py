"""The Excel round trip: a township's workbook (derived columns locked), import with preview."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from indicators import services
from indicators.models import IndicatorSheet, SheetEvent
from tests.indicators.conftest import FULL, YEAR, Kind, fill, position
from villages.importer.models import ImportJob

pytestmark = pytest.mark.django_db


def download(client, world, year=YEAR):
    response = client.get(reverse("indicators:excel_template", args=[world.a1.pk, year]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def upload(client, book, name="sheets.xlsx"):
    buffer = io.BytesIO()
    book.save(buffer)
    file = SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")
    response = client.post(reverse("indicators:excel_import"), {"file": file})
    assert response.status_code == 302, response.content[:500]
    return ImportJob.objects.order_by("-id").first()


def columns(sheet):
    return {cell.value: cell.column_letter for cell in sheet[1]}


def test_the_township_workbook_lists_its_villages_with_the_registry_columns_locked(world, open_year, login):
    position(world.a1v1, Kind.RESERVE_CADRE)
    book = download(login(world.tom), world)
    sheet = book.worksheets[0]
    cols = columns(sheet)
    assert sheet.protection.sheet
    names = [sheet[f"C{r}"].value for r in range(3, sheet.max_row + 1)]
    assert names == [world.a1v1.name, world.a1v2.name]  # the township's villages only
    reserve = next(letter for header, letter in cols.items() if header.startswith("后备干部"))
    members = cols["党员（人）"]
    assert sheet[f"{reserve}3"].value == "1" and sheet[f"{reserve}3"].protection.locked
    assert not sheet[f"{members}3"].protection.locked
    assert sheet["A3"].protection.locked  # the codes cannot be typed over either
    other = reverse("indicators:excel_template", args=[world.a2.pk, YEAR])
    own = reverse("indicators:excel_template", args=[world.a1.pk, YEAR])
    assert login(world.tom).get(other).status_code == 404
    assert login(world.vera).get(own).status_code == 403


def test_filling_the_workbook_and_importing_it(world, open_year, login):
    client = login(world.tom)
    book = download(client, world)
    sheet = book.worksheets[0]
    cols = columns(sheet)
    headers = {
        "members": "党员（人）",
        "members_under_35": "35岁以下党员（人）",
        "activists": "入党积极分子（人）",
        "venue_condition": "活动场所状况",
    }
    typed = {
        3: {"members": 40, "members_under_35": 8, "activists": 4, "venue_condition": "良好"},
        4: {"members": 25},
    }
    for row, values in typed.items():
        for code, value in values.items():
            sheet[f"{cols[headers[code]]}{row}"] = value
    job = upload(client, book)
    assert job.plan == "indicator_sheets" and job.status == ImportJob.Status.READY, job.errors
    assert job.counts == {"sheets": {"create": 2, "update": 0, "unchanged": 0}}
    detail = client.get(reverse("importer:detail", args=[job.pk]))
    assert detail.status_code == 200 and "村级指标表" in detail.content.decode()
    assert client.post(reverse("importer:confirm", args=[job.pk])).status_code == 302
    sheet_a = IndicatorSheet.objects.get(village=world.a1v1, year=YEAR)
    assert (sheet_a.members, sheet_a.members_under_35, sheet_a.venue_condition) == (40, 8, "good")
    assert sheet_a.events.get().action == SheetEvent.Action.IMPORTED
    # The round trip: the workbook downloaded now and uploaded again changes nothing.
    again = upload(client, download(client, world))
    assert again.status == ImportJob.Status.READY
    assert again.counts == {"sheets": {"create": 0, "update": 0, "unchanged": 2}}


def test_every_bad_row_is_reported_and_nothing_is_written(world, open_year, login):
    services.sheet_confirm(sheet=fill(world.a1v2, world.tom), user=world.tom)
    client = login(world.tom)
    book = download(client, world)
    sheet = book.worksheets[0]
    cols = columns(sheet)
    sheet[f"{cols['党员（人）']}3"] = 10
    sheet[f"{cols['35岁以下党员（人）']}3"] = 12  # a part above its whole
    sheet[f"{cols['入党积极分子（人）']}3"] = -1
    sheet[f"{cols['党员（人）']}4"] = 99  # the confirmed sheet of A1v2
    sheet.append(["02", world.a2v1.code, world.a2v1.name, YEAR])  # another township's village
    sheet.append(["01", "999", "", YEAR])
    sheet.append(["01", world.a1v1.code, "", 1999])
    job = upload(client, book)
    assert job.status == ImportJob.Status.INVALID
    rows = sorted({e["row"] for e in job.errors})
    assert rows == [3, 4, 5, 6, 7]
    assert not IndicatorSheet.objects.filter(village=world.a1v1).exists()
    assert IndicatorSheet.objects.get(village=world.a1v2).members == FULL["members"]
    problems = client.get(reverse("importer:errors", args=[job.pk]))
    assert problems.status_code == 200


def test_only_a_township_imports_sheets(world, open_year, login):
    file = SimpleUploadedFile("x.xlsx", b"PK\x03\x04", content_type="application/octet-stream")
    assert login(world.alice).post(reverse("indicators:excel_import"), {"file": file}).status_code == 403
    assert login(world.vera).post(reverse("indicators:excel_import"), {"file": file}).status_code == 403
    response = login(world.tom).post(
        reverse("indicators:excel_import"), {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")}
    )
    assert response.status_code == 400 and response.context["form"].errors


def test_the_county_exports_every_village_one_sheet_per_township(world, open_year, login):
    fill(world.a1v1, world.tom)
    response = login(world.alice).get(reverse("indicators:excel_export", args=[YEAR]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [s.title for s in book.worksheets] == [f"01 {world.a1.name}", f"02 {world.a2.name}"]
    assert login(world.carl).get(reverse("indicators:excel_export", args=[YEAR])).status_code == 404
    url = reverse("indicators:excel_export", args=[YEAR])
    response = login(world.carl).get(f"{url}?county={world.county_b.pk}")
    assert response.status_code == 200
