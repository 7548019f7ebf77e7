"""The notice and approval steps cannot be skipped or slipped: the start date, the confirmation step,
withdrawal from a notice, the approval warnings, and consequential choices without a preset value."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from appraisal import services
from appraisal.models import Appraisal, AppraisalEvent, NoticeWithdrawal, Title, VetoEvent
from appraisal.workdays import add_working_days
from tests import factories as f
from tests.appraisal import factories as af

S = Appraisal.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def kw(world):
    return dict(secretary=world.vera, township_user=world.tom, county_admin=world.alice, leader=world.leo)


@pytest.fixture
def rechecked(world, campaign, kw):
    """东村 and 西村 re-checked and recommended, waiting for a notice."""
    west = f.UserFactory(
        username="wes", role="village", county=world.county_a, township=world.a1, village=world.a1v2
    )
    return [
        af.drive(af.start(campaign, world.a1v1), S.RECHECKED, **kw),
        af.drive(af.start(campaign, world.a1v2), S.RECHECKED, **{**kw, "secretary": west}),
    ]


# ---------------------------------------------------------------- the start date


def test_a_notice_cannot_start_before_today(world, campaign, rechecked):
    with pytest.raises(ValidationError) as refused:
        services.public_notice_open(
            campaign=campaign,
            appraisals=rechecked,
            user=world.alice,
            starts_on=datetime.date(2026, 5, 31),
            today=datetime.date(2026, 6, 1),
        )
    assert "2026-06-01" in refused.value.message_dict["starts_on"][0]
    assert {af.reload(a).status for a in rechecked} == {S.RECHECKED}


def test_a_notice_opened_on_a_holiday_starts_on_the_next_working_day(world, campaign, rechecked):
    notice = services.public_notice_open(
        campaign=campaign,
        appraisals=rechecked,
        user=world.alice,
        starts_on=datetime.date(2026, 10, 1),
        today=datetime.date(2026, 9, 30),
    )
    # National Day week skipped; Saturday 10 October is a make-up working day.
    assert (notice.starts_on, notice.ends_on) == (datetime.date(2026, 10, 8), datetime.date(2026, 10, 13))


def test_the_page_refuses_a_past_start_and_keeps_what_was_typed(world, rechecked, login):
    client = login(world.alice)
    response = client.post(
        reverse("appraisal:notice_open"),
        {"appraisal": [rechecked[0].pk], "starts_on": "2020-01-06", "title": "第三批公示"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "公示开始日期不能早于今天" in page
    assert 'value="第三批公示"' in page and 'value="2020-01-06"' in page
    assert f'value="{rechecked[0].pk}" checked' in page and f'value="{rechecked[1].pk}" checked' not in page
    assert af.reload(rechecked[0]).status == S.RECHECKED


# ---------------------------------------------------------------- choosing and confirming


def test_opening_a_notice_starts_with_nothing_ticked(world, rechecked, login):
    page = login(world.alice).get(reverse("appraisal:notice_list")).content.decode()
    assert page.count('name="appraisal"') == 2 and " checked" not in page


def test_nothing_ticked_is_refused_with_a_message(world, rechecked, login):
    today = timezone.localdate().isoformat()
    response = login(world.alice).post(reverse("appraisal:notice_open"), {"starts_on": today})
    assert response.status_code == 400 and "请勾选要公示的对象" in response.content.decode()


def test_the_confirmation_names_the_count_and_the_subjects(world, rechecked, login):
    client = login(world.alice)
    today = timezone.localdate()
    chosen = {"appraisal": [a.pk for a in rechecked], "starts_on": today.isoformat(), "title": "第一批"}
    page = client.post(reverse("appraisal:notice_open"), chosen).content.decode()
    assert "以下 2 个对象将进行公示" in page and "东村" in page and "西村" in page
    assert add_working_days(today, 5).isoformat() in page
    assert {af.reload(a).status for a in rechecked} == {S.RECHECKED}
    # Back to the choice: the same boxes are ticked, the title kept.
    back = client.post(reverse("appraisal:notice_open"), {**chosen, "confirm": "back"}).content.decode()
    assert back.count(" checked") == 2 and 'value="第一批"' in back
    response = client.post(reverse("appraisal:notice_open"), {**chosen, "confirm": "yes"})
    assert response.status_code == 302
    assert {af.reload(a).status for a in rechecked} == {S.PUBLICIZED}


@pytest.mark.parametrize("persona", ["olga", "leo", "tom", "vera", "dora", "carl"])
def test_only_the_county_administrator_opens_a_notice(world, rechecked, login, persona):
    today = timezone.localdate().isoformat()
    response = login(getattr(world, persona)).post(
        reverse("appraisal:notice_open"),
        {"appraisal": [rechecked[0].pk], "starts_on": today, "confirm": "yes"},
    )
    assert response.status_code == 403
    assert af.reload(rechecked[0]).status == S.RECHECKED


def test_another_county_cannot_put_our_subjects_on_its_notice(world, rechecked, login, campaign_b):
    today = timezone.localdate().isoformat()
    response = login(world.bob).post(
        reverse("appraisal:notice_open"),
        {"appraisal": [rechecked[0].pk], "starts_on": today, "confirm": "yes"},
    )
    assert response.status_code == 403


# ---------------------------------------------------------------- withdrawal


def _notice(world, campaign, rechecked, start=datetime.date(2026, 6, 1)):
    return services.public_notice_open(
        campaign=campaign, appraisals=rechecked, user=world.alice, starts_on=start, today=start
    )


def test_a_subject_withdrawn_from_a_running_notice_goes_back_to_rechecked(world, campaign, rechecked):
    notice = _notice(world, campaign, rechecked)
    east = services.public_notice_withdraw(
        appraisal=rechecked[0], user=world.alice, reason="名单有误", today=datetime.date(2026, 6, 3)
    )
    assert east.status == S.RECHECKED and east.notice is None
    event = AppraisalEvent.objects.get(appraisal=east, action="withdrawn")
    assert (event.from_status, event.to_status, event.comment) == ("publicized", "rechecked", "名单有误")
    assert NoticeWithdrawal.objects.get().notice == notice
    assert af.reload(rechecked[1]).status == S.PUBLICIZED


def test_withdrawal_needs_a_reason_and_a_running_notice(world, campaign, rechecked):
    _notice(world, campaign, rechecked)
    with pytest.raises(ValidationError):
        services.public_notice_withdraw(
            appraisal=rechecked[0], user=world.alice, reason="  ", today=datetime.date(2026, 6, 3)
        )
    with pytest.raises(ValidationError):
        services.public_notice_withdraw(
            appraisal=rechecked[0], user=world.alice, reason="太晚", today=datetime.date(2026, 6, 6)
        )
    with pytest.raises(PermissionDenied):
        services.public_notice_withdraw(
            appraisal=rechecked[0], user=world.olga, reason="组织员", today=datetime.date(2026, 6, 3)
        )


def test_withdrawing_from_the_notice_page(world, campaign, rechecked, login):
    today = timezone.localdate()
    notice = _notice(world, campaign, rechecked, start=today)
    client = login(world.alice)
    url = reverse("appraisal:notice_withdraw", args=[rechecked[0].pk])
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400 and "请说明撤出公示的原因" in empty.content.decode()
    assert client.post(url, {"reason": "村务公开材料存疑"}).status_code == 302
    page = client.get(reverse("appraisal:notice_detail", args=[notice.pk])).content.decode()
    assert 'data-testid="withdrawn"' in page and "村务公开材料存疑" in page
    # A second click (the subject is no longer on a notice) is refused with an explanation.
    again = client.post(url, {"reason": "再次"}, follow=True)
    assert "该评选已被他人处理" in again.content.decode()


def test_withdrawal_scoping(world, campaign, rechecked, login, campaign_b):
    _notice(world, campaign, rechecked, start=timezone.localdate())
    url = reverse("appraisal:notice_withdraw", args=[rechecked[0].pk])
    assert login(world.bob).post(url, {"reason": "x"}).status_code == 404
    assert login(world.leo).post(url, {"reason": "x"}).status_code == 403
    assert login(world.tom).post(url, {"reason": "x"}).status_code == 403
    assert af.reload(rechecked[0]).status == S.PUBLICIZED


# ---------------------------------------------------------------- approval warnings


def test_approval_warns_by_name_about_lagging_short_and_objected_subjects(world, campaign, kw, login):
    west = f.UserFactory(
        username="wes", role="village", county=world.county_a, township=world.a1, village=world.a1v2
    )
    strong = af.drive(af.start(campaign, world.a1v1), S.PUBLICIZED, **kw)
    weak = af.drive(
        af.start(campaign, world.a1v2), S.PUBLICIZED, fraction=Decimal("0.7"), **{**kw, "secretary": west}
    )
    services.objection_record(
        appraisal=strong, user=world.alice, received_on=datetime.date(2026, 6, 2), content="反映问题"
    )
    page = login(world.leo).get(reverse("appraisal:approval"))
    html = page.content.decode()
    warnings = {w["key"]: w["text"] for w in page.context["warnings"]}
    assert "西村" in warnings["below-threshold"] and "东村" not in warnings["below-threshold"]
    assert "东村" in warnings["objection-open"] and "西村" not in warnings["objection-open"]
    # Lagging comes from the campaign's classification thresholds (steering), shown the same way.
    assert 'data-testid="warning-lagging"' in html
    lagging = html.split('data-testid="warning-lagging"')[1].split("</div>")[0]
    assert "西村" in lagging and "70" in lagging and "东村" not in lagging
    for key in ("cap", "below-threshold", "objection-open", "lagging"):
        assert f'class="alert alert-warning" role="alert" data-testid="warning-{key}"' in html
    assert weak.final_points == Decimal("70.0")


def test_no_warning_when_all_is_well(world, campaign, kw, login):
    af.drive(af.start(campaign, world.a1v1), S.PUBLICIZED, **kw)
    campaign.five_star_cap_percent = 100
    campaign.save()
    page = login(world.leo).get(reverse("appraisal:approval"))
    assert page.context["warnings"] == [] and "warning-lagging" not in page.content.decode()


# ---------------------------------------------------------------- consequential choices have no preset


def test_the_objection_outcome_has_no_preset_and_an_empty_one_is_refused(world, campaign, kw, login):
    appraisal = af.drive(af.start(campaign, world.a1v1), S.RECHECKED, **kw)
    notice = _notice(world, campaign, [appraisal], start=timezone.localdate())
    objection = services.objection_record(
        appraisal=af.reload(appraisal), user=world.alice, received_on=notice.starts_on, content="反映问题"
    )
    client = login(world.alice)
    page = client.get(reverse("appraisal:notice_detail", args=[notice.pk])).content.decode()
    form = page.split(f'data-testid="handle-{objection.pk}"')[1].split("</form>")[0]
    assert '<option value="" selected>请选择</option>' in form
    response = client.post(
        reverse("appraisal:objection_handle", args=[objection.pk]), {"outcome": "", "handling": "已核实"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "请选择处理结果" in html and "已核实" in html
    objection.refresh_from_db()
    assert objection.outcome == "pending"


def test_the_veto_kind_and_subject_have_no_preset(world, campaign, login):
    client = login(world.alice)
    page = client.get(reverse("appraisal:veto_list")).content.decode()
    assert page.count('<option value="" selected>请选择</option>') == 2
    response = client.post(
        reverse("appraisal:veto_create"),
        {"subject": f"village:{world.a1v1.pk}", "kind": "", "occurred_on": "2026-05-20", "description": "x"},
    )
    assert response.status_code == 400 and "请选择否决事项" in response.content.decode()
    assert not VetoEvent.objects.exists()


def test_the_star_to_withdraw_has_no_preset(world, campaign, kw, login):
    title = af.drive(af.start(campaign, world.a1v1), S.APPROVED, **kw).title
    client = login(world.alice)
    page = client.get(reverse("appraisal:title_detail", args=[title.pk])).content.decode()
    assert '<option value="" selected>请选择</option>' in page
    response = client.post(
        reverse("appraisal:title_withdraw_star", args=[title.pk]),
        {"star": "", "reason": "集体经济下滑", "effective_on": "2026-08-01"},
    )
    assert response.status_code == 400 and "请选择要摘除的星" in response.content.decode()
    assert Title.objects.get(pk=title.pk).star_count == 5
