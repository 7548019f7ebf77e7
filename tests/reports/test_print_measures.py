"""The printed documents measured as a county would measure them with a ruler (GB/T 9704-2012).

PDFs are read back with PyMuPDF (``pdfmeasure``): faces, line ends, the page number's 一字线, the organ
mark, the red line, the 版记's rules, tables at page feet, figures, and the figures' totals.
"""

import datetime
import re

import pymupdf
import pytest

from appraisal.models import Title
from campaign.reports import fonts, pdf, services
from campaign.reports.models import Briefing, Document
from tests import factories as f
from tests.reports import pdfmeasure as m
from tests.reports.conftest import _title

FANGSONG = ("仿宋", "FangSong", "Fangsong", "FandolFang")
LONG = (
    "各乡镇党委把“三级联创”作为抓基层、打基础的重要抓手，层层召开动员会，细化创建目标，"
    "逐村制定创建方案，明确责任人和时间表；部分乡镇推行党员积分制管理，党员参与创建的积极性明显提高，"
    "2026年以来共召开推进会12次、现场观摩会3次。"
)


def _briefing_pdf(campaign, **fields):
    report, _ = services.report_take(campaign=campaign)
    briefing = services.briefing_create(campaign=campaign, report=report, **fields)
    relative = services.briefing_render(briefing_id=briefing.pk)
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.DONE, briefing.failure_reason
    return pdf.media_path(relative)


def _document_pdf(campaign, kind, django_capture_on_commit_callbacks, **options):
    with django_capture_on_commit_callbacks(execute=True):
        document = services.document_request(campaign=campaign, kind=kind, **options)
    document.refresh_from_db()
    assert document.status == Document.Status.DONE, document.failure_reason
    return pdf.media_path(document.pdf)


@pytest.mark.django_db
def test_body_is_fangsong_headings_heiti_regular_and_the_editors_note_kaiti(campaign):
    path = _briefing_pdf(campaign, editor_note="请各乡镇对照检查。", highlights=LONG)
    body = m.fonts(path, 16.0)
    main_face = max(body, key=body.get)
    assert any(name in main_face for name in FANGSONG), body
    assert fonts.face_for("fangsong").face.name.replace(" ", "-") in main_face
    # 黑体 for 一、 headings, regular weight (not bold); 楷体 for the editor's note.
    assert any("Sans" in name and "Bold" not in name or "Hei" in name for name in body), body
    assert any("Kai" in name or "楷" in name for name in body), body


@pytest.mark.django_db
def test_every_full_body_line_is_flush_with_the_type_area(campaign):
    path = _briefing_pdf(campaign, highlights="\n\n".join([LONG] * 4), problems=LONG)
    full = m.full_lines(path)
    assert len(full) >= 12
    for line, gap in full:
        assert abs(gap) <= 0.5, (line.text, gap)
    # 28 characters a line: a full line of ideographs only holds 28 (26 on a paragraph's first line).
    plain = [line for line, _gap in full if re.fullmatch(r"[\u4e00-\u9fff]+", line.text)]
    for line in plain:
        assert len(line.text) in (26, 28), line.text
    # No line starts with a closing mark (禁则).
    assert not [line.text for line in m.lines(path) if line.text[0] in "，。、；：？！）》”’"]


@pytest.mark.django_db
def test_page_number_dash_is_7_mm_below_the_type_area_on_every_page(campaign):
    path = _briefing_pdf(campaign, highlights="\n\n".join([LONG] * 8))
    pages = m.page_count(path)
    assert pages >= 2
    for page in range(1, pages + 1):
        dash = m.page_number_dash(path, page)
        assert dash is not None and abs(dash - m.BOTTOM - 7) <= 1, (page, dash - m.BOTTOM)


@pytest.mark.django_db
def test_banji_rules_span_the_type_area_and_a_wrapped_line_hangs_after_the_colon(campaign):
    issue_to = (
        "各乡镇党委，县直各部门党组（党委），县人大常委会办公室，县政府办公室，县政协办公室，县纪委监委"
    )
    path = _briefing_pdf(campaign, issue_to=issue_to, copies=80)
    last = m.page_count(path)
    banji = [(y, length) for y, length in m.rules(path, last, min_length=100) if y > m.BOTTOM - 60]
    assert len(banji) >= 4  # top, between 报/送/发 and the printing row, bottom
    for _y, length in banji:
        assert abs(length - 156) <= 0.5, banji
    assert abs(banji[-1][0] - m.BOTTOM) <= 1.0  # the last rule on the type area's foot
    text = m.page_text(path, last).replace(" ", "").replace("\n", "")
    assert "（共印80份）" in text
    rows = m.lines(path, 14.0)
    first = next(r for r in rows if r.text.startswith("发："))
    wrapped = rows[rows.index(first) + 1]
    colon_end = first.x0 + 2 * 14 / m.MM  # "发：" is two characters of 14 pt
    assert abs(wrapped.x0 - colon_end) <= 0.5, (wrapped.x0, colon_end)


