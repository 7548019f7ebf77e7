"""Expiry of titles: idempotent, catches up after downtime; reminders 90 and 30 days ahead, once each."""

import datetime

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from appraisal import services
from appraisal.models import Title, TitleEvent
from appraisal.tasks import expire_titles
from campaign.models import Notification
from tests.appraisal import factories as af


@pytest.fixture
def titles(world, campaign):
    old = af.CampaignFactory(county=world.county_a, year=2023)
    return {
        "ends_jan": af.TitleFactory(village=world.a1v1, campaign=old, valid_until=datetime.date(2026, 1, 10)),
        "ends_feb": af.TitleFactory(village=world.a1v2, campaign=old, valid_until=datetime.date(2026, 2, 20)),
        "ends_later": af.TitleFactory(
            village=world.a2v1, campaign=old, valid_until=datetime.date(2026, 9, 1)
        ),
        "revoked": af.TitleFactory(
            village=world.b1v1,
            campaign=af.CampaignFactory(county=world.county_b, year=2023),
            valid_until=datetime.date(2026, 1, 5),
            status=Title.Status.REVOKED,
            revoked_on=datetime.date(2025, 1, 1),
        ),
    }


def test_expiry_catches_up_and_is_idempotent(titles):
    # The task did not run for months: one run expires everything due, each on its own day.
    assert services.title_expire(today=datetime.date(2026, 3, 1)) == 2
    jan, feb = af.reload(titles["ends_jan"]), af.reload(titles["ends_feb"])
    assert (jan.status, jan.expired_on) == (Title.Status.EXPIRED, datetime.date(2026, 1, 11))
    assert (feb.status, feb.expired_on) == (Title.Status.EXPIRED, datetime.date(2026, 2, 21))
    assert af.reload(titles["ends_later"]).status == Title.Status.VALID
    assert af.reload(titles["revoked"]).status == Title.Status.REVOKED
    assert services.title_expire(today=datetime.date(2026, 3, 1)) == 0
    assert TitleEvent.objects.filter(action=TitleEvent.Action.EXPIRED).count() == 2


def test_a_title_is_valid_through_its_last_day(titles):
    assert services.title_expire(today=datetime.date(2026, 1, 10)) == 0
    assert services.title_expire(today=datetime.date(2026, 1, 11)) == 1


def test_reminders_90_and_30_days_and_expiry_once_each(world, titles, tom2):
    later = titles["ends_later"]  # township A2's village, valid until 2026-09-01
    for day in (datetime.date(2026, 6, 3), datetime.date(2026, 6, 4), datetime.date(2026, 6, 20)):
        services.title_send_reminders(today=day)
    first = Notification.objects.get(user=tom2)
    assert first.title == "南村的称号将于 90 天后到期" and "2026-09-01" in first.body
    assert first.url == f"/appraisal/titles/{later.pk}/"
    # Township A1 holds no title expiring then: it hears nothing.
    assert not Notification.objects.filter(user=world.tom).exists()
    for day in (datetime.date(2026, 8, 2), datetime.date(2026, 8, 3), datetime.date(2026, 8, 30)):
        services.title_send_reminders(today=day)
    assert Notification.objects.filter(user=tom2).count() == 2
    assert af.reload(later).reminded_days == 30
    # On the day after its last, it expires by itself and the holder is told, once.
    expire_titles("2026-09-02")
    expire_titles("2026-09-03")
    assert list(Notification.objects.filter(user=tom2).values_list("title", flat=True)) == [
        "南村的称号已到期",
        "南村的称号将于 30 天后到期",
        "南村的称号将于 90 天后到期",
    ]


def test_no_reminder_before_90_days(titles):
    services.title_send_reminders(today=datetime.date(2026, 6, 2))
    assert not Notification.objects.exists()


def test_task_and_command_do_everything(titles, tom2):
    result = expire_titles("2026-08-15")
    assert result == {"expired": 2, "reminded": 1, "notices_ended": 0}
    assert expire_titles("2026-08-15") == {"expired": 0, "reminded": 0, "notices_ended": 0}
    call_command("expire_titles", "--today", "2026-09-02")
    assert af.reload(titles["ends_later"]).status == Title.Status.EXPIRED


def test_daily_schedule_is_registered_after_migrate(db):
    task = PeriodicTask.objects.get(task="appraisal.tasks.expire_titles")
    assert task.enabled and task.crontab.hour == "1" and task.crontab.minute == "10"


def test_expired_titles_leave_the_valid_list(world, titles, login):
    from django.urls import reverse

    services.title_expire(today=datetime.date(2026, 3, 1))
    client = login(world.alice)
    valid = {t.pk for t in client.get(reverse("appraisal:title_list") + "?state=valid").context["page_obj"]}
    expired = {
        t.pk for t in client.get(reverse("appraisal:title_list") + "?state=expired").context["page_obj"]
    }
    assert valid == {titles["ends_later"].pk}
    assert expired == {titles["ends_jan"].pk, titles["ends_feb"].pk}
