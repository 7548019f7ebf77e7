"""The demo data: every state, every kind of title and a veto; idempotent."""

import pytest
from django.core.management import call_command

from appraisal.models import Appraisal, AppraisalEvent, Title, VetoEvent
from campaign.demo.registry import find_demo_county

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_and_kind_of_title():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    county = find_demo_county()
    states = set(
        Appraisal.objects.filter(county=county, campaign__year=2026).values_list("status", flat=True)
    )
    assert states == set(Appraisal.Status.values)
    titles = Title.objects.filter(county=county)
    assert set(titles.values_list("status", flat=True)) == set(Title.Status.values)
    import datetime

    today = datetime.date(2026, 11, 22)
    assert titles.expiring_within(today, 90).exists()
    assert titles.filter(
        status=Title.Status.VALID, valid_until__gt=today + datetime.timedelta(days=90)
    ).exists()
    assert VetoEvent.objects.filter(county=county).count() == 1
    mine = Appraisal.objects.get(village__township__code="01", village__code="01", campaign__year=2026)
    assert mine.status == Appraisal.Status.DRAFT and mine.self_points
    events = AppraisalEvent.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert AppraisalEvent.objects.count() == events
