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
