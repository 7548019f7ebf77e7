import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaign.models import Notification
from campaign.steering import services
from campaign.steering.models import NoticeEvent, SupervisionNotice

Status = SupervisionNotice.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="回复.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.django_db
def test_full_lifecycle_with_history_and_notifications(world, issue):
    notice = issue(world.a1)
    assert notice.status == Status.ISSUED and notice.number == 1
    assert list(notice.items.values_list("position", "text")) == [(1, "第一项"), (2, "第二项")]
    assert Notification.objects.filter(user=world.tom, key=f"notice-issued:{notice.pk}").exists()

    services.notice_reply(notice=notice, user=world.tom, text="已完成第一项", files=[pdf()])
    notice.refresh_from_db()
    assert notice.status == Status.REPLIED and notice.replied_at is not None
    attachment = notice.replies.get().attachments.get()
    assert attachment.original_name == "回复.pdf" and attachment.size == len(PDF)
    assert Notification.objects.filter(user=world.alice, title__contains=notice.reference).exists()

    services.notice_return(notice=notice, user=world.alice, comment="第二项未落实")
    notice.refresh_from_db()
    assert notice.status == Status.RETURNED
    assert Notification.objects.filter(user=world.tom, body="第二项未落实").exists()

    item = notice.items.get(position=2)
    services.notice_item_mark(item=item, user=world.tom, done=True)
    services.notice_reply(notice=notice, user=world.tom, text="第二项已落实")
    services.notice_accept(notice=notice, user=world.alice, comment="同意")
    notice.refresh_from_db()
    assert notice.status == Status.ACCEPTED and notice.accepted_at is not None

    actions = list(notice.events.values_list("action", "from_status", "to_status"))
    assert actions == [
        (NoticeEvent.Action.ISSUED, "", Status.ISSUED),
        (NoticeEvent.Action.REPLIED, Status.ISSUED, Status.REPLIED),
        (NoticeEvent.Action.RETURNED, Status.REPLIED, Status.RETURNED),
        (NoticeEvent.Action.ITEM_DONE, Status.RETURNED, Status.RETURNED),
        (NoticeEvent.Action.REPLIED, Status.RETURNED, Status.REPLIED),
        (NoticeEvent.Action.ACCEPTED, Status.REPLIED, Status.ACCEPTED),
    ]


@pytest.mark.django_db
def test_reply_after_acceptance_is_refused(world, issue):
    notice = issue(world.ad1)
    services.notice_reply(notice=notice, user=world.dora, text="完成")
    services.notice_accept(notice=notice, user=world.alice)
    with pytest.raises(ValidationError) as refused:
        services.notice_reply(notice=notice, user=world.dora, text="补充")
    assert refused.value.code == "notice_accepted"
    with pytest.raises(ValidationError) as refused:
        services.notice_item_mark(item=notice.items.first(), user=world.dora, done=True)
    assert refused.value.code == "notice_accepted"
    assert notice.replies.count() == 1


@pytest.mark.django_db
def test_reply_after_acceptance_shows_message_on_the_page(world, issue, login):
    notice = issue(world.a1)
    services.notice_reply(notice=notice, user=world.tom, text="完成")
    services.notice_accept(notice=notice, user=world.alice)
    response = login(world.tom).post(f"/steering/notices/{notice.pk}/reply/", {"text": "再补充"})
    assert response.status_code == 400
    assert "已验收" in response.content.decode()
    assert notice.replies.count() == 1


@pytest.mark.django_db
def test_bad_input_is_refused_with_clear_messages(world, issue):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as past:
        issue(world.a1, deadline=yesterday)
    assert "deadline" in past.value.message_dict
    with pytest.raises(ValidationError) as outside:
        issue(world.b1, by=world.alice)
    assert "recipient" in outside.value.message_dict
    with pytest.raises(ValidationError) as empty:
        issue(world.a1, items=["  "])
    assert "items" in empty.value.message_dict
    assert not SupervisionNotice.objects.exists()
    notice = issue(world.a1)
    with pytest.raises(ValidationError):
        services.notice_accept(notice=notice, user=world.alice)  # nothing replied yet
    services.notice_reply(notice=notice, user=world.tom, text="完成")
    with pytest.raises(ValidationError) as no_reason:
        services.notice_return(notice=notice, user=world.alice, comment=" ")
    assert "comment" in no_reason.value.message_dict


