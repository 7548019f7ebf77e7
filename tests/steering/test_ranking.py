"""Classification and the township ranking against hand-computed fixtures."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from cadres.models import Position
from campaign.models import Notification
from campaign.steering import ranking, services
from campaign.steering.models import Classification, SteeringSettings, TownshipRanking
from tests import factories as f
from tests.steering import factories as sf


@pytest.mark.django_db
def test_classify_boundaries_default_and_custom(world):
    campaign = sf.campaign(world.county_a)
    defaults = services.settings_for(campaign)
    expected = {
        "90": Classification.ADVANCED,
        "89.99": Classification.AVERAGE,
        "75": Classification.AVERAGE,
        "74.99": Classification.LAGGING,
    }
    for points, cls in expected.items():
        assert ranking.classify(Decimal(points), defaults) == cls, points
    assert ranking.classify(None, defaults) is None
    custom = SteeringSettings(campaign=campaign, advanced_min=Decimal("85"), lagging_below=Decimal("70"))
    assert ranking.classify(Decimal("86"), custom) == Classification.ADVANCED
    assert ranking.classify(Decimal("72"), custom) == Classification.AVERAGE


@pytest.mark.django_db
def test_overlapping_thresholds_are_refused(world, login):
    campaign = sf.campaign(world.county_a)
    with pytest.raises(ValidationError) as error:
        services.steering_settings_update(
            campaign=campaign,
            user=world.alice,
            advanced_min=Decimal("70"),
            lagging_below=Decimal("80"),
            own_weight=50,
            villages_weight=50,
        )
    assert "lagging_below" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.steering_settings_update(
            campaign=campaign,
            user=world.alice,
            advanced_min=Decimal("90"),
            lagging_below=Decimal("75"),
            own_weight=60,
            villages_weight=60,
        )
    assert "villages_weight" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.steering_settings_update(
            campaign=campaign,
            user=world.bob,
            advanced_min=90,
            lagging_below=75,
            own_weight=50,
            villages_weight=50,
        )
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        SteeringSettings.objects.create(campaign=campaign, advanced_min=70, lagging_below=80)
    # On the page: the message beside the field, the typed values kept, nothing saved.
    response = login(world.alice).post(
        f"/steering/settings/?campaign={campaign.pk}",
        {"advanced_min": "70", "lagging_below": "80", "own_weight": "50", "villages_weight": "50"},
    )
    assert response.status_code == 200
    assert "重叠" in response.content.decode() and 'value="80"' in response.content.decode()
    assert not SteeringSettings.objects.filter(campaign=campaign).exists()
    assert login(world.leo).get(f"/steering/settings/?campaign={campaign.pk}").status_code == 403


@pytest.mark.django_db
def test_classification_lists_what_pulled_a_lagging_village_down(world, login):
    campaign = sf.campaign(world.county_a)
    lagging = sf.appraisal(campaign, world.a1v1, final="70")
    sf.appraisal(campaign, world.a1v2, final="91", stars=5)
    sf.appraisal(campaign, world.a2v1, final="80", stars=3)
    sf.appraisal(campaign, world.a1, final="88")
    grid = sf.county_gaps(lagging, {(0, 0): 1, (1, 0): 4, (1, 1): 3, (2, 0): 5}, world.alice)
    rows = {r.name: r for r in ranking.classification_for(sf.Appraisal.objects.all(), campaign)}
    assert {n: r.classification for n, r in rows.items()} == {
        "东村": Classification.LAGGING,
        "西村": Classification.ADVANCED,
        "南村": Classification.AVERAGE,
        "甲一镇": Classification.AVERAGE,
    }
    east = rows["东村"]
    assert east.weak_stars == [(grid[1][0].star.name, Decimal("7")), (grid[2][0].star.name, Decimal("5"))]
    assert east.weak_indicators == [
        (grid[2][0].text, Decimal("5")),
        (grid[1][0].text, Decimal("4")),
        (grid[1][1].text, Decimal("3")),
    ]
    assert rows["西村"].weak_stars == []
    page = login(world.alice).get(f"/steering/classification/?campaign={campaign.pk}&class=lagging")
    body = page.content.decode()
    assert f'data-appraisal-id="{lagging.pk}"' in body and grid[2][0].star.name in body
    assert 'data-class="advanced"' not in body


@pytest.mark.django_db
def test_classification_counts_match(world):
    campaign = sf.campaign(world.county_a)
    sf.appraisal(campaign, world.a1v1, final="70")
    sf.appraisal(campaign, world.a1v2, final="95")
    sf.appraisal(campaign, world.a2v1, final="76")
    sf.appraisal(campaign, world.a2, final="60")
    counts = ranking.classification_counts(sf.Appraisal.objects.all(), campaign)
    assert counts == {
        "township": {"advanced": 0, "average": 0, "lagging": 1},
        "village": {"advanced": 1, "average": 1, "lagging": 1},
    }


@pytest.fixture
def four(world):
    """County A plus two more townships: T1=a1, T2=a2, T3, T4, each with villages."""
    t3 = f.TownshipFactory(county=world.county_a, code="03", name="甲三镇")
    t4 = f.TownshipFactory(county=world.county_a, code="04", name="甲四镇")
    t3v1 = f.VillageFactory(township=t3, code="001", name="三村")
    t4v1 = f.VillageFactory(township=t4, code="001", name="四村")
    return world, t3, t4, t3v1, t4v1


def results(campaign, world, t3, t4, t3v1, t4v1, table):
    """table: {township: (own or None, [village finals])} with villages taken in order."""
    villages = {world.a1: [world.a1v1, world.a1v2], world.a2: [world.a2v1], t3: [t3v1], t4: [t4v1]}
    for township, (own, finals) in table.items():
        if own is not None:
            sf.appraisal(campaign, township, final=own)
        for village, final in zip(villages[township], finals, strict=False):
            sf.appraisal(campaign, village, final=final)


@pytest.mark.django_db
def test_ranking_hand_computed(four):
    world, t3, t4, t3v1, t4v1 = four
    campaign = sf.campaign(world.county_a)
    results(
        campaign,
        *four,
        {
            world.a1: ("92", ["88", "90"]),  # 0.5×92 + 0.5×89 = 90.50
            world.a2: ("80", ["73"]),  # 76.50
            t3: ("85", ["95"]),  # 90.00
            t4: (None, ["60"]),  # no own result: 0 + 30 = 30.00
        },
    )
    f.TownshipFactory(county=world.county_a, code="05", name="甲五镇")  # no result at all: not ranked
    rows = ranking.ranking_compute(campaign=campaign, user=world.alice)
    table = {r.township.name: (r.rank, r.score, r.bottom_two, r.villages_mean) for r in rows}
    assert table == {
        "甲一镇": (1, Decimal("90.50"), False, Decimal("89.00")),
        "甲三镇": (2, Decimal("90.00"), False, Decimal("95.00")),
        "甲二镇": (3, Decimal("76.50"), True, Decimal("73.00")),
        "甲四镇": (4, Decimal("30.00"), True, Decimal("60.00")),
    }
    assert TownshipRanking.objects.filter(campaign=campaign).count() == 4
    assert not any(r.transfer_flag for r in rows)

    # Weights are a campaign setting: 70% own + 30% villages.
    services.steering_settings_update(
        campaign=campaign,
        user=world.alice,
        advanced_min=90,
        lagging_below=75,
        own_weight=70,
        villages_weight=30,
    )
    rows = ranking.ranking_compute(campaign=campaign, user=world.alice)
    assert [(r.township.name, r.score) for r in sorted(rows, key=lambda r: r.rank)] == [
        ("甲一镇", Decimal("91.10")),
        ("甲三镇", Decimal("88.00")),
        ("甲二镇", Decimal("77.90")),
        ("甲四镇", Decimal("18.00")),
    ]
    assert TownshipRanking.objects.filter(campaign=campaign).count() == 4  # replaced, not added


def test_bottom_two_keeps_ties_together():
    assert ranking._bottom_two({1: 90, 2: 80, 3: 70, 4: 60}) == {3, 4}
    assert ranking._bottom_two({1: 90, 2: 70, 3: 70, 4: 70}) == {2, 3, 4}
    assert ranking._bottom_two({1: 90, 2: 80, 3: 60, 4: 60}) == {3, 4}


@pytest.mark.django_db
def test_bottom_two_years_running_flags_the_organization_member(four, login):
    world, t3, t4, t3v1, t4v1 = four
    old_member = f.CadreFactory(village=None, township=t4, county=world.county_a, name="前任组织委员")
    f.PositionFactory(
        cadre=old_member,
        kind=Position.Kind.ORGANIZATION_MEMBER,
        village=None,
        township=t4,
        end_date=datetime.date(2024, 12, 31),
        start_date=datetime.date(2020, 1, 1),
    )
    member = f.CadreFactory(village=None, township=t4, county=world.county_a, name="张组织委员")
    f.PositionFactory(
        cadre=member,
        kind=Position.Kind.ORGANIZATION_MEMBER,
        village=None,
        township=t4,
        start_date=datetime.date(2025, 1, 1),
    )
    last_year = sf.campaign(world.county_a, year=2025)
    results(
        last_year,
        *four,
        {world.a1: ("70", ["70", "70"]), world.a2: ("90", ["90"]), t3: ("88", ["88"]), t4: ("60", ["60"])},
    )
    before = ranking.ranking_compute(campaign=last_year, user=world.alice)
    assert {r.township.name for r in before if r.bottom_two} == {"甲一镇", "甲四镇"}

    this_year = sf.campaign(world.county_a, year=2026)
    results(
        this_year,
        *four,
        {world.a1: ("92", ["88", "90"]), world.a2: ("80", ["73"]), t3: ("85", ["95"]), t4: (None, ["60"])},
    )
    rows = {r.township.name: r for r in ranking.ranking_compute(campaign=this_year, user=world.alice)}
    assert {n for n, r in rows.items() if r.transfer_flag} == {"甲四镇"}  # 甲二镇 only once, 甲一镇 not now
    assert rows["甲四镇"].organization_member == member and rows["甲四镇"].previous_rank == 4
    assert Notification.objects.filter(user=world.alice, key__startswith="ranking-transfer:").count() == 1

    # Shown to county administrators with the evidence; not to the county leader.
    page = login(world.alice).get(f"/steering/ranking/?campaign={this_year.pk}").content.decode()
    assert 'data-testid="transfer-evidence"' in page and "张组织委员" in page
    page = login(world.leo).get(f"/steering/ranking/?campaign={this_year.pk}").content.decode()
    assert "transfer-evidence" not in page and "张组织委员" not in page and "甲四镇" in page
    assert login(world.leo).post("/steering/ranking/compute/", {"campaign": this_year.pk}).status_code == 403
    with pytest.raises(PermissionDenied):
        ranking.ranking_compute(campaign=this_year, user=world.bob)
