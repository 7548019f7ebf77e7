import datetime
import json

import pytest
from django.utils import timezone

from appraisal.models import Appraisal
from campaign.steering.models import SupervisionNotice
from tests import factories as f
from tests.steering import factories as sf

S = Appraisal.Status


def figures(response):
    """The figures embedded with json_script."""
    body = response.content.decode()
    start = body.index('<script id="dashboard-data" type="application/json">') + len(
        '<script id="dashboard-data" type="application/json">'
    )
    return json.loads(body[start : body.index("</script>", start)])


def grow(world, campaign, n):
    """n more townships in county A, each with two villages at various stages and results."""
    statuses = [S.DRAFT, S.SUBMITTED, S.TOWNSHIP_CHECKED, S.APPROVED, S.VETOED, S.RECHECKED]
    for i in range(n):
        township = f.TownshipFactory(county=world.county_a, code=f"9{i:02d}")
        for j in range(2):
            village = f.VillageFactory(township=township, code=f"{j:03d}")
            status = statuses[(i + j) % len(statuses)]
            final = 70 + (i * 7 + j * 3) % 30 if status in (S.APPROVED, S.VETOED, S.RECHECKED) else None
            sf.appraisal(campaign, village, status=status, final=final, stars=(i + j) % 6 if final else 0)
        sf.appraisal(campaign, township, final=80 + i % 15)


@pytest.fixture
def county_data(world, issue):
    last_year = sf.campaign(world.county_a, year=2025)
    campaign = sf.campaign(
        world.county_a,
        year=2026,
        self_report_deadline=datetime.date(2026, 4, 30),
        township_check_deadline=datetime.date(2026, 5, 31),
        county_recheck_deadline=datetime.date(2099, 6, 30),
        approval_deadline=datetime.date(2099, 7, 31),
    )
    sf.appraisal(last_year, world.a1v1, final=85, stars=4)
    sf.appraisal(campaign, world.a1v1, status=S.DRAFT)  # late: self-report deadline passed
    sf.appraisal(campaign, world.a1v2, status=S.SUBMITTED)  # late: township check deadline passed
    sf.appraisal(campaign, world.a2v1, status=S.APPROVED, final=95, stars=5)
    sf.appraisal(sf.campaign(world.county_b, year=2026), world.b1v1, status=S.DRAFT)  # never counted for A
    today = timezone.localdate()
    sf.title(campaign, world.a2v1, named_on=today, valid_until=today + datetime.timedelta(days=3 * 365))
    sf.title(
        last_year,
        world.a1v1,
        named_on=today - datetime.timedelta(days=1000),
        valid_until=today + datetime.timedelta(days=30),
    )
    sf.veto(campaign, world.a1v1, world.alice)
    notice = issue(world.a1)
    SupervisionNotice.objects.filter(pk=notice.pk).update(deadline=today - datetime.timedelta(days=1))
    issue(world.b1)
    return campaign


@pytest.mark.django_db
def test_county_dashboard_figures_and_links(world, county_data, login):
    response = login(world.alice).get(f"/steering/dashboard/?campaign={county_data.pk}")
    assert response.status_code == 200
    data = figures(response)
    progress = data["progress"]
    assert progress["categories"] == ["甲一镇", "甲二镇"]
    by_key = {s["key"]: [p["value"] for p in s["data"]] for s in progress["series"]}
    assert by_key["draft"] == [1, 0] and by_key["submitted"] == [1, 0] and by_key["approved"] == [0, 1]
    assert by_key["not_started"] == [0, 0]
    assert [r["value"] for r in progress["late"]] == [2, 0]
    assert data["late_total"] == 2
    assert "status=draft" in progress["series"][1]["data"][0]["url"]
    village_stars = data["stars"]["series"][0]  # villages, townships, departments
    assert [p["value"] for p in village_stars["data"]] == [0, 0, 0, 0, 0, 1]
    assert data["stars"]["categories"] == ["0星", "1星", "2星", "3星", "4星", "5星"]
    titles = {t["key"]: t["value"] for t in data["titles"]}
    assert titles == {"named": 1, "valid": 2, "expiring": 1, "expired": 0, "revoked": 0}
    assert data["veto_total"] == 1
    assert data["notices"]["overdue"] == 1
    assert data["trend"]["years"] == ["2025", "2026"]
    assert [p["value"] for p in data["trend"]["mean"]] == [85.0, 95.0]
    assert data["classes"]["village"] == {"advanced": 1, "average": 0, "lagging": 0}
    page = response.content.decode()
    assert 'data-chart="progress"' in page and "vendor/echarts/echarts.min.js" in page
    # Every figure links to a list that answers.
    client = login(world.alice)
    for link in [data["late_url"], data["vetoes_url"], data["notices"]["overdue_url"], data["classes_url"]]:
        assert client.get(link).status_code == 200, link
    for t in data["titles"]:
        assert client.get(t["url"]).status_code == 200
    late_list = client.get(data["late_url"]).content.decode()
    assert late_list.count("data-appraisal-id=") == 2


@pytest.mark.django_db
def test_county_dashboard_township_filter(world, county_data, login):
    data = figures(
        login(world.alice).get(f"/steering/dashboard/?campaign={county_data.pk}&township={world.a2.pk}")
    )
    assert data["progress"]["categories"] == ["甲二镇"]
    assert data["late_total"] == 0 and data["veto_total"] == 0 and data["notices"]["overdue"] == 0
    # A township of another county is no filter at all (and shows nothing of it).
    data = figures(
        login(world.alice).get(f"/steering/dashboard/?campaign={county_data.pk}&township={world.b1.pk}")
    )
    assert data["progress"]["categories"] == ["甲一镇", "甲二镇"]