@pytest.mark.django_db
def test_issue_form_keeps_input_and_explains_past_deadline(world, login):
    client = login(world.alice)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        "/steering/notices/new/",
        {
            "recipient": f"t:{world.a1.pk}",
            "title": "整改软弱涣散",
            "items": "一\n二",
            "deadline": yesterday.isoformat(),
            "report_to": "王科长",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "已过" in page and "整改软弱涣散" in page
    # A body of another county cannot be chosen, even by a crafted POST.
    response = client.post(
        "/steering/notices/new/",
        {
            "recipient": f"t:{world.b1.pk}",
            "title": "越界",
            "items": "一",
            "deadline": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "report_to": "王科长",
        },
    )
    assert response.status_code == 200 and "recipient" in response.context["form"].errors
    assert not SupervisionNotice.objects.exists()


@pytest.mark.django_db
def test_issue_form_creates_notice_with_items(world, login):
    response = login(world.alice).post(
        "/steering/notices/new/",
        {
            "recipient": f"d:{world.ad1.pk}",
            "title": "秸秆禁烧",
            "items": "巡查\n\n宣传\n",
            "deadline": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "report_to": "王科长",
        },
    )
    notice = SupervisionNotice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/steering/notices/{notice.pk}/"
    assert notice.department == world.ad1 and notice.items.count() == 2


@pytest.fixture
def notices(world, issue):
    return {
        "a1": issue(world.a1),
        "a2": issue(world.a2),
        "ad1": issue(world.ad1),
        "ad2": issue(world.ad2),
        "b1": issue(world.b1),
    }


VISIBLE = {
    "alice": {"a1", "a2", "ad1", "ad2"},
    "olga": {"a1", "a2", "ad1", "ad2"},
    "leo": {"a1", "a2", "ad1", "ad2"},
    "tom": {"a1"},
    "dora": {"ad1"},
    "bob": {"b1"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_notice_scope_per_persona(world, notices, login, persona):
    client = login(getattr(world, persona))
    page = client.get("/steering/notices/").content.decode()
    for name, notice in notices.items():
        shown = f'data-notice-id="{notice.pk}"' in page
        assert shown == (name in VISIBLE[persona]), (persona, name)
        status = client.get(f"/steering/notices/{notice.pk}/").status_code
        assert status == (200 if name in VISIBLE[persona] else 404), (persona, name)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["vera", "carl"])
def test_village_and_city_users_get_403(world, notices, login, persona):
    client = login(getattr(world, persona))
    assert client.get("/steering/notices/").status_code == 403
    assert client.get(f"/steering/notices/{notices['a1'].pk}/").status_code == 403


@pytest.mark.django_db
def test_wrong_role_cannot_act(world, notices, login):
    a1 = notices["a1"]
    with pytest.raises(PermissionDenied):
        services.notice_reply(notice=a1, user=world.alice, text="代答")
    with pytest.raises(PermissionDenied):
        services.notice_reply(notice=notices["ad1"], user=world.tom, text="不是我的")
    services.notice_reply(notice=a1, user=world.tom, text="完成")
    with pytest.raises(PermissionDenied):
        services.notice_accept(notice=a1, user=world.leo)
    with pytest.raises(PermissionDenied):
        services.notice_accept(notice=a1, user=world.bob)
    assert login(world.tom).post(f"/steering/notices/{a1.pk}/accept/").status_code == 403
    assert login(world.leo).get("/steering/notices/new/").status_code == 403
    assert login(world.dora).post(f"/steering/notices/{a1.pk}/reply/", {"text": "x"}).status_code == 404
    a1.refresh_from_db()
    assert a1.status == Status.REPLIED


@pytest.mark.django_db
def test_uploads_are_checked_and_served_only_in_scope(world, notices, login):
    a1 = notices["a1"]
    client = login(world.tom)
    fake = SimpleUploadedFile("假的.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(f"/steering/notices/{a1.pk}/reply/", {"text": "见附件", "files": [fake]})
    assert response.status_code == 400 and "假的.pdf" in response.content.decode()
    exe = SimpleUploadedFile("tool.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post(f"/steering/notices/{a1.pk}/reply/", {"text": "见附件", "files": [exe]})
    assert response.status_code == 400 and "见附件" in response.content.decode()
    assert a1.replies.count() == 0

    response = client.post(f"/steering/notices/{a1.pk}/reply/", {"text": "见附件", "files": [pdf()]})
    assert response.status_code == 302
    attachment = a1.replies.get().attachments.get()
    url = f"/steering/notices/{a1.pk}/files/{attachment.pk}/"
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert login(world.alice).get(url).status_code == 200
    assert login(world.dora).get(url).status_code == 404
    assert login(world.bob).get(url).status_code == 404
    # The attachment id under another notice is not found either.
    assert (
        login(world.alice).get(f"/steering/notices/{notices['a2'].pk}/files/{attachment.pk}/").status_code
        == 404
    )


@pytest.mark.django_db
def test_upload_size_limit(world, notices, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    big = pdf(content=PDF + b"x" * 200)
    with pytest.raises(ValidationError) as error:
        services.notice_reply(notice=notices["a1"], user=world.tom, text="大文件", files=[big])
    assert "files" in error.value.message_dict


@pytest.mark.django_db
def test_htmx_item_toggle_returns_the_row(world, notices, login):
    a1 = notices["a1"]
    item = a1.items.get(position=1)
    response = login(world.tom).post(
        f"/steering/notices/{a1.pk}/items/{item.pk}/", {"done": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="item-{item.pk}"' in response.content.decode() and "<html" not in response.content.decode()
    item.refresh_from_db()
    assert item.done_by == world.tom


@pytest.mark.django_db
def test_overdue_notice_stands_out(world, issue, login):
    notice = issue(world.a1)
    SupervisionNotice.objects.filter(pk=notice.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(1)
    )
    page = login(world.alice).get("/steering/notices/?overdue=on").content.decode()
    assert (
        f'data-notice-id="{notice.pk}"' in page and 'data-testid="overdue"' in page and "table-danger" in page
    )


@pytest.mark.django_db
def test_history_is_append_only(world, notices):
    event = notices["a1"].events.get()
    event.comment = "改写"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


@pytest.mark.django_db
def test_notice_list_query_count_does_not_grow(world, issue, login, django_assert_max_num_queries):
    client = login(world.alice)
    issue(world.a1)
    with django_assert_max_num_queries(10):
        assert client.get("/steering/notices/").status_code == 200
    for _ in range(20):
        issue(world.a2)
    with django_assert_max_num_queries(10):
        assert client.get("/steering/notices/").status_code == 200


@pytest.mark.django_db
def test_notice_heading_uses_chinese_punctuation(world, notices, login):
    notice = notices["a1"]
    page = login(world.alice).get(f"/steering/notices/{notice.pk}/").content.decode()
    assert f"督办通知单{notice.reference}：{notice.title}" in page
