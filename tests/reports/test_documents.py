"""Certificates, the naming list and the county self-check as PDFs, read back with poppler."""

import re

import pytest

from appraisal.models import Title
from campaign.reports import pdf, services
from campaign.reports.models import Document


def _made(document):
    document.refresh_from_db()
    assert document.status == Document.Status.DONE, document.failure_reason
    return pdf.media_path(document.pdf)


@pytest.mark.django_db
def test_certificate_names_the_subject_and_the_honour(
    county, world, poppler, django_capture_on_commit_callbacks
):
    campaign, _west = county
    title = Title.objects.get(village=world.a1v1, campaign=campaign)
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request(campaign=campaign, kind=Document.Kind.CERTIFICATE, title=title)
    path = _made(document)
    text = poppler.text(path).replace(" ", "").replace("\n", "")
    assert "荣誉证书" in text
    assert "甲一镇东村党组织" in text
    assert "“五星级”村党组织" in text
    assert "中共甲县委员会" in text and "2026年6月10日" in text
    assert poppler.pages(path) == 1


@pytest.mark.django_db
def test_naming_list_lists_this_campaigns_titles_only(
    county, world, poppler, django_capture_on_commit_callbacks
):
    campaign, _west = county
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request(campaign=campaign, kind=Document.Kind.NAMING_LIST)
    text = poppler.text(_made(document)).replace(" ", "").replace("\n", "")
    assert "先进集体名单" in text and "共命名先进集体1个" in text
    assert "甲一镇东村" in text
    assert "西村" not in text  # named in 2023, not in this campaign


@pytest.mark.django_db
def test_county_self_check_report_draws_from_the_results(county, poppler, django_capture_on_commit_callbacks):
    campaign, _west = county
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request(campaign=campaign, kind=Document.Kind.COUNTY_SELF_CHECK)
    text = poppler.text(_made(document)).replace(" ", "").replace("\n", "")
    assert "甲县" in text and "先进县" in text and "自检报告" in text
    assert "水利局" in text  # the veto
    assert re.search(r"命名村党组织1个", text)


@pytest.mark.django_db
def test_requesting_twice_keeps_one_document(county, world):
    campaign, _west = county
    first = services.document_request(campaign=campaign, kind=Document.Kind.NAMING_LIST, user=world.alice)
    second = services.document_request(campaign=campaign, kind=Document.Kind.NAMING_LIST, user=world.alice)
    assert first.pk == second.pk and Document.objects.count() == 1


@pytest.mark.django_db
def test_document_pages_are_scoped(county, world, login, django_capture_on_commit_callbacks):
    campaign, _west = county
    title = Title.objects.get(village=world.a1v1, campaign=campaign)
    client = login(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/reports/documents/make/", {"campaign": campaign.pk, "kind": "certificate", "title": title.pk}
        )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.status == Document.Status.DONE
    page = client.get(f"/reports/documents/?campaign={campaign.pk}").content.decode()
    assert f'data-title="{title.pk}"' in page
    assert client.get(f"/reports/documents/{document.pk}/pdf/").status_code == 200

    assert login(world.bob).get(f"/reports/documents/{document.pk}/pdf/").status_code == 404
    assert (
        login(world.bob)
        .post("/reports/documents/make/", {"campaign": campaign.pk, "kind": "naming_list"})
        .status_code
        == 404
    )
    # The county leader prints what the leader approved; a reviewer does not.
    assert (
        login(world.olga)
        .post("/reports/documents/make/", {"campaign": campaign.pk, "kind": "naming_list"})
        .status_code
        == 403
    )
    assert login(world.tom).get("/reports/documents/").status_code == 403


@pytest.mark.django_db
def test_document_page_query_count_does_not_grow(county, world, login, django_assert_max_num_queries):
    import datetime

    from tests import factories as f
    from tests.reports.conftest import _title

    campaign, _west = county
    client = login(world.alice)
    for size in (2, 14):
        while Title.objects.filter(campaign=campaign).count() < size:
            n = Title.objects.count()
            village = f.VillageFactory(township=world.a2, code=f"8{n:02d}", name=f"新村{n}")
            _title(
                campaign, village=village, named=datetime.date(2026, 6, 10), until=datetime.date(2029, 6, 10)
            )
        with django_assert_max_num_queries(16):
            page = client.get(f"/reports/documents/?campaign={campaign.pk}")
        assert page.status_code == 200
        assert page.content.decode().count("data-title=") == size
