"""Names and file names cannot be turned against users: no formulas in exports, no hidden characters."""

import io
import re
import zipfile

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaign.files import clean_filename
from campaign.validators import NameValidator, validate_name
from tests import factories as f
from villages.importer.models import ImportJob
from villages.models import Village

FORMULA = '=HYPERLINK("http://evil.example","详情")'


@pytest.mark.parametrize(
    "name",
    [
        FORMULA,
        "=1+1",
        "+86",
        "-村",
        "@SUM(A1)",
        "村\t1",
        "村\n1",
        "村\r1",
        "\u202e村12",
        "a\x00b",
        "村\x85",
        "\u2067村",
    ],
)
def test_the_shared_validator_refuses_formulas_controls_and_direction_marks(name):
    with pytest.raises(ValidationError):
        validate_name(name)


@pytest.mark.parametrize(
    "name", ["东村", "东村（一组）", "二道河子村", "村-1", "A=B 村", "张 三", "O'Brien", "2号村"]
)
def test_ordinary_names_pass(name):
    validate_name(name)


NAME_FIELDS = [
    ("villages", "City", "name"),
    ("villages", "County", "name"),
    ("villages", "Township", "name"),
    ("villages", "Village", "name"),
    ("villages", "Department", "name"),
    ("villages", "PartyOrganization", "name"),
    ("cadres", "Cadre", "name"),
    ("cadres", "OrganizerArea", "name"),
    ("campaign", "Campaign", "name"),
    ("campaign", "User", "first_name"),
    ("campaign", "User", "last_name"),
    ("appraisal", "Star", "name"),
    ("appraisal", "PublicNotice", "title"),
    ("steering", "SupervisionNotice", "title"),
    ("reports", "Briefing", "title"),
]


@pytest.mark.parametrize(("app", "model", "field"), NAME_FIELDS)
def test_every_name_field_carries_the_shared_validator(app, model, field):
    validators = apps.get_model(app, model)._meta.get_field(field).validators
    assert any(isinstance(v, NameValidator) for v in validators)


def test_the_village_form_explains_a_refused_name_and_keeps_it(world, login):
    client = login(world.alice)
    for bad, message in [
        ("\u202e村12", "文字方向标记"),
        (FORMULA, "不能以 =、+、- 或 @ 开头"),
        ("东\t村", "制表符"),
    ]:
        response = client.post(
            reverse("villages:village_create"), {"township": world.a1.pk, "code": "099", "name": bad}
        )
        assert response.status_code in (200, 400)
        assert message in response.content.decode()
    assert not Village.objects.filter(code="099").exists()


def test_the_importer_refuses_such_names_row_by_row(world, write_xlsx):
    from tests.importer.conftest import kind_sheet
    from villages.importer import services
    from villages.importer.schema import Kind

    path = write_xlsx(
        kind_sheet(
            Kind.VILLAGES,
            ["01", "091", FORMULA, "否", "否", 0, 0],
            ["01", "092", "\u202e村12", "否", "否", 0, 0],
            ["01", "093", "好村", "否", "否", 0, 0],
        )
    )
    plan = services.registry_import(path=path, county=world.county_a, dry_run=True)
    messages = {e["row"]: e["message"] for e in plan.errors}
    assert "不能以 =、+、- 或 @ 开头" in messages[2] and "文字方向标记" in messages[3]
    assert 4 not in messages


def sheet_xml(xlsx_bytes):
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def body(response):
    return b"".join(response.streaming_content)


def test_a_formula_saved_as_a_name_before_the_rule_is_exported_as_plain_text(world, login, campaign):
    # Saved before the validator existed (or by a path that skipped it).
    Village.objects.filter(pk=world.a1v1.pk).update(name=FORMULA)
    client = login(world.alice)
    for url in ("/registry/import/export/villages.xlsx", "/steering/appraisals/export.xlsx"):
        xml = sheet_xml(body(client.get(url)))
        assert "<f>" not in xml and "<f " not in xml, url
    xml = sheet_xml(body(client.get("/registry/import/export/villages.xlsx")))
    assert re.search(r'<c r="C\d+" t="inlineStr"><is><t>=HYPERLINK\(', xml)
    assert "'=HYPERLINK" not in xml  # no leading quote

    from openpyxl import load_workbook

    cell = next(
        c
        for row in load_workbook(io.BytesIO(body(client.get("/registry/import/export/villages.xlsx")))).active
        for c in row
        if c.value == FORMULA
    )
    assert cell.data_type == "s"


