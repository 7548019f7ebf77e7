"""Every hand-off tells the people who must act next (or who are affected), and nobody else.

Personas (tests/conftest.py): alice county admin of A, olga organizer of A with area {A1}, leo county
leader of A, tom township A1, vera village A1v1, dora department Ad1, carl city viewer, bob admin of
B; tom2 township A2 (tests/appraisal/conftest.py).
"""

import datetime
from decimal import Decimal

import pytest

from appraisal import services
from appraisal.models import Appraisal
from campaign.models import Notification
from tests import factories as f
from tests.appraisal import factories as af

S = Appraisal.Status
pytestmark = pytest.mark.django_db


def told(**filters):
    """{username: [titles]} of the notifications created."""
    out = {}
    for username, title in Notification.objects.filter(**filters).values_list("user__username", "title"):
        out.setdefault(username, []).append(title)
    return out


@pytest.fixture
def kw(world):
    return dict(secretary=world.vera, township_user=world.tom, county_admin=world.alice, leader=world.leo)


@pytest.fixture
def east(world, campaign, kw):
    """东村 (A1v1) at each stage on demand."""

    def at(status, fraction=Decimal("1")):
        return af.drive(af.start(campaign, world.a1v1), status, fraction=fraction, **kw)

    return at


# ---------------------------------------------------------------- submitted → its checker


def test_a_village_submission_tells_its_township_only(world, campaign, tom2):
    appraisal = af.submitted(campaign, world.a1v1, world.vera)
    assert told() == {"tom": ["东村提交了自检报告，请检查验收"]}
    note = Notification.objects.get(user=world.tom)
    assert note.url == f"/appraisal/{appraisal.pk}/check/"


def test_a_township_or_department_submission_tells_the_county_checkers_of_its_area(world, campaign):
    own = af.start(campaign, world.a1)
    services.appraisal_save_self(appraisal=own, user=world.tom, scores=af.full_scores(own))
    services.appraisal_submit(appraisal=own, user=world.tom)
    assert set(told()) == {"alice", "olga"}  # olga's area holds A1; the leader and county B hear nothing
    Notification.objects.all().delete()
    department = af.start(campaign, world.ad1)
    services.appraisal_save_self(appraisal=department, user=world.dora, scores=af.full_scores(department))
    services.appraisal_submit(appraisal=department, user=world.dora)
    assert set(told()) == {"alice", "olga"}  # every reviewer sees the county's departments


def test_a_township_in_nobodys_area_tells_the_administrator_and_area_free_reviewers(world, campaign, tom2):
    free = f.UserFactory(username="rita", role="county_reviewer", county=world.county_a)
    own = af.start(campaign, world.a2)
    services.appraisal_save_self(appraisal=own, user=tom2, scores=af.full_scores(own))
    services.appraisal_submit(appraisal=own, user=tom2)
    assert set(told()) == {"alice", free.username}


# ---------------------------------------------------------------- returns


def test_a_return_by_the_township_tells_the_village_with_the_reason(world, campaign):
    appraisal = af.submitted(campaign, world.a1v1, world.vera)
    Notification.objects.all().delete()
    services.appraisal_return(appraisal=appraisal, user=world.tom, reason="三会一课佐证缺失")
    assert told() == {"vera": ["你的自检报告被乡镇党委退回修改"]}
    note = Notification.objects.get()
    assert note.body == "退回原因：三会一课佐证缺失"
    assert note.url == f"/appraisal/{appraisal.pk}/self-report/"


def test_a_return_by_the_county_tells_the_township_with_the_reason(world, east):
    appraisal = east(S.RECHECK_REQUESTED)
    Notification.objects.all().delete()
    services.appraisal_return(appraisal=appraisal, user=world.olga, reason="得分依据不足，请重新核实")
    assert told() == {"tom": ["县委组织部将东村退回乡镇，请重新检查验收"]}
    assert Notification.objects.get().body == "退回原因：得分依据不足，请重新核实"


def test_a_township_report_returned_by_the_county_tells_the_township(world, campaign):
    own = af.start(campaign, world.a1)
    services.appraisal_save_self(appraisal=own, user=world.tom, scores=af.full_scores(own))
    services.appraisal_submit(appraisal=own, user=world.tom)
    Notification.objects.all().delete()
    services.appraisal_return(appraisal=own, user=world.alice, reason="缺少组织委员履职材料")
    assert told() == {"tom": ["你的自检报告被县委组织部退回修改"]}


