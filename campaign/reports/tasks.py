"""Celery tasks of reports and briefings: thin, idempotent, loading rows by id.

They inherit ``acks_late`` and retry-with-backoff from ``campaign.celery.ReliableTask``.
"""

from celery import shared_task
from django.db.models import Max

from campaign.models import Campaign


@shared_task(name="campaign.reports.tasks.render_briefing")
def render_briefing(briefing_id):
    """Make (or remake) the PDF of one briefing; returns its path under MEDIA_ROOT."""
    from campaign.reports.services import briefing_render

    return briefing_render(briefing_id=briefing_id)


@shared_task(name="campaign.reports.tasks.make_bulletin")
def make_bulletin(campaign_id):
    """The current period's report and briefing of a campaign, PDF included; returns the PDF path."""
    from campaign.reports.models import Briefing
    from campaign.reports.services import briefing_render, bulletin_make

    campaign = Campaign.objects.select_related("county").get(pk=campaign_id)
    briefing = bulletin_make(campaign=campaign, render=False)
    Briefing.objects.filter(pk=briefing.pk).update(status=Briefing.Status.QUEUED)
    return briefing_render(briefing_id=briefing.pk)


@shared_task(name="campaign.reports.tasks.render_document")
def render_document(document_id):
    from campaign.reports.documents import document_render

    return document_render(document_id=document_id)


def current_campaigns():
    """Each county's latest campaign: the one the scheduled report is about."""
    latest = Campaign.objects.values("county_id").annotate(year=Max("year"))
    wanted = {(row["county_id"], row["year"]) for row in latest}
    return [c for c in Campaign.objects.select_related("county") if (c.county_id, c.year) in wanted]


@shared_task(name="campaign.reports.tasks.scheduled_reports")
def scheduled_reports():
    """The scheduled run: one report and one draft briefing per county for the period, PDF queued."""
    from campaign.reports.services import bulletin_make

    made = []
    for campaign in current_campaigns():
        briefing = bulletin_make(campaign=campaign)
        made.append(briefing.pk)
    return made


@shared_task(name="campaign.reports.tasks.deadline_reminders")
def deadline_reminders():
    """The weekly reminder of stage deadlines, for each county's current campaign."""
    from campaign.reports.reminders import deadline_remind

    return sum(deadline_remind(campaign=campaign) for campaign in current_campaigns())