@pytest.mark.django_db
def test_naming_decision_is_a_red_header_document(county, django_capture_on_commit_callbacks):
    campaign, _west = county
    path = _document_pdf(
        campaign,
        Document.Kind.NAMING_DECISION,
        django_capture_on_commit_callbacks,
        number=12,
        copies=60,
        signed_on=datetime.date(2026, 7, 16),
        copy_to="市委组织部",
    )
    top = m.red_top(path, 1)
    assert abs(top - m.TOP - 35) <= 1, top - m.TOP
    number_bottom, line_top = m.number_to_red_line(path, 1)
    assert abs(line_top - number_bottom - 4) <= 0.5
    (red_line,) = [r for r in m.red_rules(path, 1) if r[0] > m.TOP + 40]
    assert abs(red_line[1] - 156) <= 0.5
    text = m.text(path).replace(" ", "").replace("\n", "")
    assert "中共甲县委文件" in text and "甲党发〔2026〕12号" in text
    assert "附件" in text and "先进集体名单" in text and "甲一镇东村党组织" in text
    assert "中共甲县委办公室" in text and "2026年7月16日印发" in text
    # The total in the text is the number of rows of the annex's tables.
    named = Title.objects.filter(campaign=campaign).exclude(status=Title.Status.REVOKED).count()
    assert f"以上共命名先进集体{named}个" in text
    assert len(re.findall(r"甲[一二]镇[^\d]{1,12}党组织[1-5]\d{4}年", text)) == named
    # The body on the grid, flush.
    for line, gap in m.full_lines(path):
        assert abs(gap) <= 0.5, (line.text, gap)
    # The title in balanced lines, no word split across them.
    title_lines = [line.text for line in m.lines(path, 22.0) if line.page == 1]
    assert len(title_lines) == 2 and abs(len(title_lines[0]) - len(title_lines[1])) <= 6
    assert not any(
        a.endswith(x) and b.startswith(y) for a, b in [title_lines] for x, y in [("党", "组织"), ("自", "检")]
    )


@pytest.mark.django_db
def test_a_document_number_already_used_or_no_copies_is_refused_with_a_message(county, world):
    from django.core.exceptions import ValidationError

    campaign, _west = county
    services.document_request(campaign=campaign, kind=Document.Kind.NAMING_DECISION, user=world.leo, number=3)
    self_check = dict(kind=Document.Kind.COUNTY_SELF_CHECK, user=world.alice, as_official=True)
    # Another prefix (the department's): 3 is free there.
    services.document_request(campaign=campaign, number=3, **self_check)
    other_campaign = f.CampaignFactory(county=world.county_a, year=2027)
    with pytest.raises(ValidationError) as error:
        services.document_request(
            campaign=other_campaign, kind=Document.Kind.NAMING_DECISION, user=world.leo, number=3
        )
    assert "甲党发〔2026〕3号" in error.value.message_dict["number"][0]
    with pytest.raises(ValidationError) as error:
        services.document_request(
            campaign=campaign, kind=Document.Kind.NAMING_LIST, user=world.alice, copies=0
        )
    assert "copies" in error.value.message_dict
    # Making the same document again keeps its number.
    again = services.document_request(campaign=campaign, kind=Document.Kind.NAMING_DECISION, user=world.leo)
    assert again.number_label == "甲党发〔2026〕3号"