# ---------------------------------------------------------------- batch reported → county checkers


def test_a_batch_tells_each_county_checker_of_the_area_once(world, campaign, kw, tom2):
    west_secretary = f.UserFactory(
        username="wes", role="village", county=world.county_a, township=world.a1, village=world.a1v2
    )
    one = af.drive(af.start(campaign, world.a1v1), S.TOWNSHIP_CHECKED, **kw)
    two = af.drive(af.start(campaign, world.a1v2), S.TOWNSHIP_CHECKED, **{**kw, "secretary": west_secretary})
    Notification.objects.all().delete()
    services.appraisal_request_recheck(appraisals=[one, two], user=world.tom)
    assert told() == {"alice": ["甲一镇上报2个村申请复检"], "olga": ["甲一镇上报2个村申请复检"]}
    note = Notification.objects.get(user=world.olga)
    assert "东村" in note.body and "西村" in note.body
    assert note.url == f"/appraisal/recheck/?batch={af.reload(one).recheck_batch_id}"


def test_a_batch_from_outside_an_organizers_area_does_not_reach_the_organizer(world, campaign, tom2):
    south_secretary = f.UserFactory(
        username="sam", role="village", county=world.county_a, township=world.a2, village=world.a2v1
    )
    south = af.drive(
        af.start(campaign, world.a2v1),
        S.TOWNSHIP_CHECKED,
        secretary=south_secretary,
        township_user=tom2,
        county_admin=world.alice,
    )
    Notification.objects.all().delete()
    services.appraisal_request_recheck(appraisals=[south], user=tom2)
    assert set(told()) == {"alice"}


# ---------------------------------------------------------------- notice opened / ended → the leader


def test_opening_a_notice_tells_the_county_leader(world, east):
    east(S.PUBLICIZED)
    notes = told(key__startswith="notice-opened:")
    assert notes == {"leo": ["公示已开始：1个对象"]}
    body = Notification.objects.get(key__startswith="notice-opened:").body
    assert "2026-06-01" in body and "2026-06-05" in body


def test_the_end_of_a_notice_tells_the_county_leader_once(world, east):
    east(S.PUBLICIZED)  # 1 to 5 June 2026
    assert services.notice_send_ended(today=datetime.date(2026, 6, 5)) == 0  # still running on its last day
    assert services.notice_send_ended(today=datetime.date(2026, 6, 6)) == 1
    assert services.notice_send_ended(today=datetime.date(2026, 6, 8)) == 0
    note = Notification.objects.get(key__startswith="notice-ended:")
    assert note.user == world.leo and note.url == "/appraisal/approval/"
    assert "1个对象等待审定" in note.body


def test_a_notice_whose_subjects_are_all_approved_or_withdrawn_is_not_announced(world, east):
    appraisal = east(S.PUBLICIZED)
    services.public_notice_withdraw(
        appraisal=appraisal, user=world.alice, reason="名单有误", today=datetime.date(2026, 6, 2)
    )
    assert services.notice_send_ended(today=datetime.date(2026, 6, 6)) == 0


# ---------------------------------------------------------------- outcomes → the subject and its township


def test_approval_tells_the_village_and_its_township(world, east):
    appraisal = east(S.APPROVED)
    notes = told(key=f"appraisal-event:{appraisal.events.get(action='approved').pk}")
    assert notes == {"vera": ["东村已审定命名：5星"], "tom": ["东村已审定命名：5星"]}
    note = Notification.objects.get(user=world.vera, key__startswith="appraisal-event:")
    assert note.url == f"/appraisal/titles/{appraisal.title.pk}/" and "2029-07-01" in note.body


def test_not_recommended_tells_the_village_and_its_township(world, east):
    appraisal = east(S.RECHECK_REQUESTED)
    Notification.objects.all().delete()
    services.appraisal_county_recheck(
        appraisal=appraisal,
        user=world.alice,
        scores=af.full_scores(appraisal, fraction=Decimal("0.5")),
        opinion="集体经济未达标",
        recommend=False,
    )
    assert set(told()) == {"vera", "tom"}
    assert Notification.objects.filter(body__contains="集体经济未达标").count() == 2


