import pytest

from campaign.models import Notification
from campaign.notifications import notify


@pytest.mark.django_db
def test_notify_with_a_key_reaches_each_user_once(world):
    assert notify(users=[world.tom, world.vera], title="称号即将到期", key="title-expiry:1:90") == 2
    assert notify(users=[world.tom, world.vera], title="称号即将到期", key="title-expiry:1:90") == 0
    assert Notification.objects.filter(key="title-expiry:1:90").count() == 2


@pytest.mark.django_db
def test_notification_list_shows_only_ones_own_and_marks_read(world, login):
    mine = Notification.objects.create(user=world.tom, title="给tom的通知")
    theirs = Notification.objects.create(user=world.bob, title="给bob的通知")
    client = login(world.tom)
    page = client.get("/notifications/").content.decode()
    assert "给tom的通知" in page and "给bob的通知" not in page
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    client.post(f"/notifications/{mine.pk}/read/")
    mine.refresh_from_db()
    assert mine.read_at is not None
