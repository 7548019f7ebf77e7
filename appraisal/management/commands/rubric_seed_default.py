from django.core.management.base import BaseCommand, CommandError

from appraisal.services import rubric_seed_default
from campaign.models import Campaign


class Command(BaseCommand):
    help = "Seed a campaign's rubrics (village, township, department) from the default rubric."

    def add_arguments(self, parser):
        parser.add_argument("campaign_id", type=int)

    def handle(self, *args, **options):
        try:
            campaign = Campaign.objects.get(pk=options["campaign_id"])
        except Campaign.DoesNotExist:
            raise CommandError("No such campaign") from None
        created = rubric_seed_default(campaign=campaign)
        self.stdout.write(f"{len(created)} rubrics created for {campaign}")
