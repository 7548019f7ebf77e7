"""The holiday calendar: working days skip weekends and statutory holidays and count make-up days;
county administrators keep the calendar on a page of their own."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from appraisal import services
from appraisal.holidays import Holiday
from appraisal.workdays import WorkCalendar, add_working_days, is_workday, working_days_between

D = datetime.date
pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- the seeded national calendar


def test_2026_is_seeded_with_the_state_councils_arrangement():
    national_day = Holiday.objects.filter(date__range=(D(2026, 10, 1), D(2026, 10, 7)))
    assert [h.kind for h in national_day] == ["holiday"] * 7
    assert set(national_day.values_list("name", flat=True)) == {"国庆节"}
    makeup = Holiday.objects.filter(date__year=2026, kind=Holiday.Kind.WORKDAY)
    assert sorted(makeup.values_list("date", flat=True)) == [
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    ]
    assert Holiday.objects.filter(date__range=(D(2026, 2, 15), D(2026, 2, 23)), kind="holiday").count() == 9


def test_2027_holds_only_the_fixed_date_holidays_until_the_arrangement_is_published():
    assert sorted(Holiday.objects.filter(date__year=2027).values_list("date", flat=True)) == [
        D(2027, 1, 1),
        D(2027, 5, 1),
        D(2027, 5, 2),
        D(2027, 10, 1),
        D(2027, 10, 2),
        D(2027, 10, 3),
    ]


# ---------------------------------------------------------------- working days


def test_weekends_and_holidays_are_not_working_days_and_make_up_days_are():
    assert is_workday(D(2026, 10, 8))  # Thursday after the National Day week
    assert not is_workday(D(2026, 10, 5))  # Monday of the National Day week
    assert is_workday(D(2026, 10, 10))  # Saturday worked in exchange
    assert is_workday(D(2026, 9, 20))  # Sunday worked in exchange
    assert not is_workday(D(2026, 9, 19))  # an ordinary Saturday
    assert not is_workday(D(2026, 2, 16))  # Spring Festival Monday


def test_a_notice_over_the_national_day_week_skips_it_and_counts_the_make_up_saturday():
    # Wed 30 Sep, then Thu 8, Fri 9, Sat 10 (make-up), Mon 12 October.
    assert add_working_days(D(2026, 9, 30), 5) == D(2026, 10, 12)
    # Opened during the holiday, it starts on the first working day after it.
    assert add_working_days(D(2026, 10, 3), 1) == D(2026, 10, 8)
    assert working_days_between(D(2026, 9, 28), D(2026, 10, 11)) == 6


def test_the_calendar_reads_each_year_once(django_assert_num_queries):
    calendar = WorkCalendar()
    with django_assert_num_queries(2):
        calendar.add_working_days(D(2026, 12, 28), 10)  # runs into January 2027
        calendar.add_working_days(D(2026, 12, 1), 3)


def test_a_holiday_added_by_the_county_moves_the_end_of_a_notice(world):
    assert add_working_days(D(2026, 6, 1), 5) == D(2026, 6, 5)
    services.holiday_save(user=world.alice, date=D(2026, 6, 3), kind="holiday", name="临时假日")
    assert add_working_days(D(2026, 6, 1), 5) == D(2026, 6, 8)


# ---------------------------------------------------------------- keeping the calendar


def test_a_date_entered_twice_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        services.holiday_save(user=world.alice, date=D(2026, 10, 1), kind="holiday", name="国庆")
    assert "2026-10-01" in refused.value.message_dict["date"][0]
    assert Holiday.objects.filter(date=D(2026, 10, 1)).count() == 1


def test_a_date_cannot_be_both_a_holiday_and_a_make_up_day(world):
    with pytest.raises(ValidationError) as refused:
        services.holiday_save(user=world.alice, date=D(2026, 10, 10), kind="holiday", name="国庆节")
    # 10 October is a make-up working day already: one row per date, so it cannot also be a holiday.
    assert "调休上班日" in refused.value.message_dict["date"][0]


def test_a_make_up_day_must_be_a_weekend_day(world):
    with pytest.raises(ValidationError) as refused:
        services.holiday_save(user=world.alice, date=D(2027, 3, 3), kind="workday", name="调休")
    assert "kind" in refused.value.message_dict


def test_changing_a_day_keeps_its_date_unique_but_may_keep_its_own_date(world):
    day = Holiday.objects.get(date=D(2026, 10, 10))
    services.holiday_save(user=world.alice, holiday=day, date=day.date, kind="workday", name="国庆调休")
    day.refresh_from_db()
    assert day.name == "国庆调休" and day.updated_by == world.alice


@pytest.mark.parametrize("persona", ["olga", "leo", "tom", "vera", "dora", "carl"])
def test_only_county_administrators_keep_the_calendar(world, persona):
    with pytest.raises(PermissionDenied):
        services.holiday_save(user=getattr(world, persona), date=D(2027, 2, 6), kind="holiday", name="春节")


# ---------------------------------------------------------------- the page


def test_the_county_administrator_sees_the_years_calendar(world, login):
    page = login(world.alice).get("/appraisal/holidays/?year=2026").content.decode()
    assert "国庆节" in page and "2026-10-10" in page and "调休上班日" in page
    assert 'data-testid="calendar-incomplete"' not in page


def test_the_unfinished_2027_calendar_says_so(world, login):
    page = login(world.alice).get("/appraisal/holidays/?year=2027").content.decode()
    assert 'data-testid="calendar-incomplete"' in page
    assert "春节" in page  # what is missing is named


def test_adding_a_day_from_the_page(world, login):
    client = login(world.alice)
    response = client.post(
        "/appraisal/holidays/?year=2027", {"date": "2027-02-06", "kind": "holiday", "name": "春节"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?year=2027")
    assert Holiday.objects.get(date=D(2027, 2, 6)).updated_by == world.alice


def test_a_refused_day_shows_why_and_keeps_what_was_typed(world, login):
    response = login(world.alice).post(
        "/appraisal/holidays/", {"date": "2026-10-01", "kind": "holiday", "name": "重复的国庆"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "已在日历中" in page and 'value="重复的国庆"' in page


def test_the_kind_has_no_preset_value(world, login):
    page = login(world.alice).get("/appraisal/holidays/").content.decode()
    assert '<option value="" selected>请选择</option>' in page
    response = login(world.alice).post("/appraisal/holidays/", {"date": "2027-02-07", "name": "春节"})
    assert response.status_code == 400 and not Holiday.objects.filter(date=D(2027, 2, 7)).exists()


def test_changing_and_removing_a_day_from_the_page(world, login):
    client = login(world.alice)
    day = Holiday.objects.get(date=D(2027, 1, 1))
    assert "2027-01-01" in client.get(f"/appraisal/holidays/?edit={day.pk}").content.decode()
    edit = {"date": "2027-01-01", "kind": "holiday", "name": "元旦节"}
    client.post(f"/appraisal/holidays/?edit={day.pk}", edit)
    assert Holiday.objects.get(pk=day.pk).name == "元旦节"
    client.post(f"/appraisal/holidays/{day.pk}/delete/")
    assert not Holiday.objects.filter(pk=day.pk).exists()


@pytest.mark.parametrize("persona", ["olga", "leo", "tom", "vera", "dora", "carl"])
def test_the_page_is_the_county_administrators(world, login, persona):
    client = login(getattr(world, persona))
    assert client.get("/appraisal/holidays/").status_code == 403
    day = Holiday.objects.get(date=D(2027, 1, 1))
    assert client.post(f"/appraisal/holidays/{day.pk}/delete/").status_code == 403
    assert Holiday.objects.filter(pk=day.pk).exists()


def test_the_page_needs_a_login(client):
    assert client.get("/appraisal/holidays/")["Location"].startswith("/accounts/login/")


def test_an_unknown_day_is_a_404(world, login):
    assert login(world.alice).get("/appraisal/holidays/?edit=999999").status_code == 404
    assert login(world.alice).post("/appraisal/holidays/999999/delete/").status_code == 404
