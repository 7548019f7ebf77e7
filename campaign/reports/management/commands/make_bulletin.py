"""Produce the current period's briefing from the latest report; print the PDF's path (or the task id)."""

from django.core.management.base import BaseCommand, CommandError

from campaign.models import Campaign


class Command(BaseCommand):
    help = "Make the briefing (工作简报) of the current period as a PDF and print its path."

    def add_arguments(self, parser):
        parser.add_argument(
            "--campaign", type=int, metavar="YEAR", help="campaign year (default: the latest)"
        )
        parser.add_argument(
            "--county", metavar="CODE", help="county code, when several counties run campaigns"
        )
        parser.add_argument(
            "--async", dest="run_async", action="store_true", help="queue it for a worker; print the task id"
        )

    def handle(self, *args, campaign=None, county=None, run_async=False, **options):
        from campaign.reports import pdf
        from campaign.reports.models import Briefing
        from campaign.reports.services import briefing_render, bulletin_make
        from campaign.reports.tasks import make_bulletin

        campaigns = Campaign.objects.select_related("county").order_by("-year", "county__code")
        if county:
            campaigns = campaigns.filter(county__code=county)
        if campaign:
            campaigns = campaigns.filter(year=campaign)
        chosen = list(campaigns[:2])
        if not chosen:
            raise CommandError("No campaign matches (see --campaign YEAR and --county CODE).")
        if len(chosen) > 1 and chosen[0].year == chosen[1].year and not county:
            raise CommandError(
                f"Several counties have a {chosen[0].year} campaign: choose one with --county CODE."
            )
        target = chosen[0]
        if run_async:
            result = make_bulletin.delay(target.pk)
            self.stdout.write(result.id)
            return
        briefing = bulletin_make(campaign=target, render=False)
        relative = briefing_render(briefing_id=briefing.pk)
        briefing.refresh_from_db()
        if briefing.status != Briefing.Status.DONE or not relative:
            raise CommandError(f"The PDF failed: {briefing.failure_reason}")
        self.stdout.write(str(pdf.media_path(relative)))
