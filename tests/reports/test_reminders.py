"""The weekly stage-deadline reminder, on the hand-counted county (conftest ``county``)."""

import datetime

import pytest

from campaign.models import Notification
from campaign.reports.reminders import deadline_remind


@pytest.mark.django_db
def test_township_is_reminded_of_the_coming_check_deadline_once_a_week(county, world):
    campaign, _west = county
    today = datetime.date(2026, 5, 28)  # township check due 05-31; self-report passed

    assert deadline_remind(campaign=campaign, today=today) == 1
    assert deadline_remind(campaign=campaign, today=today + datetime.timedelta(days=1)) == 0  # same week

    note = Notification.objects.get()
    assert note.user == world.tom  # 西村 (甲一镇) waits for its township check
    assert "1" in note.title and "2026-05-31" in note.title


@pytest.mark.django_db
def test_late_work_reaches_the_township_and_the_county(county, world):
    campaign, _west = county
    deadline_remind(campaign=campaign, today=datetime.date(2026, 7, 5))

    notified = sorted(Notification.objects.values_list("user__username", flat=True))
    # tom: 西村 still unchecked; alice and olga: 农业局's report waits for the county.
    assert notified == ["alice", "olga", "tom"]
    assert all("2026-0" in n.title for n in Notification.objects.all())
    assert not Notification.objects.filter(user__in=[world.bob, world.vera, world.leo]).exists()


@pytest.mark.django_db
def test_reminder_schedule_is_registered_after_migrate():
    from django_celery_beat.models import PeriodicTask

    from campaign.reports.schedule import REMINDER_TASK

    assert PeriodicTask.objects.get(task=REMINDER_TASK).crontab.day_of_week == "1"


@pytest.fixture
def late_county(world):
    """County A on 2026-06-10, built by hand: self-report and township-check deadlines passed,
    the county re-check (06-30) three weeks away.

      甲一镇: 东村 submitted (waits for tom's check: late) · 西村 never started (late) · the township
              itself submitted (waits for the county, not yet due: on time)
      甲二镇: 南村 in draft (late) · the township never started (late)
      departments: 农业局 submitted (on time) · 水利局 never started (late)
      county B: 北村 never started, but another county's campaign is not this one.
    """
    from appraisal import services as appraisal_services
    from appraisal.models import Appraisal, Track
    from campaign.roles import Role
    from tests import factories as f

    campaign = f.CampaignFactory(
        county=world.county_a,
        year=2026,
        self_report_deadline=datetime.date(2026, 4, 30),
        township_check_deadline=datetime.date(2026, 5, 31),
        county_recheck_deadline=datetime.date(2026, 6, 30),
        approval_deadline=datetime.date(2026, 7, 31),
    )
    appraisal_services.rubric_seed_default(campaign=campaign)
    S = Appraisal.Status

    def appraisal(track, status, **subject):
        Appraisal.objects.create(
            campaign=campaign,
            rubric=campaign.rubrics.get(track=track),
            track=track,
            county=world.county_a,
            status=status,
            **subject,
        )

    appraisal(Track.VILLAGE, S.SUBMITTED, township=world.a1, village=world.a1v1)
    appraisal(Track.VILLAGE, S.DRAFT, township=world.a2, village=world.a2v1)
    appraisal(Track.TOWNSHIP, S.SUBMITTED, township=world.a1)
    appraisal(Track.DEPARTMENT, S.SUBMITTED, department=world.ad1)

    def user(username, role, **scope):
        return f.UserFactory(username=username, role=role, county=world.county_a, **scope)

    people = {
        "xi": user("xi", Role.VILLAGE, township=world.a1, village=world.a1v2),
        "nan": user("nan", Role.VILLAGE, township=world.a2, village=world.a2v1),
        "tina": user("tina", Role.TOWNSHIP, township=world.a2),
        "shui": user("shui", Role.DEPARTMENT, department=world.ad2),
    }
    f.UserFactory(
        username="gone", role=Role.TOWNSHIP, county=world.county_a, township=world.a2, is_active=False
    )
    return campaign, people


def _received():
    return sorted(
        (n.user.username, n.title, n.body) for n in Notification.objects.select_related("user").order_by("id")
    )


@pytest.mark.django_db
def test_every_late_subject_is_reminded_once_even_without_an_appraisal(late_county, world):
    campaign, _people = late_county
    monday = datetime.date(2026, 6, 8)

    assert deadline_remind(campaign=campaign, today=monday) == 6
    received = _received()
    by_user = {}
    for username, title, body in received:
        by_user.setdefault(username, []).append((title, body))

    # The ones on time, and the ones with nothing to do, hear nothing.
    assert sorted(by_user) == ["nan", "shui", "tina", "tom", "xi"]
    # tom: one summary per stage: his village that never started, and the one waiting for his check.
    assert sorted(by_user["tom"]) == [
        ("有1个创建对象已逾期：乡镇检查验收截止日期为2026-05-31", "2026年度三级联创：东村"),
        ("有1个创建对象已逾期：自检申报截止日期为2026-04-30", "2026年度三级联创：西村"),
    ]
    # tina: the draft village and her own township that never started, in one notification.
    assert by_user["tina"] == [
        ("有2个创建对象已逾期：自检申报截止日期为2026-04-30", "2026年度三级联创：南村、甲二镇")
    ]
    assert by_user["xi"] == [("有1个创建对象已逾期：自检申报截止日期为2026-04-30", "2026年度三级联创：西村")]
    assert by_user["nan"] == [("有1个创建对象已逾期：自检申报截止日期为2026-04-30", "2026年度三级联创：南村")]
    assert by_user["shui"] == [
        ("有1个创建对象已逾期：自检申报截止日期为2026-04-30", "2026年度三级联创：水利局")
    ]

    # Exactly once a week, however often the task runs...
    assert deadline_remind(campaign=campaign, today=monday + datetime.timedelta(days=3)) == 0
    assert _received() == received
    # ...and again the next week, for as long as they stay late.
    assert deadline_remind(campaign=campaign, today=monday + datetime.timedelta(days=7)) == 6


@pytest.mark.django_db
def test_a_subject_that_moves_on_is_no_longer_reminded(late_county, world):
    from appraisal.models import Appraisal

    campaign, people = late_county
    Appraisal.objects.filter(campaign=campaign, village=world.a2v1).update(status=Appraisal.Status.SUBMITTED)

    deadline_remind(campaign=campaign, today=datetime.date(2026, 6, 8))

    assert not Notification.objects.filter(user=people["nan"]).exists()
    # 南村 now waits for tina's township check instead; 甲二镇 is still her own late self-report.
    assert sorted(Notification.objects.filter(user=people["tina"]).values_list("body", flat=True)) == [
        "2026年度三级联创：南村",
        "2026年度三级联创：甲二镇",
    ]
