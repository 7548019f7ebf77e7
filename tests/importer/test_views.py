"""Upload, preview, confirm, templates and exports through the views: scope, roles, bad files, round trip."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from cadres.models import Cadre, Position
from tests import factories as f
from tests.importer.conftest import kind_sheet, upload_file, xlsx_bytes
from villages.importer.models import ImportJob
from villages.importer.schema import Kind
from villages.models import Village

UPLOAD = "/registry/import/upload/"


def upload(client, content, name="registry.xlsx"):
    return client.post(UPLOAD, {"file": upload_file(content, name)})


def village_rows(*codes, township="01"):
    return kind_sheet(Kind.VILLAGES, *[[township, code, f"村{code}", "否", "否", 0, 0] for code in codes])


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- who may do what -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["olga", "leo", "vera", "dora", "carl"])
def test_only_county_admins_and_townships_may_import(world, login, persona):
    client = login(getattr(world, persona))
    assert client.get("/registry/import/").status_code == 403
    assert upload(client, xlsx_bytes(village_rows("060"))).status_code == 403
    assert client.get("/registry/import/template/villages.xlsx").status_code == 403
    assert not ImportJob.objects.exists()


def test_anonymous_users_go_to_the_login_page(client, world):
    for url in (
        "/registry/import/",
        "/registry/import/template/villages.xlsx",
        "/registry/import/export/villages.xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_jobs_are_visible_only_in_their_scope(world, login):
    alice_job = _job(world, world.alice)
    tom_job = _job(world, world.tom, township=world.a1)
    bob_job = _job(world, world.bob, county=world.county_b)
    expected = {"alice": {alice_job.pk, tom_job.pk}, "tom": {tom_job.pk}, "bob": {bob_job.pk}}
    for persona, visible in expected.items():
        client = login(getattr(world, persona))
        for job in (alice_job, tom_job, bob_job):
            status = client.get(f"/registry/import/{job.pk}/").status_code
            assert status == (200 if job.pk in visible else 404), (persona, job.pk)
            progress = client.get(f"/registry/import/{job.pk}/progress/").status_code
            assert progress == (200 if job.pk in visible else 404)
        listed = client.get("/registry/import/").content.decode()
        for job in (alice_job, tom_job, bob_job):
            assert (f'data-testid="job-{job.pk}"' in listed) == (job.pk in visible)


def _job(world, user, township=None, county=None, status=ImportJob.Status.READY):
    return ImportJob.objects.create(
        county=county or world.county_a,
        township=township,
        created_by=user,
        original_name="x.xlsx",
        file="imports/x.xlsx",
        status=status,
    )


def test_confirm_is_post_only_and_in_scope(world, login):
    job = _job(world, world.alice)
    assert login(world.bob).post(f"/registry/import/{job.pk}/confirm/").status_code == 404
    client = login(world.alice)
    assert client.get(f"/registry/import/{job.pk}/confirm/").status_code == 405


def test_township_user_templates_are_limited_to_their_kinds(world, login):
    client = login(world.tom)
    assert client.get("/registry/import/template/villages.xlsx").status_code == 200
    assert client.get("/registry/import/template/townships.xlsx").status_code == 404
    assert client.get("/registry/import/template/nonsense.xlsx").status_code == 404


# --- preview and confirm -------------------------------------------------------------------


def test_upload_previews_then_confirm_applies(world, login):
    client = login(world.alice)
    response = upload(client, xlsx_bytes(village_rows("060", "061")))
    job = ImportJob.objects.get()
    assert response["Location"] == f"/registry/import/{job.pk}/"
    assert job.status == ImportJob.Status.READY and job.counts["villages"]["create"] == 2
    assert not Village.objects.filter(code="060").exists()  # preview writes nothing
    page = client.get(f"/registry/import/{job.pk}/").content.decode()
    assert 'data-testid="confirm-form"' in page
    client.post(f"/registry/import/{job.pk}/confirm/")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPLIED and job.applied_by == world.alice
    assert Village.objects.filter(township=world.a1, code__in=["060", "061"]).count() == 2
    # A second confirmation does nothing.
    client.post(f"/registry/import/{job.pk}/confirm/")
    assert Village.objects.filter(code="060").count() == 1


def test_preview_lists_bad_rows_and_cannot_be_confirmed(world, login):
    client = login(world.alice)
    upload(
        client,
        xlsx_bytes(
            kind_sheet(
                Kind.VILLAGES,
                ["01", "062", "好村", "否", "否", 0, 0],
                ["88", "063", "坏村", "否", "否", 0, 0],
            )
        ),
    )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    assert job.errors == [
        {"sheet": "村", "row": 3, "column": "乡镇代码", "message": "本县没有代码为“88”的乡镇。"}
    ]
    page = client.get(f"/registry/import/{job.pk}/").content.decode()
    assert "本县没有代码为“88”的乡镇。" in page and 'data-testid="confirm-form"' not in page
    client.post(f"/registry/import/{job.pk}/confirm/")
    assert not Village.objects.filter(code="062").exists()


def test_township_upload_with_other_township_row_is_refused(world, login):
    client = login(world.tom)
    upload(
        client,
        xlsx_bytes(
            kind_sheet(
                Kind.VILLAGES,
                ["01", "064", "本乡村", "否", "否", 0, 0],
                ["02", "065", "外乡村", "否", "否", 0, 0],
            )
        ),
    )
    job = ImportJob.objects.get()
    assert job.township == world.a1 and job.status == ImportJob.Status.INVALID
    assert job.errors[0]["row"] == 3 and "不在您的权限范围内" in job.errors[0]["message"]
    assert not Village.objects.filter(code__in=["064", "065"]).exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.xlsx", "0 字节"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000, "old.xlsx", ".xls"),
        ("乡镇代码,村代码\n01,001\n".encode("gbk"), "renamed.xlsx", "CSV"),
    ],
)
def test_bad_files_are_answered_beside_the_field(world, login, content, name, message):
    response = upload(login(world.alice), content, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_200_mb_upload_is_refused_without_reading_it(world, login):
    client = login(world.alice)
    # The declared length is enough: the body is never read or stored.
    response = client.generic(
        "POST",
        UPLOAD,
        data=b"",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "文件过大" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_upload_over_the_cap_without_declared_length_is_stopped(world, login, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 2048
    response = upload(login(world.alice), xlsx_bytes(village_rows(*[f"{i:03d}" for i in range(100, 400)])))
    assert response.status_code in (400, 413)
    assert "文件过大" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_too_many_rows_are_refused_before_parsing(world, login, settings):
    settings.IMPORT_MAX_ROWS = 20
    response = upload(login(world.alice), xlsx_bytes(village_rows(*[f"{i:03d}" for i in range(100, 150)])))
    assert response.status_code == 400 and "上限为 20 行" in response.content.decode()


# --- the background path -------------------------------------------------------------------


def test_large_file_is_previewed_and_applied_by_the_worker(
    world, login, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_ASYNC_BYTES = 1
    client = login(world.alice)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        upload(client, xlsx_bytes(village_rows("070", "071", "072", "073")))
    assert len(callbacks) == 1  # the preview task, run eagerly
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.READY and job.rows_done == 4
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(f"/registry/import/{job.pk}/confirm/")
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPLIED
    assert Village.objects.filter(code__in=["070", "071", "072", "073"]).count() == 4
    # Redelivery of the task is harmless.
    from villages.importer import tasks

    tasks.apply_import_job(job.pk)
    tasks.preview_import_job(job.pk)
    assert Village.objects.filter(code="070").count() == 1


def test_progress_fragment_polls_while_running_and_refreshes_when_done(world, login):
    client = login(world.alice)
    job = _job(world, world.alice, status=ImportJob.Status.PREVIEWING)
    job.rows_total, job.rows_done = 1000, 250
    job.save()
    fragment = client.get(f"/registry/import/{job.pk}/progress/", HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in fragment.content.decode() and "25%" in fragment.content.decode()
    job.status = ImportJob.Status.READY
    job.save()
    fragment = client.get(f"/registry/import/{job.pk}/progress/", HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true"


# --- templates and exports -----------------------------------------------------------------


def test_template_has_headers_help_example_and_drop_downs(world, login):
    response = login(world.alice).get("/registry/import/template/cadres.xlsx")
    book = load_workbook(io.BytesIO(body(response)))
    sheet = book.active
    assert [c.value for c in sheet[1]][:3] == ["姓名", "性别", "出生日期"]
    assert sheet["A2"].value == "必填" and sheet["A3"].value == "张伟"
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert lists["B3"] == '"男,女"'
    assert "大学本科" in lists["E3"]


def test_export_follows_scope_and_filters(world, login):
    f.CadreFactory(village=world.a1v1, name="甲一干部")
    f.CadreFactory(village=world.a2v1, name="甲二干部")
    f.CadreFactory(village=world.b1v1, name="乙县干部")

    def names(persona, query=""):
        response = login(getattr(world, persona)).get(f"/registry/import/export/cadres.xlsx{query}")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(body(response)), read_only=True).active
        return {row[0] for row in list(sheet.values)[1:]}

    assert names("alice") == {"甲一干部", "甲二干部"}
    assert names("tom") == {"甲一干部"}
    assert names("bob") == {"乙县干部"}
    assert names("alice", f"?township={world.a2.pk}") == {"甲二干部"}
    assert names("alice", "?q=甲一") == {"甲一干部"}


def test_city_viewer_export_hides_phones(world, login):
    f.CadreFactory(village=world.a1v1, name="有电话", phone="13900000000")
    response = login(world.carl).get("/registry/import/export/cadres.xlsx")
    rows = list(load_workbook(io.BytesIO(body(response)), read_only=True).active.values)
    assert rows[1][0] == "有电话" and not rows[1][6]


def test_round_trip_export_then_import_changes_nothing(world, login, tmp_path):
    """Every list exported by alice, put in one workbook and imported again: nothing changes."""
    committee = f.PartyOrganizationFactory(
        kind="township_committee", village=None, township=world.a1, county=world.county_a, name="甲一镇党委"
    )
    f.PartyOrganizationFactory(village=world.a1v1, parent=committee, name="东村党支部")
    cadre = f.CadreFactory(village=world.a1v1, name="甲一书记", phone="0471-1234567", education="bachelor")
    f.PositionFactory(cadre=cadre, start_date=datetime.date(2020, 1, 1))
    f.PositionFactory(
        cadre=cadre,
        kind=Position.Kind.RESERVE_CADRE,
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2019, 12, 31),
    )
    dept_cadre = f.CadreFactory(
        village=None, township=None, county=world.county_a, department=world.ad1, name="局干部"
    )
    f.PositionFactory(
        cadre=dept_cadre,
        kind=Position.Kind.FIRST_SECRETARY,
        village=world.a1v2,
        township=world.a1,
        sent_from="农业局",
    )
    client = login(world.alice)
    merged = load_workbook(io.BytesIO(body(client.get("/registry/import/template/villages.xlsx"))))
    merged.remove(merged.active)
    for kind in Kind:
        exported = load_workbook(io.BytesIO(body(client.get(f"/registry/import/export/{kind.value}.xlsx"))))
        source = exported.active
        target = merged.create_sheet(source.title)
        for row in source.iter_rows(values_only=True):
            target.append(row)
    buffer = io.BytesIO()
    merged.save(buffer)
    before = (
        list(Village.objects.order_by("pk").values()),
        list(Cadre.objects.order_by("pk").values()),
        list(Position.objects.order_by("pk").values()),
    )
    upload(client, buffer.getvalue())
    job = ImportJob.objects.get()
    assert job.errors == [] and job.status == ImportJob.Status.READY
    assert all(c["create"] == 0 and c["update"] == 0 for c in job.counts.values()), job.counts
    assert job.counts["positions"]["unchanged"] == 3 and job.counts["cadres"]["unchanged"] == 2
    client.post(f"/registry/import/{job.pk}/confirm/")
    after = (
        list(Village.objects.order_by("pk").values()),
        list(Cadre.objects.order_by("pk").values()),
        list(Position.objects.order_by("pk").values()),
    )
    assert after == before


def test_english_ui_gets_english_template_and_the_importer_reads_it(world, login, tmp_path):
    client = login(world.alice)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    content = body(client.get("/registry/import/template/villages.xlsx"))
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value == "Township code"
    sheet.append(["01", "080", "English", "yes", "no", 10, 20])
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    upload(client, buffer.getvalue())
    job = ImportJob.objects.get()
    assert job.errors == [] and job.counts["villages"]["create"] == 1


@pytest.mark.parametrize("size", [3, 30])
def test_import_home_query_count_does_not_grow(world, login, django_assert_max_num_queries, size):
    for _ in range(size):
        _job(world, world.alice)
    client = login(world.alice)
    with django_assert_max_num_queries(12):
        response = client.get("/registry/import/")
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="job-') == min(size, 25)


@pytest.mark.parametrize("errors", [3, 300])
def test_job_detail_query_count_does_not_grow(world, login, django_assert_max_num_queries, errors):
    job = _job(world, world.alice, status=ImportJob.Status.INVALID)
    job.errors = [{"sheet": "村", "row": i, "column": "村代码", "message": "坏"} for i in range(errors)]
    job.error_count = errors
    job.save()
    client = login(world.alice)
    with django_assert_max_num_queries(10):
        response = client.get(f"/registry/import/{job.pk}/")
    assert response.content.decode().count("<td>坏</td>") == min(errors, 100)


@pytest.mark.parametrize(
    ("persona", "can_import"), [("alice", True), ("tom", True), ("leo", False), ("carl", False)]
)
def test_registry_lists_offer_export_and_import_by_role(world, login, persona, can_import):
    page = login(getattr(world, persona)).get("/registry/villages/?q=村").content.decode()
    assert 'data-testid="export-villages"' in page
    assert "/registry/import/export/villages.xlsx?q=" in page
    assert ('data-testid="import-villages"' in page) == can_import


def test_problems_download_lists_every_reported_row_in_scope(world, login):
    job = _job(world, world.alice, status=ImportJob.Status.INVALID)
    job.errors = [{"sheet": "村", "row": 7, "column": "村代码", "message": "重复"}]
    job.error_count = 1
    job.save()
    assert login(world.bob).get(f"/registry/import/{job.pk}/problems.xlsx").status_code == 404
    response = login(world.alice).get(f"/registry/import/{job.pk}/problems.xlsx")
    rows = list(load_workbook(io.BytesIO(body(response)), read_only=True).active.values)
    assert rows == [("工作表", "行", "列", "问题"), ("村", 7, "村代码", "重复")]
