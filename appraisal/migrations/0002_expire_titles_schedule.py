"""Register the daily expiry of titles with django-celery-beat (editable in the admin afterwards)."""

from django.db import migrations

TASK = "appraisal.tasks.expire_titles"
NAME = "Expire titles and send expiry reminders (daily)"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # 01:10 county time: after midnight, so that "past its end date" means yesterday or earlier.
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="10", hour="1", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(name=NAME, defaults={"task": TASK, "crontab": crontab, "enabled": True})


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("appraisal", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
