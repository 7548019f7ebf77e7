"""The state machine: every transition as every persona, no path around a check, tiers kept."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from appraisal import services
from appraisal.models import Appraisal, AppraisalEvent, Score, Title, TitleEvent, VetoEvent
from tests.appraisal import factories as af

S = Appraisal.Status
PERSONAS = ["alice", "olga", "leo", "tom", "vera", "dora", "carl", "bob"]


def _people(world):
    return {name: getattr(world, name) for name in PERSONAS}


def _at(world, campaign, status):
    appraisal = af.start(campaign, world.a1v1)
    return af.drive(
        appraisal,
        status,
        secretary=world.vera,
        township_user=world.tom,
        county_admin=world.alice,
        leader=world.leo,
    )


def _attempt(name, appraisal, user, campaign):
    scores = af.full_scores(appraisal)
    if name == "submit":
        return services.appraisal_submit(appraisal=appraisal, user=user)
    if name == "return_submitted" or name == "return_recheck":
        return services.appraisal_return(appraisal=appraisal, user=user, reason="evidence missing")
    if name == "township_check":
        return services.appraisal_township_check(appraisal=appraisal, user=user, scores=scores)
    if name == "request_recheck":
        return services.appraisal_request_recheck(appraisals=[appraisal], user=user)
    if name == "county_recheck":
        return services.appraisal_county_recheck(appraisal=appraisal, user=user, scores=scores)
    if name == "notice":
        return services.public_notice_open(
            campaign=campaign,
            appraisals=[appraisal],
            user=user,
            starts_on=datetime.date(2026, 6, 1),
            today=datetime.date(2026, 6, 1),
        )
    if name == "approve":
        return services.appraisal_approve(appraisals=[appraisal], user=user, today=datetime.date(2026, 7, 1))
    raise AssertionError(name)


TRANSITIONS = [
    # (transition, state before, state after, personas allowed)
    ("submit", S.DRAFT, S.SUBMITTED, {"vera", "tom"}),  # tom: the township fills in for its village
    ("return_submitted", S.SUBMITTED, S.DRAFT, {"tom"}),
    ("township_check", S.SUBMITTED, S.TOWNSHIP_CHECKED, {"tom"}),
    ("request_recheck", S.TOWNSHIP_CHECKED, S.RECHECK_REQUESTED, {"tom"}),
    ("return_recheck", S.RECHECK_REQUESTED, S.SUBMITTED, {"alice", "olga"}),
    ("county_recheck", S.RECHECK_REQUESTED, S.RECHECKED, {"alice", "olga"}),
    ("notice", S.RECHECKED, S.PUBLICIZED, {"alice"}),
    ("approve", S.PUBLICIZED, S.APPROVED, {"leo"}),
]


@pytest.mark.parametrize("transition,before,after,allowed", TRANSITIONS, ids=[t[0] for t in TRANSITIONS])
@pytest.mark.parametrize("persona", PERSONAS)
def test_village_transition_as_every_persona(world, campaign, transition, before, after, allowed, persona):
    appraisal = _at(world, campaign, before)
    if transition == "submit":
        # A draft is complete once self-scored; driving to DRAFT leaves it empty.
        services.appraisal_save_self(appraisal=appraisal, user=world.vera, scores=af.full_scores(appraisal))
    user = _people(world)[persona]
    events_before = AppraisalEvent.objects.filter(appraisal=appraisal).count()
    if persona in allowed:
        _attempt(transition, appraisal, user, campaign)
        assert af.reload(appraisal).status == after
        event = AppraisalEvent.objects.filter(appraisal=appraisal).latest("id")
        assert (event.actor, event.from_status, event.to_status) == (user, before, after)
    else:
        with pytest.raises(PermissionDenied):
            _attempt(transition, appraisal, user, campaign)
        assert af.reload(appraisal).status == before
        assert AppraisalEvent.objects.filter(appraisal=appraisal).count() == events_before


# Every (transition, state) pair that the diagram does not allow is refused as "changed".
WRONG_STATES = [
    (name, state)
    for name, before, _after, _allowed in TRANSITIONS
    for state in (
        S.DRAFT,
        S.SUBMITTED,
        S.TOWNSHIP_CHECKED,
        S.RECHECK_REQUESTED,
        S.RECHECKED,
        S.PUBLICIZED,
        S.APPROVED,
    )
    if state != before and not (name.startswith("return") and state in (S.SUBMITTED, S.RECHECK_REQUESTED))
]
ACTOR = {
    "submit": "vera",
    "return_submitted": "tom",
    "township_check": "tom",
    "request_recheck": "tom",
    "return_recheck": "alice",
    "county_recheck": "alice",
    "notice": "alice",
    "approve": "leo",
}


@pytest.mark.parametrize("transition,state", WRONG_STATES, ids=[f"{n}-from-{s}" for n, s in WRONG_STATES])
def test_no_path_around_a_check(world, campaign, transition, state):
    appraisal = _at(world, campaign, state)
    with pytest.raises((services.AppraisalChanged, PermissionDenied)):
        _attempt(transition, appraisal, _people(world)[ACTOR[transition]], campaign)
    assert af.reload(appraisal).status == state


def test_township_and_department_skip_the_township_stage(world, campaign):
    township_appraisal = af.start(campaign, world.a1)
    scores = af.full_scores(township_appraisal)
    services.appraisal_save_self(appraisal=township_appraisal, user=world.tom, scores=scores)
    services.appraisal_submit(appraisal=township_appraisal, user=world.tom)
    with pytest.raises(PermissionDenied):
        services.appraisal_township_check(appraisal=township_appraisal, user=world.tom, scores=scores)
    services.appraisal_county_recheck(appraisal=township_appraisal, user=world.alice, scores=scores)
    assert af.reload(township_appraisal).status == S.RECHECKED

    dept = af.start(campaign, world.ad1)
    scores = af.full_scores(dept)
    with pytest.raises(PermissionDenied):  # a village secretary cannot fill in a department's report
        services.appraisal_save_self(appraisal=dept, user=world.vera, scores=scores)
    services.appraisal_save_self(appraisal=dept, user=world.dora, scores=scores)
    services.appraisal_submit(appraisal=dept, user=world.dora)
    services.appraisal_return(appraisal=dept, user=world.alice, reason="more evidence")
    assert af.reload(dept).status == S.DRAFT
    assert dept.return_reason == "more evidence"


def test_tier_scores_are_all_kept(world, campaign):
    appraisal = af.start(campaign, world.a1v1)
    first = af.indicators(appraisal)[0]
    self_scores = af.full_scores(appraisal)
    services.appraisal_save_self(appraisal=appraisal, user=world.vera, scores=self_scores)
    services.appraisal_submit(appraisal=appraisal, user=world.vera)
    township_scores = {**self_scores, first.id: (Decimal("3"), "weak records")}
    services.appraisal_township_check(appraisal=appraisal, user=world.tom, scores=township_scores)
    services.appraisal_request_recheck(appraisals=[appraisal], user=world.tom)
    county_scores = {**self_scores, first.id: (Decimal("4"), "")}
    services.appraisal_county_recheck(appraisal=appraisal, user=world.alice, scores=county_scores)
    rows = dict(Score.objects.filter(appraisal=appraisal, indicator=first).values_list("tier", "points"))
    assert rows == {
        Score.Tier.SELF: Decimal("5"),
        Score.Tier.TOWNSHIP: Decimal("3"),
        Score.Tier.COUNTY: Decimal("4"),
    }
    appraisal = af.reload(appraisal)
    assert (appraisal.self_points, appraisal.township_points, appraisal.final_points) == (
        Decimal("100"),
        Decimal("98"),
        Decimal("99"),
    )


def test_nobody_edits_a_submitted_self_report(world, campaign):
    appraisal = af.submitted(campaign, world.a1v1, world.vera)
    first = af.indicators(appraisal)[0]
    with pytest.raises(services.AppraisalChanged):
        services.appraisal_save_self(
            appraisal=appraisal, user=world.vera, scores={first.id: (Decimal("1"), "")}
        )
    assert Score.objects.get(appraisal=appraisal, indicator=first, tier=Score.Tier.SELF).points == Decimal(
        "5"
    )


def test_scores_out_of_range_are_refused_and_nothing_is_written(world, campaign):
    appraisal = af.start(campaign, world.a1v1)
    first, second = af.indicators(appraisal)[:2]
    with pytest.raises(ValidationError) as exc:
        services.appraisal_save_self(
            appraisal=appraisal, user=world.vera, scores={first.id: ("4", ""), second.id: ("6", "")}
        )
    assert f"score_{second.id}" in exc.value.message_dict
    assert not Score.objects.filter(appraisal=appraisal).exists()
    with pytest.raises(ValidationError):
        services.appraisal_save_self(appraisal=appraisal, user=world.vera, scores={first.id: ("-1", "")})


def test_incomplete_report_cannot_be_submitted(world, campaign):
    appraisal = af.start(campaign, world.a1v1)
    first = af.indicators(appraisal)[0]
    services.appraisal_save_self(appraisal=appraisal, user=world.vera, scores={first.id: ("5", "")})
    with pytest.raises(ValidationError) as exc:
        services.appraisal_submit(appraisal=appraisal, user=world.vera)
    assert "18" in exc.value.messages[0]
    assert af.reload(appraisal).status == S.DRAFT


def test_submitting_freezes_the_rubric_and_a_new_version_carries_the_drafts(world, campaign):
    submitted = af.submitted(campaign, world.a1v1, world.vera)
    rubric = af.reload(submitted.rubric)
    assert rubric.frozen
    with pytest.raises(ValidationError):
        services.rubric_update(rubric=rubric, user=world.alice, star_threshold=Decimal("15"))
    draft = af.start(campaign, world.a1v2)
    first = af.indicators(draft)[0]
    services.appraisal_save_self(
        appraisal=draft,
        user=af.f.UserFactory(role="village", county=world.county_a, township=world.a1, village=world.a1v2),
        scores={first.id: ("4", "")},
    )
    new = services.rubric_new_version(rubric=rubric, user=world.alice)
    assert new.version == 2 and not new.frozen
    assert af.reload(draft).rubric == new
    assert af.reload(submitted).rubric == rubric
    moved = Score.objects.get(appraisal=draft)
    assert moved.indicator.star.rubric == new and moved.points == Decimal("4")


def test_objection_upheld_sends_back_and_pending_blocks_approval(world, campaign):
    appraisal = _at(world, campaign, S.PUBLICIZED)
    objection = services.objection_record(
        appraisal=appraisal, user=world.alice, received_on=datetime.date(2026, 6, 2), content="署名信"
    )
    with pytest.raises(ValidationError):
        services.appraisal_approve(appraisals=[appraisal], user=world.leo, today=datetime.date(2026, 7, 1))
    services.objection_handle(
        objection=objection, user=world.alice, outcome="upheld_return", handling="核实属实"
    )
    appraisal = af.reload(appraisal)
    assert appraisal.status == S.RECHECK_REQUESTED and appraisal.notice is None


def test_approval_waits_for_the_notice_to_end(world, campaign):
    appraisal = _at(world, campaign, S.PUBLICIZED)
    # Opened Monday 1 June 2026 for 5 working days: ends Friday 5 June.
    assert appraisal.notice.ends_on == datetime.date(2026, 6, 5)
    with pytest.raises(ValidationError):
        services.appraisal_approve(appraisals=[appraisal], user=world.leo, today=datetime.date(2026, 6, 5))
    assert af.reload(appraisal).status == S.PUBLICIZED
    titles = services.appraisal_approve(
        appraisals=[appraisal], user=world.leo, today=datetime.date(2026, 6, 8)
    )
    assert [t.valid_until for t in titles] == [datetime.date(2029, 6, 8)]
    assert titles[0].star_count == 5 and titles[0].is_five_star
    assert TitleEvent.objects.filter(title=titles[0], action=TitleEvent.Action.NAMED).exists()


def test_veto_ends_the_appraisal_and_revokes_titles(world, campaign):
    old = af.TitleFactory(village=world.a1v1, campaign=af.CampaignFactory(county=world.county_a, year=2023))
    appraisal = _at(world, campaign, S.RECHECKED)
    services.veto_record(
        campaign=campaign,
        track="village",
        subject=world.a1v1,
        user=world.alice,
        kind="mass_petition",
        occurred_on=datetime.date(2026, 5, 20),
        description="群体上访",
    )
    appraisal = af.reload(appraisal)
    assert appraisal.status == S.VETOED and appraisal.star_count == 0
    old = af.reload(old)
    assert old.status == Title.Status.REVOKED and old.revoked_on
    assert str(VetoEvent.Kind.MASS_PETITION.label) in old.revoke_reason
    with pytest.raises(PermissionDenied):
        services.veto_record(
            campaign=campaign,
            track="village",
            subject=world.a1v2,
            user=world.tom,
            kind="fraud",
            occurred_on=datetime.date(2026, 5, 20),
            description="x",
        )


def test_revocation_and_star_withdrawal(world, campaign):
    title = af.TitleFactory(village=world.a1v1, campaign=campaign)
    services.title_withdraw_star(title=title, user=world.alice, star="feedback", reason="群众反映差")
    title = af.reload(title)
    assert title.star_count == 4 and "feedback" not in title.stars
    with pytest.raises(ValidationError):
        services.title_withdraw_star(title=title, user=world.alice, star="feedback", reason="again")
    with pytest.raises(PermissionDenied):
        services.title_revoke(title=title, user=world.tom, reason="x")
    with pytest.raises(PermissionDenied):
        services.title_revoke(title=title, user=world.bob, reason="x")
    services.title_revoke(
        title=title, user=world.alice, reason="严重问题", revoked_on=datetime.date(2026, 8, 1)
    )
    title = af.reload(title)
    assert (title.status, title.revoked_on, title.revoke_reason) == (
        Title.Status.REVOKED,
        datetime.date(2026, 8, 1),
        "严重问题",
    )
    assert list(title.events.values_list("action", flat=True)) == ["star_withdrawn", "revoked"]
    with pytest.raises(services.AppraisalChanged):
        services.title_revoke(title=title, user=world.alice, reason="again")
