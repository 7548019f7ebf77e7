"""Helpers shared by the indicators' pages."""

from django.utils import timezone

from indicators.models import CollectionWindow

MIN_YEAR, MAX_YEAR = 2000, 2100


class Years:
    """The collection windows of some counties (one query), the year a page shows and the years to offer.

    The year is ``?year=`` when it is a plausible year (a bad value never fails the page), else the
    newest collection up to next year, else this year.
    """

    def __init__(self, request, county_ids):
        today = timezone.localdate()
        self.windows = list(CollectionWindow.objects.filter(county_id__in=list(county_ids)).order_by("-year"))
        raw = request.GET.get("year", "") if request is not None else ""
        if raw.isdigit() and MIN_YEAR <= int(raw) <= MAX_YEAR:
            self.year = int(raw)
        else:
            self.year = next((w.year for w in self.windows if w.year <= today.year + 1), today.year)
        self.choices = sorted({w.year for w in self.windows} | {self.year}, reverse=True)

    def window(self, county_id, year=None):
        year = year or self.year
        return next((w for w in self.windows if w.county_id == county_id and w.year == year), None)

    def trend(self, county_id, limit=5):
        """The county's years with a collection up to the year shown, oldest first."""
        years = sorted({w.year for w in self.windows if w.county_id == county_id and w.year <= self.year})
        return years[-limit:]


def default_year(county_ids):
    return Years(None, county_ids).year
