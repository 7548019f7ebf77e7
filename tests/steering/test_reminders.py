import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from campaign.models import Notification
from campaign.steering import services, tasks
from campaign.steering.models import SupervisionNotice
from campaign.steering.schedule import WEEKLY_REMINDER


@pytest.mark.django_db
def test_weekly_reminder_once_per_notice_per_week(world, issue):
    today = timezone.localdate()
    due = issue(world.a1, deadline=today + datetime.timedelta(days=3))
    overdue = issue(world.ad1, deadline=today + datetime.timedelta(days=1))
    later = issue(world.a2, deadline=today + datetime.timedelta(days=30))
    closed = issue(world.a1, deadline=today + datetime.timedelta(days=2))
    services.notice_reply(notice=closed, user=world.tom, text="完成")
    services.notice_accept(notice=closed, user=world.alice)
    SupervisionNotice.objects.filter(pk=overdue.pk).update(deadline=today - datetime.timedelta(days=5))

    assert services.notices_send_reminders(today=today) == 2  # tom for `due`, dora for `overdue`
    reminders = Notification.objects.filter(key__startswith="notice-remind:")
    assert set(reminders.values_list("user__username", "key")) == {
        ("tom", f"notice-remind:{due.pk}:{today.isocalendar()[0]}-W{today.isocalendar()[1]:02d}"),
        ("dora", f"notice-remind:{overdue.pk}:{today.isocalendar()[0]}-W{today.isocalendar()[1]:02d}"),
    }
    assert "逾期" in reminders.get(user=world.dora).title or "Overdue" in reminders.get(user=world.dora).title
    # Twice in the same week: nothing new (the task is idempotent).
    assert tasks.remind_supervision_notices.delay().get() == 0
    assert services.notices_send_reminders(today=today + datetime.timedelta(days=7)) == 2
    assert not reminders.filter(key__contains=f":{later.pk}:").exists()


@pytest.mark.django_db
def test_weekly_task_is_registered_after_migrate():
    task = PeriodicTask.objects.get(name=WEEKLY_REMINDER)
    assert task.task == "campaign.steering.tasks.remind_supervision_notices"
    assert task.crontab.day_of_week == "1"
    task.delete()
    call_command("migrate", verbosity=0)
    assert PeriodicTask.objects.filter(name=WEEKLY_REMINDER).count() == 1
