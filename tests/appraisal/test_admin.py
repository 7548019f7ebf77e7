"""The appraisal models in the admin: county administrators read their county's rows, nobody writes."""

import re

import pytest
from django.urls import reverse

from appraisal.models import Appraisal, AppraisalEvent, PublicNotice, Rubric, Score, Title, TitleEvent
from campaign.roles import Role
from tests import factories as f
from tests.appraisal import factories as af

S = Appraisal.Status
# How each model reaches its county, to compute the expected rows independently of the admin.
COUNTY_OF = {
    Rubric: "campaign__county",
    Appraisal: "county",
    Score: "appraisal__county",
    AppraisalEvent: "appraisal__county",
    PublicNotice: "campaign__county",
    Title: "county",
    TitleEvent: "title__county",
}


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _changelist_ids(client, model):
    response = client.get(_url(model, "changelist"))
    assert response.status_code == 200, model
    opts = model._meta
    return {
        int(i)
        for i in re.findall(
            rf"/admin/{opts.app_label}/{opts.model_name}/(\d+)/change/", response.content.decode()
        )
    }


def _rows(model, county):
    return set(model.objects.filter(**{COUNTY_OF[model]: county}).values_list("id", flat=True))


@pytest.fixture
def named(world, campaign, campaign_b):
    """An approved (titled) village in each county, and a draft in A."""
    b_secretary = f.UserFactory(
        username="bvera", role=Role.VILLAGE, county=world.county_b, township=world.b1, village=world.b1v1
    )
    b_township = f.UserFactory(username="btom", role=Role.TOWNSHIP, county=world.county_b, township=world.b1)
    b_leader = f.UserFactory(username="bleo", role=Role.COUNTY_LEADER, county=world.county_b)
    people_a = dict(secretary=world.vera, township_user=world.tom, county_admin=world.alice, leader=world.leo)
    people_b = dict(secretary=b_secretary, township_user=b_township, county_admin=world.bob, leader=b_leader)
    af.drive(af.start(campaign, world.a1v1), S.APPROVED, **people_a)
    af.drive(af.start(campaign_b, world.b1v1), S.APPROVED, **people_b)
    af.start(campaign, world.a1v2)


def test_county_admins_read_exactly_their_county(world, named, client):
    for model in COUNTY_OF:
        a, b = _rows(model, world.county_a), _rows(model, world.county_b)
        assert a and b and not a & b, model  # both counties have rows: the test has teeth
        for persona, mine, theirs in (("alice", a, b), ("bob", b, a)):
            client.force_login(getattr(world, persona))
            assert _changelist_ids(client, model) == mine, (persona, model)
            assert client.get(_url(model, "change", min(mine))).status_code == 200
            # Another county's row "does not exist": the admin sends back to its index.
            assert client.get(_url(model, "change", min(theirs))).status_code == 302, (persona, model)


def test_nobody_writes_appraisals_through_the_admin(world, named, client):
    superuser = f.UserFactory(username="root", is_superuser=True, is_staff=True, role=Role.COUNTY_ADMIN)
    appraisal = Appraisal.objects.get(village=world.a1v1)
    for user in (world.alice, superuser):
        client.force_login(user)
        assert client.get(_url(Appraisal, "add")).status_code == 403
        page = client.get(_url(Appraisal, "change", appraisal.pk)).content.decode()
        assert 'name="_save"' not in page and 'class="deletelink"' not in page
        response = client.post(
            _url(Appraisal, "change", appraisal.pk), {"status": S.DRAFT, "final_points": "0"}
        )
        assert response.status_code == 403
        assert client.post(_url(Appraisal, "delete", appraisal.pk), {"post": "yes"}).status_code == 403
        client.post(
            _url(Title, "changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [t.pk for t in Title.objects.all()],
                "post": "yes",
            },
        )
        assert Title.objects.count() == 2
    assert af.reload(appraisal).status == S.APPROVED
    # The superuser reads both counties.
    assert _changelist_ids(client, Appraisal) == set(Appraisal.objects.values_list("id", flat=True))


@pytest.mark.parametrize("persona", ["olga", "leo", "tom", "vera", "dora", "carl"])
def test_other_roles_have_no_appraisal_admin(world, named, client, persona):
    client.force_login(getattr(world, persona))
    response = client.get(_url(Appraisal, "changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("villages", [2, 12])
def test_admin_changelists_query_count_is_flat(
    world, campaign, client, django_assert_max_num_queries, villages
):
    for n in range(villages):
        af.start(campaign, f.VillageFactory(township=world.a1, code=f"9{n:02d}"))
    client.force_login(world.alice)
    for model in (Appraisal, AppraisalEvent, Title):
        with django_assert_max_num_queries(10):
            assert client.get(_url(model, "changelist")).status_code == 200
