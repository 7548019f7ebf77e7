"""The steering app's periodic tasks, registered in django-celery-beat after every migrate.

Done on post_migrate rather than in a data migration so that a flushed test database, or a
schedule deleted by mistake in the admin, gets its entry back; an edited schedule is left alone.
"""

WEEKLY_REMINDER = "steering: weekly supervision-notice reminders"


def register_periodic_tasks(sender=None, using="default", **kwargs):
    from django.conf import settings
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    if PeriodicTask.objects.using(using).filter(name=WEEKLY_REMINDER).exists():
        return
    # Monday 08:30 local time, the start of the working week.
    schedule, _created = CrontabSchedule.objects.using(using).get_or_create(
        minute="30",
        hour="8",
        day_of_week="1",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.using(using).create(
        name=WEEKLY_REMINDER, task="campaign.steering.tasks.remind_supervision_notices", crontab=schedule
    )
