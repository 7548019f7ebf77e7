"""Review what you judge: the check pages show the subject's narrative and evidence, the lower tiers'
points and remarks as text, the self-report's summary, and mark differences in a way that survives the
input box; the county's return reason is where the township looks; the re-check queue goes by batch."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from appraisal import services
from appraisal.models import Appraisal, Indicator, Rating, Score
from tests import factories as f
from tests.appraisal import factories as af

S = Appraisal.Status
pytestmark = pytest.mark.django_db


def png(size=(600, 400), colour=(200, 30, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def submitted(world, campaign, media):
    """东村's report with a narrative on the first indicator, a photo and a PDF, and a summary."""
    appraisal = af.start(campaign, world.a1v1)
    first, second = af.indicators(appraisal)[:2]
    scores = af.full_scores(appraisal)
    scores[first.id] = (Decimal("4"), "全年集中学习12次，记录齐全。")
    services.appraisal_save_self(
        appraisal=appraisal, user=world.vera, scores=scores, self_report="班子团结，各项工作扎实推进。"
    )
    services.evidence_add(
        appraisal=appraisal,
        indicator=first,
        upload=SimpleUploadedFile("学习现场.png", png()),
        user=world.vera,
    )
    services.evidence_add(
        appraisal=appraisal,
        indicator=second,
        upload=SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4\n%%EOF\n"),
        user=world.vera,
    )
    return services.appraisal_submit(appraisal=appraisal, user=world.vera)


def rows(response):
    return [r for g in response.context["stars"] for r in g["rows"]]


def row_html(page, indicator):
    return page.split(f'data-indicator="{indicator.pk}"')[1].split("</tr>")[0]


# ---------------------------------------------------------------- what the township sees


def test_the_township_sees_narrative_evidence_lower_tier_and_summary(world, submitted, login):
    response = login(world.tom).get(reverse("appraisal:check", args=[submitted.pk]))
    page = response.content.decode()
    first, second = af.indicators(submitted)[:2]
    assert 'data-testid="self-report-summary"' in page and "班子团结，各项工作扎实推进。" in page
    one = row_html(page, first)
    assert "全年集中学习12次，记录齐全。" in one
    # The photo is shown in place and opens full size in a new tab, through the scoped view.
    photo = submitted.evidence.get(indicator=first)
    assert f'<img src="/appraisal/evidence/{photo.pk}/thumbnail/" alt="学习现场.png"' in one
    assert f'href="/appraisal/evidence/{photo.pk}/?inline=1" target="_blank" rel="noopener"' in one
    # The self-score is visible text beside the box, not a tooltip.
    assert "自评</span> <strong>4</strong>" in one and "title=" not in one
    document = submitted.evidence.get(indicator=second)
    two = row_html(page, second)
    assert f'href="/appraisal/evidence/{document.pk}/?inline=1" target="_blank" rel="noopener"' in two
    assert "会议记录.pdf" in two


def test_the_box_starts_from_the_tier_below_without_marks(world, submitted, login):
    response = login(world.tom).get(reverse("appraisal:check", args=[submitted.pk]))
    assert all(r["value"] == r["below"] and not r["differs"] and not r["changed"] for r in rows(response))
    assert 'class="badge diff-badge" id="diff_' in response.content.decode()  # present, hidden until needed
    assert "is-different" not in response.content.decode()


