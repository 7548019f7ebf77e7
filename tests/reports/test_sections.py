"""Other apps add sections to the progress report, its page and the briefing (reports/sections.py)."""

import pytest
from django.apps import apps

from campaign.reports import pdf, sections, services
from campaign.reports.sections import ReportSection
from tests.reports import pdfmeasure as m


def _figures(campaign, today):
    return {"count": 7, "line": f"{campaign.county.name}有7个村完成指标填报。"}


SECTION = ReportSection(
    key="testsection",
    heading="测试小节",
    figures=_figures,
    template="reports/tests/section.html",
    totals=lambda figures: {"count": figures["count"]},
)


@pytest.fixture
def registered(monkeypatch, settings, tmp_path):
    config = apps.get_app_config("reports")
    monkeypatch.setattr(
        config, "report_sections", [(40, "tests.reports.test_sections.SECTION")], raising=False
    )
    folder = tmp_path / "templates" / "reports" / "tests"
    folder.mkdir(parents=True)
    (folder / "section.html").write_text(
        "{% load paper %}<h2>{{ number }}{{ section.heading }}</h2>{% para figures.line %}", encoding="utf-8"
    )
    engines = [dict(engine) for engine in settings.TEMPLATES]
    engines[0]["DIRS"] = [tmp_path / "templates", *engines[0]["DIRS"]]
    settings.TEMPLATES = engines  # assigned, so that Django builds its template engines again
    return SECTION


@pytest.mark.django_db
def test_a_registered_section_is_frozen_with_the_report_and_printed_in_the_briefing(
    registered, campaign, world, login
):
    # Other apps (the village indicators, the rectification ledger) register theirs too.
    assert registered in sections.registered()
    report, _ = services.report_take(campaign=campaign)
    assert report.data["sections"]["testsection"] == {"count": 7, "line": "甲县有7个村完成指标填报。"}
    briefing = services.briefing_create(campaign=campaign, report=report)
    relative = services.briefing_render(briefing_id=briefing.pk)
    text = m.text(pdf.media_path(relative)).replace("\n", "").replace(" ", "")
    assert "测试小节" in text and "甲县有7个村完成指标填报。" in text
    page = login(world.alice).get(f"/reports/{report.pk}/").content.decode()
    assert "甲县有7个村完成指标填报。" in page
    preview = login(world.alice).get(f"/reports/briefings/{briefing.pk}/").content.decode()
    assert "测试小节" in preview
