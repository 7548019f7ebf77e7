"""Every page as every persona: who gets it (200), who is refused (403), who gets 404 (outsiders)."""

import datetime

import pytest
from django.urls import reverse

from appraisal import services
from appraisal.models import Appraisal
from tests.appraisal import factories as af

S = Appraisal.Status
PERSONAS = ["alice", "olga", "leo", "tom", "vera", "dora", "carl", "bob"]

LIST_PAGES = {
    # url name: personas that may open it (the others get 403)
    "appraisal:township_queue": {"tom"},
    "appraisal:recheck_queue": {"alice", "olga", "bob"},
    "appraisal:approval": {"leo", "alice", "bob"},
    "appraisal:appraisal_list": {"alice", "olga", "leo", "carl", "bob"},
    "appraisal:notice_list": {"alice", "olga", "leo", "bob"},
    "appraisal:title_list": set(PERSONAS),
    "appraisal:veto_list": {"alice", "olga", "leo", "bob"},
    "appraisal:rating_list": {"tom", "vera", "dora", "alice", "bob"},
    "appraisal:campaign_list": {"alice", "olga", "leo", "bob"},
}


@pytest.fixture
def busy(world, campaign, campaign_b):
    """Appraisals of county A in several states, a title, a notice; one appraisal in county B."""
    kw = dict(secretary=world.vera, township_user=world.tom, county_admin=world.alice, leader=world.leo)
    publicized = af.drive(af.start(campaign, world.a1v1), S.PUBLICIZED, **kw)
    a2 = af.start(campaign, world.a2v1)
    own = af.start(campaign, world.a1)
    dept = af.start(campaign, world.ad1)
    other = af.start(campaign_b, world.b1v1)
    title = af.TitleFactory(village=world.a1v2, campaign=campaign)
    return dict(publicized=publicized, a2=a2, own=own, dept=dept, other=other, title=title)


@pytest.mark.parametrize("url_name", sorted(LIST_PAGES))
def test_list_pages_by_role(world, busy, login, url_name):
    codes = {
        persona: login(getattr(world, persona)).get(reverse(url_name)).status_code for persona in PERSONAS
    }
    assert codes == {p: 200 if p in LIST_PAGES[url_name] else 403 for p in PERSONAS}


def test_anonymous_users_go_to_login(client, busy):
    for url_name in LIST_PAGES:
        response = client.get(reverse(url_name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


DETAIL_VISIBLE = {
    # appraisal key: personas that see it (others: 404)
    "publicized": {"alice", "olga", "leo", "tom", "vera", "carl"},
    "a2": {"alice", "leo", "carl"},
    "own": {"alice", "olga", "leo", "tom", "carl"},
    "dept": {"alice", "olga", "leo", "dora", "carl"},
    "other": {"bob", "carl"},
}


@pytest.mark.parametrize("key", sorted(DETAIL_VISIBLE))
def test_appraisal_detail_scope(world, busy, login, key):
    url = reverse("appraisal:appraisal_detail", args=[busy[key].pk])
    codes = {persona: login(getattr(world, persona)).get(url).status_code for persona in PERSONAS}
    assert codes == {p: 200 if p in DETAIL_VISIBLE[key] else 404 for p in PERSONAS}


def test_appraisal_list_shows_exactly_the_scope(world, busy, login):
    for persona in ("alice", "olga", "leo", "carl", "bob"):
        response = login(getattr(world, persona)).get(reverse("appraisal:appraisal_list"))
        shown = {a.pk for a in response.context["page_obj"]}
        campaign = response.context["campaign"]
        expected = {
            v.pk
            for k, v in busy.items()
            if k != "title" and persona in DETAIL_VISIBLE[k] and v.campaign_id == campaign.pk
        }
        assert shown == expected, persona


def test_title_list_scope_and_filters(world, busy, login):
    today = datetime.date.today()
    soon = af.TitleFactory(
        village=world.a1v1, campaign=busy["title"].campaign, valid_until=today + datetime.timedelta(days=30)
    )
    far = af.TitleFactory(
        village=world.a2v1, campaign=busy["title"].campaign, valid_until=today + datetime.timedelta(days=400)
    )
    outsider = af.TitleFactory(village=world.b1v1, campaign=af.CampaignFactory(county=world.county_b))
    client = login(world.tom)
    ids = {t.pk for t in client.get(reverse("appraisal:title_list")).context["page_obj"]}
    assert soon.pk in ids and far.pk not in ids and outsider.pk not in ids
    client = login(world.alice)
    ids = {t.pk for t in client.get(reverse("appraisal:title_list") + "?state=expiring").context["page_obj"]}
    assert ids == {soon.pk}
    services.title_revoke(title=far, user=world.alice, reason="x")
    ids = {t.pk for t in client.get(reverse("appraisal:title_list") + "?state=revoked").context["page_obj"]}
    assert ids == {far.pk}
    assert client.get(reverse("appraisal:title_detail", args=[outsider.pk])).status_code == 404


def test_village_secretary_lands_on_its_appraisal(world, campaign, login):
    client = login(world.vera)
    response = client.get("/", follow=True)
    appraisal = Appraisal.objects.get(village=world.a1v1, campaign=campaign)
    assert response.redirect_chain[-1][0] == reverse("appraisal:self_report", args=[appraisal.pk])
    assert "preview" in response.context and response.status_code == 200


def test_village_secretary_without_a_campaign_sees_why(world, login):
    response = login(world.vera).get("/", follow=True)
    assert response.status_code == 200
    assert "no_campaign" in response.templates[0].name


def test_city_viewer_picks_each_county_campaign(world, busy, login, campaign, campaign_b):
    client = login(world.carl)
    shown_b = client.get(reverse("appraisal:appraisal_list") + f"?campaign={campaign_b.pk}").context[
        "page_obj"
    ]
    assert {a.pk for a in shown_b} == {busy["other"].pk}
    shown_a = client.get(reverse("appraisal:appraisal_list") + f"?campaign={campaign.pk}").context["page_obj"]
    assert busy["other"].pk not in {a.pk for a in shown_a} and len(shown_a) == 4
    # Another county's campaign id falls back to the administrator's own current campaign.
    alice = login(world.alice).get(reverse("appraisal:appraisal_list") + f"?campaign={campaign_b.pk}")
    assert alice.context["campaign"] == campaign
    assert busy["other"].pk not in {a.pk for a in alice.context["page_obj"]}


def test_pages_in_english(world, busy, login, settings):
    client = login(world.vera)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("appraisal:appraisal_detail", args=[busy["publicized"].pk])).content.decode()
    assert "History" in page and "under public notice" in page
    client = login(world.tom)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("appraisal:township_queue")).content.decode()
    assert "Work queue" in page and "待办" not in page
