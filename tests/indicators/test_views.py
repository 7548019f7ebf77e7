"""The pages: scope (404 outside it, 403 for the wrong role), the form keeping what was typed, actions."""

import pytest
from django.urls import reverse

from indicators import services
from indicators.figures import indicator_set
from indicators.models import IndicatorSheet, Target
from tests.indicators.conftest import FULL, YEAR, fill

pytestmark = pytest.mark.django_db


def sheet_url(village, year=YEAR):
    return reverse("indicators:sheet", args=[village.pk, year])


def visible_villages(client, world):
    names = ("a1v1", "a1v2", "a2v1", "b1v1")
    return {n for n in names if client.get(sheet_url(getattr(world, n))).status_code == 200}


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("alice", {"a1v1", "a1v2", "a2v1"}),
        ("olga", {"a1v1", "a1v2"}),  # an organizer sees the townships of the area
        ("leo", {"a1v1", "a1v2", "a2v1"}),
        ("tom", {"a1v1", "a1v2"}),
        ("vera", {"a1v1"}),
        ("carl", {"a1v1", "a1v2", "a2v1", "b1v1"}),
        ("bob", {"b1v1"}),
        ("dora", set()),
    ],
)
def test_who_sees_which_sheet(world, open_year, login, persona, expected):
    client = login(getattr(world, persona))
    assert visible_villages(client, world) == expected


def test_roll_up_pages_answer_404_outside_scope_and_403_to_the_wrong_role(world, open_year, login):
    client = login(world.tom)
    assert client.get(reverse("indicators:township", args=[world.a1.pk])).status_code == 200
    assert client.get(reverse("indicators:township", args=[world.a2.pk])).status_code == 404
    assert client.get(reverse("indicators:county")).status_code == 403
    assert client.get(reverse("indicators:city")).status_code == 403
    assert client.get(reverse("indicators:settings")).status_code == 403
    client = login(world.carl)
    assert client.get(reverse("indicators:county_detail", args=[world.county_b.pk])).status_code == 200
    client = login(world.alice)
    assert client.get(reverse("indicators:county_detail", args=[world.county_b.pk])).status_code == 404
    assert client.get(reverse("indicators:township", args=[world.b1.pk])).status_code == 404
    client = login(world.dora)
    assert client.get(reverse("indicators:home")).status_code == 403
    client.logout()
    assert client.get(reverse("indicators:county")).status_code == 302


def test_each_role_lands_on_its_page(world, open_year, login):
    assert login(world.vera).get(reverse("indicators:home"))["Location"] == sheet_url(world.a1v1)
    assert login(world.tom).get(reverse("indicators:home"))["Location"] == reverse(
        "indicators:township", args=[world.a1.pk]
    )
    assert login(world.alice).get(reverse("indicators:home"))["Location"] == reverse("indicators:county")
    assert login(world.carl).get(reverse("indicators:home"))["Location"] == reverse("indicators:city")


