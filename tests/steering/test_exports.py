import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from campaign.steering import services
from campaign.steering.models import SupervisionNotice


def open_xlsx(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.streaming
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


@pytest.mark.django_db
def test_notice_export_is_scoped_and_filtered(world, issue, login):
    a1 = issue(world.a1, title="甲一督办")
    issue(world.a2, title="甲二督办")
    issue(world.ad1, title="农业局督办")
    issue(world.b1, title="乙县督办")
    services.notice_reply(notice=a1, user=world.tom, text="完成")

    rows = open_xlsx(login(world.alice).get("/steering/notices/export.xlsx"))
    assert len(rows) == 4  # header + the county's three
    assert sorted(r[1] for r in rows[1:]) == sorted(["甲一督办", "甲二督办", "农业局督办"])

    rows = open_xlsx(login(world.alice).get("/steering/notices/export.xlsx?status=replied"))
    assert [r[1] for r in rows[1:]] == ["甲一督办"]
    assert rows[1][2] == "甲一镇" and (rows[1][7], rows[1][8]) == (2, 0)  # recipient, items, done

    rows = open_xlsx(login(world.alice).get(f"/steering/notices/export.xlsx?township={world.a2.pk}"))
    assert [r[1] for r in rows[1:]] == ["甲二督办"]

    rows = open_xlsx(login(world.tom).get("/steering/notices/export.xlsx"))
    assert [r[1] for r in rows[1:]] == ["甲一督办"]
    rows = open_xlsx(login(world.bob).get("/steering/notices/export.xlsx"))
    assert [r[1] for r in rows[1:]] == ["乙县督办"]
    assert login(world.vera).get("/steering/notices/export.xlsx").status_code == 403


@pytest.mark.django_db
def test_notice_export_marks_overdue(world, issue, login):
    notice = issue(world.a1)
    SupervisionNotice.objects.filter(pk=notice.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(2)
    )
    rows = open_xlsx(login(world.alice).get("/steering/notices/export.xlsx?overdue=on"))
    assert len(rows) == 2 and rows[1][5]
    assert isinstance(rows[1][3], datetime.datetime)  # the deadline is a real date cell


@pytest.fixture
def results(world):
    from appraisal.models import Appraisal
    from tests.steering import factories as sf

    campaign = sf.campaign(world.county_a)
    campaign_b = sf.campaign(world.county_b)
    rows = {
        "a1v1": sf.appraisal(campaign, world.a1v1, final="70", stars=2, status=Appraisal.Status.APPROVED),
        "a1v2": sf.appraisal(campaign, world.a1v2, status=Appraisal.Status.SUBMITTED),
        "a2v1": sf.appraisal(campaign, world.a2v1, final="95", stars=5),
        "ad1": sf.appraisal(campaign, world.ad1, final="88", stars=4),
        "b1v1": sf.appraisal(campaign_b, world.b1v1, final="91", stars=5),
    }
    today = timezone.localdate()
    sf.title(campaign, world.a2v1, named_on=today, valid_until=today + datetime.timedelta(days=1095))
    sf.title(campaign_b, world.b1v1, named_on=today, valid_until=today + datetime.timedelta(days=60))
    return campaign, rows


@pytest.mark.django_db
def test_appraisal_export_scoped_and_filtered(world, results, login):
    campaign, _rows = results
    rows = open_xlsx(login(world.alice).get("/steering/appraisals/export.xlsx"))
    assert sorted(r[4] for r in rows[1:]) == sorted(["东村", "西村", "南村", "农业局"])
    rows = open_xlsx(
        login(world.alice).get(
            f"/steering/appraisals/export.xlsx?campaign={campaign.pk}&track=village&stars=5"
        )
    )
    assert [(r[4], r[8], r[9]) for r in rows[1:]] == [("南村", 95.0, 5)]
    rows = open_xlsx(
        login(world.alice).get(f"/steering/appraisals/export.xlsx?campaign={campaign.pk}&class=lagging")
    )
    assert [r[4] for r in rows[1:]] == ["东村"]
    rows = open_xlsx(login(world.tom).get("/steering/appraisals/export.xlsx"))
    assert sorted(r[4] for r in rows[1:]) == ["东村", "西村"]
    rows = open_xlsx(login(world.olga).get("/steering/appraisals/export.xlsx?track=village"))
    assert sorted(r[4] for r in rows[1:]) == ["东村", "西村"]  # the organizer's area is 甲一镇 only
    rows = open_xlsx(login(world.carl).get("/steering/appraisals/export.xlsx?track=village"))
    assert len(rows) == 5  # the city viewer sees both counties
    rows = open_xlsx(login(world.bob).get("/steering/appraisals/export.xlsx"))
    assert [r[4] for r in rows[1:]] == ["北村"]
    # The page shows the same rows as the export.
    page = login(world.tom).get("/steering/appraisals/").content.decode()
    assert page.count("data-appraisal-id=") == 2


@pytest.mark.django_db
def test_title_export_scoped_and_filtered(world, results, login):
    rows = open_xlsx(login(world.alice).get("/steering/titles/export.xlsx"))
    assert [r[4] for r in rows[1:]] == ["南村"]
    rows = open_xlsx(login(world.carl).get("/steering/titles/export.xlsx?state=expiring"))
    assert [r[4] for r in rows[1:]] == ["北村"]
    rows = open_xlsx(login(world.alice).get("/steering/titles/export.xlsx?state=expiring"))
    assert rows[1:] == []
    assert login(world.tom).get("/steering/titles/").content.decode().count("data-title-id=") == 0


@pytest.mark.django_db
def test_ranking_export_hides_the_transfer_columns_but_for_administrators(world, results, login):
    from campaign.steering import ranking

    campaign, _rows = results
    ranking.ranking_compute(campaign=campaign, user=world.alice)
    admin_rows = open_xlsx(login(world.alice).get(f"/steering/ranking/export.xlsx?campaign={campaign.pk}"))
    assert [r[2] for r in admin_rows[1:]] == ["甲二镇", "甲一镇"]  # 0.5×95 = 47.50 vs 0.5×70 = 35.00
    assert admin_rows[1][6] == 47.5 and len(admin_rows[0]) == 11
    leader_rows = open_xlsx(login(world.leo).get(f"/steering/ranking/export.xlsx?campaign={campaign.pk}"))
    assert len(leader_rows[0]) == 9 and len(leader_rows) == 3
    assert open_xlsx(login(world.bob).get("/steering/ranking/export.xlsx"))[1:] == []
    assert login(world.dora).get("/steering/ranking/export.xlsx").status_code == 403
