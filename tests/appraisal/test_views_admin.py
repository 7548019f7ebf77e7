"""County pages: campaigns and rubrics, vetoes, titles, surveys; township and department tracks by role."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from appraisal import services
from appraisal.models import Appraisal, Indicator, Objection, Rubric, Title, VetoEvent
from campaign.models import Campaign
from tests.appraisal import factories as af

S = Appraisal.Status
PERSONAS = ["alice", "olga", "leo", "tom", "vera", "dora", "carl", "bob"]


def _try(fn):
    try:
        fn()
    except PermissionDenied:
        return False
    return True


def test_township_and_department_tracks_by_role(world, campaign):
    """Submit, return and re-check of a township's and a department's own report, as every persona."""
    for subject, owner, checkers in (
        (world.a1, "tom", {"alice", "olga"}),
        (world.ad1, "dora", {"alice", "olga"}),
    ):
        appraisal = af.start(campaign, subject)
        scores = af.full_scores(appraisal)
        allowed = set()
        for persona in PERSONAS:
            user = getattr(world, persona)
            if _try(lambda u=user: services.appraisal_save_self(appraisal=appraisal, user=u, scores=scores)):
                allowed.add(persona)
        assert allowed == {owner}
        services.appraisal_submit(appraisal=appraisal, user=getattr(world, owner))
        for persona in sorted(set(PERSONAS) - checkers):
            user = getattr(world, persona)
            with pytest.raises(PermissionDenied):
                services.appraisal_county_recheck(appraisal=appraisal, user=user, scores=scores)
            assert af.reload(appraisal).status == S.SUBMITTED, persona
        checker = getattr(world, sorted(checkers)[-1])  # olga: her area's township, the county's departments
        services.appraisal_county_recheck(appraisal=appraisal, user=checker, scores=scores)
        assert af.reload(appraisal).status == S.RECHECKED


def test_upheld_objection_can_end_the_appraisal(world, campaign):
    kw = dict(secretary=world.vera, township_user=world.tom, county_admin=world.alice)
    appraisal = af.drive(af.start(campaign, world.a1v1), S.PUBLICIZED, **kw)
    objection = services.objection_record(
        appraisal=appraisal, user=world.alice, received_on=datetime.date(2026, 6, 2), content="弄虚作假"
    )
    with pytest.raises(PermissionDenied):
        services.objection_handle(objection=objection, user=world.tom, outcome="upheld_end", handling="x")
    services.objection_handle(objection=objection, user=world.alice, outcome="upheld_end", handling="查实")
    assert af.reload(appraisal).status == S.NOT_RECOMMENDED
    assert Objection.objects.get().handled_by == world.alice


def test_campaign_and_rubric_pages(world, login):
    client = login(world.alice)
    response = client.post(
        reverse("appraisal:campaign_create"),
        {"year": "1999", "name": "旧年度", "notice_working_days": 5, "title_validity_years": 3},
    )
    assert response.status_code == 400 and "year" in response.context["form"].errors
    assert response.context["form"]["name"].value() == "旧年度"
    response = client.post(
        reverse("appraisal:campaign_create"),
        {
            "year": "2027",
            "name": "2027年度三级联创",
            "notice_working_days": 5,
            "title_validity_years": 3,
            "five_star_cap_percent": 10,
        },
    )
    campaign = Campaign.objects.get(year=2027)
    assert campaign.county == world.county_a
    client.post(reverse("appraisal:campaign_action", args=[campaign.pk]), {"action": "seed"})
    assert Rubric.objects.filter(campaign=campaign).count() == 3
    rubric = Rubric.objects.get(campaign=campaign, track="village")
    indicator = Indicator.objects.filter(star__rubric=rubric).first()
    url = reverse("appraisal:indicator_edit", args=[indicator.star_id, indicator.pk])
    response = client.post(url, {"text": indicator.text, "max_points": "6", "feed": "manual", "order": 1})
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.max_points == Decimal(6)
    # Opening the round creates a draft for every subject.
    client.post(reverse("appraisal:campaign_action", args=[campaign.pk]), {"action": "open"})
    assert Appraisal.objects.filter(campaign=campaign).count() == 3 + 2 + 2
    # Others may read but not write; another county's administrator does not see it.
    assert login(world.leo).get(reverse("appraisal:campaign_detail", args=[campaign.pk])).status_code == 200
    assert login(world.tom).get(reverse("appraisal:campaign_create")).status_code == 403
    assert login(world.bob).get(reverse("appraisal:campaign_detail", args=[campaign.pk])).status_code == 404
    assert (
        login(world.bob)
        .post(reverse("appraisal:campaign_action", args=[campaign.pk]), {"action": "open"})
        .status_code
        == 404
    )


def test_frozen_rubric_page_and_copy_forward(world, campaign, login):
    af.submitted(campaign, world.a1v1, world.vera)
    rubric = Rubric.objects.get(campaign=campaign, track="village")
    client = login(world.alice)
    page = client.get(reverse("appraisal:rubric_detail", args=[rubric.pk]))
    assert page.context["editable"] is False and page.context["can_version"] is True
    star = rubric.stars.first()
    response = client.post(
        reverse("appraisal:indicator_create", args=[star.pk]),
        {"text": "新指标", "max_points": "1", "feed": "manual", "order": 9},
    )
    assert response.status_code == 400 and not Indicator.objects.filter(text="新指标").exists()
    response = client.post(reverse("appraisal:rubric_version", args=[rubric.pk]))
    new = Rubric.objects.get(campaign=campaign, track="village", version=2)
    assert response["Location"] == reverse("appraisal:rubric_detail", args=[new.pk])
    nxt = Campaign.objects.create(county=world.county_a, year=2027, name="2027年度三级联创")
    client.post(
        reverse("appraisal:campaign_action", args=[nxt.pk]), {"action": "copy", "source": campaign.pk}
    )
    copied = Rubric.objects.get(campaign=nxt, track="village")
    assert copied.version == 1 and not copied.frozen
    assert (
        Indicator.objects.filter(star__rubric=copied).count()
        == Indicator.objects.filter(star__rubric=new).count()
    )


def test_veto_page(world, campaign, login):
    appraisal = af.start(campaign, world.a1v2)
    data = {
        "subject": f"village:{world.a1v2.pk}",
        "kind": "safety_accident",
        "occurred_on": "2026-05-01",
        "description": "重大安全事故",
    }
    assert login(world.tom).post(reverse("appraisal:veto_create"), data).status_code == 403
    response = login(world.alice).post(reverse("appraisal:veto_create"), {**data, "description": ""})
    assert response.status_code == 400 and response.context["form"].errors
    assert not VetoEvent.objects.exists()
    login(world.alice).post(reverse("appraisal:veto_create"), data)
    assert af.reload(appraisal).status == S.VETOED
    # Another county's subject is not offered, and not accepted.
    response = login(world.alice).post(
        reverse("appraisal:veto_create"), {**data, "subject": f"village:{world.b1v1.pk}"}
    )
    assert response.status_code == 400 and VetoEvent.objects.count() == 1


def test_title_pages_revoke_and_withdraw(world, campaign, login):
    title = af.TitleFactory(village=world.a1v1, campaign=campaign)
    withdraw = reverse("appraisal:title_withdraw_star", args=[title.pk])
    revoke = reverse("appraisal:title_revoke", args=[title.pk])
    assert (
        login(world.tom)
        .post(withdraw, {"star": "feedback", "reason": "x", "effective_on": "2026-08-01"})
        .status_code
        == 403
    )
    assert login(world.bob).post(revoke, {"reason": "x", "revoked_on": "2026-08-01"}).status_code == 404
    client = login(world.alice)
    response = client.post(withdraw, {"star": "feedback", "reason": "", "effective_on": "2026-08-01"})
    assert response.status_code == 400 and af.reload(title).star_count == 5
    client.post(withdraw, {"star": "feedback", "reason": "群众反映差", "effective_on": "2026-08-01"})
    assert af.reload(title).star_count == 4
    client.post(revoke, {"reason": "严重违纪", "revoked_on": "2026-09-01"})
    title = af.reload(title)
    assert title.status == Title.Status.REVOKED and title.revoked_on == datetime.date(2026, 9, 1)
    page = client.get(reverse("appraisal:title_detail", args=[title.pk])).content.decode()
    assert "严重违纪" in page and "群众反映差" in page


def test_survey_page(world, campaign, login):
    appraisal = af.start(campaign, world.a1v1)
    url = reverse("appraisal:survey_record", args=[appraisal.pk])
    data = {
        "surveyed_on": "2026-05-01",
        "satisfied": 40,
        "fairly_satisfied": 20,
        "basically_satisfied": 30,
        "dissatisfied": 10,
    }
    assert login(world.vera).post(url, data).status_code == 403
    assert login(world.bob).post(url, data).status_code == 404
    response = login(world.tom).post(
        url, {**data, "satisfied": 0, "fairly_satisfied": 0, "basically_satisfied": 0, "dissatisfied": 0}
    )
    assert response.status_code == 400
    login(world.tom).post(url, data)
    assert af.reload(appraisal).satisfaction_rate == Decimal("60.0")


def test_township_queue_puts_what_waits_first(world, campaign, login):
    secretary2 = af.f.UserFactory(
        role="village", county=world.county_a, township=world.a1, village=world.a1v2
    )
    af.start(campaign, world.a1v1)
    waiting = af.submitted(campaign, world.a1v2, secretary2)
    rows = list(login(world.tom).get(reverse("appraisal:township_queue")).context["page_obj"])
    assert rows[0].pk == waiting.pk and len(rows) == 2


def test_approval_page_warns_above_the_five_star_cap(world, campaign, login):
    kw = dict(secretary=world.vera, township_user=world.tom, county_admin=world.alice)
    appraisal = af.drive(af.start(campaign, world.a1v1), S.PUBLICIZED, **kw)
    assert appraisal.star_count == 5
    page = login(world.leo).get(reverse("appraisal:approval"))
    # One of the county's three villages is 33% > 10%.
    cap = [w["text"] for w in page.context["warnings"] if w["key"] == "cap"]
    assert cap and "10%" in cap[0]
    assert 'data-testid="warning-cap"' in page.content.decode()
    campaign.five_star_cap_percent = 50
    campaign.save()
    page = login(world.leo).get(reverse("appraisal:approval"))
    assert not [w for w in page.context["warnings"] if w["key"] == "cap"]
