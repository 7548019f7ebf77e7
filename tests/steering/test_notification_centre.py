import pytest
from django.conf import settings

from campaign.models import Notification


@pytest.mark.django_db
def test_mark_all_read_touches_only_ones_own(world, login):
    Notification.objects.bulk_create([Notification(user=world.tom, title=f"通知{i}") for i in range(3)])
    theirs = Notification.objects.create(user=world.vera, title="给vera")
    client = login(world.tom)
    assert 'data-testid="unread-count">3<' in client.get("/notifications/").content.decode()
    assert client.get("/notifications/read-all/").status_code == 405
    response = client.post("/notifications/read-all/")
    assert response.status_code == 302
    assert not Notification.objects.filter(user=world.tom, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert 'data-testid="unread-count"' not in client.get("/notifications/").content.decode()


@pytest.mark.django_db
def test_htmx_mark_read_swaps_the_row_and_updates_the_badge(world, login):
    first = Notification.objects.create(user=world.tom, title="第一条", url="/steering/notices/")
    Notification.objects.create(user=world.tom, title="第二条")
    response = login(world.tom).post(f"/notifications/{first.pk}/read/", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{first.pk}"' in body and "<html" not in body
    assert 'hx-swap-oob="true"' in body and 'data-testid="unread-count">1<' in body
    first.refresh_from_db()
    assert first.read_at is not None


@pytest.mark.django_db
def test_open_marks_read_and_follows_the_link(world, login):
    n = Notification.objects.create(user=world.tom, title="打开", url="/steering/notices/")
    response = login(world.tom).post(f"/notifications/{n.pk}/read/", {"open": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 302 and response["Location"] == "/steering/notices/"


@pytest.mark.django_db
def test_notifications_paginate_and_filter_unread(world, login, django_assert_max_num_queries):
    size = settings.PAGE_SIZE
    Notification.objects.bulk_create(
        [Notification(user=world.tom, title=f"N{i:03d}") for i in range(size + 5)]
    )
    Notification.objects.filter(user=world.tom, title="N000").update(read_at="2026-01-01T00:00Z")
    client = login(world.tom)
    with django_assert_max_num_queries(9):
        page1 = client.get("/notifications/").content.decode()
    assert page1.count('data-testid="notification"') == size
    page2 = client.get("/notifications/?page=2").content.decode()
    assert page2.count('data-testid="notification"') == 5
    unread = client.get("/notifications/?unread=1&page=2").content.decode()
    assert unread.count('data-testid="notification"') == 4 and "unread=1&amp;page=1" in unread
