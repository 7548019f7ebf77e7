"""Every registry list runs a fixed number of queries, whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Position
from tests import factories as f

# Pinned counts per list page, as the county administrator. Fixed overhead: the
# request's savepoint pair (ATOMIC_REQUESTS), session, user, notifications badge,
# the user's county in the navigation; then count and page, the list's prefetches
# and the filter's choice list of townships.
PINNED = {
    "villages:township_list": 8,
    "villages:village_list": 10,
    "villages:department_list": 8,
    "villages:party_org_list": 9,
    "cadres:cadre_list": 10,
    "cadres:position_list": 10,  # ids first, then the page's rows (see list_page)
}


def grow(world, n):
    """Add ``n`` of everything to county A: townships, villages with organizations and office holders."""
    for i in range(n):
        township = f.TownshipFactory(county=world.county_a)
        village = f.VillageFactory(township=township if i % 2 else world.a1)
        f.PartyOrganizationFactory(village=village)
        f.DepartmentFactory(county=world.county_a)
        secretary = f.CadreFactory(village=village)
        f.PositionFactory(cadre=secretary, kind=Position.Kind.SECRETARY)
        f.PositionFactory(cadre=secretary, kind=Position.Kind.DIRECTOR)
        f.PositionFactory(cadre=f.CadreFactory(village=village), kind=Position.Kind.RESERVE_CADRE)


def count_queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(PINNED))
def test_list_query_count_does_not_grow_with_rows(world, client, django_assert_max_num_queries, url_name):
    client.force_login(world.alice)
    url = reverse(url_name)
    grow(world, 3)
    small = count_queries(client, url, {})
    with django_assert_max_num_queries(PINNED[url_name]):
        client.get(url)
    grow(world, 40)  # more than a page
    large = count_queries(client, url, {})
    with django_assert_max_num_queries(PINNED[url_name]):
        client.get(url)
    assert small == large
    # Filtering and the second page cost no more.
    filtered = {"q": "村", "page": 2}
    if url_name != "villages:township_list":
        filtered["township"] = world.a1.pk
    with django_assert_max_num_queries(PINNED[url_name] + 1):
        client.get(url, filtered)


def grow_inside(world, n):
    """Add ``n`` cadres with positions to village A1v1 and to department Ad1, and ``n`` villages to A1."""
    for _ in range(n):
        f.PositionFactory(cadre=f.CadreFactory(village=world.a1v1), kind=Position.Kind.RESERVE_CADRE)
        f.CadreFactory(village=None, township=None, county=world.county_a, department=world.ad1)
        village = f.VillageFactory(township=world.a1)
        f.PositionFactory(cadre=f.CadreFactory(village=village), kind=Position.Kind.SECRETARY)
        f.PartyOrganizationFactory(village=village)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name,obj",
    [
        ("villages:township_detail", "a1"),
        ("villages:village_detail", "a1v1"),
        ("villages:department_detail", "ad1"),
    ],
)
def test_detail_query_count_does_not_grow_with_rows(world, client, url_name, obj):
    client.force_login(world.alice)
    url = reverse(url_name, args=[getattr(world, obj).pk])
    grow_inside(world, 2)
    small = count_queries(client, url, {})
    grow_inside(world, 12)
    assert count_queries(client, url, {}) == small
