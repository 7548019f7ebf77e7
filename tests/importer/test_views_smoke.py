from tests.importer.conftest import kind_sheet, upload_file, xlsx_bytes
from villages.importer.models import ImportJob
from villages.importer.schema import Kind


def test_upload_preview_confirm(world, login):
    client = login(world.alice)
    assert client.get("/registry/import/").status_code == 200
    content = xlsx_bytes(kind_sheet(Kind.VILLAGES, ["01", "009", "新村", "否", "否", 10, 30]))
    response = client.post("/registry/import/upload/", {"file": upload_file(content)})
    assert response.status_code == 302, response.content.decode()[-3000:]
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.READY
    page = client.get(f"/registry/import/{job.pk}/")
    assert page.status_code == 200
    response = client.post(f"/registry/import/{job.pk}/confirm/")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPLIED
    for kind in Kind:
        r = client.get(f"/registry/import/template/{kind.value}.xlsx")
        assert r.status_code == 200
        b"".join(r.streaming_content)
        r = client.get(f"/registry/import/export/{kind.value}.xlsx")
        assert r.status_code == 200
