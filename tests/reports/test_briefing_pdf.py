"""The briefing's PDF, read back with poppler: masthead, issue number, townships, fonts, pages."""

import pytest

from campaign.reports import pdf, services
from campaign.reports.models import Briefing
from tests import factories as f


def _render(briefing):
    relative = services.briefing_render(briefing_id=briefing.pk)
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.DONE, briefing.failure_reason
    return pdf.media_path(relative)


@pytest.mark.django_db
def test_briefing_pdf_shows_masthead_issue_number_and_townships(campaign, world, poppler):
    report, _ = services.report_take(campaign=campaign)
    briefing = services.briefing_create(
        campaign=campaign, report=report, number=7, highlights="甲一镇推行积分制管理。"
    )
    path = _render(briefing)

    text = poppler.text(path)
    assert "三级联创工作简报" in text
    assert "第7期" in text
    assert "中共甲县委组织部" in text
    assert "甲一镇" in text and "甲二镇" in text
    assert "乙一镇" not in text  # another county's township
    assert "报：市委组织部" in text.replace(" ", "")
    assert "— 1 —" in text or "—1—" in text.replace(" ", "")


@pytest.mark.django_db
def test_briefing_pdf_embeds_the_cjk_fonts(campaign, poppler):
    report, _ = services.report_take(campaign=campaign)
    path = _render(services.briefing_create(campaign=campaign, report=report))

    fonts = [line for line in poppler.fonts(path).splitlines()[2:] if line.strip()]
    names = " ".join(line.split()[0] for line in fonts)
    assert "Noto-Serif-CJK-SC" in names and "Noto-Sans-CJK-SC-Bold" in names
    # columns: name type encoding emb sub uni object ID
    assert all(line.split()[-5] == "yes" for line in fonts), fonts


@pytest.mark.django_db
def test_long_briefing_page_count_and_repeated_table_header(campaign, world, poppler):
    for i in range(60):
        f.TownshipFactory(county=world.county_a, code=f"9{i:02d}", name=f"测试{i:02d}乡")
    report, _ = services.report_take(campaign=campaign)
    briefing = services.briefing_create(campaign=campaign, report=report, problems="问题。" * 400)
    path = _render(briefing)

    pages = poppler.pages(path)
    assert pages >= 3
    # The distribution block is on the last page only, the page number on every page.
    last = poppler.page_text(path, pages).replace(" ", "")
    assert "报：" in last and f"—{pages}—" in last
    assert "报：" not in poppler.page_text(path, 1).replace(" ", "")
    # The township table runs over a page break and its header is repeated.
    page2 = poppler.page_text(path, 2)
    assert "乡镇" in page2 and "测试" in page2


@pytest.mark.django_db
def test_user_text_is_escaped_in_pdf_and_preview(campaign, world, poppler, login):
    report, _ = services.report_take(campaign=campaign)
    briefing = services.briefing_create(
        campaign=campaign, report=report, editor_note='<script>alert("x")</script><b>粗</b>'
    )
    text = poppler.text(_render(briefing))
    assert '<script>alert("x")</script>' in text

    page = login(world.alice).get(f"/reports/briefings/{briefing.pk}/").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert '<script>alert("x")' not in page
    assert "<b>粗</b>" not in page


@pytest.mark.django_db
def test_rendering_again_replaces_the_file_and_leaves_no_temporary_file(campaign):
    report, _ = services.report_take(campaign=campaign)
    briefing = services.briefing_create(campaign=campaign, report=report)
    first = _render(briefing).read_bytes()
    services.briefing_update(briefing=briefing, title="三级联创工作动态")
    path = _render(briefing)

    assert path.read_bytes() != first
    assert pdf.stale_temp_files(briefing.pdf) == []
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


@pytest.mark.django_db
def test_body_text_follows_the_28_by_22_grid(campaign, poppler):
    sentence = "各乡镇党委认真落实县委部署把三级联创作为抓基层打基础的重要抓手坚持以创建促规范以规范促提升"
    text = sentence * 40  # one long paragraph: no widow or orphan moves a line
    path = _render(services.briefing_create(campaign=campaign, problems=text))

    page = poppler.page_text(path, 2)  # a page of body text only
    lines = [line.strip() for line in page.splitlines() if line.strip() and "—" not in line]
    assert len(lines) == 22
    assert max(len(line) for line in lines) == 28