def test_bad_input_is_refused_beside_the_field_and_what_was_typed_is_kept(world, open_year, login):
    client = login(world.tom)
    data = {code: str(value) for code, value in FULL.items()}
    data.update({"members": "10", "members_under_35": "12", "activists": "-2", "training_days": "abc"})
    response = client.post(sheet_url(world.a1v1), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="12"' in html and 'value="-2"' in html and 'value="abc"' in html
    form = response.context["form"]
    assert set(form.errors) == {"members_under_35", "members_high_school", "activists", "training_days"}
    assert not IndicatorSheet.objects.filter(village=world.a1v1).exists()


def test_the_township_saves_and_confirms_in_one_go(world, open_year, login):
    client = login(world.tom)
    data = {code: str(value) for code, value in FULL.items()}
    response = client.post(sheet_url(world.a1v1), {**data, "then": "confirm"})
    assert response.status_code == 302
    sheet = IndicatorSheet.objects.get(village=world.a1v1, year=YEAR)
    assert sheet.status == IndicatorSheet.Status.CONFIRMED and sheet.activists == FULL["activists"]
    page = client.get(sheet_url(world.a1v1)).content.decode()
    assert 'data-testid="sheet-form"' not in page and 'data-testid="reopen-form"' in page


def test_a_confirmed_sheet_shows_no_form_to_the_village_and_refuses_a_post(world, open_year, login):
    services.sheet_confirm(sheet=fill(world.a1v1, world.tom), user=world.tom)
    client = login(world.vera)
    page = client.get(sheet_url(world.a1v1))
    assert page.context["form"] is None and 'data-testid="refusal"' in page.content.decode()
    response = client.post(sheet_url(world.a1v1), {"members": "1"})
    assert response.status_code == 400
    assert IndicatorSheet.objects.get(village=world.a1v1).members == FULL["members"]


def test_read_only_roles_cannot_post(world, open_year, login):
    for persona in ("alice", "leo", "carl"):
        assert login(getattr(world, persona)).post(sheet_url(world.a1v1), {"members": "3"}).status_code == 403
    assert login(world.vera).post(sheet_url(world.a1v2), {"members": "3"}).status_code == 404


def test_actions_through_the_page(world, open_year, login):
    fill(world.a1v1, world.vera)
    village = login(world.vera)

    def action(name):
        return reverse("indicators:sheet_action", args=[world.a1v1.pk, YEAR, name])

    assert village.post(action("submit")).status_code == 302
    township = login(world.tom)
    response = township.post(action("return"), {"reason": "recount the members"})
    assert response.status_code == 302
    assert IndicatorSheet.objects.get(village=world.a1v1).return_reason == "recount the members"
    # A stale action is refused with a message, never a 500.
    response = township.post(action("return"), {"reason": "again"}, follow=True)
    assert response.status_code == 200 and list(response.context["messages"])
    assert township.post(action("explode")).status_code == 404
    assert township.get(action("confirm")).status_code == 405


def test_odd_years_and_parameters_never_fail(world, open_year, login):
    client = login(world.alice)
    assert client.get(reverse("indicators:sheet", args=[world.a1v1.pk, 1999])).status_code == 404
    assert client.get(reverse("indicators:county") + "?year=abc").status_code == 200
    assert client.get(reverse("indicators:county") + "?year=99999").status_code == 200
    assert client.get(reverse("indicators:sheet", args=[world.a1v1.pk, YEAR - 3])).status_code == 200


def test_the_county_administrator_sets_the_window_targets_and_indicators(world, login):
    client = login(world.alice)
    url = reverse("indicators:window") + f"?year={YEAR}"
    bad = client.post(url, {"opens_on": f"{YEAR}-12-01", "closes_on": f"{YEAR}-11-01"})
    assert bad.status_code == 400 and f"{YEAR}-12-01" in bad.content.decode()
    assert client.post(url, {"opens_on": f"{YEAR}-11-01", "closes_on": f"{YEAR}-12-20"}).status_code == 302
    assert Target.objects.filter(county=world.county_a, year=YEAR).count() == 6
    response = client.post(
        reverse("indicators:target_new") + f"?year={YEAR}",
        {"kind": "ratio_of_sums", "indicator": "members_women", "comparison": "at_least", "threshold": "20"},
    )
    assert response.status_code == 400 and "denominator" in response.context["target_form"].errors
    response = client.post(
        reverse("indicators:target_new") + f"?year={YEAR}",
        {
            "kind": "ratio_of_sums",
            "indicator": "members_women",
            "denominator": "members",
            "comparison": "at_least",
            "threshold": "20",
        },
    )
    assert response.status_code == 302
    target = Target.objects.get(county=world.county_a, year=YEAR, indicator="members_women")
    switches = reverse("indicators:switches") + f"?year={YEAR}"
    assert client.post(switches, {"enabled": ["members", "activists"]}).status_code == 302
    assert not indicator_set(world.county_a.pk).get("venue_area")
    assert (
        client.post(
            reverse("indicators:extra_new") + f"?year={YEAR}",
            {"code": "members", "name": "党员", "value_type": "count", "order": 1},
        ).status_code
        == 400
    )  # a built-in code
    assert (
        client.post(
            reverse("indicators:extra_new") + f"?year={YEAR}",
            {
                "code": "veterans",
                "name": "退役军人党员",
                "unit": "人",
                "value_type": "count",
                "whole": "members",
                "order": 1,
                "enabled": "on",
            },
        ).status_code
        == 302
    )
    assert indicator_set(world.county_a.pk).get("veterans").whole == "members"
    # Another county's administrator cannot touch county A's target.
    assert login(world.bob).post(reverse("indicators:target_delete", args=[target.pk])).status_code == 404
    assert login(world.tom).post(reverse("indicators:target_delete", args=[target.pk])).status_code == 403


def test_a_county_indicator_is_entered_and_checked_against_its_whole(world, open_year, login):
    services.extra_save(
        user=world.alice,
        county=world.county_a,
        code="veterans",
        name="退役军人党员",
        unit="人",
        value_type="count",
        whole="members",
        order=1,
        enabled=True,
    )
    client = login(world.tom)
    data = {code: str(value) for code, value in FULL.items()}
    response = client.post(sheet_url(world.a1v1), {**data, "veterans": str(FULL["members"] + 1)})
    assert response.status_code == 400 and "veterans" in response.context["form"].errors
    assert client.post(sheet_url(world.a1v1), {**data, "veterans": "3"}).status_code == 302
    sheet = IndicatorSheet.objects.get(village=world.a1v1)
    assert sheet.extra_values.get().value == 3


def test_the_county_page_heads_each_target_column(world, open_year, login):
    html = login(world.alice).get(reverse("indicators:county")).content.decode()
    assert "后备干部 ≥ 2</th>" in html and "35岁以下党员 ≥ 18%</th>" in html


def test_a_save_over_someone_elses_newer_save_is_refused_and_keeps_what_was_typed(world, open_year, login):
    fill(world.a1v1, world.vera, {"members": 30})
    village = login(world.vera)
    page = village.get(sheet_url(world.a1v1))
    seen = page.context["seen"]
    fill(world.a1v1, world.tom, {"members": 31})  # the township saves in between
    response = village.post(sheet_url(world.a1v1), {"members": "35", "seen": seen})
    assert response.status_code == 400 and 'value="35"' in response.content.decode()
    assert IndicatorSheet.objects.get(village=world.a1v1).members == 31
    fresh = village.get(sheet_url(world.a1v1)).context["seen"]
    assert village.post(sheet_url(world.a1v1), {"members": "35", "seen": fresh}).status_code == 302
