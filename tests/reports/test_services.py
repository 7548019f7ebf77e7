"""Reports and briefings: idempotency, numbering, and the refusals of bad input."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from campaign.reports import pdf, services
from campaign.reports.checks import cjk_fonts_installed
from campaign.reports.models import Briefing, ProgressReport
from campaign.reports.schedule import REPORT_TASK, period_for
from campaign.reports.tasks import scheduled_reports
from tests import factories as f


@pytest.mark.django_db
def test_report_take_twice_for_a_period_makes_one_report(campaign):
    first, created = services.report_take(campaign=campaign, period="2026-05")
    again, created_again = services.report_take(campaign=campaign, period="2026-05")
    assert created and not created_again
    assert first.pk == again.pk
    assert ProgressReport.objects.filter(campaign=campaign).count() == 1


@pytest.mark.django_db
def test_database_refuses_a_second_report_for_the_same_period(campaign):
    services.report_take(campaign=campaign, period="2026-05")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.create(campaign=campaign, period="2026-05", taken_at="2026-05-02T00:00Z")


@pytest.mark.django_db
def test_scheduled_run_twice_makes_one_report_and_one_briefing_per_county(
    world, django_capture_on_commit_callbacks
):
    a = f.CampaignFactory(county=world.county_a, year=2026)
    f.CampaignFactory(county=world.county_a, year=2025)  # an old round is not reported on
    b = f.CampaignFactory(county=world.county_b, year=2026)
    with django_capture_on_commit_callbacks(execute=True):
        scheduled_reports()
    with django_capture_on_commit_callbacks(execute=True):
        scheduled_reports()
    assert sorted(ProgressReport.objects.values_list("campaign_id", flat=True)) == sorted([a.pk, b.pk])
    assert sorted(Briefing.objects.values_list("campaign_id", "number")) == sorted([(a.pk, 1), (b.pk, 1)])
    assert set(Briefing.objects.values_list("status", flat=True)) == {Briefing.Status.DONE}


@pytest.mark.django_db
def test_briefings_are_numbered_per_campaign(campaign, world):
    other = f.CampaignFactory(county=world.county_a, year=2025)
    assert services.briefing_create(campaign=campaign).number == 1
    assert services.briefing_create(campaign=campaign).number == 2
    assert services.briefing_create(campaign=other).number == 1


@pytest.mark.django_db
def test_duplicate_number_is_refused_with_a_message(campaign, world):
    services.briefing_create(campaign=campaign, number=3)
    with pytest.raises(ValidationError) as error:
        services.briefing_create(campaign=campaign, number=3, user=world.alice)
    assert "第3期" in " ".join(error.value.message_dict["number"])
    assert Briefing.objects.filter(campaign=campaign).count() == 1


@pytest.mark.django_db
def test_empty_title_is_refused(campaign, world):
    with pytest.raises(ValidationError) as error:
        services.briefing_create(campaign=campaign, title="", user=world.alice)
    assert "title" in error.value.message_dict


@pytest.mark.django_db
def test_publishing_without_a_report_is_refused(campaign, world):
    briefing = services.briefing_create(campaign=campaign, user=world.alice)
    with pytest.raises(ValidationError) as error:
        services.briefing_publish(briefing=briefing, user=world.alice)
    assert "进展通报" in " ".join(error.value.messages)
    briefing.refresh_from_db()
    assert not briefing.published


@pytest.mark.django_db
def test_publishing_makes_the_pdf(campaign, world, django_capture_on_commit_callbacks):
    report, _ = services.report_take(campaign=campaign)
    briefing = services.briefing_create(campaign=campaign, report=report, user=world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.briefing_publish(briefing=briefing, user=world.alice)
    briefing.refresh_from_db()
    assert briefing.published and briefing.status == Briefing.Status.DONE
    assert pdf.media_path(briefing.pdf).read_bytes().startswith(b"%PDF")


@pytest.mark.django_db
def test_only_the_county_administrator_of_the_county_edits(campaign, world):
    with pytest.raises(PermissionDenied):
        services.briefing_create(campaign=campaign, user=world.leo)
    with pytest.raises(ValidationError):
        services.briefing_create(campaign=campaign, user=world.bob)
    assert not Briefing.objects.exists()


@pytest.mark.django_db
def test_a_render_failure_is_recorded_with_its_reason(campaign, monkeypatch):
    briefing = services.briefing_create(campaign=campaign)

    def broken(html):
        raise ValueError("layout exploded")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    assert services.briefing_render(briefing_id=briefing.pk) is None
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.FAILED
    assert "layout exploded" in briefing.failure_reason
    assert not briefing.pdf


@pytest.mark.django_db
def test_make_bulletin_prints_the_pdf_path_and_is_idempotent(campaign, capsys):
    call_command("make_bulletin", "--campaign", "2026")
    path = capsys.readouterr().out.strip()
    call_command("make_bulletin", "--campaign", "2026")
    assert capsys.readouterr().out.strip() == path
    assert path.endswith(".pdf") and open(path, "rb").read(4) == b"%PDF"
    assert ProgressReport.objects.count() == 1 and Briefing.objects.count() == 1


@pytest.mark.django_db
def test_make_bulletin_async_prints_a_task_id(campaign, capsys):
    call_command("make_bulletin", "--async")
    task_id = capsys.readouterr().out.strip()
    assert len(task_id) == 36 and task_id.count("-") == 4
    assert Briefing.objects.get().status == Briefing.Status.DONE  # eager in tests


@pytest.mark.django_db
def test_report_schedule_is_registered_after_migrate():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task=REPORT_TASK)
    assert task.enabled
    assert (task.crontab.day_of_month, task.crontab.month_of_year) == ("1", "*")


def test_periods_follow_the_schedule_setting():
    import datetime

    day = datetime.date(2026, 11, 22)
    assert period_for(day, "monthly") == "2026-11"
    assert period_for(day, "bimonthly") == "2026-B6"
    assert period_for(day, "quarterly") == "2026-Q4"


def test_a_missing_cjk_font_is_a_system_check_error(monkeypatch):
    import campaign.reports.checks as checks

    assert cjk_fonts_installed() == []
    monkeypatch.setattr(checks, "missing_fonts", lambda: ["Noto Serif CJK SC"])
    errors = cjk_fonts_installed()
    assert [e.id for e in errors] == ["reports.E001"]


def test_rendering_refuses_to_run_without_the_fonts(monkeypatch):
    monkeypatch.setattr(pdf, "missing_fonts", lambda: ["Noto Sans CJK SC"])
    with pytest.raises(pdf.FontsMissing):
        pdf.render_pdf("<p>中文</p>")


@pytest.mark.django_db
def test_demo_seed_makes_one_report_and_one_published_briefing(
    campaign, world, django_capture_on_commit_callbacks
):
    from campaign.reports import demo

    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(world.county_a)
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(world.county_a)
    briefing = Briefing.objects.get()
    assert briefing.published and briefing.report == ProgressReport.objects.get()
    assert briefing.status == Briefing.Status.DONE
    assert demo.seed(world.county_b) is None  # no campaign there


@pytest.mark.django_db
def test_removing_the_report_of_a_published_briefing_is_refused(campaign, world):
    report, _ = services.report_take(campaign=campaign)
    briefing = services.briefing_create(campaign=campaign, report=report, user=world.alice)
    services.briefing_publish(briefing=briefing, user=world.alice)
    with pytest.raises(ValidationError) as error:
        services.briefing_update(briefing=briefing, user=world.alice, report=None)
    assert "report" in error.value.message_dict
    briefing.refresh_from_db()
    assert briefing.report == report