def test_a_refused_form_keeps_the_typed_values_and_marks_them(world, submitted, login):
    first = af.indicators(submitted)[0]
    data = {f"score_{i.id}": str(i.max_points) for i in af.indicators(submitted)}
    data[f"score_{first.id}"] = "3"
    data[f"score_{af.indicators(submitted)[1].id}"] = "99"  # out of range: refused
    response = login(world.tom).post(reverse("appraisal:check", args=[submitted.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    one = row_html(page, first)
    # The typed 3 differs from the self-score 4: the input's own border and a badge with a symbol and text.
    assert 'value="3"' in one and "score-input is-different is-changed" in one
    assert f'id="diff_{first.pk}" data-diff-badge>' in one and "≠" in one and "自评 4" in one
    assert "与下级评分不同" in page or "不同于" in one
    assert f'id="changed_{first.pk}" data-change-badge>' in one and "本次已修改" in one
    assert af.reload(submitted).status == S.SUBMITTED


def test_the_county_sees_the_townships_points_and_remark_as_text(world, campaign, login, media):
    appraisal = af.drive(
        af.start(campaign, world.a1v1),
        S.SUBMITTED,
        secretary=world.vera,
        township_user=world.tom,
        county_admin=world.alice,
    )
    first = af.indicators(appraisal)[0]
    scores = af.full_scores(appraisal)
    scores[first.id] = (Decimal("3.5"), "会议记录不全，扣1.5分")
    services.appraisal_township_check(appraisal=appraisal, user=world.tom, scores=scores, opinion="同意")
    services.appraisal_request_recheck(appraisals=[appraisal], user=world.tom)
    response = login(world.olga).get(reverse("appraisal:check", args=[appraisal.pk]))
    page = response.content.decode()
    assert "县委组织部复检 · 东村" in page
    one = row_html(page, first)
    assert "乡镇检查验收</span> <strong>3.5</strong>" in one and "会议记录不全，扣1.5分" in one
    # The township changed the self-score: marked in the lower tiers too, with a symbol and hidden text.
    township_cell = one.split('data-testid="lower-township"')[1]
    assert "diff-badge" in township_cell and "≠" in township_cell
    # The box starts from the township's 3.5.
    assert rows(response)[0]["value"] == Decimal("3.5") and rows(response)[0]["below"] == Decimal("3.5")


# ---------------------------------------------------------------- the decision has no preset


def test_recommend_or_not_must_be_chosen(world, campaign, login):
    appraisal = af.drive(
        af.start(campaign, world.a1v1),
        S.RECHECK_REQUESTED,
        secretary=world.vera,
        township_user=world.tom,
        county_admin=world.alice,
    )
    page = login(world.alice).get(reverse("appraisal:check", args=[appraisal.pk])).content.decode()
    decision = page.split('data-testid="decision"')[1].split("</fieldset>")[0]
    assert decision.count('type="radio"') == 2 and "checked" not in decision
    data = {f"score_{i.id}": "4" for i in af.indicators(appraisal)}
    data["opinion"] = "材料扎实"
    response = login(world.alice).post(reverse("appraisal:check", args=[appraisal.pk]), data)
    html = response.content.decode()
    assert response.status_code == 400 and "请选择是否予以推荐" in html
    assert "材料扎实" in html and 'value="4"' in html
    assert af.reload(appraisal).status == S.RECHECK_REQUESTED
    response = login(world.alice).post(
        reverse("appraisal:check", args=[appraisal.pk]), {**data, "decision": "not_recommended"}
    )
    assert response.status_code == 302 and af.reload(appraisal).status == S.NOT_RECOMMENDED


# ---------------------------------------------------------------- the department check


@pytest.fixture
def department(world, campaign):
    appraisal = af.start(campaign, world.ad1)
    scores = af.full_scores(appraisal)
    for indicator in af.indicators(appraisal):
        if indicator.feed != Indicator.Feed.MANUAL:
            scores[indicator.id] = (Decimal("0"), "")  # the department cannot know its ratings
    services.appraisal_save_self(appraisal=appraisal, user=world.dora, scores=scores)
    return services.appraisal_submit(appraisal=appraisal, user=world.dora)


def test_the_department_check_is_named_check_and_acceptance(world, department, login):
    page = login(world.alice).get(reverse("appraisal:check", args=[department.pk])).content.decode()
    assert '<h1 class="h4 mb-0">检查验收 · 农业局</h1>' in page
    assert "提交检查验收结果" in page and "复检" not in page.split("<main")[1].split("返回复检队列")[0]


def test_rating_fed_indicators_start_empty_without_ratings_and_say_why(world, department, login):
    response = login(world.alice).get(reverse("appraisal:check", args=[department.pk]))
    fed = [r for r in rows(response) if r["indicator"].feed != Indicator.Feed.MANUAL]
    assert fed and all(r["value"] == "" for r in fed)
    assert all("尚无评价结果" in r["feed_note"] for r in fed)


def test_rating_fed_indicators_show_the_rating_that_explains_their_points(world, campaign, department, login):
    campaign.rating_opens_on, campaign.rating_closes_on = (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
    )
    campaign.save()
    day = datetime.date(2026, 5, 1)
    services.rating_record(
        campaign=campaign, department=world.ad1, user=world.tom, grade="satisfied", today=day
    )
    services.rating_record(
        campaign=campaign, department=world.ad1, user=world.vera, grade="fairly_satisfied", today=day
    )
    peer = f.UserFactory(username="wendy", role="department", county=world.county_a, department=world.ad2)
    services.rating_record(
        campaign=campaign, department=world.ad1, user=peer, grade="dissatisfied", today=day
    )
    response = login(world.alice).get(reverse("appraisal:check", args=[department.pk]))
    below = [r for r in rows(response) if r["indicator"].feed == Indicator.Feed.RATING]
    assert all(r["value"] == Decimal("10.0") for r in below)  # 100% satisfied from below
    assert (
        "乡镇、村下评：满意率 100.0%（2 份评价中满意和比较满意 2 份），按细则得 10 分。"
        == below[0]["feed_note"]
    )
    (by_peers,) = [r for r in rows(response) if r["indicator"].feed == Indicator.Feed.PEER]
    assert by_peers["value"] == Decimal("0.0") and "县直部门互评：满意率 0.0%" in by_peers["feed_note"]
    assert af.reload(department).satisfaction_rate == Decimal("100.0")  # the peers' rating is not in it


# ---------------------------------------------------------------- returns shown where the township looks


def test_the_countys_return_reason_is_on_the_queue_row_and_the_check_page(world, campaign, login):
    appraisal = af.drive(
        af.start(campaign, world.a1v1),
        S.RECHECK_REQUESTED,
        secretary=world.vera,
        township_user=world.tom,
        county_admin=world.alice,
    )
    services.appraisal_return(appraisal=appraisal, user=world.alice, reason="小康建设佐证不足")
    client = login(world.tom)
    queue = client.get(reverse("appraisal:township_queue")).content.decode()
    assert 'data-testid="queue-return-reason"' in queue and "县委组织部退回： 小康建设佐证不足" in queue
    page = client.get(reverse("appraisal:check", args=[appraisal.pk])).content.decode()
    assert 'data-testid="return-reason"' in page and "小康建设佐证不足" in page
    # Reported again, the reason is cleared: the township has dealt with it.
    services.appraisal_township_check(appraisal=appraisal, user=world.tom, scores=af.full_scores(appraisal))
    services.appraisal_request_recheck(appraisals=[appraisal], user=world.tom)
    assert af.reload(appraisal).return_reason == ""


# ---------------------------------------------------------------- scoping


def test_check_page_scoping(world, submitted, login, tom2):
    url = reverse("appraisal:check", args=[submitted.pk])
    assert login(world.tom).get(url).status_code == 200
    assert login(tom2).get(url).status_code == 404
    assert login(world.bob).get(url).status_code == 404
    assert login(world.vera).get(url).status_code == 403
    assert login(world.leo).get(url).status_code == 403


# ---------------------------------------------------------------- evidence shown in place


def test_images_and_pdfs_open_inline_other_files_download(world, submitted, login, media):
    client = login(world.tom)
    photo = submitted.evidence.get(original_name="学习现场.png")
    response = client.get(f"/appraisal/evidence/{photo.pk}/?inline=1")
    assert response["Content-Disposition"].startswith("inline") and response["Content-Type"] == "image/png"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert client.get(f"/appraisal/evidence/{photo.pk}/")["Content-Disposition"].startswith("attachment")
    document = submitted.evidence.get(original_name="会议记录.pdf")
    assert client.get(f"/appraisal/evidence/{document.pk}/?inline=1")["Content-Disposition"].startswith(
        "inline"
    )


def test_a_thumbnail_is_a_small_jpeg_made_once(world, submitted, login, media):
    photo = submitted.evidence.get(original_name="学习现场.png")
    client = login(world.tom)
    response = client.get(f"/appraisal/evidence/{photo.pk}/thumbnail/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    thumbnail = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert max(thumbnail.size) == 160
    assert len(list(media.rglob("*.png.jpg"))) == 1
    client.get(f"/appraisal/evidence/{photo.pk}/thumbnail/")
    assert len(list(media.rglob("*.png.jpg"))) == 1


def test_no_thumbnail_of_a_pdf_or_a_broken_image(world, campaign, submitted, login, media):
    document = submitted.evidence.get(original_name="会议记录.pdf")
    client = login(world.tom)
    assert client.get(f"/appraisal/evidence/{document.pk}/thumbnail/").status_code == 404
    photo = submitted.evidence.get(original_name="学习现场.png")
    photo.file.storage.delete(photo.file.name)
    with photo.file.storage.open(photo.file.name, "wb") as handle:
        handle.write(b"\x89PNG broken")
    assert client.get(f"/appraisal/evidence/{photo.pk}/thumbnail/").status_code == 404


def test_evidence_scoping(world, submitted, login, media, tom2):
    photo = submitted.evidence.get(original_name="学习现场.png")
    for persona, status in (
        (world.alice, 200),
        (world.olga, 200),
        (tom2, 404),
        (world.bob, 404),
        (world.dora, 404),
    ):
        assert login(persona).get(f"/appraisal/evidence/{photo.pk}/thumbnail/").status_code == status


# ---------------------------------------------------------------- the re-check queue goes by batch


def test_the_recheck_queue_groups_each_batch_with_its_date(world, campaign, login):
    kw = dict(secretary=world.vera, township_user=world.tom, county_admin=world.alice)
    west = f.UserFactory(
        username="wes", role="village", county=world.county_a, township=world.a1, village=world.a1v2
    )
    first = af.drive(af.start(campaign, world.a1v1), S.RECHECK_REQUESTED, **kw)
    second = af.drive(af.start(campaign, world.a1v2), S.RECHECK_REQUESTED, **{**kw, "secretary": west})
    own = af.start(campaign, world.ad1)
    services.appraisal_save_self(appraisal=own, user=world.dora, scores=af.full_scores(own))
    services.appraisal_submit(appraisal=own, user=world.dora)
    response = login(world.alice).get(reverse("appraisal:recheck_queue"))
    groups = response.context["groups"]
    assert [[a.pk for a in g["rows"]] for g in groups] == [[first.pk], [second.pk], [own.pk]]
    assert groups[0]["batch"].township == world.a1 and groups[2]["batch"] is None
    page = response.content.decode()
    day = af.reload(first).recheck_batch.reported_at
    from django.utils import timezone

    assert f"甲一镇 {timezone.localtime(day):%Y-%m-%d} 批量申请复检" in page
    one = login(world.alice).get(
        reverse("appraisal:recheck_queue") + f"?batch={af.reload(second).recheck_batch_id}"
    )
    assert [a.pk for g in one.context["groups"] for a in g["rows"]] == [second.pk]


@pytest.mark.parametrize("size", [2, 12])
def test_the_grouped_queue_keeps_its_query_count(world, campaign, login, django_assert_max_num_queries, size):
    for batch in range(2):
        villages = [f.VillageFactory(township=world.a1) for _ in range(size)]
        appraisals = []
        for village in villages:
            a = af.start(campaign, village)
            Appraisal.objects.filter(pk=a.pk).update(status=S.TOWNSHIP_CHECKED)
            appraisals.append(af.reload(a))
        services.appraisal_request_recheck(appraisals=appraisals, user=world.tom)
    client = login(world.alice)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("appraisal:recheck_queue"))
    assert len(response.context["groups"]) == 2


# ---------------------------------------------------------------- peer ratings


@pytest.fixture
def rating_window(campaign):
    campaign.rating_opens_on, campaign.rating_closes_on = datetime.date(2000, 1, 1), datetime.date(2100, 1, 1)
    campaign.save()
    return campaign


def test_a_department_rates_the_other_participating_departments(world, rating_window, login):
    for department in (world.ad1, world.ad2):
        af.start(rating_window, department)
    extra = f.DepartmentFactory(county=world.county_a, code="D09", name="不参评局")
    page = login(world.dora).get(reverse("appraisal:rating_list"))
    assert [r["department"] for r in page.context["rows"]] == [world.ad2]
    html = page.content.decode()
    assert "水利局" in html and "不参评局" not in html and "互评" in html
    response = login(world.dora).post(
        reverse("appraisal:rating_record", args=[world.ad2.pk]), {"grade": "satisfied"}
    )
    assert response.status_code == 302
    assert Rating.objects.get(department=world.ad2).kind == Rating.Kind.PEER
    # Never itself, nor a department outside the round.
    assert (
        login(world.dora)
        .post(reverse("appraisal:rating_record", args=[world.ad1.pk]), {"grade": "satisfied"})
        .status_code
        == 404
    )
    assert (
        login(world.dora)
        .post(reverse("appraisal:rating_record", args=[extra.pk]), {"grade": "satisfied"})
        .status_code
        == 404
    )


def test_townships_and_villages_rate_from_below(world, rating_window, login):
    af.start(rating_window, world.ad1)
    page = login(world.vera).get(reverse("appraisal:rating_list"))
    assert [r["department"] for r in page.context["rows"]] == [world.ad1]
    assert "下评" in page.content.decode()
    login(world.vera).post(reverse("appraisal:rating_record", args=[world.ad1.pk]), {"grade": "satisfied"})
    assert Rating.objects.get().kind == Rating.Kind.FROM_BELOW


def test_another_countys_department_cannot_be_rated(world, rating_window, login, campaign_b):
    af.start(campaign_b, world.bd1)
    assert (
        login(world.dora)
        .post(reverse("appraisal:rating_record", args=[world.bd1.pk]), {"grade": "satisfied"})
        .status_code
        == 404
    )


def test_peer_ratings_feed_the_rubrics_peer_indicator(world, rating_window, campaign):
    dept = af.start(campaign, world.ad1)
    peer = Indicator.objects.get(star__rubric=dept.rubric, feed=Indicator.Feed.PEER)
    assert peer.max_points == 5 and "互评" in peer.text and peer.star.code == "conduct"
    assert sum(i.max_points for i in Indicator.objects.filter(star=peer.star)) == 20
    assert Score.objects.count() == 0
