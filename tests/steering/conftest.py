import datetime

import pytest
from django.utils import timezone

from campaign.steering import services


@pytest.fixture
def issue(world):
    """``issue(to=township_or_department, by=alice, **extra)`` issues a notice through the service."""

    def _issue(to, by=None, deadline=None, items=("第一项", "第二项"), title="督办事项", **extra):
        from villages.models import Township

        by = by or (world.bob if to.county_id == world.county_b.id else world.alice)
        kwargs = {"township": to} if isinstance(to, Township) else {"department": to}
        return services.notice_issue(
            user=by,
            title=title,
            items=list(items),
            deadline=deadline or timezone.localdate() + datetime.timedelta(days=10),
            report_to="王科长",
            **kwargs,
            **extra,
        )

    return _issue


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
