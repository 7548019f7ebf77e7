import pytest

from tests.appraisal import factories as af


@pytest.fixture
def campaign(world):
    """County A's 2026 campaign with the default rubrics."""
    return af.campaign_with_rubrics(world.county_a)


@pytest.fixture
def campaign_b(world):
    return af.campaign_with_rubrics(world.county_b)


@pytest.fixture
def tom2(world):
    """A second township user, of A2."""
    from campaign.roles import Role
    from tests import factories as f

    return f.UserFactory(username="tom2", role=Role.TOWNSHIP, county=world.county_a, township=world.a2)