@pytest.fixture
def campaign(world):
    from tests.appraisal import factories as af

    campaign = af.campaign_with_rubrics(world.county_a)
    af.start(campaign, world.a1v1)
    return campaign


@pytest.fixture
def write_xlsx(tmp_path):
    from tests.importer.conftest import xlsx_bytes

    def write(sheets):
        from openpyxl import load_workbook

        # Typed as text, as Excel keeps what a user types after a leading quote.
        book = load_workbook(io.BytesIO(xlsx_bytes(sheets)))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        cell.data_type = "s"
        path = tmp_path / "book.xlsx"
        book.save(path)
        return str(path)

    return write


def test_export_then_import_of_the_same_file_changes_nothing(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    Village.objects.filter(pk=world.a1v1.pk).update(name="东村=一组")
    Village.objects.filter(pk=world.a1v2.pk).update(name="西村 @二组")
    before = list(Village.objects.order_by("pk").values())
    client = login(world.alice)
    exported = body(client.get("/registry/import/export/villages.xlsx"))
    response = client.post(
        "/registry/import/upload/", {"file": SimpleUploadedFile("村.xlsx", exported)}, follow=True
    )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.READY, job.errors
    assert job.total("create") == 0 and job.total("update") == 0 and job.total("unchanged") == 3
    assert response.status_code == 200
    assert list(Village.objects.order_by("pk").values()) == before


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("学习\u202efdp.exe", "学习fdp.exe"),
        ("报告\u200b.pdf", "报告.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\村\\证据.pdf", "证据.pdf"),
        ("a\x00b\n.pdf", "ab.pdf"),
        ("\u2066\u2069", "file"),
        ("很长" * 200 + ".pdf", ("很长" * 200)[:196] + ".pdf"),
    ],
)
def test_file_names_drop_format_and_control_characters(given, expected):
    assert clean_filename(given) == expected


def test_an_uploaded_evidence_file_keeps_a_clean_name_and_downloads_with_it(world, login, settings, tmp_path):
    from appraisal.models import Evidence
    from tests.appraisal import factories as af

    settings.MEDIA_ROOT = tmp_path
    campaign = af.campaign_with_rubrics(world.county_a)
    appraisal = af.start(campaign, world.a1v1)
    first = af.indicators(appraisal)[0]
    client = login(world.vera)
    client.post(
        reverse("appraisal:self_report", args=[appraisal.pk]),
        {"action": "save", f"file_{first.id}": SimpleUploadedFile("学习\u202e记录.pdf", b"%PDF-1.4 x")},
    )
    item = Evidence.objects.get()
    assert item.original_name == "学习记录.pdf" and "\u202e" not in item.file.name
    response = client.get(reverse("appraisal:evidence_file", args=[item.pk]))
    assert "%E2%80%AE" not in response["Content-Disposition"]


def test_a_briefing_title_saved_with_an_override_downloads_under_a_clean_name(
    world, login, settings, tmp_path
):
    from campaign.reports import services
    from campaign.reports.models import Briefing

    settings.MEDIA_ROOT = tmp_path
    campaign = f.CampaignFactory(county=world.county_a, year=2026)
    briefing = services.bulletin_make(campaign=campaign, render=False)
    Briefing.objects.filter(pk=briefing.pk).update(title="简报\u202e21")
    services.briefing_render(briefing_id=briefing.pk)
    response = login(world.alice).get(reverse("reports:briefing_download", args=[briefing.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "%E2%80%AE" not in disposition and "\u202e" not in disposition