@pytest.mark.django_db
def test_the_document_page_refuses_a_used_number_keeping_what_was_typed(county, world, login):
    campaign, _west = county
    services.document_request(campaign=campaign, kind=Document.Kind.NAMING_DECISION, user=world.leo, number=5)
    other = f.CampaignFactory(county=world.county_a, year=2027)
    client = login(world.leo)
    data = {
        "campaign": other.pk,
        "kind": "naming_decision",
        "decision-number": "5",
        "decision-copies": "0",
        "decision-signed_on": "2026-07-16",
        "decision-recipients": "各乡镇党委（自己输入）",
    }
    response = client.post("/reports/documents/make/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "各乡镇党委（自己输入）" in page  # kept
    assert "大于或等于 1" in page or "大于或等于1" in page  # no copies
    data["decision-copies"] = "40"
    page = client.post("/reports/documents/make/", data).content.decode()
    assert "甲党发〔2026〕5号已被使用" in page and "下一个可用序号为6" in page
    assert not Document.objects.filter(campaign=other).exists()


@pytest.mark.django_db
def test_no_table_leaves_its_header_and_a_single_row_at_a_page_foot(county, world):
    """The names table after 0…21 lines of text: wherever it falls, a page never ends with one row."""
    from django.template import Context, Template

    rows = [
        {"no": i, "name": f"甲一镇第{i}村党支部", "stars": 5, "valid_until": "2029年6月10日"}
        for i in range(1, 9)
    ]
    template = Template(
        '{% load paper %}<html><head><style>{% include "reports/pdf/official.css" %}</style></head><body>'
        "{% for p in fill %}{% para p %}{% endfor %}"
        '{% include "reports/pdf/_names_table.html" %}</body></html>'
    )
    for lines in range(10, 24):
        html = template.render(
            Context(
                {
                    "paper": True,
                    "fonts": fonts.context(),
                    "red": pdf.RED,
                    "rows": rows,
                    "fill": ["正文"] * lines,
                }
            )
        )
        document = pymupdf.open(stream=pdf.render_pdf(html))
        for page in document:
            names = re.findall(r"第(\d+)村党支部", page.get_text())
            assert len(names) != 1 or len(document) == 1, (lines, names)


@pytest.mark.django_db
def test_figures_in_the_text_the_table_and_the_charts_of_the_briefing_agree(county):
    campaign, _west = county
    path = _briefing_pdf(campaign)
    text = m.text(path).replace(" ", "").replace("\n", "")
    report = campaign.progress_reports.get()
    county_data = report.data["county"]
    subjects = county_data["subjects"]
    assert f"共有{subjects}个创建对象" in text
    table_total = sum(t["subjects"] for t in report.data["townships"])
    assert table_total == subjects
    assert f"各乡镇创建对象所处环节（共{subjects}个）" in text  # figure 1's caption, its bars' total
    scored = sum(county_data["stars"].values())
    assert f"评定星级的创建对象{scored}个" in text
    assert f"已评定创建对象获星情况（共{scored}个）" in text
    assert "图1" in text and "图2" in text


@pytest.mark.django_db
def test_self_check_says_one_set_of_figures_in_text_table_and_chart(
    county, world, django_capture_on_commit_callbacks
):
    campaign, _west = county
    # A second five-star village and a four-star one, named this campaign.
    for code, stars in (("701", 5), ("702", 4)):
        village = f.VillageFactory(township=world.a2, code=code, name=f"新村{code}")
        _title(campaign, village=village, named=datetime.date(2026, 6, 10), until=datetime.date(2029, 6, 10))
        Title.objects.filter(village=village).update(star_count=stars)
    path = _document_pdf(campaign, Document.Kind.COUNTY_SELF_CHECK, django_capture_on_commit_callbacks)
    text = m.text(path).replace(" ", "").replace("\n", "")
    named = Title.objects.filter(campaign=campaign, track="village").exclude(status="revoked")
    five = named.filter(star_count=5).count()
    assert (named.count(), five) == (3, 2)
    assert f"共命名村党组织{named.count()}个，其中五星级{five}个" in text
    assert re.search(rf"合计\d+{named.count()}{five}", text)  # the table's total row
    assert f"命名村党组织星级分布（共{named.count()}个）" in text  # the chart's total


@pytest.mark.django_db
def test_a_figure_never_leaves_more_than_a_quarter_page_empty(campaign, world):
    for i in range(40):
        f.TownshipFactory(county=world.county_a, code=f"9{i:02d}", name=f"测试{i:02d}乡")
    path = _briefing_pdf(campaign, highlights=LONG)
    pages = m.page_count(path)
    quarter = 225 / 4
    for page in range(1, pages):
        assert m.content_bottom(path, page) >= m.BOTTOM - quarter, page


@pytest.mark.django_db
def test_certificate_frame_and_heading_are_centred(county, django_capture_on_commit_callbacks):
    campaign, _west = county
    title = Title.objects.get(campaign=campaign)
    path = _document_pdf(campaign, Document.Kind.CERTIFICATE, django_capture_on_commit_callbacks, title=title)
    page = m.open_pdf(path)[0]
    rows = m.ink_rows(page, (0, 0, 297, 210), m.is_red, zoom=2)
    assert abs(rows[0] - (210 - rows[-1])) <= 0.6  # as much white above the frame as below
    heading = m.ink_rows(page, (20, 25, 277, 45), m.is_red, zoom=4)
    assert heading
    # Horizontal centre of the heading's ink: columns with red pixels.
    pix = page.get_pixmap(clip=pymupdf.Rect(20 * m.MM, 28 * m.MM, 277 * m.MM, 45 * m.MM), alpha=False)
    columns = [
        x for x in range(pix.width) if any(m.is_red(*pix.pixel(x, y)) for y in range(0, pix.height, 2))
    ]
    centre = 20 + (columns[0] + columns[-1]) / 2 / m.MM
    assert abs(centre - 148.5) <= 0.6, centre


@pytest.mark.django_db
def test_certificates_of_an_approval_batch_print_one_a_page_with_chinese_dates(
    county, world, django_capture_on_commit_callbacks
):
    campaign, _west = county
    for code in ("711", "712"):
        village = f.VillageFactory(township=world.a2, code=code, name=f"批次村{code}")
        _title(campaign, village=village, named=datetime.date(2026, 6, 10), until=datetime.date(2029, 6, 10))
    path = _document_pdf(
        campaign,
        Document.Kind.CERTIFICATES,
        django_capture_on_commit_callbacks,
        batch="2026-06-10",
        chinese_date=True,
    )
    assert m.page_count(path) == 3
    text = m.text(path).replace(" ", "")
    assert text.count("荣誉证书") == 3 and "二〇二六年六月十日" in text


@pytest.mark.django_db
def test_overlay_certificate_prints_text_only_where_the_county_put_it(
    county, django_capture_on_commit_callbacks
):
    from campaign.reports.models import PrintSettings

    campaign, _west = county
    PrintSettings.objects.create(
        county=campaign.county,
        committee_mark="中共甲县委文件",
        committee_prefix="甲党发",
        committee_office="中共甲县委办公室",
        department_mark="中共甲县委组织部文件",
        department_prefix="甲组发",
        department_office="中共甲县委组织部",
        overlay={"honour": [100, 90]},
    )
    title = Title.objects.get(campaign=campaign)
    path = _document_pdf(
        campaign,
        Document.Kind.CERTIFICATE,
        django_capture_on_commit_callbacks,
        title=title,
        variant="overlay",
    )
    page = m.open_pdf(path)[0]
    assert "荣誉证书" not in page.get_text()
    (honour,) = [
        span["bbox"]
        for block in page.get_text("dict")["blocks"]
        for line in block.get("lines", [])
        for span in line["spans"]
        if "五星级" in span["text"]
    ]
    assert abs(honour[0] / m.MM - 100) <= 0.5 and abs(honour[1] / m.MM - 90) <= 3


@pytest.mark.django_db
def test_overlay_positions_off_the_sheet_are_refused(world, login):
    client = login(world.alice)
    data = {
        "committee_mark": "中共甲县委文件",
        "committee_prefix": "甲党发",
        "committee_office": "中共甲县委办公室",
        "department_mark": "中共甲县委组织部文件",
        "department_prefix": "甲组发",
        "department_office": "中共甲县委组织部",
    }
    from campaign.reports.official import OVERLAY_ELEMENTS

    for key, (_label, (x, y)) in OVERLAY_ELEMENTS.items():
        data[f"overlay_{key}_0"], data[f"overlay_{key}_1"] = x, y
    data["overlay_honour_0"] = "400"
    response = client.post("/reports/documents/settings/", data)
    assert response.status_code == 400
    assert "甲党发" in response.content.decode()  # what was typed is kept
    data["overlay_honour_0"] = "90"
    assert client.post("/reports/documents/settings/", data).status_code == 302
    from campaign.reports.models import PrintSettings

    assert PrintSettings.objects.get().overlay["honour"] == [90.0, 92.0]


@pytest.mark.django_db
def test_the_countys_own_headings_print_in_heiti_and_kaiti(campaign):
    text = (
        "一、主要做法\n\n（一）强化组织领导。县委成立领导小组，定期研究推进创建工作。\n\n（二）严格检查验收。"
    )
    path = _briefing_pdf(campaign, highlights=text)
    by_face = {}
    for page in m.open_pdf(path):
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    by_face.setdefault(span["font"], "")
                    by_face[span["font"]] += span["text"]
    kai = "".join(v for k, v in by_face.items() if "Kai" in k or "楷" in k)
    assert "（一）强化组织领导。" in kai.replace(" ", "") and "县委成立" not in kai
    hei = "".join(v for k, v in by_face.items() if "Sans" in k or "Hei" in k)
    assert "一、主要做法" in hei.replace(" ", "")
