"""The figures of a progress report, computed from the campaign's current state.

The result is plain JSON (stored in ``ProgressReport.data``), so a report
stays as it was when taken, whatever happens to the rows afterwards.
"""

from django.db.models import Count
from django.utils import timezone

from villages.models import Township

DATA_VERSION = 1


def _registry(campaign):
    townships = list(
        Township.objects.filter(county_id=campaign.county_id)
        .annotate(village_count=Count("villages", distinct=True))
        .order_by("code", "id")
    )
    return townships


def _date_label(day):
    return f"{day.year}年{day.month}月{day.day}日"


def build_report_data(campaign, *, now=None, previous=None):
    now = now or timezone.now()
    townships = _registry(campaign)
    data = {
        "version": DATA_VERSION,
        "campaign": {
            "id": campaign.pk,
            "name": campaign.name,
            "year": campaign.year,
            "county": campaign.county.name,
        },
        "taken_at": now.isoformat(),
        "taken_on_label": _date_label(timezone.localdate(now)),
        "townships": [
            {"id": t.pk, "name": t.name, "villages": t.village_count, "subjects": 0, "by_stage": {}}
            for t in townships
        ],
        "county": {"townships": len(townships), "villages": sum(t.village_count for t in townships)},
    }
    if previous is not None:
        data["previous"] = {"id": previous.pk, "period": previous.period}
    return data
