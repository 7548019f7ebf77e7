"""Briefing texts are bounded, with a clear message in the form that keeps what was typed."""

import pytest
from django.core.exceptions import ValidationError

from campaign.reports import services
from tests import factories as f


@pytest.fixture
def campaign(world):
    return f.CampaignFactory(county=world.county_a, year=2026, name="2026年度三级联创")


def form_data(campaign, **texts):
    return {
        "campaign": campaign.pk,
        "number": 1,
        "title": "三级联创工作简报",
        "issuing_office": "中共甲县委组织部",
        "issued_on": "2026-06-01",
        **texts,
    }


def test_a_ten_thousand_line_briefing_is_refused_in_the_form_and_kept(world, login, campaign):
    client = login(world.alice)
    flood = "\n".join(f"第{i}行" for i in range(10_000))
    response = client.post("/reports/briefings/new/", form_data(campaign, highlights=flood))
    assert response.status_code == 200
    body = response.content.decode()
    assert "确保该变量包含不超过 3000 字符" in body
    assert "第9999行" in body  # what was typed is still in the form
    assert campaign.briefings.count() == 0


def test_too_many_short_lines_are_refused_with_their_count(world, login, campaign):
    client = login(world.alice)
    response = client.post("/reports/briefings/new/", form_data(campaign, problems="一\n" * 200))
    assert "这段文字有 200 行，简报的每一部分最多 120 行。" in response.content.decode()


def test_the_text_fields_carry_no_maxlength_that_would_cut_a_paste(world, login, campaign):
    body = login(world.alice).get("/reports/briefings/new/").content.decode()
    assert 'name="highlights"' in body and "maxlength" not in body.split('name="highlights"')[1][:200]
    assert "最多 3000 个字符、120 行" in body


def test_the_service_refuses_them_too(campaign):
    with pytest.raises(ValidationError) as caught:
        services.briefing_create(campaign=campaign, next_steps="x" * 3001)
    assert "next_steps" in caught.value.message_dict


def test_a_full_size_briefing_is_accepted(world, login, campaign):
    client = login(world.alice)
    text = "\n".join(["各乡镇要对照细则逐项检查。" * 8] * 25)[:3000]
    response = client.post("/reports/briefings/new/", form_data(campaign, highlights=text, problems=text))
    assert response.status_code == 302
