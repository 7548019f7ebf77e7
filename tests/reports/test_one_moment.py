"""Issue 10: one moment, one set of figures; the leader prints without waiting; a special briefing issue."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from appraisal.models import Appraisal, Track
from campaign import jobs
from campaign.reports import documents, services, snapshot
from campaign.reports.models import Briefing, Document

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="isolation levels are PostgreSQL's (SQLite is serializable)"
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_document_is_read_in_one_repeatable_read_snapshot(county, monkeypatch):
    from campaign.reports import official

    campaign, _west = county
    seen = []
    original = official.document_source

    def spy(document):
        seen.append(snapshot.isolation_level())
        return original(document)

    monkeypatch.setattr(official, "document_source", spy)
    document = services.document_request(campaign=campaign, kind=Document.Kind.COUNTY_SELF_CHECK)
    document.refresh_from_db()
    assert document.status == Document.Status.DONE, document.failure_reason
    assert seen == ["repeatable read"]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_report_is_taken_in_one_snapshot_from_the_page_too(county, world, client, monkeypatch):
    from campaign.reports import figures

    campaign, _west = county
    seen = []
    original = figures.build_report_data

    def spy(*args, **kwargs):
        seen.append(snapshot.isolation_level())
        return original(*args, **kwargs)

    monkeypatch.setattr("campaign.reports.services.build_report_data", spy)
    client.force_login(world.alice)
    assert client.post("/reports/take/").status_code == 302
    assert seen == ["repeatable read"]


@pytest.mark.django_db(transaction=True)
def test_without_a_worker_the_pdf_is_made_after_the_response_was_sent(county, world, client, monkeypatch):
    from campaign.reports import tasks

    campaign, _west = county
    during = []
    original = documents.document_render

    def spy(*, document_id):
        during.append(jobs._in_request())
        return original(document_id=document_id)

    monkeypatch.setattr(documents, "document_render", spy)
    assert tasks.render_document.app.conf.task_always_eager
    client.force_login(world.leo)  # the county leader prints what the leader approved
    response = client.post(
        "/reports/documents/make/", {"campaign": campaign.pk, "kind": "naming_list"}, HTTP_HX_REQUEST="true"
    )
    # The page got its answer with the status "queued" and a poll for the next one ...
    page = response.content.decode()
    assert response.status_code == 200 and 'data-doc-status="queued"' in page and "hx-get" in page
    # ... and the PDF was made once the response had gone: no longer inside the request.
    assert during == [False]
    document = Document.objects.get()
    assert document.status == Document.Status.DONE
    status = client.get(f"/reports/documents/{document.pk}/status/").content.decode()
    assert 'data-doc-status="done"' in status and "hx-get" not in status


@pytest.mark.django_db
def test_a_failed_pdf_shows_the_reason(county, world, login, monkeypatch, django_capture_on_commit_callbacks):
    from campaign.reports import official

    campaign, _west = county

    def broken(document):
        raise ValueError("模板缺少名单")

    monkeypatch.setattr(official, "document_source", broken)
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request(
            campaign=campaign, kind=Document.Kind.NAMING_LIST, user=world.leo
        )
    status = login(world.leo).get(f"/reports/documents/{document.pk}/status/").content.decode()
    assert 'data-doc-status="failed"' in status and "模板缺少名单" in status


@pytest.mark.django_db
def test_rankings_are_recomputed_before_a_report_uses_them(county, world):
    from campaign.steering.models import TownshipRanking

    campaign, _west = county
    # A stale ranking: 甲二镇 first with a village mean, though none of its villages has a final score.
    TownshipRanking.objects.create(
        campaign=campaign,
        township=world.a2,
        own_score=Decimal(99),
        villages_mean=Decimal(98),
        village_count=1,
        score=Decimal("98.5"),
        rank=1,
        bottom_two=False,
        transfer_flag=False,
        computed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    report, _ = services.report_take(campaign=campaign)
    rows = {t["name"]: t for t in report.data["townships"]}
    assert rows["甲二镇"]["rank"] is None and rows["甲二镇"]["villages_mean"] is None
    # 甲一镇: own 88, its villages' mean 95 (东村) → ranked, with the mean of its scored village.
    assert rows["甲一镇"]["rank"] == 1 and Decimal(rows["甲一镇"]["villages_mean"]) == Decimal("95.00")


@pytest.mark.django_db
def test_the_self_check_counts_a_title_named_after_the_last_report(
    county, world, django_capture_on_commit_callbacks
):
    """The report of the period was taken before a title was issued; the document does not mix the two."""
    from tests.reports.conftest import _title

    campaign, _west = county
    services.report_take(campaign=campaign)  # an older snapshot of the period
    _title(campaign, village=world.a2v1, named=datetime.date(2026, 6, 20), until=datetime.date(2029, 6, 20))
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request(campaign=campaign, kind=Document.Kind.COUNTY_SELF_CHECK)
    from tests.reports import pdfmeasure as m

    document.refresh_from_db()
    text = m.text(services.pdf.media_path(document.pdf)).replace(" ", "").replace("\n", "")
    assert "共命名村党组织2个，其中五星级2个" in text
    assert "命名村党组织星级分布（共2个）" in text


@pytest.mark.django_db
def test_a_cut_short_list_of_late_subjects_ends_with_deng_n_ge(campaign, world):
    from django.utils import translation

    with translation.override("zh-hans"):
        view = documents.report_view_model(
            {
                "county": {"late": 40, "late_names": [f"村{i}" for i in range(30)], "subjects": 50},
                "stages": [],
                "townships": [],
            }
        )
    line = next(s for s in view["summary"] if "未按环节时限" in s)
    assert line.endswith("村11等40个创建对象未按环节时限完成。")


@pytest.mark.django_db
def test_a_special_issue_on_the_same_report_has_its_own_number(campaign, world, login):
    report, _ = services.report_take(campaign=campaign)
    regular = services.briefing_create(campaign=campaign, report=report, user=world.alice)
    client = login(world.alice)
    form = client.get(f"/reports/briefings/new/?report={report.pk}").content.decode()
    assert 'name="special" checked' in form or 'checked name="special"' in form or "checked" in form
    data = {
        "campaign": campaign.pk,
        "report": report.pk,
        "number": regular.number + 1,
        "title": "三级联创工作简报",
        "copies": 30,
        "issuing_office": "中共甲县委组织部",
        "issued_on": "2026-06-20",
    }
    page = client.post("/reports/briefings/new/", data).content.decode()
    assert "one_briefing_per_report" not in page and "约束" not in page
    assert "专刊" in page  # the way out, in words
    data["special"] = "on"
    response = client.post("/reports/briefings/new/", data)
    assert response.status_code == 302
    special = Briefing.objects.get(special=True)
    assert special.report == report and special.number == regular.number + 1
    assert special.issue_label == f"{campaign.year}年第{special.number}期"
    preview = client.get(f"/reports/briefings/{special.pk}/").content.decode()
    assert "专刊" in preview


@pytest.mark.django_db
def test_issue_label_is_numbered_per_year_with_an_optional_running_number(campaign):
    report, _ = services.report_take(campaign=campaign)
    briefing = services.briefing_create(campaign=campaign, report=report, number=3, running_number=27)
    assert briefing.issue_label == "2026年第3期（总第27期）"


def test_charts_have_ten_fills_that_print_apart_in_grey():
    from campaign.reports import charts

    greys = [value for kind, value in charts.FILLS if kind == "grey"]
    hatches = [value for kind, value in charts.FILLS if kind == "hatch"]
    assert len(charts.FILLS) == 10 and len(set(charts.FILLS)) == 10
    luma = sorted(int(g[1:3], 16) / 255 for g in greys)
    assert all(b - a >= 0.15 for a, b in zip(luma, luma[1:], strict=False))
    assert len(set(hatches)) == len(hatches) == 4
    chart = charts.stacked_bars([("甲一镇", {"a": 3, "b": 4})], [("a", "甲"), ("b", "乙")], label="图")
    assert chart.total == 7
    sizes = {float(s) for s in __import__("re").findall(r'font-size="([\d.]+)"', str(chart))}
    assert min(sizes) >= 9
    assert 'fill="#fff">' not in str(chart).split("<text")[1]  # labels are not white


@pytest.mark.django_db
def test_a_township_without_scored_villages_has_no_village_mean(county, world):
    campaign, _west = county
    Appraisal.objects.filter(campaign=campaign, track=Track.VILLAGE).update(final_points=None)
    report, _ = services.report_take(campaign=campaign)
    rows = {t["name"]: t for t in report.data["townships"]}
    assert rows["甲一镇"]["villages_mean"] is None
