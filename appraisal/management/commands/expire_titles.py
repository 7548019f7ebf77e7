import datetime

from django.core.management.base import BaseCommand

from appraisal.tasks import expire_titles


class Command(BaseCommand):
    help = (
        "Expire titles past their end date, send expiry reminders and announce ended public notices "
        "(what the daily task does)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, help="run as if today were YYYY-MM-DD"
        )

    def handle(self, *args, **options):
        today = options["today"]
        result = expire_titles(today.isoformat() if today else None)
        self.stdout.write(
            f"{result['expired']} titles expired, {result['reminded']} reminders sent, "
            f"{result['notices_ended']} notice ends announced"
        )
