"""Uploads past the limit are refused before their body is read; a file past its limit costs only itself."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from appraisal.models import Evidence, Score, VetoEvent
from tests.appraisal import factories as af

PDF = b"%PDF-1.4 " + b"x" * 3000  # 3 KB


class Untouchable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def post_without_body(client, url, declared):
    """A POST that declares ``declared`` bytes but whose body must never be read."""
    return client.post(
        url,
        data=b"",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(declared),
        **{"wsgi.input": Untouchable()},
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def campaign(world):
    return af.campaign_with_rubrics(world.county_a)


@pytest.mark.parametrize(
    ("persona", "url_name"),
    [
        ("vera", "self_report"),
        ("tom", "notice_reply"),
        ("alice", "veto_create"),
        ("alice", "import_upload"),
    ],
)
def test_a_declared_200_mb_upload_is_refused_before_its_body_is_read(
    world, campaign, login, persona, url_name
):
    appraisal = af.start(campaign, world.a1v1)
    from campaign.steering import services as steering

    notice = steering.notice_issue(
        user=world.alice,
        township=world.a1,
        title="督办",
        items=["一"],
        deadline=timezone.localdate() + datetime.timedelta(days=5),
        report_to="王科长",
    )
    url = {
        "self_report": reverse("appraisal:self_report", args=[appraisal.pk]),
        "notice_reply": reverse("steering:notice_reply", args=[notice.pk]),
        "veto_create": reverse("appraisal:veto_create"),
        "import_upload": reverse("importer:upload"),
    }[url_name]
    response = post_without_body(login(getattr(world, persona)), url, 200 * 1024 * 1024)
    assert response.status_code == 413
    assert "过大" in response.content.decode()


def test_a_self_report_keeps_what_was_typed_when_one_file_is_too_large(world, campaign, login, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    appraisal = af.start(campaign, world.a1v1)
    first, second = af.indicators(appraisal)[:2]
    response = login(world.vera).post(
        reverse("appraisal:self_report", args=[appraisal.pk]),
        {
            f"score_{first.id}": "4",
            f"file_{first.id}": SimpleUploadedFile("大.pdf", PDF),
            f"score_{second.id}": "3.5",
            f"remark_{second.id}": "会议记录齐全",
            "action": "save",
        },
    )
    assert response.status_code == 400
    rows = {r["indicator"].id: r for g in response.context["stars"] for r in g["rows"]}
    assert "未保存" in " ".join(rows[first.id]["file_error"])
    # Everything typed after the refused file is still on the page; nothing was stored.
    assert rows[second.id]["value"] == "3.5" and rows[second.id]["remark"] == "会议记录齐全"
    assert not Evidence.objects.exists() and not Score.objects.exists()


def test_a_self_report_with_too_much_at_once_is_refused_whole(world, campaign, login, settings):
    settings.EVIDENCE_REQUEST_MAX_BYTES = 4000
    settings.EVIDENCE_MAX_BYTES = 3500
    appraisal = af.start(campaign, world.a1v1)
    first, second = af.indicators(appraisal)[:2]
    response = login(world.vera).post(
        reverse("appraisal:self_report", args=[appraisal.pk]),
        {
            f"score_{first.id}": "4",
            f"file_{first.id}": SimpleUploadedFile("a.pdf", PDF),
            f"file_{second.id}": SimpleUploadedFile("b.pdf", PDF),
            "action": "save",
        },
    )
    assert response.status_code == 200
    assert "合计超过" in "".join(str(m) for m in response.context["messages"])
    assert not Evidence.objects.exists() and not Score.objects.exists()


def test_a_notice_reply_total_is_capped_and_the_text_kept(world, login, settings):
    from campaign.steering import services as steering

    settings.NOTICE_REPLY_MAX_BYTES = 5000
    notice = steering.notice_issue(
        user=world.alice,
        township=world.a1,
        title="督办",
        items=["一"],
        deadline=timezone.localdate() + datetime.timedelta(days=5),
        report_to="王科长",
    )
    response = login(world.tom).post(
        reverse("steering:notice_reply", args=[notice.pk]),
        {"text": "已整改完毕", "files": [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)]},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "已整改完毕" in body and "合计大于" in body
    assert not notice.replies.exists()


def test_a_veto_with_a_too_large_evidence_file_keeps_the_form(world, campaign, login, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    response = login(world.alice).post(
        reverse("appraisal:veto_create") + f"?campaign={campaign.pk}",
        {
            "subject": f"village:{world.a1v1.pk}",
            "kind": VetoEvent.Kind.choices[0][0],
            "occurred_on": "2026-05-01",
            "description": "发生重大安全事故",
            "evidence": SimpleUploadedFile("证据.pdf", PDF),
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "发生重大安全事故" in body and "未保存" in body
    assert not VetoEvent.objects.exists()


def test_the_cap_applies_to_a_body_sent_without_a_length(world, campaign, login, settings):
    """A client may leave Content-Length out (chunked) or understate it: counting while reading catches it."""
    from campaign.uploads import CappedUploadHandler

    settings.EVIDENCE_MAX_BYTES = 1024
    request = type("Request", (), {"refused_uploads": [], "upload_too_large": False})()
    handler = CappedUploadHandler(request, max_request_bytes=2048, max_file_bytes=1024)
    handler.new_file("file_1", "a.pdf", "application/pdf", None)
    handler.receive_data_chunk(b"x" * 1000, 0)
    from django.core.files.uploadhandler import SkipFile, StopUpload

    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"x" * 100, 1000)
    assert request.refused_uploads == [("file_1", "a.pdf")]
    handler.new_file("file_2", "b.pdf", "application/pdf", None)
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x" * 1000, 0)
    assert request.upload_too_large


def test_csrf_is_still_checked_on_a_capped_upload_view(world, campaign):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.vera)
    appraisal = af.start(campaign, world.a1v1)
    response = client.post(reverse("appraisal:self_report", args=[appraisal.pk]), {"action": "save"})
    assert response.status_code == 403
