"""The demo county's sheets: two years, varied, some targets missed; seeding twice adds nothing."""

import pytest

from campaign.demo.registry import seed_registry
from indicators import demo, rollups
from indicators.models import CollectionWindow, IndicatorSheet, SheetEvent, Target
from indicators.targets import NOT_MET
from villages.models import Village

pytestmark = pytest.mark.django_db


def test_the_demo_fills_2025_and_2026_so_that_some_targets_are_missed():
    county, _created = seed_registry()
    demo.seed(county)
    assert set(CollectionWindow.objects.filter(county=county).values_list("year", flat=True)) == {2025, 2026}
    assert Target.objects.filter(county=county, year=2026).count() == 6
    villages = Village.objects.filter(township__county=county)
    last = IndicatorSheet.objects.filter(county=county, year=2025)
    assert last.count() == villages.count()
    assert not last.exclude(status="confirmed").exists()
    assert not last.filter(derived_as_of__isnull=True).exists()
    this = IndicatorSheet.objects.filter(county=county, year=2026)
    assert set(this.values_list("status", flat=True)) == {"draft", "submitted", "confirmed"}
    assert this.count() < villages.count()  # some not started
    whole, townships = rollups.county_rollup(county.pk, villages, 2026, today=None)
    assert 0 < whole.completeness.confirmed < whole.completeness.villages
    missed = [r for r in whole.results if r.state == NOT_MET]
    assert 1 <= len(missed) < len(whole.results)
    # The registry moved in June 2026: a reserve cadre left some villages; their 2025 sheets keep theirs.
    frozen_2025 = dict(last.values_list("village_id", "reserve_cadres"))
    live_2026 = {row.village_id: row.values["reserve_cadres"] for row in whole.rows}
    assert any(live_2026[v] < frozen_2025[v] for v in frozen_2025)
    # Townships at different stages, some complete, some barely started.
    percents = {t.completeness.percent for _first, t in townships}
    assert max(percents) == 100 and min(percents) < 20
    sheets, events = IndicatorSheet.objects.count(), SheetEvent.objects.count()
    demo.seed(county)
    assert (IndicatorSheet.objects.count(), SheetEvent.objects.count()) == (sheets, events)
