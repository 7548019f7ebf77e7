"""The indicators on other apps' pages (village page, self-report, to-do) and the scheduled tasks."""

import datetime
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from campaign import panels
from campaign.models import Notification
from indicators import schedule, services
from indicators.models import IndicatorSheet
from tests.indicators.conftest import TODAY, YEAR, Kind, fill, position, window

pytestmark = pytest.mark.django_db


def test_the_village_page_shows_its_sheets_over_the_years(world, open_year, login):
    window(world.county_a, year=YEAR - 1, opens=-400, closes=-340)
    fill(world.a1v1, world.tom)
    html = login(world.alice).get(reverse("villages:village_detail", args=[world.a1v1.pk])).content.decode()
    assert 'data-testid="village-sheets"' in html
    assert reverse("indicators:sheet", args=[world.a1v1.pk, YEAR - 1]) in html
    assert reverse("indicators:sheet", args=[world.a1v1.pk, YEAR]) in html


def test_no_panel_without_any_collection(world, login):
    html = login(world.alice).get(reverse("villages:village_detail", args=[world.a1v1.pk])).content.decode()
    assert 'data-testid="village-sheets"' not in html


def test_the_self_report_answers_the_rubric_from_the_sheet(world, open_year, login):
    from tests.appraisal import factories as af

    campaign = af.campaign_with_rubrics(world.county_a, year=YEAR)
    appraisal = af.start(campaign, world.a1v1)
    position(world.a1v1, Kind.RESERVE_CADRE)
    position(world.a1v1, Kind.RESERVE_CADRE)
    fill(world.a1v1, world.vera, {"members": 30, "activists": 2})
    html = login(world.vera).get(reverse("appraisal:self_report", args=[appraisal.pk])).content.decode()
    assert 'data-testid="indicator-panel"' in html
    # The indicator asking for 后备干部不少于2名 is answered from the registry: 2, met.
    reserve = re.search(r"<td>班子结构合理.*?</td>", html, re.S).group()
    assert 'data-testid="indicator-note"' in reserve
    assert "后备干部: <strong>2 人</strong>" in reserve and 'data-state="met"' in reserve
    assert "来自名册" in reserve
    activists = re.search(r"<td>发展党员：入党积极分子.*?</td>", html, re.S).group()
    assert "入党积极分子: <strong>2 人</strong>" in activists and 'data-state="not_met"' in activists
    # An indicator asking for nothing the sheet knows gets no note.
    assert 'data-testid="indicator-note"' not in re.search(r"<td>书记带头致富.*?</td>", html, re.S).group()


def test_an_annotation_provider_is_collected_per_item(world, monkeypatch):
    from django.apps import apps

    def note(*, request, obj, item, **extra):
        if item != "yes":
            return None
        context = {"state": "met", "label": item, "css": "", "icon": ""}
        return panels.Panel(template="indicators/_state.html", context=context)

    config = apps.get_app_config("campaign")
    import sys

    sys.modules[__name__].note = note
    monkeypatch.setattr(config, "annotations", {"test_slot": [(1, f"{__name__}.note")]}, raising=False)
    request = RequestFactory().get("/")
    assert 'data-state="met"' in panels.render_annotation("test_slot", request, None, "yes")
    assert panels.render_annotation("test_slot", request, None, "no") == ""


def test_the_to_do_panel(world, open_year):
    request = RequestFactory().get("/")
    request.user = world.tom
    found = panels.collect("todo", request, world.tom)
    item = next(p for p in found if p.template == "indicators/panels/todo.html").context["items"][0]
    assert (item["open"], item["villages"]) == (2, 2)
    request.user = world.vera
    todo = "indicators/panels/todo.html"
    village = next(p for p in panels.collect("todo", request, world.vera) if p.template == todo)
    assert village.context["items"][0]["kind"] == "village"
    services.sheet_submit(sheet=fill(world.a1v1, world.vera), user=world.vera)
    assert not [p for p in panels.collect("todo", request, world.vera) if p.template == todo]


def test_the_weekly_reminder_reaches_townships_once_a_week(world, open_year):
    assert services.remind_townships(today=TODAY) == 1  # tom, for A1's two villages
    assert services.remind_townships(today=TODAY) == 0
    note = Notification.objects.get(user=world.tom)
    assert "2" in note.title and note.url.startswith(reverse("indicators:township", args=[world.a1.pk]))
    assert services.remind_townships(today=TODAY + datetime.timedelta(days=7)) == 1
    for village in (world.a1v1, world.a1v2):
        services.sheet_confirm(sheet=fill(village, world.tom), user=world.tom)
    assert services.remind_townships(today=TODAY + datetime.timedelta(days=14)) == 0


def test_the_schedules_are_registered_after_migrate(db):
    tasks = dict(PeriodicTask.objects.values_list("name", "task"))
    assert tasks[schedule.REMINDER_TASK_NAME] == "indicators.tasks.remind_townships"
    assert tasks[schedule.FREEZE_TASK_NAME] == "indicators.tasks.freeze_past_years"
    weekly = PeriodicTask.objects.get(name=schedule.REMINDER_TASK_NAME).crontab
    assert (weekly.day_of_week, weekly.hour) == ("1", "8")


def test_the_tasks_run_their_services(world, open_year):
    from indicators import tasks

    assert tasks.remind_townships.apply().get() == 1
    assert tasks.freeze_past_years.apply().get() == 0
    assert not IndicatorSheet.objects.filter(derived_as_of__isnull=False).exists()


def test_the_report_section_says_which_targets_are_met_and_missed_by_township(world, open_year):
    from indicators import report
    from tests.appraisal import factories as af

    campaign = af.campaign_with_rubrics(world.county_a, year=YEAR)
    position(world.a1v1, Kind.RESERVE_CADRE)
    position(world.a1v1, Kind.RESERVE_CADRE)
    services.sheet_confirm(sheet=fill(world.a1v1, world.tom), user=world.tom)
    data = report.figures(campaign, TODAY)
    assert (data["villages"], data["confirmed"], data["total"]) == (3, 1, 6)
    assert [row["name"] for row in data["townships"]] == [world.a1.name, world.a2.name]
    assert data["townships"][0]["confirmed"] == 1
    by_text = {t["text"]: t for t in data["targets"]}
    assert by_text["每村后备干部 ≥ 2"]["state"] == "not_met"  # A1v2 and A2v1 have none
    assert data["summary"][0].startswith("全县3个村中，1个村的")
    assert report.totals(data) == {"villages": 3, "confirmed": 1, "met": data["met"], "total": 6}
    import json

    json.dumps(data)  # frozen with the report: plain JSON
    other = af.campaign_with_rubrics(world.county_b, year=YEAR)
    assert report.figures(other, TODAY) is None  # county B collects no sheets
