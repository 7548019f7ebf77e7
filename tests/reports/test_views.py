"""Report and briefing pages: who sees what, bad input beside the field, downloads, query counts."""

import pytest

from campaign.reports import services
from campaign.reports.models import Briefing
from tests import factories as f


@pytest.fixture
def briefings(campaign, world):
    """A published briefing of county A (with its PDF), a draft of A, and a published one of county B."""
    report, _ = services.report_take(campaign=campaign, period="2026-10")
    published = services.briefing_create(campaign=campaign, report=report)
    services.briefing_publish(briefing=published)
    services.briefing_render(briefing_id=published.pk)
    draft = services.briefing_create(campaign=campaign)
    campaign_b = f.CampaignFactory(county=world.county_b, year=2026)
    report_b, _ = services.report_take(campaign=campaign_b, period="2026-10")
    other = services.briefing_create(campaign=campaign_b, report=report_b)
    services.briefing_publish(briefing=other)
    return dict(published=published, draft=draft, other=other)


def _listed(client, url, attr):
    import re

    page = client.get(url).content.decode()
    return sorted(int(x) for x in re.findall(rf'data-{attr}="(\d+)"', page))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona,expected",
    [
        ("alice", ["published", "draft"]),
        ("leo", ["published", "draft"]),
        ("olga", ["published", "draft"]),
        ("carl", ["published", "other"]),
        ("bob", ["other"]),
    ],
)
def test_briefing_list_shows_exactly_the_briefings_in_scope(briefings, world, login, persona, expected):
    visible = _listed(login(getattr(world, persona)), "/reports/briefings/", "briefing")
    assert visible == sorted(briefings[name].pk for name in expected)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["tom", "vera", "dora"])
def test_township_village_and_department_users_are_refused(briefings, world, login, persona):
    client = login(getattr(world, persona))
    assert client.get("/reports/briefings/").status_code == 403
    assert client.get("/reports/").status_code == 403
    assert client.get(f"/reports/briefings/{briefings['published'].pk}/pdf/").status_code == 403


@pytest.mark.django_db
def test_download_is_checked_against_scope(briefings, world, login):
    pk = briefings["published"].pk
    response = login(world.alice).get(f"/reports/briefings/{pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert login(world.bob).get(f"/reports/briefings/{pk}/pdf/").status_code == 404
    # The city sees published briefings only.
    assert login(world.carl).get(f"/reports/briefings/{briefings['draft'].pk}/").status_code == 404


@pytest.mark.django_db
def test_reader_cannot_edit_or_publish(briefings, world, login):
    client = login(world.leo)
    pk = briefings["draft"].pk
    assert client.get(f"/reports/briefings/{pk}/edit/").status_code == 403
    assert client.post(f"/reports/briefings/{pk}/publish/").status_code == 403
    assert login(world.bob).post(f"/reports/briefings/{pk}/publish/").status_code == 404


@pytest.mark.django_db
def test_publishing_without_report_shows_the_reason(briefings, world, login):
    client = login(world.alice)
    pk = briefings["draft"].pk
    page = client.post(f"/reports/briefings/{pk}/publish/", follow=True).content.decode()
    assert "简报未关联进展通报，不能发布" in page
    assert not Briefing.objects.get(pk=pk).published


@pytest.mark.django_db
def test_duplicate_number_and_empty_title_shown_beside_the_fields_input_kept(
    briefings, campaign, world, login
):
    client = login(world.alice)
    response = client.post(
        "/reports/briefings/new/",
        {
            "campaign": campaign.pk,
            "number": briefings["published"].number,
            "title": "",
            "issuing_office": "中共甲县委组织部",
            "issued_on": "2026-11-20",
            "highlights": "保留的文字",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"本年度已有第{briefings['published'].number}期简报" in page
    assert "保留的文字" in page
    assert Briefing.objects.filter(campaign=campaign).count() == 2


@pytest.mark.django_db
def test_administrator_creates_edits_and_previews(campaign, world, login):
    report, _ = services.report_take(campaign=campaign, period="2026-10")
    client = login(world.alice)
    response = client.post(
        "/reports/briefings/new/",
        {
            "campaign": campaign.pk,
            "report": report.pk,
            "number": 5,
            "title": "三级联创工作简报",
            "issuing_office": "中共甲县委组织部",
            "issued_on": "2026-11-20",
            "editor_note": "本期编者按",
        },
    )
    briefing = Briefing.objects.get(campaign=campaign, number=5)
    assert response.status_code == 302
    page = client.get(f"/reports/briefings/{briefing.pk}/").content.decode()
    assert "本期编者按" in page and "第5期" in page and "甲一镇" in page


@pytest.mark.django_db
def test_report_pages_and_comparison(campaign, world, login):
    first, _ = services.report_take(campaign=campaign, period="2026-09")
    second, _ = services.report_take(campaign=campaign, period="2026-10")
    client = login(world.alice)
    assert _listed(client, "/reports/", "report") == sorted([first.pk, second.pk])
    page = client.get(f"/reports/compare/?a={first.pk}&b={second.pk}").content.decode()
    assert "甲一镇" in page and "2026-09 → 2026-10" in page
    assert login(world.bob).get(f"/reports/{first.pk}/").status_code == 404
    assert login(world.bob).get(f"/reports/compare/?a={first.pk}&b={second.pk}").status_code == 200
    assert (
        "甲一镇" not in login(world.bob).get(f"/reports/compare/?a={first.pk}&b={second.pk}").content.decode()
    )


@pytest.mark.django_db
def test_take_report_now_is_idempotent_per_period(campaign, world, login):
    client = login(world.alice)
    client.post("/reports/take/")
    client.post("/reports/take/")
    assert campaign.progress_reports.count() == 1
    assert login(world.leo).post("/reports/take/").status_code == 403


@pytest.mark.django_db
def test_list_query_counts_do_not_grow(campaign, world, login, django_assert_max_num_queries):
    client = login(world.alice)
    for size in (2, 12):
        while campaign.briefings.count() < size:
            services.briefing_create(campaign=campaign)
        while campaign.progress_reports.count() < size:
            services.report_take(campaign=campaign, period=f"p{campaign.progress_reports.count()}")
        with django_assert_max_num_queries(12):
            assert client.get("/reports/briefings/").status_code == 200
        with django_assert_max_num_queries(12):
            assert client.get("/reports/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona,expected",
    [("alice", ["a"]), ("leo", ["a"]), ("olga", ["a"]), ("carl", ["a", "b"]), ("bob", ["b"])],
)
def test_report_list_shows_exactly_the_reports_in_scope(campaign, world, login, persona, expected):
    reports = {
        "a": services.report_take(campaign=campaign, period="2026-10")[0],
        "b": services.report_take(
            campaign=f.CampaignFactory(county=world.county_b, year=2026), period="2026-10"
        )[0],
    }
    visible = _listed(login(getattr(world, persona)), "/reports/", "report")
    assert visible == sorted(reports[name].pk for name in expected)
    hidden = [reports[name].pk for name in reports if name not in expected]
    for pk in hidden:
        assert login(getattr(world, persona)).get(f"/reports/{pk}/").status_code == 404
