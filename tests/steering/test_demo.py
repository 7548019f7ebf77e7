import pytest

from campaign.steering import demo
from campaign.steering.models import SupervisionNotice, TownshipRanking
from tests import factories as f
from tests.steering import factories as sf


@pytest.mark.django_db
def test_demo_seed_makes_notices_in_every_state_and_two_years_of_ranking(world):
    for code in ("03", "04"):
        township = f.TownshipFactory(county=world.county_a, code=code)
        f.UserFactory(role="township", county=world.county_a, township=township)
    campaign = sf.campaign(world.county_a, year=2026)
    sf.appraisal(campaign, world.a1, final=80)
    sf.appraisal(campaign, world.a1v1, final=70)
    demo.seed(world.county_a)
    notices = SupervisionNotice.objects.filter(county=world.county_a)
    assert set(notices.values_list("status", flat=True)) == set(SupervisionNotice.Status.values)
    assert sum(1 for n in notices if n.is_overdue) == 1
    assert notices.filter(department__isnull=False).exists()
    years = set(TownshipRanking.objects.values_list("campaign__year", flat=True))
    assert years == {2025, 2026}
    # The township last this year was put last the year before: the two-years rule shows.
    assert TownshipRanking.objects.filter(campaign=campaign, transfer_flag=True).count() >= 1
    # Running it again changes nothing.
    demo.seed(world.county_a)
    assert SupervisionNotice.objects.filter(county=world.county_a).count() == notices.count()
