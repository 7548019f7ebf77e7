"""Report periods and the default beat schedules (editable afterwards in the admin)."""

import json

from django.conf import settings

# Months in which the scheduled report runs, per REPORTS_SCHEDULE.
SCHEDULE_MONTHS = {"monthly": "*", "bimonthly": "1,3,5,7,9,11", "quarterly": "1,4,7,10"}
REPORT_TASK_NAME = "Progress reports and briefings"
REPORT_TASK = "campaign.reports.tasks.scheduled_reports"
REMINDER_TASK_NAME = "Weekly stage-deadline reminders"
REMINDER_TASK = "campaign.reports.tasks.deadline_reminders"


def period_for(day, schedule=None):
    """The period a date falls in: "2026-11", "2026-B6" (two months) or "2026-Q4"."""
    schedule = schedule or settings.REPORTS_SCHEDULE
    if schedule == "quarterly":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if schedule == "bimonthly":
        return f"{day.year}-B{(day.month - 1) // 2 + 1}"
    return f"{day.year}-{day.month:02d}"


def register_schedules(using="default", **kwargs):
    """Create the default periodic tasks if they are not there yet (run after every migrate)."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    months = SCHEDULE_MONTHS[settings.REPORTS_SCHEDULE]
    # 01:30 on the first of the month: the report describes the period just begun,
    # ready for the staff member's morning.
    crontab, _ = CrontabSchedule.objects.using(using).get_or_create(
        minute="30",
        hour="1",
        day_of_month="1",
        month_of_year=months,
        day_of_week="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.using(using).get_or_create(
        name=REPORT_TASK_NAME,
        defaults={"task": REPORT_TASK, "crontab": crontab, "kwargs": json.dumps({})},
    )
    # Monday 08:00: the week's reminders arrive with the working week.
    weekly, _ = CrontabSchedule.objects.using(using).get_or_create(
        minute="0",
        hour="8",
        day_of_month="*",
        month_of_year="*",
        day_of_week="1",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.using(using).get_or_create(
        name=REMINDER_TASK_NAME,
        defaults={"task": REMINDER_TASK, "crontab": weekly, "kwargs": json.dumps({})},
    )