def test_withdrawal_from_a_notice_tells_the_village_and_its_township(world, east):
    appraisal = east(S.PUBLICIZED)
    Notification.objects.all().delete()
    services.public_notice_withdraw(
        appraisal=appraisal, user=world.alice, reason="村务公开材料存疑", today=datetime.date(2026, 6, 3)
    )
    assert told() == {"vera": ["东村已撤出公示"], "tom": ["东村已撤出公示"]}


def test_an_upheld_objection_tells_the_village_and_its_township(world, east):
    appraisal = east(S.PUBLICIZED)
    objection = services.objection_record(
        appraisal=appraisal, user=world.alice, received_on=datetime.date(2026, 6, 2), content="材料不实"
    )
    Notification.objects.all().delete()
    services.objection_handle(
        objection=objection, user=world.alice, outcome="upheld_end", handling="经核实属实"
    )
    assert set(told()) == {"vera", "tom"}


def test_a_dismissed_objection_tells_nobody(world, east):
    appraisal = east(S.PUBLICIZED)
    objection = services.objection_record(
        appraisal=appraisal, user=world.alice, received_on=datetime.date(2026, 6, 2), content="材料不实"
    )
    Notification.objects.all().delete()
    services.objection_handle(objection=objection, user=world.alice, outcome="dismissed", handling="不属实")
    assert told() == {}


def test_a_veto_tells_the_subject_and_its_township(world, campaign):
    services.veto_record(
        campaign=campaign,
        track="village",
        subject=world.a1v1,
        user=world.alice,
        kind="mass_petition",
        occurred_on=datetime.date(2026, 5, 20),
        description="群体上访",
    )
    assert told() == {
        "vera": ["东村被一票否决：大规模集体上访事件"],
        "tom": ["东村被一票否决：大规模集体上访事件"],
    }


def test_a_department_veto_tells_the_department_only(world, campaign):
    services.veto_record(
        campaign=campaign,
        track="department",
        subject=world.ad1,
        user=world.alice,
        kind="safety_accident",
        occurred_on=datetime.date(2026, 5, 20),
        description="安全事故",
    )
    assert set(told()) == {"dora"}


def test_revoking_a_title_and_withdrawing_a_star_tell_the_holder_and_its_township(world, east):
    title = east(S.APPROVED).title
    Notification.objects.all().delete()
    services.title_withdraw_star(title=title, user=world.alice, star="prosperity", reason="集体经济下滑")
    assert told() == {
        "vera": ["东村的称号被摘星：小康建设业绩好"],
        "tom": ["东村的称号被摘星：小康建设业绩好"],
    }
    Notification.objects.all().delete()
    services.title_revoke(title=title, user=world.alice, reason="发生严重问题")
    assert told() == {"vera": ["东村的称号已被取消"], "tom": ["东村的称号已被取消"]}
    assert Notification.objects.filter(body="取消原因：发生严重问题").count() == 2


# ---------------------------------------------------------------- reminders, grouped per user


def test_reminders_are_grouped_into_one_message_per_user_and_run(world, campaign):
    old = af.CampaignFactory(county=world.county_a, year=2023)
    soon = datetime.date(2026, 9, 1)
    for village in (world.a1v1, world.a1v2):
        af.TitleFactory(village=village, campaign=old, valid_until=soon)
    township_title = af.TitleFactory(
        campaign=old, track="township", village=None, township=world.a1, valid_until=soon
    )
    assert services.title_send_reminders(today=datetime.date(2026, 6, 10)) == 2
    mine = Notification.objects.get(user=world.tom)
    assert mine.title == "3个称号即将到期或已到期"
    assert all(name in mine.body for name in ("东村", "西村", "甲一镇"))
    assert mine.url == "/appraisal/titles/?state=expiring"
    # The secretary holds one of them: one message, about it alone.
    assert Notification.objects.get(user=world.vera).title == "东村的称号将于 83 天后到期"
    assert services.title_send_reminders(today=datetime.date(2026, 6, 11)) == 0
    assert township_title.pk


def test_a_department_title_reminds_the_department(world, campaign):
    old = af.CampaignFactory(county=world.county_a, year=2023)
    af.TitleFactory(
        campaign=old,
        track="department",
        village=None,
        township=None,
        department=world.ad1,
        county=world.county_a,
        valid_until=datetime.date(2026, 7, 1),
    )
    services.title_send_reminders(today=datetime.date(2026, 6, 10))
    assert set(told()) == {"dora"}
