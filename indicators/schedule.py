"""The indicators' periodic tasks, registered in django-celery-beat after every migrate.

Done on post_migrate (as ``campaign.reports.schedule``) so that a flushed test database, or a schedule
deleted by mistake in the admin, gets its entry back; an administrator's later edits are kept.
"""

import json

REMINDER_TASK_NAME = "indicators: weekly reminders to townships"
REMINDER_TASK = "indicators.tasks.remind_townships"
FREEZE_TASK_NAME = "indicators: freeze last year's sheets (daily)"
FREEZE_TASK = "indicators.tasks.freeze_past_years"


def register_schedules(sender=None, using="default", **kwargs):
    from django.conf import settings
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    # Monday 08:15 local time: the week's reminders arrive with the working week.
    weekly, _ = CrontabSchedule.objects.using(using).get_or_create(
        minute="15",
        hour="8",
        day_of_week="1",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.using(using).get_or_create(
        name=REMINDER_TASK_NAME,
        defaults={"task": REMINDER_TASK, "crontab": weekly, "kwargs": json.dumps({})},
    )
    # 00:20 every day: on 1 January last year's open sheets keep the registry as it stood on 31 December.
    daily, _ = CrontabSchedule.objects.using(using).get_or_create(
        minute="20",
        hour="0",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.using(using).get_or_create(
        name=FREEZE_TASK_NAME,
        defaults={"task": FREEZE_TASK, "crontab": daily, "kwargs": json.dumps({})},
    )
