"""The workflow through the pages: forms keep what was typed, refusals are explained, evidence is guarded."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from appraisal.models import Appraisal, AppraisalEvent, Evidence, Score
from appraisal.workdays import add_working_days
from tests.appraisal import factories as af

S = Appraisal.Status
PDF = b"%PDF-1.4 test evidence"


def _post_scores(appraisal, fraction=Decimal("1"), **extra):
    data = {}
    for indicator_id, (points, remark) in af.full_scores(appraisal, fraction=fraction).items():
        data[f"score_{indicator_id}"] = str(points)
        data[f"remark_{indicator_id}"] = remark
    data.update(extra)
    return data


def test_self_report_save_submit_and_events(world, campaign, login):
    client = login(world.vera)
    appraisal = af.start(campaign, world.a1v1)
    url = reverse("appraisal:self_report", args=[appraisal.pk])
    first = af.indicators(appraisal)[0]
    response = client.post(
        url, {f"score_{first.id}": "4.5", f"remark_{first.id}": "学习记录齐全", "action": "save"}
    )
    assert response.status_code == 302
    assert Score.objects.get(appraisal=appraisal, tier=Score.Tier.SELF, indicator=first).points == Decimal(
        "4.5"
    )
    response = client.post(url, {"action": "submit", **{f"score_{first.id}": "4.5"}})
    assert response.status_code == 200  # incomplete: refused with a message, still a draft
    assert af.reload(appraisal).status == S.DRAFT
    assert "18" in "".join(str(m) for m in response.context["messages"])
    # What was saved before the refused submission is kept.
    assert Score.objects.filter(appraisal=appraisal, tier=Score.Tier.SELF).count() == 1
    response = client.post(url, _post_scores(appraisal, action="submit"))
    assert response.status_code == 302
    appraisal = af.reload(appraisal)
    assert appraisal.status == S.SUBMITTED and appraisal.self_points == Decimal("100")
    event = AppraisalEvent.objects.filter(appraisal=appraisal, action="submitted").get()
    assert event.actor == world.vera and event.ip_address == "127.0.0.1"
    # Submitted: the form is gone, a post is refused.
    response = client.post(url, _post_scores(appraisal, fraction=Decimal("0"), action="save"))
    assert response.status_code == 302
    assert Score.objects.get(appraisal=appraisal, tier=Score.Tier.SELF, indicator=first).points == Decimal(
        "5"
    )


def test_bad_score_is_shown_beside_its_field_and_typed_values_kept(world, campaign, login):
    client = login(world.vera)
    appraisal = af.start(campaign, world.a1v1)
    first, second = af.indicators(appraisal)[:2]
    response = client.post(
        reverse("appraisal:self_report", args=[appraisal.pk]),
        {f"score_{first.id}": "3", f"score_{second.id}": "9", "self_report": "总结", "action": "save"},
    )
    assert response.status_code == 400
    rows = {r["indicator"].id: r for g in response.context["stars"] for r in g["rows"]}
    assert rows[second.id]["error"] and rows[second.id]["value"] == "9"
    assert rows[first.id]["value"] == "3" and not rows[first.id]["error"]
    assert response.context["self_report_text"] == "总结"
    assert not Score.objects.filter(appraisal=appraisal).exists()


def test_evidence_upload_types_size_and_guarded_download(world, campaign, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(world.vera)
    appraisal = af.start(campaign, world.a1v1)
    first = af.indicators(appraisal)[0]
    url = reverse("appraisal:self_report", args=[appraisal.pk])
    response = client.post(
        url,
        {
            "action": "save",
            f"file_{first.id}": SimpleUploadedFile("run.exe", b"MZ...", "application/octet-stream"),
        },
    )
    assert response.status_code == 400 and not Evidence.objects.exists()
    rows = {r["indicator"].id: r for g in response.context["stars"] for r in g["rows"]}
    assert rows[first.id]["file_error"]
    response = client.post(
        url, {"action": "save", f"file_{first.id}": SimpleUploadedFile("fake.pdf", b"not a pdf")}
    )
    assert response.status_code == 400 and not Evidence.objects.exists()
    with override_settings(EVIDENCE_MAX_BYTES=10):
        response = client.post(
            url, {"action": "save", f"file_{first.id}": SimpleUploadedFile("big.pdf", PDF)}
        )
    assert response.status_code == 400 and not Evidence.objects.exists()
    response = client.post(
        url, {"action": "save", f"file_{first.id}": SimpleUploadedFile("学习记录.pdf", PDF)}
    )
    assert response.status_code == 302
    item = Evidence.objects.get()
    assert item.original_name == "学习记录.pdf" and str(tmp_path) in item.file.path
    download = reverse("appraisal:evidence_file", args=[item.pk])
    assert b"".join(client.get(download).streaming_content) == PDF
    assert login(world.tom).get(download).status_code == 200
    assert login(world.bob).get(download).status_code == 404
    assert login(world.dora).get(download).status_code == 404
    assert not str(item.file.path).startswith(str(settings.STATIC_ROOT))


def test_township_check_form_starts_from_self_scores_and_returns(world, campaign, login):
    appraisal = af.submitted(campaign, world.a1v1, world.vera, fraction=Decimal("0.8"))
    client = login(world.tom)
    response = client.get(reverse("appraisal:check", args=[appraisal.pk]))
    rows = [r for g in response.context["stars"] for r in g["rows"]]
    assert all(r["value"] == r["lower"][0]["score"].points for r in rows) and not any(
        r["differs"] for r in rows
    )
    # A reason is required to return.
    client.post(reverse("appraisal:return", args=[appraisal.pk]), {"reason": ""})
    assert af.reload(appraisal).status == S.SUBMITTED
    client.post(
        reverse("appraisal:return", args=[appraisal.pk]),
        {"reason": "三会一课佐证缺失", "expected": "submitted"},
    )
    appraisal = af.reload(appraisal)
    assert appraisal.status == S.DRAFT and appraisal.return_reason == "三会一课佐证缺失"
    page = login(world.vera).get(reverse("appraisal:self_report", args=[appraisal.pk])).content.decode()
    assert "三会一课佐证缺失" in page


def test_stale_form_gets_the_reload_message(world, campaign, login):
    appraisal = af.submitted(campaign, world.a1v1, world.vera)
    client = login(world.tom)
    data = _post_scores(appraisal, decision="accept")
    assert client.post(reverse("appraisal:check", args=[appraisal.pk]), data).status_code == 302
    response = client.post(reverse("appraisal:check", args=[appraisal.pk]), data, follow=True)
    assert "刷新" in response.content.decode()
    assert AppraisalEvent.objects.filter(appraisal=appraisal, action="township_checked").count() == 1


def test_batch_report_notice_objection_and_approval_pages(world, campaign, login, tom2):
    kw = dict(secretary=world.vera, township_user=world.tom, county_admin=world.alice)
    one = af.drive(af.start(campaign, world.a1v1), S.TOWNSHIP_CHECKED, **kw)
    secretary2 = af.f.UserFactory(
        role="village", county=world.county_a, township=world.a1, village=world.a1v2
    )
    two = af.drive(af.start(campaign, world.a1v2), S.TOWNSHIP_CHECKED, **{**kw, "secretary": secretary2})
    # Another township cannot report A1's villages.
    assert login(tom2).post(reverse("appraisal:request_recheck"), {"appraisal": [one.pk]}).status_code == 403
    login(world.tom).post(reverse("appraisal:request_recheck"), {"appraisal": [one.pk, two.pk]})
    assert {af.reload(one).status, af.reload(two).status} == {S.RECHECK_REQUESTED}
    client = login(world.alice)
    queue = client.get(reverse("appraisal:recheck_queue"))
    assert {a.pk for a in queue.context["page_obj"]} == {one.pk, two.pk}
    for appraisal, decision in ((one, "recommend"), (two, "not_recommended")):
        client.post(
            reverse("appraisal:check", args=[appraisal.pk]), _post_scores(appraisal, decision=decision)
        )
    assert (af.reload(one).status, af.reload(two).status) == (S.RECHECKED, S.NOT_RECOMMENDED)
    today = timezone.localdate()
    chosen = {"appraisal": [one.pk], "starts_on": today.isoformat()}
    # The first post only shows what would be opened; the confirmed one opens it.
    confirm = client.post(reverse("appraisal:notice_open"), chosen)
    assert confirm.status_code == 200 and af.reload(one).status == S.RECHECKED
    client.post(reverse("appraisal:notice_open"), {**chosen, "confirm": "yes"})
    one = af.reload(one)
    assert one.status == S.PUBLICIZED and one.notice.ends_on == add_working_days(today, 5)
    client.post(
        reverse("appraisal:objection_record", args=[one.pk]),
        {"received_on": today.isoformat(), "content": "反映材料不实", "raised_by": "群众"},
    )
    objection = one.objections.get()
    client.post(
        reverse("appraisal:objection_handle", args=[objection.pk]),
        {"outcome": "dismissed", "handling": "经核实不属实"},
    )
    objection.refresh_from_db()
    assert objection.outcome == "dismissed" and af.reload(one).status == S.PUBLICIZED
    # The batch is on the leader's page; only the leader may approve it.
    leader = login(world.leo)
    page = leader.get(reverse("appraisal:approval"))
    assert [a.pk for b in page.context["batches"] for a in b["appraisals"]] == [one.pk]
    assert login(world.alice).post(reverse("appraisal:approve"), {"appraisal": [one.pk]}).status_code == 403


def test_evidence_is_not_reachable_by_a_plain_url(world, campaign, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    appraisal = af.start(campaign, world.a1v1)
    first = af.indicators(appraisal)[0]
    client = login(world.vera)
    client.post(
        reverse("appraisal:self_report", args=[appraisal.pk]),
        {"action": "save", f"file_{first.id}": SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n....")},
    )
    item = Evidence.objects.get()
    assert client.get(f"{settings.MEDIA_URL}{item.file.name}").status_code == 404
    assert client.get(f"/static/{item.file.name}").status_code == 404
    # Removing it (draft only) deletes the row, and the file once committed.
    client.post(reverse("appraisal:evidence_delete", args=[item.pk]))
    assert not Evidence.objects.exists()
    assert AppraisalEvent.objects.filter(appraisal=appraisal, action="evidence_removed").exists()


def test_preview_of_typed_scores_writes_nothing(world, campaign, login):
    appraisal = af.start(campaign, world.a1v1)
    url = reverse("appraisal:self_report_preview", args=[appraisal.pk])
    data = {k: v for k, v in _post_scores(appraisal).items() if k.startswith("score_")}
    response = login(world.vera).post(url, data)
    assert response.context["preview"]["result"].star_count == 5 and response.context["preview"]["complete"]
    assert not Score.objects.exists()
    # The township may fill in for its village, so it previews too; nothing is written either way.
    assert login(world.tom).post(url, data).status_code == 200
    assert not Score.objects.exists()
    assert login(world.alice).post(url, data).status_code == 403
    assert login(world.bob).post(url, data).status_code == 404