@pytest.mark.django_db
def test_organizer_sees_only_the_townships_of_the_area(world, county_data, login):
    data = figures(login(world.olga).get(f"/steering/dashboard/?campaign={county_data.pk}"))
    assert data["progress"]["categories"] == ["甲一镇"]
    assert data["classes"]["village"]["advanced"] == 0  # 南村 (甲二镇) is outside the area


@pytest.mark.django_db
def test_township_dashboard_lists_its_villages(world, county_data, login):
    response = login(world.tom).get(f"/steering/dashboard/?campaign={county_data.pk}")
    data = figures(response)
    assert [r["village"] for r in data["rows"]] == ["东村", "西村"]
    assert [r["late"] for r in data["rows"]] == [True, True]
    assert data["notices"]["overdue"] == 1
    assert "南村" not in response.content.decode()


@pytest.mark.django_db
def test_department_view_and_city_rollup(world, county_data, login):
    sf.appraisal(county_data, world.ad1, status=S.SUBMITTED)
    data = figures(login(world.dora).get("/steering/dashboard/"))
    assert [r["department"] for r in data["rows"]] == ["农业局"]
    data = figures(login(world.alice).get(f"/steering/departments/?campaign={county_data.pk}"))
    assert [r["department"] for r in data["rows"]] == ["农业局", "水利局"]

    response = login(world.carl).get("/steering/dashboard/?year=2026")
    data = figures(response)
    rows = {r["county"]: r for r in data["rows"]}
    assert set(rows) == {"甲县", "乙县"}
    assert (
        rows["甲县"]["approved"] == 1 and rows["甲县"]["in_progress"] == 2 and rows["甲县"]["villages"] == 3
    )
    assert rows["乙县"]["in_progress"] == 1 and rows["乙县"]["five_star"] == 0
    assert rows["甲县"]["mean"] == 95.0 and rows["甲县"]["five_star_share"] == 33.3
    assert rows["甲县"]["five_star"] == 1 and rows["甲县"]["vetoes"] == 1
    assert login(world.carl).get(rows["甲县"]["url"]).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona,status",
    [("vera", 403), ("alice", 200), ("leo", 200), ("olga", 200), ("tom", 200), ("carl", 200)],
)
def test_dashboard_roles(world, county_data, login, persona, status):
    assert login(getattr(world, persona)).get("/steering/dashboard/").status_code == status


@pytest.mark.django_db
def test_printable_view(world, county_data, login):
    page = login(world.alice).get(f"/steering/dashboard/?campaign={county_data.pk}&print=1").content.decode()
    assert 'class="print-mode"' in page and "navbar" not in page and 'data-chart="progress"' in page


@pytest.mark.django_db
def test_dashboards_run_a_fixed_number_of_queries(world, county_data, login, django_assert_max_num_queries):
    urls = {
        world.alice: f"/steering/dashboard/?campaign={county_data.pk}",
        world.tom: f"/steering/dashboard/?campaign={county_data.pk}",
        world.carl: "/steering/dashboard/?year=2026",
        world.dora: "/steering/dashboard/",
    }
    limits = {world.alice: 17, world.tom: 13, world.carl: 12, world.dora: 11}
    for user, url in urls.items():
        client = login(user)
        with django_assert_max_num_queries(limits[user]):
            assert client.get(url).status_code == 200
    grow(world, county_data, 12)
    for user, url in urls.items():
        client = login(user)
        with django_assert_max_num_queries(limits[user]):
            assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_lists_run_a_fixed_number_of_queries(world, county_data, login, django_assert_max_num_queries):
    from campaign.steering import ranking

    # A lagging village from the start: its "what pulled it down" costs the same queries at any size.
    sf.appraisal(county_data, f.VillageFactory(township=world.a1, code="009"), final=60)
    ranking.ranking_compute(campaign=county_data, user=world.alice)
    urls = [
        f"/steering/appraisals/?campaign={county_data.pk}",
        "/steering/titles/",
        f"/steering/classification/?campaign={county_data.pk}",
        f"/steering/ranking/?campaign={county_data.pk}",
    ]
    client = login(world.alice)
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(14) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured.captured_queries)
    grow(world, county_data, 12)
    ranking.ranking_compute(campaign=county_data, user=world.alice)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_star_axis_reads_one_star_in_english(world, county_data, login):
    client = login(world.alice)
    client.cookies["django_language"] = "en"
    data = figures(client.get(f"/steering/dashboard/?campaign={county_data.pk}"))
    assert data["stars"]["categories"][:3] == ["0 stars", "1 star", "2 stars"]


@pytest.mark.django_db
def test_appraisal_list_shows_no_stars_before_a_final_score(world, login):
    import re

    campaign = sf.campaign(world.county_a)
    draft = sf.appraisal(campaign, world.a1v1, status=Appraisal.Status.DRAFT)
    approved = sf.appraisal(campaign, world.a2v1, final=95, stars=5)
    page = login(world.alice).get(f"/steering/appraisals/?campaign={campaign.pk}").content.decode()

    def last_cell(pk):
        row = re.search(rf'data-appraisal-id="{pk}".*?</tr>', page, re.S).group(0)
        return re.findall(r"<td>(.*?)</td>", row, re.S)[-1].strip()

    # A draft has not earned "0 stars": it has no stars yet.
    assert last_cell(draft.pk) == "—"
    assert last_cell(approved.pk) == "5"
