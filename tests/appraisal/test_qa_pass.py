"""Found in a hands-on pass over the village, township and department journeys on the demo county."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from appraisal import services
from appraisal.models import Appraisal, AppraisalEvent, Score
from tests.appraisal import factories as af

S = Appraisal.Status


def test_created_event_reads_as_an_action_not_a_column():
    # "created" is also the created_at column ("创建时间"); in the history it is what happened: "创建".
    with translation.override("zh-hans"):
        assert str(AppraisalEvent.Action.CREATED.label) == "创建"
        assert str(Appraisal._meta.get_field("created_at").verbose_name) == "创建时间"


def test_returned_report_is_marked_returned_not_a_plain_draft(world, campaign, login, settings):
    appraisal = af.submitted(campaign, world.a1v1, world.vera)
    services.appraisal_return(appraisal=appraisal, user=world.tom, reason="三会一课佐证缺失")
    other = af.start(campaign, world.a1v2)  # a draft never submitted
    client = login(world.tom)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("appraisal:township_queue")).content.decode()
    assert page.count("returned for revision</span>") == 1
    assert 'title="三会一课佐证缺失"' in page
    assert f'href="{reverse("appraisal:appraisal_detail", args=[other.pk])}"' in page
    # The village's own page says so too.
    vera = login(world.vera)
    vera.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = vera.get(reverse("appraisal:self_report", args=[appraisal.pk])).content.decode()
    assert "returned for revision</span>" in page


def test_department_and_township_reports_show_no_township_check_column(world, campaign, login, settings):
    dept = af.start(campaign, world.ad1)
    own = af.start(campaign, world.a1)
    village = af.start(campaign, world.a1v1)
    client = login(world.alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for appraisal in (dept, own):
        response = client.get(reverse("appraisal:appraisal_detail", args=[appraisal.pk]))
        assert [value for value, _ in response.context["tiers"]] == [Score.Tier.SELF, Score.Tier.COUNTY]
        assert "township check" not in response.content.decode()
        assert 'colspan="5"' in response.content.decode()
        first_row = response.context["stars"][0]["rows"][0]
        assert len(first_row["cells"]) == 2
    response = client.get(reverse("appraisal:appraisal_detail", args=[village.pk]))
    assert [value for value, _ in response.context["tiers"]] == Score.Tier.values
    assert "township check" in response.content.decode() and 'colspan="6"' in response.content.decode()


def test_check_page_links_back_to_the_queue(world, campaign, login, settings):
    appraisal = af.submitted(campaign, world.a1v1, world.vera)
    client = login(world.tom)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("appraisal:check", args=[appraisal.pk])).content.decode()
    assert f'href="{reverse("appraisal:township_queue")}" data-testid="back-to-queue"' in page
    assert "Back to the work queue" in page


def test_report_for_recheck_button_only_when_a_checked_village_waits(world, campaign, login, settings):
    appraisal = af.submitted(campaign, world.a1v1, world.vera)
    client = login(world.tom)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("appraisal:township_queue")).content.decode()
    assert 'data-testid="request-recheck"' not in page
    assert "No checked village is waiting to be reported for re-check." in page
    services.appraisal_township_check(
        appraisal=appraisal, user=world.tom, scores=af.full_scores(appraisal), opinion="同意"
    )
    page = client.get(reverse("appraisal:township_queue")).content.decode()
    assert 'data-testid="request-recheck"' in page and 'data-testid="nothing-to-report"' not in page


def test_work_queue_leads_a_township_straight_to_its_own_draft_report(world, campaign, login, settings):
    own = af.start(campaign, world.a1)
    client = login(world.tom)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("appraisal:township_queue")).content.decode()
    assert f'href="{reverse("appraisal:self_report", args=[own.pk])}">Fill in the township' in page
    services.appraisal_save_self(appraisal=own, user=world.tom, scores=af.full_scores(own))
    services.appraisal_submit(appraisal=own, user=world.tom)
    page = client.get(reverse("appraisal:township_queue")).content.decode()
    assert reverse("appraisal:self_report", args=[own.pk]) not in page
    assert f'href="{reverse("appraisal:appraisal_detail", args=[own.pk])}"' in page


def test_one_change_is_singular_in_the_history(world, campaign):
    appraisal = af.start(campaign, world.a1v1)
    first = af.indicators(appraisal)[0]
    with translation.override("en"):
        services.appraisal_save_self(appraisal=appraisal, user=world.vera, scores={first.id: ("4", "")})
    event = appraisal.events.filter(action=AppraisalEvent.Action.SAVED).get()
    assert event.comment == "1 change"


def test_department_page_heads_its_ratings_from_below_not_a_survey(world, campaign, login, settings):
    dept = af.start(campaign, world.ad1)
    village = af.start(campaign, world.a1v1)
    client = login(world.alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("appraisal:appraisal_detail", args=[dept.pk])).content.decode()
    assert '<h2 class="h6">Ratings from below</h2>' in page and "Mass-satisfaction survey" not in page
    page = client.get(reverse("appraisal:appraisal_detail", args=[village.pk])).content.decode()
    assert '<h2 class="h6">Mass-satisfaction survey</h2>' in page


def test_out_of_range_message_names_ten_points_not_1e1(world, campaign):
    # Decimal("10").normalize() prints as "1E+1"; a department's indicators are worth 10 points.
    appraisal = af.start(campaign, world.ad1)
    ten = next(i for i in af.indicators(appraisal) if i.max_points == 10)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.appraisal_save_self(appraisal=appraisal, user=world.dora, scores={ten.id: ("15", "")})
    assert caught.value.message_dict[f"score_{ten.id}"] == ["Enter between 0 and 10 points."]
