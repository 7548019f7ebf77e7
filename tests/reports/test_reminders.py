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
